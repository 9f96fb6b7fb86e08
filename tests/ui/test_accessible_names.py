"""What a screen reader hears: every control it can reach on every page has a name,
headings are headings, and icon arrays say their numbers as text.

The test walks the accessible tree Qt gives assistive technology (the same
``QAccessibleInterface`` objects, from the window down through ``child(i)``), in
English and Arabic, with the bundled demo consultation open.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

import pytest
from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QWidget
from pytestqt.qtbot import QtBot

from sdm_app.app import Session
from sdm_app.core.consultation import STEPS
from sdm_app.core.results import TestResult
from sdm_app.ui.accessibility import plain_label_text
from sdm_app.ui.icon_array import IconArray, IconState
from sdm_app.ui.screenshots import _store_demo
from sdm_app.ui.steps.result_dialog import ResultDialog

ROLE = QAccessible.Role
# What a person operates: these need a name wherever they appear.
INTERACTIVE = {
    ROLE.PushButton,
    ROLE.CheckBox,
    ROLE.RadioButton,
    ROLE.EditableText,
    ROLE.ComboBox,
    ROLE.Slider,
    ROLE.SpinBox,
    ROLE.Dial,
    ROLE.PageTab,
    ROLE.Link,
    ROLE.ButtonMenu,
    ROLE.ButtonDropDown,
    ROLE.MenuItem,
}
# Items of a list, tree or table: they need a name when they can be chosen.
ITEMS = {ROLE.ListItem, ROLE.TreeItem, ROLE.Cell}
_HEADING_MARKUP = re.compile(r"^\s*<h[1-6][ >]", re.IGNORECASE)


@dataclass(frozen=True)
class Node:
    role: QAccessible.Role
    name: str
    description: str
    state: QAccessible.State
    target: QObject | None
    path: str


def accessible_nodes(root: QWidget) -> Iterator[Node]:
    """Every accessible object shown under ``root``, depth first."""
    interface = QAccessible.queryAccessibleInterface(root)
    assert interface is not None and interface.isValid()
    yield from _walk(interface, "")


def _walk(interface: QAccessibleInterface, path: str) -> Iterator[Node]:
    target = interface.object()
    state = interface.state()
    if state.invisible or (isinstance(target, QWidget) and not target.isVisible()):
        return
    role = interface.role()
    here = f"{path}/{role.name}"
    if isinstance(target, QObject):
        here += (
            f"({type(target).__name__}{'#' if target.objectName() else ''}{target.objectName()})"
        )
    yield Node(
        role,
        interface.text(QAccessible.Text.Name),
        interface.text(QAccessible.Text.Description),
        state,
        target,
        here,
    )
    for index in range(interface.childCount()):
        child = interface.child(index)
        if child is not None and child.isValid():
            yield from _walk(child, here)


def _has_buddy(widget: QWidget) -> bool:
    window = widget.window()
    return any(label.buddy() is widget for label in window.findChildren(QLabel))


def unnamed(root: QWidget) -> list[str]:
    """The interactive objects under ``root`` a screen reader could not name."""
    problems = []
    for node in accessible_nodes(root):
        interactive = node.role in INTERACTIVE or (
            node.role in ITEMS and (node.state.selectable or node.state.focusable)
        )
        # A widget that takes the keyboard is reached by Tab: it needs a name too.
        takes_focus = isinstance(node.target, QWidget) and node.state.focusable
        if (interactive or takes_focus) and not node.name.strip():
            problems.append(node.path)
        # On Linux, Qt reads a combo box's value as its name; elsewhere the name is
        # its accessible name or its label's.
        combo = node.target
        if isinstance(combo, QComboBox) and not (combo.accessibleName() or _has_buddy(combo)):
            problems.append(f"{node.path} (no label)")
    return problems


def headings_as_text(root: QWidget) -> list[str]:
    """Labels written as headings (``<h2>…``) that are not exposed as headings."""
    return [
        node.path
        for node in accessible_nodes(root)
        if isinstance(node.target, QLabel)
        and _HEADING_MARKUP.match(node.target.text())
        and node.role != ROLE.Heading
    ]


def headings(root: QWidget) -> list[str]:
    return [node.name for node in accessible_nodes(root) if node.role == ROLE.Heading]


def _settle() -> None:
    for _turn in range(5):
        QApplication.processEvents()


def _pages(session: Session) -> Iterator[tuple[str, Callable[[], None]]]:
    """Every page and step, each with what to do to show it."""
    window = session.window
    library = window.library_page

    def module() -> None:
        window.show_page("library")
        modules = session.controller.library.modules(session.controller.content_locale())
        library.open_module(modules[0].id)

    def search() -> None:
        window.show_page("library")
        library.search("BRCA")

    def decision_aid() -> None:
        window.show_page("decision_aids")
        window.decision_aids_page.aid_list.setCurrentRow(0)

    for name in window.PAGES:
        yield name, partial(window.show_page, name)
    yield "library, a module open", module
    yield "library, search results", search
    yield "decision aids, an aid open", decision_aid

    consultations = window.consultations_page

    def open_demo() -> None:
        window.show_page("consultations")
        if consultations.model.consultation is None:
            consultations.open_consultation(
                _store_demo(consultations.model.store, session.controller)
            )

    for step in STEPS:

        def show(step: object = step) -> None:
            open_demo()
            consultations.patient_view.setChecked(False)
            consultations.show_step(step)  # type: ignore[arg-type]

        yield f"consultation step {step.value}", show

    def patient_view() -> None:
        open_demo()
        consultations.show_step(STEPS[2])
        consultations.patient_view.setChecked(True)

    yield "patient view", patient_view


@pytest.fixture(params=["en", "ar"])
def language(request: pytest.FixtureRequest, session: Session) -> str:
    session.controller.set_language(request.param)
    return str(request.param)


def test_every_control_on_every_page_has_a_name(session: Session, language: str) -> None:
    problems: dict[str, str] = {}
    for page, show in _pages(session):
        show()
        _settle()
        problems.update({f"{page}: {path}": "" for path in unnamed(session.window)})
    assert not problems, "\n".join(problems)


def test_no_two_controls_on_a_page_share_a_name(session: Session) -> None:
    """Ten buttons all called "Evidence" would be named, and still useless."""
    problems = []
    for page, show in _pages(session):
        show()
        _settle()
        names = Counter(
            node.name
            for node in accessible_nodes(session.window)
            if isinstance(node.target, QWidget) and node.state.focusable
        )
        problems += [f"{page}: {name!r} x{count}" for name, count in names.items() if count > 1]
    assert not problems, "\n".join(problems)


def test_the_walk_reaches_controls_inside_scrolled_steps(session: Session) -> None:
    window = session.window
    window.show_page("consultations")
    consultations = window.consultations_page
    consultations.open_consultation(_store_demo(consultations.model.store, session.controller))
    consultations.show_step(STEPS[3])
    _settle()
    radios = [node for node in accessible_nodes(window) if node.role == ROLE.RadioButton]
    values = consultations.steps[STEPS[3]]
    # The ratings, and the stars (0 to 5) of each of the patient's reasons below them.
    reasons = values.reasons.rows  # type: ignore[attr-defined]
    assert reasons
    assert len(radios) == 5 * len(values._groups) + 6 * len(reasons)  # type: ignore[attr-defined]
    # Each choice says which question it answers.
    assert all(":" in node.name or "?" in node.name for node in radios)


def test_headings_are_headings_on_every_page(session: Session, language: str) -> None:
    for page, show in _pages(session):
        show()
        _settle()
        assert not headings_as_text(session.window), page
    session.window.show_page("settings")
    _settle()
    assert any(name.strip() for name in headings(session.window))


def test_a_heading_reads_as_its_plain_text(session: Session) -> None:
    session.window.show_page("settings")
    _settle()
    heading = session.window.settings_page.heading
    interface = QAccessible.queryAccessibleInterface(heading)
    assert interface is not None
    assert interface.role() == ROLE.Heading
    assert interface.text(QAccessible.Text.Name) == plain_label_text(heading) == "Settings"


def test_icon_arrays_are_graphics_named_by_option_and_numbers(session: Session) -> None:
    window = session.window
    window.show_page("consultations")
    consultations = window.consultations_page
    consultations.open_consultation(_store_demo(consultations.model.store, session.controller))
    consultations.show_step(STEPS[2])
    _settle()
    options = consultations.steps[STEPS[2]]
    arrays: list[IconArray] = options.icon_arrays  # type: ignore[attr-defined]
    assert arrays
    figures = 0
    for array in arrays:
        interface = QAccessible.queryAccessibleInterface(array)
        assert interface is not None
        assert interface.role() == ROLE.Graphic
        name = interface.text(QAccessible.Text.Name)
        assert array.subject() and name.startswith(array.subject())
        assert array.text() in name
        if array.state() == IconState.FIGURE:
            figures += 1
            numerator, denominator = array.numerator(), array.denominator()
            assert numerator is not None
            assert f"{numerator:g} out of {denominator}" in name
            description = interface.text(QAccessible.Text.Description)
            assert f"A picture of {denominator} people" in description
    assert figures


def test_the_result_form_names_every_field(session: Session, qtbot: QtBot) -> None:
    dialog = ResultDialog(TestResult(id=None))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert not unnamed(dialog)


def test_the_lock_screen_names_its_field_and_buttons(session: Session) -> None:
    session.window.lock()
    _settle()
    assert not unnamed(session.window)
    assert headings(session.window)


def test_the_walk_finds_an_unnamed_button(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QPushButton, QVBoxLayout

    host = QWidget()
    layout = QVBoxLayout(host)
    named, icon_only = QPushButton("Open"), QPushButton()
    layout.addWidget(named)
    layout.addWidget(icon_only)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    assert len(unnamed(host)) == 1
    icon_only.setAccessibleName("Close")
    assert not unnamed(host)
