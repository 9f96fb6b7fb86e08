"""Unpacking pack archives: good ones come out whole, hostile ones write nothing outside."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from hostile import SMALL, Case, corpus
from packfactory import write_pack
from signedpacks import tar_folder, zip_folder

from sdm_app.content.archive import (
    ArchiveError,
    ArchiveLimits,
    archive_kind,
    extract_archive,
    name_problem,
)

ROOT = Path(__file__).resolve().parents[2]
MEMORY_LIMIT_MB = 256


@pytest.fixture(scope="session")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder: Path = corpus(tmp_path_factory)[0]
    return folder


@pytest.fixture(scope="session")
def hostile_cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Case]:
    cases: dict[str, Case] = corpus(tmp_path_factory)[1]
    return cases


def snapshot(*folders: Path, skip: Path | None = None) -> dict[str, tuple[int, int]]:
    """Every file and folder under ``folders`` (except ``skip``), with size and mtime."""
    found: dict[str, tuple[int, int]] = {}
    for folder in folders:
        for current, dirs, files in os.walk(folder):
            if skip is not None:
                dirs[:] = [d for d in dirs if Path(current, d) != skip]
            for name in [*dirs, *files]:
                path = Path(current, name)
                info = path.lstat()
                found[str(path)] = (info.st_size, info.st_mtime_ns)
    return found


def test_the_corpus_is_large_and_varied(hostile_cases: dict[str, Case]) -> None:
    names = set(hostile_cases)
    assert len(names) >= 20
    for kind in ("parent", "absolute", "symlink", "bomb", "too-many-entries", "duplicate"):
        assert any(kind in name for name in names), kind
    assert any(name.startswith("tar") for name in names)


HOSTILE_NAMES = [
    "zip-parent", "zip-inner-parent", "zip-absolute", "zip-drive-letter", "zip-drive-relative",
    "zip-backslash-parent", "zip-unc-path", "zip-dot-segment", "zip-empty-segment",
    "zip-too-deep", "zip-nul-in-name", "zip-control-chars", "zip-newline-in-name",
    "zip-bidi-override", "zip-windows-device", "zip-trailing-dot", "zip-bad-utf8-name",
    "zip-duplicate", "zip-case-duplicate", "zip-unicode-duplicate", "zip-file-then-folder",
    "zip-folder-then-file", "zip-symlink", "zip-symlink-then-write",
    "zip-windows-reparse-point", "zip-char-device", "zip-fifo", "zip-bomb", "zip-bomb-256mib",
    "zip-bomb-lying-size", "zip-bomb-lying-within-limits", "zip-many-small-bombs",
    "zip-overlapping-entries", "zip-too-many-entries", "zip-entry-count-in-end-record",
    "zip-entry-count-lies", "zip-file-too-large", "zip-total-too-large",
    "zip-local-name-differs", "zip-encrypted", "zip-bzip2", "zip-bad-crc", "zip-truncated",
    "not-an-archive", "tar-parent", "tar-absolute", "tar-pax-path-parent", "tar-symlink",
    "tar-hardlink", "tar-char-device", "tar-fifo", "tar-case-duplicate", "tar-huge-pax-header",
    "tar-huge-long-name", "tar-too-many-entries", "tar-gz-bomb",
]  # fmt: skip


def test_every_corpus_case_is_tested(hostile_cases: dict[str, Case]) -> None:
    assert sorted(hostile_cases) == sorted(HOSTILE_NAMES)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_archive_is_refused_and_nothing_escapes(
    name: str, hostile_cases: dict[str, Case], hostile_dir: Path, tmp_path: Path
) -> None:
    case = hostile_cases[name]
    staging = tmp_path / "work" / "staging"
    staging.mkdir(parents=True)
    before = snapshot(tmp_path, hostile_dir, skip=staging)
    with pytest.raises(ArchiveError) as refused:
        extract_archive(case.archive, staging, case.limits)
    assert case.says in str(refused.value)
    assert "\n" not in str(refused.value)  # one line, even for names with newlines
    assert snapshot(tmp_path, hostile_dir, skip=staging) == before
    assert not (hostile_dir / "escaped").exists()
    # What was written stays inside the staging folder, with no links.
    for current, dirs, files in os.walk(staging):
        for entry in [*dirs, *files]:
            path = Path(current, entry)
            assert not path.is_symlink()
            assert path.resolve().is_relative_to(staging.resolve())


# Names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "modules/biomarker-testing.en.md",
        "glossary/zh_Hans.yaml",
        "modules/café.fr.md",
        "modules/فحص.ar.md",
        "a/b/c/d.txt",
        ".hidden",
    ],
)
def test_ordinary_names_are_allowed(name: str) -> None:
    assert name_problem(name) is None


@pytest.mark.parametrize(
    "name",
    ["", "/etc/passwd", "../x", "a/../b", "a\\b", "C:x", "a//b", "a/./b", "a/", "nul", "x ", "x."],
)
def test_unsafe_names_are_refused(name: str) -> None:
    assert name_problem(name) is not None


def test_naughty_strings_never_escape(tmp_path: Path, blns: list[str]) -> None:
    """Every naughty string as a member name: refused cleanly or written inside staging."""
    for number, text in enumerate(blns):
        staging = tmp_path / f"s{number}"
        staging.mkdir()
        single = tmp_path / f"one{number}.zip"
        with zipfile.ZipFile(single, "w") as out:
            out.writestr(f"n/{text}", b"x")
        try:
            extract_archive(single, staging)
        except ArchiveError as error:
            assert "\n" not in str(error)
        for current, _dirs, files in os.walk(staging):
            for name in files:
                assert Path(current, name).resolve().is_relative_to(staging.resolve())
        shutil.rmtree(staging)
        single.unlink()
    assert list(tmp_path.iterdir()) == []


# Good archives ------------------------------------------------------------------------------


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    folder: Path = write_pack(tmp_path / "source" / "test")
    return folder


@pytest.mark.parametrize("top", [None, "test"])
def test_a_zip_comes_out_whole(pack: Path, tmp_path: Path, top: str | None) -> None:
    archive = zip_folder(pack, tmp_path / "pack.zip", top)
    staging = tmp_path / "staging"
    staging.mkdir()
    report = extract_archive(archive, staging)
    root = report.root / top if top else report.root
    assert files_of(root) == files_of(pack)
    assert report.files == len(files_of(pack))
    assert report.size == sum(len(data) for data in files_of(pack).values())


@pytest.mark.parametrize("mode", ["w", "w:gz"])
def test_a_tar_comes_out_whole(pack: Path, tmp_path: Path, mode: str) -> None:
    archive = tar_folder(pack, tmp_path / "pack.tar", mode)  # names start with ./
    assert archive_kind(archive) == ("tar.gz" if mode == "w:gz" else "tar")
    staging = tmp_path / "staging"
    staging.mkdir()
    report = extract_archive(archive, staging)
    assert files_of(report.root) == files_of(pack)
    assert sorted(p.name for p in staging.iterdir()) == ["files"]  # scratch tar removed


def test_zip64_and_data_descriptors_are_read(pack: Path, tmp_path: Path) -> None:
    """Zips as other tools write them: zip64 records, sizes after the data."""

    class Unseekable(io.RawIOBase):
        def __init__(self) -> None:
            self.data = bytearray()

        def writable(self) -> bool:
            return True

        def write(self, data: bytes) -> int:  # type: ignore[override]
            self.data += data
            return len(data)

    stream = Unseekable()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as out:  # type: ignore[arg-type]
        for relative, data in files_of(pack).items():
            with out.open(relative, "w", force_zip64=True) as member:
                member.write(data)
    archive = tmp_path / "streamed.zip"
    archive.write_bytes(bytes(stream.data))
    staging = tmp_path / "staging"
    staging.mkdir()
    assert files_of(extract_archive(archive, staging).root) == files_of(pack)


@pytest.mark.skipif(shutil.which("zip") is None, reason="the zip command is not installed")
def test_a_zip_from_the_zip_command_is_read(pack: Path, tmp_path: Path) -> None:
    archive = tmp_path / "cli.zip"
    subprocess.run(["zip", "-qr", str(archive), "."], cwd=pack, check=True)
    staging = tmp_path / "staging"
    staging.mkdir()
    assert files_of(extract_archive(archive, staging).root) == files_of(pack)


def test_limits_hold_exactly_at_the_edge(tmp_path: Path) -> None:
    archive = tmp_path / "edge.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for number in range(SMALL.max_entries):
            out.writestr(f"m/{number}.md", b"x")
    staging = tmp_path / "staging"
    staging.mkdir()
    # 50 files and the implicit folder: the folder is not an entry of its own.
    assert extract_archive(archive, staging, SMALL).files == SMALL.max_entries


def test_a_text_file_that_compresses_well_is_not_a_bomb(tmp_path: Path) -> None:
    text = ("A biomarker test looks for changes in a tumour [@nci].\n" * 40_000).encode()
    archive = tmp_path / "text.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("modules/long.en.md", text)
    ratio = len(text) / archive.stat().st_size
    staging = tmp_path / "staging"
    staging.mkdir()
    if ratio > ArchiveLimits().max_ratio:
        with pytest.raises(ArchiveError, match="compression bomb"):
            extract_archive(archive, staging)
    else:
        assert extract_archive(archive, staging).size == len(text)


def test_a_tar_member_cut_short_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "cut.tar"
    with tarfile.open(archive, "w") as out:
        info = tarfile.TarInfo("pack.yaml")
        data = b"x" * 5000
        info.size = len(data)
        out.addfile(info, io.BytesIO(data))
    archive.write_bytes(archive.read_bytes()[:2000])
    staging = tmp_path / "staging"
    staging.mkdir()
    with pytest.raises(ArchiveError):
        extract_archive(archive, staging)


# Memory -------------------------------------------------------------------------------------

# This process's own high-water mark. Linux keeps ru_maxrss across exec, so a child
# of a large pytest process would report its parent's size: VmHWM is the child's.
PEAK_KIB = """
def peak_kib():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource, sys
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak
"""

_MEASURE = (
    PEAK_KIB
    + """
import sys, tempfile
from pathlib import Path
from sdm_app.content.archive import ArchiveError, ArchiveLimits, extract_archive

limits = ArchiveLimits(**eval(sys.argv[1]))
with tempfile.TemporaryDirectory(dir=sys.argv[2]) as work:
    for number, archive in enumerate(sys.argv[3:]):
        staging = Path(work, str(number))
        staging.mkdir()
        try:
            report = extract_archive(Path(archive), staging, limits)
            print("extracted", archive, report.size)
        except ArchiveError as error:
            print("refused", archive, error)
print("peak_kib", peak_kib())
"""
)


def peak_memory_mb(archives: list[Path], limits: str, work: Path) -> tuple[float, str]:
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, limits, str(work), *map(str, archives)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        timeout=600,
    )
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("peak_kib ")
    return int(last.split()[1]) / 1024, result.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="resource.getrusage is POSIX")
def test_peak_memory_stays_low_on_every_hostile_archive(
    hostile_cases: dict[str, Case], tmp_path: Path
) -> None:
    # The cases that need smaller limits to trip are small archives anyway.
    archives = [case.archive for case in hostile_cases.values() if case.limits is None]
    assert len(archives) >= 40
    peak, output = peak_memory_mb(archives, "{}", tmp_path)
    assert output.count("refused") == len(archives), output
    assert peak < MEMORY_LIMIT_MB, output


@pytest.mark.skipif(sys.platform == "win32", reason="resource.getrusage is POSIX")
def test_peak_memory_stays_low_even_when_a_bomb_is_unpacked_whole(
    hostile_cases: dict[str, Case], tmp_path: Path
) -> None:
    """With the ratio and size limits lifted, 256 MiB streams through in small chunks."""
    archives = [hostile_cases["zip-bomb-256mib"].archive, hostile_cases["tar-gz-bomb"].archive]
    permissive = "dict(max_ratio=1e12, max_file_bytes=2**30, max_total_bytes=2**31)"
    peak, output = peak_memory_mb(archives, permissive, tmp_path)
    assert output.count(f" {256 * 1024 * 1024}\n") == 2, output  # both came out whole
    assert peak < MEMORY_LIMIT_MB / 2, output
