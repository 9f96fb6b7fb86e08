"""A text view that never loads anything by itself.

QTextBrowser would read local files for links and images; this one only shows
the HTML it is given and reports link activations as signals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Signal
from PySide6.QtWidgets import QTextBrowser, QToolTip, QWidget

from sdm_app.ui.theme import HIGHLIGHT_CSS

if TYPE_CHECKING:
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QImage, QMouseEvent, QTextDocument

ALLOWED_SCHEMES = frozenset({"https", "module", "term", "source"})


# Qt classes used only after start-up are imported where used: each costs start time.
def _blank_image() -> QImage:
    from PySide6.QtGui import QImage

    image = QImage(1, 1, QImage.Format.Format_ARGB32)
    image.fill(0)
    return image


class SafeTextBrowser(QTextBrowser):
    link_activated = Signal(str, str)  # scheme, target
    term_hovered = Signal(str, QPoint)  # term id ("" when leaving), global position
    link_focused = Signal(str)  # href of the link Tab moved to ("" when none)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setMouseTracking(True)
        self.document().setDefaultStyleSheet(
            HIGHLIGHT_CSS
            + " table.key { border: 2px solid #3a6ea5; } a { text-decoration: underline; }"
        )
        self.anchorClicked.connect(self._on_anchor_clicked)
        self._hovered_term = ""

    def loadResource(self, type: int, _name: QUrl | str) -> object:
        # Nothing is ever read from disk or network. An empty answer is not enough:
        # the document then reads the file itself, so give a blank of the right kind.
        from PySide6.QtCore import QByteArray
        from PySide6.QtGui import QTextDocument

        if type == QTextDocument.ResourceType.ImageResource.value:
            return _blank_image()
        return QByteArray(b" ")

    def doSetSource(
        self,
        _name: QUrl | str,
        _type: QTextDocument.ResourceType | None = None,
    ) -> None:
        # Navigation is only ever through link_activated; never load a source.
        return

    def _on_anchor_clicked(self, url: QUrl) -> None:
        scheme = url.scheme()
        if scheme not in ALLOWED_SCHEMES:
            return
        target = url.toString() if scheme == "https" else url.path()
        self.link_activated.emit(scheme, target)

    def focusNextPrevChild(self, next: bool) -> bool:
        # Tab moves a selection from link to link without any signal of its own.
        moved = super().focusNextPrevChild(next)
        cursor = self.textCursor()
        href = ""
        if cursor.hasSelection():
            from PySide6.QtGui import QTextCursor

            probe = QTextCursor(cursor)
            probe.setPosition(cursor.selectionStart() + 1)
            href = probe.charFormat().anchorHref()
        self.link_focused.emit(href)
        return moved

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        super().mouseMoveEvent(event)
        anchor = self.anchorAt(event.position().toPoint())
        term = anchor[len("term:") :] if anchor.startswith("term:") else ""
        if term != self._hovered_term:
            self._hovered_term = term
            self.term_hovered.emit(term, event.globalPosition().toPoint())
        if not term:
            QToolTip.hideText()
