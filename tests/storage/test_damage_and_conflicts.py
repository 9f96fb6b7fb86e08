"""user.db under pressure: a stale copy's save is refused, a damaged value never
makes a consultation (or the list) unreachable, and no error quotes stored text."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from sdm_app.core.consultation import Consultation, Context
from sdm_app.core.results import TestResult
from sdm_app.storage.consultations import (
    ConsultationConflictError,
    ConsultationNotSavedError,
    ConsultationStore,
)
from sdm_app.storage.settings import SettingsNotSavedError, SettingsStore
from sdm_app.storage.user_db import UserDatabase
from sdm_app.storage.user_db import connect as user_db_connect

CANARY = "Canary-Q7x-Surname-1970"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "user.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[ConsultationStore]:
    database = UserDatabase(db_path)
    yield ConsultationStore(database)
    database.close()


def _filled(store: ConsultationStore, label: str) -> Consultation:
    result = TestResult(
        id=None, gene="BRCA2", alteration="c.5946delT", reported_on=date(2026, 11, 2)
    )
    return store.save(
        replace(
            store.create(),
            patient_label=label,
            context=Context(condition="Breast cancer", decision="Risk management"),
            results=(result,),
            value_ratings={"v1": 3},
            clinician_notes=f"notes of {label}",
        )
    )


def test_a_stale_copy_cannot_overwrite_newer_changes(db_path: Path) -> None:
    # Two copies of the app on one user.db, each with its own connection.
    first, second = UserDatabase(db_path), UserDatabase(db_path)
    try:
        a, b = ConsultationStore(first), ConsultationStore(second)
        stored = _filled(a, "visit 1")
        mine = a.load(stored.id or 0)
        theirs = b.load(stored.id or 0)
        assert mine is not None and theirs is not None
        pathogenic = replace(mine.results[0], class_code="P", scheme_id="acmg-amp-2015")
        mine = a.save(replace(mine, clinician_notes="added by A", results=(pathogenic,)))
        with pytest.raises(ConsultationConflictError, match="another copy of the app"):
            b.save(replace(theirs, leaning="stale change"))
        kept = a.load(stored.id or 0)
        assert kept is not None
        assert kept.clinician_notes == "added by A" and kept.results[0].class_code == "P"
        assert kept.leaning == ""
        # Each copy goes on from what it last stored.
        again = a.save(replace(mine, leaning="targeted"))
        assert a.load(again.id or 0) == again
    finally:
        first.close()
        second.close()


def _damage(db_path: Path, statement: str) -> None:
    with user_db_connect(db_path, None) as connection:
        connection.execute(statement)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE consultations SET updated_at = 'garbage' WHERE patient_label = 'damaged'",
        "UPDATE consultations SET created_at = 'garbage' WHERE patient_label = 'damaged'",
        "UPDATE consultations SET current_step = 'no-such-step' WHERE patient_label = 'damaged'",
        "UPDATE value_ratings SET rating = 'abc' WHERE consultation_id = "
        "(SELECT id FROM consultations WHERE patient_label = 'damaged')",
        "UPDATE test_results SET reported_on = 'not-a-date' WHERE consultation_id = "
        "(SELECT id FROM consultations WHERE patient_label = 'damaged')",
        "UPDATE test_results SET therapies = '{not json' WHERE consultation_id = "
        "(SELECT id FROM consultations WHERE patient_label = 'damaged')",
        "UPDATE test_results SET gene = 42 WHERE consultation_id = "
        "(SELECT id FROM consultations WHERE patient_label = 'damaged')",
    ],
)
def test_one_damaged_value_leaves_everything_else_reachable(
    store: ConsultationStore, db_path: Path, statement: str
) -> None:
    healthy = _filled(store, "healthy")
    damaged = _filled(store, "damaged")
    with user_db_connect(db_path, None) as connection:
        connection.execute("PRAGMA ignore_check_constraints = ON")
        connection.execute(statement)
    listed = {entry.patient_label: entry for entry in store.listing()}
    assert set(listed) == {"healthy", "damaged"}
    assert store.load(healthy.id or 0) == healthy
    opened = store.load(damaged.id or 0)
    assert opened is not None and opened.patient_label == "damaged"
    assert opened.clinician_notes == "notes of damaged"
    # It can be worked on and saved again.
    saved = store.save(replace(opened, leaning="not_sure"))
    assert store.load(saved.id or 0) == saved


def test_a_failed_save_never_quotes_what_was_typed(store: ConsultationStore, db_path: Path) -> None:
    saved = _filled(store, CANARY)
    _damage(db_path, "DROP TABLE test_results")
    changed = replace(saved.results[0], lab=f"{CANARY} lab")
    with pytest.raises(ConsultationNotSavedError) as caught:
        store.save(replace(saved, clinician_notes=f"{CANARY} notes", results=(changed,)))
    message = str(caught.value)
    assert str(db_path) in message
    assert CANARY not in message and "INSERT" not in message and "UPDATE" not in message


def test_a_failed_setting_never_quotes_its_value(db_path: Path) -> None:
    database = UserDatabase(db_path)
    try:
        settings = SettingsStore(database)
        settings.update(genetics_service="first")
        _damage(db_path, "DROP TABLE settings")
        with pytest.raises(SettingsNotSavedError) as caught:
            settings.update(genetics_service=CANARY)
        assert CANARY not in str(caught.value) and "INSERT" not in str(caught.value)
    finally:
        database.close()


def test_an_autosave_writes_only_what_changed(store: ConsultationStore, db_path: Path) -> None:
    results = tuple(
        TestResult(id=None, gene=f"GENE{n}", alteration=f"c.{n}A>G") for n in range(200)
    )
    saved = store.save(replace(store.create(), results=results))
    statements: list[str] = []
    with store_trace(db_path, statements, store):
        again = store.save(replace(saved, leaning="targeted"))
    touched = [s for s in statements if "test_results" in s and not s.startswith("SELECT")]
    assert touched == []  # 200 unchanged results: not one written
    edited = replace(again.results[2], lab="Lab B")
    moved = (again.results[1], again.results[0], edited, *again.results[3:-1])
    statements.clear()
    with store_trace(db_path, statements, store):
        last = store.save(replace(again, results=moved))
    updates = [s for s in statements if s.startswith("UPDATE test_results")]
    deletes = [s for s in statements if s.startswith("DELETE FROM test_results")]
    assert len(updates) == 3 and len(deletes) == 1  # two moved, one edited; one removed
    assert store.load(last.id or 0) == last
    # A copy that is not the version this store wrote is written whole, still correctly.
    other = ConsultationStore(UserDatabase(db_path))
    fresh = other.load(last.id or 0)
    assert fresh == last


@contextmanager
def store_trace(db_path: Path, statements: list[str], store: ConsultationStore) -> Iterator[None]:
    from sqlalchemy import event

    engine = store._database.engine

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_text_that_is_not_utf8_hides_nothing(store: ConsultationStore, db_path: Path) -> None:
    healthy = _filled(store, "healthy")
    damaged = _filled(store, "damaged")
    with user_db_connect(db_path, None) as connection:
        connection.execute(
            "UPDATE consultations SET patient_label = CAST(X'64616dff6765' AS TEXT) WHERE id = ?",
            (damaged.id,),
        )
        connection.execute(
            "UPDATE test_results SET lab = CAST(X'ff00ff' AS TEXT) WHERE consultation_id = ?",
            (damaged.id,),
        )
    labels = {entry.patient_label for entry in store.listing()}
    assert "healthy" in labels and "dam\ufffdge" in labels
    opened = store.load(damaged.id or 0)
    assert opened is not None and opened.results[0].gene == "BRCA2"
    assert store.load(healthy.id or 0) == healthy
