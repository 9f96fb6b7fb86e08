"""The file dialogs leave no folder behind in Qt's own settings file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from sdm_app.ui import file_dialogs


def test_a_dialog_forgets_the_folders_it_saw(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Qt's settings for this test only, under tmp_path.
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    parent = QWidget()
    qtbot.addWidget(parent)
    folder = "file:///home/clinic/Surname_DOB1970"

    def remembering_dialog(*_args: object) -> tuple[str, str]:
        # What Qt's dialog does as it closes (QFileDialogPrivate::saveSettings).
        settings = QSettings(QSettings.Scope.UserScope, "QtProject")
        settings.setValue("FileDialog/lastVisited", folder)
        settings.setValue("FileDialog/history", [folder])
        settings.setValue("Other/kept", "yes")
        settings.sync()
        return str(tmp_path / "report.json"), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", remembering_dialog)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", remembering_dialog)
    assert file_dialogs.open_file_name(parent, "t", "", "*") == str(tmp_path / "report.json")
    settings = QSettings(QSettings.Scope.UserScope, "QtProject")
    assert "FileDialog" not in settings.childGroups()
    assert settings.value("Other/kept") == "yes"  # only the dialog's memory goes
    file_dialogs.save_file_name(parent, "t", "", "*")
    assert "Surname" not in "".join(p.read_text(errors="replace") for p in tmp_path.rglob("*.conf"))
