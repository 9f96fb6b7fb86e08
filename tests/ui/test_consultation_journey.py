"""A whole consultation walked with the keyboard only, then reopened."""

from __future__ import annotations

import operator
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialog,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from sdm_app.app import Session, StartupProblem, create_application, start_session
from sdm_app.core.consultation import NOT_SURE, Step
from sdm_app.core.results import Origin
from sdm_app.ui.pdf_preview import PdfPreviewDialog
from sdm_app.ui.steps.summary_step import SummaryStep

AID = "egfr-alk-nsclc-first-treatment"


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has keyboard focus"
    return widget


def press(
    qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    qtbot.keyClick(focused(), key, modifier)
    # A person's keystrokes are apart in time: let the event loop turn between them.
    QApplication.processEvents()


def tab_until(qtbot: QtBot, wanted: Callable[[QWidget], bool], limit: int = 400) -> QWidget:
    for _ in range(limit):
        if wanted(focused()):
            return focused()
        press(qtbot, Qt.Key.Key_Tab)
    widget = focused()
    text = widget.text() if isinstance(widget, QAbstractButton | QLineEdit) else ""
    raise AssertionError(
        f"Tab never reached the widget; focus is on {widget!r} {text!r} "
        f"visible={widget.isVisible()}"
    )


def choose(qtbot: QtBot, combo: QComboBox, data: object) -> None:
    """Select an entry with Home and Down, as a keyboard user would."""
    assert focused() is combo
    press(qtbot, Qt.Key.Key_Home)
    for _ in range(combo.count()):
        if combo.currentData() == data:
            return
        press(qtbot, Qt.Key.Key_Down)
    raise AssertionError(f"{data!r} is not in the list")


def fill_result_dialog(
    qtbot: QtBot, gene: str, alteration: str, origin: str, scheme: str, code: str
) -> None:
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, QDialog)
    qtbot.waitUntil(lambda: dialog.isAncestorOf(QApplication.focusWidget() or dialog))
    assert isinstance(focused(), QComboBox)  # the form opens at the top: the test type
    alt = Qt.KeyboardModifier.AltModifier
    press(qtbot, Qt.Key.Key_G, alt)  # Gene
    assert isinstance(focused(), QLineEdit)
    qtbot.keyClicks(focused(), gene)
    press(qtbot, Qt.Key.Key_Tab)
    qtbot.keyClicks(focused(), alteration)
    press(qtbot, Qt.Key.Key_O, alt)  # Origin
    choose(qtbot, focused(), origin)  # type: ignore[arg-type]
    press(qtbot, Qt.Key.Key_H, alt)  # classification scHeme
    choose(qtbot, focused(), scheme)  # type: ignore[arg-type]
    press(qtbot, Qt.Key.Key_Tab)
    choose(qtbot, focused(), code)  # type: ignore[arg-type]
    press(qtbot, Qt.Key.Key_Return)


def add_result(qtbot: QtBot, session: Session, *fields: str) -> None:
    page = session.window.consultations_page
    results = page.steps[Step.RESULTS]
    tab_until(qtbot, lambda w: w is results.add_button)  # type: ignore[attr-defined]
    failures: list[BaseException] = []

    def fill() -> None:
        # Runs inside the dialog's own event loop; any failure must close the
        # dialog, or the test would wait forever.
        try:
            fill_result_dialog(qtbot, *fields)
        except BaseException as error:
            failures.append(error)
            dialog = QApplication.activeModalWidget()
            if isinstance(dialog, QDialog):
                dialog.reject()

    QTimer.singleShot(0, fill)
    press(qtbot, Qt.Key.Key_Space)
    if failures:
        raise failures[0]
    # The main window becomes active again once the event loop turns.
    qtbot.waitUntil(lambda: QApplication.focusWidget() is results.add_button)  # type: ignore[attr-defined]


def next_step(qtbot: QtBot) -> None:
    press(qtbot, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)


def test_whole_journey_with_the_keyboard_then_reopen(qtbot: QtBot) -> None:
    app = create_application()
    session = start_session(app)
    assert not isinstance(session, StartupProblem)
    window = session.window
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    window.nav.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.nav)

    # Ctrl+1: the consultations page; its first button starts a new one.
    press(qtbot, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    page = window.consultations_page
    tab_until(qtbot, lambda w: w is page.new_button)
    press(qtbot, Qt.Key.Key_Space)
    assert page.model.consultation is not None

    # Step 1: about this visit.
    visit = page.steps[Step.VISIT]
    tab_until(qtbot, lambda w: w is visit.label_edit)  # type: ignore[attr-defined]
    qtbot.keyClicks(focused(), "Visit A")
    press(qtbot, Qt.Key.Key_Tab)
    qtbot.keyClicks(focused(), "Lung cancer")
    press(qtbot, Qt.Key.Key_Tab)
    qtbot.keyClicks(focused(), "First treatment")
    press(qtbot, Qt.Key.Key_Tab)

    # Step 2: two results.
    next_step(qtbot)
    assert page.current_step() is Step.RESULTS
    add_result(qtbot, session, "EGFR", "L858R", Origin.SOMATIC.value, "amp-asco-cap-2017", "IA")
    add_result(qtbot, session, "BRCA2", "c.5946delT", Origin.GERMLINE.value, "acmg-amp-2015", "P")

    # Step 3: the decision aid.
    next_step(qtbot)
    options = page.steps[Step.OPTIONS]
    combo = tab_until(qtbot, lambda w: w is options.aid_combo)  # type: ignore[attr-defined]
    choose(qtbot, combo, AID)  # type: ignore[arg-type]

    # Step 4: rate the first value "Very much" (the last choice of its row).
    next_step(qtbot)
    assert page.current_step() is Step.VALUES, (page.current_step(), focused())
    tab_until(qtbot, lambda w: isinstance(w, QRadioButton))
    for _ in range(4):
        press(qtbot, Qt.Key.Key_Right)
    press(qtbot, Qt.Key.Key_Space)

    # Step 5: SURE (yes to all four), an own question, the leaning.
    next_step(qtbot)
    ready = page.steps[Step.READY]
    for item, (yes, _no) in ready.sure_buttons.items():  # type: ignore[attr-defined]
        tab_until(qtbot, partial(operator.is_, yes))
        press(qtbot, Qt.Key.Key_Space)
        assert page.model.consultation is not None and page.model.consultation.sure.get(item)
    tab_until(qtbot, lambda w: w is ready.own_edit)  # type: ignore[attr-defined]
    qtbot.keyClicks(focused(), "Can I keep working?")
    press(qtbot, Qt.Key.Key_Return)
    leaning = tab_until(qtbot, lambda w: w is ready.leaning)  # type: ignore[attr-defined]
    choose(qtbot, leaning, NOT_SURE)  # type: ignore[arg-type]
    tab_until(qtbot, lambda w: isinstance(w, QPlainTextEdit))
    qtbot.keyClicks(focused(), "See the nurse next week")
    press(qtbot, Qt.Key.Key_Tab)  # leaving the field saves it at once

    stored = page.model.consultation
    assert stored is not None and stored.id is not None
    # Ctrl+Q closes the window.
    press(qtbot, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()
    session.close()

    again = start_session(create_application())
    assert not isinstance(again, StartupProblem)
    qtbot.addWidget(again.window)
    try:
        assert again.window.current_page() == "consultations"
        reopened = again.window.consultations_page.model.consultation
        assert reopened is not None and reopened.id == stored.id
        assert reopened.current_step is Step.READY
        assert again.window.consultations_page.current_step() is Step.READY
        assert reopened.patient_label == "Visit A"
        assert reopened.context.condition == "Lung cancer"
        assert reopened.context.decision == "First treatment"
        assert [
            (r.gene, r.alteration, r.origin, r.scheme_id, r.class_code) for r in reopened.results
        ] == [
            ("EGFR", "L858R", Origin.SOMATIC, "amp-asco-cap-2017", "IA"),
            ("BRCA2", "c.5946delT", Origin.GERMLINE, "acmg-amp-2015", "P"),
        ]
        assert reopened.decision_aid_id == AID
        assert list(reopened.value_ratings.values()) == [4]
        assert reopened.sure_score() == 4
        assert reopened.own_questions == ("Can I keep working?",)
        assert reopened.leaning == NOT_SURE
        assert reopened.next_steps == "See the nurse next week"
        assert reopened == stored
    finally:
        again.library.close()
        again.database.close()


def test_every_focusable_widget_of_every_step_has_a_name(session: Session, qtbot: QtBot) -> None:
    page = session.window.consultations_page
    session.window.show_page("consultations")
    page.new_button.click()
    page.model.update(decision_aid_id=AID)
    unnamed = []
    for step in Step:
        page.show_step(step)
        QApplication.processEvents()
        for widget in page.steps[step].findChildren(QWidget):
            if not widget.isVisibleTo(page) or widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
                continue
            if isinstance(widget, QAbstractButton) and widget.text():
                continue  # a button's text is its name
            if not widget.accessibleName() and type(widget).__name__ not in (
                "QScrollBar",
                "QWidget",
            ):
                unnamed.append(f"{step}: {type(widget).__name__} {widget.objectName()}")
    assert unnamed == []


def test_delete_asks_first_and_removes_the_consultation(
    session: Session, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from sdm_app.ui import consultations_page

    page = session.window.consultations_page
    created = page.model.new()
    assert created is not None
    page.model.close()
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(consultations_page, "show_message", lambda *_a, **_k: answers.pop(0))
    page.table.selectRow(0)
    page.delete_button.click()
    assert [e.id for e in page.model.store.listing()] == [created.id]
    page.delete_button.click()
    assert page.model.store.listing() == []
    assert page.model.store.load(created.id or 0) is None


def test_patient_view_hides_clinician_fields_and_enlarges_text(session: Session) -> None:
    page = session.window.consultations_page
    session.window.show_page("consultations")
    page.new_button.click()
    page.model.update(clinician_notes="private note")
    page.show_step(Step.SUMMARY)
    summary = page.steps[Step.SUMMARY]
    assert "private note" in summary.preview.browser.toPlainText()  # type: ignore[attr-defined]
    page.patient_view.setChecked(True)
    assert "private note" not in summary.preview.browser.toPlainText()  # type: ignore[attr-defined]
    assert not summary.notes.isVisibleTo(page)  # type: ignore[attr-defined]
    assert QApplication.font().pointSizeF() >= 14.0
    page.patient_view.setChecked(False)
    assert QApplication.font().pointSizeF() == 10.0


def test_step_list_shows_which_steps_are_done(session: Session) -> None:
    page = session.window.consultations_page
    page.new_button.click()

    def texts() -> list[str]:
        role = Qt.ItemDataRole.AccessibleTextRole
        return [str(page.step_list.item(row).data(role)) for row in range(6)]

    assert not any("(done)" in text for text in texts())
    page.model.update_context(condition="Lung cancer", decision="First treatment")
    assert "(done)" in texts()[0]
    assert isinstance(page.step_list, QListWidget)


def test_the_family_note_is_typed_once_kept_and_printed_as_written(
    session: Session, qtbot: QtBot
) -> None:
    from dataclasses import replace

    from sdm_app.core.results import Confirmation
    from sdm_app.core.results import TestResult as ReportResult
    from sdm_app.services.family_letter import build_family_letter_pdf
    from tests.bundled_knowledge import bundled_knowledge

    page = session.window.consultations_page
    page.new_button.click()
    page.show_step(Step.SUMMARY)
    summary = page.steps[Step.SUMMARY]
    assert isinstance(summary, SummaryStep)
    assert summary.family_note.isHidden()  # no letter, so no note to write
    brca2 = replace(
        ReportResult(id=None),
        gene="BRCA2",
        alteration="c.5946delT",
        origin=Origin.GERMLINE,
        confirmation=Confirmation.CONFIRMED,
        scheme_id="acmg-amp-2015",
        class_code="P",
    )
    page.model.update(results=(brca2,))
    summary.refresh()
    assert not summary.family_note.isHidden()
    note = "Call me first: 0161 555 0199."
    summary.family_note.setFocus()
    qtbot.keyClicks(summary.family_note, note)
    summary.notes.setFocus()  # leaving the box saves it
    consultation = page.model.consultation
    assert consultation is not None and consultation.family_note == note
    stored = page.model.store.load(consultation.id or 0)
    assert stored.family_note == note
    data = build_family_letter_pdf(stored, bundled_knowledge(), language="en")
    printed = _pdf_words(data)
    assert "Call me first: 0161 555 0199." in printed


def _pdf_words(data: bytes) -> str:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        return " ".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def test_summary_exports_a_pdf_and_a_family_letter(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    from PySide6.QtWidgets import QFileDialog

    from sdm_app.core.results import Confirmation
    from sdm_app.core.results import TestResult as ReportResult
    from sdm_app.ui.steps import summary_step

    page = session.window.consultations_page
    page.new_button.click()
    page.model.update_context(condition="Breast cancer", decision="Risk management")
    page.model.update(
        results=(
            replace(
                ReportResult(id=None),
                gene="BRCA2",
                alteration="c.5946delT",
                origin=Origin.GERMLINE,
                confirmation=Confirmation.CONFIRMED,
                scheme_id="acmg-amp-2015",
                class_code="P",
            ),
        )
    )
    page.show_step(Step.SUMMARY)
    summary = page.steps[Step.SUMMARY]
    assert isinstance(summary, SummaryStep)
    shown: list[str] = []
    monkeypatch.setattr(
        summary_step, "show_message", lambda _p, _i, title, text, *_a: shown.append(title)
    )
    for button, name in (
        (summary.export_button, "summary.pdf"),
        (summary.letter_button, "letter.pdf"),
    ):
        target = tmp_path / name
        monkeypatch.setattr(
            QFileDialog, "getSaveFileName", lambda *_a, target=target: (str(target), "")
        )
        assert button.isEnabled()
        previews: list[int] = []
        QTimer.singleShot(0, partial(_answer_preview, previews, save=False))
        button.click()
        assert not target.exists()  # cancelled in the preview: nothing written
        QTimer.singleShot(0, partial(_answer_preview, previews, save=True))
        button.click()
        assert target.read_bytes().startswith(b"%PDF")
        assert len(previews) == 2 and all(previews), "the preview shows the pages"
    assert shown == ["Exported", "Exported"]


def _answer_preview(pages_shown: list[int], *, save: bool) -> None:
    dialog = QApplication.activeModalWidget()
    if not isinstance(dialog, PdfPreviewDialog):
        pages_shown.append(0)  # fails the test without leaving a modal dialog open
        if dialog is not None:
            dialog.close()
        return
    QApplication.processEvents()  # the first paint draws the pages in view
    pages_shown.append(len(dialog.cache.cached_pages()))
    if save:
        dialog.save_button.click()
    else:
        dialog.reject()


def test_ticking_a_bank_question_keeps_the_place_in_the_list(session: Session) -> None:
    page = session.window.consultations_page
    page.new_button.click()
    page.show_step(Step.READY)
    bank = page.steps[Step.READY].bank  # type: ignore[attr-defined]
    bank.setCurrentRow(5)
    bank.item(5).setCheckState(Qt.CheckState.Checked)
    assert bank.currentRow() == 5
    assert page.model.consultation is not None and page.model.consultation.bank_questions


def test_patient_view_reads_results_without_the_clinician_form(session: Session) -> None:
    page = session.window.consultations_page
    session.window.show_page("consultations")
    page.new_button.click()
    page.show_step(Step.RESULTS)
    results = page.steps[Step.RESULTS]
    page.patient_view.setChecked(True)
    assert not results.add_button.isVisibleTo(page)  # type: ignore[attr-defined]
    assert not results.edit_button.isVisibleTo(page)  # type: ignore[attr-defined]
    session.controller.set_text_scale(110)  # Ctrl + in the patient view
    assert QApplication.font().pointSizeF() == 14.0  # never below the patient view's size
    page.patient_view.setChecked(False)
    assert results.add_button.isVisibleTo(page)  # type: ignore[attr-defined]
    assert QApplication.font().pointSizeF() == 11.0


def test_half_typed_question_stays_with_its_consultation(session: Session) -> None:
    page = session.window.consultations_page
    page.new_button.click()
    page.show_step(Step.READY)
    ready = page.steps[Step.READY]
    ready.own_edit.setText("half a question")  # type: ignore[attr-defined]
    page.back_button.click()
    page.new_button.click()
    page.show_step(Step.READY)
    assert ready.own_edit.text() == ""  # type: ignore[attr-defined]


def test_pdf_language_choice_survives_edits(session: Session) -> None:
    page = session.window.consultations_page
    page.new_button.click()
    page.show_step(Step.SUMMARY)
    summary = page.steps[Step.SUMMARY]
    assert isinstance(summary, SummaryStep)
    summary.language.setCurrentIndex(summary.language.findData("ar"))
    page.model.update(clinician_notes="an edit")
    assert summary.language.currentData() == "ar"
