"""The content of packs as read from their files, before cross-file checks.

Fields an author left out or got wrong are None (the problem is already logged),
so later checks and the build can work on whatever is there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path


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
    readable: bool = True  # False when the header could not be read at all
    # Filled by check_content(render=True), from the same parse as the checks.
    html: str | None = None
    plain_text: str | None = None


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
class PackContent:
    pack: PackDoc
    topics: list[TopicDoc] = field(default_factory=list)
    topics_file: str | None = None
    modules: list[ModuleDoc] = field(default_factory=list)
    glossaries: list[GlossaryDoc] = field(default_factory=list)
