"""Plain text laid out for PDFs: script runs, line breaks, bidi order and shaping.

reportlab's Paragraph parses XML markup and, without the rlbidi package, cannot
order right-to-left words. So text is never handed to Paragraph: ``TextBlock``
takes a plain string (nothing in it is ever read as markup, so no user or content
string can add images, fonts or links), gives every character a font that has its
glyph, breaks lines (at spaces, and between Chinese characters), orders each line
with the Unicode bidi algorithm (``core.bidi``: levels resolved for the whole
paragraph, then each line reordered), and lets HarfBuzz shape Arabic, Hebrew and
Devanagari runs. Shaped and reversed runs carry ``/ActualText`` so that text
extraction and copying give back the original characters.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from itertools import accumulate
from typing import Any, NamedTuple

from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import shapeStr
from reportlab.platypus import Flowable, Spacer

from sdm_app.core.bidi import Paragraph, block_is_rtl, first_strong_is_rtl, isolate_figures
from sdm_app.services import pdf_fonts
from sdm_app.services.pdf_fonts import SHAPED_FAMILIES, families_for, font_name
from sdm_app.services.pdf_tagging import Cell, artifact, tagger_of

_MIRROR = str.maketrans("()[]{}<>«»‹›", ")(][}{><»«›‹")
_HARD_BREAKS = str.maketrans({"\r": "\n", "\u2028": "\n", "\u2029": "\n", "\t": " ", "\v": "\n"})
_STRONG_RTL = frozenset({"R", "AL"})
# Bidi formatting characters: they steer the order and are never drawn.
BIDI_CONTROLS = frozenset(
    "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_NO_CONTROLS = str.maketrans(dict.fromkeys(BIDI_CONTROLS))
_NO_OVERRIDES = str.maketrans(dict.fromkeys("\u202a\u202b\u202c\u202d\u202e"))


@dataclass(frozen=True, slots=True)
class TextStyle:
    size: float = 10.0
    leading: float = 14.5
    bold: bool = False
    color: Any = colors.black
    space_before: float = 0.0
    space_after: float = 4.0
    indent: float = 0.0  # from the start edge (the right one in right-to-left text)
    bullet: str = ""
    align: str = "start"  # "start" or "center"
    keep_with_next: bool = False
    role: str = "P"  # the structure tag of a tagged PDF: P, H1-H3, LI, TH, TD


# Large print: every text style of a document is multiplied by this (set per export).
_PRINT_SCALE: ContextVar[float] = ContextVar("print_scale", default=1.0)


@contextmanager
def print_scale(scale: float) -> Iterator[None]:
    """Text built inside is ``scale`` times its style's size (large print)."""
    token = _PRINT_SCALE.set(scale)
    try:
        yield
    finally:
        _PRINT_SCALE.reset(token)


# Characters no shipped font can draw, noted while a document is built.
_MISSING: ContextVar[set[str] | None] = ContextVar("missing_characters", default=None)


@contextmanager
def collect_missing() -> Iterator[set[str]]:
    """The characters that documents built inside could not draw (shown as a box)."""
    found: set[str] = set()
    token = _MISSING.set(found)
    try:
        yield found
    finally:
        _MISSING.reset(token)


def _missing(family: str, char: str, bold: bool) -> str:
    found = _MISSING.get()
    if found is not None and not char.isspace():
        found.add(char)
    return "□" if pdf_fonts.has_glyph(family, "□", bold) else "?"


def current_print_scale() -> float:
    return _PRINT_SCALE.get()


def scaled(style: TextStyle) -> TextStyle:
    """``style`` at the current print scale."""
    scale = _PRINT_SCALE.get()
    if scale == 1.0:
        return style
    return replace(
        style,
        size=style.size * scale,
        leading=style.leading * scale,
        space_before=style.space_before * scale,
        space_after=style.space_after * scale,
        indent=style.indent * scale,
    )


class Piece(NamedTuple):
    """One run as drawn: visual order, one font."""

    text: str  # may be reportlab's ShapedStr
    font: str
    width: float
    actual: str | None  # /ActualText for extraction, None when the glyphs say it
    start: int = 0  # where the run starts in the text: pieces are drawn in reading order


class Line(NamedTuple):
    pieces: tuple[Piece, ...]
    width: float


def clean_text(text: str) -> str:
    """Valid Unicode, NFC, with hard line breaks as ``\\n`` (a lone surrogate becomes
    U+FFFD), and every figure isolated (see ``isolate_figures``)."""
    if not text.isascii():  # ASCII is valid, NFC, and holds no override
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        # Embeddings and overrides (U+202A-U+202E) can print "12.5" as "5.21": dropped.
        # Isolates and direction marks, which only place a run, are kept.
        text = unicodedata.normalize("NFC", text).translate(_NO_OVERRIDES)
    return isolate_figures(text.replace("\r\n", "\n").translate(_HARD_BREAKS))


@functools.lru_cache(maxsize=8192)
def _shaped(text: str, font: str, size: float) -> tuple[str, float]:
    drawn = shapeStr(text, font, size)
    data = getattr(drawn, "__shapeData__", None)
    if data is not None:
        return drawn, sum(item.x_advance for item in data) * size / 1000
    return drawn, pdfmetrics.stringWidth(drawn, font, size)


def _width(text: str, family: str, font: str, size: float) -> float:
    text = text.translate(_NO_CONTROLS)
    if family in SHAPED_FAMILIES and text.strip():
        return _shaped(text, font, size)[1]
    return float(pdfmetrics.stringWidth(text, font, size))


@functools.lru_cache(maxsize=8192)
def _is_cjk(char: str) -> bool:
    return pdf_fonts.range_family(char) == pdf_fonts.CJK and not char.isspace()


@functools.lru_cache(maxsize=8192)
def _is_mark(char: str) -> bool:
    return unicodedata.category(char)[0] == "M" or char in "\u200c\u200d"


class _Prepared(NamedTuple):
    text: str
    families: tuple[str, ...]
    fonts: tuple[str, ...]


@functools.lru_cache(maxsize=2048)
def _prepare(text: str, bold: bool) -> _Prepared:
    """The text with a family per character; invisible characters no font has are dropped."""
    families = families_for(text, bold)
    if not any(pdf_fonts.is_invisible(char) for char in set(text)):
        # Nothing to drop (most text): the same as the loop below, without it.
        names = {family: font_name(family, bold) for family in set(families)}
        return _Prepared(text, tuple(families), tuple(names[f] for f in families))
    kept_text: list[str] = []
    kept_families: list[str] = []
    for char, family in zip(text, families, strict=True):
        if (
            char == "\n"
            or char in BIDI_CONTROLS  # kept for the bidi algorithm, never drawn
            or not pdf_fonts.is_invisible(char)
            or (char != "\u00ad" and pdf_fonts.has_glyph(family, char, bold))
        ):
            kept_text.append(char)
            kept_families.append(family)
    names = {family: font_name(family, bold) for family in set(kept_families)}
    return _Prepared(
        "".join(kept_text), tuple(kept_families), tuple(names[f] for f in kept_families)
    )


def _segments(prepared: _Prepared, start: int, end: int) -> list[tuple[int, int]]:
    """Index ranges of one family each."""
    segments: list[tuple[int, int]] = []
    index = start
    while index < end:
        stop = index + 1
        while stop < end and prepared.families[stop] == prepared.families[index]:
            stop += 1
        segments.append((index, stop))
        index = stop
    return segments


def _measure(prepared: _Prepared, start: int, end: int, size: float) -> float:
    return sum(
        _width(prepared.text[a:b], prepared.families[a], prepared.fonts[a], size)
        for a, b in _segments(prepared, start, end)
    )


# Chinese and Japanese line-breaking rules: no line starts with closing punctuation,
# and none ends with opening punctuation.
_NO_LINE_START = frozenset("。．，、；：？！）］｝〕〉》」』】〙〗〟’”…‥％‰・ー々〜～,.;:!?)]}%")
_NO_LINE_END = frozenset("（［｛〔〈《「『【〘〖〝‘“([{")


# Spaces that hold their neighbours together ("0.5\u00a0mg" stays on one line).
_NO_BREAK_SPACES = frozenset("\u00a0\u2007\u202f")


def _break_points(text: str, start: int, end: int) -> list[int]:
    """Where a line may end: after spaces, and around Chinese and Japanese characters."""
    points: list[int] = []
    for index in range(start + 1, end):
        before, char = text[index - 1], text[index]
        if char.isspace() or _is_mark(char):
            continue
        if char in _NO_LINE_START or before in _NO_LINE_END:
            continue
        if (
            (before.isspace() and before not in _NO_BREAK_SPACES)
            or _is_cjk(before)
            or _is_cjk(char)
        ):
            points.append(index)
    points.append(end)
    return points


def _clusters(text: str, start: int, end: int) -> list[int]:
    """Ends of the character clusters (a letter and its marks) in ``start..end``."""
    ends: list[int] = []
    for index in range(start + 1, end):
        if not _is_mark(text[index]) and text[index - 1] not in "\u200d":
            ends.append(index)
    ends.append(end)
    return ends


def _content_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def break_lines(prepared: _Prepared, width: float, size: float) -> list[tuple[int, int]]:
    """Logical index ranges of the lines, greedy fill."""
    text = prepared.text
    lines: list[tuple[int, int]] = []
    paragraph_start = 0
    for hard_end in [*(i for i, c in enumerate(text) if c == "\n"), len(text)]:
        line_start = paragraph_start
        used = 0.0
        unit_start = paragraph_start
        for unit_end in _break_points(text, paragraph_start, hard_end):
            if unit_start >= unit_end:
                continue
            visible_end = _content_end(text, unit_start, unit_end)
            content = _measure(prepared, unit_start, visible_end, size)
            if line_start < unit_start and used + content > width:
                lines.append((line_start, unit_start))
                line_start, used = unit_start, 0.0
            if line_start == unit_start and content > width:
                # A word wider than the line: cut it between clusters.
                piece_start = cluster_start = unit_start
                used = 0.0
                for cluster_end in _clusters(text, unit_start, visible_end):
                    cluster_width = _measure(prepared, cluster_start, cluster_end, size)
                    if used + cluster_width > width and cluster_start > piece_start:
                        lines.append((piece_start, cluster_start))
                        piece_start, used = cluster_start, 0.0
                    used += cluster_width
                    cluster_start = cluster_end
                line_start = piece_start
                used += _measure(prepared, visible_end, unit_end, size)
            else:
                used += _measure(prepared, unit_start, unit_end, size)
            unit_start = unit_end
        lines.append((line_start, hard_end))
        paragraph_start = hard_end + 1
    return lines


def _drawn_together(prepared: _Prepared, last: int, index: int, rtl: bool) -> bool:
    """Whether ``index`` continues the run ending at ``last`` in logical order (right to
    left runs go backwards), with only invisible bidi controls between them."""
    low, high = (index, last) if rtl else (last, index)
    if high <= low:
        return False
    if high == low + 1:
        return True
    return all(prepared.text[i] in BIDI_CONTROLS for i in range(low + 1, high))


def _line_pieces(
    prepared: _Prepared,
    paragraph: Paragraph,
    offset: int,
    start: int,
    end: int,
    size: float,
    bold: bool,
) -> Line:
    """One line in visual order: the paragraph's resolved levels, reordered for this
    line (rules L1-L2), cut into runs of one level and one font."""
    end = _content_end(prepared.text, start, end)
    if start >= end:
        return Line((), 0.0)
    order, levels = paragraph.line(start - offset, end - offset)
    runs: list[tuple[int, list[int]]] = []  # (level, logical indices in visual order)
    for position, level in zip(order, levels, strict=True):
        index = position + offset
        if prepared.text[index] in BIDI_CONTROLS:
            continue  # they steer the order; nothing to draw
        if runs:
            run_level, indices = runs[-1]
            last = indices[-1]
            if (
                run_level == level
                and prepared.families[last] == prepared.families[index]
                and _drawn_together(prepared, last, index, level % 2 == 1)
            ):
                indices.append(index)
                continue
        runs.append((level, [index]))
    pieces: list[Piece] = []
    for level, indices in _words_apart(prepared, runs):
        logical = "".join(prepared.text[i] for i in sorted(indices))
        first = min(indices)
        family = prepared.families[first]
        font = prepared.fonts[first]
        rtl = level % 2 == 1
        has_rtl_letters = not paragraph.simple and any(
            unicodedata.bidirectional(c) in _STRONG_RTL for c in logical
        )
        actual: str | None
        if family in SHAPED_FAMILIES and (has_rtl_letters or not rtl):
            drawn, width = _shaped(logical, font, size)
            # PDF readers (pdfium, poppler) put right-to-left text back in reading
            # order themselves as they extract it: given in visual order, each word
            # comes back as written.
            actual = _visual_word(logical) if rtl else logical
        elif rtl:
            drawn = logical[::-1].translate(_MIRROR)
            width = pdfmetrics.stringWidth(drawn, font, size)
            # A space or a stop between words reads as drawn.
            actual = None if drawn == logical else logical[::-1]
        else:
            # A character no shipped font has (an emoji) is drawn as a visible box and
            # reported; /ActualText keeps it for copying and extraction.
            drawn = (
                logical
                if all(pdf_fonts.has_glyph(family, char, bold) for char in set(logical))
                else "".join(
                    char
                    if pdf_fonts.has_glyph(family, char, bold)
                    else _missing(family, char, bold)
                    for char in logical
                )
            )
            width = pdfmetrics.stringWidth(drawn, font, size)
            actual = logical if drawn != logical else None
        pieces.append(Piece(drawn, font, width, actual, first))
    return Line(tuple(pieces), sum(piece.width for piece in pieces))


def _visual_word(logical: str) -> str:
    """A right-to-left word as PDF readers take it in /ActualText: in visual order.
    Its vowel marks go first: pdfium splits a word at a mark and poppler places one
    by its own rules, so where they stand they would scramble the letters; first,
    both readers give the letters exactly, the marks at one end of the word."""
    marks = "".join(char for char in logical if unicodedata.category(char)[0] == "M")
    letters = "".join(char for char in logical if unicodedata.category(char)[0] != "M")
    return marks + letters[::-1]


def _word_part(char: str) -> int:
    """0 a letter, mark or digit of a word; 1 a space; 2 punctuation or a symbol."""
    if char.isspace():
        return 1
    return 0 if unicodedata.category(char)[0] in "LMN" else 2


def _words_apart(
    prepared: _Prepared, runs: list[tuple[int, list[int]]]
) -> list[tuple[int, list[int]]]:
    """Right-to-left runs cut into words, and the spaces and stops between them:
    PDF readers reorder right-to-left text word by word, so each is drawn and named
    on its own (Arabic letters never join across a space or a stop, so the shapes
    are the same)."""
    out: list[tuple[int, list[int]]] = []
    for level, indices in runs:
        if level % 2 == 0:
            out.append((level, indices))
            continue
        part: list[int] = []
        for index in indices:
            if part and _word_part(prepared.text[index]) != _word_part(prepared.text[part[-1]]):
                out.append((level, part))
                part = []
            part.append(index)
        if part:
            out.append((level, part))
    return out


def layout(text: str, style: TextStyle, width: float, rtl: bool) -> list[Line]:
    """The lines of ``text`` in visual order. Each paragraph's bidi levels are resolved
    as a whole before its lines are broken, so a number or a reference split over two
    lines keeps its order."""
    lines, missing = _layout(text, style.size, style.bold, width, rtl)
    found = _MISSING.get()
    if found is not None:
        found.update(missing)  # reported again each time, though laid out once
    return list(lines)


@functools.lru_cache(maxsize=4096)
def _layout(
    text: str, size: float, bold: bool, width: float, rtl: bool
) -> tuple[tuple[Line, ...], frozenset[str]]:
    """``layout``'s lines, kept: the same summary exported again (another paper, after
    a look at the preview) is laid out once. Also the characters drawn as a box."""
    cleaned = clean_text(text)
    if not rtl:
        fast = _latin_lines(cleaned, size, bold, max(width, size))
        if fast is not None:
            return fast, frozenset()
    return _general_lines(cleaned, size, bold, width, rtl)


def _general_lines(
    cleaned: str, size: float, bold: bool, width: float, rtl: bool
) -> tuple[tuple[Line, ...], frozenset[str]]:
    """Lines of any text: a font per character, bidi levels per paragraph."""
    missing: set[str] = set()
    token = _MISSING.set(missing)
    try:
        prepared = _prepare(cleaned, bold)
        base = 1 if rtl else 0
        paragraphs: dict[int, Paragraph] = {}
        lines: list[Line] = []
        for start, end in break_lines(prepared, max(width, size), size):
            first = prepared.text.rfind("\n", 0, start) + 1
            if first not in paragraphs:
                stop = prepared.text.find("\n", first)
                stop = len(prepared.text) if stop < 0 else stop
                paragraphs[first] = Paragraph(prepared.text[first:stop], base)
            lines.append(_line_pieces(prepared, paragraphs[first], first, start, end, size, bold))
    finally:
        _MISSING.reset(token)
    return tuple(lines), frozenset(missing)


# Bidi classes that can put a character out of logical order in a left-to-right
# paragraph. Isolates around figures (LRI ... PDI) only raise levels to even ones,
# which keep the order.
_REORDERING = frozenset({"R", "AL", "AN", "RLE", "RLO", "RLI"})


@functools.lru_cache(maxsize=8192)
def _plain_latin(char: str, bold: bool) -> bool:
    """Whether ``char`` is drawn by the Latin font as it stands, in logical order."""
    if unicodedata.bidirectional(char) in _REORDERING:
        return False
    if char == "\n" or char in BIDI_CONTROLS:
        return True
    return (
        not _is_mark(char)
        and not pdf_fonts.is_invisible(char)
        and pdf_fonts.range_family(char) in (None, pdf_fonts.LATIN)
        and pdf_fonts.has_glyph(pdf_fonts.LATIN, char, bold)
    )


@functools.lru_cache(maxsize=8192)
def _advance(char: str, font: str) -> float:
    """A character's width at 1000 points (bidi controls: none)."""
    return 0.0 if char in BIDI_CONTROLS else float(pdfmetrics.stringWidth(char, font, 1000.0))


# Where a line of plain Latin text may end: before anything but a space or a closing
# stop, after a breaking space (what ``_break_points`` gives for such text).
_LATIN_BREAK = re.compile(
    "(?<=[^\\S\u00a0\u2007\u202f])(?=[^\\s" + re.escape("".join(sorted(_NO_LINE_START))) + "])"
)


def _latin_lines(text: str, size: float, bold: bool, width: float) -> tuple[Line, ...] | None:
    """The lines of left-to-right text that the Latin font draws whole (most of an
    English document), or None for any other text. The same lines as the general
    path (a test compares them), which chooses a font per character and resolves bidi
    levels: here every character is in one font and no level can change the order."""
    if not all(_plain_latin(char, bold) for char in set(text)):
        return None
    font = font_name(pdf_fonts.LATIN, bold)
    # Widths add up (no kerning): a sum over the text once, then a difference per word.
    advances = list(accumulate((_advance(char, font) for char in text), initial=0.0))
    scale = size / 1000.0
    lines: list[Line] = []

    def add(start: int, end: int) -> None:
        drawn = text[start : _content_end(text, start, end)].translate(_NO_CONTROLS)
        if not drawn:
            lines.append(Line((), 0.0))
            return
        line_width = float(pdfmetrics.stringWidth(drawn, font, size))
        lines.append(Line((Piece(drawn, font, line_width, None, start),), line_width))

    paragraph_start = 0
    for hard_end in [*(i for i, c in enumerate(text) if c == "\n"), len(text)]:
        line_start = unit_start = paragraph_start
        used = 0.0
        ends = [m.start() for m in _LATIN_BREAK.finditer(text, paragraph_start + 1, hard_end)]
        for unit_end in [*ends, hard_end]:
            if unit_start >= unit_end:
                continue
            visible_end = _content_end(text, unit_start, unit_end)
            content = (advances[visible_end] - advances[unit_start]) * scale
            if content > width:
                return None  # a word wider than the line: cut by the general path
            if line_start < unit_start and used + content > width:
                add(line_start, unit_start)
                line_start, used = unit_start, 0.0
            used += (advances[unit_end] - advances[unit_start]) * scale
            unit_start = unit_end
        add(line_start, hard_end)
        paragraph_start = hard_end + 1
    return tuple(lines)


def _actual_text(text: str) -> str:
    data = text.encode("utf-16-be", "replace").hex().upper()
    return f"/Span <</ActualText <FEFF{data}>>> BDC"


def draw_line(canvas: Any, line: Line, x: float, y: float, style: TextStyle) -> None:
    """Draw ``line``: its pieces in visual order, left to right, as PDF readers expect:
    their text extraction (pdfium, poppler, Acrobat) finds the reading order of
    right-to-left text from that. The structure tree also gives each block with
    right-to-left words its text in reading order (/ActualText)."""
    canvas.setFillColor(style.color)
    # One text object for the line: a right-to-left line has a piece per word.
    text = canvas.beginText(x, y)
    for piece in line.pieces:
        if piece.actual is not None:
            text._code.append(_actual_text(piece.actual))
        text.setTextOrigin(x, y)
        text.setFont(piece.font, style.size)
        text.textOut(piece.text)
        if piece.actual is not None:
            text._code.append("EMC")
        x += piece.width
    canvas.drawText(text)


def draw_text(
    canvas: Any,
    text: str,
    style: TextStyle,
    *,
    left: float,
    right: float,
    baseline: float,
    rtl: bool,
    align: str = "start",
) -> None:
    """One line of page furniture (header, footer) between ``left`` and ``right``."""
    lines = layout(text, style, right - left, rtl)
    if not lines:
        return
    line = lines[0]
    at_end = (align == "end") != rtl
    if align == "center":
        x = left + (right - left - line.width) / 2
    else:
        x = right - line.width if at_end else left
    draw_line(canvas, line, x, baseline, style)


class TextBlock(Flowable):  # type: ignore[misc]  # reportlab has no type hints
    """A paragraph of plain text; splits between lines across pages."""

    def __init__(
        self,
        text: str,
        style: TextStyle,
        rtl: bool,
        *,
        lines: list[Line] | None = None,
        continued: bool = False,
        auto: bool = False,
        tag_key: int | None = None,
    ) -> None:
        super().__init__()
        # One structure element for the block, however many pages it spans.
        self.tag_key = tag_key if tag_key is not None else id(self)
        self.tag_cell: Cell | None = None  # set by the table that holds it
        self.tag_language: str | None = None  # set when not in the document's language
        self.link: str | None = None  # an https address the whole block links to
        self.text = text
        style = style if lines is not None else scaled(style)
        self.style = style
        # A patient's own words run in their own direction (like HTML dir="auto"); the
        # app's words keep the document's direction unless they have no letter of it
        # (an English sentence not yet translated into Arabic reads left to right).
        self.rtl = first_strong_is_rtl(text, rtl) if auto else block_is_rtl(text, rtl)
        # Every block lines up with the page's direction, whatever order its words run.
        self.page_rtl = rtl
        self._auto = auto
        self.spaceBefore = 0.0 if continued else style.space_before
        self.spaceAfter = style.space_after
        self.keepWithNext = style.keep_with_next
        self._fixed = lines
        self._continued = continued
        self._lines: list[Line] = lines or []
        self._layout_width: float | None = None

    def _text_width(self, available: float) -> float:
        return max(available - self.style.indent, self.style.size * 2)

    def _ensure(self, available: float) -> list[Line]:
        if self._fixed is not None:
            return self._fixed
        if self._layout_width != available:
            self._lines = layout(self.text, self.style, self._text_width(available), self.rtl)
            self._layout_width = available
        return self._lines

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        lines = self._ensure(availWidth)
        self.width = availWidth
        self.height = len(lines) * self.style.leading
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        lines = self._ensure(availWidth)
        fit = int(availHeight // self.style.leading)
        if fit >= len(lines):
            # It fits (it was measured at another width): a table cell that splits its
            # content expects two parts, so the second is empty.
            return [self, Spacer(0, 0)]
        # Leave no single line alone at the foot or head of a page.
        if len(lines) > 3:
            fit = min(fit, len(lines) - 2)
            if fit < 2:
                return []
        elif fit < 1:
            return []
        head = TextBlock(
            self.text,
            self.style,
            self.page_rtl,
            lines=lines[:fit],
            auto=self._auto,
            tag_key=self.tag_key,
        )
        head.spaceBefore, head.spaceAfter = self.spaceBefore, 0.0
        head._continued = self._continued
        tail = TextBlock(
            self.text,
            self.style,
            self.page_rtl,
            lines=lines[fit:],
            continued=True,
            auto=self._auto,
            tag_key=self.tag_key,
        )
        head.tag_cell = tail.tag_cell = self.tag_cell
        head.tag_language = tail.tag_language = self.tag_language
        head.link = tail.link = self.link
        return [head, tail]

    def draw(self) -> None:
        style = self.style
        canvas = self.canv
        # The baseline sits so that tall Devanagari and Arabic marks stay inside the line.
        offset = (style.leading - style.size) / 2 + style.size * 0.8
        if style.bullet and not self._continued and self._lines:
            with artifact(canvas):  # the bullet is drawn, the list structure says it
                self._draw_bullet(self.height - offset)
        tagger = tagger_of(canvas)
        if tagger is None or not self._lines:
            self._draw_lines(offset)
            return
        with tagger.tagged(
            canvas, style.role, self.tag_key, self.text, self.tag_cell, self.tag_language, self.link
        ):
            self._draw_lines(offset)
        if self.link:
            canvas.linkURL(self.link, (0, 0, self.width, self.height), relative=1, thickness=0)

    def _draw_lines(self, offset: float) -> None:
        style = self.style
        for number, line in enumerate(self._lines):
            y = self.height - number * style.leading - offset
            if style.align == "center":
                x = (self.width - line.width) / 2
            elif self.page_rtl:
                x = self.width - style.indent - line.width
            else:
                x = style.indent
            draw_line(self.canv, line, x, y, style)

    def _draw_bullet(self, y: float) -> None:
        style = self.style
        name = font_name(pdf_fonts.LATIN, style.bold)
        width = pdfmetrics.stringWidth(style.bullet, name, style.size)
        gap = style.size * 0.6
        x = self.width - style.indent + gap if self.page_rtl else style.indent - gap - width
        self.canv.setFillColor(style.color)
        self.canv.setFont(name, style.size)
        self.canv.drawString(x, y, style.bullet)
