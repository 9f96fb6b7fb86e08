"""Every page fits a laptop screen at every text size, in every kind of language.

The window is set to 1366 × 768 at 100% and 150% text size and to 1280 × 720 at
200%, in English, German (long words), Arabic (right to left) and the pseudo-locale
(longer than any translation), and each page, each consultation step (with and
without the patient view) and the result form is checked for what a person would
see as broken: a window that will not shrink to the screen, a control outside the
window or outside the part of the window it belongs to, and text that is cut off or
shortened with an ellipsis (labels, buttons, tick boxes, lists, tables, headers,
drop-down lists). Only the main content area scrolls: a page never scrolls sideways.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QScrollArea,
    QStyle,
    QStyleOptionComboBox,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QTextEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from sdm_app.app import Session
from sdm_app.core.consultation import STEPS
from sdm_app.core.results import BiomarkerKind
from sdm_app.ui.reflow import WrappingCheckBox, WrappingComboBox, fit_columns
from sdm_app.ui.steps.result_dialog import ResultDialog
from tests.ui.window_states import main_window_states, settle, store_demo

# (text size, window size): a 1366 × 768 laptop at 100% and 150%, 1280 × 720 at 200%.
SIZES = ((100, QSize(1366, 768)), (150, QSize(1366, 768)), (200, QSize(1280, 720)))
LANGUAGES = ("en", "de", "ar", "en_XA")

# Widgets drawn as parts of another (a combo box's line edit, a spin box's buttons, a
# view's header and scroll bars) are checked as that other widget.
_COMPOSITES = (QAbstractItemView, QComboBox, QAbstractSpinBox, QTextEdit, QLineEdit)


def _where(widget: QWidget) -> str:
    text = ""
    if isinstance(widget, QLabel | QAbstractButton):
        text = widget.text()
    elif isinstance(widget, QGroupBox):
        text = widget.title()
    elif isinstance(widget, QComboBox):
        text = widget.currentText()
    name = widget.objectName() or widget.accessibleName()
    return f"{type(widget).__name__}({name!r}, {text[:40]!r})"


def _inside_composite(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and not parent.isWindow():
        if isinstance(parent, _COMPOSITES):
            return True
        parent = parent.parentWidget()
    return False


def _scrolled_by(widget: QWidget) -> bool:
    """Whether the widget sits in a scroll area's viewport (it may be scrolled away)."""
    parent = widget.parentWidget()
    area = parent.parentWidget() if parent is not None else None
    return isinstance(area, QAbstractScrollArea) and area.viewport() is parent


def _in_window(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def placement_problems(window: QWidget) -> list[str]:
    """Visible widgets that stick out of the widget they are laid out in (a field out
    of its group box), or else of their parent, and so out of the window; a widget in
    a scroll area may be scrolled out of its view."""
    # Which widget's area each laid-out widget was given a place in.
    hosts: dict[QWidget, QWidget] = {}
    for layout in window.findChildren(QLayout):
        owner = layout.parentWidget()
        for index in range(layout.count()):
            item = layout.itemAt(index)
            placed = item.widget() if item is not None else None
            if placed is not None and owner is not None:
                hosts[placed] = owner
    found = []
    for widget in window.findChildren(QWidget):
        if (
            not widget.isVisible()
            or widget.isWindow()
            or widget.window() is not window
            or _inside_composite(widget)
            or _scrolled_by(widget)
        ):
            continue
        host = hosts.get(widget) or widget.parentWidget()
        assert host is not None
        where = _in_window(widget, window)
        # One pixel of leeway: right to left, Qt's splitter puts its first pane one
        # pixel past its edge.
        if not _in_window(host, window).adjusted(-1, -1, 1, 1).contains(where):
            found.append(
                f"{_where(widget)} at {_rect(where)} sticks out of "
                f"{_where(host)} at {_rect(_in_window(host, window))}"
            )
    return found


def _rect(rect: QRect) -> str:
    return f"{rect.x()},{rect.y()} {rect.width()}x{rect.height()}"


def _label_problem(label: QLabel) -> str:
    if not label.text().strip():
        return ""
    if label.wordWrap():
        needed = QSize(label.minimumSizeHint().width(), label.heightForWidth(label.width()))
    else:
        needed = label.minimumSizeHint()
    return _too_small(label, needed)


def _too_small(widget: QWidget, needed: QSize) -> str:
    if widget.width() < needed.width() or widget.height() < needed.height():
        return (
            f"{_where(widget)} is {widget.width()}x{widget.height()}, "
            f"its text needs {needed.width()}x{needed.height()}"
        )
    return ""


def _combo_problem(combo: QComboBox) -> str:
    if combo.isEditable() or not combo.currentText():
        return ""
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
    )
    text = combo.currentText()
    metrics = combo.fontMetrics()
    if combo.hasHeightForWidth() and metrics.horizontalAdvance(text) > field.width():
        # A drop-down list whose text wraps onto more lines.
        bounds = metrics.boundingRect(
            QRect(0, 0, field.width(), 1 << 20), int(Qt.TextFlag.TextWordWrap), text
        )
        needed = QSize(bounds.width(), bounds.height())
    else:
        needed = QSize(metrics.horizontalAdvance(text), 0)
    if needed.width() > field.width() or needed.height() > field.height():
        return (
            f"{_where(combo)}: its text needs {needed.width()}x{needed.height()}, "
            f"the field is {field.width()}x{field.height()}"
        )
    return ""


def _line_edit_problem(edit: QLineEdit) -> str:
    # A typed text scrolls, but a hint shown in an empty field is cut with an ellipsis.
    hint = edit.placeholderText()
    if edit.text() or not hint:
        return ""
    margins = edit.textMargins()
    frame = edit.style().pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth, None, edit)
    room = edit.width() - 2 * frame - margins.left() - margins.right() - 4
    needed = edit.fontMetrics().horizontalAdvance(hint)
    if needed > room:
        return f"QLineEdit hint {hint!r} needs {needed} px, the field has {room}"
    return ""


def _columns(model: QAbstractItemModel, parent: QModelIndex) -> int:
    try:
        return model.columnCount(parent)
    except TypeError:  # a list model's count is private to it: one column
        return 1


def _view_problems(view: QAbstractItemView) -> list[str]:
    """Items shown in part: cut short, or shortened with an ellipsis."""
    model = view.model()
    if model is None:
        return []
    viewport = view.viewport().rect()
    delegate = view.itemDelegate()
    found = []

    def check(parent: QModelIndex) -> None:
        for row in range(model.rowCount(parent)):
            for column in range(_columns(model, parent)):
                index = model.index(row, column, parent)
                rect = view.visualRect(index)
                if rect.isEmpty() or not rect.intersects(viewport):
                    continue
                text = str(index.data() or "")
                if not text:
                    continue
                option = QStyleOptionViewItem()
                option.initFrom(view)
                option.rect = rect
                option.font = view.font()
                option.fontMetrics = QFontMetrics(view.font())
                if getattr(view, "wordWrap", lambda: False)():
                    option.features |= QStyleOptionViewItem.ViewItemFeature.WrapText
                option.decorationSize = view.iconSize()
                needed = delegate.sizeHint(option, index)
                if needed.width() > rect.width() or needed.height() > rect.height():
                    found.append(
                        f"{_where(view)}: item {text[:40]!r} is {rect.width()}x{rect.height()}, "
                        f"needs {needed.width()}x{needed.height()}"
                    )
                if column == 0 and isinstance(view, QTreeView) and view.isExpanded(index):
                    check(index)

    check(view.rootIndex())
    return found


def _header_problems(header: QHeaderView) -> list[str]:
    model = header.model()
    if model is None or not header.isVisible():
        return []
    font = QFont(header.font())
    font.setBold(True)  # sections of a selected row are drawn in bold
    metrics = QFontMetrics(font)
    margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    found = []
    for section in range(header.count()):
        if header.isSectionHidden(section):
            continue
        text = str(model.headerData(section, header.orientation()) or "")
        needed = metrics.horizontalAdvance(text) + 2 * margin
        if text and header.sectionSize(section) < needed:
            found.append(
                f"header {text!r} is {header.sectionSize(section)} px wide, needs {needed}"
            )
    return found


def text_problems(window: QWidget) -> list[str]:
    """Visible text cut short or shortened with an ellipsis."""
    found = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.window() is not window:
            continue
        problem = ""
        if isinstance(widget, QLabel) and not _inside_composite(widget):
            problem = _label_problem(widget)
        elif isinstance(widget, QAbstractButton) and not _inside_composite(widget):
            if widget.text() and widget.hasHeightForWidth():  # its text wraps
                height = widget.heightForWidth(widget.width())
                problem = _too_small(widget, QSize(widget.minimumSizeHint().width(), height))
            elif widget.text():
                problem = _too_small(widget, widget.sizeHint())
        elif isinstance(widget, QGroupBox):
            problem = _too_small(widget, QSize(widget.minimumSizeHint().width(), 0))
        elif isinstance(widget, QComboBox):
            problem = _combo_problem(widget)
        elif isinstance(widget, QLineEdit) and not _inside_composite(widget):
            problem = _line_edit_problem(widget)
        elif isinstance(widget, QHeaderView):
            found += _header_problems(widget)
        elif isinstance(widget, QAbstractItemView):
            found += _view_problems(widget)
        if problem:
            found.append(problem)
    return found


def page_scroll_problems(window: QWidget) -> list[str]:
    """The main content area scrolls up and down, never sideways: what scrolls
    sideways is a grid or a table inside it. The areas that scroll a whole page (or a
    whole consultation step) are checked."""
    from sdm_app.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    areas = window.findChildren(QScrollArea, "stepScrollArea")
    for index in range(window.stack.count()):
        page = window.stack.widget(index)
        if page is not None:
            direct = Qt.FindChildOption.FindDirectChildrenOnly
            areas += page.findChildren(QScrollArea, options=direct)
    found = []
    for area in areas:
        bar = area.horizontalScrollBar()
        widget = area.widget()
        if area.isVisible() and widget is not None and bar.maximum() > 0:
            found.append(
                f"{_where(widget)} needs {widget.minimumSizeHint().width()} px, "
                f"has {area.viewport().width()}"
            )
    return found


def fit_problems(window: QWidget, size: QSize) -> list[str]:
    found = []
    if window.size() != size:
        hint = window.minimumSizeHint()
        found.append(
            f"the window is {window.width()}x{window.height()}, not {size.width()}x"
            f"{size.height()} (its smallest is {hint.width()}x{hint.height()})"
        )
    return found + placement_problems(window) + text_problems(window) + page_scroll_problems(window)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("text_scale", "size"), SIZES, ids=[f"text{s}" for s, _size in SIZES])
def test_every_page_fits_the_screen(
    session: Session, language: str, text_scale: int, size: QSize
) -> None:
    window = session.window
    demo = store_demo(session)
    session.controller.set_language(language)
    session.controller.set_text_scale(text_scale)
    problems: dict[str, list[str]] = {}
    for state in main_window_states(session, demo):
        window.resize(size)
        settle()
        found = fit_problems(window, size)
        if found:
            problems[state] = found
    assert not problems, _report(problems)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("text_scale", "size"), SIZES, ids=[f"text{s}" for s, _size in SIZES])
def test_the_result_form_fits_the_screen(
    session: Session, language: str, text_scale: int, size: QSize
) -> None:
    from tests.ui.test_result_dialog import EXAMPLES

    session.controller.set_language(language)
    session.controller.set_text_scale(text_scale)
    problems: dict[str, list[str]] = {}
    for kind, example in EXAMPLES.items():
        form = ResultDialog(example, session.window)
        if not form.therapy_rows:
            form.add_therapy.click()  # a treatment's row too
        form.show()
        form.fit_to(QRect(QPoint(0, 0), size))  # the laptop's screen
        settle()
        found = placement_problems(form) + text_problems(form)
        if form.width() > size.width() or form.height() > size.height():
            found.append(f"the form is {form.width()}x{form.height()}")
        if form.scroll_area.horizontalScrollBar().maximum() > 0:
            found.append("the form scrolls sideways")
        if found:
            problems[kind.value] = found
        form.close()
        form.deleteLater()
    assert not problems, _report(problems)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_result_form_puts_labels_above_fields_when_narrow(
    session: Session, language: str
) -> None:
    from PySide6.QtWidgets import QFormLayout

    from tests.ui.test_result_dialog import EXAMPLES

    session.controller.set_language(language)
    form = ResultDialog(EXAMPLES[BiomarkerKind.SEQUENCE_VARIANT], session.window)
    form.show()
    form.fit_to(QRect(0, 0, 1366, 768))
    settle()
    layout = form.test_group.layout()
    assert isinstance(layout, QFormLayout)
    assert layout.rowWrapPolicy() == QFormLayout.RowWrapPolicy.DontWrapRows  # beside
    label_item = layout.itemAt(0, QFormLayout.ItemRole.LabelRole)
    field_item = layout.itemAt(0, QFormLayout.ItemRole.FieldRole)
    assert label_item is not None and field_item is not None
    label, field = label_item.widget(), field_item.widget()
    assert label is not None and field is not None
    assert label.geometry().center().y() == pytest.approx(field.geometry().center().y(), abs=2)

    form.resize(QSize(540, 700))  # narrow: the treatments grid alone needs 430 px
    settle()
    assert form.width() == 540
    assert layout.rowWrapPolicy() == QFormLayout.RowWrapPolicy.WrapAllRows  # above
    assert label.geometry().bottom() < field.geometry().top()
    assert form.scroll_area.horizontalScrollBar().maximum() == 0
    assert text_problems(form) == [] and placement_problems(form) == []
    form.close()
    form.deleteLater()


def _report(problems: dict[str, list[str]]) -> str:
    return "\n".join(f"{state}:\n  " + "\n  ".join(found) for state, found in problems.items())


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_steps_become_a_bar_in_a_narrow_window_and_a_column_again(
    session: Session, language: str
) -> None:
    window = session.window
    session.controller.set_language(language)
    page = window.consultations_page
    window.show_page("consultations")
    assert page.open_consultation(store_demo(session))
    page.show_step(STEPS[2])
    steps = page.step_list

    def shown() -> list[str]:
        return [steps.item(row).text() for row in range(steps.count())]

    window.resize(QSize(1366, 768))
    settle()
    assert not steps.bar
    assert steps.width() < steps.height()  # a column beside the step
    column_texts = shown()
    assert all(f"{row + 1}." in text for row, text in enumerate(column_texts))

    session.controller.set_text_scale(200)
    window.resize(QSize(1280, 720))
    settle()
    assert steps.bar
    step_area = page.steps_stack
    # Above the step, across its width, one row high.
    assert (
        steps.mapTo(window, QPoint(0, steps.height())).y()
        <= step_area.mapTo(window, QPoint(0, 0)).y()
    )
    assert steps.width() >= step_area.width() - 1
    assert steps.height() < 3 * steps.fontMetrics().height()
    bar_texts = shown()
    # The current step keeps its name; the others show their number, named in a tooltip
    # and to screen readers.
    assert "3." in bar_texts[2]
    assert bar_texts[2].strip() == column_texts[2].strip()
    for row in (0, 1, 3, 4, 5):
        assert bar_texts[row].endswith(str(row + 1))
        assert steps.item(row).toolTip() == column_texts[row].strip()
        accessible = steps.item(row).data(Qt.ItemDataRole.AccessibleTextRole)
        assert str(row + 1) in accessible and len(accessible) > len(bar_texts[row])
    assert not text_problems(window) and not placement_problems(window)
    # Moving on shows the next step's name instead.
    page.show_step(STEPS[3])
    assert "4." in steps.item(3).text()
    assert steps.item(2).text().endswith("3")

    session.controller.set_text_scale(100)
    window.resize(QSize(1366, 768))
    settle()
    assert not steps.bar
    assert shown() == [text for text in column_texts]
    assert steps.width() < steps.height()


def _host(qtbot: QtBot, widget: QWidget, width: int) -> QWidget:
    host = QWidget()
    layout = QVBoxLayout(host)
    layout.addWidget(widget)
    layout.addStretch(1)
    qtbot.addWidget(host)
    host.resize(width, 400)
    host.show()
    settle()
    return host


def test_a_long_entry_of_a_drop_down_list_wraps_instead_of_being_cut(qtbot: QtBot) -> None:
    combo = WrappingComboBox()
    combo.addItem("First treatment for advanced lung cancer with an EGFR or ALK change")
    host = _host(qtbot, combo, 900)
    one_line = combo.height()
    assert one_line < 2 * combo.fontMetrics().lineSpacing() and _combo_problem(combo) == ""
    host.resize(220, 400)
    settle()
    assert combo.width() < combo.fontMetrics().horizontalAdvance(combo.currentText())
    # Three lines or more, all shown.
    assert combo.height() > one_line and combo.height() >= 3 * combo.fontMetrics().lineSpacing()
    assert _combo_problem(combo) == ""


def test_a_long_tick_box_wraps_and_ticks_wherever_it_is_clicked(qtbot: QtBot) -> None:
    box = WrappingCheckBox()
    box.setText("Remember the key on this computer (in the system's keychain)")
    host = _host(qtbot, box, 220)
    one_line = QCheckBox("x").sizeHint().height()
    assert box.height() > one_line
    assert text_problems(host) == [] and placement_problems(host) == []
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(box.width() - 5, box.height() - 5))
    assert box.isChecked()


def test_table_cells_wrap_then_the_table_scrolls_sideways(qtbot: QtBot) -> None:
    table = QTableWidget(2, 3)
    table.setHorizontalHeaderLabels(["Gene", "Origin", "Class or tier"])
    for row, cells in enumerate(
        (
            ("EGFR", "Somatic (tumour only)", "Tier I, level A: strong clinical significance"),
            ("BRCA2", "Germline, confirmed by a germline test", "Pathogenic"),
        )
    ):
        for column, text in enumerate(cells):
            table.setItem(row, column, QTableWidgetItem(text))
    fit_columns(table, wrap=True)
    host = _host(qtbot, table, 1000)
    assert table.horizontalHeader().stretchLastSection()  # room to spare: one line each
    assert text_problems(host) == []
    host.resize(360, 400)
    settle()
    assert table.horizontalScrollBar().maximum() == 0  # cells wrap instead
    assert text_problems(host) == []
    host.resize(150, 400)
    settle()
    assert table.horizontalScrollBar().maximum() > 0  # words do not fit: it scrolls
    assert text_problems(host) == []
