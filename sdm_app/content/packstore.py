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

The content build (``select_installed``) verifies every installed pack again and
includes only those that pass; the others are reported, never loaded.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sdm_app.content.archive import ArchiveError, ArchiveLimits, extract_archive
from sdm_app.content.signing import (
    MANIFEST_NAME,
    PACK_FILE,
    TrustedKeys,
    parse_version,
    read_manifest_header,
    read_pack_header,
    verify_pack,
)
from sdm_app.i18n import _

log = logging.getLogger(__name__)

PACKS_FOLDER = "packs"
_STAGING_PREFIX = ".staging-"
_RETIRED_PREFIX = ".retired-"
_MAX_REPORTED = 20  # content problems listed when a pack fails the content check


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


def install_archive(
    archive: Path,
    packs_root: Path,
    trusted: TrustedKeys,
    *,
    bundled_folders: list[Path] | None = None,
    limits: ArchiveLimits | None = None,
    today: date | None = None,
    check_content: bool = True,
) -> InstalledPack:
    """Unpack, verify and install the pack in ``archive``; raises PackInstallError.

    ``bundled_folders`` are the packs shipped with the app: a pack with one of
    their ids must not be older than the shipped one, and the content check
    runs with them (as the app will load them).
    """
    bundled_folders = bundled_folders or []
    bundled = bundled_headers(bundled_folders)
    try:
        packs_root.mkdir(parents=True, exist_ok=True)
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
        floor = version_in_use(header[0], packs_root, bundled_folders) if header else None
        verdict = verify_pack(root, trusted, installed_version=floor, today=today, display=display)
        if not verdict.ok:
            raise PackInstallError([str(problem) for problem in verdict.problems])
        assert verdict.pack_id is not None and verdict.version is not None
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
        for older in _candidates(packs_root).by_id.get(verdict.pack_id, []):
            if older.folder != final:
                _retire(older.folder, packs_root)
        return InstalledPack(final, verdict.pack_id, verdict.version, verdict.expires)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
