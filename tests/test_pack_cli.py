"""sdm-app content keygen, sign, verify and install, run as publishers and users run them."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from sdm_app import cli, paths
from tests.test_cli import sdm_app as run_sdm_app

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "content"))

from signedpacks import extra_files, write_files, zip_folder  # noqa: E402


def sdm_app(*args: str) -> subprocess.CompletedProcess[str]:
    # Messages in the source language, whatever the machine's.
    return run_sdm_app(*args, env_extra={"LANG": "C"})


@pytest.fixture
def signed(tmp_path: Path) -> tuple[Path, Path]:
    """``(pack folder, trusted keys folder)``, made with the commands themselves."""
    keys = tmp_path / "keys"
    made = sdm_app("content", "keygen", "--out", str(keys), "--name", "org")
    assert made.returncode == 0, made.stderr
    assert "Key id: " in made.stdout
    trusted = tmp_path / "trusted"
    trusted.mkdir()
    (trusted / "org.pub").write_bytes((keys / "org.pub").read_bytes())
    pack = write_files(tmp_path / "extra", extra_files())
    result = sdm_app("content", "sign", str(pack), "--key", str(keys / "org.key"))
    assert result.returncode == 0, result.stderr
    assert "pack extra version 2026.12.1, 4 files" in result.stdout
    return pack, trusted


def test_a_signed_pack_verifies(signed: tuple[Path, Path]) -> None:
    pack, trusted = signed
    result = sdm_app("content", "verify", str(pack), "--trusted-keys", str(trusted))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(f"{pack}: valid: pack extra version 2026.12.1, 4 files")


def test_verify_names_every_problem_file_on_its_own_line(signed: tuple[Path, Path]) -> None:
    pack, trusted = signed
    (pack / "topics.yaml").write_text("topics: []\n", "utf-8")
    (pack / "modules" / "added.en.md").write_text("added", "utf-8")
    (pack / "glossary" / "en.yaml").unlink()
    result = sdm_app("content", "verify", str(pack), "--trusted-keys", str(trusted))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{pack}/modules/added.en.md: not listed in the manifest (added after signing)",
        f"{pack}/topics.yaml: changed after signing (its SHA-256 differs)",
        f"{pack}/glossary/en.yaml: listed in the manifest but missing",
    ]
    assert "refused" in result.stderr


def test_verify_refuses_an_unknown_key(signed: tuple[Path, Path], tmp_path: Path) -> None:
    pack, _trusted = signed
    empty = tmp_path / "nobody"
    empty.mkdir()
    result = sdm_app("content", "verify", str(pack), "--trusted-keys", str(empty))
    assert result.returncode == 1
    [line] = result.stdout.splitlines()
    assert line.startswith(f"{pack}/manifest.sig: signed with key ")
    assert line.endswith("which is not a trusted key")


def test_verify_reads_an_archive(signed: tuple[Path, Path], tmp_path: Path) -> None:
    pack, trusted = signed
    archive = zip_folder(pack, tmp_path / "extra.zip", "extra")
    result = sdm_app("content", "verify", str(archive), "--trusted-keys", str(trusted))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(f"{archive}/extra: valid")
    hostile = tmp_path / "hostile.zip"
    with zipfile.ZipFile(hostile, "w") as out:
        out.writestr("../../escaped.txt", "x")
    result = sdm_app("content", "verify", str(hostile), "--trusted-keys", str(trusted))
    assert result.returncode == 1
    assert result.stderr.strip() == f"{hostile}: '../../escaped.txt': '..' or '.' in the path"
    assert not (tmp_path.parent / "escaped.txt").exists()


def test_sign_refuses_a_bad_date(signed: tuple[Path, Path], tmp_path: Path) -> None:
    pack, _trusted = signed
    key = tmp_path / "keys" / "org.key"
    result = sdm_app("content", "sign", str(pack), "--key", str(key), "--expires", "31/12/2027")
    assert result.returncode == 2 and "YYYY-MM-DD" in result.stderr
    result = sdm_app("content", "sign", str(pack), "--key", str(key), "--expires", "2001-01-01")
    assert result.returncode == 1 and "already passed" in result.stderr


def test_keygen_refuses_to_overwrite(signed: tuple[Path, Path], tmp_path: Path) -> None:
    result = sdm_app("content", "keygen", "--out", str(tmp_path / "keys"), "--name", "org")
    assert result.returncode == 1 and "already exists" in result.stderr


def test_install_into_the_user_folder(
    signed: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    isolated_user_folders: Path,
) -> None:
    pack, trusted = signed
    monkeypatch.setattr(paths, "trusted_keys_dir", lambda: trusted)
    archive = zip_folder(pack, tmp_path / "extra.zip")
    assert cli.main(["content", "install", str(archive)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Installed pack extra version 2026.12.1 in ")
    [folder] = (isolated_user_folders / "packs").iterdir()
    assert folder.name.startswith("extra-2026.12.1-")

    (pack / "topics.yaml").write_text("topics: []\n", "utf-8")
    tampered = zip_folder(pack, tmp_path / "tampered.zip")
    assert cli.main(["content", "install", str(tampered)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "tampered.zip/topics.yaml: changed after signing (its SHA-256 differs)",
        "The pack was not installed; the packs already installed are unchanged.",
    ]
    assert list((isolated_user_folders / "packs").iterdir()) == [folder]
