"""Keeping the compiled content database current, cheaply.

This runs at every app start: when the content is unchanged it costs a walk of
stat calls and one SQLite read, and imports nothing of the build itself.
"""

from __future__ import annotations

import os
import sqlite3
import zlib
from collections.abc import Iterator
from pathlib import Path

from sdm_app.storage.content_schema import BUILDER_VERSION, SCHEMA_VERSION

CONTENT_DB_NAME = "content.db"


def _walk(folder: str, prefix: str) -> Iterator[tuple[str, int, int]]:
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in sorted(entries, key=lambda e: e.name):
        if entry.name.startswith((".", "~")) or entry.name.endswith("~"):
            continue  # editors' and the system's hidden files
        try:
            if entry.is_dir(follow_symlinks=True):
                yield from _walk(entry.path, f"{prefix}{entry.name}/")
            elif entry.is_file(follow_symlinks=True):
                stat = entry.stat(follow_symlinks=True)
                yield f"{prefix}{entry.name}", stat.st_size, stat.st_mtime_ns
        except OSError:
            continue


def content_fingerprint(content_root: Path) -> str:
    """A digest of every file's relative path, size and modification time (no reads).

    It detects change, not tampering (signed packs do that), so two zlib checksums
    do; they cost far less to load at every start than hashlib's OpenSSL.
    """
    crc = adler = 1
    files = 0
    for relative, size, mtime_ns in _walk(str(content_root), ""):
        line = f"{relative}\0{size}\0{mtime_ns}\n".encode("utf-8", "surrogatepass")
        crc, adler = zlib.crc32(line, crc), zlib.adler32(line, adler)
        files += 1
    return f"s{SCHEMA_VERSION}b{BUILDER_VERSION}-{files}-{crc:08x}{adler:08x}"


def stored_fingerprint(db_path: Path) -> str | None:
    """The fingerprint a content database was built from, or None if unreadable."""
    if not db_path.is_file():
        return None
    uri = f"{db_path.resolve().as_uri()}?mode=ro"
    try:
        connection = sqlite3.connect(uri, uri=True)
        try:
            row = connection.execute(
                "SELECT value FROM meta WHERE key = 'content_fingerprint'"
            ).fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    return str(row[0]) if row else None


def ensure_content_db(content_root: Path, cache_dir: Path) -> Path:
    """An up-to-date content database in ``cache_dir``, built only when needed.

    Raises ContentBuildError when the content must be rebuilt but has errors;
    the previous database, if any, is left in place.
    """
    db_path = cache_dir / CONTENT_DB_NAME
    fingerprint = content_fingerprint(content_root)
    if stored_fingerprint(db_path) != fingerprint:
        from sdm_app.content.build import build_content_db  # deferred: the whole build

        cache_dir.mkdir(parents=True, exist_ok=True)
        build_content_db(content_root, db_path, fingerprint=fingerprint)
    return db_path
