"""No two Alt-key shortcuts (the underlined letters, "mnemonics") clash among what one
window shows at once: on every page and step of the main window, on the lock screen
and in every dialog the main window opens, in every language of the app.

A clash makes Alt+letter go to whichever control Qt finds first; the other cannot be
reached by its letter at all."""

from __future__ import annotations

from collections import defaultdict

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QGroupBox,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QTabBar,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from sdm_app.app import Session
from sdm_app.i18n import catalogue_languages
from tests.ui.window_states import (
    dialog_states,
    locked_state,
    main_window_states,
    settle,
    store_demo,
)

LANGUAGES = catalogue_languages()  # the pseudo-locale too: its catalogue is made from ours

# Clashes left in translations once the English strings were fixed, by the English
# strings (msgids) whose translations share a key; "new" marks an English string not
# yet translated (shown in English). When a catalogue is corrected its case passes,
# and (xfail_strict) fails until the language is taken off this list.
TRANSLATION_CLASHES: dict[str, str] = {}


def mnemonic(text: str) -> str:
    """The Alt-key a text gives its control ("" when none), as Qt reads it: the
    character after a single "&"; "&&" is a literal ampersand."""
    return QKeySequence.mnemonic(text).toString()


def mnemonic_texts(window: QWidget) -> list[tuple[str, str]]:
    """(where, text) of everything in ``window`` shown now that owns an Alt-key:
    menu titles, buttons, check boxes, group boxes, tabs and labels with a buddy."""
    found: list[tuple[str, str]] = []
    if isinstance(window, QMainWindow) and window.menuBar().isVisible():
        found += [("menu", a.text()) for a in window.menuBar().actions() if a.isVisible()]
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.window() is not window:
            continue
        kind = type(widget).__name__
        if isinstance(widget, QAbstractButton):
            found.append((kind, widget.text()))
        elif isinstance(widget, QLabel) and widget.buddy() is not None:
            found.append((f"label of {type(widget.buddy()).__name__}", widget.text()))
        elif isinstance(widget, QGroupBox):
            found.append((kind, widget.title()))
        elif isinstance(widget, QTabBar):
            found += [
                (kind, widget.tabText(i)) for i in range(widget.count()) if widget.isTabVisible(i)
            ]
    return found


def clashes(where: str, texts: list[tuple[str, str]]) -> list[str]:
    by_key: dict[str, list[str]] = defaultdict(list)
    for kind, text in texts:
        key = mnemonic(text)
        if key:
            by_key[key].append(f"{kind} {text!r}")
    return [
        f"{where}: {key} is " + " and ".join(owners)
        for key, owners in sorted(by_key.items())
        if len(owners) > 1
    ]


def menu_clashes(window: QMainWindow) -> list[str]:
    """Inside each menu of the menu bar, its items' keys."""
    found = []
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu):
            menu.aboutToShow.emit()  # menus filled when they open
            items = [("item", a.text()) for a in menu.actions() if a.isVisible()]
            found += clashes(f"menu {action.text()!r}", items)
    return found


def every_clash(session: Session) -> list[str]:
    """Each clash once, with the first state it was seen in."""
    window = session.window
    demo = store_demo(session)
    found = menu_clashes(window)
    for state in main_window_states(session, demo):
        found += clashes(state, mnemonic_texts(window))
    for state in locked_state(session):
        found += clashes(state, mnemonic_texts(window))
    for state, dialog in dialog_states(session, demo):
        found += clashes(state, mnemonic_texts(dialog))
    first: dict[str, str] = {}
    for clash in found:
        where, what = clash.split(": ", 1)
        first.setdefault(what, where)
    return [f"{where}: {what}" for what, where in first.items()]


def source_strings(language: str) -> dict[str, list[str]]:
    """The English strings behind each translation in ``language``'s catalogue, so a
    clash can be reported by the strings translators know."""
    from babel.messages.pofile import read_po

    from sdm_app import paths
    from sdm_app.i18n import DOMAIN

    path = paths.locales_dir() / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if language == "en" or not path.is_file():
        return {}
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    sources: dict[str, list[str]] = defaultdict(list)
    for message in catalogue:
        if message.id and isinstance(message.id, str) and message.string and not message.fuzzy:
            sources[str(message.string)].append(message.id)
    return sources


def with_sources(clash: str, sources: dict[str, list[str]]) -> str:
    for translated, ids in sources.items():
        if ids != [translated] and f"{translated!r}" in clash:
            named = " or ".join(repr(source) for source in ids)
            clash = clash.replace(f"{translated!r}", f"{translated!r} (msgid {named})")
    return clash


def _cases() -> list[object]:
    return [
        pytest.param(
            language,
            marks=pytest.mark.xfail(reason=TRANSLATION_CLASHES[language], strict=True),
        )
        if language in TRANSLATION_CLASHES
        else language
        for language in LANGUAGES
    ]


@pytest.mark.parametrize("language", _cases())
def test_no_two_mnemonics_clash_in_a_window(session: Session, language: str) -> None:
    session.controller.apply_language(language)
    found = every_clash(session)
    if found:
        sources = source_strings(language)
        pytest.fail(f"{language}:\n" + "\n".join(with_sources(c, sources) for c in found))


def test_every_language_is_checked() -> None:
    assert {"en", "ar", "de", "zh", "hi", "en_XA"} <= set(LANGUAGES)


def test_the_check_sees_a_clash_and_only_among_what_is_shown(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    buttons = [QPushButton(text, window) for text in ("&Open", "&options", "Save && &close")]
    hidden = QPushButton("&Close", window)
    label = QLabel("&Name", window)  # no buddy: no shortcut
    for widget in (*buttons, hidden, label):
        layout.addWidget(widget)
    hidden.hide()
    window.show()
    settle()
    assert clashes("test", mnemonic_texts(window)) == [
        "test: Alt+O is QPushButton '&Open' and QPushButton '&options'"
    ]
    label.setBuddy(buttons[2])
    hidden.show()
    settle()
    assert clashes("test", mnemonic_texts(window)) == [
        "test: Alt+C is QPushButton 'Save && &close' and QPushButton '&Close'",
        "test: Alt+O is QPushButton '&Open' and QPushButton '&options'",
    ]
    label.setText("&Open")  # a label with a buddy owns its key
    assert "label of QPushButton '&Open'" in clashes("test", mnemonic_texts(window))[1]
