"""The tree of topics and modules, with titles that wrap instead of being cut short."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtWidgets import QAbstractItemView, QStyledItemDelegate, QTreeView, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QResizeEvent
    from PySide6.QtWidgets import QStyleOptionViewItem

_MARGIN = 6
_WRAP_FLAGS = int(Qt.TextFlag.TextWordWrap.value)
_UNLAID_WIDTH = 10_000  # before the first layout: no wrapping yet


class _WrappingDelegate(QStyledItemDelegate):
    """Row heights for word-wrapped titles, from the width the row really has."""

    def __init__(self, view: TopicTreeView) -> None:
        super().__init__(view)
        self._view = view

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        # Called for every row at each layout: kept to a few cheap calls.
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        depth = 1 if index.parent().isValid() else 0
        indent = self._view.indentation() * (depth + 1)
        metrics = option.fontMetrics
        # Less than the row's width by the style's text margins and a character more:
        # text measured to just fit can still wrap when drawn (mixed scripts).
        width = max(40, self._view.text_width - indent - 2 * _MARGIN - metrics.averageCharWidth())
        advance = metrics.horizontalAdvance(text)
        if advance <= width:
            return QSize(advance + _MARGIN, metrics.height() + _MARGIN)
        bounds = metrics.boundingRect(QRect(0, 0, width, 100_000), _WRAP_FLAGS, text)
        # The text's own width: reporting the viewport's would make the tree ask for
        # ever more room from its splitter.
        return QSize(bounds.width() + _MARGIN, bounds.height() + _MARGIN)


class TopicTreeView(QTreeView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setUniformRowHeights(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.header().setStretchLastSection(True)
        self.setItemDelegate(_WrappingDelegate(self))
        self.text_width = _UNLAID_WIDTH

    def expand_topics(self) -> None:
        """Open every topic. Unlike expandAll(), nothing is laid out now: rows are
        measured once, when first painted, for the width they really get."""
        model = self.model()
        self.scheduleDelayedItemsLayout()  # expanding then only marks the rows
        for row in range(model.rowCount()):
            self.expand(model.index(row, 0))

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
            self.scheduleDelayedItemsLayout()  # row heights depend on the width

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.scheduleDelayedItemsLayout()
