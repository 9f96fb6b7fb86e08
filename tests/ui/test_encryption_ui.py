"""Encryption as a person meets it: the passphrase dialogs, the lock after idle time,
and what typing in the window leaves on disk."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from sdm_app import paths
from sdm_app.app import Session, StartupProblem, create_application, start_session
from sdm_app.core.consultation import Step
from sdm_app.services import unlocking
from sdm_app.storage.encryption import WrongPassphraseError, database_state
from sdm_app.ui.passphrase_dialog import PassphraseDialog
from tests.conftest import TEST_PASSPHRASE

CANARY = "CANARY-k3Yw-TYPED-IN-THE-WINDOW"


def _holding(root: Path, needle: str) -> list[str]:
    needles = [needle.encode(enc) for enc in ("utf-8", "utf-16-le", "utf-16-be")]
    found = []
    for path in [root] if root.is_file() else root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if any(n in data for n in needles):
                found.append(str(path))
    return found


def _open_new_consultation(session: Session, qtbot: QtBot) -> None:
    window = session.window
    window.show_page("consultations")
    page = window.consultations_page
    page.new_button.click()
    qtbot.waitUntil(lambda: page.model.consultation is not None)


def test_what_is_typed_in_the_window_never_reaches_the_disk_readable(
    session: Session, qtbot: QtBot
) -> None:
    window = session.window
    _open_new_consultation(session, qtbot)
    page = window.consultations_page
    visit = page.steps[Step.VISIT]
    for field in (visit.label_edit, visit.condition_edit, visit.decision_edit, visit.present_edit):
        field.setFocus()
        qtbot.keyClicks(field, CANARY)
    ready = page.steps[Step.READY]
    qtbot.keyClicks(ready.involve, CANARY)
    settings_page = window.settings_page
    window.show_page("settings")
    settings_page.service_edit.setFocus()
    qtbot.keyClicks(settings_page.service_edit, CANARY)
    settings_page.service_edit.editingFinished.emit()
    page.flush()
    assert session.controller.settings.genetics_service == CANARY
    data_dir = paths.user_db_path().parent
    assert database_state(paths.user_db_path()) == "encrypted"
    assert _holding(data_dir, CANARY) == []
    window.lock()  # saves what was typed, and closes the data
    assert _holding(data_dir, CANARY) == []
    # Qt's own settings (file dialogs' folders) and the app's are outside the data folder.
    for scope in ("QtProject", QApplication.organizationName()):
        qt_file = Path(QSettings(QSettings.Scope.UserScope, scope).fileName())
        if qt_file.exists():
            assert _holding(qt_file, CANARY) == []


def test_the_app_locks_itself_when_idle_and_clears_the_screen(
    session: Session, qtbot: QtBot
) -> None:
    window = session.window
    _open_new_consultation(session, qtbot)
    visit = window.consultations_page.steps[Step.VISIT]
    visit.label_edit.setFocus()
    qtbot.keyClicks(visit.label_edit, "Visit before the lock")
    opened = window.consultations_page.model.consultation
    assert opened is not None

    window.idle_watcher.set_interval_ms(50)
    qtbot.waitUntil(lambda: window.locked, timeout=5000)

    assert session.database.locked
    assert window.screens.currentWidget() is window.lock_screen
    assert not window.content_area.isVisible()
    assert window._consultations_page is None  # destroyed, not merely hidden
    texts = [w.text() for w in window.findChildren(type(visit.label_edit)) if w.isVisible()]
    assert "Visit before the lock" not in texts
    assert not window.page_actions["consultations"].isEnabled()

    lock = window.lock_screen
    qtbot.keyClicks(lock.passphrase_edit, "not the passphrase")
    qtbot.keyClick(lock.passphrase_edit, Qt.Key.Key_Return)
    assert window.locked and lock.error.isVisible()
    qtbot.keyClicks(lock.passphrase_edit, TEST_PASSPHRASE)
    qtbot.keyClick(lock.passphrase_edit, Qt.Key.Key_Return)
    assert not window.locked
    assert window.screens.currentWidget() is window.content_area
    reopened = window.consultations_page.model.consultation
    assert reopened is not None and reopened.id == opened.id
    assert reopened.patient_label == "Visit before the lock"
    window.idle_watcher.set_interval_ms(0)


def test_the_idle_time_is_a_setting_and_zero_turns_it_off(session: Session) -> None:
    window = session.window
    page = window.settings_page
    assert window.idle_watcher.interval_ms == 15 * 60_000
    page.auto_lock_spin.setValue(5)
    assert session.controller.settings.auto_lock_minutes == 5
    assert window.idle_watcher.interval_ms == 5 * 60_000 and window.idle_watcher.active
    page.auto_lock_spin.setValue(0)
    assert not window.idle_watcher.active
    assert page.auto_lock_spin.text() == "Never"


def test_ctrl_l_locks_at_once(session: Session, qtbot: QtBot) -> None:
    window = session.window
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.locked
    window.unlock(unlocking.unlock_with_passphrase(paths.user_db_path(), TEST_PASSPHRASE))
    assert not window.locked


def test_choosing_a_passphrase_checks_length_and_repetition(qtbot: QtBot) -> None:
    dialog = PassphraseDialog("new", keychain=True)
    qtbot.addWidget(dialog)
    dialog.passphrase_edit.setText("short")
    dialog.confirm_edit.setText("short")
    dialog.accept()
    assert dialog.result() != PassphraseDialog.DialogCode.Accepted
    assert "at least 8" in dialog.error.text()
    dialog.passphrase_edit.setText("long enough passphrase")
    dialog.confirm_edit.setText("long enough passphrase!")
    dialog.accept()
    assert "not the same" in dialog.error.text() and dialog.confirm_edit.text() == ""
    assert "Strength" in dialog.strength.text()
    dialog.confirm_edit.setText("long enough passphrase")
    dialog.remember_check.setChecked(True)
    dialog.accept()
    assert dialog.result() == PassphraseDialog.DialogCode.Accepted
    assert dialog.passphrase() == "long enough passphrase" and dialog.remember()
    assert "cannot be recovered" in dialog.warning.text()


def test_without_a_keychain_the_dialog_says_so(qtbot: QtBot) -> None:
    dialog = PassphraseDialog("plaintext", keychain=False)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.remember_check.isVisible() and dialog.no_keychain.isVisible()
    assert not dialog.remember()


def test_unlocking_with_a_wrong_passphrase_says_so_and_lets_one_retry(qtbot: QtBot) -> None:
    tried: list[str] = []

    def attempt(passphrase: str) -> bytes:
        tried.append(passphrase)
        if passphrase != "right one":
            raise WrongPassphraseError("wrong")
        return bytes(32)

    dialog = PassphraseDialog("unlock", attempt=attempt)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.passphrase_edit, "wrong one")
    qtbot.keyClick(dialog.passphrase_edit, Qt.Key.Key_Return)
    assert dialog.isVisible() and "Wrong passphrase" in dialog.error.text()
    assert dialog.passphrase_edit.text() == ""
    qtbot.keyClicks(dialog.passphrase_edit, "right one")
    qtbot.keyClick(dialog.passphrase_edit, Qt.Key.Key_Return)
    assert dialog.result() == PassphraseDialog.DialogCode.Accepted and dialog.key == bytes(32)
    assert tried == ["wrong one", "right one"]


class _Prompts:
    def __init__(self, choice: tuple[str, bool] | None) -> None:
        self.choice = choice
        self.asked: list[str] = []

    def choose(self, mode: str, keychain: bool) -> tuple[str, bool] | None:
        self.asked.append(mode)
        return self.choice

    def unlock(self, attempt: object) -> bytes | None:
        self.asked.append("unlock")
        return None


def test_first_start_asks_for_a_passphrase_and_cancel_quits_cleanly(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(unlocking.ENV_PASSPHRASE)
    cancelled = _Prompts(None)
    assert start_session(create_application(), prompts=cancelled) is None
    assert cancelled.asked == ["new"]
    assert not paths.user_db_path().exists()

    chosen = _Prompts(("my first passphrase", False))
    started = start_session(create_application(), prompts=chosen)
    assert started is not None and not isinstance(started, StartupProblem)
    qtbot.addWidget(started.window)
    started.close()
    assert chosen.asked == ["new"]
    assert database_state(paths.user_db_path()) == "encrypted"

    again = _Prompts(None)  # the next start asks to unlock; cancelling quits
    assert start_session(create_application(), prompts=again) is None
    assert again.asked == ["unlock"]


def test_a_wrong_passphrase_from_a_script_is_a_clear_start_up_problem(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    session.close()
    monkeypatch.setenv(unlocking.ENV_PASSPHRASE, "not it")
    problem = start_session(create_application())
    assert isinstance(problem, StartupProblem)
    assert "wrong" in problem.message and "not it" not in problem.message


@pytest.mark.parametrize("language", ["en", "ar"])
def test_pictures_of_the_dialogs_and_the_lock_screen(
    session: Session, qtbot: QtBot, language: str, tmp_path: Path
) -> None:
    session.controller.apply_language(language)
    try:
        shots = Path(os.environ.get("SDM_APP_SHOTS", str(tmp_path)))
        for mode in ("new", "plaintext", "unlock", "change"):
            dialog = PassphraseDialog(mode, keychain=mode == "new")  # type: ignore[arg-type]
            qtbot.addWidget(dialog)
            dialog.show()
            qtbot.waitExposed(dialog)
            if mode == "new":
                dialog.passphrase_edit.setText("correct horse battery")
            assert dialog.layoutDirection() == (
                Qt.LayoutDirection.RightToLeft
                if language == "ar"
                else Qt.LayoutDirection.LeftToRight
            )
            assert not dialog.grab().isNull()
            dialog.grab().save(str(shots / f"enc_{mode}_{language}.png"))
            dialog.close()
        session.window.lock()
        session.window.grab().save(str(shots / f"enc_locked_{language}.png"))
        session.window.show_page("library")
    finally:
        session.controller.apply_language("en")


def test_the_unlock_dialog_comes_in_the_saved_text_size_and_direction(qtbot: QtBot) -> None:
    from sdm_app import i18n
    from sdm_app.ui.passphrase_dialog import DialogPrompts

    app = create_application()
    before = app.font()
    i18n.set_language("ar")
    try:
        DialogPrompts(app, {"text_scale": "150", "language": "ar"})
        assert app.font().pointSizeF() == 15.0
        assert app.layoutDirection() == Qt.LayoutDirection.RightToLeft
    finally:
        app.setFont(before)
        app.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


def test_settings_keep_the_key_in_the_keychain_and_change_the_passphrase(
    session: Session, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sdm_app.storage import encryption
    from sdm_app.ui import messages
    from tests.storage.test_encryption import MemoryKeyring

    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        messages, "show_message", lambda _p, _i, title, text, *_a, **_k: shown.append((title, text))
    )
    keychain = MemoryKeyring()
    encryption.use_keychain_backend(keychain)
    window = session.window
    window._settings_page = None  # built again, now that a keychain answers
    page = window.settings_page
    assert not page.remember_check.isEnabled()  # the keychain is asked when the page shows
    window.show_page("settings")
    assert page.remember_check.isEnabled()
    page.remember_check.setChecked(True)
    db_path = paths.user_db_path()
    assert keychain.entries and encryption.read_record(db_path).keychain  # type: ignore[union-attr]

    def exec_change(dialog: PassphraseDialog) -> int:
        dialog.current_edit.setText(TEST_PASSPHRASE)
        dialog.passphrase_edit.setText("my new passphrase")
        dialog.confirm_edit.setText("my new passphrase")
        dialog.accept()
        return int(dialog.result())

    monkeypatch.setattr(PassphraseDialog, "exec", exec_change)
    page.change_passphrase_button.click()
    assert shown and shown[-1][0] == "Passphrase changed", shown
    with pytest.raises(WrongPassphraseError):
        unlocking.unlock_with_passphrase(db_path, TEST_PASSPHRASE)
    new_key = unlocking.unlock_with_passphrase(db_path, "my new passphrase")
    assert list(keychain.entries.values()) == [new_key.hex()]  # the keychain follows
    page.remember_check.setChecked(False)
    assert keychain.entries == {}
    # Still in use after the change: a consultation saves and reads back.
    _open_new_consultation(session, qtbot)


def _answer_modal(qtbot: QtBot, answer: object) -> None:
    """Answer the dialog that is about to run modally, once it shows."""
    from PySide6.QtCore import QTimer

    def check() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, PassphraseDialog):
            answer(dialog)  # type: ignore[operator]
        else:
            QTimer.singleShot(10, check)

    QTimer.singleShot(0, check)


def test_the_start_up_dialogs_run_modally_and_give_their_answers(qtbot: QtBot) -> None:
    from sdm_app.ui.passphrase_dialog import DialogPrompts

    prompts = DialogPrompts(create_application(), {})

    def choose(dialog: PassphraseDialog) -> None:
        dialog.passphrase_edit.setText("chosen passphrase")
        dialog.confirm_edit.setText("chosen passphrase")
        dialog.accept()

    _answer_modal(qtbot, choose)
    assert prompts.choose("new", False) == ("chosen passphrase", False)

    def unlock(dialog: PassphraseDialog) -> None:
        qtbot.keyClicks(dialog.passphrase_edit, "secret words")
        qtbot.keyClick(dialog.passphrase_edit, Qt.Key.Key_Return)

    _answer_modal(qtbot, unlock)
    assert prompts.unlock(lambda passphrase: passphrase.encode().ljust(32, b"-")) == (
        b"secret words".ljust(32, b"-")
    )

    _answer_modal(qtbot, lambda dialog: dialog.reject())
    assert prompts.unlock(lambda passphrase: bytes(32)) is None


def test_an_earlier_release_s_data_is_encrypted_and_upgraded_at_the_first_start(
    qtbot: QtBot,
) -> None:
    import shutil

    from sdm_app.storage.consultations import ConsultationStore
    from sdm_app.storage.migrations import HEAD_REVISION
    from sdm_app.storage.user_db import UserDatabase, current_revision

    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "userdb" / "user-0.1.0.db"
    db_path = paths.user_db_path()
    shutil.copyfile(fixture, db_path)
    plain = UserDatabase(db_path, None)
    before = ConsultationStore(plain).listing()
    plain.close()
    assert before

    started = start_session(create_application())  # the passphrase a script gives
    assert started is not None and not isinstance(started, StartupProblem), started
    qtbot.addWidget(started.window)
    try:
        key = started.database.key
        assert database_state(db_path) == "encrypted"
        assert current_revision(db_path, key) == HEAD_REVISION
        store = ConsultationStore(started.database)
        assert [entry.id for entry in store.listing()] == [entry.id for entry in before]
        assert _holding(db_path.parent, "SQLite format 3") == []  # nothing plain is left
    finally:
        started.close()
