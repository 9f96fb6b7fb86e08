"""Installs and removals of packs one at a time (an OS lock on the packs folder), and no
going back to an older signed pack unless asked for."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest
from signedpacks import Signer, make_signer, signed_extra_pack, zip_folder

from sdm_app import cli, paths
from sdm_app.content.packstore import (
    InstalledPack,
    PackInstallError,
    install_archive,
    installed_versions,
    lock_path,
    remove_installed,
    versions_seen,
    versions_seen_path,
)
from sdm_app.content.signing import verify_pack

INSTALLER = Path(__file__).with_name("pack_installer.py")
TODAY = date(2026, 11, 21)
EXPIRES = date(2027, 6, 30)
LATER = date.today() + timedelta(days=400)  # for the command line, which reads the clock

HOLD_LOCK = """
import sys
from pathlib import Path
from sdm_app.storage.lock import DataLock
lock = DataLock(Path(sys.argv[1]))
assert lock.acquire() is None
print("held", flush=True)
sys.stdin.readline()
"""


@pytest.fixture
def signer(tmp_path: Path) -> Signer:
    return make_signer(tmp_path / "keys")


@pytest.fixture
def packs_root(tmp_path: Path) -> Path:
    return tmp_path / "user-data" / "packs"


def archive_of(
    tmp_path: Path, signer: Signer, version: str = "2026.12.1", expires: date = EXPIRES
) -> Path:
    folder = tmp_path / "build" / f"{signer.pair.key_id}-{version}" / "extra"
    today = TODAY if expires == EXPIRES else date.today()
    signed_extra_pack(folder, signer, version, expires=expires, today=today)
    name = f"extra-{version}-{signer.pair.key_id}.zip"
    archive: Path = zip_folder(folder, tmp_path / name, "extra")
    return archive


def install(archive: Path, packs_root: Path, signer: Signer, **kwargs: object) -> InstalledPack:
    kwargs.setdefault("today", TODAY)
    return install_archive(archive, packs_root, signer.trusted, **kwargs)  # type: ignore[arg-type]


def pack_folders(packs_root: Path) -> list[str]:
    return sorted(entry.name for entry in packs_root.iterdir() if not entry.name.startswith("."))


def leftovers(packs_root: Path) -> list[str]:
    """Hidden files in the packs folder, and half-written records beside it."""
    hidden = [entry.name for entry in packs_root.iterdir() if entry.name.startswith(".")]
    return sorted(hidden + [entry.name for entry in packs_root.parent.glob(".*.partial")])


# Four at once -------------------------------------------------------------------------------


def test_four_parallel_installs_of_one_pack_leave_exactly_one_good_copy(
    tmp_path: Path, signer: Signer, packs_root: Path
) -> None:
    archive = archive_of(tmp_path, signer)
    installers = [
        subprocess.Popen(
            [
                sys.executable,
                str(INSTALLER),
                str(archive),
                str(packs_root),
                str(signer.folder),
                TODAY.isoformat(),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    for installer in installers:
        assert installer.stdout is not None and installer.stdout.readline() == "ready\n"
    for installer in installers:  # as close to the same moment as four processes get
        assert installer.stdin is not None
        installer.stdin.write("go\n")
        installer.stdin.flush()
    outputs = [installer.communicate(timeout=120)[0] for installer in installers]
    assert [installer.returncode for installer in installers] == [0, 0, 0, 0], outputs
    assert all("installed " in output for output in outputs)
    assert any("waiting process " in output for output in outputs)  # they did meet
    [folder] = pack_folders(packs_root)
    assert folder.startswith("extra-2026.12.1-")
    assert verify_pack(packs_root / folder, signer.trusted, today=TODAY).ok
    assert leftovers(packs_root) == []
    assert installed_versions(packs_root) == {"extra": "2026.12.1"}


# Waiting for another process ------------------------------------------------------------------


def _hold_lock(packs_root: Path) -> subprocess.Popen[str]:
    packs_root.mkdir(parents=True, exist_ok=True)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(lock_path(packs_root))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    return holder


def _release(holder: subprocess.Popen[str]) -> None:
    holder.communicate("\n", timeout=30)


def test_an_install_says_who_holds_the_packs_folder_and_gives_up_in_time(
    tmp_path: Path, signer: Signer, packs_root: Path
) -> None:
    archive = archive_of(tmp_path, signer)
    holder = _hold_lock(packs_root)
    waited: list[str] = []
    try:
        with pytest.raises(PackInstallError) as refused:
            install(archive, packs_root, signer, on_wait=waited.append, wait=0.5)
    finally:
        _release(holder)
    assert len(waited) == 1 and waited[0].startswith(f"process {holder.pid} on ")
    [problem] = refused.value.problems
    assert f"still running (process {holder.pid} on " in problem
    assert "try again when it has finished" in problem
    assert pack_folders(packs_root) == [] and leftovers(packs_root) == []
    assert install(archive, packs_root, signer).pack_id == "extra"  # free again


def test_the_install_command_waits_for_the_lock_and_says_so(
    tmp_path: Path,
    signer: Signer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    isolated_user_folders: Path,
) -> None:
    monkeypatch.setattr(paths, "trusted_keys_dir", lambda: signer.folder)
    archive = archive_of(tmp_path, signer, expires=LATER)
    packs_root = isolated_user_folders / "packs"
    holder = _hold_lock(packs_root)
    releaser = threading.Timer(1.0, _release, (holder,))
    releaser.start()
    try:
        assert cli.main(["content", "install", str(archive)]) == 0
    finally:
        releaser.join()
    captured = capsys.readouterr()
    assert f"Another installation or removal of packs is running (process {holder.pid} on " in (
        captured.err
    )
    assert "waiting for it to finish" in captured.err
    assert captured.out.startswith("Installed pack extra version 2026.12.1 in ")
    assert len(pack_folders(packs_root)) == 1


# No going back ------------------------------------------------------------------------------


def test_an_older_pack_is_refused_after_the_newer_one_was_removed(
    tmp_path: Path, signer: Signer, packs_root: Path
) -> None:
    newer = install(archive_of(tmp_path, signer, "2027.1.0"), packs_root, signer)
    assert remove_installed("extra", packs_root) == [newer.folder]
    assert pack_folders(packs_root) == []
    older = archive_of(tmp_path, signer, "2026.12.1")
    with pytest.raises(PackInstallError) as refused:
        install(older, packs_root, signer)
    [problem] = refused.value.problems
    assert problem == (
        f"{older.name}: pack extra version 2026.12.1 is older than version 2027.1.0, which "
        "was installed here before; an older version is installed only when asked for "
        "explicitly (--allow-older)"
    )
    assert pack_folders(packs_root) == [] and leftovers(packs_root) == []
    # Deleting the folder by hand (as the authors' guide once said) changes nothing.
    again = install(archive_of(tmp_path, signer, "2027.1.0"), packs_root, signer)
    shutil.rmtree(again.folder)
    with pytest.raises(PackInstallError, match=r"older than version 2027\.1\.0"):
        install(older, packs_root, signer)
    # Asked for explicitly, it installs; the record still names the highest.
    assert install(older, packs_root, signer, allow_older=True).version == "2026.12.1"
    assert versions_seen(packs_root) == {"extra": {signer.pair.key_id: "2027.1.0"}}


def test_allow_older_replaces_a_newer_installed_version(
    tmp_path: Path, signer: Signer, packs_root: Path
) -> None:
    install(archive_of(tmp_path, signer, "2027.1.0"), packs_root, signer)
    older = archive_of(tmp_path, signer, "2026.12.1")
    with pytest.raises(PackInstallError, match=r"older than the version in use, 2027\.1\.0"):
        install(older, packs_root, signer)
    back = install(older, packs_root, signer, allow_older=True)
    assert pack_folders(packs_root) == [back.folder.name]
    assert installed_versions(packs_root) == {"extra": "2026.12.1"}


def test_an_older_pack_signed_with_another_trusted_key_is_refused_too(
    tmp_path: Path, packs_root: Path
) -> None:
    # A publisher moving to a new key: the old key's older packs must not come back.
    old_key = make_signer(tmp_path / "old-key", "old")
    new_key = make_signer(tmp_path / "new-key", "new")
    (new_key.folder / old_key.pair.public.name).write_bytes(old_key.pair.public.read_bytes())
    installed = install(archive_of(tmp_path, new_key, "2027.1.0"), packs_root, new_key)
    remove_installed("extra", packs_root)
    with pytest.raises(PackInstallError, match=r"older than version 2027\.1\.0"):
        install(archive_of(tmp_path, old_key, "2026.12.1"), packs_root, new_key)
    assert versions_seen(packs_root) == {"extra": {new_key.pair.key_id: installed.version}}


def test_the_record_is_private_and_a_damaged_one_is_written_again(
    tmp_path: Path, signer: Signer, packs_root: Path
) -> None:
    install(archive_of(tmp_path, signer, "2026.12.1"), packs_root, signer)
    record = versions_seen_path(packs_root)
    if os.name == "posix":
        assert record.stat().st_mode & 0o777 == 0o600
    record.write_text("{not json", "utf-8")
    assert versions_seen(packs_root) == {}
    install(archive_of(tmp_path, signer, "2027.1.0"), packs_root, signer)
    assert versions_seen(packs_root) == {"extra": {signer.pair.key_id: "2027.1.0"}}


def test_remove_and_allow_older_on_the_command_line(
    tmp_path: Path,
    signer: Signer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    isolated_user_folders: Path,
) -> None:
    monkeypatch.setattr(paths, "trusted_keys_dir", lambda: signer.folder)
    packs_root = isolated_user_folders / "packs"
    newer = archive_of(tmp_path, signer, "2027.1.0", expires=LATER)
    older = archive_of(tmp_path, signer, "2026.12.1", expires=LATER)
    assert cli.main(["content", "install", str(newer)]) == 0
    assert cli.main(["content", "remove", "extra"]) == 0
    assert cli.main(["content", "remove", "extra"]) == 1
    capsys.readouterr()
    assert cli.main(["content", "install", str(older)]) == 1
    err = capsys.readouterr().err
    assert "pack extra version 2026.12.1 is older than version 2027.1.0" in err
    assert pack_folders(packs_root) == []
    assert cli.main(["content", "install", "--allow-older", str(older)]) == 0
    assert capsys.readouterr().out.startswith("Installed pack extra version 2026.12.1 in ")
    assert len(pack_folders(packs_root)) == 1
