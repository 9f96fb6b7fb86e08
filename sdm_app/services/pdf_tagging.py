"""Tagged PDF (PDF/UA-1): a structure tree in reading order, for screen readers.

reportlab draws but has no tagging of its own. So while it draws, every text
block wraps its glyphs in a marked-content sequence with a number (MCID) and
notes its role (heading, paragraph, list item, table cell), and page furniture
(header, footer, rules, decorative icon arrays) is marked as an artifact. After
the document is made, pikepdf (QPDF) writes what reportlab cannot: the structure
tree with its parent tree, ``/MarkInfo``, the title shown by viewers, the XMP
metadata claiming PDF/UA-1, and bookmarks from the headings.
"""

from __future__ import annotations

import io
import unicodedata
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, NamedTuple

HEADINGS = ("H1", "H2", "H3", "H4")
_ARTIFACT = "/Artifact <</Type /Pagination>> BDC"


class Cell(NamedTuple):
    """Where a text block sits in a table: rows and columns in reading order."""

    table: int
    row: int
    column: int
    header_row: bool


@dataclass(slots=True)
class Part:
    page: int  # 1-based
    mcid: int
    role: str  # H1, H2, H3, H4, P, LI, TH, TD, Figure
    key: int  # the text block; a block split over pages has one key and several parts
    text: str  # a figure's text alternative
    cell: Cell | None = None
    language: str | None = None  # when not the document's
    link: str | None = None  # the address the block links to (an https link annotation)


@dataclass
class Tagger:
    """Collects the parts as the canvas draws them, in reading order."""

    parts: list[Part] = field(default_factory=list)
    _next_mcid: dict[int, int] = field(default_factory=dict)

    @contextmanager
    def tagged(
        self,
        canvas: Any,
        role: str,
        key: int,
        text: str,
        cell: Cell | None = None,
        language: str | None = None,
        link: str | None = None,
    ) -> Iterator[None]:
        page = int(canvas.getPageNumber())
        mcid = self._next_mcid.get(page, 0)
        self._next_mcid[page] = mcid + 1
        self.parts.append(Part(page, mcid, role, key, text, cell, language, link))
        canvas._code.append(f"/{role} <</MCID {mcid}>> BDC")
        try:
            yield
        finally:
            canvas._code.append("EMC")


_BIDI_CONTROLS = dict.fromkeys(
    map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)


def _has_rtl(text: str) -> bool:
    return not text.isascii() and any(
        unicodedata.bidirectional(char) in ("R", "AL") for char in set(text)
    )


def _readable(text: str) -> str:
    """The text as read aloud: one line, without the controls that only steer layout."""
    return " ".join(text.translate(_BIDI_CONTROLS).split())


@contextmanager
def artifact(canvas: Any) -> Iterator[None]:
    """Decoration, page numbers and running heads: not read as content."""
    canvas._code.append(_ARTIFACT)
    try:
        yield
    finally:
        canvas._code.append("EMC")


def tagger_of(canvas: Any) -> Tagger | None:
    found = getattr(canvas, "tagger", None)
    return found if isinstance(found, Tagger) else None


def write_structure(data: bytes, parts: list[Part], *, title: str, language: str) -> bytes:
    """``data`` with its structure tree, marks, viewer title, XMP and bookmarks."""
    import pikepdf
    from pikepdf import Array, Dictionary, Name

    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = [page.obj for page in pdf.pages]
        root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        document = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, P=root))
        root.K = document
        by_page: dict[int, dict[int, Any]] = {}
        builder = _Builder(pdf, document, pages, by_page)
        for part in parts:
            builder.add(part)
        numbers = Array()
        for index, page in enumerate(pages):
            marks = by_page.get(index, {})
            kids = Array([marks[n] for n in range(len(marks))])
            numbers.append(index)
            numbers.append(pdf.make_indirect(kids))
            page.StructParents = index
            page.Tabs = Name.S  # tab order follows the structure
        next_key = _tag_links(pdf, pages, builder.links, numbers, len(pages))
        root.ParentTree = pdf.make_indirect(Dictionary(Nums=numbers))
        root.ParentTreeNextKey = next_key
        catalog = pdf.Root
        catalog.StructTreeRoot = root
        catalog.MarkInfo = Dictionary(Marked=True)
        catalog.ViewerPreferences = Dictionary(DisplayDocTitle=True)
        catalog.Lang = pikepdf.String(language.replace("_", "-"))
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            with warnings.catch_warnings():
                # /Trapped has no XMP field; it stays in the document information.
                warnings.simplefilter("ignore", UserWarning)
                meta.load_from_docinfo(pdf.docinfo)  # author, subject, dates, in XMP too
            meta["dc:title"] = title
            meta["pdfuaid:part"] = "1"
        with pdf.open_outline() as outline:
            stack: list[tuple[int, Any]] = []
            for part, page_index in builder.headings:
                level = HEADINGS.index(part.role)
                item = pikepdf.OutlineItem(" ".join(part.text.split())[:200], page_index)
                while stack and stack[-1][0] >= level:
                    stack.pop()
                (stack[-1][1].children if stack else outline.root).append(item)
                stack.append((level, item))
        out = io.BytesIO()
        # reportlab has compressed the streams already: copied as they are, not decoded
        # and compressed again (that took half the time of tagging).
        pdf.save(out, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return out.getvalue()


def _tag_links(
    pdf: Any, pages: list[Any], links: list[tuple[int, str, Any]], numbers: Any, key: int
) -> int:
    """Each link annotation joins its Link element (an object reference beside the
    linked words), says where it goes (/Contents), and gets its parent tree entry.
    Returns the next free parent tree key."""
    from pikepdf import Array, Dictionary, Name, String

    waiting = list(links)
    for index, page in enumerate(pages):
        for annotation in page.get("/Annots", []):
            if annotation.get("/Subtype") != Name.Link or "/A" not in annotation:
                continue
            uri = str(annotation.A.get("/URI", ""))
            found = next((w for w in waiting if w[0] == index and w[1] == uri), None)
            if found is None:
                continue
            waiting.remove(found)
            element = found[2]
            annotation.StructParent = key
            annotation.Contents = String(uri)
            if not isinstance(element.K, Array):
                element.K = Array([Dictionary(Type=Name.MCR, Pg=element.Pg, MCID=element.K)])
            element.K.append(Dictionary(Type=Name.OBJR, Obj=annotation, Pg=page))
            numbers.append(key)
            numbers.append(element)
            key += 1
    return key


class _Builder:
    """Structure elements from parts: lists group their items, tables their rows."""

    def __init__(self, pdf: Any, document: Any, pages: list[Any], by_page: Any) -> None:
        self.pdf = pdf
        self.document = document
        self.pages = pages
        self.by_page = by_page
        self.elements: dict[int, Any] = {}  # block key -> element
        self.open_list: Any = None  # the L that list items join
        self.tables: dict[int, Any] = {}
        self.rows: dict[tuple[int, int], Any] = {}
        self.cells: dict[tuple[int, int, int], Any] = {}
        self.cell_lists: dict[tuple[int, int, int], Any] = {}
        self.headings: list[tuple[Part, int]] = []
        self.links: list[tuple[int, str, Any]] = []  # page index, address, Link element
        self.actual_texts: dict[int, list[str]] = {}
        self.row_columns: dict[tuple[int, int], list[int]] = {}

    def _element(self, role: str, parent: Any, **extra: Any) -> Any:
        from pikepdf import Array, Dictionary, Name

        element = self.pdf.make_indirect(
            Dictionary(Type=Name.StructElem, S=Name("/" + role), P=parent, **extra)
        )
        if "/K" not in parent:
            parent.K = Array()
        elif not isinstance(parent.K, Array):  # its own marked content came first
            parent.K = Array([Dictionary(Type=Name.MCR, Pg=parent.Pg, MCID=parent.K)])
        parent.K.append(element)
        return element

    def _mark(self, element: Any, part: Part) -> None:
        """The element's content: its one MCID on its page (the usual form), or, for a
        block that runs over pages, marked-content references naming each page."""
        from pikepdf import Array, Dictionary, Name

        page = self.pages[part.page - 1]
        self.by_page.setdefault(part.page - 1, {})[part.mcid] = element
        if "/K" not in element:
            element.Pg = page
            element.K = part.mcid
            return
        first = element.K
        if not isinstance(first, Array):
            element.K = Array([Dictionary(Type=Name.MCR, Pg=element.Pg, MCID=first)])
        element.K.append(Dictionary(Type=Name.MCR, Pg=page, MCID=part.mcid))

    def add(self, part: Part) -> None:
        import pikepdf

        known = self.elements.get(part.key)
        if known is not None:  # the rest of a block split over pages
            self._mark(known, part)
            if part.link:
                self.links.append((part.page - 1, part.link, known))
            return
        if part.role == "Figure":
            self.open_list = None
            parent = self._in_cell(part) if part.cell is not None else self.document
            element = self._element("Figure", parent, Alt=pikepdf.String(part.text))
        elif part.cell is not None:
            self.open_list = None
            element = self._in_cell(part)
        elif part.role == "LI":
            if self.open_list is None:
                self.open_list = self._element("L", self.document)
            item = self._element("LI", self.open_list)
            element = self._element("LBody", item)
        else:
            self.open_list = None
            element = self._element(part.role, self.document)
            if part.role in HEADINGS:
                self.headings.append((part, part.page - 1))
        if part.language:
            element.Lang = pikepdf.String(part.language.replace("_", "-"))
        if part.link:
            # The words and their link annotation, together in a Link element.
            element = self._element("Link", element)
            self.links.append((part.page - 1, part.link, element))
        if _has_rtl(part.text):
            # Assistive technology that reads the structure gets right-to-left words
            # in reading order, whatever order the page draws them in. A table cell
            # holding several blocks says them all.
            said = self.actual_texts.setdefault(id(element), [])
            said.append(_readable(part.text))
            element.ActualText = pikepdf.String(" ".join(said))
        self.elements[part.key] = element
        self._mark(element, part)

    def _in_cell(self, part: Part) -> Any:
        from pikepdf import Array, Dictionary, Name

        cell = part.cell
        assert cell is not None
        table = self.tables.get(cell.table)
        if table is None:
            table = self.tables[cell.table] = self._element("Table", self.document)
        row_key = (cell.table, cell.row)
        row = self.rows.get(row_key)
        if row is None:
            row = self.rows[row_key] = self._element("TR", table)
        cell_key = (cell.table, cell.row, cell.column)
        element = self.cells.get(cell_key)
        if element is None:
            header = part.role == "TH"
            extra: dict[str, Any] = {}
            if header:
                scope = Name.Column if cell.header_row else Name.Row
                extra["A"] = Dictionary(O=Name.Table, Scope=scope)
            element = self.cells[cell_key] = self._element("TH" if header else "TD", row, **extra)
            # A right-to-left table is drawn from its last column: its cells are kept
            # in reading order, first column first.
            columns = self.row_columns.setdefault(row_key, [])
            columns.append(cell.column)
            if columns != sorted(columns):
                order = sorted(range(len(columns)), key=columns.__getitem__)
                kids = list(row.K)
                row.K = Array([kids[i] for i in order])
                columns.sort()
        if part.role != "LI":
            return element
        listing = self.cell_lists.get(cell_key)
        if listing is None:
            listing = self.cell_lists[cell_key] = self._element("L", element)
        item = self._element("LI", listing)
        return self._element("LBody", item)
