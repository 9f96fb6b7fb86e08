"""The user's preferences: typed access over the settings table."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from sdm_app.storage.errors import storage_reason
from sdm_app.storage.user_db import UserDatabase, UserDatabaseError, read_settings_snapshot

TEXT_SCALE_MIN = 100
TEXT_SCALE_MAX = 200
TEXT_SCALE_DEFAULT = 100
TEXT_SCALE_STEP = 10
PAPERS = ("auto", "a4", "letter")  # auto: the usual paper of the system's region
GENETICS_SERVICE_MAX = 300  # characters: a name and a telephone number


class Settings(NamedTuple):
    language: str | None = None
    text_scale: int = TEXT_SCALE_DEFAULT
    high_contrast: bool = False
    paper: str = "auto"  # for printed summaries and letters
    large_print: bool = False
    genetics_service: str = ""  # how relatives reach it, printed on the family letter

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
        )

    def to_text(self) -> dict[str, str]:
        values = {
            "text_scale": str(self.text_scale),
            "high_contrast": "1" if self.high_contrast else "0",
            "paper": self.paper,
            "large_print": "1" if self.large_print else "0",
            "genetics_service": self.genetics_service,
        }
        if self.language:
            values["language"] = self.language
        return values


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
        self._settings = Settings.from_text(read_settings_snapshot(database.path))

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
        )
        # Kept in memory even if the write fails: the choice holds for this session.
        self._settings = new
        self._write(new)
        return new

    def _write(self, settings: Settings) -> None:
        from sqlalchemy.exc import SQLAlchemyError

        from sdm_app.storage.models import Setting

        now = datetime.now()
        try:
            with self._database.session() as session:
                for key, value in settings.to_text().items():
                    session.merge(Setting(key=key, value=value, updated_at=now))
        except (SQLAlchemyError, OSError, UserDatabaseError) as error:
            raise SettingsNotSavedError(self._database.path, error) from error
