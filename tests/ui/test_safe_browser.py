from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QTextDocument
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from sdm_app.app import Session
from sdm_app.ui.safe_browser import SafeTextBrowser


def test_local_files_are_never_loaded(qtbot: QtBot, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET CONTENT")
    image = tmp_path / "pixel.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n")
    browser = SafeTextBrowser()
    qtbot.addWidget(browser)
    browser.setHtml(f'<img src="{image}"><img src="file://{image}"><a href="file://{secret}">x</a>')
    assert (
        browser.loadResource(
            QTextDocument.ResourceType.ImageResource.value, QUrl.fromLocalFile(str(image))
        )
        is None
    )
    browser.setSource(QUrl.fromLocalFile(str(secret)))
    assert "SECRET CONTENT" not in browser.toPlainText()
    with qtbot.assertNotEmitted(browser.link_activated):
        browser.anchorClicked.emit(QUrl.fromLocalFile(str(secret)))
        browser.anchorClicked.emit(QUrl("javascript:alert(1)"))


def test_allowed_links_are_reported_not_followed(qtbot: QtBot) -> None:
    browser = SafeTextBrowser()
    qtbot.addWidget(browser)
    with qtbot.waitSignal(browser.link_activated) as blocker:
        browser.anchorClicked.emit(QUrl("module:biomarker-testing"))
    assert blocker.args == ["module", "biomarker-testing"]


@pytest.mark.parametrize(
    ("answer", "opened"),
    [
        (QMessageBox.StandardButton.Cancel, []),
        (QMessageBox.StandardButton.Open, ["https://example.org/a"]),
    ],
)
def test_web_links_open_only_after_confirmation(
    session: Session,
    monkeypatch: pytest.MonkeyPatch,
    answer: QMessageBox.StandardButton,
    opened: list[str],
) -> None:
    calls: list[str] = []
    asked: list[str] = []

    def question(*args: object, **_kwargs: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return answer

    def open_url(url: QUrl) -> bool:
        calls.append(url.toString())
        return True

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    view = session.window.library_page.module_view
    view.browser.anchorClicked.emit(QUrl("https://example.org/a"))
    assert asked and "https://example.org/a" in asked[0]
    assert calls == opened


def test_module_links_navigate_inside_the_app(session: Session) -> None:
    modules = session.library.modules("en")
    view = session.window.library_page.module_view
    view.browser.anchorClicked.emit(QUrl(f"module:{modules[-1].id}"))
    assert view.module is not None and view.module.id == modules[-1].id
