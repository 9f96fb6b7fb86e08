"""Layouts that reflow in a narrow window or at a large text size, rather than cut
text or push the window wider than the screen: forms whose labels move above their
fields, tables whose columns keep their contents (cells wrap, or the table scrolls
sideways), a drop-down list and a tick box whose text wraps onto more lines, and
panes that keep a few lines when the window is short (the page scrolls instead)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QPaintEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHeaderView,
    QLabel,
    QLayout,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QStyleOptionComboBox,
    QStyleOptionFocusRect,
    QStylePainter,
    QTableView,
    QWidget,
)
from shiboken6 import isValid

# A form keeps its labels beside its fields while the fields keep room for this many
# average characters; the labels' column is as wide as the longest label up to
# LABEL_CHARS (longer labels wrap in it).
FIELD_CHARS = 40
LABEL_CHARS = 40
QWIDGETSIZE_MAX = (1 << 24) - 1


class FormRows(QObject):
    """Puts forms' labels beside their fields in a wide host, above them in a narrow
    one; the forms share one label column, so their fields line up."""

    def __init__(self, forms: Sequence[QFormLayout], host: QWidget, label_chars: int) -> None:
        super().__init__(host)
        self._forms = tuple(forms)
        self._host = host
        self._label_chars = label_chars
        host.installEventFilter(self)
        # In a scroll area the host is never narrower than the forms ask: the width
        # that counts is the scroll area's.
        self._area = _scroll_area_of(host)
        if self._area is not None:
            self._area.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The host's and the scroll area's view's resizing, and the host's text size.
        kind = event.type()
        if kind == QEvent.Type.Resize or (kind == QEvent.Type.FontChange and watched is self._host):
            self.arrange()
        return False

    def _labels(self) -> list[QLabel]:
        found = []
        for form in self._forms:
            for row in range(form.rowCount()):
                item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
                label = item.widget() if item is not None else None
                if isinstance(label, QLabel):
                    found.append(label)
        return found

    def _widest_field(self) -> int:
        """The least width of the widest field (a list as wide as its longest entry)."""
        widths = [0]
        for form in self._forms:
            for row in range(form.rowCount()):
                item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
                if item is not None and not item.isEmpty():
                    widths.append(item.minimumSize().width())
        return max(widths)

    def _room(self) -> int:
        """The width the forms' rows get."""
        host = self._host
        # The margins between the host's edges and the rows.
        margins = 0
        item: QObject | None = self._forms[0]
        while item is not None and item is not host:
            if isinstance(item, QLayout | QWidget):
                box = item.contentsMargins()
                margins += box.left() + box.right()
            item = item.parent()
        room = host.width() - margins
        area = self._area if self._area is not None and isValid(self._area) else None
        widget = area.widget() if area is not None else None
        if area is not None and widget is not None:
            # As much narrower as the scroll area's view is than what it scrolls.
            room -= max(widget.width() - area.viewport().width(), 0)
        return room

    @contextmanager
    def labels_beside(self) -> Iterator[None]:
        """The forms as they are in a wide host, whatever the host's width now: to
        measure the size a window needs to show them so."""
        self.arrange(QWIDGETSIZE_MAX)
        try:
            yield
        finally:
            self.arrange()

    def arrange(self, room: int | None = None) -> None:
        labels = self._labels()
        if not labels:
            return
        metrics = self._host.fontMetrics()
        lines = {label: _one_line_width(label, label.text()) for label in labels}
        words = (word for label in labels for word in label.text().split())
        longest_word = max((_one_line_width(labels[0], word) for word in words), default=0)
        average = metrics.averageCharWidth()
        column = max(min(max(lines.values()), average * self._label_chars), longest_word)
        # Before it is first laid out the host has no width of its own: the forms then
        # ask for the room to have their labels beside the fields (a dialog opens that
        # wide).
        if room is None:
            laid_out = self._host.testAttribute(Qt.WidgetAttribute.WA_Resized)
            room = self._room() if laid_out else QWIDGETSIZE_MAX
        spacing = max(self._forms[0].horizontalSpacing(), 0)
        field = max(average * FIELD_CHARS, self._widest_field())
        beside = column + spacing + field <= room
        changed = False
        for label in labels:
            if beside:  # one column for every label; longer ones wrap in it
                least, most, wrap = column, column, lines[label] > column
            else:  # the whole row's width: only a label longer than that wraps
                least, most, wrap = 0, QWIDGETSIZE_MAX, lines[label] > room
            if (label.minimumWidth(), label.maximumWidth(), label.wordWrap()) != (
                least,
                most,
                wrap,
            ):
                label.setMinimumWidth(least)
                label.setMaximumWidth(most)
                label.setWordWrap(wrap)
                changed = True
        policy = (
            QFormLayout.RowWrapPolicy.DontWrapRows
            if beside
            else QFormLayout.RowWrapPolicy.WrapAllRows
        )
        for form in self._forms:
            if form.rowWrapPolicy() != policy:
                form.setRowWrapPolicy(policy)
                changed = True
        if changed:  # the forms, and the layouts holding them, keep old sizes until told
            for form in self._forms:
                form.invalidate()
                parent = form.parentWidget()
                if parent is not None:
                    parent.updateGeometry()


def _scroll_area_of(widget: QWidget) -> QScrollArea | None:
    """The scroll area that resizes ``widget``'s window-wide ancestor, if any."""
    parent: QWidget | None = widget
    while parent is not None and not parent.isWindow():
        viewport = parent.parentWidget()
        area = viewport.parentWidget() if viewport is not None else None
        if isinstance(area, QScrollArea) and area.widget() is parent and area.widgetResizable():
            return area
        parent = viewport
    return None


def _one_line_width(label: QLabel, text: str) -> int:
    """The width ``label`` needs for ``text`` on one line (measured as QLabel does)."""
    flags = int(Qt.TextFlag.TextShowMnemonic)
    bounds = label.fontMetrics().boundingRect(QRect(0, 0, 1 << 20, 1 << 20), flags, text)
    margins = label.contentsMargins()
    return bounds.width() + 2 * label.margin() + margins.left() + margins.right()


def wrap_rows_when_narrow(
    forms: QFormLayout | Sequence[QFormLayout], host: QWidget, label_chars: int = LABEL_CHARS
) -> FormRows:
    """Labels beside their fields while there is room, above them when there is not.

    ``host`` is the widget whose width the forms get (the one they are laid out in);
    forms given together share their label column."""
    forms = (forms,) if isinstance(forms, QFormLayout) else tuple(forms)
    for form in forms:
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
    rows = FormRows(forms, host, label_chars)
    rows.arrange()
    return rows


class _ColumnFitter(QObject):
    def __init__(self, table: QTableView, wrap: bool) -> None:
        super().__init__(table)
        self._table = table
        self._wrap = wrap
        self._viewport = table.viewport()
        self._viewport.installEventFilter(self)
        table.installEventFilter(self)
        # Filling a table changes its model once per cell: the columns are fitted
        # once, when the changes are done.
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setInterval(0)
        self._later.timeout.connect(self.fit)

    def schedule(self, *_changed: object) -> None:
        self._later.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if (watched is self._viewport and kind == QEvent.Type.Resize) or (
            watched is self._table and kind == QEvent.Type.FontChange
        ):
            self.fit()
        return False

    def fit(self) -> None:
        table = self._table
        if not isValid(table):  # its model's last signals, as the table goes
            return
        header = table.horizontalHeader()
        if not self._wrap:  # rows of one line, at the current text size
            table.verticalHeader().setDefaultSectionSize(_row_height(table))
        columns = [c for c in range(header.count()) if not header.isSectionHidden(c)]
        natural = {c: max(table.sizeHintForColumn(c), header.sectionSizeHint(c)) for c in columns}
        room = table.viewport().width()
        least = self._least_widths(columns) if self._wrap else natural
        natural = {c: max(natural[c], least[c]) for c in columns}
        stretch = sum(natural.values()) <= room
        if stretch:
            widths = natural  # the last column takes the room left over
        elif sum(least.values()) >= room:
            widths = least  # the table scrolls sideways
        else:
            # Each column keeps its longest word and header, and the room left is
            # shared out as the columns' one-line widths ask; cells wrap.
            spare = room - sum(least.values())
            wants = {c: natural[c] - least[c] for c in columns}
            total = sum(wants.values()) or 1
            widths = {c: least[c] + spare * wants[c] // total for c in columns}
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setStretchLastSection(stretch)
        resized = False
        for column in columns:
            if header.sectionSize(column) != widths[column]:
                header.resizeSection(column, widths[column])
                resized = True
        if resized and self._wrap:
            table.resizeRowsToContents()  # the cells wrap anew: rows of another height

    def _least_widths(self, columns: list[int]) -> dict[int, int]:
        """Per column: its header on one line, or its longest word, whichever is wider."""
        table = self._table
        model = table.model()
        header = table.horizontalHeader()
        metrics = table.fontMetrics()
        margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table)
        # The text's margins, the grid line, and a pixel the text's fractional width
        # may round up to.
        padding = 2 * (margin + 1) + 2
        least = {}
        for column in columns:
            words = (
                word
                for row in range(model.rowCount())
                for word in str(model.index(row, column).data() or "").split()
            )
            longest = max((metrics.horizontalAdvance(word) for word in words), default=0)
            least[column] = max(longest + padding, header.sectionSizeHint(column))
        return least


def _row_height(table: QTableView) -> int:
    """A row of one line of the table's text, with the margins its items draw."""
    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameVMargin, None, table)
    return table.fontMetrics().height() + 2 * (margin + 1) + 2


def fit_columns(table: QTableView, *, wrap: bool = False) -> None:
    """Columns that never cut a cell or header short.

    Each column is as wide as its contents on one line while the table has room. A
    narrower table scrolls sideways or, with ``wrap``, first shares its width out so
    that every column keeps its longest word and its header, and cells wrap onto more
    lines (rows as tall as their text: for tables of a few rows, as each change
    measures every row). Without ``wrap`` rows are one line of the current text."""
    table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    table.setWordWrap(wrap)
    if wrap:
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    fitter = _ColumnFitter(table, wrap)
    model = table.model()
    for signal in (
        model.modelReset,
        model.rowsInserted,
        model.dataChanged,
        model.layoutChanged,
        model.headerDataChanged,
    ):
        signal.connect(fitter.schedule)
    fitter.fit()


class WrappingComboBox(QComboBox):
    """A drop-down list whose chosen entry wraps onto more lines when the box is
    narrower than it (a long decision aid's title at a large text size), instead of
    being cut with an ellipsis."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # It takes the row's width, and wraps within it; it never asks for the width
        # of its longest entry.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(12)
        policy = self.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Policy.Expanding)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.currentIndexChanged.connect(lambda _index: self.updateGeometry())

    def _field(self, rect: QRect) -> QRect:
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        option.rect = rect
        return self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, self
        )

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        one_line = super().sizeHint().height()
        field = self._field(QRect(0, 0, width, one_line))
        text = self.currentText()
        metrics = self.fontMetrics()
        if metrics.horizontalAdvance(text) <= field.width():
            return one_line
        flags = int(Qt.TextFlag.TextWordWrap)
        bounds = metrics.boundingRect(QRect(0, 0, max(field.width(), 1), 1 << 20), flags, text)
        return max(one_line, bounds.height() + one_line - field.height())

    def sizeHint(self) -> QSize:
        # As tall as the text wraps at the present width; the height is fixed, so a
        # row that a long label makes taller does not stretch the box.
        hint = super().sizeHint()
        if self.testAttribute(Qt.WidgetAttribute.WA_Resized) or self.isVisible():
            hint.setHeight(self.heightForWidth(self.width()))
        return hint

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # the text wraps anew: another height

    def paintEvent(self, event: QPaintEvent) -> None:
        field = self._field(self.rect())  # in the layout's direction already
        text = self.currentText()
        if self.isEditable() or self.fontMetrics().horizontalAdvance(text) <= field.width():
            super().paintEvent(event)  # one line: drawn as any other drop-down list
            return
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        option.currentText = ""
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        painter.setPen(self.palette().color(QPalette.ColorRole.ButtonText))
        alignment = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeading
        painter.drawText(field, int(alignment | Qt.TextFlag.TextWordWrap), text)


class WrappingCheckBox(QCheckBox):
    """A tick box whose text wraps onto more lines when the box is narrower than the
    text on one line (a long translation at a large text size). Drawn as any other
    tick box while the text fits on one line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Narrower than its text on one line when need be (a tick box is not, else).
        policy = self.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def _text_rect(self, rect: QRect) -> QRect:
        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.rect = rect
        return self.style().subElementRect(QStyle.SubElement.SE_CheckBoxContents, option, self)

    def _flags(self) -> int:
        mnemonic = (
            Qt.TextFlag.TextShowMnemonic
            if self.style().styleHint(QStyle.StyleHint.SH_UnderlineShortcut, None, self)
            else Qt.TextFlag.TextHideMnemonic
        )
        return int(Qt.TextFlag.TextWordWrap | mnemonic)

    def _fits(self, width: int) -> bool:
        return width >= super().sizeHint().width()

    def minimumSizeHint(self) -> QSize:
        # The box and the longest word beside it.
        one_line = super().sizeHint()
        metrics = self.fontMetrics()
        longest = max(
            (metrics.horizontalAdvance(word) for word in self.text().replace("&", "").split()),
            default=0,
        )
        text = self._text_rect(QRect(0, 0, one_line.width(), one_line.height()))
        return QSize(
            min(one_line.width(), one_line.width() - text.width() + longest + 2), one_line.height()
        )

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        one_line = super().sizeHint().height()
        if self._fits(width):
            return one_line
        text = self._text_rect(QRect(0, 0, width, one_line))
        bounds = self.fontMetrics().boundingRect(
            QRect(0, 0, max(text.width(), 1), 1 << 20), self._flags(), self.text()
        )
        return max(one_line, bounds.height() + one_line - text.height())

    def sizeHint(self) -> QSize:
        # As tall as the text wraps at the present width: the height is fixed.
        hint = super().sizeHint()
        if self.testAttribute(Qt.WidgetAttribute.WA_Resized) or self.isVisible():
            hint.setHeight(self.heightForWidth(self.width()))
        return hint

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()

    def hitButton(self, pos: QPoint) -> bool:
        return self.rect().contains(pos)

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._fits(self.width()):
            super().paintEvent(event)
            return
        painter = QStylePainter(self)
        option = QStyleOptionButton()
        self.initStyleOption(option)
        focused = bool(option.state & QStyle.StateFlag.State_HasFocus)
        option.text = ""
        option.state &= ~QStyle.StateFlag.State_HasFocus  # the ring goes round the text
        painter.drawControl(QStyle.ControlElement.CE_CheckBox, option)
        text_rect = self._text_rect(self.rect())
        role = self.foregroundRole()
        painter.setPen(self.palette().color(role))
        alignment = Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter
        bounds = painter.boundingRect(text_rect, int(alignment) | self._flags(), self.text())
        painter.drawText(text_rect, int(alignment) | self._flags(), self.text())
        if focused:
            ring = QStyleOptionFocusRect()
            ring.initFrom(self)
            ring.rect = bounds.adjusted(-1, 0, 1, 0)
            painter.drawPrimitive(QStyle.PrimitiveElement.PE_FrameFocusRect, ring)


class _LinesKeeper(QObject):
    def __init__(self, widget: QWidget, lines: int, extra: QWidget | None) -> None:
        super().__init__(widget)
        self._widget = widget
        self._lines = lines
        self._extra = extra
        widget.installEventFilter(self)
        self.apply()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() == QEvent.Type.FontChange:
            self.apply()
        return False

    def apply(self) -> None:
        widget = self._widget
        frame = widget.frameWidth() if isinstance(widget, QFrame) else 0
        extra = self._extra.sizeHint().height() if self._extra is not None else 0
        widget.setMinimumHeight(
            self._lines * widget.fontMetrics().lineSpacing() + 2 * frame + extra
        )


def keep_lines(widget: QWidget, lines: int, *, above: QWidget | None = None) -> None:
    """Never squeeze ``widget`` (a table, a reading pane) below ``lines`` lines of its
    text at the current text size (plus ``above``, a header over them): in a short
    window its page scrolls instead."""
    _LinesKeeper(widget, lines, above)
