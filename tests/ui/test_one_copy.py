"""A second copy of the app on the same data says who holds it and does not open it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from sdm_app.app import StartupProblem, create_application, start_session
from sdm_app.storage.user_db import UserDatabase


def test_a_second_copy_refuses_and_names_the_first(qtbot: QtBot) -> None:
    first = start_session(create_application())
    assert not isinstance(first, StartupProblem), first
    qtbot.addWidget(first.window)
    try:
        # Another process, as a second copy of the app would be.
        probe = subprocess.run(
            [
                sys.executable,
                "-c",
                "from sdm_app import paths; from sdm_app.storage.user_db import UserDatabase;"
                "print(UserDatabase(paths.user_db_path()).lock())",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        assert probe.stdout.startswith("process ")
        assert " on " in probe.stdout
        second = start_session(create_application())
        assert isinstance(second, StartupProblem)
        assert second.title == "Already open"
        assert "another copy of the app (process " in second.message
    finally:
        first.close()
    # Closed: the data is free again.
    again = UserDatabase(first.database.path)
    assert again.lock() is None
    again.close()


def test_saved_data_that_is_not_a_file_is_reported_not_waited_on(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from sdm_app import paths

    paths.user_db_path().parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(paths.user_db_path())
    problem = start_session(create_application())
    assert isinstance(problem, StartupProblem)
    assert "not a regular file" in problem.message
    # A data folder that is a file: a message, not a traceback.
    blocked = tmp_path / "a-file"
    blocked.write_text("x")
    monkeypatch.setenv("SDM_APP_DATA_DIR", str(blocked))
    problem = start_session(create_application())
    assert isinstance(problem, StartupProblem)
    assert problem.title == "Cannot open your saved data"
