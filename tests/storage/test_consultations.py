from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from sdm_app.core.consultation import Consultation, Context, Step
from sdm_app.core.deliberation import DecisionStage, OtherPerson, Reason, ReasonSide
from sdm_app.core.results import (
    BiomarkerKind,
    Confirmation,
    CopyNumberChange,
    Direction,
    Origin,
    Sample,
    TestType,
    Therapy,
    Zygosity,
)

# Aliased: pytest would try to collect a name starting with "Test".
from sdm_app.core.results import TestResult as Result
from sdm_app.core.written_options import WrittenNumber, WrittenOption, WrittenOptions
from sdm_app.storage.consultations import (
    ConsultationListing,
    ConsultationNotLoadedError,
    ConsultationNotSavedError,
    ConsultationStore,
    UnstorableTextError,
    make_storable,
)
from sdm_app.storage.migrations import HEAD_REVISION
from sdm_app.storage.settings import Settings, SettingsStore, read_plain_settings
from sdm_app.storage.user_db import (
    MIGRATIONS_DIR,
    OPEN_CONSULTATION_KEY,
    UserDatabase,
    create_engine,
    current_revision,
    read_settings_snapshot,
)
from sdm_app.storage.user_db import connect as user_db_connect

CONSULTATION_TABLES = (
    "consultations",
    "test_results",
    "value_ratings",
    "sure_answers",
    "questions",
)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "user.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[ConsultationStore]:
    database = UserDatabase(db_path)
    yield ConsultationStore(database)
    database.close()


WRITTEN = WrittenOptions(
    ("What does it involve?", "What are the possible harms?"),
    (
        WrittenOption(
            "written:1",
            "A trial drug",
            ("Tablets daily", "Tiredness"),
            (WrittenNumber("tumours shrink", "30", "100", "1 year", "Phase 2 abstract", "low"),),
        ),
        WrittenOption("written:2", "Wait and scan", ("A scan every 3 months", "")),
    ),
)


def _full(consultation: Consultation) -> Consultation:
    return replace(
        consultation,
        patient_label="P-17",
        context=Context(
            condition="Non-small cell lung cancer",
            decision="First-line treatment",
            present="Patient and daughter",
            materials_locale="ar",
        ),
        results=(
            Result(
                id=None,
                kind=BiomarkerKind.SEQUENCE_VARIANT,
                gene="EGFR",
                alteration="p.L858R",
                origin=Origin.SOMATIC,
                confirmation=Confirmation.NOT_GERMLINE,
                scheme_id="amp_asco_cap_2017",
                class_code="IA",
                sample=Sample.TISSUE,
                lab="Lab A",
                reported_on=date(2024, 3, 1),
                therapies=(
                    Therapy("osimertinib", Direction.SENSITIVE, "IA", "NSCLC"),
                    Therapy("erlotinib"),
                ),
                clinician_note="confirm with the tumour board",
                test_type=TestType.TUMOUR_NORMAL,
                test_name="Solid tumour panel v3",
                test_method="NGS, hybrid capture",
                genes_covered="523 genes",
                specimen="FFPE lung biopsy",
                collected_on=date(2024, 2, 20),
                accession="MP-24-0117",
                hgvs_c="c.2573T>G",
                hgvs_p="p.(Leu858Arg)",
                hgvs_g="NC_000007.14:g.55191822T>G",
                transcript="NM_005228.5",
                genome_build="GRCh38",
                zygosity=Zygosity.HETEROZYGOUS,
                vaf="23.50",
                tumour_fraction="40",
            ),
            Result(
                id=None,
                kind=BiomarkerKind.SIGNATURE,
                gene="TMB",
                alteration="12 mut/Mb",
                value="12.0",
                unit="mut/Mb",
            ),
            Result(
                id=None,
                kind=BiomarkerKind.FUSION,
                partners=("EML4", "ALK"),
                alteration="EML4::ALK v3",
            ),
            Result(
                id=None,
                kind=BiomarkerKind.COPY_NUMBER,
                gene="ERBB2",
                copy_number_change=CopyNumberChange.AMPLIFICATION,
                copy_number="18",
            ),
            Result(
                id=None,
                kind=BiomarkerKind.PHARMACOGENOMIC,
                gene="DPYD",
                diplotype="c.[1905+1G>A];[=]",
                activity_score="1.0",
                scheme_id="cpic-2017",
                class_code="IM",
            ),
            Result(id=None, kind=BiomarkerKind.NO_FINDING),
        ),
        decision_aid_id="nsclc-first-line",
        value_ratings={"live_longer": 4, "side_effects": 0, "time_at_home": 2},
        sure={"sure_of_best": True, "knows_benefits_risks": False, "clear_values": True},
        bank_questions=("q-side-effects", "q-cost"),
        own_questions=("Can I keep working?", "What about my diet?"),
        leaning="targeted",
        next_steps="Start in two weeks",
        involve="Family doctor",
        family_note="Ring me before you decide: 0161 555 0199",
        written_options=WRITTEN,
        reasons=(
            Reason("targeted", ReasonSide.FOR, "Tablets at home", 5),
            Reason("targeted", ReasonSide.AGAINST, "Rash", 2),
            Reason("written:2", ReasonSide.FOR, "Nothing new to learn", None),
        ),
        others=(OtherPerson("My daughter", "targeted", True), OtherPerson("My GP")),
        decision_stage=DecisionStage.CLOSE.value,
        clinician_notes="Discussed at length",
        current_step=Step.READY,
    )


def _row_counts(db_path: Path) -> dict[str, int]:
    with user_db_connect(db_path, None) as connection:
        return {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in CONSULTATION_TABLES
        }


def test_a_full_consultation_round_trips(store: ConsultationStore) -> None:
    created = store.create(now=datetime(2024, 3, 1, 9, 30, 15, 123456))
    assert created.id is not None
    assert created.created_at == created.updated_at == datetime(2024, 3, 1, 9, 30, 15, 123456)
    assert store.load(created.id) == created

    saved = store.save(_full(created))
    assert saved.id == created.id
    assert saved.created_at == created.created_at
    assert saved.updated_at > created.updated_at
    assert all(result.id is not None for result in saved.results)
    assert replace(saved, updated_at=created.updated_at, results=()) == replace(
        _full(created), results=()
    )
    assert store.load(created.id) == saved


def test_a_consultation_survives_reopening_the_database(db_path: Path) -> None:
    database = UserDatabase(db_path)
    saved = ConsultationStore(database).save(_full(ConsultationStore(database).create()))
    database.close()
    reopened = UserDatabase(db_path)
    assert saved.id is not None
    assert ConsultationStore(reopened).load(saved.id) == saved
    reopened.close()


def test_saving_without_an_id_inserts(store: ConsultationStore) -> None:
    unsaved = _full(
        Consultation(id=None, created_at=datetime(2024, 1, 1), updated_at=datetime(2024, 1, 1))
    )
    saved = store.save(unsaved)
    assert saved.id is not None
    assert saved.created_at == datetime(2024, 1, 1)
    assert store.load(saved.id) == saved


def test_result_ids_are_stable(store: ConsultationStore, db_path: Path) -> None:
    full = _full(store.create())
    saved = store.save(replace(full, results=full.results[:3]))
    first, second, third = saved.results
    assert len({first.id, second.id, third.id}) == 3

    edited = replace(second, gene="MET", clinician_note="edited")
    added = Result(id=None, kind=BiomarkerKind.FUSION, gene="ALK")
    again = store.save(replace(saved, results=(third, edited, added)))

    assert [result.id for result in again.results[:2]] == [third.id, second.id]
    new_id = again.results[2].id
    assert new_id is not None and new_id not in {first.id, second.id, third.id}
    assert again.results[1] == edited
    assert store.load(saved.id or 0) == again
    assert _row_counts(db_path)["test_results"] == 3

    # A deleted result's id is never handed out again (AUTOINCREMENT).
    assert all(new_id > (old or 0) for old in (first.id, second.id, third.id))


def test_a_result_id_of_another_consultation_is_stored_as_a_new_result(
    store: ConsultationStore,
) -> None:
    one = store.save(_full(store.create()))
    other = store.create()
    foreign = one.results[0]
    saved = store.save(replace(other, results=(foreign, foreign)))
    ids = [result.id for result in saved.results]
    assert foreign.id not in ids and len(set(ids)) == 2
    assert store.load(one.id or 0) == one  # the other consultation's result is untouched


def test_delete_removes_every_row(store: ConsultationStore, db_path: Path) -> None:
    kept = store.save(_full(store.create()))
    gone = store.save(_full(store.create()))
    assert gone.id is not None and kept.id is not None
    store.remember_open(gone.id)
    before = _row_counts(db_path)

    store.delete(gone.id)

    after = _row_counts(db_path)
    assert after == {table: count // 2 for table, count in before.items()}
    with user_db_connect(db_path, None) as connection:
        for table in CONSULTATION_TABLES[1:]:
            leftover = connection.execute(
                f"SELECT count(*) FROM {table} WHERE consultation_id = ?", (gone.id,)
            ).fetchone()[0]
            assert leftover == 0, table
    assert store.load(gone.id) is None
    assert store.load(kept.id) == kept
    assert store.open_consultation_id() is None

    store.delete(kept.id)
    assert _row_counts(db_path) == dict.fromkeys(CONSULTATION_TABLES, 0)
    store.delete(kept.id)  # deleting again is harmless


def test_listing_shows_the_most_recently_changed_first(store: ConsultationStore) -> None:
    assert store.listing() == []
    old = store.save(
        replace(
            store.create(now=datetime(2024, 1, 1)), patient_label="A", context=Context("c", "d")
        )
    )
    middle = store.create(now=datetime(2024, 1, 2))
    new = store.create(now=datetime(2024, 1, 3))
    # Saved just now, so the oldest consultation is the most recently changed.
    assert [item.id for item in store.listing()] == [old.id, new.id, middle.id]
    assert store.listing()[0] == ConsultationListing(
        id=old.id or 0,
        created_at=datetime(2024, 1, 1),
        updated_at=old.updated_at,
        patient_label="A",
        condition="c",
        decision="d",
    )
    store.save(middle)
    assert [item.id for item in store.listing()] == [middle.id, old.id, new.id]


def _naughty(consultation: Consultation, text: str) -> Consultation:
    return replace(
        consultation,
        patient_label=text,
        context=Context(condition=text, decision=text, present=text, materials_locale=text),
        results=(
            Result(
                id=None,
                gene=text,
                alteration=text,
                scheme_id=text,
                class_code=text,
                lab=text,
                therapies=(
                    Therapy(text, Direction.RESISTANT, text, text),
                    Therapy(text + "2"),
                    Therapy(text),
                ),
                partners=(text, text),
                hgvs_c=text,
                vaf=text,
                diplotype=text,
                clinician_note=text,
            ),
        ),
        decision_aid_id=text,
        value_ratings={text: 3, text + "x": 1},
        bank_questions=(text,),
        own_questions=(text, text + " ?"),
        leaning=text,
        next_steps=text,
        involve=text,
        written_options=WrittenOptions(
            (text,),
            (
                WrittenOption(
                    "written:1", text, (text,), (WrittenNumber(text, text, text, text, text),)
                ),
                WrittenOption("written:2", text + "x"),
            ),
        ),
        reasons=(Reason(text, ReasonSide.AGAINST, text, 3),),
        others=(OtherPerson(text, text, False),),
        decision_stage=text,
        clinician_notes=text,
    )


def test_every_naughty_string_round_trips_in_every_text_field(
    store: ConsultationStore, blns: list[str]
) -> None:
    extras = ["a\x00b", "\x00", "\x00\x00 end", "\ufeffBOM", "\U0001f9ec\u200d", "\r\n\t ", " "]
    consultation = store.create()
    mismatches = []
    for text in [*blns, *extras]:
        saved = store.save(_naughty(consultation, text))
        consultation = saved  # the next save continues from what was stored
        loaded = store.load(saved.id or 0)
        if (
            loaded != saved
            or saved.next_steps != text
            or saved.results[0].therapies[0].name != text
        ):
            mismatches.append(text)
    assert mismatches == []


def test_a_lone_surrogate_is_refused_naming_the_field_and_nothing_changes(
    store: ConsultationStore,
) -> None:
    saved = store.save(_full(store.create()))
    broken_result = replace(saved.results[1], lab="lab \udc80")
    bad = replace(saved, next_steps="fine", results=(saved.results[0], broken_result))
    with pytest.raises(ConsultationNotSavedError, match=r"user\.db: results\[1\]\.lab") as caught:
        store.save(bad)
    assert isinstance(caught.value.reason, UnstorableTextError)
    assert caught.value.reason.field == "results[1].lab"
    assert store.load(saved.id or 0) == saved

    for field in ("patient_label", "next_steps", "involve", "clinician_notes"):
        with pytest.raises(ConsultationNotSavedError, match=field):
            store.save(replace(saved, **{field: "\ud800"}))  # type: ignore[arg-type]
    with pytest.raises(ConsultationNotSavedError, match=r"own_questions\[0\]"):
        store.save(replace(saved, own_questions=("x\udfff",)))
    assert store.load(saved.id or 0) == saved

    # The caller may choose to keep the rest: lone ones become U+FFFD, split pairs join.
    cleaned = store.save(make_storable(replace(bad, involve="\ud83e\uddec \ud800")))
    assert cleaned.results[1].lab == "lab \ufffd"
    assert cleaned.involve == "\U0001f9ec \ufffd"
    assert store.load(saved.id or 0) == cleaned


def test_a_failed_save_leaves_the_previous_state(store: ConsultationStore, db_path: Path) -> None:
    saved = store.save(_full(store.create()))
    counts = _row_counts(db_path)
    # A rating out of range fails late, after the scalars and results were written.
    bad = replace(
        saved,
        next_steps="changed",
        results=(*saved.results[1:], Result(id=None, gene="NEW")),
        value_ratings={"live_longer": 9},
    )
    with pytest.raises(ConsultationNotSavedError, match=r"user\.db"):
        store.save(bad)
    assert store.load(saved.id or 0) == saved
    assert _row_counts(db_path) == counts


def test_saving_a_deleted_consultation_fails(store: ConsultationStore) -> None:
    saved = store.save(_full(store.create()))
    store.delete(saved.id or 0)
    with pytest.raises(ConsultationNotSavedError, match="no longer exists"):
        store.save(saved)
    assert store.listing() == []


def test_the_open_consultation_is_remembered_outside_settings(
    store: ConsultationStore, db_path: Path
) -> None:
    assert store.open_consultation_id() is None
    settings = SettingsStore(store._database)
    settings.update(text_scale=150)
    consultation = store.create()
    store.remember_open(consultation.id)
    assert store.open_consultation_id() == consultation.id
    assert read_settings_snapshot(db_path)[OPEN_CONSULTATION_KEY] == str(consultation.id)
    stored = {**read_settings_snapshot(db_path), **read_plain_settings(db_path)}
    assert Settings.from_text(stored) == Settings(text_scale=150)
    settings.update(high_contrast=True)  # writing settings keeps the open consultation
    assert store.open_consultation_id() == consultation.id
    store.remember_open(None)
    assert store.open_consultation_id() is None
    assert read_plain_settings(db_path)["text_scale"] == "150"


def test_failures_name_user_db_and_the_reason(tmp_path: Path) -> None:
    unusable = tmp_path / "user.db"
    unusable.mkdir()  # a folder where the database file should be
    store = ConsultationStore(UserDatabase(unusable))
    with pytest.raises(ConsultationNotSavedError, match=r"user\.db: ") as caught:
        store.create()
    assert caught.value.path == unusable
    with pytest.raises(ConsultationNotSavedError, match=r"user\.db: "):
        store.save(Consultation(id=None, created_at=datetime.now(), updated_at=datetime.now()))
    with pytest.raises(ConsultationNotSavedError, match=r"user\.db: "):
        store.remember_open(1)
    with pytest.raises(ConsultationNotSavedError, match=r"user\.db: "):
        store.delete(1)
    with pytest.raises(ConsultationNotLoadedError, match=r"user\.db: "):
        store.load(1)
    with pytest.raises(ConsultationNotLoadedError, match=r"user\.db: "):
        store.listing()
    assert store.open_consultation_id() is None


def test_unknown_stored_values_load_leniently(store: ConsultationStore, db_path: Path) -> None:
    saved = store.save(_full(store.create()))
    with user_db_connect(db_path, None) as connection:
        connection.execute("UPDATE consultations SET current_step = 'from-the-future'")
        connection.execute(
            "UPDATE test_results SET kind = 'x', origin = 'y', sample = 'z', therapies = '{bad'"
        )
    loaded = store.load(saved.id or 0)
    assert loaded is not None
    assert loaded.current_step is Step.VISIT
    assert {(r.kind, r.origin, r.sample, r.therapies) for r in loaded.results} == {
        (BiomarkerKind.OTHER, Origin.UNKNOWN, Sample.UNKNOWN, ())
    }


def test_an_aware_creation_time_is_stored_as_local_time(store: ConsultationStore) -> None:
    aware = datetime(2024, 6, 1, 12, 0, tzinfo=timezone(timedelta(hours=5)))
    created = store.create(now=aware)
    assert created.created_at.tzinfo is None
    assert created.created_at == aware.astimezone().replace(tzinfo=None)
    assert store.load(created.id or 0) == created


def _migrate_to(db_path: Path, revision: str) -> None:
    from alembic import command
    from alembic.config import Config

    engine = create_engine(db_path)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    engine.dispose()


def test_a_0001_database_is_migrated_and_keeps_its_settings(db_path: Path) -> None:
    _migrate_to(db_path, "0001")
    assert current_revision(db_path) == "0001"
    with user_db_connect(db_path, None) as connection:
        connection.executemany(
            "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, '2024-01-01 00:00:00')",
            [("language", "ar"), ("text_scale", "180"), ("high_contrast", "1")],
        )
    before = read_settings_snapshot(db_path)

    database = UserDatabase(db_path)
    store = ConsultationStore(database)
    saved = store.save(_full(store.create()))
    assert current_revision(db_path) == HEAD_REVISION == "0005"
    assert store.load(saved.id or 0) == saved
    assert read_settings_snapshot(db_path) == before
    assert SettingsStore(database).settings == Settings(
        language="ar", text_scale=180, high_contrast=True
    )
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    database.close()


def test_the_models_match_the_migrated_schema(db_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from sdm_app.storage.models import Base

    _migrate_to(db_path, "head")
    engine = create_engine(db_path)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []
