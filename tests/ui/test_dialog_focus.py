"""When a dialog closes, keyboard focus is back on the control that opened it: the
Evidence box, the PDF preview, the result form, the import preview, every question
and message, the passphrase dialog and About. Each dialog is closed with Escape, as
a keyboard user would."""

from __future__ import annotations

from io import BytesIO

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from sdm_app import paths
from sdm_app.app import Session
from sdm_app.core.consultation import Step
from sdm_app.core.results import Confirmation, Origin, TestResult
from sdm_app.ui.steps.options_step import OptionsStep
from sdm_app.ui.steps.results_step import ResultsStep
from sdm_app.ui.steps.summary_step import SummaryStep
from tests.ui.test_consultation_journey import AID

BRCA2 = TestResult(
    None,
    gene="BRCA2",
    alteration="c.5946del",
    origin=Origin.GERMLINE,
    confirmation=Confirmation.CONFIRMED,
    scheme_id="acmg-amp-2015",
    class_code="P",
)


def _small_pdf() -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    out = BytesIO()
    canvas = Canvas(out)
    canvas.drawString(72, 720, "A page")
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def escape_dialogs(qtbot: QtBot, count: int = 1) -> list[str]:
    """Press Escape in the next ``count`` modal dialogs as they open; their titles."""
    closed: list[str] = []

    def close_one() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog) or not dialog.isVisible():
            QTimer.singleShot(10, close_one)
            return
        closed.append(dialog.windowTitle())
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        if len(closed) < count:
            QTimer.singleShot(10, close_one)

    QTimer.singleShot(0, close_one)
    return closed


def press_and_come_back(qtbot: QtBot, control: QWidget, count: int = 1) -> list[str]:
    """Open a dialog from ``control`` with the keyboard, close it with Escape, and
    check that focus is back on ``control``."""
    control.window().activateWindow()
    control.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is control)
    closed = escape_dialogs(qtbot, count)
    qtbot.keyClick(control, Qt.Key.Key_Space)  # returns once the dialog has closed
    assert len(closed) == count
    qtbot.waitUntil(lambda: QApplication.focusWidget() is control, timeout=1000)
    return closed


def _open(session: Session, step: Step, **fields: object) -> object:
    page = session.window.consultations_page
    session.window.show_page("consultations")
    page.new_button.click()
    page.model.update(**fields)  # type: ignore[arg-type]
    page.show_step(step)
    return page.steps[step]


def test_the_evidence_box(session: Session, qtbot: QtBot) -> None:
    options = _open(session, Step.OPTIONS, decision_aid_id=AID)
    assert isinstance(options, OptionsStep)
    buttons = options.grid_host.findChildren(QPushButton)
    assert buttons  # an Evidence button beside each figure
    evidence = buttons[0]
    qtbot.waitUntil(evidence.isVisible)  # the grid's cells show from a queued call
    assert press_and_come_back(qtbot, evidence) == ["Where this number comes from"]


@pytest.mark.parametrize("button", ["export_button", "letter_button"])
def test_the_pdf_preview_and_the_save_dialog(
    session: Session, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, button: str
) -> None:
    monkeypatch.setattr(
        "sdm_app.services.pdf_summary.build_summary_pdf", lambda *_a, **_k: _small_pdf()
    )
    monkeypatch.setattr(
        "sdm_app.services.family_letter.build_family_letter_pdf", lambda *_a, **_k: _small_pdf()
    )
    summary = _open(session, Step.SUMMARY, results=(BRCA2,))
    assert isinstance(summary, SummaryStep)
    control = getattr(summary, button)
    assert control.isEnabled()
    press_and_come_back(qtbot, control)  # the preview, cancelled
    # Saved: the preview, then where to save it (cancelled too).
    asked: list[str] = []

    def cancelled(_parent: QWidget, title: str, *_args: str) -> str:
        asked.append(title)
        return ""

    monkeypatch.setattr("sdm_app.ui.steps.summary_step.save_file_name", cancelled)

    def save_in_preview() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog) or not dialog.isVisible():
            QTimer.singleShot(10, save_in_preview)
            return
        dialog.accept()

    QTimer.singleShot(0, save_in_preview)
    qtbot.keyClick(control, Qt.Key.Key_Space)
    assert len(asked) == 1
    qtbot.waitUntil(lambda: QApplication.focusWidget() is control, timeout=1000)


def test_the_result_form_add_and_edit(session: Session, qtbot: QtBot) -> None:
    results = _open(session, Step.RESULTS)
    assert isinstance(results, ResultsStep)
    press_and_come_back(qtbot, results.add_button)
    results.model.update(results=(BRCA2,))
    # Edit is opened from the list with Enter; focus comes back to the list.
    results.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is results.table)
    closed = escape_dialogs(qtbot)
    qtbot.keyClick(results.table, Qt.Key.Key_Return)
    assert closed == ["Edit test result"]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is results.table, timeout=1000)


def test_the_import_preview(
    session: Session, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = _open(session, Step.RESULTS)
    assert isinstance(results, ResultsStep)
    example = paths.resources_dir() / "import" / "results-example.json"
    monkeypatch.setattr(results, "choose_import_file", lambda: example)
    assert press_and_come_back(qtbot, results.import_button) == ["Import results from a file"]


def test_questions_before_removing_or_deleting(session: Session, qtbot: QtBot) -> None:
    results = _open(session, Step.RESULTS, results=(BRCA2,))
    assert isinstance(results, ResultsStep)
    press_and_come_back(qtbot, results.remove_button)  # Escape: No, nothing removed
    assert results.model.consultation is not None and results.model.consultation.results
    page = session.window.consultations_page
    page.back_button.click()
    press_and_come_back(qtbot, page.delete_button)
    assert page.table.rowCount() == 1


def test_a_message_from_the_menu_gives_focus_back(session: Session, qtbot: QtBot) -> None:
    window = session.window
    field = window.library_page.search_field
    field.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field)
    closed = escape_dialogs(qtbot)
    window.about_action.trigger()
    assert closed == ["About"]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field, timeout=1000)


def test_the_passphrase_dialog_from_settings(session: Session, qtbot: QtBot) -> None:
    window = session.window
    window.show_page("settings")
    button = window.settings_page.change_passphrase_button
    qtbot.waitUntil(button.isVisible)
    press_and_come_back(qtbot, button)


def test_a_link_to_a_web_page(session: Session, qtbot: QtBot) -> None:
    view = session.window.library_page.module_view
    browser = view.browser
    browser.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is browser)
    closed = escape_dialogs(qtbot)
    view._on_browser_link_activated("https", "https://example.org/")
    assert closed == ["Open web page?"]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is browser, timeout=1000)


def test_focus_goes_on_when_the_opener_is_gone(session: Session, qtbot: QtBot) -> None:
    """Removing the last result disables Remove: focus goes to Add, not nowhere."""
    results = _open(session, Step.RESULTS, results=(BRCA2,))
    assert isinstance(results, ResultsStep)
    results.remove_button.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is results.remove_button)

    def answer_yes() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog) or not dialog.isVisible():
            QTimer.singleShot(10, answer_yes)
            return
        assert isinstance(dialog, QMessageBox)
        dialog.button(QMessageBox.StandardButton.Yes).click()

    QTimer.singleShot(0, answer_yes)
    qtbot.keyClick(results.remove_button, Qt.Key.Key_Space)
    assert results.model.consultation is not None and not results.model.consultation.results
    # Remove and Edit are disabled now: focus is on Add, what is left to do.
    qtbot.waitUntil(lambda: QApplication.focusWidget() is results.add_button, timeout=1000)


def test_focus_goes_to_the_control_before_one_a_dialog_disabled(qtbot: QtBot) -> None:
    from sdm_app.ui.messages import return_focus

    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    first, second, third = (QPushButton(name, window) for name in ("first", "second", "third"))
    for button in (first, second, third):
        layout.addWidget(button)
    window.show()
    qtbot.waitExposed(window)
    third.setEnabled(False)
    second.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # not a Tab stop: passed over
    return_focus(third)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is first)
    return_focus(second)  # usable: it takes focus, Tab stop or not
    qtbot.waitUntil(lambda: QApplication.focusWidget() is second)
