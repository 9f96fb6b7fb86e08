from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from sdm_app.app import Session, StartupProblem, create_application, start_session


@pytest.fixture
def session(qtbot: QtBot) -> Iterator[Session]:
    app = create_application()
    started = start_session(app)
    assert not isinstance(started, StartupProblem), started
    qtbot.addWidget(started.window)
    started.window.show()
    qtbot.waitExposed(started.window)
    yield started
    started.controller.apply_language("en")
    started.controller.apply_text_scale(100)
    started.library.close()
    started.database.close()
