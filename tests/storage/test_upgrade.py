"""A user.db written by release 0.1.0 upgrades to today's schema with nothing lost."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from sdm_app.core.consultation import Context, Step
from sdm_app.core.results import (
    BiomarkerKind,
    Confirmation,
    Direction,
    Origin,
    Sample,
    TestResult,
    Therapy,
)
from sdm_app.storage.consultations import ConsultationStore
from sdm_app.storage.migrations import HEAD_REVISION
from sdm_app.storage.user_db import UserDatabase, current_revision, migrate
from sdm_app.storage.user_db import connect as user_db_connect

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "userdb" / "user-0.1.0.db"

# What 0.1.0 stored (tests/fixtures/userdb/README.md), as today's model reads it.
EXPECTED_RESULTS = (
    TestResult(
        None,
        BiomarkerKind.SEQUENCE_VARIANT,
        "BRCA2",
        "c.5946del p.(Ser1982fs)",
        Origin.LIKELY_GERMLINE,
        Confirmation.RECOMMENDED,
        "acmg-amp-2015",
        "LP",
        Sample.TISSUE,
        "Regional Genomics Lab",
        date(2026, 11, 2),
        (Therapy("olaparib"),),
        "tumour-only panel",
    ),
    TestResult(
        None,
        BiomarkerKind.SEQUENCE_VARIANT,
        "BRCA1",
        "c.68_69del",
        Origin.GERMLINE,
        Confirmation.NOT_ASSESSED,  # 0.1.0 never said which test found it
        "acmg-amp-2015",
        "P",
        Sample.BLOOD,
        "Genetics Lab",
        date(2026, 10, 1),
    ),
    TestResult(
        None,
        BiomarkerKind.SEQUENCE_VARIANT,
        "KRAS",
        "p.G12D",
        Origin.SOMATIC,
        Confirmation.NOT_ASSESSED,
        "oncokb",
        "R1",
        Sample.TISSUE,
        "Lab",
        None,
        (
            Therapy("cetuximab", Direction.RESISTANT, "R1"),
            Therapy("panitumumab", Direction.RESISTANT, "R1"),
        ),
    ),
    TestResult(
        None,
        BiomarkerKind.FUSION,
        "ALK",
        "EML4-ALK",
        Origin.SOMATIC,
        Confirmation.NOT_ASSESSED,
        "esmo-escat-2018",
        "I-A",
        Sample.TISSUE,
        therapies=(Therapy("alectinib"),),
    ),
    TestResult(
        None, BiomarkerKind.SIGNATURE, "TMB", "12 mut/Mb", Origin.SOMATIC, sample=Sample.TISSUE
    ),
    TestResult(None, BiomarkerKind.SIGNATURE, "MSI", "MSI-H", Origin.SOMATIC),
    TestResult(None, BiomarkerKind.EXPRESSION, "PD-L1", "TPS 60%", sample=Sample.TISSUE),
    TestResult(
        None,
        BiomarkerKind.PHARMACOGENOMIC,
        "DPYD",
        "c.1905+1G>A heterozygous",
        Origin.GERMLINE,
        sample=Sample.BLOOD,
        clinician_note="activity score 1.0",
    ),
    TestResult(None, BiomarkerKind.NO_FINDING, sample=Sample.BLOOD),
    TestResult(
        None,
        BiomarkerKind.COPY_NUMBER,
        "ERBB2",
        "amplification",
        Origin.LIKELY_SOMATIC,
        Confirmation.NOT_ASSESSED,
        "amp-asco-cap-2017",
        "IA",
        Sample.TISSUE,
        therapies=(Therapy("trastuzumab"),),
    ),
    TestResult(
        None,
        BiomarkerKind.OTHER,
        "ŽŹ 漢字 عربى",
        "\u202ep.L858R",
        scheme_id="unknown-scheme",
        class_code="Z9",
        therapies=(Therapy("a, b"),),
    ),
)


@pytest.fixture
def old_db(tmp_path: Path) -> Path:
    path = tmp_path / "user.db"
    shutil.copyfile(FIXTURE, path)
    return path


def test_the_fixture_is_from_0_1_0(old_db: Path) -> None:
    assert current_revision(old_db) == "0002"


def test_a_0_1_0_database_upgrades_and_reads_back_equal(old_db: Path) -> None:
    database = UserDatabase(old_db)
    store = ConsultationStore(database)
    try:
        assert store.open_consultation_id() == 1
        consultation = store.load(1)
    finally:
        database.close()
    assert current_revision(old_db) == HEAD_REVISION
    assert consultation is not None
    assert consultation.created_at == datetime(2026, 11, 20, 9, 30)
    assert consultation.patient_label == "Visit A"
    assert consultation.context == Context(
        "Bowel cancer", "First treatment", "patient and daughter", "es"
    )
    assert [result.id for result in consultation.results] == list(range(1, 12))
    read = tuple(replace(result, id=None) for result in consultation.results)
    for got, expected in zip(read, EXPECTED_RESULTS, strict=True):
        assert got == expected
    assert consultation.decision_aid_id == "x"
    assert consultation.value_ratings == {"v": 3}
    assert consultation.sure == {"sure_of_best": True}
    assert consultation.bank_questions == ("q1",)
    assert consultation.own_questions == ("Mine?",)
    assert (consultation.leaning, consultation.next_steps, consultation.involve) == (
        "not-sure",
        "n",
        "i",
    )
    assert consultation.clinician_notes == "cn"
    assert consultation.current_step is Step.RESULTS


def test_an_upgraded_database_saves_and_reloads_every_new_field(old_db: Path) -> None:
    database = UserDatabase(old_db)
    store = ConsultationStore(database)
    try:
        consultation = store.load(1)
        assert consultation is not None
        richer = replace(
            consultation.results[0],
            confirmation=Confirmation.CONFIRMED,
            hgvs_c="c.5946del",
            transcript="NM_000059.4",
            vaf="48.2",
        )
        saved = store.save(replace(consultation, results=(richer,)))
        again = store.load(1)
    finally:
        database.close()
    assert again is not None
    assert again.results == saved.results
    assert again.results[0].vaf == "48.2"


def test_migrating_again_changes_nothing(old_db: Path) -> None:
    # Later runs find nothing to do: the rows were converted once.
    migrate(old_db)
    migrate(old_db)
    with user_db_connect(old_db, None) as connection:
        kinds = [row[0] for row in connection.execute("SELECT kind FROM test_results")]
    assert kinds.count("signature") == 2
    assert "variant" not in kinds
