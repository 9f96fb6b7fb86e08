"""Signing and verifying packs: every change to a signed pack is caught."""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from packfactory import write_pack
from signedpacks import Signer, make_signer, signed_extra_pack, write_files

from sdm_app.content.signing import (
    MANIFEST_NAME,
    SIGNATURE_NAME,
    ManifestError,
    PackVerdict,
    SigningError,
    TrustedKeys,
    generate_key_pair,
    is_older,
    load_trusted_keys,
    parse_manifest,
    parse_version,
    read_manifest_header,
    sign_pack,
    verify_pack,
)
from sdm_app.content.validate import validate_path

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 21)


@pytest.fixture
def signer(tmp_path: Path) -> Signer:
    return make_signer(tmp_path / "keys")


@pytest.fixture
def pack(tmp_path: Path, signer: Signer) -> Path:
    folder: Path = write_pack(tmp_path / "pack" / "test")
    signer.sign(folder, expires=date(2027, 6, 30), today=TODAY)
    return folder


def verify(pack: Path, trusted: TrustedKeys, **kwargs: object) -> PackVerdict:
    kwargs.setdefault("today", TODAY)
    return verify_pack(pack, trusted, **kwargs)  # type: ignore[arg-type]


def problem_files(verdict: PackVerdict, pack: Path) -> set[str]:
    return {Path(problem.file).relative_to(pack).as_posix() for problem in verdict.problems}


# Versions ------------------------------------------------------------------------------


def test_versions_compare_as_dotted_numbers() -> None:
    assert parse_version("2026.11.1") == (2026, 11, 1)
    assert is_older("2026.11.1", "2026.11.10")
    assert is_older("2026.9", "2026.10")
    assert not is_older("2026.11", "2026.11.0")  # the same version
    assert not is_older("2027.1", "2026.12.31")
    for bad in ("", "1.", ".1", "1..2", "v1", "1.a", "1.2-beta", " 1", "1e3"):
        assert parse_version(bad) is None, bad


# Keys ----------------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_keygen_writes_a_private_key_only_the_owner_can_read(tmp_path: Path) -> None:
    pair = generate_key_pair(tmp_path / "keys", "org")
    assert stat.S_IMODE(pair.private.stat().st_mode) == 0o600
    assert pair.private.name == "org.key" and pair.public.name == "org.pub"
    assert b"PRIVATE KEY" in pair.private.read_bytes()
    assert b"PUBLIC KEY" in pair.public.read_bytes()
    assert list(load_trusted_keys(tmp_path / "keys").keys) == [pair.key_id]


def test_keygen_never_overwrites_a_key(tmp_path: Path) -> None:
    pair = generate_key_pair(tmp_path, "org")
    before = pair.private.read_bytes()
    with pytest.raises(SigningError, match="already exists"):
        generate_key_pair(tmp_path, "org")
    assert pair.private.read_bytes() == before
    with pytest.raises(SigningError, match="not a usable key name"):
        generate_key_pair(tmp_path, "../escape")


def test_unusable_trusted_key_files_are_reported_and_skipped(
    tmp_path: Path, signer: Signer
) -> None:
    (signer.folder / "broken.pub").write_text("not a key")
    (signer.folder / "README.md").write_text("ignored")
    trusted = load_trusted_keys(signer.folder)
    assert list(trusted.keys) == [signer.pair.key_id]
    assert [Path(problem.file).name for problem in trusted.problems] == ["broken.pub"]
    assert load_trusted_keys(tmp_path / "no-such-folder").keys == {}


# Signing -------------------------------------------------------------------------------


def test_a_signed_pack_verifies(pack: Path, signer: Signer) -> None:
    verdict = verify(pack, signer.trusted)
    assert verdict.ok, verdict.problems
    assert (verdict.pack_id, verdict.version) == ("test", "2026.1.0")
    assert verdict.expires == date(2027, 6, 30)
    assert verdict.key_id == signer.pair.key_id
    manifest = parse_manifest((pack / MANIFEST_NAME).read_bytes())
    listed = [entry.path for entry in manifest.files]
    on_disk = sorted(
        path.relative_to(pack).as_posix()
        for path in pack.rglob("*")
        if path.is_file() and path.name not in (MANIFEST_NAME, SIGNATURE_NAME)
    )
    assert listed == on_disk and "pack.yaml" in listed
    assert read_manifest_header(pack) == ("test", "2026.1.0")


def test_signing_twice_gives_the_same_manifest(pack: Path, signer: Signer) -> None:
    first = (pack / MANIFEST_NAME).read_bytes(), (pack / SIGNATURE_NAME).read_bytes()
    signer.sign(pack, expires=date(2027, 6, 30), today=TODAY)
    assert ((pack / MANIFEST_NAME).read_bytes(), (pack / SIGNATURE_NAME).read_bytes()) == first


def test_default_expiry_is_a_year(tmp_path: Path, signer: Signer) -> None:
    folder = write_pack(tmp_path / "p")
    manifest = sign_pack(folder, signer.pair.private, today=TODAY)
    assert manifest.expires == TODAY + timedelta(days=365)


def test_sign_refuses_what_cannot_be_signed(tmp_path: Path, signer: Signer) -> None:
    folder = write_pack(tmp_path / "p")
    with pytest.raises(SigningError, match="already passed"):
        sign_pack(folder, signer.pair.private, expires=TODAY - timedelta(days=1), today=TODAY)
    with pytest.raises(SigningError, match="not an Ed25519 private key"):
        sign_pack(folder, signer.pair.public, today=TODAY)
    with pytest.raises(SigningError, match="cannot read the private key"):
        sign_pack(folder, tmp_path / "missing.key", today=TODAY)
    with pytest.raises(SigningError, match=r"no pack\.yaml"):
        sign_pack(tmp_path, signer.pair.private, today=TODAY)
    pack_yaml = folder / "pack.yaml"
    pack_yaml.write_text(pack_yaml.read_text().replace("2026.1.0", "1.0-beta"))
    with pytest.raises(SigningError, match="dotted numbers"):
        sign_pack(folder, signer.pair.private, today=TODAY)
    assert not (folder / MANIFEST_NAME).exists()


@pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="symlinks")
def test_sign_refuses_links(tmp_path: Path, signer: Signer) -> None:
    folder = write_pack(tmp_path / "p")
    os.symlink("/etc/passwd", folder / "modules" / "passwd.en.md")
    with pytest.raises(SigningError, match="a link"):
        sign_pack(folder, signer.pair.private, today=TODAY)


# Verifying: every change is caught -------------------------------------------------------


def test_one_byte_changed_in_any_file_is_refused(pack: Path, signer: Signer) -> None:
    files = sorted(
        path
        for path in pack.rglob("*")
        if path.is_file() and path.name not in (MANIFEST_NAME, SIGNATURE_NAME)
    )
    assert len(files) >= 10
    trusted = signer.trusted
    for path in files:
        original = path.read_bytes()
        for position in (0, len(original) // 2, len(original) - 1):
            changed = bytearray(original)
            changed[position] ^= 0x01
            path.write_bytes(bytes(changed))
            verdict = verify(pack, trusted)
            relative = path.relative_to(pack).as_posix()
            assert not verdict.ok
            assert relative in problem_files(verdict, pack), (relative, verdict.problems)
            assert any("changed after signing" in problem.message for problem in verdict.problems)
        path.write_bytes(original)
    assert verify(pack, trusted).ok


@pytest.mark.parametrize(
    ("name", "flips"), [(MANIFEST_NAME, (0x01,)), (SIGNATURE_NAME, (0x01, 0x20))]
)
def test_every_single_byte_change_in_manifest_or_signature_is_refused(
    tmp_path: Path, signer: Signer, name: str, flips: tuple[int, ...]
) -> None:
    pack = signed_extra_pack(tmp_path / "extra", signer, expires=date(2027, 6, 30), today=TODAY)
    path = pack / name
    original = path.read_bytes()
    trusted = signer.trusted
    accepted = []
    for position in range(len(original)):
        for flip in flips:
            changed = bytearray(original)
            changed[position] ^= flip
            path.write_bytes(bytes(changed))
            if verify(pack, trusted).ok:
                accepted.append((position, flip))
    path.write_bytes(original)
    assert accepted == []
    assert verify(pack, trusted).ok


def test_a_changed_manifest_names_the_signature(pack: Path, signer: Signer) -> None:
    manifest = pack / MANIFEST_NAME
    # A valid, canonical manifest with a later expiry: only the signature can tell.
    document = json.loads(manifest.read_text("utf-8"))
    document["expires"] = "2028-12-31"
    text = json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    manifest.write_text(text, "utf-8")
    verdict = verify(pack, signer.trusted)
    assert [Path(p.file).name for p in verdict.problems] == [SIGNATURE_NAME]
    assert "signature does not match" in verdict.problems[0].message


def test_an_unknown_key_is_refused(pack: Path, tmp_path: Path) -> None:
    stranger = make_signer(tmp_path / "stranger", "stranger")
    verdict = verify(pack, stranger.trusted)
    assert not verdict.ok
    assert any("not a trusted key" in problem.message for problem in verdict.problems)
    assert not verify(pack, TrustedKeys()).ok


def test_a_pack_re_signed_by_another_key_is_refused(
    pack: Path, signer: Signer, tmp_path: Path
) -> None:
    stranger = make_signer(tmp_path / "stranger", "stranger")
    stranger.sign(pack, today=TODAY)
    verdict = verify(pack, signer.trusted)
    assert any("not a trusted key" in problem.message for problem in verdict.problems)


def test_an_expired_pack_is_refused(pack: Path, signer: Signer) -> None:
    assert verify(pack, signer.trusted, today=date(2027, 6, 30)).ok  # its last day
    verdict = verify(pack, signer.trusted, today=date(2027, 7, 1))
    assert [problem.message for problem in verdict.problems] == [
        "the pack expired on 2027-06-30; ask its publisher for a newer one"
    ]
    assert Path(verdict.problems[0].file).name == MANIFEST_NAME


def test_an_older_version_is_refused(pack: Path, signer: Signer) -> None:
    for in_use in ("2026.1.0", "2026.0.9", "2025.12"):
        assert verify(pack, signer.trusted, installed_version=in_use).ok, in_use
    verdict = verify(pack, signer.trusted, installed_version="2026.1.1")
    assert [problem.message for problem in verdict.problems] == [
        "version 2026.1.0 is older than the version in use, 2026.1.1"
    ]


def test_added_removed_and_renamed_files_are_refused(pack: Path, signer: Signer) -> None:
    trusted = signer.trusted
    (pack / "modules" / "new.en.md").write_text("added", "utf-8")
    assert problem_files(verify(pack, trusted), pack) == {"modules/new.en.md"}
    (pack / "modules" / "new.en.md").unlink()
    (pack / "topics.yaml").rename(pack / "topics2.yaml")
    verdict = verify(pack, trusted)
    assert problem_files(verdict, pack) == {"topics.yaml", "topics2.yaml"}
    messages = {problem.message for problem in verdict.problems}
    assert "listed in the manifest but missing" in messages
    (pack / "topics2.yaml").rename(pack / "topics.yaml")
    (pack / SIGNATURE_NAME).unlink()
    assert problem_files(verify(pack, trusted), pack) == {SIGNATURE_NAME}
    (pack / MANIFEST_NAME).unlink()
    assert problem_files(verify(pack, trusted), pack) >= {MANIFEST_NAME, SIGNATURE_NAME}


@pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="symlinks")
def test_a_link_in_a_pack_is_refused(pack: Path, signer: Signer) -> None:
    target = pack / "topics.yaml"
    moved = pack.parent / "topics.yaml"
    shutil.move(target, moved)
    os.symlink(moved, target)  # same bytes, reached through a link
    verdict = verify(pack, signer.trusted)
    assert "topics.yaml" in problem_files(verdict, pack)
    assert any("link" in problem.message for problem in verdict.problems)


def test_pack_yaml_must_agree_with_the_manifest(tmp_path: Path, signer: Signer) -> None:
    folder = signed_extra_pack(tmp_path / "extra", signer, today=TODAY)
    assert verify(folder, signer.trusted).ok
    # A publisher who edits pack.yaml and signs the old manifest again cannot
    # slip a version past: the manifest is rebuilt from pack.yaml at each signing.
    write_files(folder, {"pack.yaml": (folder / "pack.yaml").read_text().replace("12.1", "12.2")})
    assert not verify(folder, signer.trusted).ok
    signer.sign(folder, today=TODAY)
    assert verify(folder, signer.trusted).version == "2026.12.2"


def test_only_the_canonical_manifest_form_is_read(pack: Path) -> None:
    data = (pack / MANIFEST_NAME).read_bytes()
    assert parse_manifest(data).pack_id == "test"
    document = json.loads(data)
    for variant in (
        json.dumps(document).encode(),  # other whitespace
        data.rstrip(b"\n"),
        data.replace(b'"format": 1', b'"format": 1.0'),
        data[:-2] + b',\n  "pack": "other"\n}\n',  # a duplicate key
    ):
        with pytest.raises(ManifestError):
            parse_manifest(variant)
    bad_path = dict(document, files=[dict(document["files"][0], path="../escape")])
    text = json.dumps(bad_path, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    with pytest.raises(ManifestError, match="not allowed"):
        parse_manifest(text.encode())


def test_verify_never_raises_on_garbage(tmp_path: Path, signer: Signer) -> None:
    folder = tmp_path / "junk"
    folder.mkdir()
    (folder / MANIFEST_NAME).write_bytes(b"\xff\xfe{not json")
    (folder / SIGNATURE_NAME).write_bytes(b"\x00" * 2000)
    verdict = verify(folder, signer.trusted)
    assert not verdict.ok
    assert not verify(tmp_path / "missing", signer.trusted).ok


def test_a_signed_bundled_pack_still_passes_the_content_check(
    tmp_path: Path, signer: Signer
) -> None:
    core = tmp_path / "content" / "core"
    shutil.copytree(ROOT / "content" / "core", core)
    before = [p for p in validate_path(tmp_path / "content") if p.is_error]
    signer.sign(core)
    assert verify_pack(core, signer.trusted).ok
    after = [p for p in validate_path(tmp_path / "content") if p.is_error]
    assert after == before


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes and pipes")
def test_a_private_key_that_others_can_read_or_that_never_ends_is_refused(
    tmp_path: Path,
) -> None:
    pack = write_pack(tmp_path / "pack")
    pair = generate_key_pair(tmp_path / "keys", "org")
    os.chmod(pair.private, 0o644)
    with pytest.raises(SigningError, match="can be read by other users"):
        sign_pack(pack, pair.private)
    fifo = tmp_path / "key.fifo"
    os.mkfifo(fifo)
    with pytest.raises(SigningError, match="not a regular file"):
        sign_pack(pack, fifo)  # returns at once: a pipe would wait forever
    with pytest.raises(SigningError, match="not a regular file"):
        sign_pack(pack, Path("/dev/zero"))


def test_an_expiry_more_than_five_years_away_is_refused(signer: Signer, tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "pack")
    with pytest.raises(SigningError, match="more than five years away"):
        sign_pack(folder, signer.pair.private, expires=date(9999, 12, 31), today=TODAY)
    # A manifest that says so is refused at verification too.
    signer.sign(folder, expires=TODAY + timedelta(days=365), today=TODAY)
    later = verify_pack(folder, load_trusted_keys(signer.folder), today=TODAY)
    assert later.ok
    far = verify_pack(
        folder, load_trusted_keys(signer.folder), today=TODAY - timedelta(days=6 * 366)
    )
    assert not far.ok and any("five years" in str(p) for p in far.problems)
