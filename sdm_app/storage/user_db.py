"""user.db: the user's settings (and later consultations), on this machine only.

Start-up reads settings through ``read_settings_snapshot`` with the standard
library, so SQLAlchemy and Alembic are imported only when something is written
or the schema must be migrated.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

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


def migrate(db_path: Path) -> None:
    """Bring user.db to the newest schema; cheap when it already is."""
    if current_revision(db_path) == HEAD_REVISION:
        return
    from alembic import command
    from alembic.config import Config

    engine = create_engine(db_path)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except Exception as error:  # any failure must reach the user as a message
        raise UserDatabaseError(f"{db_path}: cannot update the database: {error}") from error
    finally:
        engine.dispose()


def create_engine(db_path: Path) -> Engine:
    from sqlalchemy import create_engine as sa_create_engine
    from sqlalchemy import event

    db_path.parent.mkdir(parents=True, exist_ok=True)
    engine = sa_create_engine(f"sqlite:///{db_path}")

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
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
