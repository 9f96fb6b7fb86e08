"""A new consultation starts at its first field, and the reason a family letter is not
offered is text on the page, not only a tooltip."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from sdm_app.app import Session
from sdm_app.core.consultation import Step
from sdm_app.core.results import Confirmation, Origin, TestResult
from sdm_app.ui.steps.summary_step import SummaryStep
from sdm_app.ui.steps.visit_step import VisitStep


def test_a_new_consultation_starts_at_its_first_field(session: Session, qtbot: QtBot) -> None:
    page = session.window.consultations_page
    session.window.show_page("consultations")
    page.new_button.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.new_button)
    qtbot.keyClick(page.new_button, Qt.Key.Key_Space)
    visit = page.steps[Step.VISIT]
    assert isinstance(visit, VisitStep)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is visit.label_edit)


def test_the_reason_for_no_family_letter_is_shown_as_text(session: Session) -> None:
    page = session.window.consultations_page
    session.window.show_page("consultations")
    page.new_button.click()
    brca2 = TestResult(
        None,
        gene="BRCA2",
        alteration="c.5946del",
        origin=Origin.LIKELY_GERMLINE,
        confirmation=Confirmation.RECOMMENDED,
        scheme_id="acmg-amp-2015",
        class_code="LP",
    )
    page.model.update(results=(brca2,))
    page.show_step(Step.SUMMARY)
    summary = page.steps[Step.SUMMARY]
    assert isinstance(summary, SummaryStep)
    assert not summary.letter_button.isEnabled()
    assert summary.letter_reason.isVisible()
    assert "germline test" in summary.letter_reason.text()
    assert summary.letter_button.accessibleDescription() == summary.letter_reason.text()
    stored = page.model.consultation
    assert stored is not None
    confirmed = replace(stored.results[0], confirmation=Confirmation.CONFIRMED)
    page.model.update(results=(confirmed,))
    summary.refresh()
    assert summary.letter_button.isEnabled()
    assert not summary.letter_reason.isVisible()
