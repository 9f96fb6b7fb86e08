"""Decision aids as the app sees them: immutable values, no storage, no Qt.

A decision aid compares the real options for one decision with the same facts for
each (IPDAS). The content database reader returns these; the UI and the PDF read
them. Markdown fields arrive already rendered to the app's safe HTML subset
(``*_html``); plain-text fields are plain text and must be escaped by whoever
shows them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from sdm_app.core.library import Change, ReviewInfo, Source

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
    ``certainty_reason`` says why the certainty of the evidence is what it is.
    """

    option_id: str
    numerator: float | None
    denominator: int
    time_frame: str
    certainty: str | None
    source_id: str | None
    missing_reason: str | None
    certainty_reason: str | None = None


def same_time_frame(first: str, second: str) -> bool:
    """Whether two time frames are written the same (spaces and case aside)."""
    return " ".join(first.split()).casefold() == " ".join(second.split()).casefold()


def _exact(value: float) -> Decimal:
    # Through its shortest text, so 2.3 stays 2.3 and not 2.29999...
    return Decimal(repr(float(value)))


class Outcome(NamedTuple):
    """An outcome's figures, one per option. With a ``comparator`` (an option id),
    the other options' figures are shown beside the comparator's."""

    id: str
    kind: str  # "benefit" or "harm"
    label: str
    population: str
    figures: tuple[OutcomeFigure, ...]
    comparator: str | None = None

    def figure_for(self, option_id: str) -> OutcomeFigure | None:
        return next((f for f in self.figures if f.option_id == option_id), None)

    def comparator_figure(self, option_id: str) -> OutcomeFigure | None:
        """The comparator's figure, to show beside ``option_id``'s; None for the
        comparator itself and when the outcome has no comparator."""
        if not self.comparator or option_id == self.comparator:
            return None
        return self.figure_for(self.comparator)

    def difference(self, option_id: str) -> float | None:
        """``option_id``'s numerator minus the comparator's: positive when more people
        have the outcome with ``option_id``. None unless both figures exist and share
        their denominator and time frame (nothing is converted or rounded)."""
        figure = self.figure_for(option_id)
        other = self.comparator_figure(option_id)
        if figure is None or other is None:
            return None
        if figure.numerator is None or other.numerator is None:
            return None
        if figure.denominator != other.denominator or figure.denominator <= 0:
            return None
        if not same_time_frame(figure.time_frame, other.time_frame):
            return None
        return float(_exact(figure.numerator) - _exact(other.numerator))


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
    changelog: tuple[Change, ...] = ()  # the source's, newest first

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
