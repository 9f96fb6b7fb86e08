"""SIGKILL during saves and during a schema upgrade: a short run of the stress benchmark
(``benchmarks/stress_kill.py``; the full run is 500 and 50 kills), and the recovery
steps it relies on, one by one."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from benchmarks.stress_kill import (
    OLD_REVISION,
    integrity_problems,
    make_old_database,
    run_migration_kills,
    run_save_kills,
)
from sdm_app.storage.migrations import HEAD_REVISION
from sdm_app.storage.user_db import (
    backup,
    backups_dir,
    current_revision,
    list_backups,
    migrate,
)


def test_twenty_kills_during_saves_lose_no_acknowledged_save(tmp_path: Path) -> None:
    figures = run_save_kills(20, 16, tmp_path, pause=(0.0, 0.25))
    print(figures.line())
    assert figures.kills == 20
    assert figures.operations_acknowledged >= 20
    assert (figures.integrity_failures, figures.lost_acks) == (0, 0), figures.problems[:5]
    assert figures.backup_restorable


def test_five_kills_during_an_upgrade_leave_the_old_or_the_new_database(tmp_path: Path) -> None:
    figures = run_migration_kills(5, 16, tmp_path, consultations=60)
    print(figures.line())
    assert figures.kills == 5
    assert figures.untouched + figures.old_intact + figures.upgraded == 5, figures.problems[:5]
    assert (figures.integrity_failures, figures.half, figures.next_start_failures) == (0, 0, 0)
    assert figures.backups_restorable == figures.backups_made


def _dump(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def test_an_upgrade_cut_short_is_put_back_and_done_again_at_the_next_start(
    tmp_path: Path,
) -> None:
    db_path = make_old_database(tmp_path / "data" / "user.db", consultations=3)
    clean = tmp_path / "clean" / "user.db"
    clean.parent.mkdir()
    shutil.copyfile(db_path, clean)
    # What a kill half-way through an upgrade left before upgrades were one transaction:
    # the safety copy, and a database with some of the new columns at the old revision.
    shutil.copyfile(db_path, db_path.with_name("user.db.migrating"))
    with sqlite3.connect(db_path) as connection:
        connection.execute("ALTER TABLE test_results ADD COLUMN confirmation TEXT")
    connection.close()
    migrate(db_path)
    assert current_revision(db_path) == HEAD_REVISION
    assert not db_path.with_name("user.db.migrating").exists()
    migrate(clean)
    assert _dump(db_path) == _dump(clean)  # as if the first upgrade had never been cut short
    (before,) = backups_dir(db_path).glob(f"user-*-before-{OLD_REVISION}.db")
    assert integrity_problems(before) == []
    with sqlite3.connect(before) as connection:  # the backup is of the old file, not the half
        columns = [row[1] for row in connection.execute("PRAGMA table_info(test_results)")]
    connection.close()
    assert "confirmation" not in columns


def test_a_safety_copy_left_after_a_finished_upgrade_is_removed(tmp_path: Path) -> None:
    db_path = make_old_database(tmp_path / "data" / "user.db", consultations=1)
    migrate(db_path)
    leftover = db_path.with_name("user.db.migrating")
    shutil.copyfile(make_old_database(tmp_path / "old" / "user.db", 1), leftover)
    migrate(db_path)
    assert not leftover.exists()
    assert current_revision(db_path) == HEAD_REVISION


def test_a_backup_cut_short_is_never_listed_and_is_cleared_by_the_next(tmp_path: Path) -> None:
    db_path = make_old_database(tmp_path / "data" / "user.db", consultations=1)
    folder = backups_dir(db_path)
    folder.mkdir()
    half = folder / ".partial-user-20260101-000000-000000-daily.db"
    half.write_bytes(db_path.read_bytes()[:1000])
    assert list_backups(db_path) == []
    made = backup(db_path, "daily")
    assert [info.path for info in list_backups(db_path)] == [made]
    assert not half.exists()
    assert integrity_problems(made) == []
