"""The content of packs as read from their files, before cross-file checks.

Fields an author left out or got wrong are None (the problem is already logged),
so later checks and the build can work on whatever is there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sdm_app.content.knowledgefile import KnowledgeDoc


@dataclass(slots=True)
class PackDoc:
    folder: Path
    file: str  # pack.yaml as shown in problems
    id: str | None = None
    id_line: int = 1
    name: str | None = None
    version: str | None = None
    source_locale: str | None = None
    source_locale_line: int = 1
    locales: tuple[str, ...] = ()
    locale_lines: dict[str, int] = field(default_factory=dict)
    publisher: str | None = None
    # Plain-language ceilings; None when the pack sets none (nothing is checked).
    reading_grade_max: float | None = None
    reading_grade_max_line: int = 1
    sentence_words_max: float | None = None
    sentence_words_max_line: int = 1


@dataclass(slots=True)
class TopicDoc:
    id: str
    line: int
    titles: dict[str, str]


@dataclass(slots=True)
class SourceDoc:
    id: str
    line: int
    citation: str | None
    date: date | None
    doi: str | None
    pmid: str | None
    url: str | None


@dataclass(slots=True)
class ReviewDoc:
    reviewed_on: date | None
    reviewer: str | None
    next_review: date | None
    next_review_line: int
    status: str | None


@dataclass(slots=True)
class ChangeDoc:
    """A changelog entry: what changed in ``version`` of a module or decision aid."""

    line: int
    version: int | None
    day: date | None
    text: str | None


@dataclass(slots=True)
class LocatedText:
    """A text field with the file line its text starts on."""

    text: str
    line: int


@dataclass(slots=True)
class ModuleDoc:
    file: str
    id: str  # from the file name; the header's id must agree
    locale: str
    is_source: bool
    header_line: int = 1
    body: str = ""
    body_line: int = 1
    version: int | None = None
    status: str | None = None
    translation_of: int | None = None
    translation_of_line: int = 1
    topic: str | None = None
    topic_line: int = 1
    audience: tuple[str, ...] = ()
    title: LocatedText | None = None
    key_message: LocatedText | None = None
    review: ReviewDoc | None = None
    sources: list[SourceDoc] = field(default_factory=list)
    changelog: list[ChangeDoc] = field(default_factory=list)
    changelog_line: int = 1
    readable: bool = True  # False when the header could not be read at all
    # Filled by check_content(render=True), from the same parse as the checks.
    html: str | None = None
    plain_text: str | None = None
    # Filled by every check: the body as readers see it, one text per block.
    reading_blocks: list[LocatedText] = field(default_factory=list)


@dataclass(slots=True)
class TermDoc:
    id: str
    line: int
    version: int | None
    translation_of: int | None
    term: str | None
    aliases: tuple[str, ...]
    definition: LocatedText | None


@dataclass(slots=True)
class GlossaryDoc:
    file: str
    locale: str
    is_source: bool
    status: str | None = None
    terms: list[TermDoc] = field(default_factory=list)


@dataclass(slots=True)
class MarkdownText:
    """A Markdown field of a YAML file; ``line`` is the file line of its first line."""

    text: str
    line: int
    # Filled by the check: as readers see it, and (when rendering) safe HTML.
    reading_blocks: list[LocatedText] = field(default_factory=list)
    html: str | None = None
    plain_text: str | None = None


@dataclass(slots=True)
class DisclosureDoc:
    line: int
    authors: str | None = None
    funding: str | None = None
    conflicts_of_interest: str | None = None
    evidence_method: str | None = None
    update_policy: str | None = None


@dataclass(slots=True)
class AttributeDoc:
    id: str
    line: int
    question: LocatedText | None


@dataclass(slots=True)
class OptionDoc:
    id: str
    line: int
    title: LocatedText | None = None
    description: MarkdownText | None = None
    answers: dict[str, LocatedText] = field(default_factory=dict)
    answers_line: int = 1
    answers_given: bool = False  # 'answers' was written (possibly wrongly)
    benefits: list[LocatedText] = field(default_factory=list)
    benefits_line: int = 1
    harms: list[LocatedText] = field(default_factory=list)
    harms_line: int = 1
    no_action: bool | None = None  # None: not written


@dataclass(slots=True)
class FigureDoc:
    """One option's figure for an outcome, as written (None where left out or wrong)."""

    option_id: str
    line: int
    numerator: float | None = None
    numerator_given: bool = False  # 'numerator' written, null included
    denominator: int | None = None
    time_frame: str | None = None
    time_frame_line: int = 1
    certainty: str | None = None
    certainty_line: int = 1
    source: str | None = None
    source_line: int = 1
    missing_reason: str | None = None
    missing_reason_line: int = 1
    certainty_reason: str | None = None
    certainty_reason_line: int = 1


@dataclass(slots=True)
class OutcomeDoc:
    id: str
    line: int
    kind: str | None = None
    label: LocatedText | None = None
    population: LocatedText | None = None
    figures: list[FigureDoc] = field(default_factory=list)
    per_option_line: int = 1
    comparator: str | None = None  # an option id
    comparator_line: int = 1


@dataclass(slots=True)
class ValueDoc:
    id: str
    line: int
    statement: LocatedText | None = None
    relates_to: dict[str, LocatedText] = field(default_factory=dict)
    relates_to_line: int = 1


@dataclass(slots=True)
class DecisionAidDoc:
    file: str
    id: str  # from the file name; the file's id must agree
    locale: str
    is_source: bool
    readable: bool = True
    version: int | None = None
    status: str | None = None
    translation_of: int | None = None
    translation_of_line: int = 1
    title: LocatedText | None = None
    question: LocatedText | None = None
    audience: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    biomarkers: tuple[str, ...] = ()
    summary: MarkdownText | None = None
    review: ReviewDoc | None = None
    disclosure: DisclosureDoc | None = None
    sources: list[SourceDoc] = field(default_factory=list)
    attributes: list[AttributeDoc] = field(default_factory=list)
    attributes_line: int = 1
    options: list[OptionDoc] = field(default_factory=list)
    options_line: int = 1
    options_given: bool = False  # 'options' was read as a list (possibly empty)
    outcomes: list[OutcomeDoc] = field(default_factory=list)
    values: list[ValueDoc] = field(default_factory=list)
    no_action_reason: LocatedText | None = None
    changelog: list[ChangeDoc] = field(default_factory=list)
    changelog_line: int = 1


@dataclass(slots=True)
class SupportEntryDoc:
    id: str
    line: int
    name: str | None = None
    url: str | None = None
    biomarkers: tuple[str, ...] = ()
    region: str | None = None
    description: str | None = None


@dataclass(slots=True)
class SupportDirectoryDoc:
    file: str
    locale: str
    is_source: bool
    status: str | None = None
    reviewed_on: date | None = None
    entries: list[SupportEntryDoc] = field(default_factory=list)


@dataclass(slots=True)
class PackContent:
    pack: PackDoc
    topics: list[TopicDoc] = field(default_factory=list)
    topics_file: str | None = None
    modules: list[ModuleDoc] = field(default_factory=list)
    glossaries: list[GlossaryDoc] = field(default_factory=list)
    decision_aids: list[DecisionAidDoc] = field(default_factory=list)
    support: list[SupportDirectoryDoc] = field(default_factory=list)
    knowledge: list[KnowledgeDoc] = field(default_factory=list)
