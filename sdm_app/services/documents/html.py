"""A document on screen: the model as the HTML the app's text views show.

Every text is escaped here. Each block carries its own direction, found by the
same rules as on paper, and in right-to-left text each Latin phrase with a figure
is isolated, as on paper, so "p.(Leu858Arg)" or "18.9%" read as written. A
pictograph is an image the view draws itself (``pictograph:FILLED/COUNT[/rtl]``),
never a file; its text alternative is its title.
"""

from __future__ import annotations

from html import escape

from sdm_app.core.bidi import block_is_rtl, first_strong_is_rtl, isolate_figures
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

PICTOGRAPH_SCHEME = "pictograph"
PICTOGRAPH_COLUMNS = 10
PICTOGRAPH_CELL = (7, 9)  # width and height of one figure, in pixels


def render(document: Document) -> str:
    direction = _dir(document.rtl)
    body = "".join(_block(block, document.rtl) for block in document.blocks)
    return f'<div dir="{direction}" lang="{escape(_lang(document.language))}">{body}</div>'


def pictograph_source(block: Pictograph, rtl: bool) -> str:
    """Filled figures come first in reading order: from the right in right-to-left text."""
    return f"{PICTOGRAPH_SCHEME}:{block.filled}/{block.count}" + ("/rtl" if rtl else "")


def _text(text: str, rtl: bool) -> str:
    return escape(isolate_figures(text) if rtl else text)


def _dir(rtl: bool) -> str:
    return "rtl" if rtl else "ltr"


def _lang(language: str) -> str:
    return language.replace("_", "-")


def _attributes(text: str, rtl: bool, language: str | None, own: bool) -> str:
    direction = first_strong_is_rtl(text, rtl) if own else block_is_rtl(text, rtl)
    attributes = f' dir="{_dir(direction)}"'
    if language:
        attributes += f' lang="{escape(_lang(language), quote=True)}"'
    return attributes


def _block(block: Block, rtl: bool) -> str:
    if isinstance(block, Heading):
        level = min(max(block.level, 1), 4)
        attributes = _attributes(block.text, rtl, block.language, False)
        return f"<h{level}{attributes}>{_text(block.text, rtl)}</h{level}>"
    if isinstance(block, Paragraph):
        return _paragraph(block, rtl)
    if isinstance(block, BulletList):
        return _list(block, rtl)
    if isinstance(block, Pictograph):
        return _pictograph(block, rtl)
    if isinstance(block, Table):
        return _table(block, rtl)
    if isinstance(block, Group):
        return "".join(_block(inner, rtl) for inner in block.blocks)
    if isinstance(block, Section):
        if not has_content(block):
            return ""
        heading = f'<h2 dir="{_dir(block_is_rtl(block.title, rtl))}">{_text(block.title, rtl)}</h2>'
        return heading + "".join(_block(inner, rtl) for inner in block.blocks)
    raise TypeError(f"not a block: {block!r}")


def _paragraph(block: Paragraph, rtl: bool) -> str:
    if not block.text.strip():
        return ""
    attributes = _attributes(block.text, rtl, block.language, block.own_direction)
    text = _text(block.text, rtl)
    if block.link:
        text = f'<a href="{escape(block.link, quote=True)}">{text}</a>'
    if block.style == "note":
        return f'<p class="note"{attributes}><i>{text}</i></p>'
    if block.style == "strong":
        return f"<p{attributes}><b>{text}</b></p>"
    return f"<p{attributes}>{text}</p>"


def _list(block: BulletList, rtl: bool) -> str:
    items = [
        f"<li{_attributes(item, rtl, block.language, block.own_direction)}>{_text(item, rtl)}</li>"
        for item in block.items
        if item.strip()
    ]
    return f'<ul dir="{_dir(rtl)}">{"".join(items)}</ul>' if items else ""


def _pictograph(block: Pictograph, rtl: bool) -> str:
    rows = -(-block.count // PICTOGRAPH_COLUMNS)
    width = PICTOGRAPH_COLUMNS * PICTOGRAPH_CELL[0]
    height = rows * PICTOGRAPH_CELL[1]
    alt = escape(block.alt, quote=True)
    return (
        f'<img src="{pictograph_source(block, rtl)}" width="{width}" height="{height}" '
        f'alt="{alt}" title="{alt}">'
    )


def _cell(cell: Cell, rtl: bool, language: str | None) -> str:
    tag = "th" if cell.header else "td"
    inner = "".join(_cell_block(block, rtl, language) for block in cell.blocks)
    return f'<{tag} valign="top">{inner}</{tag}>'


def _cell_block(block: CellBlock, rtl: bool, language: str | None) -> str:
    if isinstance(block, Paragraph):
        return _paragraph(
            Paragraph(block.text, block.style, block.language or language, block.own_direction),
            rtl,
        )
    if isinstance(block, BulletList):
        return _list(block, rtl)
    return _pictograph(block, rtl)


def _table(block: Table, rtl: bool) -> str:
    if not block.rows:
        return ""
    rows = "".join(
        "<tr>" + "".join(_cell(cell, rtl, block.language) for cell in row) + "</tr>"
        for row in block.rows
    )
    border = ' border="1" cellspacing="0"' if block.ruled else ' cellspacing="0"'
    return f'<table dir="{_dir(rtl)}" width="100%" cellpadding="6"{border}>{rows}</table>'
