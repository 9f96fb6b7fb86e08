from __future__ import annotations

from pathlib import Path

import pytest

from sdm_app import paths
from sdm_app.storage.migrations import HEAD_REVISION
from sdm_app.storage.settings import Settings, SettingsStore, read_plain_settings
from sdm_app.storage.user_db import (
    MIGRATIONS_DIR,
    UserDatabase,
    UserDatabaseError,
    current_revision,
    migrate,
    read_settings_snapshot,
)
from sdm_app.storage.user_db import connect as user_db_connect


def test_user_db_lives_in_the_overridden_folder(isolated_user_folders: Path) -> None:
    assert paths.user_db_path() == isolated_user_folders / "user.db"


def test_head_revision_constant_matches_the_migration_scripts() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD_REVISION


def test_migrate_creates_the_schema_and_is_idempotent(tmp_path: Path) -> None:
    db_path = tmp_path / "user.db"
    assert current_revision(db_path) is None
    migrate(db_path)
    assert current_revision(db_path) == HEAD_REVISION
    migrate(db_path)
    with user_db_connect(db_path, None) as connection:
        tables = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
    assert {"settings", "alembic_version"} <= tables


def test_connections_use_wal_and_full_sync(tmp_path: Path) -> None:
    database = UserDatabase(tmp_path / "user.db")
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    database.close()


def test_settings_survive_reopening(tmp_path: Path) -> None:
    db_path = tmp_path / "user.db"
    database = UserDatabase(db_path)
    store = SettingsStore(database)
    assert store.settings == Settings()
    store.update(language="ar", text_scale=180, high_contrast=True)
    database.close()

    reopened = SettingsStore(UserDatabase(db_path))
    assert reopened.settings == Settings(language="ar", text_scale=180, high_contrast=True)
    # What the screen needs before unlocking is kept beside the database, the rest in it.
    assert read_plain_settings(db_path) == {
        "language": "ar",
        "text_scale": "180",
        "high_contrast": "1",
    }
    assert read_settings_snapshot(db_path)["paper"] == "auto"


def test_text_scale_is_clamped_and_bad_values_fall_back() -> None:
    assert Settings.from_text({"text_scale": "900"}).text_scale == 200
    assert Settings.from_text({"text_scale": "12"}).text_scale == 100
    assert Settings.from_text({"text_scale": "big"}).text_scale == 100


def test_a_file_that_is_not_a_database_gives_a_message_naming_it(tmp_path: Path) -> None:
    db_path = tmp_path / "user.db"
    db_path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(UserDatabaseError, match=r"user\.db"):
        migrate(db_path)
    assert db_path.read_bytes() == b"this is not sqlite" * 100


def test_a_failed_write_is_reported_and_the_choice_holds_for_the_session(tmp_path: Path) -> None:
    from sdm_app.storage.settings import SettingsNotSavedError

    unusable = tmp_path / "a-folder"
    unusable.mkdir()  # a folder where the database file should be
    store = SettingsStore(UserDatabase(unusable))
    with pytest.raises(SettingsNotSavedError) as caught:
        store.update(text_scale=150)
    assert caught.value.path == unusable
    assert store.settings.text_scale == 150


def test_a_relative_data_folder_is_made_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SDM_APP_DATA_DIR", "relative-data")
    path = paths.user_db_path()
    assert path.is_absolute()
    migrate(path)
    assert read_settings_snapshot(path) == {}
