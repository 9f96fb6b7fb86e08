"""What screen readers are told beyond Qt's defaults: headings are headings, and
widgets drawn by the app (icon arrays) say what kind of thing they are.

A widget class declares its role with an ``ACCESSIBLE_ROLE`` class attribute; the
factory installed at start gives its instances an accessible interface with that role.
The class, not a property, decides: a screen reader may ask for a widget's interface
as soon as the widget exists, before any property or text is set.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible, QAccessibleInterface, Qt, QTextDocument
from PySide6.QtWidgets import QAccessibleWidget, QLabel, QWidget


class HeadingLabel(QLabel):
    """A page or section heading: read as a heading, and reachable by a screen
    reader's "next heading" key."""

    ACCESSIBLE_ROLE = QAccessible.Role.Heading


def plain_label_text(label: QLabel) -> str:
    """A label's text as read aloud, without markup."""
    text = label.text()
    kind = label.textFormat()
    if kind == Qt.TextFormat.RichText or (
        kind == Qt.TextFormat.AutoText and Qt.mightBeRichText(text)
    ):
        document = QTextDocument()
        document.setHtml(text)
        text = document.toPlainText()
    return " ".join(text.split())


class _RoleInterface(QAccessibleWidget):
    """A widget's accessible interface with the role its class declares."""

    def __init__(self, widget: QWidget, role: QAccessible.Role) -> None:
        super().__init__(widget, role)

    def text(self, kind: QAccessible.Text) -> str:
        widget = self.widget()
        if kind == QAccessible.Text.Name and isinstance(widget, QLabel):
            return widget.accessibleName() or plain_label_text(widget)
        return super().text(kind)


def _factory(_class_name: str, target: QObject) -> QAccessibleInterface | None:
    role = getattr(type(target), "ACCESSIBLE_ROLE", None)
    if isinstance(role, QAccessible.Role) and isinstance(target, QWidget):
        return _RoleInterface(target, role)
    return None


_installed = False


def install_accessibility() -> None:
    """Install the factory (once per process)."""
    global _installed
    if not _installed:
        QAccessible.installFactory(_factory)
        _installed = True
