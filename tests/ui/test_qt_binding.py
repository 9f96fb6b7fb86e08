"""The Qt binding itself must keep Python's reference counts right.

PySide6 6.12.0 returned None from every void call without taking a reference, so
None was freed after enough calls and the app aborted at a random moment. This
guards the version pin in pyproject.toml.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QTextBrowser
from pytestqt.qtbot import QtBot


def test_void_calls_and_empty_values_keep_none_alive(qtbot: QtBot) -> None:
    browser = QTextBrowser()
    qtbot.addWidget(browser)
    model = QStandardItemModel()
    model.appendRow(QStandardItem("row"))
    before = sys.getrefcount(None)
    for _ in range(500):
        browser.setHtml("<p>text</p>")  # a void call
        model.index(0, 0).data(Qt.ItemDataRole.UserRole + 1)  # an empty value
    assert sys.getrefcount(None) - before > -50
