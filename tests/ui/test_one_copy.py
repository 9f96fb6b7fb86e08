"""A second copy of the app on the same data says who holds it and does not open it."""

from __future__ import annotations

import subprocess
import sys

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
