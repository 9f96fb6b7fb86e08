"""user.db: the user's settings (and later consultations), on this machine only.

Start-up reads settings through ``read_settings_snapshot`` with the standard
library, so SQLAlchemy and Alembic are imported only when something is written
or the schema must be migrated.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from sdm_app.storage.lock import DataLock
from sdm_app.storage.migrations import HEAD_REVISION

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The consultation to reopen at start, kept in the settings table but outside
# storage.settings.Settings (it is state, not a preference).
OPEN_CONSULTATION_KEY = "open_consultation"


class UserDatabaseError(Exception):
    """user.db cannot be opened or migrated; the message names the file."""


def current_revision(db_path: Path) -> str | None:
    if not db_path.exists():
        return None
    try:
        with _read_only(db_path) as connection:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    return str(row[0]) if row else None


BACKUPS_KEPT = 5
# A backup being written (hidden from ``list_backups`` until it is complete).
_PARTIAL_PREFIX = ".partial-"


def backups_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def backup(db_path: Path, reason: str) -> Path:
    """A verified copy of user.db in ``backups/`` (SQLite's online backup API, then
    ``PRAGMA integrity_check``); the oldest beyond ``BACKUPS_KEPT`` are removed."""
    folder = backups_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    private(folder, directory=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"user-{stamp}-{reason}.db"
    # Written under a name no listing shows, and renamed only once verified: a backup
    # cut short (the app killed, the disk full) is never taken for the newest one.
    _remove_partial_backups(folder)
    partial = folder / f"{_PARTIAL_PREFIX}{target.name}"
    source = sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True)
    try:
        copy = sqlite3.connect(partial)
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


def backup_if_due(db_path: Path, every: timedelta = timedelta(days=1)) -> Path | None:
    """A daily backup while the app is used: made when the newest is older than ``every``."""
    if not db_path.is_file():
        return None
    newest = next(iter(list_backups(db_path)), None)
    if newest is not None and datetime.now() - newest.made < every:
        return None
    return backup(db_path, "daily")


def restore(db_path: Path, chosen: Path) -> Path:
    """Put a backup in place of user.db, after checking it and backing up the current
    file (so a restore can itself be undone). The app must not be running."""
    if not chosen.is_file():
        raise UserDatabaseError(f"{chosen}: not a backup file")
    try:
        with _read_only(chosen) as connection:
            verdict = connection.execute("PRAGMA integrity_check").fetchone()
            connection.execute("SELECT count(*) FROM consultations").fetchone()
    except sqlite3.Error as error:
        raise UserDatabaseError(f"{chosen}: not a readable user.db backup ({error})") from error
    if not verdict or verdict[0] != "ok":
        raise UserDatabaseError(f"{chosen}: the backup did not pass its integrity check")
    # Staged first: making the undo copy below may rotate the chosen backup away.
    staged = db_path.with_name(db_path.name + ".restoring")
    shutil.copyfile(chosen, staged)
    private(staged)
    current = None
    if db_path.is_file():
        current = _undo_copy(db_path)
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


def _undo_copy(db_path: Path) -> Path:
    """The current user.db, copied byte for byte beside the backups before a restore
    replaces it: it may be damaged (the reason for restoring), so it is not checked,
    and it is not counted among the rotated backups."""
    folder = backups_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    private(folder, directory=True)
    with contextlib.suppress(sqlite3.Error, OSError):
        _checkpoint(db_path)  # a damaged file may refuse: its bytes are copied anyway
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


def migrate(db_path: Path) -> None:
    """Bring user.db to the newest schema; cheap when it already is.

    An existing database is backed up (verified) first. The whole upgrade is one
    SQLite transaction (schema changes included), so a crash or a kill leaves the old
    database or the new one, never a mix. A copy of the exact file is also taken just
    before: a failed upgrade puts those bytes back and reports the failure, and one
    that was interrupted is put back at the next start, before trying again."""
    before = db_path.with_name(db_path.name + ".migrating")
    _recover_interrupted_migration(db_path, before)
    revision = current_revision(db_path)
    if revision == HEAD_REVISION:
        return
    from alembic import command
    from alembic.config import Config

    if revision is not None:
        _checkpoint(db_path)
        backup(db_path, f"before-{revision}")
        # Complete before it gets the name the next start looks for.
        partial = before.with_name(before.name + "-partial")
        shutil.copyfile(db_path, partial)
        private(partial)
        _fsync(partial)
        os.replace(partial, before)
        _fsync_folder(db_path.parent)
    engine = create_engine(db_path)
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


def _recover_interrupted_migration(db_path: Path, before: Path) -> None:
    """An upgrade that was killed or lost power left its safety copy behind: put it
    back unless the upgrade had already committed (then the copy is only removed)."""
    before.with_name(before.name + "-partial").unlink(missing_ok=True)
    if not before.is_file():
        return
    if current_revision(db_path) == HEAD_REVISION:
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


def _checkpoint(db_path: Path) -> None:
    """Fold the write-ahead log into the file, so a copy of the file is complete."""
    connection = sqlite3.connect(db_path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def _lenient_text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def create_engine(db_path: Path) -> Engine:
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
        "sqlite://", creator=lambda: sqlite3.connect(db_path, check_same_thread=False)
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

    def __init__(self, db_path: Path) -> None:
        self.path = db_path
        self._engine: Engine | None = None
        self._lock = DataLock(db_path.with_name(db_path.name + ".lock"))

    def lock(self) -> str | None:
        """Claim the data for this copy of the app: None when it is ours, else who
        holds it (another running copy). Released by ``close``."""
        return self._lock.acquire()

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            migrate(self.path)
            self._engine = create_engine(self.path)
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
def _read_only(db_path: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True)
    try:
        yield connection
    finally:
        connection.close()


def read_settings_snapshot(db_path: Path) -> dict[str, str]:
    """All settings as text, or {} when there is no database yet."""
    if not db_path.exists():
        return {}
    try:
        with _read_only(db_path) as connection:
            rows = connection.execute("SELECT key, value FROM settings").fetchall()
    except sqlite3.Error:
        return {}
    return {str(key): str(value) for key, value in rows}
