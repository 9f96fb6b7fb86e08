"""The education library as the rest of the app sees it: plain, immutable values.

These types say nothing about where the content is stored; the content database
reader in ``storage.content_db`` returns them and the UI only reads them. They are
named tuples: immutable, and cheap to define, which matters on the start-up path.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

# 'translated': made by a person, not yet reviewed (content/po_apply.py writes it when
# a file's segments are translated but not all reviewed).
TRANSLATION_STATUSES = ("source", "reviewed", "translated", "machine-assisted", "draft")
AUDIENCES = ("patient", "clinician", "counsellor", "caregiver")
REVIEW_STATUSES = ("reviewed", "needs clinical review")


class Topic(NamedTuple):
    id: str
    title: str
    position: int
    locale: str = ""  # the language of ``title``: the source's when not translated


class Source(NamedTuple):
    id: str
    citation: str
    date: date
    doi: str | None = None
    pmid: str | None = None
    url: str | None = None

    def link(self) -> str | None:
        """A stable https address for the source, preferring DOI, then PubMed."""
        if self.doi:
            return f"https://doi.org/{self.doi}"
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        return self.url

    def identifier(self) -> str:
        """The identifier as people cite it: 'doi:…', 'PMID …' or the address."""
        if self.doi:
            return f"doi:{self.doi}"
        if self.pmid:
            return f"PMID {self.pmid}"
        return self.url or ""


class Change(NamedTuple):
    """One entry of a module's or decision aid's changelog: what changed in a version."""

    version: int
    day: date
    text: str


class ReviewInfo(NamedTuple):
    reviewed_on: date
    reviewer: str
    next_review: date
    status: str

    def is_overdue(self, today: date) -> bool:
        return self.next_review < today


class ModuleSummary(NamedTuple):
    id: str
    topic_id: str
    title: str
    key_message: str
    locale: str
    status: str


class Module(NamedTuple):
    """One module in one language, ready to show.

    ``locale`` is the language of the text returned; it differs from
    ``requested_locale`` when no translation exists and the source is shown.
    ``body_html`` is already sanitised: only the safe subset built by the content
    compiler, with links limited to ``https:``, ``module:``, ``term:`` and ``source:``.
    """

    id: str
    pack_id: str
    pack_version: str
    topic_id: str
    audience: tuple[str, ...]
    title: str
    key_message: str
    body_html: str
    locale: str
    requested_locale: str
    status: str
    source_version: int
    translation_of: int | None
    sources: tuple[Source, ...]
    review: ReviewInfo
    changelog: tuple[Change, ...] = ()  # the source's, newest first

    @property
    def is_fallback(self) -> bool:
        return self.locale != self.requested_locale

    @property
    def is_stale(self) -> bool:
        return self.translation_of is not None and self.translation_of < self.source_version


class GlossaryTerm(NamedTuple):
    id: str
    term: str
    definition: str
    aliases: tuple[str, ...]
    locale: str
    status: str


class SearchHit(NamedTuple):
    """A module that matches a search, with the character ranges to highlight.

    Ranges are ``(start, end)`` offsets into ``title`` and ``snippet``.
    """

    module_id: str
    topic_id: str
    locale: str
    title: str
    snippet: str
    title_highlights: tuple[tuple[int, int], ...]
    snippet_highlights: tuple[tuple[int, int], ...]


class PackInfo(NamedTuple):
    id: str
    name: str
    version: str
    source_locale: str
    locales: tuple[str, ...]
