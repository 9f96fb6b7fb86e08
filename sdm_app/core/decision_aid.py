"""Decision aids as the app sees them: immutable values, no storage, no Qt.

A decision aid compares the real options for one decision with the same facts for
each (IPDAS). The content database reader returns these; the UI and the PDF read
them. Markdown fields arrive already rendered to the app's safe HTML subset
(``*_html``); plain-text fields are plain text and must be escaped by whoever
shows them.
"""

from __future__ import annotations

from typing import NamedTuple

from sdm_app.core.library import ReviewInfo, Source

CERTAINTIES = ("high", "moderate", "low", "very low")
OUTCOME_KINDS = ("benefit", "harm")


class Disclosure(NamedTuple):
    authors: str
    funding: str
    conflicts_of_interest: str
    evidence_method: str
    update_policy: str


class Attribute(NamedTuple):
    """A question patients ask, answered for every option (a row of the grid)."""

    id: str
    question: str


class Option(NamedTuple):
    id: str
    title: str
    description_html: str
    answers: dict[str, str]  # attribute id -> answer
    benefits: tuple[str, ...]
    harms: tuple[str, ...]
    no_action: bool


class OutcomeFigure(NamedTuple):
    """One option's figure for an outcome: ``numerator`` out of ``denominator``.

    ``numerator`` is None when no figure exists; ``missing_reason`` says why.
    """

    option_id: str
    numerator: float | None
    denominator: int
    time_frame: str
    certainty: str | None
    source_id: str | None
    missing_reason: str | None


class Outcome(NamedTuple):
    id: str
    kind: str  # "benefit" or "harm"
    label: str
    population: str
    figures: tuple[OutcomeFigure, ...]

    def figure_for(self, option_id: str) -> OutcomeFigure | None:
        return next((f for f in self.figures if f.option_id == option_id), None)


class ValueItem(NamedTuple):
    """Something that may matter to the patient, and how each option relates to it."""

    id: str
    statement: str
    relates_to: dict[str, str]  # option id -> sentence (never a ranking)


class DecisionAidSummary(NamedTuple):
    id: str
    title: str
    question: str
    locale: str
    status: str
    conditions: tuple[str, ...]
    biomarkers: tuple[str, ...]


class DecisionAid(NamedTuple):
    id: str
    pack_id: str
    pack_version: str
    title: str
    question: str
    audience: tuple[str, ...]
    conditions: tuple[str, ...]
    biomarkers: tuple[str, ...]
    summary_html: str
    locale: str
    requested_locale: str
    status: str
    source_version: int
    translation_of: int | None
    review: ReviewInfo
    disclosure: Disclosure
    sources: tuple[Source, ...]
    attributes: tuple[Attribute, ...]
    options: tuple[Option, ...]
    outcomes: tuple[Outcome, ...]
    values: tuple[ValueItem, ...]
    no_action_reason: str | None

    @property
    def is_fallback(self) -> bool:
        return self.locale != self.requested_locale

    @property
    def is_stale(self) -> bool:
        return self.translation_of is not None and self.translation_of < self.source_version

    def source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)


class SupportEntry(NamedTuple):
    """A patient organisation or community; its address is shown, never fetched."""

    id: str
    name: str
    url: str
    biomarkers: tuple[str, ...]
    region: str
    description: str
    locale: str
