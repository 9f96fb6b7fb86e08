"""The summary is one document shown on screen and printed: it says what the report
says of each result and never more (no "inherited" before a germline test,
resistance as expected not to work), and both renderers show the same model."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from datetime import date, datetime

import pytest

from sdm_app.core.consultation import Consultation
from sdm_app.core.results import (
    Confirmation,
    Direction,
    Origin,
    TestResult,
    TestType,
    Therapy,
)
from sdm_app.services.documents import html
from sdm_app.services.documents.model import Document
from sdm_app.services.documents.summary import summary_document
from sdm_app.storage.content_db import ContentLibrary

NOW = datetime(2026, 12, 1, 10, 0)
BRCA2 = TestResult(
    1,
    gene="BRCA2",
    alteration="c.5946del",
    origin=Origin.LIKELY_GERMLINE,
    confirmation=Confirmation.RECOMMENDED,
    test_type=TestType.TUMOUR_ONLY,
    scheme_id="acmg-amp-2015",
    class_code="LP",
    vaf="48.2",
)


def _html(*results: TestResult, patient_view: bool = True) -> str:
    consultation = Consultation(id=1, created_at=NOW, updated_at=NOW, results=results)
    document = summary_document(
        consultation, None, language="en", today=date(2026, 12, 1), patient_view=patient_view
    )
    return html.render(document)


def test_an_unconfirmed_germline_finding_needs_a_germline_test_first() -> None:
    html = _html(BRCA2)
    assert "needs a germline test, on blood or saliva, before relatives are told" in html
    assert "inherited (germline)" not in html and "was inherited" not in html
    confirmed = _html(replace(BRCA2, confirmation=Confirmation.CONFIRMED))
    assert "before relatives are told" not in confirmed
    assert "confirmed germline (inherited) by a germline test" in confirmed


def test_resistance_reads_as_expected_not_to_work() -> None:
    kras = TestResult(
        2,
        gene="KRAS",
        alteration="p.G12D",
        origin=Origin.SOMATIC,
        scheme_id="oncokb",
        class_code="R1",
        therapies=(Therapy("cetuximab", Direction.RESISTANT, "R1", "colorectal cancer"),),
    )
    html = _html(kras)
    assert "expected not to work: cetuximab (level R1; colorectal cancer)" in html


def test_laboratory_detail_is_for_clinicians() -> None:
    assert "48.2%" not in _html(BRCA2)
    assert "Variant allele fraction: 48.2%" in _html(BRCA2, patient_view=False)


def test_a_percentage_typed_with_its_sign_shows_one_sign() -> None:
    html = _html(replace(BRCA2, vaf="48.2 %", tumour_fraction="30%"), patient_view=False)
    assert "Variant allele fraction: 48.2%" in html
    assert "Tumour fraction: 30%" in html
    assert "%%" not in html


def _demo_document(library: ContentLibrary, **changes: object) -> Document:
    from sdm_app.services.demo import load_demo

    consultation = replace(load_demo(), **changes)  # type: ignore[arg-type]
    return summary_document(
        consultation,
        library,
        language="en",
        today=date(2026, 12, 1),
    )


def _pdf_text(data: bytes) -> str:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        pages = []
        for page in document:
            text = page.get_textpage()
            pages.append(text.get_text_range())
            text.close()
            page.close()
    finally:
        document.close()
    # The running footer (title, label, date, page number) is an artifact of each page,
    # not text of the document: a row split over two pages has it in its middle.
    return _FOOTER.sub(" ", " ".join(" ".join(pages).split()))


_FOOTER = re.compile(
    r" ?Consultation summary · [^·]{0,80}· [A-Z][a-z]+ \d{1,2}, \d{4} Page \d+ of \d+"
)


def test_a_change_to_the_model_shows_on_screen_and_on_paper(
    bundled_library: ContentLibrary,
) -> None:
    from sdm_app.services.documents import pdf

    canary = "Talk with my sister Maren about the 2 options on 2026-12-14"
    document = _demo_document(bundled_library, next_steps=canary)
    assert canary in html.render(document)
    assert canary in _pdf_text(pdf.render(document))
    before = _demo_document(bundled_library)
    assert canary not in html.render(before)
    assert canary not in _pdf_text(pdf.render(before))


def test_screen_and_paper_say_the_same_texts(bundled_library: ContentLibrary) -> None:
    """Every text of the model is on screen, escaped, and in the PDF's text."""
    from html import escape

    from sdm_app.services.documents import pdf

    document = _demo_document(bundled_library)
    page = html.render(document)
    printed = _pdf_text(pdf.render(document))
    printed_solid = "".join(printed.split())
    texts = [t for t in document.texts() if not t.startswith("A picture of")]
    assert len(texts) > 60
    for text in texts:
        assert escape(text) in page, text
        # Spaces compared away: a word wider than a line (a long address) is cut
        # between two lines, and extraction puts a space at the cut.
        assert "".join(text.split()) in printed_solid, text


def _structure_texts(data: bytes) -> list[str]:
    """The text of each marked-content part of the structure tree, in the order of the
    tree (what a screen reader reads): the tree and its references (an element's own
    page, or each part's page when it runs over two) read with pikepdf, the text of
    each page's marked content with pdfium."""
    import ctypes
    import io

    import pikepdf
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    by_mcid: dict[tuple[int, int], list[str]] = {}
    document = pdfium.PdfDocument(data)
    try:
        for number, page in enumerate(document):
            textpage = page.get_textpage()
            for index in range(raw.FPDFPage_CountObjects(page.raw)):
                obj = raw.FPDFPage_GetObject(page.raw, index)
                if raw.FPDFPageObj_GetType(obj) != raw.FPDF_PAGEOBJ_TEXT:
                    continue
                mcid = raw.FPDFPageObj_GetMarkedContentID(obj)
                size = raw.FPDFTextObj_GetText(obj, textpage.raw, None, 0)
                buffer = (ctypes.c_ushort * (size // 2 + 1))()
                raw.FPDFTextObj_GetText(obj, textpage.raw, buffer, size)
                text = bytes(buffer).decode("utf-16-le").split("\x00", 1)[0]
                by_mcid.setdefault((number, mcid), []).append(text)
            textpage.close()
            page.close()
    finally:
        document.close()
    found: list[str] = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}

        def part(page: object, mcid: object) -> None:
            if isinstance(page, pikepdf.Dictionary) and isinstance(mcid, int):
                found.append("".join(by_mcid.get((pages[page.objgen], mcid), [])))

        def walk(element: pikepdf.Dictionary, page: object) -> None:
            page = element.get("/Pg", page)
            kids = element.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                if isinstance(kid, int):
                    part(page, kid)
                elif isinstance(kid, pikepdf.Dictionary):
                    if kid.get("/Type") == "/MCR":
                        part(kid.get("/Pg", page), kid.get("/MCID"))
                    elif kid.get("/Type") != "/OBJR":
                        walk(kid, page)

        root = pdf.Root.StructTreeRoot
        assert isinstance(root, pikepdf.Dictionary)
        walk(root, None)
    return [" ".join(t.split()) for t in found if t.strip()]


def test_the_structure_tree_reads_as_the_model(bundled_library: ContentLibrary) -> None:
    from sdm_app.services.documents import pdf

    document = _demo_document(bundled_library)
    # Words are drawn as separate pieces, and a space between pieces is a gap, not a
    # character: compare without white space.
    tree = "".join("".join(_structure_texts(pdf.render(document))).split())
    model = ["".join(t.split()) for t in document.texts() if not t.startswith("A picture of")]
    assert "•" not in tree  # bullets are decoration; the list structure says it
    # Each text of the model is read whole, in the model's order.
    position = 0
    for text in model:
        found = tree.find(text, position)
        assert found >= 0, (text, tree[position : position + 200])
        position = found + len(text)


def test_right_to_left_structure_reads_in_reading_order(bundled_library: ContentLibrary) -> None:
    """In Arabic, each structure element with right-to-left words carries its text in
    reading order (/ActualText), the model's own text, in the model's order."""
    import io

    import pikepdf

    from sdm_app.services.documents import pdf
    from sdm_app.services.pdf_document import in_language

    with in_language("ar") as chosen:
        document = summary_document(
            _demo(bundled_library), bundled_library, language=chosen, today=date(2026, 12, 1)
        )
        data = pdf.render(document)
    said: list[str] = []
    with pikepdf.open(io.BytesIO(data)) as opened:
        pending = [opened.Root.StructTreeRoot.K]
        while pending:  # depth first: the order of the tree
            element = pending.pop(0)
            if not isinstance(element, pikepdf.Dictionary):
                continue
            if "/ActualText" in element:
                said.append(str(element.ActualText))
            kids = element.get("/K")
            if isinstance(kids, pikepdf.Array):
                pending[:0] = list(kids)
            elif isinstance(kids, pikepdf.Dictionary):
                pending.insert(0, kids)
    model = [" ".join(t.split()) for t in document.texts() if any(_rtl(c) for c in t)]
    assert len(model) > 100
    readable = [" ".join(t.translate(_CONTROLS).split()) for t in model]
    # Each is there whole, in order (a table cell may say two blocks together).
    joined = "\n".join(said)
    position = 0
    for text in readable:
        found = joined.find(text, position)
        assert found >= 0, (text, joined[position : position + 200])
        assert found - position < 2000, (text, joined[position : position + 300])
        position = found + len(text)


_CONTROLS = dict.fromkeys(
    map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)


def _rtl(char: str) -> bool:
    import unicodedata

    return unicodedata.bidirectional(char) in ("R", "AL")


def _demo(library: ContentLibrary) -> Consultation:
    from sdm_app.services.demo import load_demo

    return load_demo(library.decision_aid(load_demo().decision_aid_id, "ar"))


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_readers_extract_arabic_in_reading_order(bundled_library: ContentLibrary) -> None:
    """pdfium (Chrome's engine) and poppler put right-to-left text back in reading
    order by their own rules; given the glyphs in visual order, word by word, they
    read nearly every Arabic sentence of the summary whole and in order. Vowel marks
    and stops are compared apart: each reader places them its own way. (Drawn in
    reading order instead, pdfium read 1 of these 109 sentences.)"""
    import subprocess

    from sdm_app.services.documents import pdf
    from sdm_app.services.pdf_document import in_language

    with in_language("ar") as chosen:
        document = summary_document(
            _demo(bundled_library), bundled_library, language=chosen, today=date(2026, 12, 1)
        )
        data = pdf.render(document)
    poppler = subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode("utf-8")
    arabic_only = [
        text
        for text in document.texts()
        if any(_rtl(char) for char in text) and not any(_ltr(char) for char in text)
    ]
    assert len(arabic_only) > 100
    for reader, extracted in (("pdfium", _pdf_text(data)), ("poppler", poppler)):
        read = _bare(extracted)
        missed = [text for text in arabic_only if _bare(text) not in read]
        assert len(missed) <= len(arabic_only) // 10, (reader, len(missed), missed[:5])


def _ltr(char: str) -> bool:
    import unicodedata

    return unicodedata.bidirectional(char) in ("L", "EN", "AN")


def _bare(text: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text if unicodedata.category(c)[0] not in "MPCZ")


# The numbers of the chosen decision aid ----------------------------------------------


class _AidOnly:
    """A content library that has only one decision aid (no modules, no knowledge)."""

    def __init__(self, aid: object) -> None:
        self.aid = aid

    def decision_aid(self, aid_id: str, locale: str) -> object:
        return self.aid

    def packs(self) -> list[object]:
        return []


def _numbers_section(aid: object) -> list[object]:
    from sdm_app.services.documents.model import Section

    consultation = Consultation(id=1, created_at=NOW, updated_at=NOW, decision_aid_id="aid")
    document = summary_document(
        consultation,
        _AidOnly(aid),  # type: ignore[arg-type]
        language="en",
        today=date(2026, 12, 1),
    )
    (section,) = [
        b for b in document.blocks if isinstance(b, Section) and b.title == "What the numbers say"
    ]
    return list(section.blocks)


def test_numbers_show_comparator_difference_certainty_why_and_pictographs() -> None:
    from sdm_app.core.decision_aid import Outcome, OutcomeFigure
    from sdm_app.services.documents.model import Group, Pictograph, Table
    from tests.services.test_decision_aid_page import _aid

    benefit = Outcome(
        "alive",
        "benefit",
        "Alive at 3 years",
        "Adults",
        (
            OutcomeFigure("pill", 54, 100, "3 years", "moderate", "trial", None, "One trial"),
            OutcomeFigure("wait", 41, 100, "3 years", "moderate", "trial", None, "One trial"),
        ),
        "wait",
    )
    harm = Outcome(
        "rash",
        "harm",
        "Serious rash",
        "Adults",
        (
            OutcomeFigure("pill", 23, 100, "3 years", "low", "trial", None, "Open-label"),
            OutcomeFigure("wait", 23, 1000, "3 years", "low", "trial", None, "Open-label"),
        ),
        "wait",
    )
    groups = _numbers_section(_aid(outcomes=(benefit, harm)))
    assert len(groups) == 2 and all(isinstance(g, Group) for g in groups)
    texts: list[str] = []
    pictures: list[Pictograph] = []
    for group in groups:
        assert isinstance(group, Group)
        table = group.blocks[-1]
        assert isinstance(table, Table)
        for row in table.rows:
            for cell in row:
                for block in cell.blocks:
                    if isinstance(block, Pictograph):
                        pictures.append(block)
                    else:
                        texts.append(getattr(block, "text", ""))
    assert (
        "54 out of 100 people, over 3 years. With Wait: 41 out of 100 people, over 3 years. "
        "13 more in 100 than with Wait. Certainty of the evidence: moderate. Why: One trial. "
        "Source [1]."
    ) in texts
    # Out of 100 against out of 1,000: shown side by side, no difference worked out.
    pill_harm = next(t for t in texts if t.startswith("23 out of 100 people"))
    assert "With Wait: 23 out of 1,000 people" in pill_harm
    assert " more in " not in pill_harm and " fewer in " not in pill_harm
    assert "About the same" not in pill_harm
    assert "Why: Open-label." in pill_harm
    # Harms are drawn as well as benefits: a pictograph for each figure (out of 1,000,
    # each of 100 figures stands for 10 people, and the sentence gives the number).
    assert [(p.filled, p.count, p.per_figure) for p in pictures] == [
        (54, 100, 1),
        (41, 100, 1),
        (23, 100, 1),
        (2, 100, 10),
    ]
    assert "Each figure stands for 10 people." in texts[-1]
