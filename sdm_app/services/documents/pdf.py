"""A document on paper: the model's blocks as reportlab flowables, then a tagged
PDF (``pdf_document.render_pdf``).

Only how things look is decided here (type sizes, spacing, what keeps together);
what is said, and in what structure, comes from the model.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from reportlab.platypus import CondPageBreak, Flowable, KeepTogether

from sdm_app.services import pdf_document as doc
from sdm_app.services.documents.model import (
    Block,
    BulletList,
    Cell,
    CellBlock,
    Document,
    Group,
    Heading,
    Paragraph,
    Pictograph,
    Section,
    Table,
    has_content,
)
from sdm_app.services.pdf_document import (
    BODY,
    BULLET,
    CELL,
    CELL_BULLET,
    CELL_HEAD,
    H2,
    H3,
    NOTE,
    TITLE,
)
from sdm_app.services.pdf_text import TextBlock, TextStyle

_H4 = TextStyle(
    size=10,
    leading=14.5,
    bold=True,
    space_before=3,
    space_after=1,
    keep_with_next=True,
    role="H4",
)
_HEADINGS = {1: TITLE, 2: H2, 3: H3, 4: _H4}
_STRONG = TextStyle(size=10, leading=14.5, bold=True, space_before=6, space_after=0)
_LABEL = TextStyle(size=10, leading=14.5, bold=True, space_after=0, keep_with_next=True)


def render(document: Document) -> bytes:
    """The document as tagged PDF bytes. Call inside ``pdf_document.print_options``
    (paper, large print) and in the document's language."""
    story = _blocks(document.blocks, document.rtl)
    info = doc.document_info(
        document.title, document.subject, document.language, document.day, label=document.label
    )
    return doc.render_pdf(story, info, rtl=document.rtl)


# Room a heading needs below it for the first rows of the table it introduces.
TABLE_START = 150.0


def _blocks(blocks: tuple[Block, ...], rtl: bool) -> list[Flowable]:
    story: list[Flowable] = []
    for index, block in enumerate(blocks):
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if isinstance(block, Heading) and isinstance(following, Table):
            # Kept with the whole table, a heading would push a long table to the next
            # page and leave this one empty: it starts a page only when the table's
            # first rows would not fit below it, and the table splits between rows
            # (repeating its header row).
            style = replace(_HEADINGS[min(max(block.level, 1), 4)], keep_with_next=False)
            story.append(CondPageBreak(TABLE_START))
            story.append(_text(block.text, style, rtl, block.language))
            continue
        story += _block(block, rtl, label=_is_label(block, following))
    return story


def _is_label(block: Block, following: Block | None) -> bool:
    """A bold line just before a person's own words ("My genetics service:") keeps with them."""
    return (
        isinstance(block, Paragraph)
        and block.style == "strong"
        and isinstance(following, Paragraph)
        and following.own_direction
    )


def _block(block: Block, rtl: bool, *, label: bool = False) -> list[Flowable]:
    if isinstance(block, Heading):
        return [_text(block.text, _HEADINGS[min(max(block.level, 1), 4)], rtl, block.language)]
    if isinstance(block, Paragraph):
        if not block.text.strip():
            return []
        style = {"body": BODY, "note": NOTE, "strong": _LABEL if label else _STRONG}[block.style]
        text = _text(block.text, style, rtl, block.language, auto=block.own_direction)
        text.link = block.link or None
        return [text]
    if isinstance(block, BulletList):
        return _bullets(block, rtl, BULLET)
    if isinstance(block, Pictograph):
        return [_pictograph(block, rtl)]
    if isinstance(block, Table):
        return [_table(block, rtl)] if block.rows else []
    if isinstance(block, Group):
        inner = _blocks(block.blocks, rtl)
        return [KeepTogether(inner)] if inner else []
    if isinstance(block, Section):
        if not has_content(block):
            return []
        return doc.section(block.title, _blocks(block.blocks, rtl), rtl=rtl)
    raise TypeError(f"not a block: {block!r}")


def _text(
    value: str, style: TextStyle, rtl: bool, language: str | None, *, auto: bool = False
) -> TextBlock:
    block = TextBlock(value, style, rtl, auto=auto)
    block.tag_language = language
    return block


def _bullets(block: BulletList, rtl: bool, style: TextStyle) -> list[Flowable]:
    return [
        _text(item, style, rtl, block.language, auto=block.own_direction)
        for item in block.items
        if item.strip()
    ]


def _pictograph(block: Pictograph, rtl: bool) -> Flowable:
    return doc.IconArray(block.filled, block.count, rtl, alt=block.alt)


def _cell(cell: Cell, rtl: bool, language: str | None) -> list[Flowable]:
    content: list[Flowable] = []
    for block in cell.blocks:
        content += _cell_block(block, cell.header, rtl, language)
    return content or [TextBlock("", CELL_HEAD if cell.header else CELL, rtl)]


def _cell_block(block: CellBlock, header: bool, rtl: bool, language: str | None) -> list[Flowable]:
    if isinstance(block, Paragraph):
        style = CELL_HEAD if header or block.style == "strong" else CELL
        return [_text(block.text, style, rtl, block.language or language, auto=block.own_direction)]
    if isinstance(block, BulletList):
        return _bullets(block, rtl, CELL_BULLET)
    return [_pictograph(block, rtl)]


def _table(block: Table, rtl: bool) -> Flowable:
    total = doc.frame_width()
    rows: list[list[Any]] = [
        [_cell(cell, rtl, block.language) for cell in row] for row in block.rows
    ]
    widths = [total * share for share in block.widths]
    return doc.grid(rows, widths, rtl=rtl, header_rows=block.header_rows, lines=block.ruled)
