"""Installing signed pack archives, and loading installed packs only when they verify."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from hostile import Case, corpus
from packfactory import write_pack
from signedpacks import (
    Signer,
    extra_files,
    make_signer,
    signed_extra_pack,
    tar_folder,
    write_files,
    zip_folder,
)

from sdm_app.content.build import build_content_db
from sdm_app.content.freshness import ensure_content_db, skipped_packs
from sdm_app.content.packstore import (
    InstalledPack,
    PackInstallError,
    install_archive,
    installed_versions,
)
from sdm_app.content.signing import MANIFEST_NAME, verify_pack

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 21)
EXPIRES = date(2027, 6, 30)
# For tests that start the app, which reads the real clock: never expired then.
LATER = date.today() + timedelta(days=400)


@pytest.fixture
def signer(tmp_path: Path) -> Signer:
    return make_signer(tmp_path / "keys")


@pytest.fixture
def packs_root(tmp_path: Path) -> Path:
    return tmp_path / "user-data" / "packs"


def archive_of(
    tmp_path: Path,
    signer: Signer,
    version: str = "2026.12.1",
    *,
    top: bool = True,
    expires: date = EXPIRES,
) -> Path:
    folder = tmp_path / "build" / version / "extra"
    signed_extra_pack(folder, signer, version, expires=expires, today=TODAY)
    archive: Path = zip_folder(folder, tmp_path / f"extra-{version}.zip", "extra" if top else None)
    return archive


def install(archive: Path, packs_root: Path, signer: Signer, **kwargs: object) -> InstalledPack:
    kwargs.setdefault("today", TODAY)
    return install_archive(archive, packs_root, signer.trusted, **kwargs)  # type: ignore[arg-type]


def tree(folder: Path) -> dict[str, bytes | None]:
    if not folder.exists():
        return {}
    return {
        path.relative_to(folder).as_posix(): path.read_bytes() if path.is_file() else None
        for path in sorted(folder.rglob("*"))
    }


# Installing ------------------------------------------------------------------------------


@pytest.mark.parametrize("top", [True, False])
def test_install_puts_a_verified_pack_in_place(
    tmp_path: Path, signer: Signer, packs_root: Path, top: bool
) -> None:
    installed = install(archive_of(tmp_path, signer, top=top), packs_root, signer)
    assert (installed.pack_id, installed.version, installed.expires) == (
        "extra",
        "2026.12.1",
        EXPIRES,
    )
    assert installed.folder.parent == packs_root
    assert [p.name for p in packs_root.iterdir()] == [installed.folder.name]  # no staging left
    assert verify_pack(installed.folder, signer.trusted, today=TODAY).ok
    assert installed_versions(packs_root) == {"extra": "2026.12.1"}


def test_install_accepts_tar_gz(tmp_path: Path, signer: Signer, packs_root: Path) -> None:
    folder = signed_extra_pack(tmp_path / "extra", signer, expires=EXPIRES, today=TODAY)
    archive = tar_folder(folder, tmp_path / "extra.tar.gz")
    assert install(archive, packs_root, signer).pack_id == "extra"


def test_a_newer_version_replaces_the_old_only_after_success(
    tmp_path: Path, signer: Signer, packs_root: Path
) -> None:
    first = install(archive_of(tmp_path, signer, "2026.12.1"), packs_root, signer)
    again = install(archive_of(tmp_path, signer, "2026.12.1"), packs_root, signer)  # same: ok
    assert not first.folder.exists() and again.folder.exists()
    newer = install(archive_of(tmp_path, signer, "2027.1.0"), packs_root, signer)
    assert [p.name for p in packs_root.iterdir()] == [newer.folder.name]
    assert installed_versions(packs_root) == {"extra": "2027.1.0"}


def test_an_older_version_is_refused_and_the_installed_one_kept(
    tmp_path: Path, signer: Signer, packs_root: Path
) -> None:
    install(archive_of(tmp_path, signer, "2027.1.0"), packs_root, signer)
    before = tree(packs_root)
    with pytest.raises(PackInstallError) as refused:
        install(archive_of(tmp_path, signer, "2026.12.1"), packs_root, signer)
    assert "older than the version in use, 2027.1.0" in str(refused.value)
    assert tree(packs_root) == before


def test_a_pack_older_than_the_bundled_one_is_refused(
    tmp_path: Path, signer: Signer, packs_root: Path
) -> None:
    bundled = write_files(tmp_path / "content" / "extra", extra_files("2030.1"))
    with pytest.raises(PackInstallError, match=r"older than the version in use, 2030\.1"):
        install(archive_of(tmp_path, signer), packs_root, signer, bundled_folders=[bundled])


def test_a_tampered_archive_is_refused_and_nothing_changes(
    tmp_path: Path, signer: Signer, packs_root: Path
) -> None:
    installed = install(archive_of(tmp_path, signer, "2026.12.1"), packs_root, signer)
    folder = tmp_path / "tampered" / "extra"
    signed_extra_pack(folder, signer, "2027.1.0", expires=EXPIRES, today=TODAY)
    module = folder / "modules" / "extra-module.en.md"
    module.write_text(module.read_text("utf-8").replace("plain words", "plain wordz"), "utf-8")
    archive = zip_folder(folder, tmp_path / "tampered.zip", "extra")
    before = tree(packs_root)
    with pytest.raises(PackInstallError) as refused:
        install(archive, packs_root, signer)
    assert refused.value.problems == [
        "tampered.zip/extra/modules/extra-module.en.md: changed after signing (its SHA-256 differs)"
    ]
    assert tree(packs_root) == before
    assert installed.folder.exists()


def test_an_untrusted_or_expired_pack_is_refused(
    tmp_path: Path, signer: Signer, packs_root: Path
) -> None:
    archive = archive_of(tmp_path, signer)
    stranger = make_signer(tmp_path / "stranger", "stranger")
    with pytest.raises(PackInstallError, match="not a trusted key"):
        install(archive, packs_root, stranger)
    with pytest.raises(PackInstallError, match="expired on 2027-06-30"):
        install(archive, packs_root, signer, today=date(2027, 7, 1))
    assert tree(packs_root) == {}


def test_an_unsigned_pack_is_refused(tmp_path: Path, signer: Signer, packs_root: Path) -> None:
    folder = write_files(tmp_path / "extra", extra_files())
    with pytest.raises(PackInstallError, match="not signed"):
        install(zip_folder(folder, tmp_path / "unsigned.zip"), packs_root, signer)


def test_a_signed_pack_with_content_errors_is_refused(
    tmp_path: Path, signer: Signer, packs_root: Path
) -> None:
    folder = write_files(tmp_path / "extra", extra_files())
    module = folder / "modules" / "extra-module.en.md"
    module.write_text(module.read_text("utf-8") + "\nSee [x](module:no-such-module).\n", "utf-8")
    signer.sign(folder, expires=EXPIRES, today=TODAY)
    with pytest.raises(PackInstallError) as refused:
        install(zip_folder(folder, tmp_path / "bad.zip"), packs_root, signer)
    assert refused.value.problems[0] == "the pack's content has errors; it was not installed:"
    assert any(
        line.startswith("bad.zip/modules/extra-module.en.md:") and "unknown-module-link" in line
        for line in refused.value.problems
    )
    assert tree(packs_root) == {}


def test_an_archive_without_a_pack_is_refused(
    tmp_path: Path, signer: Signer, packs_root: Path
) -> None:
    archive = tmp_path / "empty.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("readme.txt", "hello")
    with pytest.raises(PackInstallError, match="holds no pack"):
        install(archive, packs_root, signer)
    assert tree(packs_root) == {}


@pytest.fixture(scope="session")
def hostile_cases(tmp_path_factory: pytest.TempPathFactory) -> list[Case]:
    return list(corpus(tmp_path_factory)[1].values())


def test_every_hostile_archive_is_refused_at_install(
    tmp_path: Path, signer: Signer, packs_root: Path, hostile_cases: list[Case]
) -> None:
    """The installed pack is untouched and no staging folder is left, whatever the archive."""
    installed = install(archive_of(tmp_path, signer), packs_root, signer)
    before = tree(packs_root)
    outside_before = sorted(p.name for p in tmp_path.iterdir())
    for case in hostile_cases:
        with pytest.raises(PackInstallError) as refused:
            install(case.archive, packs_root, signer, limits=case.limits)
        assert case.says in str(refused.value), case.name
        assert tree(packs_root) == before, case.name
        assert sorted(p.name for p in tmp_path.iterdir()) == outside_before, case.name
    assert verify_pack(installed.folder, signer.trusted, today=TODAY).ok


# Loading installed packs -----------------------------------------------------------------


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder: Path = write_pack(tmp_path / "content" / "core").parent
    return folder


def module_ids(db: Path) -> set[str]:
    with sqlite3.connect(db) as connection:
        return {row[0] for row in connection.execute("SELECT id FROM modules")}


def meta(db: Path) -> dict[str, str]:
    with sqlite3.connect(db) as connection:
        return dict(connection.execute("SELECT key, value FROM meta").fetchall())


def test_the_build_includes_an_installed_pack_that_verifies(
    tmp_path: Path, signer: Signer, packs_root: Path, content: Path
) -> None:
    installed = install(archive_of(tmp_path, signer), packs_root, signer)
    db = ensure_content_db(
        content, tmp_path / "cache", installed_root=packs_root, keys_dir=signer.folder, today=TODAY
    )
    assert "extra-module" in module_ids(db)
    assert json.loads(meta(db)["installed_packs"]) == [
        {"id": "extra", "version": "2026.12.1", "folder": str(installed.folder)}
    ]
    assert meta(db)["valid_until"] == EXPIRES.isoformat()
    assert skipped_packs(db) == []


def test_a_pack_tampered_after_install_is_skipped_with_its_reason(
    tmp_path: Path, signer: Signer, packs_root: Path, content: Path
) -> None:
    installed = install(archive_of(tmp_path, signer), packs_root, signer)
    cache = tmp_path / "cache"
    ensure_content_db(
        content, cache, installed_root=packs_root, keys_dir=signer.folder, today=TODAY
    )
    glossary = installed.folder / "glossary" / "en.yaml"
    glossary.write_text(glossary.read_text("utf-8").replace("only", "ONLY"), "utf-8")
    db = ensure_content_db(
        content, cache, installed_root=packs_root, keys_dir=signer.folder, today=TODAY
    )
    assert "extra-module" not in module_ids(db)
    assert "biomarker-testing" in module_ids(db)  # the bundled content still loads
    [(folder, reason)] = skipped_packs(db)
    assert folder == str(installed.folder)
    assert reason == f"{glossary}: changed after signing (its SHA-256 differs)"


def test_an_expired_pack_drops_out_at_the_next_start(
    tmp_path: Path, signer: Signer, packs_root: Path, content: Path
) -> None:
    install(archive_of(tmp_path, signer), packs_root, signer)
    cache = tmp_path / "cache"
    kwargs = {"installed_root": packs_root, "keys_dir": signer.folder}
    db = ensure_content_db(content, cache, today=date(2027, 6, 30), **kwargs)  # type: ignore[arg-type]
    assert "extra-module" in module_ids(db)
    # Nothing on disk changed; the date alone makes the database out of date.
    db = ensure_content_db(content, cache, today=date(2027, 7, 1), **kwargs)  # type: ignore[arg-type]
    assert "extra-module" not in module_ids(db)
    assert "expired on 2027-06-30" in skipped_packs(db)[0][1]
    built = db.stat().st_mtime_ns
    ensure_content_db(content, cache, today=date(2027, 7, 2), **kwargs)  # type: ignore[arg-type]
    assert db.stat().st_mtime_ns == built  # no rebuild at every start after that


def test_removing_a_trusted_key_drops_its_packs(
    tmp_path: Path, signer: Signer, packs_root: Path, content: Path
) -> None:
    install(archive_of(tmp_path, signer, expires=LATER), packs_root, signer)
    cache = tmp_path / "cache"
    kwargs = {"installed_root": packs_root, "keys_dir": signer.folder, "today": TODAY}
    assert "extra-module" in module_ids(ensure_content_db(content, cache, **kwargs))  # type: ignore[arg-type]
    (signer.folder / signer.pair.public.name).unlink()
    db = ensure_content_db(content, cache, **kwargs)  # type: ignore[arg-type]
    assert "extra-module" not in module_ids(db)
    assert "not a trusted key" in skipped_packs(db)[0][1]


def test_an_installed_pack_with_content_errors_is_skipped(
    tmp_path: Path, signer: Signer, packs_root: Path, content: Path
) -> None:
    # Signed and valid on its own, but it reuses a module id of the bundled pack.
    folder = write_files(tmp_path / "clash", extra_files())
    module = folder / "modules" / "extra-module.en.md"
    module.rename(folder / "modules" / "germline.en.md")
    text = (folder / "modules" / "germline.en.md").read_text("utf-8")
    (folder / "modules" / "germline.en.md").write_text(
        text.replace("id: extra-module", "id: germline"), "utf-8"
    )
    signer.sign(folder, expires=EXPIRES, today=TODAY)
    shutil.copytree(folder, packs_root / "clash")
    report = build_content_db(
        content, tmp_path / "c.db", installed_root=packs_root, trusted_keys_dir=signer.folder
    )
    assert report.installed == ()
    [skipped] = report.skipped
    assert "duplicate-id" in skipped.reason
    assert report.modules == 2  # the bundled pack alone


def test_an_installed_pack_replaces_the_bundled_pack_of_the_same_id(
    tmp_path: Path, signer: Signer, packs_root: Path
) -> None:
    content = write_files(tmp_path / "content" / "extra", extra_files("2026.12.1")).parent
    newer = tmp_path / "newer"
    signed_extra_pack(newer, signer, "2027.1", expires=EXPIRES, today=TODAY)
    module = newer / "modules" / "extra-module.en.md"
    module.write_text(module.read_text("utf-8").replace("plain words", "newer words"), "utf-8")
    signer.sign(newer, expires=EXPIRES, today=TODAY)
    shutil.copytree(newer, packs_root / "extra-2027.1")
    report = build_content_db(
        content, tmp_path / "c.db", installed_root=packs_root, trusted_keys_dir=signer.folder
    )
    assert report.installed == ("extra 2027.1",) and report.packs == 1
    with sqlite3.connect(report.path) as connection:
        [(text, version)] = connection.execute("SELECT body_text, pack_version FROM modules")
    assert "newer words" in text and version == "2027.1"


def test_an_installed_pack_older_than_the_bundled_one_is_skipped(
    tmp_path: Path, signer: Signer, packs_root: Path
) -> None:
    content = write_files(tmp_path / "content" / "extra", extra_files("2030.1")).parent
    signed_extra_pack(packs_root / "old", signer, "2026.12.1", expires=EXPIRES, today=TODAY)
    report = build_content_db(
        content, tmp_path / "c.db", installed_root=packs_root, trusted_keys_dir=signer.folder
    )
    assert report.installed == ()
    assert "older than the version in use, 2030.1" in report.skipped[0].reason


def test_stray_folders_among_installed_packs_are_skipped(
    tmp_path: Path, signer: Signer, packs_root: Path, content: Path
) -> None:
    (packs_root / "unsigned").mkdir(parents=True)
    (packs_root / "notes.txt").write_text("hello")
    (packs_root / ".staging-abc").mkdir()  # an install in progress: ignored, not reported
    report = build_content_db(
        content, tmp_path / "c.db", installed_root=packs_root, trusted_keys_dir=signer.folder
    )
    assert sorted(Path(skipped.folder).name for skipped in report.skipped) == [
        "notes.txt",
        "unsigned",
    ]
    assert report.modules == 2


def test_without_installed_packs_the_fingerprint_is_the_bundled_one(
    tmp_path: Path, signer: Signer, packs_root: Path, content: Path
) -> None:
    from sdm_app.content.freshness import content_fingerprint

    packs_root.mkdir(parents=True)
    assert content_fingerprint(content, packs_root, signer.folder) == content_fingerprint(content)


def test_fast_path_with_installed_packs_does_not_verify_again(
    tmp_path: Path, signer: Signer, packs_root: Path, content: Path
) -> None:
    install(archive_of(tmp_path, signer, expires=LATER), packs_root, signer)
    cache = tmp_path / "cache"
    ensure_content_db(content, cache, installed_root=packs_root, keys_dir=signer.folder)
    code = (
        "import sys; from pathlib import Path;"
        "from sdm_app.content.freshness import ensure_content_db;"
        f"ensure_content_db(Path({str(content)!r}), Path({str(cache)!r}),"
        f" installed_root=Path({str(packs_root)!r}), keys_dir=Path({str(signer.folder)!r}));"
        "heavy = ('yaml', 'cryptography', 'hashlib', 'sdm_app.content.build',"
        " 'sdm_app.content.signing');"
        "print(','.join(m for m in heavy if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == ""


def test_the_app_shows_why_an_installed_pack_was_not_loaded(
    tmp_path: Path,
    signer: Signer,
    isolated_user_folders: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sdm_app import paths
    from sdm_app.app import open_content

    monkeypatch.setenv("SDM_APP_CACHE_DIR", str(tmp_path / "own-cache"))
    monkeypatch.setattr(paths, "trusted_keys_dir", lambda: signer.folder)
    installed = install(
        archive_of(tmp_path, signer, expires=LATER), paths.installed_packs_dir(), signer
    )
    assert installed.folder.parent == isolated_user_folders / "packs"
    library, problem = open_content()
    assert library is not None and problem is None
    assert "extra" in {pack.id for pack in library.packs()}
    library.close()
    (installed.folder / MANIFEST_NAME).write_bytes(b"{}")
    library, problem = open_content()
    assert library is not None and problem is not None
    assert "extra" not in {pack.id for pack in library.packs()}
    assert f"{installed.folder}/{MANIFEST_NAME}" in problem.message
    library.close()
    os.utime(installed.folder)  # no change of files: the notice stays at the next start
    library, again = open_content()
    assert again == problem
    library.close()  # type: ignore[union-attr]


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks")
def test_a_cycle_of_links_in_the_packs_folder_cannot_hang_the_start(
    tmp_path: Path, signer: Signer, packs_root: Path, content: Path
) -> None:
    loop = packs_root / "loop"
    loop.mkdir(parents=True)
    for name in "abcd":
        os.symlink(".", loop / name)  # 4 links to itself: 4**40 paths if followed
    os.symlink(loop, packs_root / "linked")
    db = ensure_content_db(
        content, tmp_path / "cache", installed_root=packs_root, keys_dir=signer.folder
    )
    assert sorted(Path(folder).name for folder, _reason in skipped_packs(db)) == [
        "linked",
        "loop",
    ]


def test_the_macos_finder_folder_beside_the_pack_is_ignored(
    tmp_path: Path, signer: Signer, packs_root: Path
) -> None:
    archive = archive_of(tmp_path, signer)
    with zipfile.ZipFile(archive, "a") as out:
        out.writestr("__MACOSX/extra/._pack.yaml", b"\x00\x05\x16\x07")
    installed = install(archive, packs_root, signer)
    assert not (installed.folder / "__MACOSX").exists()
    assert verify_pack(installed.folder, signer.trusted, today=TODAY).ok


LINKER_MODULE = """\
---
id: linker-module
version: 1
status: source
topic: linker-topic
audience: [patient]
title: A module that links to another pack
key_message: It points to the extra pack's module.
review:
  reviewed_on: 2026-10-01
  reviewer: Tests
  next_review: 2099-10-01
  status: reviewed
sources:
  - id: linker-source
    citation: Tests. A linking source.
    url: https://example.org/linker
    date: 2026-10-01
---

## What it says

Read [the extra text](module:extra-module) too.
"""


def _bundled_with_a_linker(tmp_path: Path) -> Path:
    """Bundled packs: ``extra`` and ``linker``, whose module links to ``extra-module``."""
    content = tmp_path / "content"
    write_files(content / "extra", extra_files("2026.12.1"))
    write_files(
        content / "linker",
        {
            "pack.yaml": (
                "id: linker\nname: Linker pack\nversion: 2026.12.1\n"
                "source_locale: en\nlocales: [en]\npublisher: Tests\n"
            ),
            "topics.yaml": "topics:\n  - id: linker-topic\n    title:\n      en: Linker\n",
            "modules/linker-module.en.md": LINKER_MODULE,
        },
    )
    return content


def _extra_without_its_module(folder: Path, signer: Signer) -> Path:
    files = extra_files("2027.1")
    files["modules/other-module.en.md"] = files.pop("modules/extra-module.en.md").replace(
        "id: extra-module", "id: other-module"
    )
    write_files(folder, files)
    signer.sign(folder, expires=EXPIRES, today=TODAY)
    return folder


def test_a_pack_that_would_break_another_pack_is_refused_at_install(
    tmp_path: Path, signer: Signer, packs_root: Path
) -> None:
    content = _bundled_with_a_linker(tmp_path)
    pack = _extra_without_its_module(tmp_path / "build" / "extra", signer)
    archive = zip_folder(pack, tmp_path / "extra.zip", "extra")
    with pytest.raises(PackInstallError, match="unknown-module-link"):
        install(
            archive,
            packs_root,
            signer,
            bundled_folders=[content / "extra", content / "linker"],
        )
    assert tree(packs_root) == {} or not any(packs_root.iterdir())


def test_an_installed_pack_that_breaks_another_is_left_out_of_the_build(
    tmp_path: Path, signer: Signer, packs_root: Path
) -> None:
    content = _bundled_with_a_linker(tmp_path)
    pack = _extra_without_its_module(tmp_path / "build" / "extra", signer)
    shutil.copytree(pack, packs_root / "extra-2027.1")  # as an older app may have installed it
    report = build_content_db(
        content, tmp_path / "c.db", installed_root=packs_root, trusted_keys_dir=signer.folder
    )
    assert report.installed == ()
    with sqlite3.connect(report.path) as connection:
        ids = {row[0] for row in connection.execute("SELECT id FROM modules")}
    assert {"extra-module", "linker-module"} <= ids
    assert any("extra-2027.1" in str(skipped) for skipped in skipped_packs(report.path))


def test_folders_left_by_an_interrupted_install_are_swept_later(
    tmp_path: Path, signer: Signer, packs_root: Path
) -> None:
    packs_root.mkdir(parents=True)
    old_staging = packs_root / ".staging-abandoned"
    old_retired = packs_root / ".retired-extra-1"
    recent = packs_root / ".staging-running"
    for folder in (old_staging, old_retired, recent):
        (folder / "modules").mkdir(parents=True)
    two_hours_ago = time.time() - 7200
    for folder in (old_staging, old_retired):
        os.utime(folder, (two_hours_ago, two_hours_ago))
    install(archive_of(tmp_path, signer), packs_root, signer)
    assert not old_staging.exists() and not old_retired.exists()
    assert recent.exists()  # may belong to an install still running
