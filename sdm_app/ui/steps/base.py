"""What every consultation step page shares."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QWidget,
)

from sdm_app.core.bidi import isolate
from sdm_app.ui.consultation_model import ConsultationModel, DebouncedSave
from sdm_app.ui.controller import AppController


class StepPage(QWidget):
    """A step of the consultation: shows the open consultation and edits it."""

    module_requested = Signal(str)  # a link to a library module was followed

    def __init__(
        self, controller: AppController, model: ConsultationModel, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.model = model
        self._savers: list[DebouncedSave] = []
        self._focus_savers: dict[QObject, DebouncedSave] = {}
        self.patient_view = False

    def refresh(self) -> None:
        """Show the open consultation's current values."""

    def focus_first(self) -> None:
        """Give keyboard focus to the first field of this step, in tab order."""
        widget = self.nextInFocusChain()
        while widget is not None and widget is not self:
            if (
                self.isAncestorOf(widget)
                and widget.isVisible()
                and widget.isEnabled()
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            ):
                widget.setFocus(Qt.FocusReason.TabFocusReason)
                return
            widget = widget.nextInFocusChain()

    def retranslate_ui(self) -> None:
        """Set every visible string in the current language."""

    def set_patient_view(self, enabled: bool) -> None:
        self.patient_view = enabled
        self.refresh()

    def flush(self) -> None:
        """Write any typing not yet saved (before leaving the step or closing)."""
        for saver in self._savers:
            saver.flush()

    def bind_line(self, edit: QLineEdit, save: Callable[[str], None]) -> None:
        saver = DebouncedSave(lambda: save(edit.text()), parent=self)
        self._savers.append(saver)
        edit.textEdited.connect(lambda _text: saver.touch())
        edit.editingFinished.connect(saver.flush)

    def bind_text(self, edit: QPlainTextEdit, save: Callable[[str], None]) -> None:
        saver = DebouncedSave(lambda: save(edit.toPlainText()), parent=self)
        self._savers.append(saver)
        # textChanged also fires when a stored value is shown: only typing counts.
        edit.textChanged.connect(lambda: saver.touch() if edit.hasFocus() else None)
        self._focus_savers[edit] = saver
        edit.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and watched in self._focus_savers:
            self._focus_savers[watched].flush()
        return super().eventFilter(watched, event)


def fit_combo(combo: QComboBox) -> QComboBox:
    """A combo box that does not demand the width of its longest entry, which at a
    large text size would push the window wider than the screen."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(12)
    return combo


def widen_combo(combo: QComboBox, least: int = 12) -> QComboBox:
    """A combo box that asks for the width of its longest entry, so nothing is cut
    when there is room, yet lets a narrow window shrink it to ``least`` characters."""
    fit_combo(combo).setMinimumContentsLength(least)
    combo.setMinimumWidth(combo.minimumSizeHint().width())
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    # Fill the form's field column even when the window is narrower than the form wants.
    combo.setSizePolicy(QSizePolicy.Policy.Expanding, combo.sizePolicy().verticalPolicy())
    return combo


def set_text_quietly(edit: QLineEdit | QPlainTextEdit, text: str) -> None:
    """Show a stored value without it counting as the user's typing."""
    current = edit.text() if isinstance(edit, QLineEdit) else edit.toPlainText()
    if current == text:
        return
    with QSignalBlocker(edit):
        if isinstance(edit, QLineEdit):
            edit.setText(text)
        else:
            edit.setPlainText(text)


def bidi_isolated(text: str) -> str:
    """Text from a report, laid out in its own direction (from its first strong
    character) whatever the UI's: in Arabic, "25 mutations per megabase" keeps its
    number first and "p.V617F (c.1849G>T)" its closing bracket last."""
    return isolate(text)


def tab_to_checked(group: QButtonGroup) -> None:
    """Tab reaches a group of choices at its current answer (its first choice while none
    is chosen), so Space on arrival can never replace an answer; arrows still move in it."""
    buttons = group.buttons()
    current = group.checkedButton() or (buttons[0] if buttons else None)
    for button in buttons:
        button.setFocusPolicy(
            Qt.FocusPolicy.StrongFocus if button is current else Qt.FocusPolicy.ClickFocus
        )
