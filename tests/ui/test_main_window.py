from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QMenu, QWidget
from pytestqt.qtbot import QtBot

from sdm_app import paths
from sdm_app.app import Session, StartupProblem, create_application, start_session
from sdm_app.ui.main_window import MainWindow


def _visible_texts(window: MainWindow) -> dict[str, str]:
    """Every string a user can see in the window's chrome, keyed by where it is."""
    texts = {"title": window.windowTitle()}
    for widget in window.findChildren(QWidget):
        name = f"{type(widget).__name__}:{widget.objectName()}:{id(widget)}"
        if isinstance(widget, QLabel | QAbstractButton) and widget.text():
            texts[name] = widget.text()
    for action in window.menuBar().actions():
        texts[f"menu:{id(action)}"] = action.text()
        menu = action.menu()
        for sub in menu.actions() if isinstance(menu, QMenu) else []:
            if sub.text() and sub.data() is None:
                texts[f"action:{id(sub)}"] = sub.text()
    nav = window.nav
    for row in range(nav.count()):
        texts[f"nav:{row}"] = nav.item(row).text()
    return texts


def test_every_visible_string_changes_with_the_language_without_restart(session: Session) -> None:
    window = session.window
    for page in ("settings", "library"):
        window.show_page(page)
        before = _visible_texts(window)
        session.controller.set_language("es")
        after = _visible_texts(window)
        unchanged = {key: text for key, text in before.items() if after.get(key) == text}
        # Language names are shown in their own language; they never change.
        assert unchanged == {}, unchanged
        session.controller.set_language("en")


def test_arabic_mirrors_the_layout(session: Session) -> None:
    session.controller.set_language("ar")
    QApplication.processEvents()  # layouts are redone from posted events
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert session.window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    nav = session.window.nav
    assert nav.mapTo(session.window, nav.rect().topLeft()).x() > session.window.width() // 2
    session.controller.set_language("en")
    assert QApplication.layoutDirection() == Qt.LayoutDirection.LeftToRight


@pytest.mark.parametrize(
    ("language", "cancel"),
    # Hindi comes from locales/qt (Qt has none); Chinese from Qt's qtbase_zh_CN.
    [("es", "Cancelar"), ("hi", "रद्द करें"), ("zh", "取消"), ("pt", "Cancelar")],
)
def test_qt_standard_dialog_buttons_are_translated(
    session: Session, language: str, cancel: str
) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    def cancel_text() -> str:
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        return box.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "")

    session.controller.set_language(language)
    try:
        assert cancel_text() == cancel
    finally:
        session.controller.set_language("en")
    assert cancel_text() == "Cancel"  # back in English, Qt's own words are too


def test_qt_translations_for_hindi_are_compiled_from_their_source(tmp_path: Path) -> None:
    import subprocess
    import sys

    folder = paths.locales_dir() / "qt"
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    out = tmp_path / "qtbase_hi.qm"
    subprocess.run(
        [str(lrelease), str(folder / "qtbase_hi.ts"), "-qm", str(out)],
        check=True,
        capture_output=True,
    )
    assert out.read_bytes() == (folder / "qtbase_hi.qm").read_bytes(), "run pyside6-lrelease"


def _settle() -> None:
    """Let nested layouts redo themselves: each level posts a request to the next."""
    for _ in range(10):
        QApplication.processEvents()


def _clipped(window: QWidget) -> list[str]:
    problems = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or not isinstance(widget, QLabel | QAbstractButton):
            continue
        hint = widget.minimumSizeHint()
        if isinstance(widget, QLabel) and widget.wordWrap():
            needed_height = widget.heightForWidth(widget.width())
            if needed_height > widget.height() + 1:
                label = widget.objectName() or widget.text()[:30]
                problems.append(f"{label} height {widget.height()} < {needed_height}")
            continue
        if hint.width() > widget.width() + 1 or hint.height() > widget.height() + 1:
            problems.append(
                f"{type(widget).__name__} {widget.text()[:30]!r} {widget.size()} < {hint}"
            )
    nav = window.nav  # type: ignore[attr-defined]
    if nav.sizeHintForColumn(0) > nav.viewport().width():
        problems.append("navigation list is narrower than its labels")
    return problems


def test_text_at_200_percent_reflows_without_clipping(session: Session, qtbot: QtBot) -> None:
    window = session.window
    session.controller.set_text_scale(200)
    assert QApplication.font().pointSizeF() == 20.0
    for language in ("en", "ar"):
        session.controller.set_language(language)
        for page in ("library", "settings"):
            window.show_page(page)
            if page == "library":
                window.library_page.open_module(session.library.modules(language)[0].id)
            _settle()
            assert _clipped(window) == [], (language, page)
    session.controller.set_language("en")


def test_settings_are_restored_at_next_start(session: Session, qtbot: QtBot) -> None:
    page = session.window.settings_page
    page.language_combo.setCurrentIndex(page.language_combo.findData("es"))
    page.text_size_slider.setValue(150)
    page.contrast_check.setChecked(True)
    page.paper_combo.setCurrentIndex(page.paper_combo.findData("letter"))
    page.large_print_check.setChecked(True)
    page.service_edit.setText("  Clinical genetics, 0123 456  ")
    page.service_edit.editingFinished.emit()
    session.close()
    session.controller.apply_language("en")
    session.controller.apply_text_scale(100)

    again = start_session(create_application())
    assert not isinstance(again, StartupProblem)
    qtbot.addWidget(again.window)
    try:
        assert again.controller.language == "es"
        assert again.controller.settings.text_scale == 150
        assert again.controller.settings.high_contrast
        printing = again.controller.settings
        assert (printing.paper, printing.large_print) == ("letter", True)
        assert printing.genetics_service == "Clinical genetics, 0123 456"
        page = again.window.settings_page
        assert page.paper_combo.currentData() == "letter" and page.large_print_check.isChecked()
        assert again.window.windowTitle() != "Precision Medicine Guide"
    finally:
        again.controller.set_high_contrast(False)
        again.controller.apply_language("en")
        again.controller.apply_text_scale(100)
        again.library.close()
        again.database.close()


def test_keyboard_shortcut_moves_to_search(session: Session, qtbot: QtBot) -> None:
    session.window.show_page("settings")
    session.window.find_action.trigger()
    assert session.window.current_page() == "library"
    assert session.window.library_page.search_field.hasFocus()


def test_a_branded_build_shows_the_organisation(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sdm_app.branding import Branding
    from sdm_app.ui import main_window

    brand = Branding(
        app_names={"en": "Genes and Choices", "es": "Genes y Decisiones"},
        organisation="Example Alliance",
        email="help@example.org",
    )
    monkeypatch.setattr(main_window, "current_branding", lambda: brand)
    shown: list[str] = []
    monkeypatch.setattr(
        "sdm_app.ui.messages.show_message", lambda _p, _i, _t, text, *_a: shown.append(text)
    )
    session.controller.set_language("es")
    try:
        assert session.window.windowTitle() == "Genes y Decisiones"
        session.window.about_action.trigger()
        assert "Example Alliance" in shown[0] and "help@example.org" in shown[0]
    finally:
        session.controller.set_language("en")
    assert session.window.windowTitle() == "Genes and Choices"
