"""The document model: sections, headings, paragraphs, lists, tables and figures.

Qt-free and free of any renderer. Every text is plain (never markup); ``language``
is set where a text is in another language than the document's (an untranslated
content text), and ``own_direction`` marks a person's own words, which run in the
direction of their first strong letter whatever the document's direction.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

# body: running text; note: smaller, muted (sources, notices); strong: bold (a
# label, the closing disclaimer); the renderers map these to their own styles.
ParagraphStyle = Literal["body", "note", "strong"]


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    level: int  # 1 the title, 2 a section, 3 an item within it, 4 a part of an item
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    style: ParagraphStyle = "body"
    language: str | None = None
    own_direction: bool = False
    link: str = ""  # an https address the paragraph links to (a source, a community)

    def __post_init__(self) -> None:
        if self.link and not self.link.startswith("https://"):
            # Only secure web addresses are ever offered to open.
            object.__setattr__(self, "link", "")


@dataclass(frozen=True, slots=True)
class BulletList:
    items: tuple[str, ...]
    language: str | None = None
    own_direction: bool = False


@dataclass(frozen=True, slots=True)
class Pictograph:
    """``filled`` of ``count`` figures of people, filled ones first in reading order;
    each figure stands for ``per_figure`` people. ``alt`` says it in words."""

    filled: int
    count: int
    per_figure: int
    alt: str


@dataclass(frozen=True, slots=True)
class Cell:
    blocks: tuple[CellBlock, ...]
    header: bool = False  # a header cell: of its column in a header row, else of its row


@dataclass(frozen=True, slots=True)
class Table:
    """Rows of cells in reading order; the first column is on the reading side.
    ``widths`` are shares of the line's width, one per column."""

    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...]
    header_rows: int = 1
    ruled: bool = True
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Group:
    """Blocks read as one: kept on one page when printed."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Section:
    """A titled part; a section with nothing in it is left out by both renderers."""

    title: str
    blocks: tuple[Block, ...]


CellBlock = Paragraph | BulletList | Pictograph
Block = Heading | Paragraph | BulletList | Pictograph | Table | Group | Section


@dataclass(frozen=True, slots=True)
class Document:
    title: str
    subject: str
    language: str  # the app language it is written in
    day: date  # the day it is made
    blocks: tuple[Block, ...]
    label: str = ""  # the consultation's label, on every printed page
    rtl: bool = False
    meta: dict[str, str] = field(default_factory=dict)

    def texts(self) -> Iterator[str]:
        """Every text in reading order, as a screen reader meets it."""
        yield from _texts(self.blocks)


def _texts(blocks: tuple[Block, ...] | tuple[CellBlock, ...]) -> Iterator[str]:
    for block in blocks:
        if isinstance(block, Heading | Paragraph):
            if block.text.strip():
                yield block.text
        elif isinstance(block, BulletList):
            yield from (item for item in block.items if item.strip())
        elif isinstance(block, Pictograph):
            yield block.alt
        elif isinstance(block, Table):
            for row in block.rows:
                for cell in row:
                    yield from _texts(cell.blocks)
        elif isinstance(block, Group):
            yield from _texts(block.blocks)
        elif isinstance(block, Section) and has_content(block):
            yield block.title
            yield from _texts(block.blocks)


def has_content(section: Section) -> bool:
    return any(not isinstance(b, Section) or has_content(b) for b in section.blocks)
