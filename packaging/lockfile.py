"""Read `packaging/requirements.lock`: which release of each package, for which platform.

The lock is written by uv (`python3 packaging/dev.py lock`) in pip's requirements
format: one `name==version ; marker` line per package, with the hash of every file
of that release. This module only reads it; pip does the installing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from packaging.markers import Marker
from packaging.utils import canonicalize_name

LOCK = Path(__file__).resolve().parent / "requirements.lock"
_PIN = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;]+)\s*(?:;(?P<marker>.*))?$"
)


@dataclass(frozen=True, slots=True)
class Pin:
    name: str  # canonical: lower case, runs of -_. as one -
    version: str
    marker: str | None
    hashes: tuple[str, ...]

    def applies(self, environment: dict[str, str] | None = None) -> bool:
        """True when this line installs in ``environment`` (default: this interpreter)."""
        return self.marker is None or Marker(self.marker).evaluate(environment)


def _logical_lines(text: str) -> list[str]:
    lines: list[str] = []
    current = ""
    for raw in text.splitlines():
        stripped = raw.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        lines.append(current + stripped)
        current = ""
    if current:
        lines.append(current)
    return lines


def read_lock(path: Path = LOCK) -> list[Pin]:
    pins: list[Pin] = []
    for number, line in enumerate(_logical_lines(path.read_text(encoding="utf-8")), 1):
        requirement, *hash_options = line.split(" --hash=")
        found = _PIN.match(requirement.strip())
        if found is None:
            raise ValueError(f"{path}: entry {number} is not `name==version`: {line[:80]}")
        hashes = tuple(option.strip() for option in hash_options)
        marker = found.group("marker")
        pins.append(
            Pin(
                canonicalize_name(found.group("name")),
                found.group("version"),
                marker.strip() if marker else None,
                hashes,
            )
        )
    return pins


def versions_for(pins: list[Pin], environment: dict[str, str] | None = None) -> dict[str, str]:
    """Package name to version, for the lines that install in ``environment``."""
    chosen: dict[str, str] = {}
    for pin in pins:
        if not pin.applies(environment):
            continue
        if chosen.get(pin.name, pin.version) != pin.version:
            raise ValueError(f"{pin.name} is locked at two versions for one platform")
        chosen[pin.name] = pin.version
    return chosen
