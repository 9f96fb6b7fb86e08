"""A module's or decision aid's changelog: checked, and written for the build.

Each version of a source text may say what changed, so that readers see why a text
they knew is different and translators see what to look at again.
"""

from __future__ import annotations

import json
from datetime import date

from sdm_app.content.model import ChangeDoc
from sdm_app.content.problems import CHANGELOG, CHANGELOG_MISSING, ProblemLog


def check_changelog(
    changes: list[ChangeDoc], version: int | None, line: int, log: ProblemLog, today: date
) -> None:
    """Entries name versions up to the current one, once each, dated no later than
    today; once a text keeps a changelog, each later version should say what changed
    (a warning; texts older than their changelog are not asked for their history)."""
    seen: set[int] = set()
    for change in changes:
        if change.version is None:
            continue  # reported by the loader
        if version is not None and not 1 <= change.version <= version:
            log.error(
                change.line,
                CHANGELOG,
                f"the changelog names version {change.version}, but the text is version {version}",
            )
        if change.version in seen:
            log.error(change.line, CHANGELOG, f"version {change.version} is in the changelog twice")
        seen.add(change.version)
        if change.day is not None and change.day > today:
            log.error(
                change.line, CHANGELOG, f"the changelog entry is dated after today ({change.day})"
            )
    if changes and version is not None and version > 1 and version not in seen:
        log.warning(
            line,
            CHANGELOG_MISSING,
            f"version {version} has no changelog entry: say what changed, for readers and "
            "translators",
        )


def changelog_json(changes: list[ChangeDoc]) -> str:
    """The complete entries, newest first, as stored in the content database."""
    entries = [
        {"version": c.version, "date": c.day.isoformat(), "change": c.text}
        for c in changes
        if c.version is not None and c.day is not None and c.text
    ]
    entries.sort(key=lambda entry: -int(str(entry["version"])))
    return json.dumps(entries)
