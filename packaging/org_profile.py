"""An organisation's profile for a branded build: read it and check every field.

Problems come back as ``FILE:LINE: FIELD: message`` lines, all of them at once,
so an organisation can fix its profile in one pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

PROFILE_FILE = "profile.yaml"
_ID = re.compile(r"^[a-z][a-z0-9-]{1,39}$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]{2,8})?$")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MIN_CONTRAST = 4.5  # WCAG AA for white text on the accent colour


@dataclass
class Profile:
    folder: Path
    id: str = ""
    app_names: dict[str, str] = field(default_factory=dict)
    organisation: str = ""
    website: str = ""
    email: str = ""
    phone: str = ""
    logo: Path | None = None
    accent: str = ""
    default_locale: str = ""
    locales: list[str] = field(default_factory=list)
    content_packs: list[str] = field(default_factory=list)

    def branding_json(self) -> dict[str, object]:
        return {
            "app_names": self.app_names,
            "organisation": self.organisation,
            "website": self.website,
            "email": self.email,
            "phone": self.phone,
            "accent": self.accent,
            "logo": "logo.png" if self.logo else "",
            "default_locale": self.default_locale,
            "locales": self.locales,
        }


class ProfileError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _lines(node: yaml.Node, prefix: str = "") -> dict[str, int]:
    """The line (1-based) of each key, nested ones as "contact.website", for messages."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    found: dict[str, int] = {}
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode):
            name = f"{prefix}{key.value}"
            found[name] = key.start_mark.line + 1
            found.update(_lines(value, f"{name}."))
    return found


def relative_luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast_with_white(colour: str) -> float:
    return 1.05 / (relative_luminance(colour) + 0.05)


def load_profile(folder: Path, *, locales_root: Path, content_root: Path) -> Profile:
    """Read ``folder/profile.yaml``; raises ProfileError listing every problem."""
    path = folder / PROFILE_FILE
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8")
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except OSError as error:
        raise ProfileError([f"{shown}:1: file: {error.strerror or error}"]) from error
    except UnicodeDecodeError as error:
        raise ProfileError([f"{shown}:1: file: not UTF-8 text ({error.reason})"]) from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise ProfileError([f"{shown}:{line}: file: not valid YAML"]) from error
    if not isinstance(data, dict):
        raise ProfileError([f"{shown}:1: file: expected fields such as id and app_name"])
    return _Checker(
        folder, shown, data, _lines(node) if node is not None else {}, locales_root, content_root
    ).run()


class _Checker:
    def __init__(
        self,
        folder: Path,
        shown: str,
        data: dict[str, Any],
        lines: dict[str, int],
        locales_root: Path,
        content_root: Path,
    ) -> None:
        self.folder, self.shown, self.data, self.lines = folder, shown, data, lines
        self.locales_root, self.content_root = locales_root, content_root
        self.problems: list[str] = []
        self.profile = Profile(folder)

    def problem(self, key: str, message: str) -> None:
        line = self.lines.get(key) or self.lines.get(key.split(".")[0], 1)
        self.problems.append(f"{self.shown}:{line}: {key}: {message}")

    def text(self, key: str, *, required: bool) -> str:
        value = self.data.get(key)
        if value is None:
            if required:
                self.problem(key, "required")
            return ""
        if not isinstance(value, str) or not value.strip():
            self.problem(key, "must be text")
            return ""
        return value.strip()

    def run(self) -> Profile:
        known = {
            "id", "app_name", "organisation", "contact", "logo", "colours",
            "default_locale", "locales", "content_packs",
        }  # fmt: skip
        for key in self.data:
            if key not in known:
                self.problem(str(key), f"unknown field; expected one of {', '.join(sorted(known))}")
        profile = self.profile
        profile.id = self.text("id", required=True)
        if profile.id and not _ID.match(profile.id):
            self.problem("id", "use 2-40 lowercase letters, digits and dashes; start with a letter")
        profile.organisation = self.text("organisation", required=True)
        self._app_names()
        self._contact()
        self._logo()
        self._colours()
        self._locales()
        self._packs()
        if self.problems:
            raise ProfileError(self.problems)
        return profile

    def _app_names(self) -> None:
        value = self.data.get("app_name")
        if isinstance(value, str) and value.strip():
            self.profile.app_names = {"en": value.strip()}
            return
        if not isinstance(value, dict) or not value:
            self.problem("app_name", "required: a name, or names by language code")
            return
        for code, name in value.items():
            if not isinstance(code, str) or not _LOCALE.match(code):
                self.problem("app_name", f"{code!r} is not a language code such as en or es")
            elif not isinstance(name, str) or not name.strip():
                self.problem("app_name", f"the name for {code} must be text")
            else:
                self.profile.app_names[code] = name.strip()

    def _contact(self) -> None:
        contact = self.data.get("contact", {})
        if not isinstance(contact, dict):
            self.problem("contact", "expected website, email and phone")
            return
        for key in contact:
            if key not in ("website", "email", "phone"):
                self.problem(f"contact.{key}", "unknown field; expected website, email or phone")
        website = contact.get("website", "")
        email = contact.get("email", "")
        phone = contact.get("phone", "")
        if not isinstance(website, str) or (website and not website.startswith("https://")):
            self.problem("contact.website", "must be an https:// address")
        else:
            self.profile.website = website
        if not isinstance(email, str) or (email and not _EMAIL.match(email)):
            self.problem("contact.email", "must be an email address")
        else:
            self.profile.email = email
        if not isinstance(phone, str):
            # Unquoted, YAML reads 030123456 as a number (even as octal): digits are lost.
            self.problem("contact.phone", 'write it in quotes, for example "+44 20 7946 0000"')
        else:
            self.profile.phone = phone
        if not (self.profile.website or self.profile.email or self.profile.phone):
            self.problem("contact", "give at least one way to reach the organisation")

    def _logo(self) -> None:
        name = self.text("logo", required=False)
        if not name:
            return
        path = (self.folder / name).resolve()
        if not path.is_relative_to(self.folder.resolve()):
            self.problem("logo", "must be a file in the profile's folder")
            return
        try:
            head = path.read_bytes()[:8]
        except OSError:
            self.problem("logo", f"{name}: no such file in the profile's folder")
            return
        if head != _PNG_SIGNATURE:
            self.problem("logo", f"{name}: must be a PNG image")
            return
        self.profile.logo = path

    def _colours(self) -> None:
        colours = self.data.get("colours", {})
        if not isinstance(colours, dict):
            self.problem("colours", "expected accent")
            return
        accent = colours.get("accent", "")
        if not accent:
            return
        if not isinstance(accent, str) or not _COLOUR.match(accent):
            self.problem("colours.accent", 'must be a colour such as "#1f5f8b"')
            return
        ratio = contrast_with_white(accent)
        if ratio < MIN_CONTRAST:
            self.problem(
                "colours.accent",
                f"white text on {accent} has contrast {ratio:.1f}:1; it needs {MIN_CONTRAST}:1"
                " (choose a darker colour)",
            )
            return
        self.profile.accent = accent

    def _locales(self) -> None:
        locales = self.data.get("locales")
        if not isinstance(locales, list) or not locales:
            self.problem("locales", "required: the list of languages to include, e.g. [en, es]")
            return
        for code in locales:
            if not isinstance(code, str) or not _LOCALE.match(code):
                self.problem("locales", f"{code!r} is not a language code such as en or es")
            elif code != "en" and not (self.locales_root / code / "LC_MESSAGES").is_dir():
                self.problem("locales", f"{code}: the app has no translation for this language")
            elif code not in self.profile.locales:
                self.profile.locales.append(code)
        if "en" not in self.profile.locales:
            self.profile.locales.insert(0, "en")  # the source language is always there
        default = self.text("default_locale", required=True)
        if default and default not in self.profile.locales:
            self.problem("default_locale", f"{default} is not in locales")
        self.profile.default_locale = default

    def _packs(self) -> None:
        packs = self.data.get("content_packs")
        if not isinstance(packs, list) or not packs:
            self.problem("content_packs", "required: the content packs to include, e.g. [core]")
            return
        for name in packs:
            if not isinstance(name, str) or not _ID.match(name):
                self.problem("content_packs", f"{name!r}: not a pack folder name such as core")
            elif not (self.content_root / name / "pack.yaml").is_file():
                self.problem("content_packs", f"{name!r}: no such pack in {self.content_root}")
            else:
                self.profile.content_packs.append(name)
