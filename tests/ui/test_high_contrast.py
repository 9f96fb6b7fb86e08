"""High contrast meets WCAG's ratios (text 7:1, control edges and indicators 3:1), and
the controls that Qt draws from the button colour are visible on black."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLineEdit, QRadioButton, QWidget
from pytestqt.qtbot import QtBot

from sdm_app.ui import theme


def _luminance(color: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(color.redF())
        + 0.7152 * channel(color.greenF())
        + 0.0722 * channel(color.blueF())
    )


def contrast(first: QColor, second: QColor) -> float:
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.fixture
def high_contrast(qapp: QApplication) -> Iterator[QApplication]:
    theme.apply_palette(qapp, True)
    yield qapp
    theme.apply_palette(qapp, False)


def test_the_contrast_formula_is_wcags() -> None:
    assert contrast(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)
    assert contrast(QColor("#777777"), QColor("#ffffff")) == pytest.approx(4.48, abs=0.01)


def test_high_contrast_text_is_seven_to_one(high_contrast: QApplication) -> None:
    palette = high_contrast.palette()
    role = QPalette.ColorRole
    pairs = [
        (role.WindowText, role.Window),
        (role.Text, role.Base),
        (role.ButtonText, role.Button),
        (role.ToolTipText, role.ToolTipBase),
        (role.HighlightedText, role.Highlight),
        (role.Link, role.Base),
        (role.PlaceholderText, role.Base),
    ]
    for text, background in pairs:
        ratio = contrast(palette.color(text), palette.color(background))
        assert ratio >= 7, (text, background, ratio)
    disabled = palette.color(QPalette.ColorGroup.Disabled, role.Text)
    assert contrast(disabled, palette.color(role.Base)) >= 4.5


def test_every_edge_and_indicator_colour_is_three_to_one() -> None:
    colours = set(re.findall(r"#[0-9a-fA-F]{6}", theme.HIGH_CONTRAST_CSS))
    assert colours >= {theme.HC_FOREGROUND, theme.HC_ACCENT}
    background = QColor(theme.HC_BACKGROUND)
    for colour in colours - {theme.HC_BACKGROUND}:
        assert contrast(QColor(colour), background) >= 3, colour
    # A chosen indicator differs from an empty one by its fill, not by hue alone.
    assert contrast(QColor(theme.HC_ACCENT), background) >= 3


def test_the_normal_theme_text_is_four_and_a_half_to_one(qapp: QApplication) -> None:
    theme.apply_palette(qapp, False)
    palette = qapp.palette()
    role = QPalette.ColorRole
    for text, background in ((role.WindowText, role.Window), (role.Text, role.Base)):
        assert contrast(palette.color(text), palette.color(background)) >= 4.5


def _bright_pixels(widget: QWidget) -> int:
    image = widget.grab().toImage()
    return sum(
        1
        for y in range(image.height())
        for x in range(image.width())
        if _luminance(image.pixelColor(x, y)) > 0.8
    )


def test_an_empty_radio_button_and_a_text_box_are_visible_on_black(
    high_contrast: QApplication, qtbot: QtBot
) -> None:
    radio = QRadioButton()  # no text: only its indicator can show
    edit = QLineEdit()  # empty: only its border can show
    for widget in (radio, edit):
        qtbot.addWidget(widget)
        widget.resize(120, 40)
        widget.show()
    assert _bright_pixels(radio) > 20
    assert _bright_pixels(edit) > 100
