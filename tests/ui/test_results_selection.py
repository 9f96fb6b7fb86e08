"""The Results step always shows the card of a selected result: when it opens, in a
right-to-left language, and across a live language switch."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from sdm_app import i18n
from sdm_app.app import Session
from sdm_app.core.consultation import Step
from sdm_app.core.results import Origin, TestResult
from sdm_app.ui.steps.results_step import ResultsStep

RESULTS = (
    TestResult(None, gene="EGFR", alteration="p.L858R", origin=Origin.SOMATIC),
    TestResult(None, gene="KRAS", alteration="p.G12D", origin=Origin.SOMATIC),
)


def _results_step(session: Session) -> ResultsStep:
    page = session.window.consultations_page
    session.window.show_page("consultations")
    page.new_button.click()
    page.model.update(results=RESULTS)
    page.show_step(Step.RESULTS)
    step = page.steps[Step.RESULTS]
    assert isinstance(step, ResultsStep)
    return step


def _card_text(step: ResultsStep) -> str:
    QApplication.processEvents()
    return step.card.browser.toPlainText()


def test_the_first_result_is_shown_when_the_step_opens_in_arabic(session: Session) -> None:
    session.controller.apply_language("ar")
    step = _results_step(session)
    assert step.table.currentRow() == 0
    assert "EGFR" in _card_text(step)


@pytest.mark.parametrize("language", i18n.catalogue_languages())
def test_the_first_result_is_shown_when_the_step_opens_in_any_language(
    session: Session, language: str
) -> None:
    session.controller.apply_language(language)
    assert i18n.current_language() == language
    step = _results_step(session)
    assert step.table.currentRow() == 0
    assert step.table.selectionModel().isRowSelected(0)
    assert "EGFR" in _card_text(step)


@pytest.mark.parametrize("language", [x for x in i18n.catalogue_languages() if x != "en"])
def test_a_live_switch_keeps_the_selected_result_in_any_language(
    session: Session, language: str
) -> None:
    step = _results_step(session)
    step.table.setCurrentCell(1, 0)
    assert "KRAS" in _card_text(step)
    session.controller.apply_language(language)
    assert step.table.currentRow() == 1
    assert step.table.selectionModel().isRowSelected(1)
    assert "KRAS" in _card_text(step).splitlines()[0]  # the card's heading


def test_a_live_switch_to_arabic_keeps_the_selected_result(session: Session) -> None:
    step = _results_step(session)
    step.table.setCurrentCell(1, 0)
    assert "KRAS" in _card_text(step)
    session.controller.apply_language("ar")
    assert step.table.currentRow() == 1
    assert "KRAS" in _card_text(step)
    session.controller.apply_language("en")
    assert step.table.currentRow() == 1
    assert "KRAS" in _card_text(step)


def test_the_consultation_list_selects_the_latest_in_arabic(session: Session) -> None:
    page = session.window.consultations_page
    session.window.show_page("consultations")
    page.new_button.click()
    session.controller.apply_language("ar")
    page._show_list()
    assert page.table.rowCount() >= 1
    assert page.table.currentRow() == 0
    assert page.open_button.isEnabled()
