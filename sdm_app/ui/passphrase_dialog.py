"""The passphrase: chosen at the first start (or when an earlier release's data is
encrypted), asked at each start and after the app locked itself, and changed from
Settings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from sdm_app import i18n
from sdm_app.i18n import _
from sdm_app.storage.encryption import (
    MIN_PASSPHRASE_LENGTH,
    EncryptionError,
    WrongPassphraseError,
    passphrase_strength,
)
from sdm_app.ui.accessibility import HeadingLabel

if TYPE_CHECKING:
    from sdm_app.services.unlocking import PassphraseTry, SetupMode

Mode = Literal["new", "plaintext", "unlock", "change"]


def forgotten_warning() -> str:
    return _(
        "Keep this passphrase safe. If it is forgotten, the saved consultations cannot be "
        "recovered: nobody can open them, not even the makers of this app."
    )


class PassphraseDialog(QDialog):
    """Asks for a passphrase; ``attempt`` (unlock and change) checks the one typed
    and gives the key, which the dialog keeps in ``key``."""

    def __init__(
        self,
        mode: Mode,
        *,
        keychain: bool = False,
        attempt: PassphraseTry | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("passphraseDialog")
        self.mode = mode
        self._attempt = attempt
        self.key: bytes | None = None
        self.setModal(True)
        choosing = mode != "unlock"

        self.heading = HeadingLabel(self)
        self.heading.setObjectName("passphraseHeading")
        self.heading.setWordWrap(True)
        self.explanation = QLabel(self)
        self.explanation.setWordWrap(True)
        self.explanation.setTextFormat(Qt.TextFormat.PlainText)

        self.current_label = QLabel(self)
        self.current_edit = self._password_field("currentPassphraseEdit")
        self.current_label.setBuddy(self.current_edit)
        self.passphrase_label = QLabel(self)
        self.passphrase_edit = self._password_field("passphraseEdit")
        self.passphrase_label.setBuddy(self.passphrase_edit)
        self.confirm_label = QLabel(self)
        self.confirm_edit = self._password_field("confirmPassphraseEdit")
        self.confirm_label.setBuddy(self.confirm_edit)
        self.strength = QLabel(self)
        self.strength.setObjectName("passphraseStrength")
        self.strength.setWordWrap(True)
        self.show_check = QCheckBox(self)
        self.show_check.setObjectName("showPassphraseCheck")
        self.remember_check = QCheckBox(self)
        self.remember_check.setObjectName("rememberKeyCheck")
        self.no_keychain = QLabel(self)
        self.no_keychain.setWordWrap(True)
        self.warning = QLabel(self)
        self.warning.setObjectName("forgottenWarning")
        self.warning.setWordWrap(True)
        self.warning.setTextFormat(Qt.TextFormat.PlainText)
        self.error = QLabel(self)
        self.error.setObjectName("passphraseError")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet("font-weight: bold")
        self.error.hide()
        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.setDefault(True)

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        if mode == "change":
            form.addRow(self.current_label, self.current_edit)
        else:
            self.current_label.hide()
            self.current_edit.hide()
        form.addRow(self.passphrase_label, self.passphrase_edit)
        if choosing:
            form.addRow(self.confirm_label, self.confirm_edit)
            form.addRow("", self.strength)
        else:
            self.confirm_label.hide()
            self.confirm_edit.hide()
            self.strength.hide()
        form.addRow("", self.show_check)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.explanation)
        layout.addLayout(form)
        if mode in ("new", "plaintext"):
            layout.addWidget(self.remember_check if keychain else self.no_keychain)
        if not (mode in ("new", "plaintext") and keychain):
            self.remember_check.hide()
        if mode not in ("new", "plaintext") or keychain:
            self.no_keychain.hide()
        if choosing:
            layout.addWidget(self.warning)
        else:
            self.warning.hide()
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.show_check.toggled.connect(self._on_show_check_toggled)
        self.passphrase_edit.textChanged.connect(lambda _text: self._update_strength())
        self.retranslate_ui()
        first = self.current_edit if mode == "change" else self.passphrase_edit
        first.setFocus(Qt.FocusReason.OtherFocusReason)
        self.resize(max(self.sizeHint().width(), 460), self.sizeHint().height())

    def _password_field(self, name: str) -> QLineEdit:
        field = QLineEdit(self)
        field.setObjectName(name)
        field.setEchoMode(QLineEdit.EchoMode.Password)
        # Kept out of the clipboard, input-method history and screen readers' echo.
        field.setInputMethodHints(
            Qt.InputMethodHint.ImhHiddenText
            | Qt.InputMethodHint.ImhSensitiveData
            | Qt.InputMethodHint.ImhNoPredictiveText
        )
        return field

    def retranslate_ui(self) -> None:
        titles = {
            "new": _("Protect your saved data"),
            "plaintext": _("Encrypt your saved data"),
            "unlock": _("Unlock your saved data"),
            "change": _("Change the passphrase"),
        }
        explanations = {
            "new": _(
                "Consultations are saved on this computer, encrypted. Choose a passphrase: "
                "it is needed to open them each time the app starts."
            ),
            "plaintext": _(
                "Your saved consultations were kept unencrypted by an earlier version. "
                "Choose a passphrase: the app makes a checked backup, encrypts the data "
                "with it, then erases the unencrypted files."
            ),
            "unlock": _("Type your passphrase to open your saved consultations."),
            "change": _(
                "Type the current passphrase, then the new one twice. The data and its "
                "backups are encrypted again with the new passphrase."
            ),
        }
        oks = {
            "new": _("Set passphrase"),
            "plaintext": _("Encrypt and continue"),
            "unlock": _("Unlock"),
            "change": _("Change passphrase"),
        }
        self.setWindowTitle(titles[self.mode])
        self.heading.setText("<h3>" + _escape(titles[self.mode]) + "</h3>")
        self.explanation.setText(explanations[self.mode])
        self.current_label.setText(_("C&urrent passphrase"))
        self.passphrase_label.setText(
            _("&New passphrase") if self.mode != "unlock" else _("&Passphrase")
        )
        self.confirm_label.setText(_("&Type it again"))
        self.show_check.setText(_("&Show what I type"))
        self.remember_check.setText(
            _("&Remember on this computer (kept in the system's keychain; no passphrase asked)")
        )
        self.no_keychain.setText(
            _(
                "No keychain is available on this computer: the passphrase will be asked at "
                "each start."
            )
        )
        self.warning.setText(forgotten_warning())
        self.ok_button.setText(oks[self.mode])
        self.cancel_button.setText(_("Quit") if self.mode != "change" else _("Cancel"))
        self._update_strength()

    def _update_strength(self) -> None:
        passphrase = self.passphrase_edit.text()
        if not passphrase:
            self.strength.setText(
                _("At least {count} characters; a few words make a strong passphrase.").format(
                    count=MIN_PASSPHRASE_LENGTH
                )
            )
            return
        words = {
            0: _("Strength: too short"),
            1: _("Strength: weak — make it longer"),
            2: _("Strength: fair"),
            3: _("Strength: strong"),
        }
        self.strength.setText(words[passphrase_strength(passphrase)])

    def _on_show_check_toggled(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        for field in (self.current_edit, self.passphrase_edit, self.confirm_edit):
            field.setEchoMode(mode)

    def passphrase(self) -> str:
        return self.passphrase_edit.text()

    def remember(self) -> bool:
        return self.remember_check.isVisibleTo(self) and self.remember_check.isChecked()

    def _fail(self, message: str, field: QLineEdit) -> None:
        self.error.setText(message)
        self.error.show()
        field.selectAll()
        field.setFocus(Qt.FocusReason.OtherFocusReason)
        self.error.setAccessibleName(message)

    def accept(self) -> None:
        if self.mode == "unlock":
            self._accept_unlock()
            return
        if self.mode == "change" and not self._check(self.current_edit):
            return
        passphrase = self.passphrase_edit.text()
        if len(passphrase) < MIN_PASSPHRASE_LENGTH:
            self._fail(
                _("The passphrase needs at least {count} characters.").format(
                    count=MIN_PASSPHRASE_LENGTH
                ),
                self.passphrase_edit,
            )
            return
        if passphrase != self.confirm_edit.text():
            self.confirm_edit.clear()
            self._fail(_("The two passphrases are not the same."), self.confirm_edit)
            return
        super().accept()

    def _accept_unlock(self) -> None:
        if self._check(self.passphrase_edit):
            super().accept()

    def _check(self, field: QLineEdit) -> bool:
        """Try the passphrase in ``field`` (Argon2id takes a moment); keep the key."""
        if self._attempt is None:
            return True
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.key = self._attempt(field.text())
        except WrongPassphraseError:
            field.clear()
            self._fail(_("Wrong passphrase. Try again."), field)
            return False
        except EncryptionError as error:
            self._fail(str(error), field)
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        return True

    def clear_secrets(self) -> None:
        for field in (self.current_edit, self.passphrase_edit, self.confirm_edit):
            field.clear()


def _escape(text: str) -> str:
    from html import escape

    return escape(text)


class DialogPrompts:
    """The start-up questions, as dialogs in the person's language and text size."""

    def __init__(self, app: QApplication, before_unlock: dict[str, str]) -> None:
        self._app = app
        direction = (
            Qt.LayoutDirection.RightToLeft
            if i18n.is_rtl(i18n.current_language())
            else Qt.LayoutDirection.LeftToRight
        )
        app.setLayoutDirection(direction)
        from sdm_app.storage.settings import Settings
        from sdm_app.ui.controller import BASE_POINT_SIZE
        from sdm_app.ui.theme import load_fonts_for

        load_fonts_for(i18n.current_language())
        scale = Settings.from_text(before_unlock).text_scale
        if scale != 100:
            font = QFont(app.font())
            font.setPointSizeF(BASE_POINT_SIZE * scale / 100)
            app.setFont(font)
        if before_unlock.get("high_contrast") == "1":
            from sdm_app.ui.theme import apply_palette

            apply_palette(app, True)

    def choose(self, mode: SetupMode, keychain: bool) -> tuple[str, bool] | None:
        dialog = PassphraseDialog(mode, keychain=keychain)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.passphrase(), dialog.remember()
        finally:
            dialog.clear_secrets()
            dialog.deleteLater()

    def unlock(self, attempt: PassphraseTry) -> bytes | None:
        dialog = PassphraseDialog("unlock", attempt=attempt)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.key
        finally:
            dialog.clear_secrets()
            dialog.deleteLater()
