"""Lists of places to go: the pages, always as wide as their labels, and the steps
of a consultation, a column or, in a narrow window, a bar."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QListWidget, QSizePolicy, QStyle, QWidget

QWIDGETSIZE_MAX = (1 << 24) - 1


class NavigationList(QListWidget):
    """The page list: always as wide as its longest label, at any text size."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        widest = max(
            (metrics.horizontalAdvance(self.item(row).text()) for row in range(self.count())),
            default=0,
        )
        padding = 2 * self.frameWidth() + 4 * metrics.averageCharWidth()
        return QSize(widest + padding, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        return QSize(self.sizeHint().width(), super().minimumSizeHint().height())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.updateGeometry()


class StepList(QListWidget):
    """The steps of a consultation: a column beside the step shown, or, in a narrow
    window, a bar of one row above it (``set_bar``).

    In the bar the steps keep their full names while they fit on the row; when they
    do not, the other steps show their number alone (their name in a tooltip and,
    as in the column, to screen readers) and the current one its full name."""

    COLUMN_CHARS = 14  # the column is at least this many average characters wide
    WIDE_COLUMN_CHARS = 24  # and as wide as its names up to this many

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bar = False
        self._full: list[str] = []
        self._short: list[str] = []
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self._lay_out()
        self.currentRowChanged.connect(lambda _row: self._show_texts())

    @property
    def bar(self) -> bool:
        return self._bar

    @property
    def named(self) -> bool:
        """Whether the steps have their names yet (their widths are known)."""
        return bool(self._full)

    def set_bar(self, bar: bool) -> None:
        if bar != self._bar:
            self._bar = bar
            self._lay_out()

    def set_step_texts(self, full: list[str], short: list[str]) -> None:
        """Each step's full name (with its number) and its number alone."""
        self._full, self._short = list(full), list(short)
        self._show_texts()
        self._fit()

    def _lay_out(self) -> None:
        bar = self._bar
        self.setFlow(QListWidget.Flow.LeftToRight if bar else QListWidget.Flow.TopToBottom)
        # Names wrap in the column rather than push the window wider at large text sizes.
        self.setWordWrap(not bar)
        self.setSpacing(2 if bar else 0)
        self.setVerticalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAlwaysOff if bar else Qt.ScrollBarPolicy.ScrollBarAsNeeded
        )
        self._show_texts()
        self._fit()

    def _fit(self) -> None:
        metrics = self.fontMetrics()
        if self._bar:
            margin = 2 * self.frameWidth() + 2 * self.spacing()
            self.setMinimumWidth(0)
            self.setMaximumWidth(QWIDGETSIZE_MAX)
            row = max(self.sizeHintForRow(0), metrics.height()) if self.count() else 0
            self.setFixedHeight(row + margin)
        else:
            self.setMinimumHeight(0)
            self.setMaximumHeight(QWIDGETSIZE_MAX)
            # The column is only shown when the window has room for its names.
            self.setFixedWidth(self.column_width())

    def column_width(self) -> int:
        """The column's width: its longest name on one line, up to WIDE_COLUMN_CHARS
        average characters (a longer name wraps between words); never narrower than
        COLUMN_CHARS nor than the longest word."""
        metrics = self.fontMetrics()
        scroll_bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        margins = self._item_margin() + 2 * self.frameWidth() + scroll_bar
        longest = max((metrics.horizontalAdvance(text) for text in self._full), default=0)
        words = (word for text in self._full for word in text.split())
        longest_word = max((metrics.horizontalAdvance(word) for word in words), default=0)
        average = metrics.averageCharWidth()
        return max(
            min(longest + margins, average * self.WIDE_COLUMN_CHARS),
            average * self.COLUMN_CHARS,
            longest_word + margins,
        )

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        if not self._bar:
            hint.setWidth(self.column_width())
        return hint

    def _item_margin(self) -> int:
        """The room an item's text leaves on both sides together."""
        focus_margin = self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self)
        return 2 * (focus_margin + 1) + 2 * self.spacing()

    def _show_texts(self) -> None:
        if self.count() != len(self._full):
            return
        # In the bar no name needs the room the column keeps for a check mark.
        full = [text.strip() for text in self._full] if self._bar else self._full
        if self._bar and not self._fits(full):
            current = self.currentRow()
            texts = [
                name if row == current else number
                for row, (name, number) in enumerate(zip(full, self._short, strict=True))
            ]
        else:
            texts = full
        for row, text in enumerate(texts):
            item = self.item(row)
            if item.text() != text:
                item.setText(text)
            item.setToolTip("" if text == full[row] else full[row])
        if self._bar and self.currentItem() is not None:
            self.scrollToItem(self.currentItem())

    def _fits(self, texts: list[str]) -> bool:
        metrics = self.fontMetrics()
        needed = sum(metrics.horizontalAdvance(text) + self._item_margin() for text in texts)
        return needed <= self.viewport().width()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._bar:
            self._show_texts()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit()
            self._show_texts()
