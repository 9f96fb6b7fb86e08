"""Options written on the spot and the Ottawa guide's deliberation, with the keyboard
only: write the options (with a number, its source and certainty), give reasons for
and against with stars, say how far along the decision is and who else is involved;
everything is stored as it is given and comes back when the consultation is opened
again. The written views have names for screen readers and no clashing Alt keys."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QRadioButton,
)
from pytestqt.qtbot import QtBot

from sdm_app.app import Session
from sdm_app.core.consultation import Step
from sdm_app.core.deliberation import DecisionStage, OtherPerson, Reason, ReasonSide
from sdm_app.core.written_options import WRITTEN_OPTIONS, WrittenNumber
from sdm_app.ui.steps.deliberation_panels import ReasonsPanel
from sdm_app.ui.steps.options_step import OptionsStep
from sdm_app.ui.steps.ready_step import ReadyStep
from sdm_app.ui.steps.values_step import ValuesStep
from sdm_app.ui.steps.written_options_dialog import WrittenOptionsDialog
from tests.ui.test_accessible_names import unnamed
from tests.ui.test_consultation_journey import choose, focused, next_step, press, tab_until
from tests.ui.test_mnemonics import clashes, mnemonic_texts

ALT = Qt.KeyboardModifier.AltModifier


def _type(qtbot: QtBot, text: str) -> None:
    qtbot.keyClicks(focused(), text)
    QApplication.processEvents()


def _in_dialog(qtbot: QtBot, steps: Callable[[WrittenOptionsDialog], None]) -> list[BaseException]:
    """Run ``steps`` in the written-options form once it is open; it is closed with
    Escape afterwards (or at once on a failure, which is returned)."""
    failures: list[BaseException] = []

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, WrittenOptionsDialog):
            QTimer.singleShot(10, run)
            return
        try:
            qtbot.waitUntil(lambda: dialog.isAncestorOf(QApplication.focusWidget() or dialog))
            steps(dialog)
        except BaseException as error:
            failures.append(error)
        qtbot.keyClick(focused(), Qt.Key.Key_Escape)

    QTimer.singleShot(0, run)
    return failures


def _write(qtbot: QtBot, dialog: WrittenOptionsDialog) -> None:
    first = dialog.option_forms[0]
    assert focused() is first.title_edit  # the form opens at the first option's name
    _type(qtbot, "A lower dose")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is first.answers[0]
    _type(qtbot, "Tablets twice a day")
    press(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, "Disease control")
    tab_until(qtbot, lambda w: w is first.add_number)
    press(qtbot, Qt.Key.Key_Space)
    number = dialog.option_forms[0].numbers[0]
    assert focused() is number.edits["what"]
    for text in ("Severe side effects", "12", "100", "the first 3 months", "CPIC 2022, table 2"):
        _type(qtbot, text)
        press(qtbot, Qt.Key.Key_Tab)
    assert focused() is number.certainty
    press(qtbot, Qt.Key.Key_Down)  # from "not stated" to "high"
    press(qtbot, Qt.Key.Key_Down)  # "moderate"
    second = dialog.option_forms[1]
    tab_until(qtbot, lambda w: w is second.title_edit)
    _type(qtbot, "Another medicine")
    press(qtbot, Qt.Key.Key_O, ALT)  # Add option (a button clicks a moment after its key)
    qtbot.waitUntil(lambda: len(dialog.option_forms) == 3)
    third = dialog.option_forms[2]
    assert focused() is third.title_edit
    _type(qtbot, "Wait and scan")
    press(qtbot, Qt.Key.Key_Tab)
    _type(qtbot, "A scan every 3 months")


def test_written_options_and_deliberation_with_the_keyboard(session: Session, qtbot: QtBot) -> None:
    window = session.window
    page = window.consultations_page
    window.show_page("consultations")
    window.activateWindow()
    page.new_button.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.new_button)
    press(qtbot, Qt.Key.Key_Space)
    model = page.model
    assert model.consultation is not None
    page.model.update_context(condition="Bowel cancer", decision="Which chemotherapy")

    # Options: the team-talk sentence, then the options written on the spot.
    page.show_step(Step.OPTIONS)
    options = page.steps[Step.OPTIONS]
    assert isinstance(options, OptionsStep)
    assert "more than one reasonable choice" in options.team_talk.text()
    assert options.team_talk.isVisible()
    options.aid_combo.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is options.aid_combo)
    press(qtbot, Qt.Key.Key_Tab)  # from the list of aids to "Write options…"
    assert focused() is options.write_button
    failures = _in_dialog(qtbot, lambda dialog: _write(qtbot, dialog))
    press(qtbot, Qt.Key.Key_Space)
    if failures:
        raise failures[0]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is options.write_button)
    consultation = model.consultation
    assert consultation is not None
    assert consultation.decision_aid_id == WRITTEN_OPTIONS
    written = consultation.written_options
    assert [o.title for o in written.options] == [
        "A lower dose",
        "Another medicine",
        "Wait and scan",
    ]
    assert written.options[0].answers[:2] == ("Tablets twice a day", "Disease control")
    assert written.options[0].numbers == (
        WrittenNumber(
            "Severe side effects",
            "12",
            "100",
            "the first 3 months",
            "CPIC 2022, table 2",
            "moderate",
        ),
    )
    assert written.options[2].answers[0] == "A scan every 3 months"
    # The grid shows them, marked, with the number drawn.
    assert options.written_notice.isVisible()
    assert "not a reviewed decision aid" in options.written_notice.text()
    assert options.aid_combo.currentData() == WRITTEN_OPTIONS
    assert len(options.icon_arrays) == 1
    assert not options.full_button.isVisible()

    # What matters: a reason for the first option, four stars; one against the second.
    next_step(qtbot)
    values = page.steps[Step.VALUES]
    assert isinstance(values, ValuesStep)
    reasons: ReasonsPanel = values.reasons
    add_for = reasons.add_buttons[("written:1", ReasonSide.FOR)]
    qtbot.waitUntil(add_for.isVisible)
    tab_until(qtbot, lambda w: w is add_for)
    press(qtbot, Qt.Key.Key_Space)
    assert isinstance(focused(), QLineEdit)
    _type(qtbot, "I can take it at home")
    press(qtbot, Qt.Key.Key_Tab)
    assert isinstance(focused(), QRadioButton)  # the stars: reached at 0, none given yet
    for _ in range(4):
        press(qtbot, Qt.Key.Key_Right)
    press(qtbot, Qt.Key.Key_Space)  # four stars
    add_against = reasons.add_buttons[("written:2", ReasonSide.AGAINST)]
    tab_until(qtbot, lambda w: w is add_against)
    press(qtbot, Qt.Key.Key_Space)
    _type(qtbot, "More hospital visits")
    press(qtbot, Qt.Key.Key_Tab)  # leaving the field saves it at once
    consultation = model.consultation
    assert consultation is not None
    assert consultation.reasons == (
        Reason("written:1", ReasonSide.FOR, "I can take it at home", 4),
        Reason("written:2", ReasonSide.AGAINST, "More hospital visits", None),
    )
    assert "I can take it at home" in values.relations.toPlainText()  # 4 stars: it matters

    # Ready: the stage, the leaning (a written option) and someone else involved.
    next_step(qtbot)
    ready = page.steps[Step.READY]
    assert isinstance(ready, ReadyStep)
    first_stage = ready.stage.radio_buttons()[0]
    tab_until(qtbot, lambda w: w is first_stage)
    press(qtbot, Qt.Key.Key_Down)  # considering
    press(qtbot, Qt.Key.Key_Down)  # close to choosing
    press(qtbot, Qt.Key.Key_Space)
    leaning = tab_until(qtbot, lambda w: w is ready.leaning)
    assert isinstance(leaning, QComboBox)
    choose(qtbot, leaning, "written:1")
    assert "written in this consultation" in leaning.currentText()
    press(qtbot, Qt.Key.Key_B, ALT)  # Add somebody (a button clicks a moment after its key)
    qtbot.waitUntil(lambda: bool(ready.others.rows) and focused() is ready.others.rows[0].role)
    _type(qtbot, "My wife")
    press(qtbot, Qt.Key.Key_Tab)
    preferred = focused()
    assert isinstance(preferred, QComboBox)
    choose(qtbot, preferred, "written:2")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is ready.others.rows[0].yes
    press(qtbot, Qt.Key.Key_Space)
    consultation = model.consultation
    assert consultation is not None
    assert consultation.decision_stage == DecisionStage.CLOSE.value
    assert consultation.leaning == "written:1"
    assert consultation.others == (OtherPerson("My wife", "written:2", True),)

    # Everything was stored as it was given.
    page.flush()
    stored = model.store.load(consultation.id or 0)
    assert stored is not None
    assert stored == model.consultation
    assert stored.written_options == written
    assert stored.reasons[0].importance == 4


def test_written_views_are_named_and_their_keys_do_not_clash(
    session: Session, qtbot: QtBot
) -> None:
    from tests.ui.window_states import _written_options_dialog, settle

    window = session.window
    page = window.consultations_page
    window.show_page("consultations")
    page.new_button.click()
    dialog = _written_options_dialog(window)
    assert isinstance(dialog, QDialog)
    page.model.update(
        decision_aid_id=WRITTEN_OPTIONS,
        written_options=dialog.written_options(),  # type: ignore[attr-defined]
        reasons=(Reason("written:1", ReasonSide.FOR, "Home", 3),),
        others=(OtherPerson("My son"),),
    )
    dialog.deleteLater()
    for language in ("en", "ar"):
        session.controller.apply_language(language)
        for step in (Step.OPTIONS, Step.VALUES, Step.READY):
            page.show_step(step)
            settle()
            where = f"{language} {step.value}"
            assert unnamed(window) == [], where
            assert clashes(where, mnemonic_texts(window)) == []
        form = _written_options_dialog(window)
        form.show()
        settle()
        assert unnamed(form) == [], language
        assert clashes(language, mnemonic_texts(form)) == []
        form.close()
        form.deleteLater()
    session.controller.apply_language("en")
    options = page.steps[Step.OPTIONS]
    assert isinstance(options, OptionsStep)
    page.show_step(Step.OPTIONS)
    settle()
    # Each number said in words, as typed, with its source as typed.
    sentences = [
        w.text() for w in options.findChildren(QLabel) if w.objectName() == "writtenNumber"
    ]
    assert sentences == [
        "Severe side effects: 12 out of 100, over 3 months. Source, as written: A guideline. "
        "Certainty, as written: not stated."
    ]


@pytest.mark.parametrize("language", ["en", "de", "ar", "en_XA"])
@pytest.mark.parametrize(("text_scale", "size"), [(100, QSize(1366, 768)), (200, QSize(1280, 720))])
def test_written_views_fit_the_screen(
    session: Session, language: str, text_scale: int, size: QSize
) -> None:
    from tests.ui.test_layout_fit import fit_problems, placement_problems, text_problems
    from tests.ui.window_states import _written_options_dialog, settle, store_demo

    window = session.window
    page = window.consultations_page
    window.show_page("consultations")
    dialog = _written_options_dialog(window)
    assert isinstance(dialog, WrittenOptionsDialog)
    store = page.model.store
    demo = store.load(store_demo(session))  # the demo's visit and results
    assert demo is not None
    stored = store.save(
        replace(
            demo,
            decision_aid_id=WRITTEN_OPTIONS,
            written_options=dialog.written_options(),
            reasons=(Reason("written:1", ReasonSide.FOR, "I can take it at home", 3),),
            others=(OtherPerson("My son", "written:1", False),),
        )
    )
    dialog.deleteLater()
    session.controller.set_language(language)
    session.controller.set_text_scale(text_scale)
    window.resize(size)  # the laptop's screen, before the consultation opens
    settle()
    assert page.open_consultation(stored.id or 0)  # opened as the layout tests open one
    problems: dict[str, list[str]] = {}
    for patient_view in (False, True):
        page.patient_view.setChecked(patient_view)
        for step in (Step.OPTIONS, Step.VALUES, Step.READY):
            page.show_step(step)
            window.resize(size)
            settle()
            found = fit_problems(window, size)
            if found:
                problems[f"{step.value}, patient view {patient_view}"] = found
    page.patient_view.setChecked(False)
    form = _written_options_dialog(window)
    form.resize(min(form.width(), size.width()), min(form.height(), size.height()))
    form.show()
    settle()
    found = placement_problems(form) + text_problems(form)
    if found:
        problems["the form"] = found
    form.close()
    form.deleteLater()
    assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())


def test_naughty_strings_in_every_written_field(
    session: Session, qtbot: QtBot, blns: list[str]
) -> None:
    from sdm_app.services.documents import html
    from sdm_app.services.documents.summary import summary_document
    from tests.ui.test_consultation_naughty_strings import _edit
    from tests.ui.window_states import _written_options_dialog

    page = session.window.consultations_page
    session.window.show_page("consultations")
    page.new_button.click()
    model = page.model
    form = _written_options_dialog(session.window)
    assert isinstance(form, WrittenOptionsDialog)
    written = form.written_options()
    second = replace(written.options[1], title="Another medicine")  # shown whatever the first
    model.update(
        decision_aid_id=WRITTEN_OPTIONS,
        written_options=replace(written, options=(written.options[0], second)),
        reasons=(Reason(second.id, ReasonSide.AGAINST, "", 2),),
        others=(OtherPerson(),),
    )
    form.deleteLater()
    form = WrittenOptionsDialog(
        model.consultation.written_options,  # type: ignore[union-attr]
        lambda changed: model.update(written_options=changed),
        session.window,
    )
    values = page.steps[Step.VALUES]
    ready = page.steps[Step.READY]
    assert isinstance(values, ValuesStep) and isinstance(ready, ReadyStep)
    option = form.option_forms[0]
    number = option.numbers[0]
    mismatches = []
    for text in blns:
        entered = [
            _edit(option.title_edit, text),
            _edit(option.answers[0], text),
            _edit(form.question_edits[0], text),
            _edit(number.edits["source"], text),
            _edit(number.edits["numerator"], text),
        ]
        page.show_step(Step.VALUES)
        entered.append(_edit(values.reasons.rows[0].edit, text))
        page.show_step(Step.READY)
        entered.append(_edit(ready.others.rows[0].role, text))
        consultation = model.consultation
        assert consultation is not None
        stored = model.store.load(consultation.id or 0)
        assert stored is not None
        written = stored.written_options
        got = [
            written.options[0].title,
            written.options[0].answers[0],
            written.questions[0],
            written.options[0].numbers[0].source,
            written.options[0].numbers[0].numerator,
            stored.reasons[0].text,
            stored.others[0].role,
        ]
        if got != entered or stored != consultation:
            mismatches.append(text)
        # The summary is made with it (screen and paper share the model).
        html.render(summary_document(stored, None, language="en", today=date(2026, 12, 1)))
    form.deleteLater()
    assert mismatches == []
