"""user.db: the user's settings and consultations, on this machine only.

user.db is opened through SQLCipher (``sqlcipher3``, a drop-in for the standard
``sqlite3``) with the key from ``storage.encryption``: the file, its write-ahead log
and every backup are encrypted. ``key=None`` opens an unencrypted file: only an
earlier release's user.db (to encrypt it) and the storage tests use that.

Start-up reads settings through ``read_settings_snapshot`` with the DB-API module
alone, so SQLAlchemy and Alembic are imported only when something is written or the
schema must be migrated.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlcipher3 import dbapi2

from sdm_app.storage.encryption import key_pragma, rekey_pragma
from sdm_app.storage.lock import DataLock
from sdm_app.storage.migrations import HEAD_REVISION

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The consultation to reopen at start, kept in the settings table but outside
# storage.settings.Settings (it is state, not a preference).
OPEN_CONSULTATION_KEY = "open_consultation"


# What the database engine raises: SQLCipher's module (user.db) and the standard one
# (content.db, and code that opened a file itself).
DATABASE_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error, dbapi2.Error)


class UserDatabaseError(Exception):
    """user.db cannot be opened or migrated; the message names the file."""


class DatabaseLockedError(UserDatabaseError):
    """The app is locked (idle, or asked to): nothing is read or written until unlocked."""


def connect(
    db_path: Path, key: bytes | None, *, read_only: bool = False, check_same_thread: bool = True
) -> dbapi2.Connection:
    """A connection to user.db (or a backup of it), keyed before anything else runs."""
    if read_only:
        connection = dbapi2.connect(
            f"{db_path.as_uri()}?mode=ro", uri=True, check_same_thread=check_same_thread
        )
    else:
        connection = dbapi2.connect(str(db_path), check_same_thread=check_same_thread)
    try:
        # SQLCipher writes its own messages (a failed page check) to standard error; the
        # app reports problems itself, in plain words.
        connection.execute("PRAGMA cipher_log_level = NONE")
        if key is not None:
            connection.execute(key_pragma(key))
            # SQLCipher 4's settings, whatever a later release makes its default.
            connection.execute("PRAGMA cipher_compatibility = 4")
        # Sorting and temporary tables stay in memory: no unencrypted temporary file.
        connection.execute("PRAGMA temp_store = MEMORY")
    except BaseException:
        connection.close()
        raise
    return connection


def readable(db_path: Path, key: bytes | None) -> bool:
    """True when ``key`` opens the file (a wrong key reads as 'not a database')."""
    try:
        with _read_only(db_path, key) as connection:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except DATABASE_ERRORS:
        return False
    return True


def current_revision(db_path: Path, key: bytes | None = None) -> str | None:
    if not db_path.exists():
        return None
    try:
        with _read_only(db_path, key) as connection:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except DATABASE_ERRORS:
        return None
    return str(row[0]) if row else None


BACKUPS_KEPT = 5
# A backup being written (hidden from ``list_backups`` until it is complete).
_PARTIAL_PREFIX = ".partial-"


def backups_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def backup(db_path: Path, reason: str, key: bytes | None = None) -> Path:
    """A verified copy of user.db in ``backups/`` (SQLite's online backup API, then
    ``PRAGMA integrity_check``), encrypted with the same key; the oldest beyond
    ``BACKUPS_KEPT`` are removed."""
    folder = backups_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    private(folder, directory=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"user-{stamp}-{reason}.db"
    # Written under a name no listing shows, and renamed only once verified: a backup
    # cut short (the app killed, the disk full) is never taken for the newest one.
    _remove_partial_backups(folder)
    partial = folder / f"{_PARTIAL_PREFIX}{target.name}"
    source = connect(db_path, key, read_only=True)
    try:
        # Created private before the first byte is written.
        os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        copy = connect(partial, key)
        try:
            source.backup(copy)
            verdict = copy.execute("PRAGMA integrity_check").fetchone()
        finally:
            copy.close()
    finally:
        source.close()
    private(partial)
    if not verdict or verdict[0] != "ok":
        _remove_partial_backups(folder)
        raise UserDatabaseError(f"{db_path}: the backup did not pass its integrity check")
    _fsync(partial)
    os.replace(partial, target)
    _fsync_folder(folder)
    for old in sorted(folder.glob("user-*.db"))[:-BACKUPS_KEPT]:
        old.unlink(missing_ok=True)
    return target


def backup_files(db_path: Path) -> list[Path]:
    """Every file in ``backups/``: the rotated backups and the copies a restore kept."""
    folder = backups_dir(db_path)
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.iterdir() if path.is_file())


class BackupInfo(NamedTuple):
    path: Path
    made: datetime
    size: int


def list_backups(db_path: Path) -> list[BackupInfo]:
    """The backups of user.db, newest first."""
    found: list[BackupInfo] = []
    for path in backups_dir(db_path).glob("user-*.db"):
        try:
            stat = path.stat()
        except OSError:
            continue
        found.append(BackupInfo(path, datetime.fromtimestamp(stat.st_mtime), stat.st_size))
    return sorted(found, key=lambda info: (info.made, info.path.name), reverse=True)


def backup_if_due(
    db_path: Path, every: timedelta = timedelta(days=1), key: bytes | None = None
) -> Path | None:
    """A daily backup while the app is used: made when the newest is older than ``every``."""
    if not db_path.is_file():
        return None
    newest = next(iter(list_backups(db_path)), None)
    if newest is not None and datetime.now() - newest.made < every:
        return None
    return backup(db_path, "daily", key)


def restore(db_path: Path, chosen: Path, key: bytes | None = None) -> Path:
    """Put a backup in place of user.db, after checking it (it must open with ``key``)
    and backing up the current file (so a restore can itself be undone). The app must
    not be running."""
    if not chosen.is_file():
        raise UserDatabaseError(f"{chosen}: not a backup file")
    try:
        with _read_only(chosen, key) as connection:
            verdict = connection.execute("PRAGMA integrity_check").fetchone()
            connection.execute("SELECT count(*) FROM consultations").fetchone()
    except DATABASE_ERRORS as error:
        raise UserDatabaseError(
            f"{chosen}: not a readable user.db backup with this key ({error})"
        ) from error
    if not verdict or verdict[0] != "ok":
        raise UserDatabaseError(f"{chosen}: the backup did not pass its integrity check")
    # Staged first: making the undo copy below may rotate the chosen backup away.
    staged = db_path.with_name(db_path.name + ".restoring")
    shutil.copyfile(chosen, staged)
    private(staged)
    current = None
    if db_path.is_file():
        current = _undo_copy(db_path, key)
    for extra in ("-wal", "-shm"):
        db_path.with_name(db_path.name + extra).unlink(missing_ok=True)
    os.replace(staged, db_path)
    return current or db_path


def _remove_partial_backups(folder: Path) -> None:
    """Backups an interrupted copy left half-written (and their journals)."""
    for leftover in folder.glob(f"{_PARTIAL_PREFIX}*"):
        leftover.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    """The file's data on the disk (opened for writing: Windows syncs only such handles)."""
    descriptor = os.open(path, os.O_RDWR)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _fsync_folder(folder: Path) -> None:
    """Best effort: a rename in ``folder`` reaches the disk (not possible on Windows)."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _undo_copy(db_path: Path, key: bytes | None) -> Path:
    """The current user.db, copied byte for byte beside the backups before a restore
    replaces it: it may be damaged (the reason for restoring), so it is not checked,
    and it is not counted among the rotated backups."""
    folder = backups_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    private(folder, directory=True)
    with contextlib.suppress(*DATABASE_ERRORS, OSError):
        _checkpoint(db_path, key)  # a damaged file may refuse: its bytes are copied anyway
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"replaced-{stamp}.db"
    shutil.copyfile(db_path, target)
    private(target)
    for extra in ("-wal", "-shm"):
        companion = db_path.with_name(db_path.name + extra)
        if companion.is_file():
            shutil.copyfile(companion, target.with_name(target.name + extra))
    return target


def private(path: Path, *, directory: bool = False) -> None:
    """Readable by this user only (POSIX); elsewhere the profile folder protects it."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        os.chmod(path, 0o700 if directory else 0o600)


def migrate(db_path: Path, key: bytes | None = None) -> None:
    """Bring user.db to the newest schema; cheap when it already is.

    An existing database is backed up (verified) first. The whole upgrade is one
    SQLite transaction (schema changes included), so a crash or a kill leaves the old
    database or the new one, never a mix. A copy of the exact file is also taken just
    before: a failed upgrade puts those bytes back and reports the failure, and one
    that was interrupted is put back at the next start, before trying again."""
    before = db_path.with_name(db_path.name + ".migrating")
    _recover_interrupted_migration(db_path, before, key)
    revision = current_revision(db_path, key)
    if revision == HEAD_REVISION:
        return
    from alembic import command
    from alembic.config import Config

    if revision is not None:
        _checkpoint(db_path, key)
        backup(db_path, f"before-{revision}", key)
        # Complete before it gets the name the next start looks for.
        partial = before.with_name(before.name + "-partial")
        shutil.copyfile(db_path, partial)
        private(partial)
        _fsync(partial)
        os.replace(partial, before)
        _fsync_folder(db_path.parent)
    engine = create_engine(db_path, key)
    _one_transaction(engine)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except Exception as error:  # any failure must reach the user as a message
        engine.dispose()
        if before.is_file():
            _put_back(db_path, before)
        raise UserDatabaseError(
            f"{db_path}: cannot update the database ({type(error).__name__}); "
            "it is unchanged, and a copy is in the backups folder"
        ) from error
    finally:
        engine.dispose()
    before.unlink(missing_ok=True)


def _put_back(db_path: Path, before: Path) -> None:
    """The exact file from before an upgrade, in place of user.db. Its write-ahead log
    goes first: it belongs to the upgrade, and SQLite would replay it into the old file."""
    for extra in ("-wal", "-shm", "-journal"):
        db_path.with_name(db_path.name + extra).unlink(missing_ok=True)
    os.replace(before, db_path)
    _fsync_folder(db_path.parent)


def _recover_interrupted_migration(db_path: Path, before: Path, key: bytes | None) -> None:
    """An upgrade that was killed or lost power left its safety copy behind: put it
    back unless the upgrade had already committed (then the copy is only removed)."""
    before.with_name(before.name + "-partial").unlink(missing_ok=True)
    if not before.is_file():
        return
    if current_revision(db_path, key) == HEAD_REVISION:
        before.unlink(missing_ok=True)
    else:
        _put_back(db_path, before)


def _one_transaction(engine: Engine) -> None:
    """Make every transaction of ``engine`` a real SQLite transaction, schema changes
    included. Python's sqlite3 driver opens one only before INSERT, UPDATE or DELETE,
    so ALTER and CREATE would each be committed at once: an upgrade killed half-way
    would leave some columns added and the old revision recorded."""
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _driver_autocommit(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # BEGIN and COMMIT come from below only

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _checkpoint(db_path: Path, key: bytes | None = None) -> None:
    """Fold the write-ahead log into the file, so a copy of the file is complete."""
    connection = connect(db_path, key)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def _lenient_text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def create_engine(db_path: Path, key: bytes | None = None) -> Engine:
    from sqlalchemy import create_engine as sa_create_engine
    from sqlalchemy import event

    db_path.parent.mkdir(parents=True, exist_ok=True)
    private(db_path.parent, directory=True)
    if not db_path.exists():
        # Created private, so its write-ahead log (which takes its mode) is too.
        with contextlib.suppress(FileExistsError):
            os.close(os.open(db_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    private(db_path)
    for extra in ("-wal", "-shm"):
        if db_path.with_name(db_path.name + extra).exists():
            private(db_path.with_name(db_path.name + extra))
    # A creator, not a URL: a path with '?' or '%' must name this file and no other.
    engine = sa_create_engine(
        "sqlite://",
        module=dbapi2,  # SQLCipher's errors are then SQLAlchemy's, like sqlite3's
        creator=lambda: connect(db_path, key, check_same_thread=False),
    )

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # Text that is not valid UTF-8 (a damaged page) reads with U+FFFD instead of
        # failing the whole query: one damaged label must not hide every consultation.
        dbapi_connection.text_factory = _lenient_text
        cursor = dbapi_connection.cursor()
        # Deleted consultations are overwritten, not left in free pages.
        cursor.execute("PRAGMA secure_delete=ON")
        # WAL keeps readers working during a write; FULL survives power loss.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()

    return engine


class UserDatabase:
    """The open user.db: one engine, short transactions through ``session()``."""

    def __init__(self, db_path: Path, key: bytes | None = None) -> None:
        self.path = db_path
        self._key = key
        self._locked = False
        self._engine: Engine | None = None
        self._lock = DataLock(db_path.with_name(db_path.name + ".lock"))

    @property
    def key(self) -> bytes | None:
        if self._locked:
            raise DatabaseLockedError(f"{self.path}: locked")
        return self._key

    @property
    def locked(self) -> bool:
        return self._locked

    def lock_out(self) -> None:
        """Close the database and drop the key from this object until ``unlock``.
        (Python cannot promise that no copy of the key's bytes stays in memory.)"""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        self._key = None
        self._locked = True

    def unlock(self, key: bytes | None) -> None:
        self._key = key
        self._locked = False

    def rekey(self, new_key: bytes) -> None:
        """Encrypt user.db with ``new_key`` (SQLCipher's ``PRAGMA rekey``, one
        transaction: the file holds either key, never a mix)."""
        old_key = self.key
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        connection = connect(self.path, old_key)
        try:
            connection.execute(rekey_pragma(new_key))
            verdict = connection.execute("PRAGMA quick_check").fetchone()
        finally:
            connection.close()
        if not verdict or verdict[0] != "ok":
            raise UserDatabaseError(f"{self.path}: the re-encrypted file did not pass its check")
        self._key = new_key

    def lock(self) -> str | None:
        """Claim the data for this copy of the app: None when it is ours, else who
        holds it (another running copy). Released by ``close``."""
        return self._lock.acquire()

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            key = self.key
            migrate(self.path, key)
            self._engine = create_engine(self.path, key)
        return self._engine

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed on success, rolled back on any error."""
        from sqlalchemy.orm import Session

        with Session(self.engine) as session, session.begin():
            yield session

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        self._lock.release()


@contextmanager
def _read_only(db_path: Path, key: bytes | None = None) -> Iterator[dbapi2.Connection]:
    connection = connect(db_path, key, read_only=True)
    try:
        yield connection
    finally:
        connection.close()


def read_settings_snapshot(db_path: Path, key: bytes | None = None) -> dict[str, str]:
    """All settings as text, or {} when there is no database yet (or it is locked)."""
    if not db_path.exists():
        return {}
    try:
        with _read_only(db_path, key) as connection:
            rows = connection.execute("SELECT key, value FROM settings").fetchall()
    except DATABASE_ERRORS:
        return {}
    return {str(key): str(value) for key, value in rows}


def shred(path: Path) -> None:
    """Overwrite a file with zeros, then remove it. Best effort only: a journaling or
    copy-on-write file system, an SSD's wear levelling or a snapshot may keep the old
    blocks; full-disk encryption is what protects those."""
    try:
        size = path.stat().st_size
        with path.open("r+b") as handle:
            chunk = b"\0" * 65536
            written = 0
            while written < size:
                written += handle.write(chunk[: min(len(chunk), size - written)])
            handle.flush()
            os.fsync(handle.fileno())
    except FileNotFoundError:
        return
    except OSError:
        pass  # it is removed all the same
    path.unlink(missing_ok=True)


def _table_digests(connection: dbapi2.Connection) -> dict[str, tuple[int, str]]:
    """Each table's row count and a digest of all its rows, in any order."""
    import hashlib

    names = [
        str(row[0])
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    found: dict[str, tuple[int, str]] = {}
    for name in names:
        quoted = '"' + name.replace('"', '""') + '"'
        rows = sorted(repr(row) for row in connection.execute(f"SELECT * FROM {quoted}"))
        digest = hashlib.sha256("\n".join(rows).encode("utf-8", "surrogatepass")).hexdigest()
        found[name] = (len(rows), digest)
    return found


def encrypt_plaintext(
    db_path: Path, key: bytes, on_verified: Callable[[], None] | None = None
) -> Path:
    """Encrypt an earlier release's unencrypted user.db with ``key``, losing nothing.

    A verified plain backup is taken first; the data is exported into a new encrypted
    file (SQLCipher's ``sqlcipher_export``), which must pass its integrity check and
    hold every row of every table (counts and contents compared); ``on_verified`` then
    runs (it records the key), the encrypted file takes user.db's place, and the plain
    file's leftovers and every plain backup are overwritten and removed. On any
    failure before the swap, the plain file is left as it was. Returns the encrypted
    backup made at the end."""
    _checkpoint(db_path, None)
    backup(db_path, "before-encryption", None)
    target = db_path.with_name(db_path.name + ".encrypting")
    shred(target)
    os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    try:
        source = connect(db_path, None)
        try:
            before = _table_digests(source)
            version = source.execute("PRAGMA user_version").fetchone()[0]
            source.execute(f"ATTACH DATABASE ? AS encrypted KEY \"x'{key.hex()}'\"", (str(target),))
            source.execute("SELECT sqlcipher_export('encrypted')")
            source.execute(f"PRAGMA encrypted.user_version = {int(version)}")
            source.commit()
            source.execute("DETACH DATABASE encrypted")
        finally:
            source.close()
        copy = connect(target, key)
        try:
            verdict = copy.execute("PRAGMA integrity_check").fetchone()
            after = _table_digests(copy)
            copy.execute("PRAGMA journal_mode=WAL")
        finally:
            copy.close()
        if not verdict or verdict[0] != "ok" or after != before:
            raise UserDatabaseError(
                f"{db_path}: the encrypted copy did not match the data; nothing was changed"
            )
        if on_verified is not None:
            on_verified()
    except BaseException:
        shred(target)
        raise
    os.replace(target, db_path)
    private(db_path)
    for leftover in (
        *(db_path.with_name(db_path.name + extra) for extra in ("-wal", "-shm")),
        db_path.with_name(db_path.name + ".migrating"),
        db_path.with_name(db_path.name + ".restoring"),
        *backup_files(db_path),
    ):
        shred(leftover)
    return backup(db_path, "encrypted", key)


def rekey_backups(db_path: Path, old_key: bytes, new_key: bytes) -> list[Path]:
    """Re-encrypt every backup with the new key; returns those that could not be
    (damaged, or made with yet another key), which are left as they are."""
    left: list[Path] = []
    for path in backup_files(db_path):
        if not path.name.endswith(".db"):
            continue  # a kept copy's -wal or -shm goes with its file
        try:
            connection = connect(path, old_key)
            try:
                connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
                connection.execute(rekey_pragma(new_key))
            finally:
                connection.close()
        except DATABASE_ERRORS:
            left.append(path)
    return left
