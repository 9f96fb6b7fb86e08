"""An icon array: "54 out of 100 people" drawn as 100 person icons, 54 filled in.

Readable without colour: people with the outcome are solid shapes, the others are
outlines only, and a legend says so in words. Colours come from the palette
(Highlight for the fill, WindowText for outlines), so the high-contrast scheme
applies. Icons are laid out in rows of 10 (rows of 50 above 100 people, with a
small gap after every 10 icons and every 10 rows so they can be counted), shrink to
fit the width and never grow beyond a size set by the font. Right-to-left layouts
fill from the right. The whole figure is also given as text: painted above the
icons, returned by ``text()``, and set as the accessible name (after the option it
belongs to, when one is given); screen readers hear it as a graphic.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QAccessible,
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QStyle, QWidget

from sdm_app.core.decision_aid import OutcomeFigure
from sdm_app.i18n import _, format_number, ngettext

MAX_DENOMINATOR = 1000
FOCUS_FRAME = 2  # width of the focus rectangle, in pixels
MIN_CELL = 6.0  # below this, filled and outlined icons stop looking different
PERSON_MIN_CELL = 14.0  # below this, a circle is drawn instead of a person
_EPSILON = 1e-9


class IconState:
    EMPTY = "empty"  # nothing set yet
    FIGURE = "figure"  # icons are shown
    NO_FIGURE = "no-figure"  # numerator is None: text only
    INVALID = "invalid"  # figures that cannot be drawn: text only


class _Legend(NamedTuple):
    fill: float  # 1.0 filled, 0.0 outlined, 0.5 partly filled
    text: str


class _Layout(NamedTuple):
    """Where everything goes, in left-to-right coordinates (mirrored when painting)."""

    label_rect: QRect
    text_rect: QRect
    grid_rect: QRectF
    cell: float
    gap: float
    legend: tuple[tuple[QRectF, QRect, _Legend], ...]  # icon rect, text rect, item
    height: int


class IconArray(QWidget):
    """``numerator`` out of ``denominator`` people as an array of person icons."""

    ACCESSIBLE_ROLE = QAccessible.Role.Graphic  # see sdm_app.ui.accessibility

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._numerator: float | None = None
        self._denominator = 0
        self._time_frame = ""
        self._label = ""
        self._subject = ""
        self._missing_reason = ""
        self._state = IconState.EMPTY
        self._has_figure = False
        self._text = ""
        self._sentence = ""
        self._legend: tuple[_Legend, ...] = ()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.retranslate_ui()

    # ----------------------------------------------------------------- public API

    def set_figure(
        self,
        numerator: float | None,
        denominator: int,
        time_frame: str,
        label: str = "",
        *,
        missing_reason: str = "",
        subject: str = "",
    ) -> None:
        """Show ``numerator`` out of ``denominator`` people over ``time_frame``.

        ``numerator`` None shows that no figure exists (with ``missing_reason`` if
        given). Figures that cannot be drawn (a numerator below zero or above the
        denominator, a denominator outside 1 to 1,000) show a message instead.
        ``subject`` (an option's name) begins the accessible name, so a figure read
        on its own says what it is about; it is not painted (the grid shows it).
        """
        self._numerator = numerator
        self._denominator = denominator
        self._time_frame = (time_frame or "").strip()
        self._label = (label or "").strip()
        self._missing_reason = (missing_reason or "").strip()
        self._subject = (subject or "").strip()
        self._has_figure = True
        self.retranslate_ui()

    def set_outcome_figure(
        self, figure: OutcomeFigure, label: str = "", *, subject: str = ""
    ) -> None:
        self.set_figure(
            figure.numerator,
            figure.denominator,
            figure.time_frame,
            label,
            missing_reason=figure.missing_reason or "",
            subject=subject,
        )

    def state(self) -> str:
        """One of the ``IconState`` values."""
        return self._state

    def text(self) -> str:
        """The text equivalent of the figure (the accessible name, after the subject)."""
        return self._text

    def subject(self) -> str:
        return self._subject

    def numerator(self) -> float | None:
        return self._numerator

    def denominator(self) -> int:
        return self._denominator

    def icon_count(self) -> int:
        """How many icons are drawn (0 unless a valid figure is shown)."""
        return self._denominator if self._state == IconState.FIGURE else 0

    def columns(self) -> int:
        if self.icon_count() == 0:
            return 0
        return min(self._denominator, 10 if self._denominator <= 100 else 50)

    def rows(self) -> int:
        columns = self.columns()
        return 0 if columns == 0 else math.ceil(self._denominator / columns)

    def icon_rect(self, index: int) -> QRectF:
        """Where icon ``index`` (0 is filled first) is drawn, in widget coordinates."""
        if not 0 <= index < self.icon_count():
            return QRectF()
        layout = self._compute_layout(self.width())
        return self._mirrored(self._cell_rect(layout, index))

    def fill_fraction(self, index: int) -> float:
        """1 for a filled icon, 0 for an outlined one, between for the partial one."""
        if self._numerator is None or not 0 <= index < self.icon_count():
            return 0.0
        return max(0.0, min(1.0, self._numerator - index))

    def retranslate_ui(self) -> None:
        """Rebuild every text from the stored figure (after a language switch)."""
        self._state, self._sentence = self._describe()
        sentence = self._sentence
        if self._label and sentence:
            self._text = _("{label}: {figure}").format(label=self._label, figure=sentence)
        else:
            self._text = sentence
        self._legend = self._legend_items() if self._state == IconState.FIGURE else ()
        description = self._text
        if self._state == IconState.FIGURE:
            picture = ngettext(
                "A picture of {denominator} person. Filled-in icons stand for people "
                "with this outcome, outlined icons for people without it.",
                "A picture of {denominator} people. Filled-in icons stand for people "
                "with this outcome, outlined icons for people without it.",
                self._denominator,
            ).format(denominator=format_number(self._denominator))
            description = f"{self._text} {picture}"
        name = self._text or _("Icon array")
        if self._subject:
            name = _("{subject}: {figure}").format(subject=self._subject, figure=name)
        self.setAccessibleName(name)
        self.setAccessibleDescription(description)
        self.setToolTip(self._text)
        self.updateGeometry()
        self.update()

    # ------------------------------------------------------------------- texts

    def _describe(self) -> tuple[str, str]:
        numerator, denominator = self._numerator, self._denominator
        if not self._has_figure:
            return IconState.EMPTY, ""
        if numerator is None:
            if self._missing_reason:
                return IconState.NO_FIGURE, _("No figure is available: {reason}").format(
                    reason=self._missing_reason
                )
            return IconState.NO_FIGURE, _("No figure is available.")
        problem = self._problem(numerator, denominator)
        if problem:
            return IconState.INVALID, _("This figure cannot be shown: {problem}").format(
                problem=problem
            )
        denominator = self._denominator = int(denominator)
        figure = ngettext(
            "{numerator} out of {denominator} person",
            "{numerator} out of {denominator} people",
            denominator,
        ).format(numerator=format_number(numerator), denominator=format_number(denominator))
        if self._time_frame:
            # The time frame comes from the content: "3 years", "by age 80".
            figure = _("{figure}, {time_frame}").format(figure=figure, time_frame=self._time_frame)
        return IconState.FIGURE, figure

    @staticmethod
    def _problem(numerator: object, denominator: object) -> str:
        if isinstance(denominator, bool) or not isinstance(denominator, int | float):
            return _("the total number of people is not a number.")
        if isinstance(numerator, bool) or not isinstance(numerator, int | float):
            return _("the number of people is not a number.")
        if not math.isfinite(denominator) or denominator != int(denominator):
            return _("the total number of people must be a whole number.")
        if not 1 <= denominator <= MAX_DENOMINATOR:
            return _("the total number of people must be between {low} and {high}.").format(
                low=format_number(1), high=format_number(MAX_DENOMINATOR)
            )
        if not math.isfinite(numerator):
            return _("the number of people is not a number.")
        if numerator < 0:
            return _("the number of people is below zero.")
        if numerator > denominator:
            return _("the number of people is larger than the total.")
        return ""

    def _legend_items(self) -> tuple[_Legend, ...]:
        items = [
            _Legend(1.0, _("Filled in: people with this outcome")),
            _Legend(0.0, _("Outlined: people without this outcome")),
        ]
        numerator = self._numerator or 0.0
        if abs(numerator - round(numerator)) > _EPSILON:
            items.append(_Legend(0.5, _("Partly filled: part of one person (an average)")))
        return tuple(items)

    # ------------------------------------------------------------------ layout

    def _spacing(self) -> int:
        return max(4, self.fontMetrics().height() // 3)

    def _margin(self) -> int:
        return FOCUS_FRAME + 2

    def _preferred_cell(self) -> float:
        height = self.fontMetrics().height()
        return float(round(height * (1.5 if self.columns() <= 10 else 0.9)))

    def _gap_count(self, count: int) -> int:
        """Gaps between blocks of 10 icons, along one side of length ``count``."""
        return (count - 1) // 10 if count > 10 else 0

    def _grid_width(self, cell: float) -> float:
        columns = self.columns()
        return columns * cell + self._gap_count(columns) * cell / 2

    def _cell_for_width(self, available: float) -> float:
        columns = self.columns()
        if columns == 0:
            return 0.0
        fit = max(0.0, available) / (columns + self._gap_count(columns) / 2)
        cell = min(self._preferred_cell(), fit)
        # Whole pixels keep the icons crisp; tiny cells keep their fraction so
        # they still fit.
        return float(math.floor(cell)) if cell >= 4 else cell

    def _bold_font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        return font

    @staticmethod
    def _text_height(metrics: QFontMetrics, width: int, text: str) -> int:
        if not text:
            return 0
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)
        return metrics.boundingRect(QRect(0, 0, max(1, width), 1_000_000), flags, text).height()

    def _compute_layout(self, width: int) -> _Layout:
        margin, spacing = self._margin(), self._spacing()
        inner = max(1, width - 2 * margin)
        metrics = self.fontMetrics()
        y = margin

        label_rect = QRect()
        if self._label:
            height = self._text_height(QFontMetrics(self._bold_font()), inner, self._label)
            label_rect = QRect(margin, y, inner, height)
            y += height + spacing // 2

        text_rect = QRect()
        if self._sentence:
            height = self._text_height(metrics, inner, self._sentence)
            text_rect = QRect(margin, y, inner, height)
            y += height

        grid_rect, cell, gap = QRectF(), 0.0, 0.0
        legend: list[tuple[QRectF, QRect, _Legend]] = []
        if self.icon_count():
            cell = self._cell_for_width(inner)
            gap = cell / 2
            rows = self.rows()
            y += spacing
            grid_rect = QRectF(
                margin, y, self._grid_width(cell), rows * cell + self._gap_count(rows) * gap
            )
            y = math.ceil(grid_rect.bottom()) + spacing
            y = self._layout_legend(legend, margin, y, inner)
        height = y + margin
        return _Layout(label_rect, text_rect, grid_rect, cell, gap, tuple(legend), height)

    def _layout_legend(
        self, out: list[tuple[QRectF, QRect, _Legend]], left: int, top: int, inner: int
    ) -> int:
        metrics = self.fontMetrics()
        icon = float(metrics.height())
        spacing = self._spacing()
        widths = [
            int(icon) + spacing + metrics.horizontalAdvance(item.text) + 1 for item in self._legend
        ]
        gap = 2 * spacing
        if sum(widths) + gap * (len(widths) - 1) <= inner:  # one row
            x = left
            for item, item_width in zip(self._legend, widths, strict=True):
                text_left = x + int(icon) + spacing
                text_rect = QRect(
                    text_left, top, item_width - int(icon) - spacing, metrics.height()
                )
                out.append((QRectF(x, top, icon, icon), text_rect, item))
                x += item_width + gap
            return top + metrics.height()
        y = top
        text_width = max(1, inner - int(icon) - spacing)
        for index, item in enumerate(self._legend):
            if index:
                y += spacing // 2
            text_height = self._text_height(metrics, text_width, item.text)
            text_rect = QRect(left + int(icon) + spacing, y, text_width, text_height)
            out.append((QRectF(left, y, icon, icon), text_rect, item))
            y += max(int(icon), text_height)
        return y

    def _cell_rect(self, layout: _Layout, index: int) -> QRectF:
        columns = self.columns()
        row, column = divmod(index, columns)
        x = layout.grid_rect.left() + column * layout.cell + (column // 10) * layout.gap
        y = layout.grid_rect.top() + row * layout.cell + (row // 10) * layout.gap
        return QRectF(x, y, layout.cell, layout.cell)

    def _mirrored(self, rect: QRectF) -> QRectF:
        if self.layoutDirection() != Qt.LayoutDirection.RightToLeft:
            return rect
        return QRectF(self.width() - rect.right(), rect.top(), rect.width(), rect.height())

    def _mirrored_rect(self, rect: QRect) -> QRect:
        return QStyle.visualRect(self.layoutDirection(), self.rect(), rect)

    # ------------------------------------------------------------- size hints

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._compute_layout(width).height

    def sizeHint(self) -> QSize:
        margin = self._margin()
        metrics = self.fontMetrics()
        width = math.ceil(self._grid_width(self._preferred_cell())) if self.icon_count() else 0
        width = max(width, metrics.averageCharWidth() * 30) + 2 * margin
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        margin = self._margin()
        width = math.ceil(self._grid_width(MIN_CELL)) if self.icon_count() else 0
        width = max(width, self.fontMetrics().averageCharWidth() * 10) + 2 * margin
        return QSize(width, self.heightForWidth(width))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (
            QEvent.Type.FontChange,
            QEvent.Type.LayoutDirectionChange,
            QEvent.Type.StyleChange,
        ):
            self.updateGeometry()
            self.update()
        elif event.type() == QEvent.Type.PaletteChange:
            self.update()
        super().changeEvent(event)

    # ----------------------------------------------------------------- painting

    def paintEvent(self, event: QPaintEvent) -> None:
        layout = self._compute_layout(self.width())
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            palette = self.palette()
            text_colour = palette.color(QPalette.ColorRole.WindowText)
            fill_colour = palette.color(QPalette.ColorRole.Highlight)
            painter.setPen(text_colour)
            wrap = int(
                QStyle.visualAlignment(self.layoutDirection(), Qt.AlignmentFlag.AlignLeft)
                | Qt.AlignmentFlag.AlignTop
                | Qt.TextFlag.TextWordWrap
            )
            if self._label:
                painter.setFont(self._bold_font())
                painter.drawText(self._mirrored_rect(layout.label_rect), wrap, self._label)
                painter.setFont(self.font())
            if self._sentence:
                painter.drawText(self._mirrored_rect(layout.text_rect), wrap, self._sentence)
            # The legend shows the same shape as the array.
            person = layout.cell >= PERSON_MIN_CELL
            for index in range(self.icon_count()):
                rect = self._mirrored(self._cell_rect(layout, index))
                fill = self.fill_fraction(index)
                _draw_icon(painter, rect, fill, text_colour, fill_colour, person)
            for icon_rect, text_rect, item in layout.legend:
                rect = self._mirrored(icon_rect)
                _draw_icon(painter, rect, item.fill, text_colour, fill_colour, person)
                painter.setPen(text_colour)
                painter.drawText(self._mirrored_rect(text_rect), wrap, item.text)
            if self.hasFocus():
                pen = QPen(fill_colour, FOCUS_FRAME)
                pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                half = FOCUS_FRAME / 2
                painter.drawRect(QRectF(self.rect()).adjusted(half, half, -half, -half))
        finally:
            painter.end()


def _icon_path(rect: QRectF, person: bool) -> QPainterPath:
    """A person (head and rounded body) in a cell, or a circle in a small one."""
    inset = rect.width() * 0.1
    box = rect.adjusted(inset, inset, -inset, -inset)
    path = QPainterPath()
    if not person:
        path.addEllipse(box)
        return path
    width, height = box.width(), box.height()
    head_radius = height * 0.19
    centre_x = box.center().x()
    path.addEllipse(QPointF(centre_x, box.top() + head_radius), head_radius, head_radius)
    body_top = box.top() + 2 * head_radius + height * 0.06
    body = QRectF(centre_x - width * 0.34, body_top, width * 0.68, box.bottom() - body_top)
    radius = body.width() * 0.4
    body_path = QPainterPath()
    body_path.addRoundedRect(body, radius, radius)
    # Square off the feet so the body reads as shoulders and a trunk.
    feet = QPainterPath()
    feet.addRect(QRectF(body.left(), body.bottom() - radius, body.width(), radius))
    path.addPath(body_path.united(feet))
    return path


def _draw_icon(
    painter: QPainter,
    rect: QRectF,
    fill: float,
    outline: QColor,
    colour: QColor,
    person: bool,
) -> None:
    if rect.isEmpty():
        return
    path = _icon_path(rect, person)
    pen_width = max(1.0, rect.width() / 16)
    painter.save()
    if fill > 0:
        if fill >= 1:
            painter.fillPath(path, colour)
        else:  # the partial icon fills from the bottom up
            level = QRectF(
                rect.left(),
                rect.bottom() - rect.height() * fill,
                rect.width(),
                rect.height() * fill,
            )
            clip = QPainterPath()
            clip.addRect(level)
            painter.fillPath(path.intersected(clip), colour)
    pen = QPen(outline, pen_width)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)
    painter.restore()
