"""Keeping the compiled content database current, cheaply.

This runs at every app start: when the content is unchanged it costs a walk of
stat calls and one SQLite read, and imports nothing of the build itself.
"""

from __future__ import annotations

import json
import os
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from sdm_app.storage.content_schema import BUILDER_VERSION, SCHEMA_VERSION

CONTENT_DB_NAME = "content.db"


def _walk(folder: str, prefix: str, follow: bool = True) -> Iterator[tuple[str, int, int]]:
    """``(relative path, size, mtime)`` of every file; links are followed when ``follow``.

    Without ``follow`` (the user's installed packs, where links are refused
    anyway) a link counts as a file of its own, so a cycle of links cannot
    make the walk endless.
    """
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in sorted(entries, key=lambda e: e.name):
        if entry.name.startswith((".", "~")) or entry.name.endswith("~"):
            continue  # editors' and the system's hidden files
        try:
            if entry.is_dir(follow_symlinks=follow):
                yield from _walk(entry.path, f"{prefix}{entry.name}/", follow)
            elif entry.is_file(follow_symlinks=follow) or entry.is_symlink():
                stat = entry.stat(follow_symlinks=follow)
                yield f"{prefix}{entry.name}", stat.st_size, stat.st_mtime_ns
        except OSError:
            continue


def content_fingerprint(
    content_root: Path, installed_root: Path | None = None, keys_dir: Path | None = None
) -> str:
    """A digest of every file's relative path, size and modification time (no reads).

    It detects change, not tampering (signed packs do that), so two zlib checksums
    do; they cost far less to load at every start than hashlib's OpenSSL.
    Installed packs count when there are any, and then so do the trusted keys (a
    key removed must drop its packs); with none, the digest is the bundled one's.
    """
    crc = adler = 1
    files = 0

    def feed(entries: Iterable[tuple[str, int, int]]) -> None:
        nonlocal crc, adler, files
        for relative, size, mtime_ns in entries:
            line = f"{relative}\0{size}\0{mtime_ns}\n".encode("utf-8", "surrogatepass")
            crc, adler = zlib.crc32(line, crc), zlib.adler32(line, adler)
            files += 1

    feed(_walk(str(content_root), ""))
    if installed_root is not None:
        installed = list(_walk(str(installed_root), "\0packs/", follow=False))
        if installed:
            feed(installed)
            if keys_dir is not None:
                feed(_walk(str(keys_dir), "\0keys/", follow=False))
    return f"s{SCHEMA_VERSION}b{BUILDER_VERSION}-{files}-{crc:08x}{adler:08x}"


def _read_meta(db_path: Path, keys: tuple[str, ...]) -> dict[str, str] | None:
    """The given meta values of a content database, or None if unreadable."""
    if not db_path.is_file():
        return None
    uri = f"{db_path.resolve().as_uri()}?mode=ro"
    try:
        connection = sqlite3.connect(uri, uri=True)
        try:
            rows = connection.execute(
                f"SELECT key, value FROM meta WHERE key IN ({', '.join('?' * len(keys))})", keys
            ).fetchall()
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    return {str(key): str(value) for key, value in rows}


def stored_fingerprint(db_path: Path) -> str | None:
    """The fingerprint a content database was built from, or None if unreadable."""
    meta = _read_meta(db_path, ("content_fingerprint",))
    return meta.get("content_fingerprint") if meta else None


def skipped_packs(db_path: Path) -> list[tuple[str, str]]:
    """``(folder, reason)`` of each installed pack the database was built without."""
    meta = _read_meta(db_path, ("skipped_packs",)) or {}
    try:
        entries = json.loads(meta.get("skipped_packs", "[]"))
        return [(str(entry["folder"]), str(entry["reason"])) for entry in entries]
    except (ValueError, TypeError, KeyError):
        return []


def ensure_content_db(
    content_root: Path,
    cache_dir: Path,
    *,
    installed_root: Path | None = None,
    keys_dir: Path | None = None,
    today: date | None = None,
) -> Path:
    """An up-to-date content database in ``cache_dir``, built only when needed.

    ``installed_root`` holds the packs the user installed; they are verified
    against the public keys in ``keys_dir`` when the database is built. It is
    built again when any file changes and when an included pack expires.

    Raises ContentBuildError when the content must be rebuilt but has errors;
    the previous database, if any, is left in place.
    """
    db_path = cache_dir / CONTENT_DB_NAME
    fingerprint = content_fingerprint(content_root, installed_root, keys_dir)
    stored = _read_meta(db_path, ("content_fingerprint", "valid_until")) or {}
    valid_until = stored.get("valid_until", "")
    expired = bool(valid_until) and valid_until < (today or date.today()).isoformat()
    if stored.get("content_fingerprint") != fingerprint or expired:
        from sdm_app.content.build import build_content_db  # deferred: the whole build

        cache_dir.mkdir(parents=True, exist_ok=True)
        build_content_db(
            content_root,
            db_path,
            fingerprint=fingerprint,
            installed_root=installed_root,
            trusted_keys_dir=keys_dir,
            today=today,
            # Reading grades are for authors (`sdm-app content validate`); the app, which
            # builds here, leaves them out and never loads the dictionaries they need.
            reading=False,
        )
    return db_path
