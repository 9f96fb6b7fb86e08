"""A text view that never loads anything by itself.

QTextBrowser would read local files for links and images; this one only shows
the HTML it is given and reports link activations as signals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QPalette
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


def pictograph_image(source: str, palette: QPalette, ratio: float) -> QImage | None:
    """The picture a document names as ``pictograph:FILLED/COUNT[/rtl]`` (see
    ``services.documents.html``), drawn here: people as a head and a body, filled
    ones first in reading order, in the palette's colours; None for any other name."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage, QPainter, QPainterPath

    from sdm_app.services.documents.html import (
        PICTOGRAPH_CELL,
        PICTOGRAPH_COLUMNS,
        PICTOGRAPH_SCHEME,
    )

    prefix = PICTOGRAPH_SCHEME + ":"
    if not source.startswith(prefix):
        return None
    parts = source[len(prefix) :].split("/")
    rtl = parts[2:] == ["rtl"]
    try:
        filled, count = int(parts[0]), int(parts[1])
    except (ValueError, IndexError):
        return None
    if not 0 <= filled <= count <= 1000:
        return None
    columns = PICTOGRAPH_COLUMNS
    cell_w, cell_h = PICTOGRAPH_CELL
    rows = -(-count // columns)
    image = QImage(
        round(columns * cell_w * ratio), round(rows * cell_h * ratio), QImage.Format.Format_ARGB32
    )
    image.setDevicePixelRatio(ratio)
    image.fill(0)
    paths = (QPainterPath(), QPainterPath())
    for index in range(count):
        row, column = divmod(index, columns)
        if rtl:
            column = columns - 1 - column
        x = column * cell_w + cell_w / 2
        y = row * cell_h
        path = paths[0] if index < filled else paths[1]
        path.addEllipse(QRectF(x - 1.6, y + 0.6, 3.2, 3.2))
        path.addRoundedRect(QRectF(x - 2.3, y + 4.2, 4.6, 4.2), 1.4, 1.4)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    # Filled: the highlight colour; the others: the text colour, faint. Without
    # colour the two still differ in darkness.
    faint = palette.color(QPalette.ColorRole.WindowText)
    faint.setAlphaF(0.25)
    for path, colour in zip(
        paths, (palette.color(QPalette.ColorRole.Highlight), faint), strict=True
    ):
        painter.fillPath(path, colour)
    painter.end()
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
            name = _name if isinstance(_name, str) else _name.toString()
            drawn = pictograph_image(name, self.palette(), self.devicePixelRatioF())
            return drawn if drawn is not None else _blank_image()
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
