"""Written options and the patient's deliberation in user.db: they round-trip exactly,
a database from before them (schema 0004) upgrades with nothing lost, a failed
upgrade changes nothing, and damaged values load leniently."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from sdm_app.core.consultation import Consultation, Step
from sdm_app.core.deliberation import DecisionStage, OtherPerson, Reason, ReasonSide
from sdm_app.core.written_options import (
    WRITTEN_OPTIONS,
    WrittenNumber,
    WrittenOption,
    WrittenOptions,
)
from sdm_app.storage.consultations import (
    ConsultationNotSavedError,
    ConsultationStore,
    make_storable,
)
from sdm_app.storage.migrations import HEAD_REVISION
from sdm_app.storage.user_db import (
    MIGRATIONS_DIR,
    UserDatabase,
    UserDatabaseError,
    create_engine,
    current_revision,
    migrate,
)
from sdm_app.storage.user_db import connect as user_db_connect

WRITTEN = WrittenOptions(
    ("What does it involve?", "What are the possible benefits?", "What are the harms?"),
    (
        WrittenOption(
            "written:1",
            "Irinotecan at a lower dose",
            ("A drip every 2 weeks", "Disease control", "Diarrhoea, tiredness"),
            (
                WrittenNumber(
                    "people with severe diarrhoea",
                    "12",
                    "100",
                    "the first 3 months",
                    "CPIC 2022 guideline, table 2 — as I recall",
                    "moderate",
                ),
                WrittenNumber("tumours that shrink", "2,5", "1 000"),  # kept as typed
            ),
        ),
        WrittenOption("written:2", "Another medicine", ("Tablets", "", "")),
        WrittenOption("written:4", "ما يفضّله المريض", ("انتظار", "", "")),
    ),
)
REASONS = (
    Reason("written:1", ReasonSide.FOR, "It worked for my brother", 4),
    Reason("written:1", ReasonSide.AGAINST, "The drive to the hospital", 2),
    Reason("written:2", ReasonSide.AGAINST, "Not yet rated", None),
    Reason("written:4", ReasonSide.FOR, "وقت مع العائلة", 0),
)
OTHERS = (
    OtherPerson("My wife", "written:1", True),
    OtherPerson("My GP", "not-sure", False),
    OtherPerson("My son"),
)


def _deliberating(consultation: Consultation) -> Consultation:
    return replace(
        consultation,
        decision_aid_id=WRITTEN_OPTIONS,
        written_options=WRITTEN,
        reasons=REASONS,
        others=OTHERS,
        decision_stage=DecisionStage.CONSIDERING.value,
        leaning="written:4",
        current_step=Step.VALUES,
    )


@pytest.fixture
def store(tmp_path: Path) -> ConsultationStore:
    return ConsultationStore(UserDatabase(tmp_path / "user.db"))


def test_written_options_and_deliberation_round_trip(store: ConsultationStore) -> None:
    saved = store.save(_deliberating(store.create()))
    loaded = store.load(saved.id or 0)
    assert loaded == saved
    assert loaded.written_options == WRITTEN
    assert loaded.reasons == REASONS
    assert loaded.others == OTHERS
    assert loaded.decision_stage == "considering"
    assert loaded.uses_written_options
    assert loaded.written_options.options[0].numbers[1].numerator == "2,5"
    # A change to one reason alone is saved too (no optimisation skips it).
    changed = replace(loaded, reasons=(*REASONS[:-1], replace(REASONS[-1], importance=5)))
    again = store.save(changed)
    assert store.load(saved.id or 0) == again
    assert again.reasons[-1].importance == 5


def test_a_lone_surrogate_in_a_new_field_is_refused_naming_it(store: ConsultationStore) -> None:
    saved = store.save(_deliberating(store.create()))
    broken_option = replace(WRITTEN.options[1], answers=("ok", "bad \udc80", ""))
    cases = {
        r"written_options\.options\[1\]\.answers\[1\]": replace(
            saved,
            written_options=replace(
                WRITTEN, options=(WRITTEN.options[0], broken_option, WRITTEN.options[2])
            ),
        ),
        r"reasons\[0\]\.text": replace(
            saved, reasons=(Reason("written:1", ReasonSide.FOR, "\ud800"),)
        ),
        r"others\[1\]\.role": replace(saved, others=(OTHERS[0], OtherPerson("\udfff"))),
    }
    for field, bad in cases.items():
        with pytest.raises(ConsultationNotSavedError, match=field):
            store.save(bad)
        assert store.load(saved.id or 0) == saved
        cleaned = store.save(make_storable(replace(bad, revision=saved.revision)))
        assert "\ufffd" in repr(cleaned)
        saved = store.save(
            replace(cleaned, written_options=WRITTEN, reasons=REASONS, others=OTHERS)
        )


def test_damaged_stored_values_load_leniently(store: ConsultationStore, tmp_path: Path) -> None:
    saved = store.save(_deliberating(store.create()))
    with user_db_connect(tmp_path / "user.db", None) as connection:
        connection.execute(
            "UPDATE consultations SET written_options = '{bad', others_involved = '7', "
            "reasons = ?, decision_stage = 'from-the-future'",
            (
                '[{"option_id": "written:1", "side": "sideways", "text": "x"},'
                ' {"option_id": "written:1", "side": "for", "text": "kept", "importance": 9},'
                ' "not a reason"]',
            ),
        )
    loaded = store.load(saved.id or 0)
    assert loaded is not None
    assert loaded.written_options == WrittenOptions()
    assert loaded.others == ()
    assert loaded.reasons == (Reason("written:1", ReasonSide.FOR, "kept", None),)
    assert loaded.decision_stage == "from-the-future"  # kept; shown as not asked
    assert loaded.patient_label == saved.patient_label


def _at_0004(db_path: Path) -> None:
    """A user.db as release 0004 left it, with a consultation in it."""
    from alembic import command
    from alembic.config import Config

    engine = create_engine(db_path)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0004")
    engine.dispose()
    with user_db_connect(db_path, None) as connection:
        connection.execute(
            "INSERT INTO consultations (created_at, updated_at, patient_label, condition, "
            "decision, present, materials_locale, decision_aid_id, leaning, next_steps, "
            "involve, family_note, clinician_notes, current_step) VALUES "
            "('2026-01-05 10:00:00.000000', '2026-01-05 10:30:00.000000', 'Visit B', "
            "'Bowel cancer', 'Second treatment', 'patient', 'ar', 'some-aid', 'not-sure', "
            "'n', 'i', 'Ring me', 'cn', 'ready')"
        )
        connection.execute(
            "INSERT INTO value_ratings (consultation_id, value_id, rating) VALUES (1, 'v', 2)"
        )


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_0004_database_upgrades_keeps_everything_and_stores_the_new_fields(
    tmp_path: Path,
) -> None:
    db_path = tmp_path / "data" / "user.db"
    db_path.parent.mkdir()
    _at_0004(db_path)
    assert current_revision(db_path) == "0004"
    database = UserDatabase(db_path)
    store = ConsultationStore(database)
    try:
        old = store.load(1)  # opening migrates
        assert current_revision(db_path) == HEAD_REVISION == "0005"
        assert old is not None
        assert (old.patient_label, old.context.condition, old.family_note) == (
            "Visit B",
            "Bowel cancer",
            "Ring me",
        )
        assert (old.decision_aid_id, old.leaning, old.value_ratings) == (
            "some-aid",
            "not-sure",
            {"v": 2},
        )
        assert old.created_at == datetime(2026, 1, 5, 10, 0)
        assert (old.written_options, old.reasons, old.others, old.decision_stage) == (
            WrittenOptions(),
            (),
            (),
            "",
        )
        saved = store.save(_deliberating(old))
        assert store.load(1) == saved
    finally:
        database.close()
    reopened = UserDatabase(db_path)
    try:
        assert ConsultationStore(reopened).load(1) == saved
    finally:
        reopened.close()


def test_a_failed_upgrade_from_0004_leaves_the_file_as_it_was_and_can_be_done_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alembic import command

    db_path = tmp_path / "data" / "user.db"
    db_path.parent.mkdir()
    _at_0004(db_path)
    before = _digest(db_path)
    real_upgrade = command.upgrade

    def upgrade_then_fail(config: object, revision: str) -> None:
        real_upgrade(config, revision)  # type: ignore[arg-type]
        raise RuntimeError("power lost after the new columns were added")

    monkeypatch.setattr(command, "upgrade", upgrade_then_fail)
    with pytest.raises(UserDatabaseError, match="unchanged"):
        migrate(db_path)
    assert _digest(db_path) == before
    assert current_revision(db_path) == "0004"
    with user_db_connect(db_path, None) as connection:
        columns = {row[1] for row in connection.execute("PRAGMA table_info(consultations)")}
    assert "reasons" not in columns
    monkeypatch.setattr(command, "upgrade", real_upgrade)
    migrate(db_path)
    assert current_revision(db_path) == HEAD_REVISION
