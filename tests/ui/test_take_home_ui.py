"""The take-home copy with the keyboard: the clinician gives a copy, the patient opens
it at home (a second data folder), changes a rating and adds a question, saves a copy
back, and the clinician imports it after seeing what changed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QLabel,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from sdm_app.app import Session, create_application, start_session
from sdm_app.core.consultation import Consultation, Step
from sdm_app.services.take_home import (
    ContentVersions,
    CopyPassphraseError,
    make_copy,
    open_copy,
)
from sdm_app.services.take_home_diff import copy_changes
from sdm_app.ui import take_home_dialogs
from sdm_app.ui.consultations_page import ConsultationsPage
from sdm_app.ui.steps.ready_step import ReadyStep
from sdm_app.ui.steps.values_step import ValuesStep
from sdm_app.ui.take_home_dialogs import CopyChangesDialog, CopyPassphraseDialog, TakeHomeFlows
from tests.ui.window_states import settle, store_demo

PASSPHRASE = "a kettle, two cups and a garden"


class Modal:
    """Answers the next modal dialog of ``kind`` when it opens (it is polled for: a
    dialog opened after another closes is met too)."""

    def __init__(self, kind: type[QDialog], answer: Callable[[QDialog], None]) -> None:
        self.kind = kind
        self.answer = answer
        self.seen: list[QDialog] = []
        self.failures: list[BaseException] = []
        self._tries = 0
        QTimer.singleShot(0, self._poll)

    def _poll(self) -> None:
        dialog = QApplication.activeModalWidget()
        focused = QApplication.focusWidget()
        if (
            isinstance(dialog, self.kind)
            and dialog.isVisible()
            and focused is not None
            and focused.window() is dialog  # shown and given the keyboard
        ):
            self.seen.append(dialog)
            try:
                self.answer(dialog)
            except BaseException as error:  # close it, or the test would hang
                self.failures.append(error)
                dialog.reject()
            return
        self._tries += 1
        if self._tries < 500:
            QTimer.singleShot(10, self._poll)

    def check(self) -> QDialog:
        if self.failures:
            raise self.failures[0]
        assert len(self.seen) == 1, f"no {self.kind.__name__} was shown"
        return self.seen[0]


def _type(qtbot: QtBot, text: str) -> None:
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClicks(focused, text)


def _key(
    qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClick(focused, key, modifier)


def _save_to(monkeypatch: pytest.MonkeyPatch, flows: TakeHomeFlows, path: Path) -> None:
    """The file dialog answered with ``path``."""
    monkeypatch.setattr(flows, "choose_save_path", lambda _title, _suggested: path)


def _open_from(monkeypatch: pytest.MonkeyPatch, flows: TakeHomeFlows, path: Path) -> None:
    monkeypatch.setattr(flows, "choose_open_path", lambda _title: path)


def _open_in(page: ConsultationsPage) -> Consultation:
    consultation = page.model.consultation
    assert consultation is not None
    return consultation


def _activate(qtbot: QtBot, window: QWidget) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def _choose_passphrase(qtbot: QtBot, include_notes: bool = False) -> Callable[[QDialog], None]:
    def answer(dialog: QDialog) -> None:
        assert isinstance(dialog, CopyPassphraseDialog)
        assert QApplication.focusWidget() is dialog.passphrase_edit
        _type(qtbot, PASSPHRASE)
        assert dialog.strength.text() == "Strength: strong"  # the app's own hint
        _key(qtbot, Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is dialog.confirm_edit
        _type(qtbot, PASSPHRASE)
        if include_notes:
            assert dialog.notes_check is not None
            _key(qtbot, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
            assert dialog.notes_check.isChecked()
            dialog.confirm_edit.setFocus()
        _key(qtbot, Qt.Key.Key_Return)

    return answer


def _type_passphrase(qtbot: QtBot, passphrase: str = PASSPHRASE) -> Callable[[QDialog], None]:
    def answer(dialog: QDialog) -> None:
        assert isinstance(dialog, CopyPassphraseDialog)
        assert not dialog.confirm_edit.isVisible()
        _type(qtbot, passphrase)
        _key(qtbot, Qt.Key.Key_Return)

    return answer


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []

    def show(_parent: QWidget, _icon: object, _title: str, text: str, *rest: object) -> object:
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(take_home_dialogs, "show_message", show)
    return shown


@pytest.fixture
def home(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[], Session]]:
    """The patient's own app: another data folder, started when asked for."""
    started: list[Session] = []

    def start() -> Session:
        monkeypatch.setenv("SDM_APP_DATA_DIR", str(tmp_path / "home-data"))
        session = start_session(create_application())
        assert isinstance(session, Session), session
        qtbot.addWidget(session.window)
        session.window.show()
        qtbot.waitExposed(session.window)
        _activate(qtbot, session.window)
        started.append(session)
        return session

    yield start
    for session in started:
        session.close()


def test_give_open_at_home_change_and_import_back(
    session: Session,
    qtbot: QtBot,
    tmp_path: Path,
    messages: list[str],
    home: Callable[[], Session],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clinic_data = tmp_path / "user-data"
    window = session.window
    demo_id = store_demo(session)
    page = window.consultations_page
    window.show_page("consultations")
    assert page.open_consultation(demo_id)
    page.model.update(clinician_notes="Check kidney function first.")
    at_clinic = page.model.consultation
    assert at_clinic is not None

    # The clinician gives the patient a copy.
    given = tmp_path / "for the patient.sdmc"
    flows = window.take_home
    _save_to(monkeypatch, flows, given)
    modal = Modal(CopyPassphraseDialog, _choose_passphrase(qtbot))
    window.give_copy_action.trigger()
    modal.check()
    assert given.is_file()
    assert messages[-1].startswith(f"Saved as {given}.")
    assert "kidney" not in repr(open_copy(given, PASSPHRASE))  # notes stay at the clinic

    # At home, in the patient's own app and data folder.
    patient = home()
    assert patient.database.path.parent == tmp_path / "home-data"
    home_flows = patient.window.take_home
    _open_from(monkeypatch, home_flows, given)
    modal = Modal(CopyPassphraseDialog, _type_passphrase(qtbot))
    patient.window.open_copy_action.trigger()
    modal.check()
    home_page = patient.window.consultations_page
    opened = home_page.model.consultation
    assert opened is not None and opened.id is not None
    assert patient.window.current_page() == "consultations"
    assert (opened.patient_label, opened.value_ratings) == (
        at_clinic.patient_label,
        at_clinic.value_ratings,
    )
    assert opened.clinician_notes == ""

    # A rating changed, with the keyboard.
    home_page.show_step(Step.VALUES)
    settle()
    values = home_page.steps[Step.VALUES]
    assert isinstance(values, ValuesStep)
    value_id, old = next(iter(opened.value_ratings.items()))
    new = 0 if old != 0 else 4
    button = values._groups[value_id].button(new)
    button.setFocus()
    _key(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: _open_in(home_page).value_ratings[value_id] == new)
    # A question added, with the keyboard.
    home_page.show_step(Step.READY)
    settle()
    ready = home_page.steps[Step.READY]
    assert isinstance(ready, ReadyStep)
    ready.own_edit.setFocus()
    _type(qtbot, "Can my sister be tested too?")
    _key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Can my sister be tested too?" in _open_in(home_page).own_questions)

    # Saved back for the clinic.
    returned = tmp_path / "back to the clinic.sdmc"
    _save_to(monkeypatch, home_flows, returned)
    modal = Modal(CopyPassphraseDialog, _choose_passphrase(qtbot))
    patient.window.return_copy_action.trigger()
    dialog = modal.check()
    assert dialog.windowTitle() == "Save a copy for your care team"
    assert returned.is_file()
    patient.close()
    monkeypatch.setenv("SDM_APP_DATA_DIR", str(clinic_data))
    _activate(qtbot, window)

    # At the next visit: the clinician imports it, sees the changes and accepts.
    shown: list[list[str]] = []

    def accept(dialog: QDialog) -> None:
        assert isinstance(dialog, CopyChangesDialog)
        shown.append(dialog.change_texts())
        assert QApplication.focusWidget() is dialog.changes
        _key(qtbot, Qt.Key.Key_Return)  # Enter alone accepts nothing
        assert dialog.isVisible()
        _key(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)

    _open_from(monkeypatch, flows, returned)
    unlock = Modal(CopyPassphraseDialog, _type_passphrase(qtbot))
    review = Modal(CopyChangesDialog, accept)
    imported = flows.import_copy()
    unlock.check()
    review.check()
    assert imported, messages
    aid = session.controller.library.decision_aid(
        at_clinic.decision_aid_id, session.controller.content_locale()
    )
    assert aid is not None
    statement = next(v.statement for v in aid.values if v.id == value_id)
    texts = [_plain(text) for text in shown[0]]
    assert texts == [
        f"What matters: “{statement}”: rating changed from {old} to {new} out of 4.",
        "Ready to decide?: Question added: “Can my sister be tested too?”",
    ]
    stored = page.model.store.load(demo_id)
    assert stored is not None
    assert stored.value_ratings[value_id] == new
    assert stored.own_questions == (*at_clinic.own_questions, "Can my sister be tested too?")
    assert stored.clinician_notes == "Check kidney function first."  # kept
    assert stored.results == at_clinic.results  # unchanged, ids and notes kept
    # The window shows the stored version, and can go on saving over it.
    assert page.model.consultation == stored
    page.model.update(next_steps="Book the genetics clinic")
    assert _open_in(page).next_steps == "Book the genetics clinic"
    assert page.model.store.load(demo_id) == _open_in(page)


def _plain(text: str) -> str:
    from sdm_app.core.bidi import without_controls

    return without_controls(text)


def test_a_wrong_passphrase_or_a_damaged_copy_changes_nothing(
    session: Session,
    qtbot: QtBot,
    tmp_path: Path,
    messages: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = session.window
    demo_id = store_demo(session)
    page = window.consultations_page
    window.show_page("consultations")
    assert page.open_consultation(demo_id)
    given = tmp_path / "copy.sdmc"
    flows = window.take_home
    _save_to(monkeypatch, flows, given)
    modal = Modal(CopyPassphraseDialog, _choose_passphrase(qtbot))
    window.give_copy_action.trigger()
    modal.check()
    before = (page.model.store.listing(), page.model.store.load(demo_id))

    # A wrong passphrase: said in the dialog, which stays open; then cancelled.
    def wrong(dialog: QDialog) -> None:
        assert isinstance(dialog, CopyPassphraseDialog)
        _type(qtbot, "not the passphrase at all")
        _key(qtbot, Qt.Key.Key_Return)
        assert dialog.isVisible()
        assert dialog.error.text() == "Wrong passphrase. Try again."
        _key(qtbot, Qt.Key.Key_Escape)

    _open_from(monkeypatch, flows, given)
    modal = Modal(CopyPassphraseDialog, wrong)
    assert not flows.import_copy()
    modal.check()
    with pytest.raises(CopyPassphraseError):
        open_copy(given, "not the passphrase at all")

    # Damaged files: a message, and no passphrase is even asked.
    data = given.read_bytes()
    for name, damaged in (
        ("truncated.sdmc", data[: len(data) // 2]),
        ("flipped.sdmc", data[:40] + bytes([data[40] ^ 0x10]) + data[41:]),
    ):
        path = tmp_path / name
        path.write_bytes(damaged)
        _open_from(monkeypatch, flows, path)
        count = len(messages)
        assert not flows.import_copy()
        assert flows.open_copy() is None
        assert messages[count:] == [f"{name} is damaged or incomplete; it cannot be opened."] * 2
        assert QApplication.activeModalWidget() is None
    assert (page.model.store.listing(), page.model.store.load(demo_id)) == before


def test_nothing_open_to_give(session: Session, messages: list[str]) -> None:
    session.window.give_copy_action.trigger()
    assert messages == ["Open a consultation first, then save a copy of it."]


def test_the_file_menu_offers_the_copies_with_their_own_keys(session: Session) -> None:
    from tests.ui.test_mnemonics import clashes, mnemonic

    window = session.window
    items = [(a.text(), a.isEnabled()) for a in window.file_menu.actions() if not a.isSeparator()]
    assert items[:4] == [
        ("&Give the patient a copy…", True),
        ("&Import the patient's copy…", True),
        ("&Open a copy from the clinic…", True),
        ("Save a copy for the &clinic…", True),
    ]
    assert clashes("File menu", [("item", text) for text, _enabled in items]) == []
    assert all(mnemonic(text) for text, _enabled in items)
    window.lock()
    assert not any(action.isEnabled() for action in window.copy_actions)


def _unnamed(dialog: QDialog) -> list[str]:
    """Focusable controls a screen reader would announce without a name (a field is
    named by the label whose buddy it is)."""
    labelled = {
        id(label.buddy())
        for label in dialog.findChildren(QLabel)
        if label.buddy() is not None and label.isVisibleTo(dialog) and label.text()
    }
    return [
        f"{type(widget).__name__} {widget.objectName()}"
        for widget in dialog.findChildren(QWidget)
        if widget.isVisibleTo(dialog)
        and widget.focusPolicy() != Qt.FocusPolicy.NoFocus
        and not (isinstance(widget, QAbstractButton) and widget.text())
        and not widget.accessibleName()
        and id(widget) not in labelled
        and type(widget).__name__ not in ("QScrollBar", "QWidget")
    ]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_dialogs_name_every_control_and_follow_the_language(
    session: Session, qtbot: QtBot, language: str
) -> None:
    session.controller.apply_language(language)
    window = session.window
    stored = window.consultations_page.model.store.load(store_demo(session))
    assert stored is not None
    copy = make_copy(stored, ContentVersions())
    returned = replace(copy.consultation, own_questions=("A question from home",))
    changes = copy_changes(stored, returned)
    dialogs: list[QDialog] = [
        CopyPassphraseDialog("give", parent=window),
        CopyPassphraseDialog("open", parent=window),
        CopyChangesDialog(changes, [], copy, window),
    ]
    direction = (
        Qt.LayoutDirection.RightToLeft if language == "ar" else Qt.LayoutDirection.LeftToRight
    )
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        settle()
        assert _unnamed(dialog) == [], dialog.objectName()
        assert dialog.layoutDirection() == direction
    review = dialogs[2]
    assert isinstance(review, CopyChangesDialog)
    if language == "en":
        assert review.changes.accessibleName() == "Changes"
    # Each change is read with its step; the steps' headings cannot be selected.
    assert len(review.change_texts()) == len(changes)
    give = dialogs[0]
    assert isinstance(give, CopyPassphraseDialog) and give.notes_check is not None
    assert not give.notes_check.isChecked()  # clinician notes stay unless ticked
