from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from sdm_app.app import Session
from sdm_app.ui.library_models import HTML_ROLE, MODULE_ID_ROLE


def test_library_lists_every_module_under_its_topic(session: Session) -> None:
    page = session.window.library_page
    locale = session.controller.content_locale()
    modules = session.library.modules(locale)
    shown = [
        page.tree_model.item(row).child(child).data(MODULE_ID_ROLE)
        for row in range(page.tree_model.rowCount())
        for child in range(page.tree_model.item(row).rowCount())
    ]
    assert sorted(shown) == sorted(m.id for m in modules)
    topic_titles = {t.title for t in session.library.topics(locale)}
    assert {
        page.tree_model.item(row).text() for row in range(page.tree_model.rowCount())
    } <= topic_titles


def test_every_topic_opens_expanded_with_its_modules_laid_out(
    session: Session, qtbot: QtBot
) -> None:
    page = session.window.library_page
    tree = page.tree
    topics = [tree.model().index(row, 0) for row in range(tree.model().rowCount())]
    assert topics and all(tree.isExpanded(topic) for topic in topics)
    first_module = tree.model().index(0, 0, topics[0])
    qtbot.waitUntil(lambda: tree.visualRect(first_module).height() > 0)
    assert tree.visualRect(first_module).top() > tree.visualRect(topics[0]).top()
    # The topics stay open when the language, and so the content, changes.
    session.controller.set_language("ar")
    assert all(
        tree.isExpanded(tree.model().index(row, 0)) for row in range(tree.model().rowCount())
    )


def test_titles_too_long_for_one_line_get_rows_tall_enough_to_wrap(
    session: Session, qtbot: QtBot
) -> None:
    session.controller.apply_text_scale(200)
    session.window.resize(800, 600)
    tree = session.window.library_page.tree
    model = tree.model()
    modules = [
        model.index(child, 0, model.index(row, 0))
        for row in range(model.rowCount())
        for child in range(model.rowCount(model.index(row, 0)))
    ]
    qtbot.waitUntil(lambda: tree.visualRect(modules[0]).height() > 0)
    metrics = tree.fontMetrics()
    too_long = [
        index
        for index in modules
        if metrics.horizontalAdvance(str(index.data())) > tree.visualRect(index).width()
    ]
    assert too_long, "the window is wide enough for every title: the test shows nothing"
    for index in too_long:
        assert tree.visualRect(index).height() >= 2 * metrics.lineSpacing(), index.data()


def test_the_clear_button_appears_with_the_first_search_text(
    session: Session, qtbot: QtBot
) -> None:
    field = session.window.library_page.search_field
    qtbot.keyClicks(field, "BRCA")
    assert field.isClearButtonEnabled()
    field.clear()
    assert field.text() == ""


def test_module_shows_key_message_then_body_then_sources_and_review(session: Session) -> None:
    page = session.window.library_page
    module_id = session.library.modules("en")[0].id
    page.open_module(module_id)
    module = session.library.module(module_id, "en")
    assert module is not None
    text = page.module_view.browser.toPlainText()
    key = text.index(module.key_message)
    sources = text.index("Sources")
    review = text.index("Reviewed on")
    assert text.index(module.title) < key < sources < review
    assert module.sources[0].citation[:30] in text


def test_selecting_in_the_tree_with_the_keyboard_opens_the_module(
    session: Session, qtbot: QtBot
) -> None:
    page = session.window.library_page
    page.tree.setFocus()
    first_topic = page.tree_model.index(0, 0)
    page.tree.setCurrentIndex(first_topic)
    qtbot.keyClick(page.tree, Qt.Key.Key_Down)
    module_id = page.tree.currentIndex().data(MODULE_ID_ROLE)
    assert module_id
    assert page.module_view.module is not None and page.module_view.module.id == module_id


def _first_term_position(session: Session) -> tuple[int, str]:
    document = session.window.library_page.module_view.browser.document()
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            href = fragment.charFormat().anchorHref()
            if href.startswith("term:"):
                return fragment.position() + 1, href[len("term:") :]
            iterator += 1
        block = block.next()
    raise AssertionError("the module has no glossary term")


def _open_module_with_terms(session: Session) -> None:
    for summary in session.library.modules(session.controller.content_locale()):
        session.window.library_page.open_module(summary.id)
        if "term:" in session.window.library_page.module_view.browser.toHtml():
            return
    raise AssertionError("no module uses a glossary term")


def test_glossary_definition_appears_on_keyboard_focus(session: Session, qtbot: QtBot) -> None:
    from html import escape

    _open_module_with_terms(session)
    view = session.window.library_page.module_view
    view.browser.setFocus()
    anchor = ""
    for _ in range(40):
        qtbot.keyClick(view.browser, Qt.Key.Key_Tab)
        cursor = view.browser.textCursor()
        probe = QTextCursor(cursor)
        probe.setPosition(cursor.selectionStart() + 1)
        anchor = probe.charFormat().anchorHref()
        if anchor.startswith("term:"):
            break
    assert anchor.startswith("term:")
    assert view.definition.isVisible()
    assert view.definition.accessibleName()
    term = session.library.term(anchor.removeprefix("term:"), "en")
    assert term is not None
    assert escape(term.definition) in view.definition.text()


def test_glossary_definition_appears_on_hover(session: Session, qtbot: QtBot) -> None:
    _open_module_with_terms(session)
    browser = session.window.library_page.module_view.browser
    position, term_id = _first_term_position(session)
    cursor = QTextCursor(browser.document())
    cursor.setPosition(position)
    point = browser.cursorRect(cursor).center() + QPoint(2, 0)
    qtbot.mouseMove(browser.viewport(), point)
    qtbot.waitUntil(QToolTip.isVisible, timeout=2000)
    term = session.library.term(term_id, "en")
    assert term is not None
    assert term.term in QToolTip.text()


def test_search_as_you_type_highlights_hits(session: Session, qtbot: QtBot) -> None:
    page = session.window.library_page
    title = session.library.modules("en")[0].title
    word = max(title.split(), key=len)[:4]
    qtbot.keyClicks(page.search_field, word)
    assert page.lists.currentWidget() is page.results
    assert page.results_model.rowCount() >= 1
    html = page.results_model.index(0, 0).data(HTML_ROLE)
    assert '<span class="hit">' in html
    assert "found" in page.status_label.text()
    qtbot.keyClick(page.search_field, Qt.Key.Key_Down)
    assert page.results.hasFocus()
    assert page.module_view.module is not None


def test_search_without_results_says_so_and_clearing_returns_to_topics(
    session: Session, qtbot: QtBot
) -> None:
    page = session.window.library_page
    qtbot.keyClicks(page.search_field, "zzqqxxnotaword")
    assert page.results_model.rowCount() == 0
    assert page.status_label.text() == "No modules match your search."
    page.search_field.clear()
    assert page.lists.currentWidget() is page.tree


def test_search_ignores_accents_in_spanish(session: Session, qtbot: QtBot) -> None:
    session.controller.set_language("es")
    page = session.window.library_page
    accented = next(
        word
        for summary in session.library.modules("es")
        for word in summary.title.split()
        if any(ch in word for ch in "áéíóúñ")
    )
    plain = accented.translate(str.maketrans("áéíóúñ", "aeioun"))
    page.search(plain)
    found_plain = {
        page.results_model.hit(r).module_id for r in range(page.results_model.rowCount())
    }
    page.search(accented)
    found_accented = {
        page.results_model.hit(r).module_id for r in range(page.results_model.rowCount())
    }
    assert found_plain and found_plain == found_accented
    QApplication.processEvents()


def test_a_module_not_yet_translated_says_which_language_it_opens_in(session: Session) -> None:
    page = session.window.library_page
    session.controller.set_language("es")
    try:
        texts = {
            page.tree_model.item(row).child(child).data(MODULE_ID_ROLE): page.tree_model.item(row)
            .child(child)
            .text()
            for row in range(page.tree_model.rowCount())
            for child in range(page.tree_model.item(row).rowCount())
        }
        assert "English" in texts["clinical-trials"]  # no Spanish version
        assert "English" not in texts["precision-medicine"]  # translated
    finally:
        session.controller.set_language("en")
    assert not any("English" in page.tree_model.item(0).child(c).text() for c in range(2))
