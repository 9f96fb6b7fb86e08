"""What the window shows while the app is locked: no content, only a way back in.

The app locks itself after the idle time set in Settings (and on File > Lock): typing
is saved, the database is closed and its key dropped, every page that showed a
consultation is destroyed, and open dialogs are closed. The passphrase (or the key
kept in the keychain, when the person chose that) opens it again.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sdm_app.i18n import _
from sdm_app.ui.accessibility import HeadingLabel


class LockScreen(QWidget):
    unlock_requested = Signal(str)  # the passphrase typed
    keychain_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.heading = HeadingLabel(self)
        self.heading.setObjectName("lockHeading")
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.passphrase_label = QLabel(self)
        self.passphrase_edit = QLineEdit(self)
        self.passphrase_edit.setObjectName("lockPassphraseEdit")
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setInputMethodHints(
            Qt.InputMethodHint.ImhHiddenText
            | Qt.InputMethodHint.ImhSensitiveData
            | Qt.InputMethodHint.ImhNoPredictiveText
        )
        self.passphrase_label.setBuddy(self.passphrase_edit)
        self.unlock_button = QPushButton(self)
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.setDefault(True)
        self.keychain_button = QPushButton(self)
        self.keychain_button.setObjectName("keychainUnlockButton")
        self.error = QLabel(self)
        self.error.setObjectName("lockError")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.error.setStyleSheet("font-weight: bold")
        self.error.hide()

        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.passphrase_label)
        row.addWidget(self.passphrase_edit, 2)
        row.addWidget(self.unlock_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.heading)
        layout.addWidget(self.message)
        layout.addLayout(row)
        layout.addWidget(self.keychain_button, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.error)
        layout.addStretch(2)

        self.unlock_button.clicked.connect(self._on_unlock_button_clicked)
        self.passphrase_edit.returnPressed.connect(self._on_unlock_button_clicked)
        self.keychain_button.clicked.connect(self.keychain_requested)
        self.retranslate_ui()

    def on_language_changed(self, _language: str) -> None:
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.heading.setText("<h2>" + escape(_("Locked")) + "</h2>")
        self.message.setText(
            _(
                "Your work is saved. The app is locked to keep your saved consultations "
                "private. Type your passphrase to go on."
            )
        )
        self.passphrase_label.setText(_("&Passphrase"))
        self.unlock_button.setText(_("&Unlock"))
        self.keychain_button.setText(_("Unlock with the &keychain"))

    def prepare(self, *, keychain: bool) -> None:
        self.passphrase_edit.clear()
        self.error.hide()
        self.keychain_button.setVisible(keychain)
        self.passphrase_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setAccessibleName(message)
        self.error.show()
        self.passphrase_edit.clear()
        self.passphrase_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_unlock_button_clicked(self) -> None:
        passphrase = self.passphrase_edit.text()
        self.passphrase_edit.clear()
        if passphrase:
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                self.unlock_requested.emit(passphrase)
            finally:
                QGuiApplication.restoreOverrideCursor()


# Input that counts as use of the app; anything else (a timer, a repaint) does not.
_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
    QEvent.Type.TabletPress,
}


class IdleWatcher(QObject):
    """Emits ``idle`` when no key, mouse or touch input reached the app for the
    interval; each input starts the wait again. An interval of 0 turns it off."""

    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle)
        self._interval_ms = 0
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def interval_ms(self) -> int:
        return self._interval_ms

    def set_interval_ms(self, interval_ms: int) -> None:
        self._interval_ms = max(0, interval_ms)
        self.restart()

    def restart(self) -> None:
        if self._interval_ms > 0:
            self._timer.start(self._interval_ms)
        else:
            self._timer.stop()

    def stop(self) -> None:
        self._timer.stop()

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and self._timer.isActive():
            self._timer.start(self._interval_ms)
        return False

    def detach(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._timer.stop()
