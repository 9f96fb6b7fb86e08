"""Every naughty string in every free-text field of a consultation: saved through
the same path as typing, read back identical, no crash and no Qt warning (pytest-qt
fails the test on one)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from sdm_app.app import Session
from sdm_app.core.consultation import Step
from sdm_app.core.results import TestResult as ReportResult
from sdm_app.core.results import Therapy as ReportTherapy
from sdm_app.ui.steps.result_dialog import ResultDialog


def _edit(line: QLineEdit, text: str) -> str:
    """Enter text as an edit (not a programmatic display) and leave the field."""
    line.setText(text)
    line.textEdited.emit(line.text())
    line.editingFinished.emit()
    return line.text()


def test_naughty_strings_in_every_free_text_field(
    session: Session, qtbot: QtBot, blns: list[str]
) -> None:
    page = session.window.consultations_page
    session.window.show_page("consultations")
    page.new_button.click()
    visit = page.steps[Step.VISIT]
    ready = page.steps[Step.READY]
    summary = page.steps[Step.SUMMARY]
    store = page.model.store
    for text in blns:
        page.show_step(Step.VISIT)
        entered = {
            "label": _edit(visit.label_edit, text),  # type: ignore[attr-defined]
            "condition": _edit(visit.condition_edit, text),  # type: ignore[attr-defined]
            "decision": _edit(visit.decision_edit, text),  # type: ignore[attr-defined]
            "present": _edit(visit.present_edit, text),  # type: ignore[attr-defined]
        }
        dialog = ResultDialog(ReportResult(id=None))
        qtbot.addWidget(dialog)
        for line in (dialog.gene, dialog.alteration, dialog.lab):
            line.setText(text)
        typed = dialog.gene.text()  # what the field holds: the user's entry
        dialog.note.setPlainText(text)
        typed_note = dialog.note.toPlainText()
        therapy = dialog.add_therapy_row(ReportTherapy(""))
        for line in (therapy.name, therapy.level, therapy.tumour_type):
            line.setText(text)
        typed_therapy = ReportTherapy(typed, level=typed, tumour_type=typed)
        result = dialog.test_result()
        consultation = page.model.consultation
        assert consultation is not None
        page.model.update(results=(result,))
        page.show_step(Step.RESULTS)  # the explanation card renders the strings
        page.show_step(Step.READY)
        ready.own_edit.setText(text)  # type: ignore[attr-defined]
        entered_question = ready.own_edit.text().strip()  # type: ignore[attr-defined]
        ready.add_question.click()  # type: ignore[attr-defined]
        ready.next_steps.setFocus()  # type: ignore[attr-defined]
        ready.next_steps.setPlainText(text)  # type: ignore[attr-defined]
        entered_next = ready.next_steps.toPlainText()  # type: ignore[attr-defined]
        ready.flush()
        entered["involve"] = _edit(ready.involve, text)  # type: ignore[attr-defined]
        page.show_step(Step.SUMMARY)
        summary.notes.setFocus()  # type: ignore[attr-defined]
        summary.notes.setPlainText(text)  # type: ignore[attr-defined]
        entered_notes = summary.notes.toPlainText()  # type: ignore[attr-defined]
        summary.flush()
        QApplication.processEvents()

        stored = store.load(consultation.id or 0)
        assert stored is not None
        assert stored.patient_label == entered["label"], repr(text)
        assert stored.context.condition == entered["condition"], repr(text)
        assert stored.context.decision == entered["decision"], repr(text)
        assert stored.context.present == entered["present"], repr(text)
        assert stored.involve == entered["involve"], repr(text)
        assert stored.next_steps == entered_next, repr(text)
        assert stored.clinician_notes == entered_notes, repr(text)
        (stored_result,) = stored.results
        assert (stored_result.gene, stored_result.alteration, stored_result.lab) == (
            typed,
            typed,
            typed,
        ), repr(text)
        assert stored_result.clinician_note == typed_note, repr(text)
        # A treatment needs a name; everything else is kept as typed.
        wanted = (typed_therapy,) if typed.strip() else ()
        assert stored_result.therapies == wanted, repr(text)
        if entered_question:
            assert stored.own_questions[-1] == entered_question, repr(text)
        # Shown as text, never as markup.
        assert "<script" not in summary.preview.browser.toHtml().lower().replace(  # type: ignore[attr-defined]
            "&lt;script", ""
        )
