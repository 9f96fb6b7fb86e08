"""The app's widget style: Fusion, with every control's edge, indicator and focus
drawn in colours that meet WCAG 2.2 (SC 1.4.11: 3:1 against what is next to them).

Fusion draws frames and check boxes in shades of the window colour: light grey on
white (about 1.5:1) in the normal theme and black on black in high contrast. Here
those parts are drawn from three palette roles, so both themes (and a widget with a
palette of its own) get visible edges:

- ``Dark``: the edge of every control (text boxes, lists, buttons, boxes to tick,
  slider tracks, scroll bar handles);
- ``Highlight``: a chosen box or circle, the filled part of a slider, and the focus
  ring (2 px) of the control that has the keyboard;
- ``Base`` / ``Text``: the inside of a box and its mark.

A chosen box differs from an empty one by its tick, a chosen circle by its dot, and
the focused control by the width of its ring: never by colour alone.

Sizes stay Fusion's, with two exceptions: a slider's handle grows with the text, and
views that take the keyboard get a 2 px frame so their focus ring is as wide as the
others'. Pixel metrics and size hints are not overridden: Qt asks for them thousands
of times per layout, and each answer from Python would slow every page (check boxes
therefore keep Fusion's size at every text size).
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QObject, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QFrame,
    QProxyStyle,
    QSlider,
    QStyle,
    QStyleFactory,
    QStyleOption,
    QStyleOptionComplex,
    QStyleOptionFocusRect,
    QStyleOptionMenuItem,
    QStyleOptionSlider,
    QStyleOptionViewItem,
    QWidget,
)

TICK_LENGTH = 4  # pixels
FOCUS_WIDTH = 2  # pixels; the focus ring is also twice as wide as an edge
EDGE_ROLE = QPalette.ColorRole.Dark
FOCUS_ROLE = QPalette.ColorRole.Highlight
_WIDE_FRAME = "sdmWideFrame"  # a property of the views whose frame is drawn here

_PE = QStyle.PrimitiveElement
_CE = QStyle.ControlElement
_CC = QStyle.ComplexControl
_SC = QStyle.SubControl
_STATE = QStyle.StateFlag


def _group(option: QStyleOption) -> QPalette.ColorGroup:
    if not option.state & _STATE.State_Enabled:
        return QPalette.ColorGroup.Disabled
    if option.state & _STATE.State_Active:
        return QPalette.ColorGroup.Active
    return QPalette.ColorGroup.Inactive


def _colour(option: QStyleOption, role: QPalette.ColorRole) -> QColor:
    return option.palette.color(_group(option), role)


def _focused(option: QStyleOption) -> bool:
    state = option.state
    return bool(state & _STATE.State_HasFocus and state & _STATE.State_Enabled)


def _stroke(
    painter: QPainter, rect: QRectF, colour: QColor, width: float, radius: float = 0.0
) -> None:
    """A rectangle's outline drawn inside ``rect``."""
    half = width / 2
    inner = rect.adjusted(half, half, -half, -half)
    if inner.width() <= 0 or inner.height() <= 0:
        return
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, radius > 0)
    pen = QPen(colour, width)
    pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if radius > 0:
        painter.drawRoundedRect(inner, radius, radius)
    else:
        painter.drawRect(inner)
    painter.restore()


def _edge_or_focus(
    painter: QPainter, option: QStyleOption, rect: QRect, radius: float = 0.0
) -> None:
    """The edge of a control, or its focus ring when it has the keyboard."""
    if _focused(option):
        _stroke(painter, QRectF(rect), _colour(option, FOCUS_ROLE), FOCUS_WIDTH, radius)
    else:
        _stroke(painter, QRectF(rect), _colour(option, EDGE_ROLE), 1, radius)


def _square(rect: QRect) -> QRectF:
    side = min(rect.width(), rect.height())
    centre = QRectF(rect).center()
    return QRectF(centre.x() - side / 2, centre.y() - side / 2, side, side)


class AccessibleStyle(QProxyStyle):
    """Fusion with edges, indicators and focus rings that can be seen."""

    def __init__(self) -> None:
        super().__init__(QStyleFactory.create("Fusion"))
        self.setObjectName("accessibleStyle")

    # ---------------------------------------------------------------- primitives

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if element == _PE.PE_FrameLineEdit:
            _edge_or_focus(painter, option, option.rect, 2.0)
        elif element == _PE.PE_Frame:
            _edge_or_focus(painter, option, option.rect)
        elif element == _PE.PE_FrameGroupBox:
            _stroke(painter, QRectF(option.rect), _colour(option, EDGE_ROLE), 1, 2.0)
        elif element in (_PE.PE_FrameMenu, _PE.PE_PanelMenu, _PE.PE_PanelTipLabel):
            # Menus and tooltips open over the window: an edge keeps them apart (their
            # option has no state, so the enabled colour is taken).
            super().drawPrimitive(element, option, painter, widget)
            edge = option.palette.color(QPalette.ColorGroup.Active, EDGE_ROLE)
            _stroke(painter, QRectF(option.rect), edge, 1)
        elif element == _PE.PE_FrameFocusRect:
            self._focus_rect(option, painter)
        elif element == _PE.PE_PanelButtonCommand:
            super().drawPrimitive(element, option, painter, widget)
            _edge_or_focus(painter, option, option.rect, 2.0)
        elif element in (_PE.PE_IndicatorCheckBox, _PE.PE_IndicatorItemViewItemCheck):
            selected = isinstance(option, QStyleOptionViewItem) and bool(
                option.state & _STATE.State_Selected
            )
            self._check_box(option, painter, on_highlight=selected)
        elif element == _PE.PE_IndicatorRadioButton:
            self._radio_button(option, painter)
        else:
            super().drawPrimitive(element, option, painter, widget)

    def _focus_rect(self, option: QStyleOption, painter: QPainter) -> None:
        colour = _colour(option, FOCUS_ROLE)
        if isinstance(option, QStyleOptionFocusRect):
            # On a selected item (drawn in the focus colour), the ring takes the
            # colour of the item's text.
            background = option.backgroundColor
            if background.isValid() and background.rgb() == colour.rgb():
                colour = _colour(option, QPalette.ColorRole.HighlightedText)
        _stroke(painter, QRectF(option.rect), colour, FOCUS_WIDTH)

    def _check_box(self, option: QStyleOption, painter: QPainter, *, on_highlight: bool) -> None:
        box = _square(option.rect).adjusted(0.5, 0.5, -0.5, -0.5)
        if box.width() <= 2:
            return
        state = option.state
        chosen = bool(state & (_STATE.State_On | _STATE.State_NoChange))
        pen_width = max(1.5, box.width() / 9)
        if on_highlight or not chosen:
            fill = _colour(option, QPalette.ColorRole.Base)
            edge = _colour(
                option, QPalette.ColorRole.HighlightedText if on_highlight else EDGE_ROLE
            )
            mark = _colour(option, QPalette.ColorRole.Text)
        else:
            fill = edge = _colour(option, QPalette.ColorRole.Highlight)
            mark = _colour(option, QPalette.ColorRole.HighlightedText)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        inner = box.adjusted(pen_width / 2, pen_width / 2, -pen_width / 2, -pen_width / 2)
        painter.setPen(QPen(edge, pen_width))
        painter.setBrush(fill)
        painter.drawRoundedRect(inner, 2.0, 2.0)
        if chosen:
            pen = QPen(mark, max(2.0, box.width() / 7))
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            x, y, side = box.left(), box.top(), box.width()
            if state & _STATE.State_NoChange:  # partly chosen: a dash
                painter.drawLine(
                    QPointF(x + side * 0.28, y + side / 2), QPointF(x + side * 0.72, y + side / 2)
                )
            else:
                tick = QPainterPath(QPointF(x + side * 0.25, y + side * 0.52))
                tick.lineTo(QPointF(x + side * 0.43, y + side * 0.70))
                tick.lineTo(QPointF(x + side * 0.76, y + side * 0.31))
                painter.drawPath(tick)
        painter.restore()

    def _radio_button(self, option: QStyleOption, painter: QPainter) -> None:
        circle = _square(option.rect).adjusted(0.5, 0.5, -0.5, -0.5)
        if circle.width() <= 2:
            return
        chosen = bool(option.state & _STATE.State_On)
        pen_width = max(1.5, circle.width() / 9)
        edge = _colour(option, FOCUS_ROLE if chosen else EDGE_ROLE)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        half = pen_width / 2
        painter.setPen(QPen(edge, pen_width))
        painter.setBrush(_colour(option, QPalette.ColorRole.Base))
        painter.drawEllipse(circle.adjusted(half, half, -half, -half))
        if chosen:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(_colour(option, QPalette.ColorRole.Highlight))
            radius = circle.width() * 0.26
            painter.drawEllipse(circle.center(), radius, radius)
        painter.restore()

    # ------------------------------------------------------------------ controls

    def drawControl(
        self,
        element: QStyle.ControlElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if element == _CE.CE_Splitter:
            self._splitter(option, painter)
            return
        if element == _CE.CE_ShapedFrame and widget is not None and widget.property(_WIDE_FRAME):
            # An edge with a line of the view's own colour inside it; the focus ring
            # takes both lines.
            if _focused(option):
                _stroke(painter, QRectF(option.rect), _colour(option, FOCUS_ROLE), FOCUS_WIDTH)
            else:
                inner = QRectF(option.rect).adjusted(1, 1, -1, -1)
                role = (
                    widget.viewport().backgroundRole()
                    if isinstance(widget, QAbstractScrollArea)
                    else QPalette.ColorRole.Base
                )
                _stroke(painter, inner, _colour(option, role), 1)
                _stroke(painter, QRectF(option.rect), _colour(option, EDGE_ROLE), 1)
            return
        super().drawControl(element, option, painter, widget)
        if (
            element == _CE.CE_MenuItem
            and isinstance(option, QStyleOptionMenuItem)
            and option.menuItemType == QStyleOptionMenuItem.MenuItemType.Separator
        ):
            rect = option.rect
            y = rect.center().y()
            painter.save()
            painter.setPen(QPen(_colour(option, EDGE_ROLE), 1))
            painter.drawLine(rect.left() + 4, y, rect.right() - 4, y)
            painter.restore()
        elif element == _CE.CE_HeaderSection:
            rect = option.rect
            edge = _colour(option, EDGE_ROLE)
            painter.save()
            painter.setPen(QPen(edge, 1))
            painter.drawLine(rect.bottomLeft(), rect.bottomRight())
            trailing = (
                rect.topLeft()
                if option.direction == Qt.LayoutDirection.RightToLeft
                else rect.topRight()
            )
            painter.drawLine(trailing, QPointF(trailing.x(), rect.bottom()).toPoint())
            painter.restore()
        elif element == _CE.CE_TabBarTabShape:
            selected = bool(option.state & _STATE.State_Selected)
            _stroke(painter, QRectF(option.rect), _colour(option, EDGE_ROLE), 1)
            if selected:  # a bar along the tab's lower edge: not colour alone
                bar = QRectF(option.rect)
                bar.setTop(bar.bottom() - 2 * FOCUS_WIDTH)
                painter.fillRect(bar, _colour(option, FOCUS_ROLE))

    def _splitter(self, option: QStyleOption, painter: QPainter) -> None:
        """A grip of three dots across the middle of the handle."""
        rect = QRectF(option.rect)
        horizontal = bool(option.state & _STATE.State_Horizontal)
        across = rect.width() if horizontal else rect.height()
        radius = max(1.5, min(across / 2 - 0.5, 2.5))
        step = radius * 3.5
        centre = rect.center()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(_colour(option, EDGE_ROLE))
        for offset in (-step, 0.0, step):
            point = (
                QPointF(centre.x(), centre.y() + offset)
                if horizontal
                else QPointF(centre.x() + offset, centre.y())
            )
            painter.drawEllipse(point, radius, radius)
        painter.restore()

    # ----------------------------------------------------------- complex controls

    def drawComplexControl(
        self,
        control: QStyle.ComplexControl,
        option: QStyleOptionComplex,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if control == _CC.CC_Slider and isinstance(option, QStyleOptionSlider):
            self._slider(option, painter, widget)
            return
        super().drawComplexControl(control, option, painter, widget)
        if control == _CC.CC_SpinBox and not _focused(option):
            # Fusion's own light outline inside the edge becomes the field's colour, so
            # the focus ring changes both lines.
            inner = QRectF(option.rect).adjusted(1, 1, -1, -1)
            _stroke(painter, inner, _colour(option, QPalette.ColorRole.Base), 1, 2.0)
        if control in (_CC.CC_ComboBox, _CC.CC_SpinBox):
            _edge_or_focus(painter, option, option.rect, 2.0)
        elif control == _CC.CC_ScrollBar and isinstance(option, QStyleOptionSlider):
            self._scroll_bar_handle(option, painter, widget)

    def _scroll_bar_handle(
        self, option: QStyleOptionSlider, painter: QPainter, widget: QWidget | None
    ) -> None:
        """The handle drawn solid in the edge colour (Fusion's is as light as its track)."""
        handle = self.subControlRect(_CC.CC_ScrollBar, option, _SC.SC_ScrollBarSlider, widget)
        if not handle.isValid() or option.minimum == option.maximum:
            return
        rect = QRectF(handle).adjusted(2, 2, -2, -2)
        if rect.width() <= 0 or rect.height() <= 0:
            return
        pressed = bool(option.activeSubControls & _SC.SC_ScrollBarSlider) and bool(
            option.state & _STATE.State_Sunken
        )
        colour = _colour(option, QPalette.ColorRole.WindowText if pressed else EDGE_ROLE)
        radius = min(rect.width(), rect.height()) / 2
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(rect, radius, radius)
        painter.restore()

    def _slider(
        self, option: QStyleOptionSlider, painter: QPainter, widget: QWidget | None
    ) -> None:
        """A track with its filled part, tick marks, and a round handle."""
        groove = QRectF(self.subControlRect(_CC.CC_Slider, option, _SC.SC_SliderGroove, widget))
        handle = QRectF(self.subControlRect(_CC.CC_Slider, option, _SC.SC_SliderHandle, widget))
        horizontal = option.orientation == Qt.Orientation.Horizontal
        edge = _colour(option, EDGE_ROLE)
        accent = _colour(option, FOCUS_ROLE)
        centre = handle.center()
        diameter = min(handle.width(), handle.height())
        thickness = max(4.0, round(diameter / 4))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        if option.subControls & _SC.SC_SliderGroove:
            # upsideDown already holds the layout direction: the minimum is on the right.
            if horizontal:
                track = QRectF(
                    groove.left() + diameter / 2,
                    centre.y() - thickness / 2,
                    groove.width() - diameter,
                    thickness,
                )
                filled = QRectF(track)
                if option.upsideDown:
                    filled.setLeft(centre.x())
                else:
                    filled.setRight(centre.x())
            else:
                track = QRectF(
                    centre.x() - thickness / 2,
                    groove.top() + diameter / 2,
                    thickness,
                    groove.height() - diameter,
                )
                filled = QRectF(track)
                if option.upsideDown:  # the minimum at the bottom
                    filled.setTop(centre.y())
                else:
                    filled.setBottom(centre.y())
            painter.setBrush(edge)
            painter.drawRoundedRect(track, thickness / 2, thickness / 2)
            painter.setBrush(accent)
            painter.drawRoundedRect(filled, thickness / 2, thickness / 2)
        if (
            option.subControls & _SC.SC_SliderTickmarks
            and option.tickPosition != QSlider.TickPosition.NoTicks
        ):
            self._ticks(option, painter, diameter, edge, horizontal)
        if option.subControls & _SC.SC_SliderHandle:
            outer = QRectF(centre.x() - diameter / 2, centre.y() - diameter / 2, diameter, diameter)
            circle = outer.adjusted(FOCUS_WIDTH, FOCUS_WIDTH, -FOCUS_WIDTH, -FOCUS_WIDTH)
            # The track stops short of the handle: the focus ring shows on the page's
            # colour, not on the track's.
            background = (
                widget.backgroundRole() if widget is not None else QPalette.ColorRole.Window
            )
            painter.setBrush(_colour(option, background))
            painter.drawEllipse(outer)
            # Filled, with a ring of the background colour inside an edge: it shows on
            # the track and on the page.
            painter.setPen(QPen(_colour(option, QPalette.ColorRole.Base), 2))
            painter.setBrush(accent)
            painter.drawEllipse(circle.adjusted(1.5, 1.5, -1.5, -1.5))
            painter.setPen(QPen(edge, 1))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(circle.adjusted(0.5, 0.5, -0.5, -0.5))
            if _focused(option):
                half = FOCUS_WIDTH / 2
                ring = circle.adjusted(-FOCUS_WIDTH, -FOCUS_WIDTH, FOCUS_WIDTH, FOCUS_WIDTH)
                painter.setPen(QPen(accent, FOCUS_WIDTH))
                painter.drawEllipse(ring.adjusted(half, half, -half, -half))
        painter.restore()

    def subControlRect(
        self,
        control: QStyle.ComplexControl,
        option: QStyleOptionComplex,
        sub_control: QStyle.SubControl,
        widget: QWidget | None = None,
    ) -> QRect:
        if control == _CC.CC_Slider and isinstance(option, QStyleOptionSlider):
            return _slider_rect(option, sub_control)
        return super().subControlRect(control, option, sub_control, widget)  # type: ignore[arg-type]

    # A slider's handle grows with the text (Fusion's stays 15 px): sliders are made
    # tall enough for it when polished and whenever their font changes.
    # Views and text areas that take the keyboard get a frame two pixels wide (Fusion's
    # is one), so their focus ring is as wide as every other control's.
    def polish(self, target: object) -> None:  # type: ignore[override]
        if isinstance(target, QSlider):
            target.installEventFilter(self)
            _fit_slider(target)
        elif (
            isinstance(target, QAbstractScrollArea)
            and target.frameShape() == QFrame.Shape.StyledPanel
            and target.focusPolicy() != Qt.FocusPolicy.NoFocus
        ):
            target.setProperty(_WIDE_FRAME, True)
            target.setFrameShape(QFrame.Shape.Box)
            target.setLineWidth(FOCUS_WIDTH)
        super().polish(target)  # type: ignore[call-overload]

    def unpolish(self, target: object) -> None:  # type: ignore[override]
        if isinstance(target, QSlider):
            target.removeEventFilter(self)
            target.setMinimumSize(0, 0)
        elif isinstance(target, QAbstractScrollArea) and target.property(_WIDE_FRAME):
            target.setProperty(_WIDE_FRAME, None)
            target.setFrameShape(QFrame.Shape.StyledPanel)
            target.setLineWidth(1)
        super().unpolish(target)  # type: ignore[call-overload]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FontChange and isinstance(watched, QSlider):
            _fit_slider(watched)
        return False

    def _ticks(
        self,
        option: QStyleOptionSlider,
        painter: QPainter,
        span: float,
        colour: QColor,
        horizontal: bool,
    ) -> None:
        interval = option.tickInterval or option.pageStep or 1
        rect = QRectF(option.rect)
        length_along = (rect.width() if horizontal else rect.height()) - span
        if length_along <= 0 or option.maximum <= option.minimum:
            return
        count = (option.maximum - option.minimum) // interval
        if count > 200:
            return
        ticks = option.tickPosition.value
        below = bool(ticks & QSlider.TickPosition.TicksBelow.value)
        above = bool(ticks & QSlider.TickPosition.TicksAbove.value)
        painter.setPen(QPen(colour, 1.5))
        for index in range(count + 1):
            value = option.minimum + index * interval
            along = span / 2 + QStyle.sliderPositionFromValue(
                option.minimum, option.maximum, value, math.floor(length_along), option.upsideDown
            )
            if horizontal:
                x = rect.left() + along
                if below:
                    painter.drawLine(
                        QPointF(x, rect.bottom() - TICK_LENGTH), QPointF(x, rect.bottom())
                    )
                if above:
                    painter.drawLine(QPointF(x, rect.top()), QPointF(x, rect.top() + TICK_LENGTH))
            else:
                y = rect.top() + along
                if below:
                    painter.drawLine(
                        QPointF(rect.right() - TICK_LENGTH, y), QPointF(rect.right(), y)
                    )
                if above:
                    painter.drawLine(QPointF(rect.left(), y), QPointF(rect.left() + TICK_LENGTH, y))


def _handle_side(font_height: int) -> int:
    """A slider handle's diameter, with room for its focus ring."""
    return max(20, round(font_height * 1.4)) + 2 * FOCUS_WIDTH


def _tick_room(option: QStyleOptionSlider) -> tuple[int, int]:
    """Room for tick marks before and after the track (above and below it)."""
    ticks = option.tickPosition.value
    room = TICK_LENGTH + 2
    return (
        room if ticks & QSlider.TickPosition.TicksAbove.value else 0,
        room if ticks & QSlider.TickPosition.TicksBelow.value else 0,
    )


def _slider_rect(option: QStyleOptionSlider, sub_control: QStyle.SubControl) -> QRect:
    rect = option.rect
    horizontal = option.orientation == Qt.Orientation.Horizontal
    before, after = _tick_room(option)
    if horizontal:
        band = QRect(rect.left(), rect.top() + before, rect.width(), rect.height() - before - after)
        across, along = band.height(), band.width()
    else:
        band = QRect(rect.left() + before, rect.top(), rect.width() - before - after, rect.height())
        across, along = band.width(), band.height()
    side = max(1, min(across, along, _handle_side(option.fontMetrics.height())))
    if sub_control == _SC.SC_SliderGroove:
        return band
    if sub_control == _SC.SC_SliderTickmarks:
        return QRect(rect)
    if sub_control != _SC.SC_SliderHandle:
        return QRect()
    position = QStyle.sliderPositionFromValue(
        option.minimum, option.maximum, option.sliderPosition, along - side, option.upsideDown
    )
    if horizontal:
        top = band.top() + (across - side) // 2
        return QRect(band.left() + position, top, side, side)
    left = band.left() + (across - side) // 2
    return QRect(left, band.top() + position, side, side)


def _fit_slider(slider: QSlider) -> None:
    """Tall (or wide) enough for a handle that grows with the text."""
    option = QStyleOptionSlider()
    option.initFrom(slider)
    option.tickPosition = slider.tickPosition()
    before, after = _tick_room(option)
    thickness = _handle_side(slider.fontMetrics().height()) + before + after
    if slider.orientation() == Qt.Orientation.Horizontal:
        slider.setMinimumHeight(thickness)
    else:
        slider.setMinimumWidth(thickness)
