"""File dialogs that leave no trace of the folders chosen.

Qt's file dialog remembers the last folder and a history in its own settings
file (``QtProject.conf`` or the registry), outside the app's protected data;
folder names often hold a patient's name. So each dialog's memory is removed as
soon as it closes; the folders last used to import and export are kept instead in
the encrypted user.db (``ConsultationStore.remember_folder``).
"""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QWidget

from sdm_app.ui.messages import focus_returned

# Where Qt's widget-based dialog writes what it remembers.
_QT_SETTINGS_ORGANISATION = "QtProject"
_QT_DIALOG_GROUP = "FileDialog"


def forget_dialog_history() -> None:
    settings = QSettings(QSettings.Scope.UserScope, _QT_SETTINGS_ORGANISATION)
    if _QT_DIALOG_GROUP in settings.childGroups():
        settings.remove(_QT_DIALOG_GROUP)
        settings.sync()


def open_file_name(parent: QWidget, title: str, folder: str, filters: str) -> str:
    try:
        with focus_returned():
            chosen, _filter = QFileDialog.getOpenFileName(parent, title, folder, filters)
    finally:
        forget_dialog_history()
    return str(chosen)


def save_file_name(parent: QWidget, title: str, suggested: str, filters: str) -> str:
    try:
        with focus_returned():
            chosen, _filter = QFileDialog.getSaveFileName(parent, title, suggested, filters)
    finally:
        forget_dialog_history()
    return str(chosen)
