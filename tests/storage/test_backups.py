"""Backups before a migration, a failed migration that changes nothing, and a
user.db only its owner can read."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from sdm_app.storage import user_db
from sdm_app.storage.consultations import ConsultationStore
from sdm_app.storage.migrations import HEAD_REVISION
from sdm_app.storage.user_db import (
    UserDatabase,
    UserDatabaseError,
    backup,
    backups_dir,
    current_revision,
    migrate,
)
from sdm_app.storage.user_db import connect as user_db_connect

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "userdb" / "user-0.1.0.db"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _old_database(tmp_path: Path) -> Path:
    db_path = tmp_path / "data" / "user.db"
    db_path.parent.mkdir()
    shutil.copyfile(FIXTURE, db_path)
    return db_path


def test_a_migration_is_preceded_by_a_verified_backup(tmp_path: Path) -> None:
    db_path = _old_database(tmp_path)
    old_revision = current_revision(db_path)
    with user_db_connect(db_path, None) as connection:
        rows = connection.execute("SELECT count(*) FROM test_results").fetchone()
    migrate(db_path)
    assert current_revision(db_path) == HEAD_REVISION != old_revision
    (copy,) = backups_dir(db_path).glob(f"user-*-before-{old_revision}.db")
    assert current_revision(copy) == old_revision  # the database as it was
    with user_db_connect(copy, None) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("SELECT count(*) FROM test_results").fetchone() == rows
    assert not db_path.with_name("user.db.migrating").exists()


def test_a_failed_migration_leaves_the_file_byte_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alembic import command

    db_path = _old_database(tmp_path)
    before = _digest(db_path)

    def upgrade_then_fail(config: object, revision: str) -> None:
        connection = config.attributes["connection"]  # type: ignore[attr-defined]
        connection.exec_driver_sql("CREATE TABLE half_done (x INTEGER)")
        connection.exec_driver_sql("DELETE FROM test_results")
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(command, "upgrade", upgrade_then_fail)
    with pytest.raises(UserDatabaseError, match="unchanged"):
        migrate(db_path)
    assert _digest(db_path) == before
    assert list(backups_dir(db_path).glob("user-*.db"))  # and a copy to restore from


def test_only_the_last_backups_are_kept(tmp_path: Path) -> None:
    db_path = tmp_path / "user.db"
    database = UserDatabase(db_path)
    ConsultationStore(database).create()
    database.close()
    made = [backup(db_path, f"test{n}") for n in range(user_db.BACKUPS_KEPT + 3)]
    kept = sorted(backups_dir(db_path).glob("user-*.db"))
    assert kept == made[-user_db.BACKUPS_KEPT :]


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_user_db_and_its_folder_are_private(tmp_path: Path) -> None:
    db_path = tmp_path / "data" / "user.db"
    database = UserDatabase(db_path)
    store = ConsultationStore(database)
    store.create()
    try:
        assert (db_path.parent.stat().st_mode & 0o777) == 0o700
        for name in ("user.db", "user.db-wal", "user.db-shm"):
            path = db_path.with_name(name)
            if path.exists():
                assert (path.stat().st_mode & 0o777) == 0o600, name
        with database.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    finally:
        database.close()


def test_a_path_with_url_characters_names_that_file(tmp_path: Path) -> None:
    odd = tmp_path / "a?mode=memory%41#x" / "user.db"
    database = UserDatabase(odd)
    ConsultationStore(database).create()
    database.close()
    assert odd.is_file()
    assert current_revision(odd) == HEAD_REVISION


def test_a_daily_backup_is_made_once_a_day(tmp_path: Path) -> None:
    from datetime import timedelta

    from sdm_app.storage.user_db import backup_if_due, list_backups

    db_path = tmp_path / "user.db"
    database = UserDatabase(db_path)
    ConsultationStore(database).create()
    database.close()
    first = backup_if_due(db_path)
    assert first is not None and backup_if_due(db_path) is None
    assert backup_if_due(db_path, every=timedelta(0)) is not None
    assert len(list_backups(db_path)) == 2


def test_restore_puts_a_backup_back_and_keeps_what_it_replaced(tmp_path: Path) -> None:
    from dataclasses import replace

    from sdm_app.storage.user_db import restore

    db_path = tmp_path / "user.db"
    database = UserDatabase(db_path)
    store = ConsultationStore(database)
    saved = store.save(replace(store.create(), patient_label="before"))
    database.close()
    kept = backup(db_path, "test")
    database = UserDatabase(db_path)
    store = ConsultationStore(database)
    store.save(replace(saved, patient_label="after"))
    database.close()
    undo = restore(db_path, kept)
    database = UserDatabase(db_path)
    try:
        restored = ConsultationStore(database).load(saved.id or 0)
        assert restored is not None and restored.patient_label == "before"
    finally:
        database.close()
    assert undo.is_file() and undo.parent == backups_dir(db_path)  # the replaced data
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database at all")
    with pytest.raises(UserDatabaseError, match=r"not a readable user\.db backup"):
        restore(db_path, bad)


def test_restoring_the_oldest_backup_keeps_it_and_works_on_a_damaged_file(
    tmp_path: Path,
) -> None:
    from sdm_app.storage.user_db import restore

    db_path = tmp_path / "user.db"
    database = UserDatabase(db_path)
    ConsultationStore(database).create()
    database.close()
    made = [backup(db_path, f"n{n}") for n in range(user_db.BACKUPS_KEPT)]
    oldest = made[0]
    db_path.write_bytes(b"damaged beyond reading " * 100)  # why one restores
    for extra in ("-wal", "-shm"):
        db_path.with_name(db_path.name + extra).unlink(missing_ok=True)
    undo = restore(db_path, oldest)
    assert oldest.is_file()  # not rotated away by the undo copy
    assert undo.read_bytes().startswith(b"damaged beyond reading")
    assert current_revision(db_path) == HEAD_REVISION


def test_a_daily_backup_that_fails_never_stops_the_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sdm_app.app import StartupProblem, create_application, start_session

    def failing(_path: Path, _reason: str, _key: bytes | None = None) -> Path:
        raise UserDatabaseError("the backup did not pass its integrity check")

    monkeypatch.setattr(user_db, "backup", failing)
    started = start_session(create_application())
    assert not isinstance(started, StartupProblem), started
    started.library.close()
    started.database.close()
