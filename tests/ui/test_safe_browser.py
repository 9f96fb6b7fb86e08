from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QImage
from PySide6.QtWidgets import QMessageBox, QTextBrowser
from pytestqt.qtbot import QtBot

from sdm_app.app import Session
from sdm_app.ui import module_view
from sdm_app.ui.safe_browser import SafeTextBrowser


def _red_pixels(browser: QTextBrowser) -> int:
    image = browser.viewport().grab().toImage()
    return sum(
        1
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
        if image.pixelColor(x, y) == QColor("#ff0000")
    )


def test_local_files_are_never_loaded(qtbot: QtBot, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET CONTENT")
    image = tmp_path / "red.png"
    red = QImage(40, 40, QImage.Format.Format_RGB32)
    red.fill(QColor("#ff0000"))
    assert red.save(str(image))
    browser = SafeTextBrowser()
    qtbot.addWidget(browser)
    browser.resize(300, 200)
    browser.show()
    styled = f'<html><head><link rel="stylesheet" href="{tmp_path}/x.css"></head><body>'
    browser.setHtml(
        f'{styled}<img src="{image}"><img src="file://{image}"><a href="file://{secret}">x</a>'
    )
    assert _red_pixels(browser) == 0
    # The same picture drawn by Qt itself does show: the check can see an image.
    plain = QTextBrowser()
    qtbot.addWidget(plain)
    plain.resize(300, 200)
    plain.show()
    plain.setHtml(f'<img src="{image}">')
    assert _red_pixels(plain) > 0
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

    def confirm(_parent: object, _icon: object, _title: str, text: str, *_args: object) -> object:
        asked.append(text)
        return answer

    def open_url(url: QUrl) -> bool:
        calls.append(url.toString())
        return True

    monkeypatch.setattr(module_view, "show_message", confirm)
    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    view = session.window.library_page.module_view
    view.browser.anchorClicked.emit(QUrl("https://example.org/a"))
    assert asked and "https://example.org/a" in asked[0] and "example.org" in asked[0]
    assert calls == opened


def test_addresses_hiding_their_site_are_refused(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    calls: list[str] = []
    monkeypatch.setattr(
        module_view, "show_message", lambda _p, _i, title, text, *_a: shown.append(title)
    )

    def open_url(url: QUrl) -> bool:
        calls.append(url.toString())
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    view = session.window.library_page.module_view
    view.browser.anchorClicked.emit(QUrl("https://www.cancer.gov@evil.example/"))
    assert shown == ["Link not opened"]
    assert calls == []


def test_message_boxes_never_read_text_as_markup(qtbot: QtBot) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from sdm_app.ui.messages import show_message

    seen: list[str] = []

    def close_box() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(str(box.textFormat()))
        box.done(QMessageBox.StandardButton.Ok.value)

    QTimer.singleShot(0, close_box)
    show_message(None, QMessageBox.Icon.Warning, "t", "<img src='/etc/x'><b>bold</b>")
    assert seen == [str(Qt.TextFormat.PlainText)]


def test_module_links_navigate_inside_the_app(session: Session) -> None:
    modules = session.library.modules("en")
    view = session.window.library_page.module_view
    view.browser.anchorClicked.emit(QUrl(f"module:{modules[-1].id}"))
    assert view.module is not None and view.module.id == modules[-1].id


def test_a_look_alike_site_is_shown_in_its_punycode_form(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def confirm(_parent: object, _icon: object, _title: str, text: str, *_args: object) -> object:
        asked.append(text)
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(module_view, "show_message", confirm)
    view = session.window.library_page.module_view
    view.browser.anchorClicked.emit(QUrl("https://\u0430pple.com/login"))  # Cyrillic а
    assert asked and "xn--pple-43d.com" in asked[0]
    assert "\u0430" not in asked[0]
