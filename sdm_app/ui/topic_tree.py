"""The tree of topics and modules, with titles that wrap instead of being cut short."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QRect, QSize, Qt
from PySide6.QtWidgets import QAbstractItemView, QTreeView, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QFontMetrics, QResizeEvent

_MARGIN = 6
_WRAP_FLAGS = int(Qt.TextFlag.TextWordWrap.value)
_UNLAID_WIDTH = 0  # before the first layout: rows keep Qt's own one-line heights


class TopicTreeView(QTreeView):
    """Topics with their modules beneath; long titles wrap onto more lines.

    Each row's size is worked out here, for the width the row really has, and kept
    in the model's size-hint role whenever that width, the font or the rows change.
    Qt's own delegate then lays out and paints the rows without a call back into
    Python for every row at every layout.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setUniformRowHeights(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.header().setStretchLastSection(True)
        self.text_width = _UNLAID_WIDTH

    def show_topics(self) -> None:
        """Open every topic and size its rows; call it when the model's rows change.

        Unlike expandAll(), nothing is laid out now: rows are laid out once, when
        first painted.
        """
        model = self.model()
        self.scheduleDelayedItemsLayout()  # expanding then only marks the rows
        for row in range(model.rowCount()):
            self.expand(model.index(row, 0))
        self._size_rows()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # The viewport's width, worked out without viewport(): PySide6 answers a
        # first call returning a plain QWidget by loading every widget class (8 ms);
        # the scroll bar's own width spares loading QStyle's enums (7 ms).
        # Room for the scroll bar is always kept: it appears only after the rows are
        # laid out, and rows measured without it would be cut short.
        scroll_bar = self.verticalScrollBar().sizeHint().width()
        width = self.maximumViewportSize().width() - scroll_bar
        if width != self.text_width:
            self.text_width = width
            self._size_rows()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._size_rows()

    def _size_rows(self) -> None:
        model = self.model()
        if model is None or self.text_width <= _UNLAID_WIDTH:
            return  # sized at the first resize, when the width is known
        # A pending full layout makes each size change below cost nothing more.
        self.scheduleDelayedItemsLayout()
        metrics = self.fontMetrics()
        step = self.indentation()
        # Less than the row's width by the style's text margins and a character more:
        # text measured to just fit can still wrap when drawn (mixed scripts).
        room = self.text_width - 2 * _MARGIN - metrics.averageCharWidth()
        size_role = Qt.ItemDataRole.SizeHintRole
        for row in range(model.rowCount()):
            topic = model.index(row, 0)
            model.setData(topic, _row_size(topic, room - step, metrics), size_role)
            for child_row in range(model.rowCount(topic)):
                child = model.index(child_row, 0, topic)
                model.setData(child, _row_size(child, room - 2 * step, metrics), size_role)


def _row_size(index: QModelIndex, width: int, metrics: QFontMetrics) -> QSize:
    text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
    width = max(40, width)
    advance = metrics.horizontalAdvance(text)
    if advance <= width:
        return QSize(advance + _MARGIN, metrics.height() + _MARGIN)
    bounds = metrics.boundingRect(QRect(0, 0, width, 100_000), _WRAP_FLAGS, text)
    # The text's own width: reporting the viewport's would make the tree ask for
    # ever more room from its splitter.
    return QSize(bounds.width() + _MARGIN, bounds.height() + _MARGIN)
