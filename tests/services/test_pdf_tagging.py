"""Tagged PDFs (PDF/UA-1): checked by the pdfua package's rules, and the structure
tree read back against the document: its headings in order, every marked piece of
content reachable from the tree."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pikepdf
import pytest

from sdm_app import i18n
from sdm_app.core.consultation import Consultation
from sdm_app.storage.content_db import ContentLibrary
from tests.bundled_knowledge import bundled_knowledge

NINE = ("en", "es", "fr", "de", "pt", "ar", "zh", "hi", "pl")


@pytest.fixture(scope="module")
def library(bundled_library: ContentLibrary) -> ContentLibrary:
    return bundled_library


@pytest.fixture(scope="module")
def demo(library: ContentLibrary) -> Consultation:
    from sdm_app.services.demo import load_demo

    plain = load_demo()
    return load_demo(library.decision_aid(plain.decision_aid_id, "en"))


def _check(data: bytes, tmp_path: Path, name: str) -> None:
    from pdfua import validate

    path = tmp_path / name
    path.write_bytes(data)
    report = validate(str(path))
    problems = [f"{f.rule_id}: {f.message}" for f in report.findings]
    assert report.exit_code == 0 and not problems, problems
    assert not report.skipped, report.skipped


@pytest.mark.parametrize("language", NINE)
def test_summary_and_family_letter_pass_the_pdfua_checks(
    language: str, demo: Consultation, library: ContentLibrary, tmp_path: Path
) -> None:
    from sdm_app.services.family_letter import build_family_letter_pdf
    from sdm_app.services.pdf_summary import build_summary_pdf

    summary = build_summary_pdf(demo, library, language=language, patient_view=True)
    _check(summary, tmp_path, "summary.pdf")
    letter = build_family_letter_pdf(demo, bundled_knowledge(), language=language)
    _check(letter, tmp_path, "letter.pdf")


def _marked(page: pikepdf.Page) -> list[int]:
    """The MCIDs a page's content stream marks, in drawing order."""
    found: list[int] = []
    for instruction in pikepdf.parse_content_stream(page):
        if not isinstance(instruction, pikepdf.ContentStreamInstruction):
            continue
        operands, operator = instruction.operands, instruction.operator
        if str(operator) == "BDC" and len(operands) == 2:
            properties = operands[1]
            if isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties:
                found.append(int(properties.MCID))
    return found


def _leaves(element: pikepdf.Object, out: list[pikepdf.Object]) -> None:
    kids = element.get("/K")
    if kids is None:
        return
    if not isinstance(kids, pikepdf.Array) or not any(
        isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/StructElem" for k in kids
    ):
        out.append(element)
        return
    for kid in kids:
        if isinstance(kid, pikepdf.Dictionary):
            _leaves(kid, out)


def test_the_structure_tree_holds_every_marked_piece_in_reading_order(
    demo: Consultation, library: ContentLibrary
) -> None:
    from sdm_app.services.pdf_summary import build_summary_pdf

    data = build_summary_pdf(demo, library, language="ar", patient_view=True)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root
        assert root.MarkInfo.Marked and root.ViewerPreferences.DisplayDocTitle
        assert str(root.Lang) == "ar"
        assert "pdfuaid" in str(pdf.open_metadata())
        tree = root.StructTreeRoot
        numbers = list(tree.ParentTree.Nums)
        parents = {int(numbers[i]): numbers[i + 1] for i in range(0, len(numbers), 2)}
        for index, page in enumerate(pdf.pages):
            assert int(page.obj.StructParents) == index
            marked = _marked(page)
            assert marked == sorted(marked) and marked == list(range(len(marked)))
            # Each marked piece has its element in the parent tree, on this page.
            for mcid in marked:
                element = parents[index][mcid]
                assert element.get("/Pg") == page.obj or any(
                    mcr.Pg == page.obj and int(mcr.MCID) == mcid for mcr in element.K
                )
        leaves: list[pikepdf.Object] = []
        _leaves(tree.K, leaves)
        assert len(leaves) > 50
        roles = [str(leaf.S) for leaf in leaves]
        assert roles[0] == "/H1" and "/TH" in roles and "/LBody" in roles
        # The bookmarks are the headings, in the order of the document.
        titles: list[str] = []
        with pdf.open_outline() as outline:
            pending = list(outline.root)
            while pending:  # depth first: the order of the document
                item = pending.pop(0)
                titles.append(item.title)
                pending[:0] = list(item.children)
    with i18n_language("ar"):
        from sdm_app.i18n import _

        expected = [_("About this visit"), _("Test results"), _("Options considered")]
    positions = [next(n for n, t in enumerate(titles) if t == e) for e in expected]
    assert positions == sorted(positions)


@contextmanager
def i18n_language(language: str) -> Iterator[None]:
    i18n.set_language(language)
    try:
        yield
    finally:
        i18n.set_language(i18n.SOURCE_LANGUAGE)


def _languages(data: bytes) -> dict[str, int]:
    """How many structure elements say they are in each language."""
    counts: dict[str, int] = {}
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pending = [pdf.Root.StructTreeRoot.K]
        while pending:
            element = pending.pop()
            if not isinstance(element, pikepdf.Dictionary):
                continue
            if "/Lang" in element:
                counts[str(element.Lang)] = counts.get(str(element.Lang), 0) + 1
            kids = element.get("/K")
            if isinstance(kids, pikepdf.Array):
                pending += list(kids)
            elif isinstance(kids, pikepdf.Dictionary):
                pending.append(kids)
    return counts


def test_text_in_another_language_says_so(demo: Consultation, library: ContentLibrary) -> None:
    """A decision aid not translated into the summary's language is printed in its own,
    and a screen reader is told which (so it reads it with the right voice)."""
    from dataclasses import replace

    from sdm_app.services.pdf_summary import build_summary_pdf

    hindi_aid = library.decision_aid(demo.decision_aid_id, "hi")
    assert hindi_aid is not None and hindi_aid.locale == "en"  # not yet translated
    hindi = replace(demo, context=replace(demo.context, materials_locale="hi"))
    marked = _languages(build_summary_pdf(hindi, library, language="hi"))
    assert marked.get("en", 0) > 20, marked
    assert _languages(build_summary_pdf(demo, library, language="en")) == {}


def test_sources_and_communities_are_links_a_screen_reader_finds(
    demo: Consultation, library: ContentLibrary
) -> None:
    """Each source's address is a link annotation, named (/Contents), and reached from
    a Link element beside the words it covers; nothing but https is linked."""
    from sdm_app.services.documents.model import Paragraph
    from sdm_app.services.pdf_summary import build_summary_pdf

    aid = library.decision_aid(demo.decision_aid_id, "en")
    assert aid is not None
    wanted = {source.link() for source in aid.sources if source.link()}
    assert len(wanted) >= 3
    data = build_summary_pdf(demo, library, language="en")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        numbers = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
        parents = {int(numbers[i]): numbers[i + 1] for i in range(0, len(numbers), 2)}
        found: set[str] = set()
        for page in pdf.pages:
            for annotation in page.obj.get("/Annots", []):
                if annotation.get("/Subtype") != "/Link":
                    continue
                uri = str(annotation.A.URI)
                assert uri.startswith("https://") and str(annotation.Contents) == uri
                link = parents[int(annotation.StructParent)]
                assert link.S == "/Link"
                kinds = [str(kid.get("/Type", "")) for kid in link.K]
                assert "/OBJR" in kinds and "/MCR" in kinds  # the annotation and its words
                found.add(uri)
    assert wanted <= found
    assert Paragraph("x", link="javascript:alert(1)").link == ""
    assert Paragraph("x", link="http://example.org").link == ""


@pytest.mark.parametrize("rtl", [False, True])
def test_a_table_row_taller_than_a_page_splits_and_stays_tagged(rtl: bool, tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    from sdm_app.services import pdf_document as doc
    from sdm_app.services.pdf_text import TextBlock, TextStyle

    words = [f"w{n}" for n in range(2500)]
    head = TextStyle(bold=True, role="TH")
    cell = TextStyle(role="TD")
    rows = [
        [TextBlock("Gene", head, rtl), TextBlock("Note", head, rtl)],
        [TextBlock("BRCA2", cell, rtl), TextBlock(" ".join(words), cell, rtl)],
    ]
    info = doc.DocumentInfo(
        title="Long note", subject="Test", author="Test", language="en", header="Long note"
    )
    story = [TextBlock("Before the table", doc.BODY, rtl), doc.grid(rows, [150.0, 300.0], rtl=rtl)]
    data = doc.render_pdf(story, info, rtl=rtl)
    _check(data, tmp_path, "long-row.pdf")
    pdf = pdfium.PdfDocument(data)
    try:
        pages = [page.get_textpage().get_text_range() for page in pdf]
    finally:
        pdf.close()
    assert len(pages) > 3
    # Every page of the table repeats its header row, and no word is lost or doubled.
    assert all("Note" in page for page in pages)
    printed = " ".join(pages).split()
    assert [word for word in printed if word.startswith("w")] == words
