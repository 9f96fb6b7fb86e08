"""Latin inside right-to-left text, as the widgets show it: in Arabic every gene, variant,
title in another language and English snippet the UI composes is isolated, read back
from the item, label or document text and laid out with the bidi algorithm."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor, QTextDocument, QTextTable
from PySide6.QtWidgets import QApplication, QLabel

from sdm_app.app import Session
from sdm_app.core.bidi import FSI, LRI, PDI, RLI, without_controls
from sdm_app.core.consultation import Step
from sdm_app.core.results import Origin, TestResult
from sdm_app.i18n import base_language
from sdm_app.ui.library_models import HTML_ROLE
from sdm_app.ui.steps.options_step import OptionsStep
from sdm_app.ui.steps.results_step import ResultsStep
from tests.core.test_bidi_isolates import visual
from tests.ui.test_consultation_journey import AID

HGVS = "exon 19 deletion p.(E746_A750del)"


def bare_latin(text: str) -> str:
    """The left-to-right letters of ``text`` outside every isolate: those the Arabic
    around them could carry off (none may be left)."""
    depth = 0
    found = []
    for char in text:
        if char in (LRI, RLI, FSI):
            depth += 1
        elif char == PDI:
            depth = max(0, depth - 1)
        elif depth == 0 and unicodedata.bidirectional(char) == "L":
            found.append(char)
    return "".join(found)


def rtl_blocks(document: QTextDocument) -> Iterator[str]:
    """The text of each right-to-left paragraph of a rich-text document."""
    block = document.begin()
    while block.isValid():
        if block.textDirection() == Qt.LayoutDirection.RightToLeft and block.text().strip():
            yield block.text()
        block = block.next()


def _arabic(session: Session) -> None:
    session.controller.apply_language("ar")
    assert session.controller.content_locale() == "ar"


def test_library_titles_in_another_language_are_isolated(session: Session) -> None:
    _arabic(session)
    page = session.window.library_page
    session.window.show_page("library")
    english = [m for m in session.library.modules("ar") if m.locale != "ar"]
    assert english, "every module is translated: nothing to check"
    texts = []
    for module in session.library.modules("ar"):
        index = page.tree_model.index_of_module(module.id)
        text = str(index.data())
        texts.append(text)
        assert not bare_latin(text), text
        if module in english:
            assert text.startswith(f"{LRI}{module.title}{PDI} ")  # the title whole, first
            assert f"{LRI}English{PDI}" in text  # the note names its language
            # Laid out right to left: the title at the right, where reading starts.
            assert visual(text).endswith(module.title)
    for row in range(page.tree_model.rowCount()):
        assert not bare_latin(str(page.tree_model.index(row, 0).data()))
    assert len(texts) == len(session.library.modules("ar"))


def test_english_search_snippets_keep_their_ellipses_in_arabic(session: Session) -> None:
    _arabic(session)
    page = session.window.library_page
    session.window.show_page("library")
    page.search("EGFR")
    model = page.results_model
    assert model.rowCount() > 0
    english = 0
    for row in range(model.rowCount()):
        hit = model.hit(row)
        index = model.index(row, 0)
        shown = str(index.data())
        assert not bare_latin(shown), shown
        document = QTextDocument()
        document.setHtml(str(index.data(HTML_ROLE)))
        lines = document.toPlainText().split("\n")  # the <br> between title and snippet
        assert [without_controls(line) for line in lines][1] == hit.snippet
        for line in lines:
            assert not bare_latin(line), line
        if base_language(hit.locale) == "en":
            english += 1
            assert lines[1] == f"{FSI}{hit.snippet}{PDI}"
            # Read back in visual order, the snippet is as written: its ellipses at its ends.
            assert visual(lines[1]) == hit.snippet
        # Every highlighted match is still exactly the word searched for.
        html = str(index.data(HTML_ROLE))
        marked = html.split('<span class="hit">')[1:]
        assert marked and all(part.split("</span>")[0].casefold() == "egfr" for part in marked)
    assert english, "no English hit to check"


def _results_step(session: Session) -> ResultsStep:
    page = session.window.consultations_page
    session.window.show_page("consultations")
    page.new_button.click()
    results = (
        TestResult(None, gene="EGFR", alteration=HGVS, origin=Origin.SOMATIC),
        TestResult(None, gene="KRAS", alteration="p.G12D", origin=Origin.SOMATIC),
    )
    page.model.update(results=results, decision_aid_id=AID)
    page.show_step(Step.RESULTS)
    step = page.steps[Step.RESULTS]
    assert isinstance(step, ResultsStep)
    QApplication.processEvents()
    return step


def test_result_rows_and_card_keep_the_variant_in_order(session: Session) -> None:
    _arabic(session)
    step = _results_step(session)
    assert step.table.currentRow() == 0
    for row in range(step.table.rowCount()):
        for column in range(step.table.columnCount()):
            item = step.table.item(row, column)
            assert item is not None
            assert not bare_latin(item.text()), item.text()
    alteration = step.table.item(0, 2)
    assert alteration is not None and alteration.text() == f"{FSI}{HGVS}{PDI}"
    document = step.card.browser.document()
    heading = document.begin().text()
    assert heading.startswith(f"{LRI}EGFR {HGVS}{PDI}")
    assert visual(heading).endswith(f"EGFR {HGVS}")  # whole, where the line starts
    blocks = list(rtl_blocks(document))
    assert blocks
    for text in blocks:
        assert not bare_latin(text), text


def test_the_option_grid_isolates_latin_in_arabic(session: Session) -> None:
    _arabic(session)
    _results_step(session)
    page = session.window.consultations_page
    page.show_step(Step.OPTIONS)
    options = page.steps[Step.OPTIONS]
    assert isinstance(options, OptionsStep)
    labels = [label.text() for label in options.grid_host.findChildren(QLabel)]
    assert any("EGFR" in text for text in labels)
    for text in [*labels, options.question.text()]:
        assert not bare_latin(text), text
    for row in range(options.aid_combo.count()):
        assert not bare_latin(options.aid_combo.itemText(row))


def _option_table(document: QTextDocument) -> QTextTable:
    cursor = QTextCursor(document)
    while not cursor.atEnd():
        table = cursor.currentTable()
        if table is not None and table.columns() > 2:
            return table
        cursor.movePosition(QTextCursor.MoveOperation.NextBlock)
    raise AssertionError("the decision aid shows no option table")


def _cell_text(table: QTextTable, row: int, column: int) -> str:
    cell = table.cellAt(row, column)
    cursor = cell.firstCursorPosition()
    cursor.setPosition(cell.lastCursorPosition().position(), QTextCursor.MoveMode.KeepAnchor)
    return without_controls(cursor.selectedText()).strip()


def _aid_table(session: Session, aid_id: str) -> tuple[QTextTable, str, str]:
    page = session.window.decision_aids_page
    session.window.show_page("decision_aids")
    assert page.open_decision_aid(aid_id)
    QApplication.processEvents()
    aid = session.library.decision_aid(aid_id, session.controller.content_locale())
    assert aid is not None
    question = aid.attributes[0].question
    answer = aid.options[0].answers[aid.attributes[0].id]
    return _option_table(page.view.browser.document()), question, answer


def test_the_decision_aids_page_mirrors_its_option_table_in_arabic(session: Session) -> None:
    arabic = [a for a in session.library.decision_aids("ar") if a.locale == "ar"]
    assert arabic, "no decision aid is translated into Arabic"
    aid_id = arabic[0].id
    table, question, answer = _aid_table(session, aid_id)
    assert _cell_text(table, 1, 0) == question  # English: questions first, at the left
    _arabic(session)
    table, question, answer = _aid_table(session, aid_id)
    last = table.columns() - 1
    assert _cell_text(table, 0, last) == ""  # the corner
    assert _cell_text(table, 1, last) == question
    assert _cell_text(table, 1, last - 1) == answer
    # On screen: the questions at the right, the first option just left of them.
    browser = session.window.decision_aids_page.view.browser
    question_x = browser.cursorRect(table.cellAt(1, last).firstCursorPosition()).center().x()
    answer_x = browser.cursorRect(table.cellAt(1, last - 1).firstCursorPosition()).center().x()
    assert question_x > answer_x


def test_decision_aid_titles_in_another_language_are_isolated(session: Session) -> None:
    _arabic(session)
    page = session.window.decision_aids_page
    session.window.show_page("decision_aids")
    for row in range(page.aid_list.count()):
        assert not bare_latin(page.aid_list.item(row).text())
