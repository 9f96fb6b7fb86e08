"""A layout that places widgets in a row and wraps them onto more rows when the
row is too narrow (large text, long translations), mirrored right to left."""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QSizePolicy, QStyle, QWidget


class FlowRow(QLayout):
    def __init__(self, parent: QWidget | None = None, spacing: int = 8) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self._width = 0  # the width last laid out in
        self.setContentsMargins(QMargins(0, 0, 0, 0))

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def addStretch(self, _stretch: int = 0) -> None:
        """Rows already start at the leading edge; nothing to stretch."""

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        height = self._arrange(rect, apply=True)
        if rect.width() != self._width:
            self._width = rect.width()
            if height != rect.height():
                # Rows added or gone: layouts that do not ask for a height for a width
                # (a splitter's panes) learn the new least height from minimumSize().
                self.invalidate()

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        if self._width > 0:  # as many rows as the width last laid out in needs
            size.setHeight(max(size.height(), self.heightForWidth(self._width)))
        return size

    def _arrange(self, rect: QRect, apply: bool) -> int:
        rtl = (self.parentWidget() or QWidget()).layoutDirection() == Qt.LayoutDirection.RightToLeft
        x, y, line_height = rect.x(), rect.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x > rect.x() and x + hint.width() > rect.right() + 1:
                x, y, line_height = rect.x(), y + line_height + self._spacing, 0
            if apply:
                placed = QRect(QPoint(x, y), hint)
                if rtl:
                    placed = QStyle.visualRect(Qt.LayoutDirection.RightToLeft, rect, placed)
                item.setGeometry(placed)
            x += hint.width() + self._spacing
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y()


def flow_policy(widget: QWidget) -> None:
    """Let a widget holding a FlowRow grow taller as its rows wrap."""
    policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
    policy.setHeightForWidth(True)
    widget.setSizePolicy(policy)
