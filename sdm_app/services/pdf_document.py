"""What the PDF summary and the family letter share: styles, page furniture,
icon arrays, the export language and the atomic save.

Qt-free. Text reaches reportlab only through ``pdf_text.TextBlock`` (never as
markup), so nothing a user or a content author writes can add markup.
"""

from __future__ import annotations

import io
import itertools
import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Spacer,
    Table,
)
from reportlab.platypus import TableStyle as RLTableStyle

from sdm_app import __version__, i18n
from sdm_app.i18n import _, format_date, format_number
from sdm_app.services import pdf_fonts
from sdm_app.services.atomic_write import write_atomically
from sdm_app.services.pdf_tagging import Cell, Tagger, artifact, tagger_of, write_structure
from sdm_app.services.pdf_text import (
    TextBlock,
    TextStyle,
    current_print_scale,
    draw_text,
    print_scale,
)

ACCENT = colors.HexColor("#1f4e79")
MUTED = colors.HexColor("#4d4d4d")
RULE = colors.HexColor("#9fb3c8")
FILLED = colors.HexColor("#1f6fb2")
EMPTY = colors.HexColor("#d5dde5")

TITLE = TextStyle(size=18, leading=25, bold=True, color=ACCENT, space_after=6, role="H1")
H2 = TextStyle(
    size=13.5,
    leading=19,
    bold=True,
    color=ACCENT,
    space_before=12,
    space_after=4,
    keep_with_next=True,
    role="H2",
)
H3 = TextStyle(
    size=11, leading=16, bold=True, space_before=6, space_after=2, keep_with_next=True, role="H3"
)
BODY = TextStyle(size=10, leading=14.5, space_after=4)
BULLET = TextStyle(size=10, leading=14.5, space_after=2, indent=14, bullet="•", role="LI")
NOTE = TextStyle(size=9, leading=13, color=MUTED, space_after=3)
CELL = TextStyle(size=8.5, leading=12.5, space_after=2, role="TD")
CELL_HEAD = TextStyle(size=8.5, leading=12.5, bold=True, space_after=2, role="TH")
CELL_BULLET = TextStyle(size=8.5, leading=12.5, space_after=1, indent=9, bullet="•", role="LI")
FURNITURE = TextStyle(size=8, leading=11, color=MUTED, space_after=0)

PAPERS = {"a4": A4, "letter": LETTER}
_TABLE_IDS = itertools.count()
_PAGE_SIZE: ContextVar[tuple[float, float]] = ContextVar("page_size", default=A4)
LARGE_PRINT = 1.4  # body text 10 pt -> 14 pt
MARGIN = 18 * mm
HEADER_GAP = 8 * mm


class PdfExportError(Exception):
    """The PDF could not be written; the message names the file and the reason."""

    def __init__(self, path: Path, reason: BaseException | str) -> None:
        detail = reason.strerror if isinstance(reason, OSError) and reason.strerror else reason
        super().__init__(
            _("Could not save the PDF to {path}: {reason}").format(path=path, reason=detail)
        )
        self.path = path
        self.reason = reason


class UnknownLanguageError(ValueError):
    """The export language has no catalogue in this app."""

    def __init__(self, language: str, known: Sequence[str]) -> None:
        super().__init__(
            _("Unknown language {language}. Choose one of: {known}.").format(
                language=language, known=", ".join(known)
            )
        )
        self.language = language


def export_language(language: str) -> str:
    """The app language for ``language`` ("ar", "es_MX" -> "es"); raises UnknownLanguageError."""
    known = i18n.available_languages()
    for candidate in (language.replace("-", "_"), i18n.base_language(language)):
        if candidate in known:
            return candidate
    raise UnknownLanguageError(language, known)


@contextmanager
def in_language(language: str) -> Iterator[str]:
    """Translate with ``language`` inside the block, then restore the UI's language.

    The catalogue is global: call from the thread that owns the UI so that no
    window repaints with the export language meanwhile.
    """
    chosen = export_language(language)
    previous = i18n.current_language()
    i18n.set_language(chosen)
    try:
        yield chosen
    finally:
        i18n.set_language(previous)


class DocumentInfo(NamedTuple):
    title: str
    subject: str
    author: str
    language: str
    header: str  # the running header's words (app's own, never a patient's name)


def document_info(
    title: str, subject: str, language: str, day: date, *, label: str = ""
) -> DocumentInfo:
    """Metadata and running header of an exported document, in the current language.
    ``label`` (the consultation's label, never a name) goes on every page, so loose
    pages can be matched."""
    label = " ".join(label.split())
    if label:
        header = _("{title} · {label} · {date}").format(
            title=title, label=label, date=format_date(day)
        )
    else:
        header = _("{title} · {date}").format(title=title, date=format_date(day))
    return DocumentInfo(
        title=title,
        subject=subject,
        author=_("sdm-app {version}").format(version=__version__),
        language=language,
        header=header,
    )


def text(value: str, style: TextStyle = BODY, *, rtl: bool) -> TextBlock:
    return TextBlock(value, style, rtl)


def bullets(
    items: Sequence[str], *, rtl: bool, style: TextStyle = BULLET, auto: bool = False
) -> list[Flowable]:
    """One block per item; ``auto`` lays out each item in its own direction (user text)."""
    return [TextBlock(item, style, rtl, auto=auto) for item in items if item.strip()]


def section(title: str, body: Sequence[Flowable], *, rtl: bool) -> list[Flowable]:
    """A heading kept with the first part of its body; nothing when the body is empty."""
    if not body:
        return []
    heading = TextBlock(title, H2, rtl)
    first, *rest = body
    if isinstance(first, KeepTogether):
        # reportlab's keep-with-next skips containers: join the heading to the group.
        return [KeepTogether([heading, *first._content]), *rest]
    return [heading, *body]


class _Grid(Table):  # type: ignore[misc]  # reportlab has no type hints
    """A table that splits between rows, and within a row only when the row, under the
    repeated header row, is taller than a whole page (a long note in a cell, or many
    options side by side), so could never be placed whole."""

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts: list[Flowable] = super().split(availWidth, availHeight)
        in_row = bool(vars(self).get("splitInRow"))
        heights: list[float] = self._rowHeights
        header, body = sum(heights[: self.repeatRows]), heights[self.repeatRows :]
        if parts or in_row or not body or header + max(body) <= frame_height():
            return parts  # between rows, or to the next page whole
        self.splitInRow = 1
        return list(super().split(availWidth, availHeight))


def grid(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    *,
    rtl: bool,
    header_rows: int = 1,
    lines: bool = True,
) -> Table:
    """A table whose first column is on the reading side (right in right-to-left text)."""
    table_id = next(_TABLE_IDS)
    for row_number, row in enumerate(rows):
        for column, content in enumerate(row):
            place = Cell(table_id, row_number, column, row_number < header_rows)
            for block in content if isinstance(content, list) else [content]:
                if isinstance(block, TextBlock | IconArray):
                    block.tag_cell = place
    ordered = [list(reversed(row)) if rtl else list(row) for row in rows]
    col_widths = list(reversed(widths)) if rtl else list(widths)
    table = _Grid(ordered, colWidths=col_widths, repeatRows=header_rows, hAlign="CENTER")
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        # Cells set a font even when they hold only flowables; Helvetica is never embedded.
        ("FONTNAME", (0, 0), (-1, -1), pdf_fonts.font_name(pdf_fonts.LATIN)),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if lines:
        commands += [
            ("GRID", (0, 0), (-1, -1), 0.5, RULE),
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#eef3f8")),
        ]
    table.setStyle(RLTableStyle(commands))
    return table


class IconArray(Flowable):  # type: ignore[misc]  # reportlab has no type hints
    """``filled`` of ``count`` figures (head and body), drawn as two vector paths;
    tagged as a figure with ``alt`` as its text alternative, or as decoration when
    ``alt`` is empty."""

    columns = 10
    cell_w, cell_h = 6.4, 8.0

    def __init__(self, filled: int, count: int, rtl: bool, *, alt: str = "") -> None:
        super().__init__()
        self.filled, self.count, self.rtl, self.alt = filled, count, rtl, alt
        self.tag_cell: Cell | None = None  # set by the table that holds it
        self.width = self.columns * self.cell_w
        self.height = math.ceil(count / self.columns) * self.cell_h

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        rows = math.ceil(self.count / self.columns)
        paths = (canvas.beginPath(), canvas.beginPath())
        for index in range(self.count):
            row, column = divmod(index, self.columns)
            if self.rtl:
                column = self.columns - 1 - column
            x = column * self.cell_w + self.cell_w / 2
            y = (rows - 1 - row) * self.cell_h
            path = paths[0] if index < self.filled else paths[1]
            path.circle(x, y + 6.0, 1.35)
            path.roundRect(x - 1.9, y + 0.6, 3.8, 4.0, 1.2)
        # One path per colour: hundreds of separate shapes would slow the export.
        tagger = tagger_of(canvas)
        marked = (
            tagger.tagged(canvas, "Figure", id(self), self.alt, self.tag_cell)
            if tagger is not None and self.alt
            else artifact(canvas)
        )
        with marked:
            for path, colour in zip(paths, (FILLED, EMPTY), strict=True):
                canvas.setFillColor(colour)
                canvas.drawPath(path, stroke=0, fill=1)


class _NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab has no type hints
    """Keeps each page until the end, so footers can say "page 2 of 5"."""

    def __init__(
        self,
        *args: Any,
        furniture: Callable[[Canvas, int, int], None],
        tagger: Tagger,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._furniture = furniture
        self._pages: list[dict[str, Any]] = []
        self.tagger = tagger  # text blocks note their structure here as they draw

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            with artifact(self):
                self._furniture(self, number, total)
            super().showPage()
        super().save()


def _furniture(info: DocumentInfo, rtl: bool, canvas: Canvas, page: int, total: int) -> None:
    width, height = canvas._pagesize
    left, right = MARGIN, width - MARGIN
    canvas.saveState()
    draw_text(
        canvas,
        info.header,
        FURNITURE,
        left=left,
        right=right,
        baseline=height - MARGIN + 4,
        rtl=rtl,
    )
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(left, height - MARGIN, right, height - MARGIN)
    canvas.line(left, MARGIN - 4, right, MARGIN - 4)
    footer = _("Page {page} of {pages}").format(
        page=format_number(page), pages=format_number(total)
    )
    draw_text(
        canvas,
        footer,
        FURNITURE,
        left=left,
        right=right,
        baseline=MARGIN - 14,
        rtl=rtl,
        align="end",
    )
    canvas.restoreState()


def render_pdf(story: list[Flowable], info: DocumentInfo, *, rtl: bool) -> bytes:
    """The document as tagged PDF bytes (PDF/UA-1), with header, page numbers and
    metadata."""
    tagger = Tagger()
    buffer = io.BytesIO()
    width, height = page_size = _PAGE_SIZE.get()
    doc = BaseDocTemplate(
        buffer,
        pagesize=page_size,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + 2,
        bottomMargin=MARGIN,
        title=info.title,
        subject=info.subject,
        author=info.author,
        creator=info.author,
        lang=info.language.replace("_", "-"),
        # reportlab starts every page in Helvetica, which is never embedded.
        initialFontName=pdf_fonts.font_name(pdf_fonts.LATIN),
    )
    frame = Frame(
        MARGIN,
        MARGIN,
        width - 2 * MARGIN,
        height - 2 * MARGIN - 4,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=2,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(
        story or [Spacer(1, 1)],
        canvasmaker=partial(
            _NumberedCanvas, furniture=partial(_furniture, info, rtl), tagger=tagger
        ),
    )
    return write_structure(
        buffer.getvalue(), tagger.parts, title=info.title, language=info.language
    )


def frame_width() -> float:
    return float(_PAGE_SIZE.get()[0] - 2 * MARGIN)


def frame_height() -> float:
    """The height a page's frame gives its content (see ``render_pdf``)."""
    return float(_PAGE_SIZE.get()[1] - 2 * MARGIN - 4 - 2)


def unprintable_notice(characters: set[str]) -> str:
    """What to tell the user about characters no shipped font has (printed as a box)."""
    listed = " ".join(f"{char} (U+{ord(char):04X})" for char in sorted(characters))
    return _(
        "Some characters have no letter shape in the app's fonts and are printed as a "
        "box: {characters}. The PDF's text still holds them."
    ).format(characters=listed)


def large_print() -> bool:
    """Whether the document being built is in large print."""
    return current_print_scale() > 1.0


@contextmanager
def print_options(paper: str = "auto", *, large_print: bool = False) -> Iterator[str]:
    """Build a document inside this to print it on ``paper`` ("a4", "letter" or
    "auto" for the region's usual paper), in large print when asked; yields the paper."""
    chosen = i18n.default_paper() if paper == "auto" else paper.casefold()
    if chosen not in PAPERS:
        raise ValueError(f"unknown paper size {paper!r}; use a4, letter or auto")
    token = _PAGE_SIZE.set(PAPERS[chosen])
    try:
        with print_scale(LARGE_PRINT if large_print else 1.0):
            yield chosen
    finally:
        _PAGE_SIZE.reset(token)


def save_pdf(data: bytes, path: Path, *, follow_link: bool = False) -> Path:
    """Write ``data`` to ``path`` atomically; raises PdfExportError naming the path.

    An existing device, pipe or socket is never replaced. A link is refused unless
    ``follow_link`` (the user picked it in a dialog): then the file it points to is
    written."""
    path = Path(path)
    if path.is_symlink():
        if not follow_link:
            raise PdfExportError(path, _("it is a link; give the path of the file itself"))
        path = path.resolve()
    if path.is_dir():
        raise PdfExportError(path, _("it is a folder"))
    if path.exists() and not path.is_file():
        raise PdfExportError(path, _("it is not a regular file (a device, pipe or socket)"))
    try:
        write_atomically(path, data)
    except OSError as error:
        raise PdfExportError(path, error) from error
    return path
