"""Reading the compiled content database: read-only, with language fallback and search.

The file is opened with SQLite's ``mode=ro``, so nothing in the app can change
what the content build produced. Every text falls back to the source language
when the requested language has no translation.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from sdm_app.core.library import (
    Change,
    GlossaryTerm,
    Module,
    ModuleSummary,
    PackInfo,
    ReviewInfo,
    SearchHit,
    Source,
    Topic,
)
from sdm_app.core.text import arabic_stem, find_highlights, fold, make_snippet, search_tokens
from sdm_app.storage.content_schema import FTS_TABLE, SCHEMA_VERSION, SOURCE_TOKEN, locale_token

if TYPE_CHECKING:
    # Imported where used: the library page opens before any decision aid.
    from sdm_app.core.decision_aid import DecisionAid, DecisionAidSummary, SupportEntry
    from sdm_app.core.knowledge import Knowledge

log = logging.getLogger(__name__)

SNIPPET_WIDTH = 160
# Title hits count most, then the key message, then the body; 'visible' not at all.
_BM25 = f"bm25({FTS_TABLE}, 10.0, 5.0, 1.0, 0.0)"
_TEXT_COLUMNS = "{title key_message body}"


class ContentDatabaseError(Exception):
    """The content database is missing, damaged or from another app version."""


class ContentLibrary:
    """The education library, read from a content database built by ``content.build``."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path
        meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
        self._source_locale = str(meta.get("source_locale", ""))
        self._locales: tuple[str, ...] = tuple(json.loads(meta.get("locales", "[]")))
        self.fingerprint = str(meta.get("content_fingerprint", ""))
        self._topic_positions: dict[str, int] = dict(
            connection.execute("SELECT id, min(position) FROM topics GROUP BY id").fetchall()
        )
        self._knowledge: dict[str, Knowledge] = {}

    @classmethod
    def open(cls, path: Path) -> ContentLibrary:
        """Open ``path`` read-only; raises ContentDatabaseError with a clear message."""
        if not path.is_file():
            raise ContentDatabaseError(f"The content database {path} does not exist.")
        uri = f"{path.resolve().as_uri()}?mode=ro"
        connection: sqlite3.Connection | None = None
        try:
            connection = sqlite3.connect(uri, uri=True)
            row = connection.execute(
                "SELECT value FROM meta WHERE key = 'schema_version'"
            ).fetchone()
            if row is None or str(row[0]) != str(SCHEMA_VERSION):
                found = row[0] if row else "none"
                raise ContentDatabaseError(
                    f"The content database {path} has format version {found}; this app "
                    f"reads version {SCHEMA_VERSION}. Rebuild it with 'sdm-app content build'."
                )
            return cls(connection, path)
        except sqlite3.Error as error:
            if connection is not None:
                connection.close()
            raise ContentDatabaseError(
                f"The content database {path} is damaged or is not a content database "
                f"({error}). Rebuild it with 'sdm-app content build'."
            ) from error
        except ContentDatabaseError:
            if connection is not None:
                connection.close()
            raise

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> ContentLibrary:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # Packs and languages ------------------------------------------------------

    def packs(self) -> list[PackInfo]:
        rows = self._db.execute(
            "SELECT id, name, version, source_locale, locales FROM packs ORDER BY position"
        ).fetchall()
        return [
            PackInfo(id, name, version, source, tuple(json.loads(locales)))
            for id, name, version, source, locales in rows
        ]

    def locales(self) -> tuple[str, ...]:
        """Every language of every pack, in the order the packs list them."""
        return self._locales

    def source_locale(self) -> str:
        """The source language of the first pack (the bundled one)."""
        return self._source_locale

    # Topics and modules ---------------------------------------------------------

    def topics(self, locale: str) -> list[Topic]:
        rows = self._db.execute(
            """
            SELECT s.id, coalesce(t.title, s.title), s.position, coalesce(t.locale, s.locale)
            FROM topics AS s
            LEFT JOIN topics AS t ON t.id = s.id AND t.locale = ?
            WHERE s.is_source = 1
            ORDER BY s.position
            """,
            (locale,),
        ).fetchall()
        return [Topic(id, title, position, shown) for id, title, position, shown in rows]

    def modules(self, locale: str) -> list[ModuleSummary]:
        """Every module: in ``locale`` where translated, else in its source language."""
        rows = self._db.execute(
            """
            SELECT id, topic_id, title, key_message, locale, status
            FROM modules WHERE locale = :locale
            UNION ALL
            SELECT m.id, m.topic_id, m.title, m.key_message, m.locale, m.status
            FROM modules AS m
            WHERE m.is_source = 1 AND m.locale != :locale
              AND NOT EXISTS (SELECT 1 FROM modules AS t WHERE t.id = m.id AND t.locale = :locale)
            """,
            {"locale": locale},
        ).fetchall()
        summaries = [ModuleSummary(*row) for row in rows]
        summaries.sort(key=lambda s: (self._topic_positions.get(s.topic_id, 0), fold(s.title)))
        return summaries

    def module(self, module_id: str, locale: str) -> Module | None:
        """The module in ``locale``, else in its source language; None if unknown."""
        row = self._db.execute(
            f"SELECT {_MODULE_COLUMNS} FROM modules WHERE id = ? AND locale = ?",
            (module_id, locale),
        ).fetchone()
        if row is None:
            row = self._db.execute(
                f"SELECT {_MODULE_COLUMNS} FROM modules WHERE id = ? AND is_source = 1",
                (module_id,),
            ).fetchone()
        if row is None:
            return None
        sources = tuple(
            Source(id, citation, date.fromisoformat(day), doi, pmid, url)
            for id, citation, day, doi, pmid, url in self._db.execute(
                "SELECT id, citation, date, doi, pmid, url FROM sources "
                "WHERE module_id = ? ORDER BY position",
                (module_id,),
            )
        )
        (
            id,
            pack_id,
            pack_version,
            topic_id,
            audience,
            title,
            key_message,
            body_html,
            row_locale,
            status,
            source_version,
            translation_of,
            reviewed_on,
            reviewer,
            next_review,
            review_status,
            changelog,
        ) = row
        return Module(
            id=id,
            pack_id=pack_id,
            pack_version=pack_version,
            topic_id=topic_id,
            audience=tuple(json.loads(audience)),
            title=title,
            key_message=key_message,
            body_html=body_html,
            locale=row_locale,
            requested_locale=locale,
            status=status,
            source_version=source_version,
            translation_of=translation_of,
            sources=sources,
            review=ReviewInfo(
                date.fromisoformat(reviewed_on),
                reviewer,
                date.fromisoformat(next_review),
                review_status,
            ),
            changelog=_changes(changelog),
        )

    # Glossary -------------------------------------------------------------------

    def term(self, term_id: str, locale: str) -> GlossaryTerm | None:
        """The term in ``locale``, else in its source language; None if unknown."""
        row = self._db.execute(
            f"SELECT {_TERM_COLUMNS} FROM glossary WHERE id = ? AND locale = ?",
            (term_id, locale),
        ).fetchone()
        if row is None:
            row = self._db.execute(
                f"SELECT {_TERM_COLUMNS} FROM glossary WHERE id = ? AND is_source = 1",
                (term_id,),
            ).fetchone()
        return _term(row) if row else None

    def terms(self, locale: str) -> list[GlossaryTerm]:
        rows = self._db.execute(
            f"""
            SELECT {_TERM_COLUMNS} FROM glossary WHERE locale = :locale
            UNION ALL
            SELECT {_TERM_COLUMNS} FROM glossary AS g
            WHERE g.is_source = 1 AND g.locale != :locale
              AND NOT EXISTS (SELECT 1 FROM glossary AS t WHERE t.id = g.id AND t.locale = :locale)
            """,
            {"locale": locale},
        ).fetchall()
        return sorted((_term(row) for row in rows), key=lambda t: fold(t.term))

    # Decision aids --------------------------------------------------------------

    def decision_aids(self, locale: str) -> list[DecisionAidSummary]:
        """Every decision aid: in ``locale`` where translated, else in its source language."""
        from sdm_app.core.decision_aid import DecisionAidSummary

        columns = "id, title, question, locale, status, conditions, biomarkers"
        rows = self._db.execute(
            f"""
            SELECT {columns} FROM decision_aids WHERE locale = :locale
            UNION ALL
            SELECT {columns} FROM decision_aids AS a
            WHERE a.is_source = 1 AND a.locale != :locale
              AND NOT EXISTS (
                SELECT 1 FROM decision_aids AS t WHERE t.id = a.id AND t.locale = :locale
              )
            """,
            {"locale": locale},
        ).fetchall()
        summaries = [
            DecisionAidSummary(
                id, title, question, row_locale, status,
                tuple(json.loads(conditions)), tuple(json.loads(biomarkers)),
            )
            for id, title, question, row_locale, status, conditions, biomarkers in rows
        ]  # fmt: skip
        summaries.sort(key=lambda s: fold(s.title))
        return summaries

    def decision_aid(self, aid_id: str, locale: str) -> DecisionAid | None:
        """The decision aid in ``locale``, else in its source language; None if unknown."""
        row = self._db.execute(
            f"SELECT {_AID_COLUMNS} FROM decision_aids WHERE id = ? AND locale = ?",
            (aid_id, locale),
        ).fetchone()
        if row is None:
            row = self._db.execute(
                f"SELECT {_AID_COLUMNS} FROM decision_aids WHERE id = ? AND is_source = 1",
                (aid_id,),
            ).fetchone()
        return _decision_aid(row, locale) if row else None

    def support_entries(self, locale: str, biomarker: str | None = None) -> list[SupportEntry]:
        """Patient organisations in ``locale`` (else the source language's list).

        With ``biomarker``, only entries for it (any case) and those open to everyone.
        """
        from sdm_app.core.decision_aid import SupportEntry

        rows = self._db.execute(
            """
            SELECT id, name, url, biomarkers, region, description, locale
            FROM support_entries
            WHERE locale = :locale
               OR (is_source = 1 AND NOT EXISTS (
                    SELECT 1 FROM support_entries WHERE locale = :locale))
            ORDER BY position
            """,
            {"locale": locale},
        ).fetchall()
        wanted = biomarker.strip().casefold() if biomarker is not None else None
        entries: list[SupportEntry] = []
        for id, name, url, biomarkers, region, description, row_locale in rows:
            markers = tuple(json.loads(biomarkers))
            folded = {marker.casefold() for marker in markers}
            if wanted is None or wanted in folded or "any" in folded:
                entries.append(
                    SupportEntry(id, name, url, markers, region, description, row_locale)
                )
        return entries

    # Clinical knowledge -----------------------------------------------------------

    def knowledge(self, locale: str) -> Knowledge:
        """The packs' clinical knowledge with texts in ``locale`` where translated
        (else the pack's source language); later packs override earlier rules.
        A damaged row is left out and logged: the cards then use general wording."""
        from sdm_app.core.knowledge import Knowledge

        if locale in self._knowledge:
            return self._knowledge[locale]
        rows = self._db.execute(
            """
            SELECT k.pack_id, k.body FROM knowledge AS k JOIN packs AS p ON p.id = k.pack_id
            WHERE k.locale = :locale
               OR (k.locale = p.source_locale AND NOT EXISTS (
                    SELECT 1 FROM knowledge WHERE pack_id = k.pack_id AND locale = :locale))
            ORDER BY k.position
            """,
            {"locale": locale},
        ).fetchall()
        merged = Knowledge()
        for pack_id, body in rows:
            try:
                merged = merged.merged_with(Knowledge.from_mapping(json.loads(body)))
            except (ValueError, KeyError, TypeError) as error:
                log.warning("clinical knowledge of pack %s left out: %r", pack_id, error)
        self._knowledge[locale] = merged
        return merged

    # Search ---------------------------------------------------------------------

    def search(self, query: str, locale: str, limit: int = 50) -> list[SearchHit]:
        """Search as you type: every word must match, the last one as a prefix.

        Looks in the modules shown in ``locale`` (translations, and the source text
        of modules not translated into it); best matches first.
        """
        typed = [words for chunk in fold(query).split() if (words := search_tokens(chunk))]
        phrases = [[arabic_stem(word) for word in words] for words in typed]
        if not phrases or limit <= 0:
            return []
        visible = locale_token(locale) if locale in self._locales else SOURCE_TOKEN
        terms = [f'{_TEXT_COLUMNS} : "{" ".join(words)}"' for words in phrases]
        terms[-1] += "*"
        expression = f'visible : "{visible}" AND ' + " AND ".join(terms)
        try:
            rows = self._db.execute(
                f"""
                SELECT m.id, m.topic_id, m.locale, m.title, m.key_message, m.body_text
                FROM (
                    SELECT rowid AS hit, {_BM25} AS score FROM {FTS_TABLE}
                    WHERE {FTS_TABLE} MATCH ? ORDER BY score LIMIT ?
                ) AS hits
                JOIN modules AS m ON m.rowid = hits.hit
                ORDER BY hits.score
                """,
                (expression, limit),
            ).fetchall()
        except sqlite3.OperationalError:
            # Tokens are letters and digits in quotes, so this should not happen;
            # if it does, a search box must never raise.
            return []
        # Highlight what was typed (whole words) and the stems the index matched.
        tokens = [word for words in typed + phrases for word in words]
        hits: list[SearchHit] = []
        for module_id, topic_id, row_locale, title, key_message, body_text in rows:
            snippet, snippet_highlights = make_snippet(body_text, tokens, SNIPPET_WIDTH)
            if not snippet_highlights:
                # The match is in the title or key message: show the key message.
                other = make_snippet(key_message, tokens, SNIPPET_WIDTH)
                if other[1] or not snippet:
                    snippet, snippet_highlights = other
            hits.append(
                SearchHit(
                    module_id=module_id,
                    topic_id=topic_id,
                    locale=row_locale,
                    title=title,
                    snippet=snippet,
                    title_highlights=find_highlights(title, tokens),
                    snippet_highlights=snippet_highlights,
                )
            )
        return hits


_MODULE_COLUMNS = (
    "id, pack_id, pack_version, topic_id, audience, title, key_message, body_html, locale, "
    "status, source_version, translation_of, reviewed_on, reviewer, next_review, review_status, "
    "changelog"
)
_TERM_COLUMNS = "id, term, definition, aliases, locale, status"
_AID_COLUMNS = (
    "id, pack_id, pack_version, title, question, audience, conditions, biomarkers, "
    "summary_html, locale, status, source_version, translation_of, reviewed_on, reviewer, "
    "next_review, review_status, disclosure, sources, attributes, options, outcomes, "
    "value_items, no_action_reason, changelog"
)


def _decision_aid(row: tuple[Any, ...], requested_locale: str) -> DecisionAid:
    from sdm_app.core.decision_aid import (
        Attribute,
        DecisionAid,
        Disclosure,
        Option,
        Outcome,
        OutcomeFigure,
        ValueItem,
    )

    (
        id, pack_id, pack_version, title, question, audience, conditions, biomarkers,
        summary_html, locale, status, source_version, translation_of, reviewed_on, reviewer,
        next_review, review_status, disclosure, sources, attributes, options, outcomes,
        value_items, no_action_reason, changelog,
    ) = row  # fmt: skip
    disclosure_map = json.loads(disclosure)
    return DecisionAid(
        id=id,
        pack_id=pack_id,
        pack_version=pack_version,
        title=title,
        question=question,
        audience=tuple(json.loads(audience)),
        conditions=tuple(json.loads(conditions)),
        biomarkers=tuple(json.loads(biomarkers)),
        summary_html=summary_html,
        locale=locale,
        requested_locale=requested_locale,
        status=status,
        source_version=source_version,
        translation_of=translation_of,
        review=ReviewInfo(
            date.fromisoformat(reviewed_on),
            reviewer,
            date.fromisoformat(next_review),
            review_status,
        ),
        disclosure=Disclosure(
            authors=disclosure_map.get("authors", ""),
            funding=disclosure_map.get("funding", ""),
            conflicts_of_interest=disclosure_map.get("conflicts_of_interest", ""),
            evidence_method=disclosure_map.get("evidence_method", ""),
            update_policy=disclosure_map.get("update_policy", ""),
        ),
        sources=tuple(
            Source(
                s["id"], s["citation"], date.fromisoformat(s["date"]), s["doi"], s["pmid"], s["url"]
            )
            for s in json.loads(sources)
        ),
        attributes=tuple(Attribute(a["id"], a["question"]) for a in json.loads(attributes)),
        options=tuple(
            Option(
                o["id"],
                o["title"],
                o["description_html"],
                dict(o["answers"]),
                tuple(o["benefits"]),
                tuple(o["harms"]),
                bool(o["no_action"]),
            )
            for o in json.loads(options)
        ),
        outcomes=tuple(
            Outcome(
                o["id"],
                o["kind"],
                o["label"],
                o["population"],
                tuple(
                    OutcomeFigure(
                        f["option_id"],
                        f["numerator"],
                        f["denominator"],
                        f["time_frame"],
                        f["certainty"],
                        f["source_id"],
                        f["missing_reason"],
                        # .get: absent from a database built before these existed
                        f.get("certainty_reason"),
                    )
                    for f in o["figures"]
                ),
                o.get("comparator"),
            )
            for o in json.loads(outcomes)
        ),
        values=tuple(
            ValueItem(v["id"], v["statement"], dict(v["relates_to"]))
            for v in json.loads(value_items)
        ),
        no_action_reason=no_action_reason,
        changelog=_changes(changelog),
    )


def _changes(stored: str) -> tuple[Change, ...]:
    return tuple(
        Change(entry["version"], date.fromisoformat(entry["date"]), entry["change"])
        for entry in json.loads(stored)
    )


def _term(row: tuple[str, str, str, str, str, str]) -> GlossaryTerm:
    id, term, definition, aliases, locale, status = row
    return GlossaryTerm(id, term, definition, tuple(json.loads(aliases)), locale, status)
