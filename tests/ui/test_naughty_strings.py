"""Every naughty string, in the search box and in a module body: no crash, no Qt
warning (pytest-qt fails the test on one), and nothing becomes markup."""

from __future__ import annotations

from datetime import date

from PySide6.QtGui import QTextDocument, QTextFormat
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from sdm_app.app import Session
from sdm_app.content.render import render_body
from sdm_app.core.library import Module, ReviewInfo, Source
from sdm_app.services.module_page import module_html
from sdm_app.ui.library_models import HTML_ROLE
from sdm_app.ui.safe_browser import ALLOWED_SCHEMES, SafeTextBrowser


def _module(body_html: str, text: str) -> Module:
    today = date(2026, 11, 21)
    return Module(
        id="naughty",
        pack_id="test",
        pack_version="1",
        topic_id="t",
        audience=("patient",),
        title=text,
        key_message=text,
        body_html=body_html,
        locale="en",
        requested_locale="en",
        status="source",
        source_version=1,
        translation_of=None,
        sources=(Source("s1", text, today, url="https://example.org/"),),
        review=ReviewInfo(today, text, today, "needs clinical review"),
    )


def _unsafe_parts(document: QTextDocument) -> list[str]:
    found = []
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fmt = iterator.fragment().charFormat()
            if fmt.objectType() != QTextFormat.ObjectTypes.NoObject or fmt.isImageFormat():
                found.append("object or image")
            href = fmt.anchorHref()
            if href and href.split(":", 1)[0] not in ALLOWED_SCHEMES:
                found.append(href)
            iterator += 1
        block = block.next()
    return found


def test_naughty_strings_in_a_module_body(qtbot: QtBot, blns: list[str]) -> None:
    browser = SafeTextBrowser()
    qtbot.addWidget(browser)
    for text in blns:
        rendered = render_body(text, ["s1"])
        browser.setHtml(module_html(_module(rendered.html, text), None, date(2026, 11, 21)))
        plain = browser.toPlainText()
        assert _unsafe_parts(browser.document()) == [], text
        if "<script" in text.lower():
            assert "<script" in plain.lower(), text
        if text.strip() and "\x00" not in text:
            # title, key message and citation are plain text: shown exactly.
            assert " ".join(text.split())[:20] in " ".join(plain.split()), text


def test_naughty_strings_in_the_search_box(session: Session, blns: list[str]) -> None:
    page = session.window.library_page
    for text in blns:
        page.search_field.setText(text)
        QApplication.processEvents()
        for row in range(page.results_model.rowCount()):
            html = page.results_model.index(row, 0).data(HTML_ROLE)
            assert "<script" not in html.lower()
    page.search_field.clear()
