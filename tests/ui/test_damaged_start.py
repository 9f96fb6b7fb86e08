"""The app always starts: a consultation that cannot be read is reported, and the
others stay usable."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from sdm_app import paths
from sdm_app.app import Session, StartupProblem, create_application, start_session
from sdm_app.core.consultation import Consultation, Context
from sdm_app.storage.consultations import ConsultationNotLoadedError, ConsultationStore
from sdm_app.storage.user_db import UserDatabase


def _two_consultations() -> tuple[int, int]:
    database = UserDatabase(paths.user_db_path())
    try:
        store = ConsultationStore(database)
        ids = []
        for label in ("healthy", "damaged"):
            created = store.create()
            saved = store.save(
                replace(created, patient_label=label, context=Context(condition="Lung cancer"))
            )
            ids.append(saved.id or 0)
        store.remember_open(ids[1])  # the damaged one was open at the last exit
        return ids[0], ids[1]
    finally:
        database.close()


def _start(qtbot: QtBot, shown: list[tuple[str, str]], monkeypatch: pytest.MonkeyPatch) -> Session:
    from sdm_app.ui import messages

    monkeypatch.setattr(
        messages, "show_message", lambda _p, _i, title, text, *_a, **_k: shown.append((title, text))
    )
    started = start_session(create_application())
    assert not isinstance(started, StartupProblem), started
    qtbot.addWidget(started.window)
    return started


def test_a_damaged_date_in_the_open_consultation_does_not_stop_the_start(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    healthy, damaged = _two_consultations()
    with sqlite3.connect(paths.user_db_path()) as connection:
        connection.execute(
            "UPDATE consultations SET updated_at = 'garbage' WHERE id = ?", (damaged,)
        )
    shown: list[tuple[str, str]] = []
    started = _start(qtbot, shown, monkeypatch)
    try:
        page = started.window.consultations_page
        assert page.model.consultation is not None
        assert page.model.consultation.patient_label == "damaged"
        assert page.model.store.load(healthy) is not None
    finally:
        started.library.close()
        started.database.close()


def test_an_unreadable_consultation_is_reported_and_the_others_open(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    healthy, damaged = _two_consultations()
    real_load = ConsultationStore.load

    def load(self: ConsultationStore, consultation_id: int) -> Consultation | None:
        if consultation_id == damaged:  # as a damaged database page reads
            raise ConsultationNotLoadedError(
                Path(self.path), sqlite3.DatabaseError("database disk image is malformed")
            )
        return real_load(self, consultation_id)

    monkeypatch.setattr(ConsultationStore, "load", load)
    shown: list[tuple[str, str]] = []
    started = _start(qtbot, shown, monkeypatch)
    try:
        page = started.window.consultations_page
        assert page.model.consultation is None  # the damaged one did not open
        titles = [title for title, _text in shown]
        assert "Consultation not opened" in titles
        message = next(text for title, text in shown if title == "Consultation not opened")
        assert "the file is damaged" in message and "The others are not affected" in message
        assert page.open_consultation(healthy)
        assert page.model.consultation is not None
        assert page.model.consultation.patient_label == "healthy"
    finally:
        started.library.close()
        started.database.close()
