"""Tab reaches a row of choices at its current answer, so Space on arrival never
replaces a patient's rating or SURE answer; arrows still move between the choices.
Every group of choices anywhere in the app is held to it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QRadioButton, QWidget
from pytestqt.qtbot import QtBot

from sdm_app.app import Session
from sdm_app.core.consultation import Step
from sdm_app.ui.steps.ready_step import ReadyStep
from sdm_app.ui.steps.values_step import ValuesStep
from tests.ui.test_consultation_journey import AID, focused, press
from tests.ui.window_states import dialog_states, main_window_states, store_demo

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
    # New rows show from a queued call: wait for them as a person would see them.
    qtbot.waitUntil(lambda: values._groups[first_value].buttons()[0].isVisible())
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


def _tab_stops(window: QWidget) -> list[str]:
    """Each group of choices shown in ``window`` whose Tab stop is not its answer (or,
    unanswered, its first choice), or that has more or fewer than one Tab stop."""
    groups: dict[int, list[QRadioButton]] = {}
    for button in window.findChildren(QRadioButton):
        if button.isVisible() and button.window() is window:
            # Radio buttons outside a QButtonGroup are grouped by their parent widget.
            owner = button.group() or button.parentWidget()
            groups.setdefault(id(owner), []).append(button)
    wrong = []
    for buttons in groups.values():
        stops = [b for b in buttons if b.focusPolicy() & Qt.FocusPolicy.TabFocus]
        expected = next((b for b in buttons if b.isChecked()), buttons[0])
        if stops != [expected]:
            wrong.append(
                f"{buttons[0].accessibleName() or buttons[0].text()!r}: Tab stops "
                f"{[b.text() for b in stops]}, answer {expected.text()!r}"
            )
    return wrong


def test_every_group_of_choices_in_the_app_is_reached_at_its_answer(session: Session) -> None:
    window = session.window
    demo = store_demo(session)
    page = window.consultations_page
    wrong: list[str] = []
    seen = 0
    for state in main_window_states(session, demo):
        seen += len([b for b in window.findChildren(QRadioButton) if b.isVisible()])
        wrong += [f"{state}: {problem}" for problem in _tab_stops(window)]
    for state, dialog in dialog_states(session, demo):
        wrong += [f"{state}: {problem}" for problem in _tab_stops(dialog)]
    assert seen > 0  # the demo rates values and answers SURE: there were groups to check
    assert wrong == []
    # Answers given after the groups were built move the Tab stop too.
    assert page.open_consultation(demo)
    page.show_step(Step.READY)
    ready = page.steps[Step.READY]
    assert isinstance(ready, ReadyStep)
    for yes, no in ready.sure_buttons.values():
        no.click()
        assert no.focusPolicy() == Qt.FocusPolicy.StrongFocus
        assert yes.focusPolicy() == Qt.FocusPolicy.ClickFocus
    assert _tab_stops(window) == []


def test_tab_crosses_each_rating_once_at_its_answer(session: Session, qtbot: QtBot) -> None:
    values = _open(session, Step.VALUES)
    assert isinstance(values, ValuesStep)
    model = session.window.consultations_page.model
    ids = list(values._groups)
    assert len(ids) >= 3
    model.update(value_ratings={ids[0]: 2, ids[2]: 0})
    values.refresh()
    # New rows show from a queued call: wait for them as a person would see them.
    qtbot.waitUntil(lambda: values._groups[ids[-1]].buttons()[0].isVisible())
    values.scroll_area.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is values.scroll_area)
    reached: list[QWidget] = []
    for _ in range(len(ids) + 5):
        press(qtbot, Qt.Key.Key_Tab)
        if focused() is values.relations:
            break
        reached.append(focused())
    expected = [
        values._groups[value_id].checkedButton() or values._groups[value_id].buttons()[0]
        for value_id in ids
    ]
    assert reached == expected


def test_arrows_move_between_sure_answers_and_space_keeps_one(
    session: Session, qtbot: QtBot
) -> None:
    ready = _open(session, Step.READY)
    assert isinstance(ready, ReadyStep)
    model = session.window.consultations_page.model
    yes, no = ready.sure_buttons["sure_of_best"]
    model.update(sure={"sure_of_best": True})
    ready.refresh()
    yes.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is yes)
    press(qtbot, Qt.Key.Key_Space)
    assert model.consultation is not None
    assert model.consultation.sure["sure_of_best"] is True
    press(qtbot, Qt.Key.Key_Right)
    assert focused() is no
    assert model.consultation.sure["sure_of_best"] is False
    assert no.focusPolicy() == Qt.FocusPolicy.StrongFocus
    assert yes.focusPolicy() == Qt.FocusPolicy.ClickFocus
