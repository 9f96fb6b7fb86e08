"""Writing decision aids and the support directory into the content database.

Each language gets a complete row: a translation's words over its source's
structure, figures, sources and review, so the reader needs no merging. Plain-text
fields (answers, benefits, harms ...) are stored as readers see them: a term mark
becomes its words and a citation becomes '[n]', the number of the source.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable
from typing import Any

from sdm_app.content.aidloader import DISCLOSURE_FIELDS
from sdm_app.content.changelog import changelog_json
from sdm_app.content.markdown import CITATION, TERM
from sdm_app.content.model import (
    DecisionAidDoc,
    FigureDoc,
    LocatedText,
    MarkdownText,
    PackContent,
)

_MARKS = re.compile(f"{TERM.pattern}|{CITATION.pattern}")
_SPACES = re.compile(r"[ \t]+")


class TermNames:
    """The word for each glossary term per language, for ``[[term]]`` without words."""

    def __init__(self, packs: list[PackContent]) -> None:
        self.by_locale: dict[str, dict[str, str]] = {}
        self.source: dict[str, str] = {}
        for content in packs:
            for glossary in content.glossaries:
                names = self.by_locale.setdefault(glossary.locale, {})
                for term in glossary.terms:
                    if term.term:
                        names[term.id] = term.term
                        if glossary.is_source:
                            self.source.setdefault(term.id, term.term)

    def name(self, term_id: str, locale: str) -> str:
        return self.by_locale.get(locale, {}).get(term_id) or self.source.get(term_id) or term_id


def plain_text(text: str, locale: str, terms: TermNames, numbers: dict[str, int]) -> str:
    def replace(match: re.Match[str]) -> str:
        term_id, shown, source_id = match.group(1), match.group(2), match.group(3)
        if term_id is not None:
            if shown is not None and shown.strip():
                return shown
            return terms.name(term_id.strip(), locale)
        return f"[{numbers[source_id]}]" if source_id in numbers else match.group()

    return _SPACES.sub(" ", _MARKS.sub(replace, text)).strip()


def _text(located: LocatedText | None, fallback: LocatedText | None) -> str:
    chosen = located or fallback
    return chosen.text if chosen else ""


def _html(markdown: MarkdownText | None, fallback: MarkdownText | None) -> tuple[str, str]:
    chosen = markdown if markdown is not None and markdown.html is not None else fallback
    if chosen is None:
        return "", ""
    return chosen.html or "", chosen.plain_text or ""


class AidWriter:
    def __init__(self, db: sqlite3.Connection, packs: list[PackContent]) -> None:
        self.db = db
        self.terms = TermNames(packs)
        self.support_position = 0

    def write(self, content: PackContent) -> tuple[int, int, int]:
        """``(decision aids, decision aid texts, support entries)`` written."""
        sources = {aid.id: aid for aid in content.decision_aids if aid.is_source}
        rows = []
        for aid in sorted(content.decision_aids, key=lambda a: (a.id, not a.is_source, a.locale)):
            original = sources.get(aid.id)
            if original is not None:
                rows.append(self._row(content, aid, original))
        self.db.executemany(f"INSERT INTO decision_aids VALUES ({', '.join('?' * 27)})", rows)
        return len(sources), len(rows), self._write_support(content)

    def _row(
        self, content: PackContent, aid: DecisionAidDoc, original: DecisionAidDoc
    ) -> tuple[object, ...]:
        locale = aid.locale
        numbers = {source.id: n for n, source in enumerate(original.sources, start=1)}

        def plain(located: LocatedText | None, fallback: LocatedText | None = None) -> str:
            return plain_text(_text(located, fallback), locale, self.terms, numbers)

        def plain_words(text: str | None) -> str | None:
            return plain_text(text, locale, self.terms, numbers) if text else None

        review = original.review
        # The check guarantees these are present; the assert only satisfies typing.
        assert review is not None and review.reviewed_on and review.next_review
        summary_html, summary_text = _html(aid.summary, original.summary)
        attributes = {attribute.id: attribute for attribute in aid.attributes}
        options = {option.id: option for option in aid.options}
        outcomes = {outcome.id: outcome for outcome in aid.outcomes}
        values = {value.id: value for value in aid.values}
        option_rows: list[dict[str, Any]] = []
        for source_option in original.options:
            option = options.get(source_option.id, source_option)
            answers = {
                attribute.id: plain(
                    option.answers.get(attribute.id), source_option.answers.get(attribute.id)
                )
                for attribute in original.attributes
            }
            option_rows.append(
                {
                    "id": source_option.id,
                    "title": plain(option.title, source_option.title),
                    "description_html": _html(option.description, source_option.description)[0],
                    "answers": answers,
                    "benefits": [plain(t) for t in option.benefits or source_option.benefits],
                    "harms": [plain(t) for t in option.harms or source_option.harms],
                    "no_action": bool(source_option.no_action),
                }
            )
        outcome_rows: list[dict[str, Any]] = []
        for source_outcome in original.outcomes:
            outcome = outcomes.get(source_outcome.id, source_outcome)
            translated = {figure.option_id: figure for figure in outcome.figures}
            outcome_rows.append(
                {
                    "id": source_outcome.id,
                    "kind": source_outcome.kind,
                    "label": plain(outcome.label, source_outcome.label),
                    "population": plain(outcome.population, source_outcome.population),
                    # The figures and the comparator are the source's.
                    "comparator": source_outcome.comparator,
                    "figures": [
                        self._figure(figure, translated.get(figure.option_id), plain_words)
                        for figure in source_outcome.figures
                    ],
                }
            )
        value_rows = []
        for source_value in original.values:
            value = values.get(source_value.id, source_value)
            value_rows.append(
                {
                    "id": source_value.id,
                    "statement": plain(value.statement, source_value.statement),
                    "relates_to": {
                        option.id: plain(
                            value.relates_to.get(option.id), source_value.relates_to.get(option.id)
                        )
                        for option in original.options
                        if option.id in value.relates_to or option.id in source_value.relates_to
                    },
                }
            )
        disclosure = {
            name: (getattr(aid.disclosure, name, None) if aid.disclosure else None)
            or (getattr(original.disclosure, name, None) if original.disclosure else None)
            or ""
            for name in DISCLOSURE_FIELDS
        }
        sources = [
            {
                "id": source.id,
                "citation": source.citation or "",
                "date": source.date.isoformat() if source.date else "",
                "doi": source.doi,
                "pmid": source.pmid,
                "url": source.url,
            }
            for source in original.sources
        ]
        no_action_reason = aid.no_action_reason or original.no_action_reason
        return (
            aid.id,
            locale,
            aid.is_source,
            content.pack.id,
            content.pack.version,
            plain(aid.title, original.title) or aid.id,
            plain(aid.question, original.question),
            json.dumps(list(original.audience)),
            json.dumps(list(original.conditions)),
            json.dumps(list(original.biomarkers)),
            summary_html,
            summary_text,
            aid.status,
            None if aid.is_source else aid.translation_of,
            original.version,
            review.reviewed_on.isoformat(),
            review.reviewer,
            review.next_review.isoformat(),
            review.status,
            json.dumps(disclosure),
            json.dumps(sources),
            json.dumps(
                [
                    {
                        "id": attribute.id,
                        "question": plain(
                            attributes[attribute.id].question
                            if attribute.id in attributes
                            else None,
                            attribute.question,
                        ),
                    }
                    for attribute in original.attributes
                ]
            ),
            json.dumps(option_rows),
            json.dumps(outcome_rows),
            json.dumps(value_rows),
            plain(no_action_reason) if no_action_reason else None,
            changelog_json(original.changelog),
        )

    def _figure(
        self,
        figure: FigureDoc,
        translated: FigureDoc | None,
        plain: Callable[[str | None], str | None],
    ) -> dict[str, Any]:
        """The source's figure, with a translation's words where it gives them."""
        words = translated or figure
        return {
            "option_id": figure.option_id,
            "numerator": figure.numerator,
            "denominator": figure.denominator,
            "time_frame": words.time_frame or figure.time_frame or "",
            "certainty": figure.certainty,
            "source_id": figure.source,
            "missing_reason": plain(words.missing_reason or figure.missing_reason),
            "certainty_reason": plain(words.certainty_reason or figure.certainty_reason),
        }

    def _write_support(self, content: PackContent) -> int:
        rows = []
        for directory in content.support:
            for entry in directory.entries:
                rows.append(
                    (
                        directory.locale,
                        self.support_position,
                        entry.id,
                        content.pack.id,
                        directory.is_source,
                        entry.name or entry.id,
                        entry.url or "",
                        json.dumps(list(entry.biomarkers)),
                        entry.region or "",
                        entry.description or "",
                    )
                )
                self.support_position += 1
        self.db.executemany(
            "INSERT INTO support_entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
        )
        return len(rows)
