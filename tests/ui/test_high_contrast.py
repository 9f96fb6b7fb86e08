"""Both themes meet WCAG 2.2's ratios: text 7:1 in high contrast and 4.5:1 in the
normal theme; the edges of controls, focus rings and chosen indicators 3:1 against
what they sit on (SC 1.4.11). The ratios are computed from the palette, and from the
pixels the style draws for every kind of control."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollBar,
    QSlider,
    QSpinBox,
    QStyle,
    QStyleOptionComboBox,
    QStyleOptionComplex,
    QStyleOptionSlider,
    QStyleOptionSpinBox,
    QTabBar,
    QTableWidget,
    QTextEdit,
    QTreeWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from sdm_app.branding import Branding
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


# ------------------------------------------------------ both themes, every control

ROLE = QPalette.ColorRole
TEXT_MINIMUM = {False: 4.5, True: 7.0}  # normal theme, high contrast
NON_TEXT_MINIMUM = 3.0
TEXT_PAIRS = (
    (ROLE.WindowText, ROLE.Window),
    (ROLE.Text, ROLE.Base),
    (ROLE.Text, ROLE.AlternateBase),
    (ROLE.ButtonText, ROLE.Button),
    (ROLE.ToolTipText, ROLE.ToolTipBase),
    (ROLE.HighlightedText, ROLE.Highlight),
    (ROLE.Link, ROLE.Base),
    (ROLE.Link, ROLE.Window),
    (ROLE.LinkVisited, ROLE.Base),
    (ROLE.PlaceholderText, ROLE.Base),
)
# Edges are drawn in Dark; focus rings, chosen boxes and circles and a slider's
# filled part in Highlight; an empty box on a selected row in Base.
NON_TEXT_PAIRS = (
    (ROLE.Dark, ROLE.Window),
    (ROLE.Dark, ROLE.Base),
    (ROLE.Dark, ROLE.Button),
    (ROLE.Dark, ROLE.AlternateBase),
    (ROLE.Highlight, ROLE.Window),
    (ROLE.Highlight, ROLE.Base),
    (ROLE.Highlight, ROLE.Button),
    (ROLE.Base, ROLE.Highlight),
)


@pytest.fixture(params=[False, True], ids=["normal", "high-contrast"])
def themed(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[bool]:
    theme.apply_palette(qapp, request.param)
    yield request.param
    theme.apply_palette(qapp, False)


@pytest.mark.parametrize(
    "group", [QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive], ids=["active", "inactive"]
)
def test_every_role_pair_meets_its_ratio(
    themed: bool, qapp: QApplication, group: QPalette.ColorGroup
) -> None:
    assert not _failing_pairs(qapp.palette(), group, TEXT_MINIMUM[themed])
    if themed:  # greyed-out text stays readable in high contrast
        disabled = qapp.palette().color(QPalette.ColorGroup.Disabled, ROLE.Text)
        assert contrast(disabled, qapp.palette().color(ROLE.Base)) >= 4.5


def _failing_pairs(palette: QPalette, group: QPalette.ColorGroup, text_minimum: float) -> list[str]:
    failures = []
    for pairs, minimum in ((TEXT_PAIRS, text_minimum), (NON_TEXT_PAIRS, NON_TEXT_MINIMUM)):
        for first, second in pairs:
            ratio = contrast(palette.color(group, first), palette.color(group, second))
            if ratio < minimum:
                failures.append(f"{first.name} on {second.name}: {ratio:.2f}")
    return failures


# Accents a branded build accepts: white text on each is at least 4.5:1.
@pytest.mark.parametrize("accent", ["#1f5f8b", "#707070", "#c0392b", "#008000"])
def test_a_branded_accent_keeps_every_ratio(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch, accent: str
) -> None:
    assert contrast(QColor(accent), QColor("#ffffff")) >= 4.5
    branded = Branding(app_names={"en": "Example"}, organisation="Example", accent=accent)
    monkeypatch.setattr(theme, "current_branding", lambda: branded)
    try:
        theme.apply_palette(qapp, False)
        palette = qapp.palette()
        assert palette.color(ROLE.Highlight) == QColor(accent)
        assert not _failing_pairs(palette, QPalette.ColorGroup.Active, TEXT_MINIMUM[False])
    finally:
        monkeypatch.undo()
        theme.apply_palette(qapp, False)


def test_the_style_draws_every_control_itself(qapp: QApplication) -> None:
    from sdm_app.ui.style import AccessibleStyle

    theme.apply_palette(qapp, False)
    assert isinstance(qapp.style(), AccessibleStyle)


# -- measuring what is drawn


def _grab(widget: QWidget) -> QImage:
    QApplication.processEvents()
    return widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def _pixel(image: QImage, x: int, y: int) -> QColor:
    return image.pixelColor(x, y)


def _drawn_box(image: QImage, region: QRect, background: QColor) -> QRect:
    """The smallest rectangle holding every pixel of ``region`` that is not background."""
    left, top, right, bottom = region.right() + 1, region.bottom() + 1, -1, -1
    rgb = background.rgb()
    for y in range(region.top(), region.bottom() + 1):
        for x in range(region.left(), region.right() + 1):
            if image.pixel(x, y) != rgb:
                left, right = min(left, x), max(right, x)
                top, bottom = min(top, y), max(bottom, y)
    return QRect() if right < 0 else QRect(left, top, right - left + 1, bottom - top + 1)


def _side_lines(box: QRect, depth: int) -> list[list[tuple[int, int]]]:
    """For each side of ``box``, the pixels from that side inwards, across its middle."""
    cx, cy = box.center().x(), box.center().y()
    depth = min(depth, box.width() // 2, box.height() // 2)
    return [
        [(box.left() + i, cy) for i in range(depth)],
        [(box.right() - i, cy) for i in range(depth)],
        [(cx, box.top() + i) for i in range(depth)],
        [(cx, box.bottom() - i) for i in range(depth)],
    ]


def _edge_ratios(image: QImage, box: QRect, background: QColor, depth: int = 3) -> list[float]:
    """The best contrast against ``background`` on each side of ``box`` (a closed edge
    shows on all four)."""
    return [
        max(contrast(_pixel(image, x, y), background) for x, y in line)
        for line in _side_lines(box, depth)
    ]


def _changed_ratios(before: QImage, after: QImage, region: QRect) -> tuple[QRect, float]:
    """Where ``after`` differs from ``before`` by 3:1 or more, and the largest change."""
    left, top, right, bottom = region.right() + 1, region.bottom() + 1, -1, -1
    best = 1.0
    for y in range(region.top(), region.bottom() + 1):
        for x in range(region.left(), region.right() + 1):
            if before.pixel(x, y) == after.pixel(x, y):
                continue
            ratio = contrast(_pixel(before, x, y), _pixel(after, x, y))
            best = max(best, ratio)
            if ratio >= NON_TEXT_MINIMUM:
                left, right = min(left, x), max(right, x)
                top, bottom = min(top, y), max(bottom, y)
    box = QRect() if right < 0 else QRect(left, top, right - left + 1, bottom - top + 1)
    return box, best


def _text_ratio(image: QImage, region: QRect) -> float:
    """The contrast of the strongest pixel in ``region`` against its commonest colour
    (text is the only thing drawn there)."""
    counts = Counter(
        image.pixel(x, y)
        for y in range(region.top(), region.bottom() + 1)
        for x in range(region.left(), region.right() + 1)
    )
    fill = QColor.fromRgb(counts.most_common(1)[0][0])
    return max(contrast(QColor.fromRgb(rgb), fill) for rgb in counts)


class _Host(QWidget):
    """A window in the theme's window colour holding one control."""

    def __init__(self, control: QWidget) -> None:
        super().__init__()
        self.setAutoFillBackground(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(control)
        self.control = control
        self.resize(260, max(60, control.sizeHint().height() + 24))


def _host(qtbot: QtBot, control: QWidget) -> _Host:
    host = _Host(control)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    return host


def _items(view: QListWidget) -> QListWidget:
    for text in ("Hill", "Mill"):
        view.addItem(text)
    return view


# Every kind of control in the app, empty (so only its edge shows).
CONTROLS: dict[str, Callable[[], QWidget]] = {
    "line edit": QLineEdit,
    "plain text edit": QPlainTextEdit,
    "text edit": QTextEdit,
    "combo box": lambda: QComboBox(),
    "editable combo box": lambda: _editable_combo(),
    "spin box": QSpinBox,
    "date edit": QDateEdit,
    "push button": lambda: QPushButton(""),
    "check box": lambda: QCheckBox(""),
    "radio button": lambda: QRadioButton(""),
    "list view": QListWidget,
    "tree view": QTreeWidget,
    "table view": lambda: QTableWidget(0, 0),
}


def _editable_combo() -> QComboBox:
    combo = QComboBox()
    combo.setEditable(True)
    return combo


@pytest.mark.parametrize("kind", list(CONTROLS))
def test_every_control_has_an_edge_of_three_to_one(themed: bool, qtbot: QtBot, kind: str) -> None:
    control = CONTROLS[kind]()
    host = _host(qtbot, control)
    image = _grab(host)
    background = host.palette().color(ROLE.Window)
    box = _drawn_box(image, control.geometry(), background)
    assert box.width() >= 8 and box.height() >= 8, (kind, box)
    ratios = _edge_ratios(image, box, background)
    assert min(ratios) >= NON_TEXT_MINIMUM, (kind, ratios)


def test_each_tab_has_an_edge_and_the_chosen_one_a_bar(themed: bool, qtbot: QtBot) -> None:
    tabs = QTabBar()
    tabs.addTab("Hill")
    tabs.addTab("Mill")
    host = _host(qtbot, tabs)
    image = _grab(host)
    background = host.palette().color(ROLE.Window)
    bar = _drawn_box(image, tabs.geometry(), background)
    assert min(_edge_ratios(image, bar, background)) >= NON_TEXT_MINIMUM
    # Between the tabs, a line of 3:1 against the tabs' own colour.
    first = tabs.tabRect(0).translated(tabs.pos())
    fill = _pixel(image, first.center().x(), first.top() + 4)
    y = first.top() + 4
    assert (
        max(
            contrast(_pixel(image, x, y), fill) for x in range(first.right() - 1, first.right() + 3)
        )
        >= NON_TEXT_MINIMUM
    )
    tabs.setCurrentIndex(1)
    after = _grab(host)
    changed, best = _changed_ratios(image, after, tabs.geometry())
    assert best >= NON_TEXT_MINIMUM and changed.width() >= first.width() // 2


def test_a_slider_track_and_handle_are_three_to_one(themed: bool, qtbot: QtBot) -> None:
    slider = QSlider(Qt.Orientation.Horizontal)
    slider.setRange(0, 100)
    slider.setValue(0)
    host = _host(qtbot, slider)
    image = _grab(host)
    background = host.palette().color(ROLE.Window)
    option = QStyleOptionSlider()
    slider.initStyleOption(option)
    style = slider.style()
    cc = QStyle.ComplexControl.CC_Slider
    handle = style.subControlRect(cc, option, QStyle.SubControl.SC_SliderHandle, slider)
    handle = handle.translated(slider.pos())
    # The handle grows with the text: never the 15 px square of a plain slider.
    assert handle.height() >= slider.fontMetrics().height()
    track = QRect(slider.geometry().center().x() + 20, handle.center().y(), 1, 1)
    track_colour = _pixel(image, track.x(), track.y())
    assert contrast(track_colour, background) >= NON_TEXT_MINIMUM
    handle_colour = _pixel(image, handle.center().x(), handle.center().y())
    assert contrast(handle_colour, background) >= NON_TEXT_MINIMUM
    # The part before the handle is filled in another colour.
    slider.setValue(100)
    filled = _grab(host)
    assert contrast(_pixel(filled, track.x(), track.y()), background) >= NON_TEXT_MINIMUM
    assert _pixel(filled, track.x(), track.y()) != track_colour


def test_a_scroll_bar_handle_is_three_to_one_on_its_track(themed: bool, qtbot: QtBot) -> None:
    bar = QScrollBar(Qt.Orientation.Horizontal)
    bar.setRange(0, 100)
    bar.setPageStep(20)
    bar.setMinimumWidth(200)
    host = _host(qtbot, bar)
    image = _grab(host)
    option = QStyleOptionSlider()
    bar.initStyleOption(option)
    cc = QStyle.ComplexControl.CC_ScrollBar
    handle = bar.style().subControlRect(cc, option, QStyle.SubControl.SC_ScrollBarSlider, bar)
    groove = bar.style().subControlRect(cc, option, QStyle.SubControl.SC_ScrollBarGroove, bar)
    handle, groove = handle.translated(bar.pos()), groove.translated(bar.pos())
    handle_colour = _pixel(image, handle.center().x(), handle.center().y())
    track_colour = _pixel(image, groove.right() - 10, groove.center().y())
    assert contrast(handle_colour, track_colour) >= NON_TEXT_MINIMUM


CHOICES: dict[str, Callable[[], QWidget]] = {
    "check box": lambda: QCheckBox(""),
    "radio button": lambda: QRadioButton(""),
    "check box in a list": lambda: _checkable_list(),
}


def _checkable_list() -> QListWidget:
    view = QListWidget()
    item = QListWidgetItem("Hill")
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Unchecked)
    view.addItem(item)
    return view


def _toggle(control: QWidget) -> None:
    if isinstance(control, QListWidget):
        control.item(0).setCheckState(Qt.CheckState.Checked)
    else:
        assert isinstance(control, QCheckBox | QRadioButton)
        control.setChecked(True)


@pytest.mark.parametrize("kind", list(CHOICES))
def test_a_chosen_indicator_differs_by_three_to_one(themed: bool, qtbot: QtBot, kind: str) -> None:
    control = CHOICES[kind]()
    host = _host(qtbot, control)
    empty = _grab(host)
    _toggle(control)
    chosen = _grab(host)
    changed, best = _changed_ratios(empty, chosen, control.geometry())
    assert best >= NON_TEXT_MINIMUM, best
    assert changed.width() >= 4 and changed.height() >= 4, changed


def test_an_empty_box_shows_on_a_selected_row(themed: bool, qtbot: QtBot) -> None:
    view = _checkable_list()
    host = _host(qtbot, view)
    view.setCurrentRow(0)
    view.item(0).setSelected(True)
    image = _grab(host)
    rect = view.visualItemRect(view.item(0)).translated(
        view.viewport().mapTo(host, view.rect().topLeft())
    )
    row = host.palette().color(ROLE.Highlight)
    box = _drawn_box(image, QRect(rect.left(), rect.top(), rect.height() + 4, rect.height()), row)
    assert box.isValid()
    assert (
        max(
            contrast(_pixel(image, x, box.center().y()), row)
            for x in range(box.left(), box.right())
        )
        >= NON_TEXT_MINIMUM
    )


FOCUSABLE: dict[str, Callable[[], QWidget]] = {
    **CONTROLS,
    "push button": lambda: QPushButton("Hill"),
    "check box": lambda: QCheckBox("Hill"),
    "radio button": lambda: QRadioButton("Hill"),
    "slider": lambda: QSlider(Qt.Orientation.Horizontal),
    "list item": lambda: _items(QListWidget()),
}


@pytest.mark.parametrize("kind", list(FOCUSABLE))
def test_the_focus_ring_is_three_to_one_and_goes_all_round(
    themed: bool, qtbot: QtBot, kind: str
) -> None:
    control = FOCUSABLE[kind]()
    control.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    if isinstance(control, QLineEdit | QComboBox | QSpinBox | QDateEdit):
        # The blinking text cursor would count as a change.
        QApplication.setCursorFlashTime(0)
    host = _host(qtbot, control)
    blank = QPushButton("x", host)  # takes the focus first
    blank.move(-100, -100)
    blank.show()
    blank.setFocus()
    host.activateWindow()
    qtbot.waitUntil(blank.hasFocus)
    before = _grab(host)
    control.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(control.hasFocus)
    after = _grab(host)
    ring, best = _changed_ratios(before, after, control.geometry())
    assert best >= NON_TEXT_MINIMUM, (kind, best)
    assert ring.width() >= 8 and ring.height() >= 8, (kind, ring)
    background = host.palette().color(ROLE.Window)
    ratios = [
        max(contrast(_pixel(before, x, y), _pixel(after, x, y)) for x, y in line)
        for line in _side_lines(ring, 3)
    ]
    assert min(ratios) >= NON_TEXT_MINIMUM, (kind, ring, ratios)
    colours = {_pixel(after, x, y).rgb() for line in _side_lines(ring, 3) for x, y in line}
    assert max(contrast(QColor.fromRgb(c), background) for c in colours) >= NON_TEXT_MINIMUM


TEXTS: dict[str, Callable[[], QWidget]] = {
    "label": lambda: QLabel("Hill"),
    "line edit": lambda: QLineEdit("Hill"),
    "placeholder": lambda: _placeholder(),
    "push button": lambda: QPushButton("Hill"),
    "check box": lambda: QCheckBox("Hill"),
    "radio button": lambda: QRadioButton("Hill"),
    "combo box": lambda: _combo("Hill"),
    "spin box": lambda: QSpinBox(),
    "list item": lambda: _items(QListWidget()),
    "selected list item": lambda: _selected(_items(QListWidget())),
    "tab": lambda: _tabs(),
}


def _placeholder() -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText("Hill")
    return edit


def _combo(text: str) -> QComboBox:
    combo = QComboBox()
    combo.addItem(text)
    return combo


def _selected(view: QListWidget) -> QListWidget:
    view.setCurrentRow(0)
    view.clearFocus()
    return view


def _tabs() -> QTabBar:
    tabs = QTabBar()
    tabs.addTab("Hill")
    return tabs


@pytest.mark.parametrize("kind", list(TEXTS))
def test_the_text_of_every_control_meets_its_ratio(themed: bool, qtbot: QtBot, kind: str) -> None:
    control = TEXTS[kind]()
    control.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    host = _host(qtbot, control)
    image = _grab(host)
    metrics = control.fontMetrics()
    if isinstance(control, QListWidget):
        item = control.visualItemRect(control.item(0))
        region = item.translated(control.viewport().mapTo(host, item.topLeft() * 0))
    elif isinstance(control, QTabBar):
        region = control.tabRect(0).translated(control.pos())
    else:
        region = control.geometry()
    # The middle band of the text line, clear of the control's edges.
    band = QRect(
        region.left() + 4,
        region.center().y() - metrics.ascent() // 3,
        region.width() - 8,
        max(2, metrics.ascent() // 2),
    )
    assert _text_ratio(image, band) >= TEXT_MINIMUM[themed], kind


def _arrow_area(control: QWidget) -> QRect:
    """Where a control draws its arrow (a spin box's up button, a scroll bar's end
    button, a combo box's drop-down button), in the host's coordinates."""
    style = control.style()
    option: QStyleOptionComplex
    if isinstance(control, QSpinBox):
        spin_option = QStyleOptionSpinBox()
        control.initStyleOption(spin_option)
        cc, sub, option = (
            QStyle.ComplexControl.CC_SpinBox,
            QStyle.SubControl.SC_SpinBoxUp,
            spin_option,
        )
    elif isinstance(control, QScrollBar):
        bar_option = QStyleOptionSlider()
        control.initStyleOption(bar_option)
        cc, sub, option = (
            QStyle.ComplexControl.CC_ScrollBar,
            QStyle.SubControl.SC_ScrollBarAddLine,
            bar_option,
        )
    else:
        assert isinstance(control, QComboBox)
        combo_option = QStyleOptionComboBox()
        control.initStyleOption(combo_option)
        cc, sub, option = (
            QStyle.ComplexControl.CC_ComboBox,
            QStyle.SubControl.SC_ComboBoxArrow,
            combo_option,
        )
    rect = style.subControlRect(cc, option, sub, control)
    return rect.translated(control.pos()).adjusted(1, 1, -1, -1)


ARROWS: dict[str, Callable[[], QWidget]] = {
    "spin box": QSpinBox,
    "scroll bar": lambda: _scroll_bar(),
    "combo box": lambda: _combo("Hill"),
}


def _scroll_bar() -> QScrollBar:
    bar = QScrollBar(Qt.Orientation.Horizontal)
    bar.setRange(0, 100)
    return bar


@pytest.mark.parametrize("kind", list(ARROWS))
def test_arrows_are_three_to_one(themed: bool, qtbot: QtBot, kind: str) -> None:
    control = ARROWS[kind]()
    host = _host(qtbot, control)
    image = _grab(host)
    assert _text_ratio(image, _arrow_area(control)) >= NON_TEXT_MINIMUM


def test_a_menu_has_an_edge_and_visible_separators(themed: bool, qtbot: QtBot) -> None:
    menu = QMenu()
    qtbot.addWidget(menu)
    menu.addAction("Hill")
    menu.addSeparator()
    menu.addAction("Mill")
    menu.popup(menu.screen().geometry().center())
    qtbot.waitExposed(menu)
    image = _grab(menu)
    palette = menu.palette()
    window, fill = palette.color(ROLE.Window), _pixel(image, image.width() // 2, 2)
    middle = image.height() // 2
    assert contrast(_pixel(image, 0, middle), window) >= NON_TEXT_MINIMUM
    separator = menu.actionGeometry(menu.actions()[1])
    column = [
        _pixel(image, separator.center().x(), y)
        for y in range(separator.top(), separator.bottom() + 1)
    ]
    assert max(contrast(colour, fill) for colour in column) >= NON_TEXT_MINIMUM
