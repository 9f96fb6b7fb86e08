"""Message boxes whose text is always plain: Qt would otherwise guess that text
containing '<' is markup, and a file name or a content string could then load
pictures or change how the message reads."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox, QWidget


def show_message(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    buttons: QMessageBox.StandardButton | None = None,
    default: QMessageBox.StandardButton | None = None,
) -> QMessageBox.StandardButton:
    """Show a modal message; ``buttons`` default to OK. The answer is returned.

    Qt is imported here, not at module level: message boxes are rare, and their
    classes cost start-up time for every page that may show one.
    """
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(icon, title, text, buttons or QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if default is not None and default != QMessageBox.StandardButton.NoButton:
        box.setDefaultButton(default)
    with focus_returned():
        return QMessageBox.StandardButton(box.exec())


@contextmanager
def focus_returned() -> Iterator[None]:
    """Around a modal dialog: once it closes, keyboard focus is back on the control that
    had it (the one that opened the dialog), so keyboard users go on where they were
    instead of starting again from the top of the window."""
    from PySide6.QtWidgets import QApplication

    before = QApplication.focusWidget()
    try:
        yield
    finally:
        if before is not None:
            return_focus(before)


def return_focus(widget: QWidget) -> None:
    """Give keyboard focus to ``widget``, or, when what the dialog did has hidden or
    disabled it (the last result removed), to the control before it in Tab order."""
    import shiboken6
    from PySide6.QtCore import Qt

    if not shiboken6.isValid(widget):
        return  # destroyed meanwhile (the app locked)
    target: QWidget | None = widget
    if not (widget.isVisible() and widget.isEnabled()):
        target = widget.previousInFocusChain()
        while target is not None and not _tab_stop(target):
            if target is widget:
                return  # nothing in the window can take it
            target = target.previousInFocusChain()
    if target is None:
        return
    target.window().activateWindow()
    target.setFocus(Qt.FocusReason.OtherFocusReason)


def _tab_stop(widget: QWidget) -> bool:
    from PySide6.QtCore import Qt

    return (
        widget.isVisible()
        and widget.isEnabled()
        and bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
    )
