"""What an explanation card is made of: its parts, their keys, and what it reads."""

from __future__ import annotations

from typing import NamedTuple, Protocol

from sdm_app.core.decision_aid import SupportEntry
from sdm_app.core.knowledge import Citation, Knowledge
from sdm_app.core.library import Module
from sdm_app.core.results import Direction

# How specific a "learn more" module is; lower sorts first.
SPECIFIC = 0  # about this gene in this tumour type
GENE = 1  # about this gene or biomarker
GENERAL = 2  # about this kind of result

# Section keys, so the UI and tests can find a part of the card.
TUMOUR_CONTEXT = "tumour_context"  # what this finding means in this type of cancer
BIOMARKER = "biomarker"  # what a measure across the tumour means
TARGET = "target"
EARLY_EVIDENCE = "early_evidence"  # early evidence only: no medicine is expected to work
THERAPIES = "therapies"  # treatments named on a result whose class is not about treatment
NEGATIVE = "negative"  # the test found nothing in this gene
NO_ACTIONABLE = "no_actionable"
NEGATIVE_BLOOD = "negative_blood"
CLONAL = "clonal_haematopoiesis"  # a change in blood that may come from ageing blood cells
HEREDITARY_CHECK = "hereditary_check"  # a tumour result that calls for an inherited cause check
CONFIRM_GERMLINE = "confirm_germline"  # may be inherited: a germline test comes first
RELATIVES = "relatives"
UNCERTAIN_RESULT = "uncertain"
MEDICINES = "medicines"

FAMILY_MODULE = "family-and-cascade-testing"
# The topic of pages about inherited conditions (an inherited gene change, testing
# children): offered only where the card itself raises the inherited question.
INHERITED_TOPIC = "inherited"
# Sections that raise it: the change is or may be inherited.
INHERITED_SECTIONS = frozenset({HEREDITARY_CHECK, CONFIRM_GERMLINE, RELATIVES})


class ContentSource(Protocol):
    """What the explanation reads from the content library (``ContentLibrary`` fits)."""

    def module(self, module_id: str, locale: str) -> Module | None: ...

    def support_entries(self, locale: str, biomarker: str | None = None) -> list[SupportEntry]: ...

    def knowledge(self, locale: str) -> Knowledge: ...


class LearnMore(NamedTuple):
    module_id: str
    title: str  # in ``locale``, or in the module's source language when not translated
    locale: str  # the language of ``title``
    level: int  # SPECIFIC, GENE or GENERAL


class ItemList(NamedTuple):
    lead: str  # the sentence before the list
    items: tuple[str, ...]  # texts as written on the report (therapies) or in the content
    direction: Direction = Direction.OTHER


class CardSection(NamedTuple):
    key: str  # TARGET, RELATIVES, ...
    heading: str
    paragraphs: tuple[str, ...]
    lists: tuple[ItemList, ...] = ()  # shown after the paragraphs
    links: tuple[LearnMore, ...] = ()


class ExplanationCard(NamedTuple):
    heading: str  # gene, alteration and origin in words
    finding: tuple[str, ...]  # what kind of finding it is
    class_meaning: tuple[str, ...]  # what its class or level means (or a safe fallback)
    class_known: bool  # False when the scheme or class is missing or unknown
    scheme_line: str  # the scheme's name and version, "" when unknown
    scheme_source: str  # the scheme's citation, "" when unknown
    explainer: LearnMore | None  # the module that explains the class
    sections: tuple[CardSection, ...]
    notes: tuple[str, ...]  # what the app could not explain, and what to ask instead
    learn_more: tuple[LearnMore, ...]  # most specific first; the explainer is not repeated
    communities: tuple[SupportEntry, ...]  # for this biomarker only
    locale: str  # the content language asked for
    facts: tuple[str, ...] = ()  # the report's facts, for clinicians (test, HGVS, VAF ...)
    status_notes: tuple[str, ...] = ()  # untranslated, machine-assisted, not reviewed
    sources: tuple[Citation, ...] = ()  # of the clinical rules the card used

    def section(self, key: str) -> CardSection | None:
        return next((s for s in self.sections if s.key == key), None)
