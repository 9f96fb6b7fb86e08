"""The user's preferences: typed access over the settings table.

What the screen needs before the data is unlocked (language, text size, contrast)
cannot wait for the key: those three live in ``preferences.json`` beside user.db
(0600, never anything about a consultation). Every other setting is kept in the
encrypted user.db.
"""

from __future__ import annotations

import contextlib
import json
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from sdm_app.storage.encryption import write_private_text
from sdm_app.storage.errors import storage_reason
from sdm_app.storage.user_db import UserDatabase, UserDatabaseError, read_settings_snapshot

TEXT_SCALE_MIN = 100
TEXT_SCALE_MAX = 200
TEXT_SCALE_DEFAULT = 100
TEXT_SCALE_STEP = 10
PAPERS = ("auto", "a4", "letter")  # auto: the usual paper of the system's region
GENETICS_SERVICE_MAX = 300  # characters: a name and a telephone number
AUTO_LOCK_DEFAULT = 15  # minutes without use before the app locks itself; 0: never
AUTO_LOCK_MAX = 24 * 60
# Settings read before unlocking, kept outside the encrypted database.
PLAIN_KEYS = ("language", "text_scale", "high_contrast")
PREFERENCES_NAME = "preferences.json"


class Settings(NamedTuple):
    language: str | None = None
    text_scale: int = TEXT_SCALE_DEFAULT
    high_contrast: bool = False
    paper: str = "auto"  # for printed summaries and letters
    large_print: bool = False
    genetics_service: str = ""  # how relatives reach it, printed on the family letter
    auto_lock_minutes: int = AUTO_LOCK_DEFAULT

    @classmethod
    def from_text(cls, values: dict[str, str]) -> Settings:
        """Parse stored text leniently: a damaged value falls back to its default."""
        try:
            scale = int(values.get("text_scale", TEXT_SCALE_DEFAULT))
        except ValueError:
            scale = TEXT_SCALE_DEFAULT
        return cls(
            language=values.get("language") or None,
            text_scale=clamp_text_scale(scale),
            high_contrast=values.get("high_contrast") == "1",
            paper=_paper(values.get("paper")),
            large_print=values.get("large_print") == "1",
            genetics_service=values.get("genetics_service", "")[:GENETICS_SERVICE_MAX],
            auto_lock_minutes=_auto_lock(values.get("auto_lock_minutes")),
        )

    def to_text(self) -> dict[str, str]:
        values = {
            "text_scale": str(self.text_scale),
            "high_contrast": "1" if self.high_contrast else "0",
            "paper": self.paper,
            "large_print": "1" if self.large_print else "0",
            "genetics_service": self.genetics_service,
            "auto_lock_minutes": str(self.auto_lock_minutes),
        }
        if self.language:
            values["language"] = self.language
        return values


def _auto_lock(value: str | None) -> int:
    try:
        minutes = int(value) if value is not None else AUTO_LOCK_DEFAULT
    except ValueError:
        return AUTO_LOCK_DEFAULT
    return max(0, min(AUTO_LOCK_MAX, minutes))


def preferences_path(db_path: Path) -> Path:
    return db_path.with_name(PREFERENCES_NAME)


def read_plain_settings(db_path: Path) -> dict[str, str]:
    """The settings kept outside the encrypted database, as text ({} when none)."""
    try:
        data = json.loads(preferences_path(db_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {key: str(data[key]) for key in PLAIN_KEYS if key in data}


def write_plain_settings(db_path: Path, values: dict[str, str]) -> None:
    plain = {key: values[key] for key in PLAIN_KEYS if key in values}
    write_private_text(preferences_path(db_path), json.dumps(plain, indent=2))


def _paper(value: str | None) -> str:
    return value if value in PAPERS and value is not None else "auto"


def clamp_text_scale(value: int) -> int:
    return max(TEXT_SCALE_MIN, min(TEXT_SCALE_MAX, value))


class SettingsNotSavedError(Exception):
    """A setting could not be written; it still applies until the app closes."""

    def __init__(self, path: Path, reason: BaseException) -> None:
        super().__init__(f"{path}: {storage_reason(reason)}")
        self.path = path
        self.reason = reason


class SettingsStore:
    """Reads settings once at start; each change is written in its own transaction."""

    def __init__(self, database: UserDatabase) -> None:
        self._database = database
        # An earlier release kept every setting in user.db: those still count until
        # the file beside it has its own.
        stored = read_settings_snapshot(database.path, database.key)
        plain = read_plain_settings(database.path)
        self._settings = Settings.from_text({**stored, **plain})
        if not plain and any(key in stored for key in PLAIN_KEYS):
            # Copied out once, so the next start asks for the passphrase in the
            # person's language and text size.
            with contextlib.suppress(OSError):
                write_plain_settings(database.path, self._settings.to_text())

    @property
    def settings(self) -> Settings:
        return self._settings

    def update(
        self,
        *,
        language: str | None = None,
        text_scale: int | None = None,
        high_contrast: bool | None = None,
        paper: str | None = None,
        large_print: bool | None = None,
        genetics_service: str | None = None,
        auto_lock_minutes: int | None = None,
    ) -> Settings:
        """Change the given settings (the others stay) and write them at once."""
        current = self._settings
        scale = current.text_scale if text_scale is None else text_scale
        new = Settings(
            language=current.language if language is None else language,
            text_scale=clamp_text_scale(scale),
            high_contrast=current.high_contrast if high_contrast is None else high_contrast,
            paper=current.paper if paper not in PAPERS else paper,
            large_print=current.large_print if large_print is None else large_print,
            genetics_service=current.genetics_service
            if genetics_service is None
            else genetics_service.strip()[:GENETICS_SERVICE_MAX],
            auto_lock_minutes=current.auto_lock_minutes
            if auto_lock_minutes is None
            else max(0, min(AUTO_LOCK_MAX, auto_lock_minutes)),
        )
        # Kept in memory even if the write fails: the choice holds for this session.
        self._settings = new
        self._write(new)
        return new

    def _write(self, settings: Settings) -> None:
        from sqlalchemy.exc import SQLAlchemyError

        from sdm_app.storage.models import Setting

        now = datetime.now()
        values = settings.to_text()
        try:
            write_plain_settings(self._database.path, values)
            if self._database.locked:
                return  # only those outside the database can change while locked
            with self._database.session() as session:
                for key, value in values.items():
                    if key not in PLAIN_KEYS:
                        session.merge(Setting(key=key, value=value, updated_at=now))
        except (SQLAlchemyError, OSError, UserDatabaseError) as error:
            raise SettingsNotSavedError(self._database.path, error) from error
