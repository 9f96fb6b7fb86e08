"""An organisation's branding, when the app is one of its builds.

A branded build carries ``resources/branding/branding.json``, written by the
build from the organisation's profile (``packaging/profiles/``), which has been
checked by then. The project's own app has no such file and no branding.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from sdm_app import paths

BRANDING_FILE = "branding.json"


class Branding(NamedTuple):  # a NamedTuple: dataclasses cost start-up time
    app_names: dict[str, str]  # by language code; the source language at least
    organisation: str
    website: str = ""
    email: str = ""
    phone: str = ""
    accent: str = ""  # "#rrggbb", used for selection and links
    logo: Path | None = None
    default_locale: str = ""
    locales: tuple[str, ...] = ()

    def app_name(self, language: str) -> str:
        base = language.replace("-", "_").split("_")[0]
        for code in (language, base, "en"):
            if self.app_names.get(code):
                return self.app_names[code]
        return next(iter(self.app_names.values()), self.organisation)


def branding_dir(root: Path | None = None) -> Path:
    return (root or paths.resources_dir()) / "branding"


def parse_branding(data: object, folder: Path) -> Branding:
    """A Branding from the JSON the build wrote; ValueError when it is not that."""
    if not isinstance(data, dict):
        raise ValueError("not an object")
    names = data.get("app_names")
    organisation = data.get("organisation")
    if not isinstance(names, dict) or not names or not isinstance(organisation, str):
        raise ValueError("app_names and organisation are required")
    texts = {
        key: value
        for key in ("website", "email", "phone", "accent", "default_locale", "logo")
        if isinstance(value := data.get(key, ""), str)
    }
    locales = data.get("locales", [])
    logo = folder / texts["logo"] if texts.get("logo") else None
    return Branding(
        app_names={str(key): str(value) for key, value in names.items()},
        organisation=organisation,
        website=texts.get("website", ""),
        email=texts.get("email", ""),
        phone=texts.get("phone", ""),
        accent=texts.get("accent", ""),
        logo=logo if logo is not None and logo.is_file() else None,
        default_locale=texts.get("default_locale", ""),
        locales=tuple(str(code) for code in locales) if isinstance(locales, list) else (),
    )


@lru_cache(maxsize=1)
def current_branding() -> Branding | None:
    """This build's branding, or None for the project's own app."""
    folder = branding_dir()
    try:
        raw = (folder / BRANDING_FILE).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as error:
        print(f"{folder / BRANDING_FILE}: {error}", file=sys.stderr)
        return None
    import json  # only branded builds have the file

    try:
        return parse_branding(json.loads(raw), folder)
    except ValueError as error:  # json.JSONDecodeError is a ValueError
        # The build checked the profile; a damaged file falls back to no branding.
        print(f"{folder / BRANDING_FILE}: {error}", file=sys.stderr)
        return None
