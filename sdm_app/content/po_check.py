"""Checks on translated PO catalogues, each problem at the PO file's line.

Per translated segment (fuzzy ones are known to be out of date and are left alone):
the numbers, glossary marks (by term id), citations, link targets and placeholders
must be those of the source text; a table cell must not contain '|'; a review comment
must name a known state. Per catalogue: the plural forms must be the language's, and
every plural message must fill each of them.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from sdm_app.content.po import REVIEW_STATES, must_survive, read_catalogue
from sdm_app.content.problems import NUMBER_MISMATCH, Problem

TERM_MISMATCH = "term-mismatch"
CITATION_MISMATCH = "citation-mismatch"
LINK_MISMATCH = "link-mismatch"
PLACEHOLDER_MISMATCH = "placeholder-mismatch"
PLURAL_FORMS = "plural-forms"
TABLE_CELL = "table-cell"
REVIEW_STATE = "review-state"
PO_SYNTAX = "po-syntax"

_WHAT = {
    "numbers": (NUMBER_MISMATCH, "numbers"),
    "terms": (TERM_MISMATCH, "glossary marks"),
    "citations": (CITATION_MISMATCH, "citations"),
    "links": (LINK_MISMATCH, "links"),
    "placeholders": (PLACEHOLDER_MISMATCH, "placeholders"),
}


def _difference(source: list[str], translation: list[str]) -> str:
    lost = Counter(source) - Counter(translation)
    added = Counter(translation) - Counter(source)
    parts = []
    if lost:
        parts.append("missing " + ", ".join(sorted(lost.elements())))
        # one of each is enough to show which
    if added:
        parts.append("not in the source " + ", ".join(sorted(added.elements())))
    return "; ".join(parts)


def check_segment(source: str, translation: str) -> list[tuple[str, str]]:
    """``(rule, message)`` for each way ``translation`` differs from ``source``."""
    found: list[tuple[str, str]] = []
    wanted, given = must_survive(source), must_survive(translation)
    for part, (rule, what) in _WHAT.items():
        if Counter(wanted[part]) != Counter(given[part]):
            found.append(
                (
                    rule,
                    f"the {what} differ from the source: {_difference(wanted[part], given[part])}",
                )
            )
    return found


def _plural_count(locale: str) -> int | None:
    from babel import Locale
    from babel.messages.plurals import get_plural

    try:
        return get_plural(Locale.parse(locale, sep="_")).num_plurals
    except Exception:  # an unknown code: the content check reports the file name
        return None


def check_file(path: Path, shown: str | None = None) -> list[Problem]:
    file = shown or str(path)
    locale = path.stem
    try:
        catalogue = read_catalogue(path)
    except Exception as error:  # Babel raises several kinds for a damaged file
        return [Problem(file, 1, PO_SYNTAX, f"cannot read the catalogue ({error})")]
    problems: list[Problem] = []
    expected = _plural_count(str(catalogue.locale) if catalogue.locale else locale)
    plural_messages = [m for m in catalogue if m.id and isinstance(m.id, tuple | list)]
    if expected is not None and plural_messages and catalogue.num_plurals != expected:
        problems.append(
            Problem(
                file,
                1,
                PLURAL_FORMS,
                f"the header gives {catalogue.num_plurals} plural forms; {locale} has {expected}",
            )
        )
    for message in catalogue:
        if not message.id:
            continue
        line = message.lineno or 1
        for comment in message.user_comments:
            text = comment.strip()
            if text.lower().startswith("review:"):
                state = text.split(":", 1)[1].split(";", 1)[0].strip().lower()
                if state not in REVIEW_STATES:
                    problems.append(
                        Problem(
                            file,
                            line,
                            REVIEW_STATE,
                            f"unknown review state '{state}'; use one of: "
                            + ", ".join(REVIEW_STATES),
                        )
                    )
        if message.fuzzy:
            continue
        if isinstance(message.id, tuple | list):
            strings = (
                list(message.string)
                if isinstance(message.string, tuple | list)
                else [message.string]
            )
            count = expected or len(strings)
            if any(strings) and (len(strings) != count or not all(strings)):
                problems.append(
                    Problem(
                        file,
                        line,
                        PLURAL_FORMS,
                        f"a plural message needs all {count} forms of {locale} filled in",
                    )
                )
            pairs = [(message.id[min(i, 1)], text) for i, text in enumerate(strings) if text]
        else:
            translation = message.string if isinstance(message.string, str) else ""
            pairs = [(str(message.id), translation)] if translation else []
        for source, translation in pairs:
            for rule, text in check_segment(str(source), translation):
                problems.append(Problem(file, line, rule, text))
            if "/table[" in str(message.context or "") and "|" in _outside_marks(translation):
                problems.append(Problem(file, line, TABLE_CELL, "a table cell cannot contain '|'"))
    return problems


def _outside_marks(text: str) -> str:
    from sdm_app.content.markdown import TERM

    return TERM.sub("", text)


def check_folder(folder: Path) -> list[Problem]:
    """Every ``.po`` under ``folder`` (templates have nothing to check)."""
    problems: list[Problem] = []
    for path in sorted(folder.rglob("*.po")):
        problems.extend(check_file(path))
    return problems


def is_po_folder(path: Path) -> bool:
    """A folder of catalogues, not of packs."""
    return path.is_dir() and not any(path.rglob("pack.yaml")) and any(path.rglob("*.po"))
