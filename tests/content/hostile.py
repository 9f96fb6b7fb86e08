"""Hostile pack archives, made on the spot: traversal, links, bombs, tricks.

``build_all(folder)`` writes every archive into ``folder`` and returns the cases.
Each case names what the extraction must say when it refuses the archive, so a
test cannot pass because an archive was refused for the wrong reason.
Absolute-path cases aim at ``folder/escaped/``; relative traversal climbs out of
the staging folder: a test checks that neither place gains a file.
"""

from __future__ import annotations

import io
import random
import stat
import struct
import tarfile
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from sdm_app.content.archive import ArchiveLimits

MIB = 1024 * 1024
BOMB_BYTES = 256 * MIB
REGULAR = (stat.S_IFREG | 0o644) << 16
SMALL = ArchiveLimits(max_entries=50, max_file_bytes=1 * MIB, max_total_bytes=2 * MIB, max_depth=16)


@dataclass(frozen=True)
class Case:
    name: str
    archive: Path
    says: str  # a fragment of the refusal message
    limits: ArchiveLimits | None = None


# A zip writer that writes whatever it is told ---------------------------------------------


@dataclass(frozen=True)
class Raw:
    name: bytes
    payload: bytes = b""  # the stored bytes (deflated already when method is 8)
    method: int = 0
    plain_crc: int | None = None
    size: int | None = None  # the declared uncompressed size
    external: int = REGULAR
    flags: int = 0x800
    system: int = 3
    local_name: bytes | None = None

    def crc(self) -> int:
        return self.plain_crc if self.plain_crc is not None else zlib.crc32(self.payload)

    def declared_size(self) -> int:
        return self.size if self.size is not None else len(self.payload)

    def local_header(self) -> bytes:
        name = self.local_name if self.local_name is not None else self.name
        return struct.pack(
            "<4s2B4HL2L2H", b"PK\x03\x04", 20, 0, self.flags, self.method, 0, 0x21,
            self.crc(), len(self.payload), self.declared_size(), len(name), 0,
        ) + name  # fmt: skip

    def central_record(self, offset: int) -> bytes:
        return struct.pack(
            "<4s4B4HL2L5H2L", b"PK\x01\x02", 20, self.system, 20, 0, self.flags,
            self.method, 0, 0x21, self.crc(), len(self.payload), self.declared_size(),
            len(self.name), 0, 0, 0, 0, self.external, offset,
        ) + self.name  # fmt: skip


def finish_zip(path: Path, body: bytes, records: list[bytes], declared: int | None = None) -> Path:
    """Write ``body`` (local headers and data), the central directory and the end record."""
    directory = b"".join(records)
    count = len(records) if declared is None else declared
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(directory), len(body), 0)
    path.write_bytes(body + directory + end)
    return path


def raw_zip(path: Path, entries: list[Raw], *, declared_entries: int | None = None) -> Path:
    body = bytearray()
    records = []
    for entry in entries:
        records.append(entry.central_record(len(body)))
        body += entry.local_header() + entry.payload
    return finish_zip(path, bytes(body), records, declared_entries)


def overlapping_zip(path: Path, copies: int) -> Path:
    """Entries whose data holds the next entry whole (the shape of a 'non-recursive' bomb)."""
    inner = Raw(b"m/0.md", b"x")
    body = inner.local_header() + inner.payload
    offsets = [0]
    for number in range(1, copies):
        outer = Raw(f"m/{number}.md".encode(), body)  # stored: its data is the entries after
        body = outer.local_header() + body
        offsets = [0] + [offset + len(outer.local_header()) for offset in offsets]
    entries = [Raw(f"m/{copies - 1 - n}.md".encode(), b"") for n in range(copies)]
    records = []
    for entry, offset in zip(entries, offsets, strict=True):
        local = body[offset:]
        compressed = struct.unpack_from("<L", local, 18)[0]
        data_at = offset + 30 + struct.unpack_from("<H", local, 26)[0]
        records.append(
            replace(entry, payload=body[data_at : data_at + compressed]).central_record(offset)
        )
    return finish_zip(path, body, records)


def deflated_zeros(count: int) -> tuple[bytes, int]:
    """Raw deflate of ``count`` zero bytes, made in chunks; and the CRC of the zeros."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = bytes(MIB)
    parts, crc, left = [], 0, count
    while left:
        piece = chunk[: min(MIB, left)]
        parts.append(compressor.compress(piece))
        crc = zlib.crc32(piece, crc)
        left -= len(piece)
    parts.append(compressor.flush())
    return b"".join(parts), crc


def zip_with(path: Path, members: Sequence[tuple[str | zipfile.ZipInfo, bytes]]) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names: we want them
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
            for name, data in members:
                out.writestr(name, data)
    return path


def zip_info(name: str, mode: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = mode << 16
    info.create_system = 3
    return info


# Tar ------------------------------------------------------------------------------------


class _Zeros(io.RawIOBase):
    def __init__(self, size: int) -> None:
        self.left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        count = min(len(buffer), self.left)
        buffer[:count] = bytes(count)
        self.left -= count
        return count


def tar_with(
    path: Path,
    members: Sequence[tuple[tarfile.TarInfo, bytes | None]],
    mode: str = "w",
    tar_format: int = tarfile.PAX_FORMAT,
) -> Path:
    with tarfile.open(path, mode, format=tar_format) as out:  # type: ignore[call-overload]
        for info, data in members:
            if data is None:
                out.addfile(info)
            else:
                info.size = len(data)
                out.addfile(info, io.BytesIO(data))
    return path


def tar_info(name: str, kind: bytes = tarfile.REGTYPE, **fields: object) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    for key, value in fields.items():
        setattr(info, key, value)
    return info


# The cases ------------------------------------------------------------------------------------

_CORPUS: tuple[Path, dict[str, Case]] | None = None


def corpus(factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Case]]:
    """The corpus, built once per test run (the bombs take a couple of seconds)."""
    global _CORPUS
    if _CORPUS is None:
        folder = factory.mktemp("hostile")
        _CORPUS = folder, {case.name: case for case in build_all(folder)}
    return _CORPUS


def build_all(folder: Path) -> list[Case]:
    folder.mkdir(parents=True, exist_ok=True)
    escaped = folder / "escaped"
    cases: list[Case] = []

    def add(
        name: str, says: str, limits: ArchiveLimits | None = None
    ) -> Callable[[Callable[[Path], Path]], None]:
        def register(make: Callable[[Path], Path]) -> None:
            cases.append(Case(name, make(folder / name), says, limits))

        return register

    ok = ("pack.yaml", b"id: x\n")

    # Paths -----------------------------------------------------------------------------
    add("zip-parent", "'..'")(
        lambda p: zip_with(p.with_suffix(".zip"), [ok, ("../../escaped.txt", b"x")])
    )
    add("zip-inner-parent", "'..'")(
        lambda p: zip_with(p.with_suffix(".zip"), [ok, ("modules/../../../escaped.txt", b"x")])
    )
    add("zip-absolute", "absolute")(
        lambda p: zip_with(p.with_suffix(".zip"), [ok, (f"{escaped}/abs.txt", b"x")])
    )
    add("zip-drive-letter", "drive letter")(
        lambda p: zip_with(p.with_suffix(".zip"), [ok, ("C:/Windows/escaped.txt", b"x")])
    )
    add("zip-drive-relative", "drive letter")(
        lambda p: zip_with(p.with_suffix(".zip"), [ok, ("C:escaped.txt", b"x")])
    )
    add("zip-backslash-parent", "backslash")(
        lambda p: zip_with(p.with_suffix(".zip"), [ok, ("..\\..\\escaped.txt", b"x")])
    )
    add("zip-unc-path", "backslash")(
        lambda p: zip_with(p.with_suffix(".zip"), [ok, ("\\\\server\\share\\escaped.txt", b"x")])
    )
    add("zip-dot-segment", "'..' or '.'")(
        lambda p: zip_with(p.with_suffix(".zip"), [ok, ("modules/./x.en.md", b"x")])
    )
    add("zip-empty-segment", "empty folder name")(
        lambda p: zip_with(p.with_suffix(".zip"), [ok, ("modules//x.en.md", b"x")])
    )
    add("zip-too-deep", "folders deep")(
        lambda p: zip_with(p.with_suffix(".zip"), [ok, ("/".join(["d"] * 40) + "/x", b"x")])
    )
    add("zip-nul-in-name", "U+0000")(
        lambda p: raw_zip(
            p.with_suffix(".zip"), [Raw(b"pack.yaml"), Raw(b"escaped.txt\x00.md", b"x")]
        )
    )
    add("zip-control-chars", "U+001B")(
        lambda p: zip_with(p.with_suffix(".zip"), [ok, ("modules/\x1b[2Jx.en.md", b"x")])
    )
    add("zip-newline-in-name", "U+000A")(
        lambda p: zip_with(p.with_suffix(".zip"), [ok, ("modules/x\n.en.md", b"x")])
    )
    add("zip-bidi-override", "U+202E")(
        lambda p: zip_with(p.with_suffix(".zip"), [ok, ("modules/x\u202edm.ne.exe", b"x")])
    )
    add("zip-windows-device", "reserved by Windows")(
        lambda p: zip_with(p.with_suffix(".zip"), [ok, ("modules/CON.en.md", b"x")])
    )
    add("zip-trailing-dot", "ends with a dot")(
        lambda p: zip_with(p.with_suffix(".zip"), [ok, ("modules/x.en.md.", b"x")])
    )
    add("zip-bad-utf8-name", "not UTF-8")(
        lambda p: raw_zip(p.with_suffix(".zip"), [Raw(b"pack.yaml"), Raw(b"\xff\xfe.md", b"x")])
    )

    # Duplicates ----------------------------------------------------------------------------
    add("zip-duplicate", "second entry")(
        lambda p: zip_with(p.with_suffix(".zip"), [ok, ("pack.yaml", b"id: evil\n")])
    )
    add("zip-case-duplicate", "second entry")(
        lambda p: zip_with(p.with_suffix(".zip"), [ok, ("PACK.yaml", b"id: evil\n")])
    )
    nfc = unicodedata.normalize("NFC", "modules/caf\u00e9.en.md")
    nfd = unicodedata.normalize("NFD", nfc)
    add("zip-unicode-duplicate", "second entry")(
        lambda p: zip_with(p.with_suffix(".zip"), [ok, (nfc, b"a"), (nfd, b"b")])
    )
    add("zip-file-then-folder", "used as a folder")(
        lambda p: zip_with(p.with_suffix(".zip"), [ok, ("modules", b"x"), ("modules/x", b"y")])
    )
    add("zip-folder-then-file", "same name as a folder")(
        lambda p: zip_with(p.with_suffix(".zip"), [ok, ("modules/x", b"y"), ("Modules", b"x")])
    )

    # Links and special files --------------------------------------------------------------
    add("zip-symlink", "a link")(
        lambda p: zip_with(
            p.with_suffix(".zip"),
            [ok, (zip_info("topics.yaml", stat.S_IFLNK | 0o777), b"/etc/passwd")],
        )
    )
    add("zip-symlink-then-write", "a link")(
        lambda p: zip_with(
            p.with_suffix(".zip"),
            [ok, (zip_info("up", stat.S_IFLNK | 0o777), b".."), ("up/escaped.txt", b"x")],
        )
    )
    add("zip-windows-reparse-point", "a link")(
        lambda p: raw_zip(
            p.with_suffix(".zip"), [Raw(b"pack.yaml"), Raw(b"link", b"x", external=0x400, system=0)]
        )
    )
    add("zip-char-device", "device")(
        lambda p: zip_with(
            p.with_suffix(".zip"), [ok, (zip_info("tty", stat.S_IFCHR | 0o666), b"")]
        )
    )
    add("zip-fifo", "device, pipe")(
        lambda p: zip_with(
            p.with_suffix(".zip"), [ok, (zip_info("pipe", stat.S_IFIFO | 0o666), b"")]
        )
    )

    # Bombs and sizes --------------------------------------------------------------------------
    bomb, bomb_crc = deflated_zeros(BOMB_BYTES)
    mid_bomb, mid_crc = deflated_zeros(60 * MIB)  # under the file size limit
    add("zip-bomb", "compression bomb")(
        lambda p: raw_zip(
            p.with_suffix(".zip"),
            [Raw(b"pack.yaml"), Raw(b"modules/bomb.en.md", mid_bomb, 8, mid_crc, 60 * MIB)],
        )
    )
    add("zip-bomb-256mib", "larger than 64 MiB")(
        lambda p: raw_zip(
            p.with_suffix(".zip"),
            [Raw(b"pack.yaml"), Raw(b"modules/bomb.en.md", bomb, 8, bomb_crc, BOMB_BYTES)],
        )
    )
    add("zip-bomb-lying-size", "larger than the archive says")(
        lambda p: raw_zip(
            p.with_suffix(".zip"),
            [Raw(b"pack.yaml"), Raw(b"modules/small.en.md", bomb, 8, bomb_crc, 1000)],
        )
    )
    add("zip-bomb-lying-within-limits", "compression bomb")(
        lambda p: raw_zip(
            p.with_suffix(".zip"),
            [Raw(b"pack.yaml"), Raw(b"modules/small.en.md", bomb, 8, bomb_crc, 60 * MIB)],
        )
    )
    small_bomb, small_crc = deflated_zeros(900 * 1024)  # each under the ratio floor
    add("zip-many-small-bombs", "compression bomb")(
        lambda p: raw_zip(
            p.with_suffix(".zip"),
            [Raw(b"pack.yaml")]
            + [Raw(f"m/{n}.md".encode(), small_bomb, 8, small_crc, 900 * 1024) for n in range(300)],
        )
    )
    add("zip-overlapping-entries", "overlaps another entry")(
        lambda p: overlapping_zip(p.with_suffix(".zip"), 50)
    )
    add("zip-too-many-entries", "more than 50 entries", SMALL)(
        lambda p: zip_with(p.with_suffix(".zip"), [ok] + [(f"m/{n}.md", b"x") for n in range(60)])
    )
    add("zip-entry-count-in-end-record", "more than 50000 entries")(
        lambda p: raw_zip(p.with_suffix(".zip"), [Raw(b"pack.yaml")], declared_entries=60_000)
    )
    add("zip-entry-count-lies", "more than 50 entries", SMALL)(
        lambda p: raw_zip(
            p.with_suffix(".zip"),
            [Raw(f"m/{n}.md".encode(), b"x") for n in range(60)],
            declared_entries=10,
        )
    )
    noise = random.Random(7).randbytes  # incompressible: sizes, not ratios, must trip
    add("zip-file-too-large", "larger than 1 MiB", SMALL)(
        lambda p: zip_with(p.with_suffix(".zip"), [ok, ("big.bin", noise(MIB + 1))])
    )
    add("zip-total-too-large", "more than 2 MiB", SMALL)(
        lambda p: zip_with(
            p.with_suffix(".zip"), [ok] + [(f"part{n}.bin", noise(800_000)) for n in range(4)]
        )
    )

    # Format tricks ---------------------------------------------------------------------------
    add("zip-local-name-differs", "local header does not match")(
        lambda p: raw_zip(
            p.with_suffix(".zip"),
            [Raw(b"pack.yaml"), Raw(b"topics.yaml", b"x", local_name=b"../../escaped.txt")],
        )
    )
    add("zip-encrypted", "encrypted")(
        lambda p: raw_zip(
            p.with_suffix(".zip"), [Raw(b"pack.yaml"), Raw(b"a.md", b"x", flags=0x801)]
        )
    )
    add("zip-bzip2", "compression method 12")(
        lambda p: raw_zip(p.with_suffix(".zip"), [Raw(b"pack.yaml"), Raw(b"a.md", b"BZh9", 12)])
    )
    add("zip-bad-crc", "checksum")(
        lambda p: raw_zip(
            p.with_suffix(".zip"), [Raw(b"pack.yaml"), Raw(b"a.md", b"x", plain_crc=1)]
        )
    )

    def truncated(p: Path) -> Path:
        whole = zip_with(p.with_suffix(".zip"), [ok, ("a.md", bytes(range(256)) * 400)])
        whole.write_bytes(whole.read_bytes()[:-30])
        return whole

    add("zip-truncated", "no end record")(truncated)
    add("not-an-archive", "not a zip, tar or tar.gz")(
        lambda p: (
            p.with_suffix(".zip").write_bytes(b"MZ\x90\x00" + bytes(600)),
            p.with_suffix(".zip"),
        )[1]
    )

    # Tar ----------------------------------------------------------------------------------------
    tar_ok = (tar_info("pack.yaml"), b"id: x\n")
    add("tar-parent", "'..'")(
        lambda p: tar_with(p.with_suffix(".tar"), [tar_ok, (tar_info("../../escaped.txt"), b"x")])
    )
    add("tar-absolute", "absolute")(
        lambda p: tar_with(p.with_suffix(".tar"), [tar_ok, (tar_info(f"{escaped}/abs.txt"), b"x")])
    )
    add("tar-pax-path-parent", "'..'")(
        lambda p: tar_with(
            p.with_suffix(".tar"),
            [tar_ok, (tar_info("harmless.txt", pax_headers={"path": "../../escaped.txt"}), b"x")],
        )
    )
    add("tar-symlink", "symbolic link")(
        lambda p: tar_with(
            p.with_suffix(".tar"), [tar_ok, (tar_info("up", tarfile.SYMTYPE, linkname=".."), None)]
        )
    )
    add("tar-hardlink", "hard link")(
        lambda p: tar_with(
            p.with_suffix(".tar"),
            [tar_ok, (tar_info("passwd", tarfile.LNKTYPE, linkname="/etc/passwd"), None)],
        )
    )
    add("tar-char-device", "device")(
        lambda p: tar_with(
            p.with_suffix(".tar"),
            [tar_ok, (tar_info("null", tarfile.CHRTYPE, devmajor=1, devminor=3), None)],
        )
    )
    add("tar-fifo", "pipe")(
        lambda p: tar_with(
            p.with_suffix(".tar"), [tar_ok, (tar_info("fifo", tarfile.FIFOTYPE), None)]
        )
    )
    add("tar-case-duplicate", "second entry")(
        lambda p: tar_with(p.with_suffix(".tar"), [tar_ok, (tar_info("Pack.YAML"), b"id: evil\n")])
    )
    add("tar-huge-pax-header", "header in the tar archive is too large")(
        lambda p: tar_with(
            p.with_suffix(".tar"),
            [tar_ok, (tar_info("x", tarfile.XHDTYPE), b"9 a=b\n" * (2 * MIB // 6))],
            tar_format=tarfile.USTAR_FORMAT,
        )
    )
    add("tar-huge-long-name", "header in the tar archive is too large")(
        lambda p: tar_with(
            p.with_suffix(".tar"),
            [tar_ok, (tar_info("././@LongLink", tarfile.GNUTYPE_LONGNAME), b"a" * (2 * MIB))],
            tar_format=tarfile.GNU_FORMAT,
        )
    )
    add("tar-too-many-entries", "more than 50 entries", SMALL)(
        lambda p: tar_with(
            p.with_suffix(".tar"), [tar_ok] + [(tar_info(f"m/{n}"), b"x") for n in range(60)]
        )
    )

    def tgz_bomb(p: Path) -> Path:
        path = p.with_suffix(".tar.gz")
        with tarfile.open(path, "w:gz", compresslevel=9) as out:
            info = tar_info("modules/bomb.en.md", size=BOMB_BYTES)
            out.addfile(info, io.BufferedReader(_Zeros(BOMB_BYTES), MIB))
        return path

    add("tar-gz-bomb", "compression bomb")(tgz_bomb)
    return cases
