"""Packs the user installed: where they live, installing an archive, choosing what loads.

Installed packs live in ``<user data>/packs/``, one folder per pack and version,
named ``<id>-<version>-<install stamp>``. Installing never touches a pack in use
until the new one is complete and verified:

1. the archive is unpacked into a hidden staging folder inside ``packs/``
   (``archive.extract_archive``: limits, names, links, bombs);
2. the pack is verified (``signing.verify_pack``): a trusted signature, every
   hash, not expired, not older than the version in use; and checked as content;
3. it is renamed into place (one atomic rename on the same disk); only then are
   the older folders of the same pack removed.

Any failure removes the staging folder and leaves the installed packs as they were.
A crash at any point leaves either the old pack or the new one in use: when two
folders of a pack exist, the newest version (then the latest install) is used.

Installs and removals take an operating-system lock on ``packs.lock`` beside the
packs folder (the mechanism of ``storage.lock``), so two at once cannot retire each
other's folders: the second waits for the first, and says so. ``packs.seen.json``
beside it (readable by the user only) remembers the highest version of each pack
installed with each publisher key; a lower version is refused afterwards, even once
the newer one is removed, unless the caller allows an older one explicitly. Both
live beside ``packs/``, not in it, so that the folder holds nothing but packs, and
so that deleting it by hand does not forget the versions seen.

The content build (``select_installed``) verifies every installed pack again and
includes only those that pass; the others are reported, never loaded.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sdm_app.content.archive import ArchiveError, ArchiveLimits, extract_archive
from sdm_app.content.signing import (
    MANIFEST_NAME,
    PACK_FILE,
    TrustedKeys,
    is_older,
    parse_version,
    read_manifest_header,
    read_pack_header,
    verify_pack,
)
from sdm_app.i18n import _
from sdm_app.storage.lock import DataLock

log = logging.getLogger(__name__)

PACKS_FOLDER = "packs"
_STAGING_PREFIX = ".staging-"
_RETIRED_PREFIX = ".retired-"
_MAX_REPORTED = 20  # content problems listed when a pack fails the content check
LOCK_SUFFIX = ".lock"  # packs.lock
VERSIONS_SEEN_SUFFIX = ".seen.json"  # packs.seen.json
# How long an install or removal waits for another one to finish before giving up.
LOCK_WAIT_SECONDS = 300.0


@dataclass(frozen=True, slots=True)
class InstalledPack:
    folder: Path
    pack_id: str
    version: str
    expires: date | None = None


@dataclass(frozen=True, slots=True)
class SkippedPack:
    """An installed pack that is not loaded, and why (one line per problem)."""

    folder: str
    reason: str

    def describe(self) -> str:
        return _("{folder}: not loaded:\n{reason}").format(folder=self.folder, reason=self.reason)


class PackInstallError(Exception):
    """The pack was not installed; ``problems`` lists every reason, one a line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


# Finding installed packs ----------------------------------------------------------------


def _is_hidden(name: str) -> bool:
    return name.startswith((".", "~")) or name.endswith("~")


@dataclass(slots=True)
class _Candidates:
    by_id: dict[str, list[InstalledPack]] = field(default_factory=dict)
    unreadable: list[SkippedPack] = field(default_factory=list)


def _candidates(root: Path) -> _Candidates:
    """Every pack folder under ``root``, by the id its (not yet verified) manifest gives."""
    found = _Candidates()
    try:
        entries = sorted(os.scandir(root), key=lambda entry: entry.name)
    except OSError:
        return found
    for entry in entries:
        if _is_hidden(entry.name):
            continue
        folder = Path(entry.path)
        if entry.is_symlink() or not entry.is_dir(follow_symlinks=False):
            found.unreadable.append(
                SkippedPack(str(folder), _("not a pack folder (a file or a link)"))
            )
            continue
        header = read_manifest_header(folder)
        if header is None:
            found.unreadable.append(
                SkippedPack(
                    str(folder),
                    _("{file}: missing or damaged: the pack is not signed").format(
                        file=f"{folder}/{MANIFEST_NAME}"
                    ),
                )
            )
            continue
        pack_id, version = header
        found.by_id.setdefault(pack_id, []).append(InstalledPack(folder, pack_id, version))
    return found


def _newest(packs: list[InstalledPack]) -> InstalledPack:
    """The newest version; between equal versions the latest install (by folder name)."""
    return max(packs, key=lambda pack: (parse_version(pack.version) or (), pack.folder.name))


def installed_versions(root: Path) -> dict[str, str]:
    """The version of every installed pack (newest folder of each), not verified."""
    return {pack_id: _newest(packs).version for pack_id, packs in _candidates(root).by_id.items()}


def version_in_use(pack_id: str, packs_root: Path, bundled_folders: list[Path]) -> str | None:
    """The newest version of ``pack_id`` installed or shipped with the app, if any."""
    shipped = bundled_headers(bundled_folders).get(pack_id)
    versions = [installed_versions(packs_root).get(pack_id), shipped[1] if shipped else None]
    usable = [version for version in map(_usable_version, versions) if version is not None]
    return max(usable, key=lambda version: parse_version(version) or (), default=None)


def bundled_headers(folders: list[Path]) -> dict[str, tuple[Path, str | None]]:
    """``pack id -> (folder, version)`` of the packs shipped with the app."""
    headers: dict[str, tuple[Path, str | None]] = {}
    for folder in folders:
        pack_id, version = read_pack_header(folder)
        if pack_id is not None:
            headers.setdefault(pack_id, (folder, version))
    return headers


def _usable_version(version: str | None) -> str | None:
    return version if version is not None and parse_version(version) is not None else None


@dataclass(slots=True)
class Selection:
    """What the build loads from the installed packs."""

    packs: list[InstalledPack] = field(default_factory=list)
    skipped: list[SkippedPack] = field(default_factory=list)
    replaces: dict[str, Path] = field(default_factory=dict)  # pack id -> bundled folder


def select_installed(
    root: Path,
    trusted: TrustedKeys,
    bundled: dict[str, tuple[Path, str | None]],
    *,
    today: date | None = None,
) -> Selection:
    """The installed packs that verify (the newest folder of each pack id).

    A pack with the id of a bundled pack replaces it, unless it is older.
    """
    selection = Selection()
    candidates = _candidates(root)
    selection.skipped.extend(candidates.unreadable)
    for pack_id, packs in sorted(candidates.by_id.items()):
        newest = _newest(packs)
        shipped = bundled.get(pack_id)
        verdict = verify_pack(
            newest.folder,
            trusted,
            installed_version=_usable_version(shipped[1]) if shipped else None,
            today=today,
        )
        if not verdict.ok:
            reason = "\n".join(str(problem) for problem in verdict.problems)
            selection.skipped.append(SkippedPack(str(newest.folder), reason))
            continue
        selection.packs.append(
            InstalledPack(newest.folder, pack_id, newest.version, verdict.expires)
        )
        if shipped:
            selection.replaces[pack_id] = shipped[0]
    for skipped in selection.skipped:
        log.warning("content pack skipped: %s", skipped.describe())
    return selection


# Installing -----------------------------------------------------------------------------


def pack_root(files: Path) -> Path:
    """The folder holding pack.yaml: the archive's top, or its single top folder.

    The ``__MACOSX`` folder that the macOS Finder adds beside that folder is ignored.
    """
    if (files / PACK_FILE).is_file():
        return files
    entries = [
        entry
        for entry in files.iterdir()
        if not _is_hidden(entry.name) and entry.name != "__MACOSX"
    ]
    if len(entries) == 1 and entries[0].is_dir() and (entries[0] / PACK_FILE).is_file():
        return entries[0]
    raise PackInstallError(
        [_("the archive holds no pack: pack.yaml must be at its top or in its one top folder")]
    )


def _retire(folder: Path, packs_root: Path) -> None:
    """Remove an old pack folder: first out of sight (one rename), then from disk."""
    retired = packs_root / f"{_RETIRED_PREFIX}{folder.name}-{time.time_ns():x}"
    try:
        os.rename(folder, retired)
    except OSError as error:
        log.warning("could not remove the old pack folder %s: %s", folder, error)
        return
    shutil.rmtree(retired, ignore_errors=True)


def _content_problems(
    pack: Path,
    display: str,
    bundled_folders: list[Path],
    bundled: dict[str, tuple[Path, str | None]],
) -> list[str]:
    """Content-check errors in ``pack``, checked together with the bundled packs."""
    from sdm_app.content.problems import format_problem
    from sdm_app.content.validate import check_content

    pack_id, _version = read_pack_header(pack)
    shipped = bundled.get(pack_id) if pack_id is not None else None
    folders = [folder for folder in bundled_folders if shipped is None or folder != shipped[0]]
    checked = check_content(pack, folders=[*folders, pack])
    errors = []
    for problem in checked.errors:
        if problem.file == str(pack) or problem.file.startswith(str(pack) + os.sep):
            errors.append(
                format_problem(problem._replace(file=display + problem.file[len(str(pack)) :]))
            )
        else:
            # With this pack in place another pack breaks (a link to a module the
            # new version dropped): refused too, or the app's content would not build.
            errors.append(format_problem(problem))
    if len(errors) > _MAX_REPORTED:
        more = len(errors) - _MAX_REPORTED
        errors = [*errors[:_MAX_REPORTED], _("... and {count} more").format(count=more)]
    return errors


_LEFTOVER_AGE_SECONDS = 3600


def _sweep_leftovers(packs_root: Path) -> None:
    """Remove staging and retired folders an interrupted install left behind.

    Only those older than an hour: a younger one may belong to an install still
    running in another process.
    """
    limit = time.time() - _LEFTOVER_AGE_SECONDS
    for entry in packs_root.iterdir():
        if not entry.name.startswith((_STAGING_PREFIX, _RETIRED_PREFIX)):
            continue
        try:
            if entry.is_symlink() or not entry.is_dir() or entry.stat().st_mtime > limit:
                continue
        except OSError:
            continue
        shutil.rmtree(entry, ignore_errors=True)


# One install or removal at a time ------------------------------------------------------


def lock_path(packs_root: Path) -> Path:
    return packs_root.with_name(packs_root.name + LOCK_SUFFIX)


def versions_seen_path(packs_root: Path) -> Path:
    return packs_root.with_name(packs_root.name + VERSIONS_SEEN_SUFFIX)


@contextlib.contextmanager
def packs_lock(
    packs_root: Path,
    *,
    on_wait: Callable[[str], None] | None = None,
    wait: float = LOCK_WAIT_SECONDS,
) -> Iterator[None]:
    """Hold the packs folder's lock: wait (up to ``wait`` seconds) while another process
    installs or removes a pack, calling ``on_wait`` once with who holds it. The
    operating system drops the lock when its holder ends, even after a crash."""
    lock = DataLock(lock_path(packs_root))
    try:
        packs_root.mkdir(parents=True, exist_ok=True)
        holder = lock.acquire()
        if holder is not None:
            if on_wait is not None:
                on_wait(holder)
            deadline = time.monotonic() + wait
            while holder is not None and time.monotonic() < deadline:
                time.sleep(0.1)
                holder = lock.acquire()
    except OSError as error:
        raise PackInstallError(
            [
                _("cannot prepare {folder}: {reason}").format(
                    folder=packs_root, reason=error.strerror or error
                )
            ]
        ) from None
    if holder is not None:
        raise PackInstallError(
            [
                _(
                    "another installation or removal of packs is still running ({holder}) "
                    "after {seconds} seconds; try again when it has finished"
                ).format(holder=holder, seconds=round(wait))
            ]
        )
    try:
        yield
    finally:
        lock.release()


# The highest version seen of each pack ---------------------------------------------------


def versions_seen(packs_root: Path) -> dict[str, dict[str, str]]:
    """``pack id -> {key id -> highest version installed signed with that key}``.

    Empty when nothing was installed yet, or when the record is unreadable (then the
    version in use still bounds what may be installed, and the next install writes
    the record again)."""
    path = versions_seen_path(packs_root)
    try:
        document = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        log.warning("%s is unreadable; it is written again at the next install", path)
        return {}
    packs = document.get("packs") if isinstance(document, dict) else None
    if not isinstance(packs, dict):
        log.warning("%s is damaged; it is written again at the next install", path)
        return {}
    return {
        pack_id: {
            key: version
            for key, version in by_key.items()
            if isinstance(key, str) and isinstance(version, str) and parse_version(version)
        }
        for pack_id, by_key in packs.items()
        if isinstance(pack_id, str) and isinstance(by_key, dict)
    }


def highest_version_seen(pack_id: str, packs_root: Path) -> str | None:
    """The highest version of ``pack_id`` ever installed here, whichever key signed it:
    a publisher that rotates its key must not let the old key's older packs back in."""
    versions = versions_seen(packs_root).get(pack_id, {}).values()
    return max(versions, key=lambda version: parse_version(version) or (), default=None)


def _remember_version(packs_root: Path, pack_id: str, key: str, version: str) -> None:
    """Raise the record of ``pack_id`` signed with ``key`` to ``version`` (never lower it).
    Written whole under a temporary name, then renamed: never half a record."""
    seen = versions_seen(packs_root)
    by_key = seen.setdefault(pack_id, {})
    if key in by_key and not is_older(by_key[key], version):
        return
    by_key[key] = version
    data = json.dumps({"format": 1, "packs": seen}, indent=2, sort_keys=True).encode("utf-8")
    target = versions_seen_path(packs_root)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(descriptor, data)
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    os.replace(partial, target)


# Installing and removing ----------------------------------------------------------------


def install_archive(
    archive: Path,
    packs_root: Path,
    trusted: TrustedKeys,
    *,
    bundled_folders: list[Path] | None = None,
    limits: ArchiveLimits | None = None,
    today: date | None = None,
    check_content: bool = True,
    allow_older: bool = False,
    on_wait: Callable[[str], None] | None = None,
    wait: float = LOCK_WAIT_SECONDS,
) -> InstalledPack:
    """Unpack, verify and install the pack in ``archive``; raises PackInstallError.

    ``bundled_folders`` are the packs shipped with the app: a pack with one of
    their ids must not be older than the shipped one, and the content check
    runs with them (as the app will load them). A version lower than the one
    installed, or than the highest ever installed here, is refused unless
    ``allow_older``; nothing makes one older than the shipped pack acceptable.
    ``on_wait`` and ``wait``: see ``packs_lock``.
    """
    with packs_lock(packs_root, on_wait=on_wait, wait=wait):
        return _install_locked(
            archive,
            packs_root,
            trusted,
            bundled_folders=bundled_folders or [],
            limits=limits,
            today=today,
            check_content=check_content,
            allow_older=allow_older,
        )


def remove_installed(
    pack_id: str,
    packs_root: Path,
    *,
    on_wait: Callable[[str], None] | None = None,
    wait: float = LOCK_WAIT_SECONDS,
) -> list[Path]:
    """Remove every installed folder of ``pack_id``; the folders removed (none: it was
    not installed). The record of the highest version seen is kept."""
    with packs_lock(packs_root, on_wait=on_wait, wait=wait):
        folders = [pack.folder for pack in _candidates(packs_root).by_id.get(pack_id, [])]
        for folder in folders:
            _retire(folder, packs_root)
    kept = [folder for folder in folders if folder.exists()]
    if kept:
        raise PackInstallError(
            [_("{folder}: could not be removed").format(folder=folder) for folder in kept]
        )
    return folders


def _install_locked(
    archive: Path,
    packs_root: Path,
    trusted: TrustedKeys,
    *,
    bundled_folders: list[Path],
    limits: ArchiveLimits | None,
    today: date | None,
    check_content: bool,
    allow_older: bool,
) -> InstalledPack:
    bundled = bundled_headers(bundled_folders)
    try:
        _sweep_leftovers(packs_root)
        staging = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=packs_root))
    except OSError as error:
        raise PackInstallError(
            [
                _("cannot prepare {folder}: {reason}").format(
                    folder=packs_root, reason=error.strerror or error
                )
            ]
        ) from None
    try:
        try:
            extracted = extract_archive(archive, staging, limits)
        except ArchiveError as error:
            raise PackInstallError([f"{archive}: {error}"]) from None
        root = pack_root(extracted.root)
        display = "/".join((archive.name, *root.relative_to(extracted.root).parts))
        header = read_manifest_header(root)
        floor = None
        if header is not None and allow_older:
            shipped = bundled.get(header[0])
            floor = _usable_version(shipped[1]) if shipped else None
        elif header is not None:
            floor = version_in_use(header[0], packs_root, bundled_folders)
        verdict = verify_pack(root, trusted, installed_version=floor, today=today, display=display)
        if not verdict.ok:
            raise PackInstallError([str(problem) for problem in verdict.problems])
        assert verdict.pack_id is not None and verdict.version is not None
        assert verdict.key_id is not None
        highest = highest_version_seen(verdict.pack_id, packs_root)
        if not allow_older and highest is not None and is_older(verdict.version, highest):
            raise PackInstallError(
                [
                    _(
                        "{archive}: pack {id} version {version} is older than version "
                        "{highest}, which was installed here before; an older version is "
                        "installed only when asked for explicitly (--allow-older)"
                    ).format(
                        archive=archive.name,
                        id=verdict.pack_id,
                        version=verdict.version,
                        highest=highest,
                    )
                ]
            )
        if check_content:
            problems = _content_problems(root, display, bundled_folders, bundled)
            if problems:
                raise PackInstallError(
                    [_("the pack's content has errors; it was not installed:"), *problems]
                )
        stamp = f"{time.time_ns():016x}"
        final = packs_root / f"{verdict.pack_id}-{verdict.version}-{stamp}"
        try:
            os.rename(root, final)
        except OSError as error:
            raise PackInstallError(
                [
                    _("cannot move the pack into {folder}: {reason}").format(
                        folder=final, reason=error.strerror or error
                    )
                ]
            ) from None
        with contextlib.suppress(OSError):  # best effort: the rename reaches the disk
            descriptor = os.open(packs_root, os.O_RDONLY)
            try:
                os.fsync(descriptor)
            finally:
                os.close(descriptor)
        try:
            _remember_version(packs_root, verdict.pack_id, verdict.key_id, verdict.version)
        except OSError as error:  # installed all the same; the record is raised next time
            log.warning("could not record the version of pack %s: %s", verdict.pack_id, error)
        for older in _candidates(packs_root).by_id.get(verdict.pack_id, []):
            if older.folder != final:
                _retire(older.folder, packs_root)
        return InstalledPack(final, verdict.pack_id, verdict.version, verdict.expires)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
