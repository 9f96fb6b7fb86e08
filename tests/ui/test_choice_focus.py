"""Tab reaches a row of choices at its current answer, so Space on arrival never
replaces a patient's rating or SURE answer; arrows still move between the choices."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QRadioButton
from pytestqt.qtbot import QtBot

from sdm_app.app import Session
from sdm_app.core.consultation import Step
from sdm_app.ui.steps.ready_step import ReadyStep
from sdm_app.ui.steps.values_step import ValuesStep
from tests.ui.test_consultation_journey import AID, focused, press

VERY_MUCH = 4


def _open(session: Session, step: Step) -> object:
    page = session.window.consultations_page
    session.window.show_page("consultations")
    page.new_button.click()
    page.model.update(decision_aid_id=AID)
    page.show_step(step)
    return page.steps[step]


def test_tab_lands_on_the_rating_given_and_space_keeps_it(session: Session, qtbot: QtBot) -> None:
    values = _open(session, Step.VALUES)
    assert isinstance(values, ValuesStep)
    model = session.window.consultations_page.model
    first_value = next(iter(values._groups))
    model.update(value_ratings={first_value: VERY_MUCH})
    values.refresh()
    values.scroll_area.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is values.scroll_area)
    for _ in range(10):
        press(qtbot, Qt.Key.Key_Tab)
        if isinstance(focused(), QRadioButton):
            break
    group = values._groups[first_value]
    assert focused() is group.button(VERY_MUCH)
    press(qtbot, Qt.Key.Key_Space)
    assert model.consultation is not None
    assert model.consultation.value_ratings[first_value] == VERY_MUCH
    # Arrows still change the answer, and the new answer becomes the Tab stop.
    press(qtbot, Qt.Key.Key_Left)
    assert model.consultation.value_ratings[first_value] == VERY_MUCH - 1
    assert group.button(VERY_MUCH - 1).focusPolicy() == Qt.FocusPolicy.StrongFocus
    assert group.button(VERY_MUCH).focusPolicy() == Qt.FocusPolicy.ClickFocus


def test_a_sure_answer_is_the_tab_stop_of_its_row(session: Session) -> None:
    ready = _open(session, Step.READY)
    assert isinstance(ready, ReadyStep)
    model = session.window.consultations_page.model
    model.update(sure={"sure_of_best": False})
    ready.refresh()
    yes, no = ready.sure_buttons["sure_of_best"]
    assert no.focusPolicy() == Qt.FocusPolicy.StrongFocus
    assert yes.focusPolicy() == Qt.FocusPolicy.ClickFocus
    # An unanswered row is reached at its first choice.
    first, second = ready.sure_buttons["enough_support"]
    assert first.focusPolicy() == Qt.FocusPolicy.StrongFocus
    assert second.focusPolicy() == Qt.FocusPolicy.ClickFocus
