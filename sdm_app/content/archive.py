"""Unpacking a content pack archive (zip, tar or tar.gz) into a staging folder.

Nothing in the archive is trusted. Members are read one by one, in small chunks,
and written with our own ``open`` calls (never ``extractall``):

- a name must be a plain relative path: no absolute path, drive letter, backslash,
  ``..`` or ``.``, empty segment, control or invisible character, or a name that
  Windows cannot hold; two names that differ only in case or Unicode form are
  duplicates;
- only regular files and folders: links, devices and pipes are refused;
- limits on the number of entries, the size of each file and of all files, and
  the compression ratio, all measured on the bytes really produced while reading
  (the sizes an archive declares are checked too, but never relied on);
- zip entries must not overlap (a trick of compression bombs), must use stored or
  deflate, must not be encrypted, and their local header must agree with the
  central directory; zip files are parsed here, so the central directory is
  streamed rather than loaded whole.

Files are created with ``O_EXCL`` (and ``O_NOFOLLOW`` where the system has it), so
an extraction can neither overwrite a file nor follow a link. Memory use stays
at a few chunks of 64 KiB whatever the archive holds.
"""

from __future__ import annotations

import bisect
import contextlib
import gzip
import os
import stat
import struct
import tarfile
import unicodedata
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sdm_app.i18n import _

KIB = 1024
MIB = 1024 * KIB
CHUNK = 64 * KIB

FILES_FOLDER = "files"  # inside the staging folder: what the archive holds
_SCRATCH_TAR = "archive.tar"  # inside the staging folder: a tar.gz, decompressed


@dataclass(frozen=True, slots=True)
class ArchiveLimits:
    """What an archive may hold; content/README.md lists these for publishers."""

    max_entries: int = 50_000
    max_file_bytes: int = 64 * MIB
    max_total_bytes: int = 1024 * MIB
    max_ratio: float = 100.0  # uncompressed bytes per compressed byte
    ratio_floor_bytes: int = 1 * MIB  # ratios are judged once this much came out
    max_path_chars: int = 512
    max_depth: int = 16
    max_header_bytes: int = 1 * MIB  # one tar header (long names, pax records)


class ArchiveError(Exception):
    """The archive is refused; the message says why, for the user."""


@dataclass(frozen=True, slots=True)
class ExtractReport:
    root: Path  # the folder holding what the archive held
    files: int
    directories: int
    size: int  # bytes written


def _visible(char: str) -> str:
    if char.isprintable() and char not in "\\'":
        return char
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def shown_name(name: str) -> str:
    """A member name fit for a one-line message: invisible characters made visible."""
    shown = "".join(_visible(char) for char in name[:200])
    return f"'{shown}'" + ("..." if len(name) > 200 else "")


# Names ----------------------------------------------------------------------------

_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{digit}" for digit in range(10)}
    | {f"lpt{digit}" for digit in range(10)}
)
_BAD_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Cn", "Co", "Zl", "Zp"})
_WINDOWS_FORBIDDEN = frozenset('*?"<>|')


def name_problem(name: str, limits: ArchiveLimits | None = None) -> str | None:
    """Why ``name`` (a relative path with ``/``) is not allowed in a pack, or None."""
    limits = limits or ArchiveLimits()
    if not name:
        return _("an empty name")
    if len(name) > limits.max_path_chars:
        return _("a name longer than {limit} characters").format(limit=limits.max_path_chars)
    for char in name:
        if char == "\\":
            return _("a backslash in the name (names must use '/')")
        if char == ":":
            return _("a drive letter or ':' in the name")
        if char in _WINDOWS_FORBIDDEN:
            return _("the character {char} is not allowed in a name").format(char=char)
        if unicodedata.category(char) in _BAD_CATEGORIES:
            return _("a control or invisible character (U+{code:04X}) in the name").format(
                code=ord(char)
            )
    if name.startswith("/"):
        return _("an absolute path")
    parts = name.split("/")
    if len(parts) > limits.max_depth:
        return _("more than {limit} folders deep").format(limit=limits.max_depth)
    for part in parts:
        if part in ("..", "."):
            return _("'..' or '.' in the path")
        if not part:
            return _("an empty folder name ('//')")
        if part != part.strip() or part.endswith("."):
            return _("a name that starts or ends with a space, or ends with a dot")
        if len(part.encode("utf-8")) > 255:
            return _("a file or folder name longer than 255 bytes")
        if part.split(".")[0].lower() in _WINDOWS_RESERVED:
            return _("a name reserved by Windows ({name})").format(name=part)
    return None


def _name_key(part: str) -> str:
    """Equal for names a case-insensitive or normalising file system would merge."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", part).casefold())


class _Names:
    """Every name seen so far, to refuse duplicates and file/folder clashes."""

    def __init__(self) -> None:
        self.files: set[tuple[str, ...]] = set()
        self.folders: set[tuple[str, ...]] = set()
        self.explicit_folders: set[tuple[str, ...]] = set()

    def add(self, parts: list[str], is_dir: bool) -> str | None:
        key = tuple(_name_key(part) for part in parts)
        for depth in range(1, len(key)):
            if key[:depth] in self.files:
                return _("a file of the same name is used as a folder")
        if key in self.files:
            return _("a second entry with this name (names are compared ignoring case)")
        if is_dir:
            if key in self.explicit_folders:
                return _("a second entry with this name (names are compared ignoring case)")
            self.explicit_folders.add(key)
        elif key in self.folders:
            return _("a file of the same name as a folder")
        else:
            self.files.add(key)
        for depth in range(1, len(key) + (1 if is_dir else 0)):
            self.folders.add(key[:depth])
        return None


# Writing --------------------------------------------------------------------------

_OPEN_FLAGS = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


class _Extraction:
    """Checks each entry and writes it below ``root``, keeping the running totals."""

    def __init__(self, root: Path, limits: ArchiveLimits) -> None:
        self.root = root
        self.limits = limits
        self.names = _Names()
        self.entries = 0
        self.files = 0
        self.directories = 0
        self.total_out = 0  # uncompressed bytes written, all entries
        self.total_in = 0  # compressed bytes read, all entries

    def fail(self, name: str, problem: str) -> ArchiveError:
        return ArchiveError(_("{name}: {problem}").format(name=shown_name(name), problem=problem))

    def entry(self, name: str, is_dir: bool) -> list[str] | None:
        """The path parts of a new entry, after every check on its name.

        None for the archive's own top folder (``./`` in many tar files).
        """
        while name.startswith("./"):
            name = name[2:]  # ``tar -C folder -c .`` writes names this way
        if is_dir and name in ("", "."):
            return None
        self.entries += 1
        if self.entries > self.limits.max_entries:
            raise ArchiveError(
                _("the archive has more than {limit} entries").format(limit=self.limits.max_entries)
            )
        problem = name_problem(name, self.limits)
        if problem is not None:
            raise self.fail(name, problem)
        parts = name.split("/")
        problem = self.names.add(parts, is_dir)
        if problem is not None:
            raise self.fail(name, problem)
        return parts

    def make_folders(self, name: str, parts: list[str]) -> Path:
        folder = self.root
        for part in parts:
            folder = folder / part
            with contextlib.suppress(FileExistsError):
                os.mkdir(folder, 0o755)
            # Never a link, whatever raced us: everything below root is ours.
            if not stat.S_ISDIR(os.lstat(folder).st_mode):
                raise self.fail(name, _("a folder in the path is not a folder"))
        return folder

    def directory(self, name: str, parts: list[str]) -> None:
        self.make_folders(name, parts)
        self.directories += 1

    @contextlib.contextmanager
    def open_file(self, name: str, parts: list[str]) -> Iterator[_Sink]:
        folder = self.make_folders(name, parts[:-1])
        target = folder / parts[-1]
        try:
            descriptor = os.open(target, _OPEN_FLAGS, 0o644)
        except OSError as error:
            reason = error.strerror
            raise self.fail(name, _("cannot be written ({reason})").format(reason=reason)) from None
        with os.fdopen(descriptor, "wb") as handle:
            sink = _Sink(self, name, handle)
            yield sink
        self.files += 1


class _Sink:
    """Where one file's bytes go: every chunk is counted against the limits."""

    def __init__(self, extraction: _Extraction, name: str, handle: BinaryIO) -> None:
        self.extraction = extraction
        self.name = name
        self.handle = handle
        self.written = 0
        self.consumed = 0  # compressed bytes behind what was written (zip only)
        self.crc = 0

    def read_compressed(self, count: int) -> None:
        self.consumed += count
        self.extraction.total_in += count

    def write(self, data: bytes) -> None:
        if not data:
            return
        extraction, limits = self.extraction, self.extraction.limits
        self.written += len(data)
        extraction.total_out += len(data)
        if self.written > limits.max_file_bytes:
            raise extraction.fail(
                self.name,
                _("larger than {limit} MiB").format(limit=limits.max_file_bytes // MIB),
            )
        if extraction.total_out > limits.max_total_bytes:
            raise ArchiveError(
                _("the archive holds more than {limit} MiB").format(
                    limit=limits.max_total_bytes // MIB
                )
            )
        if self.consumed:
            self._check_ratio(self.written, self.consumed)
            self._check_ratio(extraction.total_out, extraction.total_in)
        self.crc = zlib.crc32(data, self.crc)
        self.handle.write(data)

    def _check_ratio(self, out: int, consumed: int) -> None:
        limits = self.extraction.limits
        if out > limits.ratio_floor_bytes and out > consumed * limits.max_ratio:
            raise self.extraction.fail(
                self.name,
                _("compressed more than {ratio}:1 (a compression bomb?)").format(
                    ratio=f"{limits.max_ratio:g}"
                ),
            )


# Zip --------------------------------------------------------------------------------

_EOCD = struct.Struct("<4s4H2LH")
_EOCD_SIGNATURE = b"PK\x05\x06"
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_LOCATOR_SIGNATURE = b"PK\x06\x07"
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")
_ZIP64_EOCD_SIGNATURE = b"PK\x06\x06"
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_CENTRAL_SIGNATURE = b"PK\x01\x02"
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_LOCAL_SIGNATURE = b"PK\x03\x04"
_FLAG_ENCRYPTED = 0x0001
_FLAG_STRONG_ENCRYPTION = 0x0040
_FLAG_UTF8 = 0x0800
_FLAG_MASKED_HEADERS = 0x2000
_STORED, _DEFLATED = 0, 8
_DOS_REPARSE_POINT = 0x400
_UNIX = 3


@dataclass(frozen=True, slots=True)
class _ZipEntry:
    raw_name: bytes
    name: str
    flags: int
    method: int
    crc: int
    compressed: int
    size: int
    offset: int
    system: int
    external: int


def _damaged(detail: str) -> ArchiveError:
    return ArchiveError(_("the zip archive is damaged: {detail}").format(detail=detail))


def _read_exact(handle: BinaryIO, count: int, what: str) -> bytes:
    data = handle.read(count)
    if len(data) != count:
        raise _damaged(_("it ends inside {what}").format(what=what))
    return data


def _central_directory(handle: BinaryIO, size: int) -> tuple[int, int, int]:
    """``(entries, offset, size)`` of the central directory, from the end records."""
    tail_size = min(size, _EOCD.size + 0xFFFF)
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    position = len(tail)
    while True:
        position = tail.rfind(_EOCD_SIGNATURE, 0, position)
        if position < 0:
            raise ArchiveError(_("not a zip archive, or a damaged one (no end record)"))
        if position + _EOCD.size <= len(tail):
            record = _EOCD.unpack_from(tail, position)
            if position + _EOCD.size + record[7] == len(tail):
                break
    _sig, disk, cd_disk, disk_entries, entries, cd_size, cd_offset, _comment = record
    eocd_at = size - tail_size + position
    if disk or cd_disk or disk_entries != entries:
        raise ArchiveError(_("multi-part zip archives are not supported"))
    end_of_directory = eocd_at
    if 0xFFFF in (entries,) or 0xFFFFFFFF in (cd_size, cd_offset):
        locator_at = eocd_at - _ZIP64_LOCATOR.size
        if locator_at < 0:
            raise _damaged(_("the zip64 end record is missing"))
        handle.seek(locator_at)
        locator = _ZIP64_LOCATOR.unpack(
            _read_exact(handle, _ZIP64_LOCATOR.size, _("the zip64 end record"))
        )
        if locator[0] != _ZIP64_LOCATOR_SIGNATURE or locator[1] != 0 or locator[3] != 1:
            raise _damaged(_("the zip64 end record is missing"))
        record_at = locator[2]
        if record_at + _ZIP64_EOCD.size > locator_at:
            raise _damaged(_("the zip64 end record is out of place"))
        handle.seek(record_at)
        record64 = _ZIP64_EOCD.unpack(
            _read_exact(handle, _ZIP64_EOCD.size, _("the zip64 end record"))
        )
        if record64[0] != _ZIP64_EOCD_SIGNATURE or record_at + 12 + record64[1] != locator_at:
            raise _damaged(_("the zip64 end record is out of place"))
        if record64[4] or record64[5] or record64[6] != record64[7]:
            raise ArchiveError(_("multi-part zip archives are not supported"))
        entries, cd_size, cd_offset = record64[7], record64[8], record64[9]
        end_of_directory = record_at
    if cd_offset + cd_size != end_of_directory:
        raise _damaged(_("the central directory is not where the end record says"))
    return entries, cd_offset, cd_size


def _zip64_extra(extra: bytes, entry: tuple[int, int, int]) -> tuple[int, int, int]:
    """``(size, compressed, offset)`` with the zip64 extra field applied."""
    size, compressed, offset = entry
    position = 0
    while position + 4 <= len(extra):
        tag, length = struct.unpack_from("<HH", extra, position)
        body = extra[position + 4 : position + 4 + length]
        if len(body) != length:
            raise _damaged(_("an extra field runs past its entry"))
        if tag == 0x0001:
            values = list(struct.unpack_from(f"<{length // 8}Q", body))
            wanted = []
            for value in (size, compressed, offset):
                if value == 0xFFFFFFFF:
                    if not values:
                        raise _damaged(_("a zip64 field is missing"))
                    wanted.append(values.pop(0))
                else:
                    wanted.append(value)
            return wanted[0], wanted[1], wanted[2]
        position += 4 + length
    if 0xFFFFFFFF in (size, compressed, offset):
        raise _damaged(_("a zip64 field is missing"))
    return size, compressed, offset


def _zip_entries(
    handle: BinaryIO, directory: tuple[int, int, int], limits: ArchiveLimits
) -> Iterator[_ZipEntry]:
    """The central directory, streamed: one entry at a time, never all in memory."""
    declared, cd_offset, cd_size = directory
    if declared > limits.max_entries:
        raise ArchiveError(
            _("the archive has more than {limit} entries").format(limit=limits.max_entries)
        )
    position, count = cd_offset, 0
    while position < cd_offset + cd_size:
        handle.seek(position)
        fields = _CENTRAL.unpack(_read_exact(handle, _CENTRAL.size, _("the central directory")))
        if fields[0] != _CENTRAL_SIGNATURE:
            raise _damaged(_("a central directory record is missing"))
        flags, method, crc = fields[5], fields[6], fields[9]
        name_length, extra_length, comment_length = fields[12], fields[13], fields[14]
        raw_name = _read_exact(handle, name_length, _("a name"))
        extra = _read_exact(handle, extra_length, _("an extra field"))
        position += _CENTRAL.size + name_length + extra_length + comment_length
        if position > cd_offset + cd_size:
            raise _damaged(_("a record runs past the central directory"))
        count += 1
        if count > limits.max_entries:
            raise ArchiveError(
                _("the archive has more than {limit} entries").format(limit=limits.max_entries)
            )
        if fields[15] != 0:
            raise ArchiveError(_("multi-part zip archives are not supported"))
        file_size, compressed, offset = _zip64_extra(extra, (fields[11], fields[10], fields[18]))
        if flags & _FLAG_UTF8:
            try:
                name = raw_name.decode("utf-8")
            except UnicodeDecodeError:
                raise _damaged(
                    _("a name marked as UTF-8 is not UTF-8: {name}").format(
                        name=shown_name(raw_name.decode("utf-8", "replace"))
                    )
                ) from None
        else:
            name = raw_name.decode("cp437")
        yield _ZipEntry(
            raw_name, name, flags, method, crc, compressed, file_size, offset, fields[2], fields[17]
        )
    if count != declared:
        raise _damaged(_("the number of entries does not match the end record"))


def _check_zip_type(extraction: _Extraction, entry: _ZipEntry, is_dir: bool) -> None:
    mode = entry.external >> 16
    kind = stat.S_IFMT(mode)
    if kind == stat.S_IFLNK or entry.external & _DOS_REPARSE_POINT:
        raise extraction.fail(entry.name, _("a link (links are not allowed in a pack)"))
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        raise extraction.fail(entry.name, _("a device, pipe or socket, not a file"))
    if (kind == stat.S_IFDIR) != is_dir and kind != 0:
        raise extraction.fail(entry.name, _("marked as a folder and as a file at once"))
    if entry.flags & (_FLAG_ENCRYPTED | _FLAG_STRONG_ENCRYPTION | _FLAG_MASKED_HEADERS):
        raise extraction.fail(entry.name, _("encrypted entries are not supported"))
    if entry.method not in (_STORED, _DEFLATED):
        raise extraction.fail(
            entry.name,
            _("compression method {method} is not supported (use deflate)").format(
                method=entry.method
            ),
        )


def _extract_zip(handle: BinaryIO, size: int, extraction: _Extraction) -> None:
    limits = extraction.limits
    spans: list[tuple[int, int]] = []  # (start, end) of every entry's bytes, sorted
    directory = _central_directory(handle, size)
    cd_start = directory[1]
    for entry in _zip_entries(handle, directory, limits):
        is_dir = entry.name.endswith("/")
        name = entry.name[:-1] if is_dir else entry.name
        _check_zip_type(extraction, entry, is_dir)
        parts = extraction.entry(name, is_dir)
        if parts is None:
            continue
        if entry.size > limits.max_file_bytes:
            raise extraction.fail(
                name, _("larger than {limit} MiB").format(limit=limits.max_file_bytes // MIB)
            )
        # The local header must agree with the central directory.
        handle.seek(entry.offset)
        local = _LOCAL.unpack(_read_exact(handle, _LOCAL.size, _("a local header")))
        if local[0] != _LOCAL_SIGNATURE:
            raise extraction.fail(name, _("its local header is missing"))
        local_name = _read_exact(handle, local[10], _("a local header"))
        if local_name != entry.raw_name or local[4] != entry.method:
            raise extraction.fail(name, _("its local header does not match the directory"))
        data_start = entry.offset + _LOCAL.size + local[10] + local[11]
        data_end = data_start + entry.compressed
        if data_end > cd_start:
            raise extraction.fail(name, _("its data runs into the central directory"))
        here = bisect.bisect_left(spans, (entry.offset, data_end))
        before = spans[here - 1] if here else None
        after = spans[here] if here < len(spans) else None
        if (before and before[1] > entry.offset) or (after and after[0] < data_end):
            raise extraction.fail(name, _("its data overlaps another entry (a compression bomb?)"))
        spans.insert(here, (entry.offset, data_end))
        if is_dir:
            if entry.size or entry.compressed > 2:
                raise extraction.fail(name, _("a folder entry that holds data"))
            extraction.directory(name, parts)
            continue
        handle.seek(data_start)
        with extraction.open_file(name, parts) as sink:
            if entry.method == _STORED:
                _copy_stored(handle, entry, sink)
            else:
                _inflate(handle, entry, sink)
            if sink.written != entry.size:
                raise extraction.fail(name, _("its size does not match the directory"))
            if sink.crc != entry.crc:
                raise extraction.fail(name, _("its checksum does not match (damaged data)"))


def _copy_stored(handle: BinaryIO, entry: _ZipEntry, sink: _Sink) -> None:
    if entry.compressed != entry.size:
        raise sink.extraction.fail(entry.name, _("its size does not match the directory"))
    left = entry.compressed
    while left:
        data = handle.read(min(CHUNK, left))
        if not data:
            raise sink.extraction.fail(entry.name, _("its data is cut short"))
        left -= len(data)
        sink.read_compressed(len(data))
        if len(data) + sink.written > entry.size:
            raise sink.extraction.fail(entry.name, _("larger than the archive says"))
        sink.write(data)


def _inflate(handle: BinaryIO, entry: _ZipEntry, sink: _Sink) -> None:
    decompressor = zlib.decompressobj(-15)
    left = entry.compressed
    pending = b""
    try:
        while not decompressor.eof:
            if not pending and left:
                pending = handle.read(min(CHUNK, left))
                if not pending:
                    raise sink.extraction.fail(entry.name, _("its data is cut short"))
                left -= len(pending)
                sink.read_compressed(len(pending))
            # At most CHUNK bytes out per call, whatever the input expands to.
            data = decompressor.decompress(pending, CHUNK)
            pending = decompressor.unconsumed_tail
            if not data and not pending and not left:
                break  # no input left and nothing more comes out: cut short
            if sink.written + len(data) > entry.size:
                raise sink.extraction.fail(entry.name, _("larger than the archive says"))
            sink.write(data)
    except zlib.error as error:
        raise sink.extraction.fail(
            entry.name, _("its compressed data is damaged ({reason})").format(reason=error)
        ) from None
    if not decompressor.eof or left or pending or decompressor.unused_data:
        raise sink.extraction.fail(entry.name, _("its compressed data is damaged"))


# Tar ---------------------------------------------------------------------------------


class _GuardedReader:
    """A plain tar file for ``tarfile``: refuses any single read larger than a header.

    ``tarfile`` reads a long name or pax record in one call of its declared size;
    refusing big calls keeps a hostile header from filling memory.
    """

    def __init__(self, handle: BinaryIO, max_read: int) -> None:
        self._handle = handle
        self._max_read = max(max_read, CHUNK)

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0 or size > self._max_read:
            raise ArchiveError(_("a header in the tar archive is too large"))
        return self._handle.read(size)

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        return self._handle.seek(offset, whence)

    def tell(self) -> int:
        return self._handle.tell()


class _CountingReader:
    """Counts the compressed bytes ``gzip`` reads, so the ratio is measured, not assumed."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size)
        self.count += len(data)
        return data


def _gunzip(archive: Path, scratch: Path, limits: ArchiveLimits) -> None:
    """Decompress a tar.gz into ``scratch``, measuring size and ratio as it goes."""
    # The tar stream adds headers and padding to the files it holds.
    allowance = (
        limits.max_total_bytes + (limits.max_entries + 2) * 1536 + 4 * limits.max_header_bytes
    )
    with open(archive, "rb") as raw_handle:
        raw = _CountingReader(raw_handle)
        with (
            gzip.GzipFile(fileobj=raw, mode="rb") as unzipped,  # type: ignore[call-overload]
            open(scratch, "xb") as out,
        ):
            written = 0
            try:
                while data := unzipped.read(CHUNK):
                    written += len(data)
                    if written > allowance:
                        raise ArchiveError(
                            _("the archive holds more than {limit} MiB").format(
                                limit=limits.max_total_bytes // MIB
                            )
                        )
                    ratio_exceeded = written > raw.count * limits.max_ratio
                    if written > limits.ratio_floor_bytes and ratio_exceeded:
                        raise ArchiveError(
                            _(
                                "the archive is compressed more than {ratio}:1 "
                                "(a compression bomb?)"
                            ).format(ratio=f"{limits.max_ratio:g}")
                        )
                    out.write(data)
            except (OSError, EOFError, zlib.error) as error:
                raise ArchiveError(
                    _("the gzip data is damaged ({reason})").format(reason=error)
                ) from None


def _tar_kind_problem(member: tarfile.TarInfo) -> str | None:
    if member.issym():
        return _("a symbolic link (links are not allowed in a pack)")
    if member.islnk():
        return _("a hard link (links are not allowed in a pack)")
    if member.ischr() or member.isblk():
        return _("a device, not a file")
    if member.isfifo():
        return _("a pipe, not a file")
    if member.issparse():
        return _("a sparse file (not supported)")
    if not (member.isreg() or member.isdir()):
        return _("an entry of an unsupported kind")
    return None


def _extract_tar(path: Path, extraction: _Extraction) -> None:
    limits = extraction.limits
    with open(path, "rb") as handle:
        reader = _GuardedReader(handle, limits.max_header_bytes)
        try:
            archive = tarfile.TarFile(fileobj=reader, mode="r")  # type: ignore[arg-type]
        except tarfile.TarError as error:
            reason = error
            raise ArchiveError(
                _("the tar archive is damaged ({reason})").format(reason=reason)
            ) from None
        with archive:
            while True:
                try:
                    member = archive.next()
                except tarfile.TarError as error:
                    raise ArchiveError(
                        _("the tar archive is damaged ({reason})").format(reason=error)
                    ) from None
                if member is None:
                    break
                # tarfile keeps every header it read; nothing is looked up later,
                # so forget them and keep memory flat however many entries come.
                members = getattr(archive, "members", None)
                if isinstance(members, list):
                    members.clear()
                problem = _tar_kind_problem(member)
                if problem is not None:
                    raise extraction.fail(member.name, problem)
                parts = extraction.entry(member.name, member.isdir())
                if parts is None:
                    continue
                if member.isdir():
                    extraction.directory(member.name, parts)
                    continue
                if member.size > limits.max_file_bytes:
                    raise extraction.fail(
                        member.name,
                        _("larger than {limit} MiB").format(limit=limits.max_file_bytes // MIB),
                    )
                source = archive.extractfile(member)
                if source is None:  # pragma: no cover - regular files always have data
                    raise extraction.fail(member.name, _("an entry of an unsupported kind"))
                with extraction.open_file(member.name, parts) as sink:
                    try:
                        while data := source.read(CHUNK):
                            sink.write(data)
                    except tarfile.TarError as error:
                        raise extraction.fail(
                            member.name, _("damaged ({reason})").format(reason=error)
                        ) from None
                    if sink.written != member.size:
                        raise extraction.fail(member.name, _("its data is cut short"))


# The entry point ------------------------------------------------------------------------


def archive_kind(path: Path) -> str | None:
    """``"zip"``, ``"tar.gz"``, ``"tar"``, or None, from the file's first bytes."""
    with open(path, "rb") as handle:
        head = handle.read(512)
    if head.startswith((_LOCAL_SIGNATURE, _EOCD_SIGNATURE)):
        return "zip"
    if head.startswith(b"\x1f\x8b"):
        return "tar.gz"
    if len(head) >= 262 and head[257:262] == b"ustar":
        return "tar"
    return None


def extract_archive(
    archive: Path, staging: Path, limits: ArchiveLimits | None = None
) -> ExtractReport:
    """Unpack ``archive`` into ``staging/files``; raises ArchiveError when refused.

    ``staging`` must be an empty folder that this call may fill; nothing is written
    outside it. On failure it may hold part of the archive: remove it.
    """
    limits = limits or ArchiveLimits()
    root = staging / FILES_FOLDER
    try:
        kind = archive_kind(archive)
        os.mkdir(root, 0o755)
        extraction = _Extraction(root, limits)
        if kind == "zip":
            with open(archive, "rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                _extract_zip(handle, size, extraction)  # type: ignore[arg-type]
        elif kind == "tar":
            _extract_tar(archive, extraction)
        elif kind == "tar.gz":
            scratch = staging / _SCRATCH_TAR
            try:
                _gunzip(archive, scratch, limits)
                _extract_tar(scratch, extraction)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    scratch.unlink()
        else:
            raise ArchiveError(_("not a zip, tar or tar.gz archive"))
    except OSError as error:
        raise ArchiveError(
            _("the archive could not be read or unpacked: {reason}").format(
                reason=error.strerror or error
            )
        ) from None
    return ExtractReport(root, extraction.files, extraction.directories, extraction.total_out)
