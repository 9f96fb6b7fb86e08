from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from sdm_app.app import Session, create_application, start_session


@pytest.fixture
def session(qtbot: QtBot) -> Iterator[Session]:
    app = create_application()
    started = start_session(app)
    assert isinstance(started, Session), started  # not a problem, not cancelled
    qtbot.addWidget(started.window)
    # Every test's data is new, so the app opens on its start page; tests begin where
    # a returning user's app opens, on the library (test_start_page.py has the first
    # start's own tests).
    started.window.show_page("library")
    started.window.show()
    qtbot.waitExposed(started.window)
    yield started
    started.controller.apply_language("en")
    started.controller.apply_text_scale(100)
    started.library.close()
    started.database.close()
