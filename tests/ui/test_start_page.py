"""The start page: shown at the first start, reached later from the page list; each of
its actions does what it says; language and text size are the settings' own."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from sdm_app import paths
from sdm_app.app import Session, create_application, start_session
from sdm_app.core.consultation import Step
from sdm_app.ui.steps.visit_step import VisitStep


def _start(qtbot: QtBot) -> Session:
    started = start_session(create_application())
    assert isinstance(started, Session), started
    qtbot.addWidget(started.window)
    started.window.show()
    qtbot.waitExposed(started.window)
    return started


def _stop(session: Session) -> None:
    session.controller.apply_language("en")
    session.controller.apply_text_scale(100)
    session.close()


@pytest.fixture
def first(qtbot: QtBot) -> Iterator[Session]:
    """The app as it opens the very first time (nothing saved yet)."""
    session = _start(qtbot)
    yield session
    _stop(session)


def _store(session: Session, label: str) -> int:
    """A consultation saved now (the latest saved is listed first)."""
    store = session.window.consultations_page.model.store
    saved = store.save(replace(store.create(), patient_label=label))
    assert saved.id is not None
    return saved.id


def test_the_first_start_opens_on_the_start_page(first: Session, qtbot: QtBot) -> None:
    window = first.window
    page = window.start_page
    assert window.current_page() == "start"
    assert window.nav.currentRow() == 0
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.new_button)
    assert "Precision Medicine Guide" in page.heading.text()
    assert "not medical advice" in page.not_advice.text()
    for button in (page.new_button, page.library_button):
        assert button.isVisible() and button.isEnabled()
    assert not page.continue_button.isVisible()  # nothing to continue yet
    assert not page.organisation.isVisible()  # not a branded build


def test_a_later_start_opens_on_the_library_and_alt_home_reaches_the_start(
    qtbot: QtBot,
) -> None:
    session = _start(qtbot)
    session.controller.set_text_scale(120)  # something is saved now
    _stop(session)
    again = _start(qtbot)
    try:
        assert again.window.current_page() == "library"
        again.window.nav.setFocus()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is again.window.nav)
        qtbot.keyClick(again.window.nav, Qt.Key.Key_Home, Qt.KeyboardModifier.AltModifier)
        assert again.window.current_page() == "start"
    finally:
        _stop(again)


def test_start_a_new_consultation_with_its_key(first: Session, qtbot: QtBot) -> None:
    window = first.window
    page = window.start_page
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.new_button)
    qtbot.keyClick(page.new_button, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.current_page() == "consultations")  # a pressed look first
    consultations = window.consultations_page
    assert consultations.model.consultation is not None
    assert consultations.current_step() is Step.VISIT
    visit = consultations.steps[Step.VISIT]
    assert isinstance(visit, VisitStep)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is visit.label_edit)


def test_continue_the_last_consultation(first: Session, qtbot: QtBot) -> None:
    window = first.window
    _store(first, "Visit A")
    latest = _store(first, "Visit B")
    page = window.start_page
    window.show_page("library")
    window.show_page("start")  # read again as the page shows
    assert page.continue_button.isVisible()
    assert "Visit B" in page.continue_note.text()
    assert page.continue_button.accessibleDescription() == page.continue_note.text()
    qtbot.mouseClick(page.continue_button, Qt.MouseButton.LeftButton)
    consultations = window.consultations_page
    assert window.current_page() == "consultations"
    assert consultations.model.consultation is not None
    assert consultations.model.consultation.id == latest
    qtbot.waitUntil(lambda: QApplication.focusWidget() is consultations.step_list)


def test_the_start_page_keeps_no_consultation_once_left(first: Session) -> None:
    window = first.window
    _store(first, "Visit A")
    window.show_page("library")
    window.show_page("start")
    page = window.start_page
    assert "Visit A" in page.continue_note.text()
    window.lock()  # what a locked app keeps in its widgets must name no consultation
    assert "Visit A" not in page.continue_note.text()
    assert page.continue_button.accessibleDescription() == ""


def test_open_the_library(first: Session, qtbot: QtBot) -> None:
    window = first.window
    qtbot.mouseClick(window.start_page.library_button, Qt.MouseButton.LeftButton)
    assert window.current_page() == "library"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.library_page.tree)


def test_language_chosen_here_is_the_apps_and_the_settings_follow(first: Session) -> None:
    window = first.window
    display = window.start_page.display
    combo = display.language_combo
    combo.setCurrentIndex(combo.findData("ar"))
    assert first.controller.language == "ar"
    assert first.controller.settings.language == "ar"  # remembered, as from Settings
    assert QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert display.language_label.text() != "&Language"  # the label speaks Arabic too
    settings = window.settings_page.display.language_combo
    assert settings.currentData() == "ar"
    settings.setCurrentIndex(settings.findData("es"))
    assert combo.currentData() == "es"  # a choice made in Settings shows here too


def test_text_size_chosen_here_is_the_apps_and_the_settings_follow(first: Session) -> None:
    window = first.window
    display = window.start_page.display
    display.text_size_slider.setValue(153)  # snapped to the settings' steps
    assert first.controller.settings.text_scale == 150
    assert QApplication.font().pointSizeF() == pytest.approx(15.0)
    assert display.text_size_value.text() == "150%"
    assert window.settings_page.text_size_slider.value() == 150
    window.larger_action.trigger()  # View > Larger text: the page follows
    assert display.text_size_slider.value() == 160


def test_a_branded_build_names_the_organisation_and_how_to_reach_it(
    first: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sdm_app.branding import Branding
    from sdm_app.ui import main_window, start_page

    logo = paths.app_root() / "packaging" / "profiles" / "example" / "logo.png"
    brand = Branding(
        app_names={"en": "Genes and Choices"},
        organisation="Example Alliance",
        website="https://example.org",
        email="help@example.org",
        phone="+00 000 000 0000",
        logo=logo,
    )
    monkeypatch.setattr(main_window, "current_branding", lambda: brand)
    monkeypatch.setattr(start_page, "current_branding", lambda: brand)
    page = first.window.start_page
    page.retranslate_ui()
    assert "Genes and Choices" in page.heading.text()
    assert page.organisation_heading.isVisible()
    # Each name and address isolated, so a right-to-left sentence cannot reorder it.
    for contact in ("Example Alliance", "https://example.org", "help@example.org", "+00 000"):
        assert f"\u2068{contact}" in page.organisation.text()
    assert page.logo.isVisible()
    assert not page.logo.pixmap().isNull()
    assert page.logo.accessibleName() == "Example Alliance"


def test_a_list_that_cannot_be_read_only_hides_continue(
    first: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sdm_app.storage.consultations import ConsultationNotLoadedError, ConsultationStore

    def broken(_store: ConsultationStore) -> list[object]:
        raise ConsultationNotLoadedError(first.database.path, "disk error")

    monkeypatch.setattr(ConsultationStore, "listing", broken)
    first.window.show_page("library")
    first.window.show_page("start")
    page = first.window.start_page
    assert page.isVisible() and not page.continue_button.isVisible()
