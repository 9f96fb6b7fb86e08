"""The icon array: counted from the pixels it paints, in both directions and sizes.

Run this file as a script for a demo window (``python tests/ui/test_icon_array.py``),
or ``python tests/ui/test_icon_array.py --save /tmp/icon_array.png`` to save grabs
in left-to-right and right-to-left at 100 % and 200 % text size.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPalette
from PySide6.QtWidgets import QApplication, QHBoxLayout, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from sdm_app import i18n
from sdm_app.core.decision_aid import OutcomeFigure
from sdm_app.ui.icon_array import IconArray, IconState

# ----------------------------------------------------------------- helpers


def _close(a: QColor, b: QColor, tolerance: int = 24) -> bool:
    return (
        abs(a.red() - b.red()) <= tolerance
        and abs(a.green() - b.green()) <= tolerance
        and abs(a.blue() - b.blue()) <= tolerance
    )


def _sample_point(rect: QRectF, height_fraction: float = 0.65) -> tuple[int, int]:
    """A point inside the icon's body (and inside the circle drawn in small cells)."""
    return int(rect.center().x()), int(rect.top() + rect.height() * height_fraction)


def _kind_at(image: QImage, widget: IconArray, x: int, y: int) -> str:
    colour = image.pixelColor(x, y)
    if _close(colour, widget.palette().color(QPalette.ColorRole.Highlight)):
        return "filled"
    if _close(colour, widget.palette().color(QPalette.ColorRole.Window)):
        return "outlined"
    return f"other {colour.name()}"


def classify(widget: IconArray) -> list[str]:
    """'filled' or 'outlined' for every icon, read from the painted pixels."""
    image = widget.grab().toImage()
    return [
        _kind_at(image, widget, *_sample_point(widget.icon_rect(i)))
        for i in range(widget.icon_count())
    ]


def highlight_pixels(widget: IconArray) -> int:
    image = widget.grab().toImage()
    highlight = widget.palette().color(QPalette.ColorRole.Highlight)
    return sum(
        1
        for y in range(image.height())
        for x in range(image.width())
        if _close(image.pixelColor(x, y), highlight, 8)
    )


@pytest.fixture
def array(qtbot: QtBot) -> Iterator[IconArray]:
    widget = IconArray()
    qtbot.addWidget(widget)
    yield widget


def _fit(widget: IconArray, width: int | None = None) -> None:
    width = width or widget.sizeHint().width()
    widget.resize(width, widget.heightForWidth(width))


def _scaled_font(widget: QWidget, factor: float) -> QFont:
    font = QFont(widget.font())
    font.setPointSizeF(font.pointSizeF() * factor)
    return font


# ------------------------------------------------------------------- counting


@pytest.mark.parametrize(
    ("numerator", "denominator", "columns", "rows"),
    [(54, 100, 10, 10), (3, 10, 10, 1), (0, 100, 10, 10), (100, 100, 10, 10), (2, 7, 7, 1)],
)
def test_counts_filled_and_outlined_icons_from_the_pixels(
    array: IconArray, numerator: int, denominator: int, columns: int, rows: int
) -> None:
    array.set_figure(numerator, denominator, "3 years")
    _fit(array)
    assert (array.columns(), array.rows()) == (columns, rows)
    kinds = classify(array)
    assert kinds.count("filled") == numerator
    assert kinds.count("outlined") == denominator - numerator
    # Filled first, in reading order.
    assert kinds == ["filled"] * numerator + ["outlined"] * (denominator - numerator)


def test_rows_of_ten_fill_left_to_right_then_down(array: IconArray) -> None:
    array.set_figure(54, 100, "3 years")
    _fit(array)
    first, tenth, eleventh = (array.icon_rect(i) for i in (0, 9, 10))
    assert first.top() == tenth.top() < eleventh.top()
    assert first.left() < tenth.left()
    assert eleventh.left() == first.left()


def test_filled_area_is_proportional_to_the_numerator(array: IconArray) -> None:
    """Counted without the widget's own geometry: all highlight pixels in the grab."""
    array.set_figure(0, 100, "3 years")
    _fit(array)
    legend_only = highlight_pixels(array)  # the legend's filled icon
    array.set_figure(1, 100, "3 years")
    one = highlight_pixels(array) - legend_only
    array.set_figure(54, 100, "3 years")
    fifty_four = highlight_pixels(array) - legend_only
    assert one > 20
    assert fifty_four == pytest.approx(54 * one, rel=0.02)


def test_a_fractional_numerator_draws_a_partly_filled_icon(array: IconArray) -> None:
    array.set_figure(5.5, 100, "3 years")
    _fit(array)
    kinds = classify(array)
    image = array.grab().toImage()
    partial = array.icon_rect(5)
    low = _kind_at(image, array, *_sample_point(partial, 0.75))
    high = _kind_at(image, array, *_sample_point(partial, 0.3))
    assert kinds[:5] == ["filled"] * 5
    assert (low, high) == ("filled", "outlined")
    assert kinds[6:] == ["outlined"] * 94
    assert array.fill_fraction(5) == pytest.approx(0.5)
    assert "5.5 out of 100 people" in array.text()


def test_a_thousand_people_in_rows_of_fifty_fit_a_narrow_width(array: IconArray) -> None:
    array.set_figure(250, 1000, "by age 80")
    assert (array.columns(), array.rows()) == (50, 20)
    _fit(array, 420)
    inside = QRectF(array.rect())
    assert all(inside.contains(array.icon_rect(i)) for i in range(1000))
    kinds = classify(array)
    assert kinds.count("filled") == 250
    assert kinds.count("outlined") == 750
    assert "1,000" in array.text()


@pytest.mark.parametrize("width", [600, 200, 120, 80, 40])
def test_icons_shrink_to_the_width_and_never_clip(array: IconArray, width: int) -> None:
    array.set_figure(54, 100, "3 years")
    _fit(array, width)
    inside = QRectF(array.rect())
    rects = [array.icon_rect(i) for i in range(100)]
    assert all(inside.contains(rect) for rect in rects)
    assert rects[0].width() <= array.sizeHint().width() / 10


# ----------------------------------------------------------- right to left


def test_right_to_left_fills_from_the_right(array: IconArray) -> None:
    array.set_figure(3, 10, "3 years")
    _fit(array, 400)
    ltr = [array.icon_rect(i) for i in range(10)]
    ltr_kinds = classify(array)
    array.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    rtl = [array.icon_rect(i) for i in range(10)]
    assert classify(array) == ltr_kinds == ["filled"] * 3 + ["outlined"] * 7
    for left_to_right, right_to_left in zip(ltr, rtl, strict=True):
        assert right_to_left.left() == pytest.approx(array.width() - left_to_right.right())
    # Read from the pixels alone: the rightmost icon is filled, the leftmost is not.
    image = array.grab().toImage()
    leftmost = min(rtl, key=lambda rect: rect.left())
    rightmost = max(rtl, key=lambda rect: rect.left())
    assert _kind_at(image, array, *_sample_point(rightmost)) == "filled"
    assert _kind_at(image, array, *_sample_point(leftmost)) == "outlined"
    assert rightmost.right() > array.width() * 0.8


# ------------------------------------------------------------ accessibility


def test_text_equivalent_is_the_accessible_name_and_description(array: IconArray) -> None:
    array.set_figure(54, 100, "3 years")
    assert array.text() == "54 out of 100 people, 3 years"
    assert array.accessibleName() == array.text()
    assert "54 out of 100 people" in array.accessibleDescription()
    assert "Filled-in icons" in array.accessibleDescription()
    array.set_figure(54, 100, "3 years", "People alive after 3 years")
    assert array.text() == "People alive after 3 years: 54 out of 100 people, 3 years"
    assert array.accessibleName() == array.text()


def test_singular_and_time_frame_optional(array: IconArray) -> None:
    array.set_figure(1, 1, "")
    assert array.text() == "1 out of 1 person"


def test_outcome_figure_with_no_figure_gives_its_reason(array: IconArray) -> None:
    figure = OutcomeFigure("wait", None, 100, "3 years", None, None, "No trial compared them.")
    array.set_outcome_figure(figure, "People alive")
    assert array.state() == IconState.NO_FIGURE
    assert "No trial compared them." in array.text()
    assert array.icon_count() == 0


def test_is_focusable_and_shows_a_focus_rectangle(array: IconArray, qtbot: QtBot) -> None:
    assert array.focusPolicy() == Qt.FocusPolicy.StrongFocus
    array.set_figure(54, 100, "3 years")
    _fit(array)
    array.show()
    qtbot.waitExposed(array)
    highlight = array.palette().color(QPalette.ColorRole.Highlight)
    assert not _close(array.grab().toImage().pixelColor(0, array.height() // 2), highlight)
    array.activateWindow()
    array.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(array.hasFocus)
    image = array.grab().toImage()
    assert _close(image.pixelColor(0, array.height() // 2), highlight)
    assert _close(image.pixelColor(array.width() // 2, array.height() - 1), highlight)


def test_high_contrast_palette_is_used(array: IconArray) -> None:
    palette = QPalette(array.palette())
    palette.setColor(QPalette.ColorRole.Window, QColor("#000000"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#ffff00"))
    array.setPalette(palette)
    array.set_figure(3, 10, "3 years")
    _fit(array)
    assert classify(array) == ["filled"] * 3 + ["outlined"] * 7


# ------------------------------------------------------------------- sizes


def test_height_for_width_grows_as_the_width_shrinks(array: IconArray) -> None:
    array.set_figure(54, 100, "3 years", "People alive after 3 years with this treatment")
    grid = array.sizeHint().width()
    # While the icons keep their full size, narrower means more lines of text.
    heights = [array.heightForWidth(w) for w in (3 * grid, 2 * grid, grid)]
    assert heights == sorted(heights)
    assert heights[-1] > heights[0]


def test_height_grows_with_a_larger_font(array: IconArray) -> None:
    array.set_figure(54, 100, "3 years", "People alive after 3 years")
    width = 500
    normal = array.heightForWidth(width)
    normal_hint = array.sizeHint()
    array.setFont(_scaled_font(array, 2.0))
    assert array.heightForWidth(width) > normal
    assert array.sizeHint().width() > normal_hint.width()
    assert array.sizeHint().height() > normal_hint.height()
    _fit(array, width)
    assert classify(array).count("filled") == 54


def test_size_hint_follows_the_font(array: IconArray) -> None:
    array.set_figure(3, 10, "")
    small = array.sizeHint()
    array.setFont(_scaled_font(array, 1.5))
    assert array.sizeHint().width() > small.width()
    assert array.hasHeightForWidth()
    assert array.sizePolicy().hasHeightForWidth()


# ----------------------------------------------------------- other states


def test_no_figure_shows_text_and_no_icons(array: IconArray) -> None:
    array.set_figure(None, 100, "3 years", "People alive")
    _fit(array)
    assert array.state() == IconState.NO_FIGURE
    assert array.icon_count() == 0
    assert array.icon_rect(0).isEmpty()
    assert "No figure is available" in array.text()
    assert array.accessibleName() == array.text()
    assert highlight_pixels(array) == 0


@pytest.mark.parametrize(
    ("numerator", "denominator", "words"),
    [
        (101, 100, "larger than the total"),
        (-1, 100, "below zero"),
        (5, 0, "between 1 and 1,000"),
        (5, 1001, "between 1 and 1,000"),
        (5, -10, "between 1 and 1,000"),
        (math.nan, 100, "not a number"),
        (math.inf, 100, "not a number"),
        (5, 10.5, "whole number"),
    ],
)
def test_invalid_figures_give_a_clear_state(
    array: IconArray, numerator: float, denominator: int, words: str
) -> None:
    array.set_figure(numerator, denominator, "3 years")
    _fit(array)
    array.grab()  # painting must not warn (qt_log_level_fail) or raise
    assert array.state() == IconState.INVALID
    assert array.icon_count() == 0
    assert "cannot be shown" in array.text()
    assert words in array.text()
    assert array.accessibleName() == array.text()
    assert highlight_pixels(array) == 0


def test_empty_widget_paints_and_sizes(array: IconArray) -> None:
    assert array.state() == IconState.EMPTY
    assert array.text() == ""
    _fit(array)
    array.grab()
    assert array.minimumSizeHint().isValid()


def test_a_figure_after_an_invalid_one_draws_again(array: IconArray) -> None:
    array.set_figure(7, 0, "")
    array.set_figure(7, 10, "")
    _fit(array)
    assert classify(array).count("filled") == 7


def test_retranslate_ui_rebuilds_numbers_in_the_new_language(array: IconArray) -> None:
    array.set_figure(5.5, 1000, "3 años")
    assert "5.5" in array.text()
    assert i18n.set_language("es") == "es"
    array.retranslate_ui()
    assert "5,5" in array.text()
    assert "1000" in array.text() or "1.000" in array.text()
    assert array.accessibleName() == array.text()


def test_inside_a_layout_gets_its_height_for_width(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    array = IconArray()
    array.set_figure(54, 100, "3 years", "People alive")
    layout.addWidget(array)
    layout.addStretch(1)
    window.resize(260, 900)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: array.height() >= array.heightForWidth(array.width()))
    inside = QRectF(array.rect())
    assert all(inside.contains(array.icon_rect(i)) for i in range(100))


# -------------------------------------------------------------------- demo


def demo_window(rtl: bool = False, scale: float = 1.0) -> QWidget:
    """A few icon arrays side by side, as a decision aid would show them."""
    window = QWidget()
    window.setWindowTitle("Icon array demo")
    if rtl:
        window.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    if scale != 1.0:
        window.setFont(_scaled_font(window, scale))
    rows = QVBoxLayout(window)
    top = QHBoxLayout()
    bottom = QHBoxLayout()
    rows.addLayout(top)
    rows.addLayout(bottom)
    figures: list[tuple[QHBoxLayout, float | None, int, str, str]] = [
        (top, 54, 100, "3 years", "People alive after 3 years"),
        (top, 5.5, 100, "3 years", "Serious side effects"),
        (top, None, 100, "3 years", "Without treatment"),
        (bottom, 3, 10, "by age 80", "Out of 10"),
        (bottom, 250, 1000, "by age 80", "Out of 1,000"),
        (bottom, 120, 100, "3 years", "Invalid figure"),
    ]
    for layout, numerator, denominator, time_frame, label in figures:
        array = IconArray(window)
        array.set_figure(numerator, denominator, time_frame, label)
        layout.addWidget(array, 0, Qt.AlignmentFlag.AlignTop)
    return window


def main(argv: list[str]) -> int:
    app = QApplication.instance() or QApplication(argv)
    assert isinstance(app, QApplication)
    from sdm_app.ui.theme import load_bundled_fonts

    load_bundled_fonts(app)
    if "--save" not in argv:
        window = demo_window("--rtl" in argv)
        window.show()
        return app.exec()
    target = Path(argv[argv.index("--save") + 1])
    for rtl in (False, True):
        for scale in (1.0, 2.0):
            window = demo_window(rtl, scale)
            window.resize(window.sizeHint())
            window.show()
            app.processEvents()
            name = f"{target.stem}-{'rtl' if rtl else 'ltr'}-{int(scale * 100)}{target.suffix}"
            window.grab().save(str(target.with_name(name)))
            print(target.with_name(name))
            window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
