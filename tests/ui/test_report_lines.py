"""Report lines of every kind, origin, germline confirmation, scheme and test type go
form -> user.db -> reload -> explanation card -> PDF and come back exactly, and only a
confirmed germline pathogenic result ever speaks to relatives."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from sdm_app.core.classification import PATHOGENIC, scheme
from sdm_app.core.consultation import Consultation
from sdm_app.core.decision_aid import DecisionAid, SupportEntry
from sdm_app.core.knowledge import Knowledge
from sdm_app.core.library import Module, PackInfo
from sdm_app.core.results import (
    BiomarkerKind,
    Confirmation,
    CopyNumberChange,
    Direction,
    Origin,
    Sample,
    TestResult,
    TestType,
    Therapy,
    Zygosity,
)
from sdm_app.services.cards import CONFIRM_GERMLINE, RELATIVES, explain
from sdm_app.services.family_letter import family_letter_results
from sdm_app.services.result_words import finding_name
from sdm_app.storage.consultations import ConsultationStore
from sdm_app.storage.user_db import UserDatabase
from tests.bundled_knowledge import bundled_knowledge

pytestmark = pytest.mark.gui

KINDS = tuple(BiomarkerKind)
ORIGINS = (
    (Origin.GERMLINE, Confirmation.CONFIRMED, TestType.GERMLINE, Sample.BLOOD),
    (Origin.LIKELY_GERMLINE, Confirmation.RECOMMENDED, TestType.TUMOUR_ONLY, Sample.TISSUE),
    (Origin.SOMATIC, Confirmation.NOT_GERMLINE, TestType.TUMOUR_NORMAL, Sample.TISSUE),
    (Origin.SOMATIC, Confirmation.NOT_ASSESSED, TestType.TUMOUR_ONLY, Sample.TISSUE),
    (Origin.UNKNOWN, Confirmation.NOT_ASSESSED, TestType.CTDNA, Sample.BLOOD),
    (Origin.GERMLINE, Confirmation.NOT_ASSESSED, TestType.UNKNOWN, Sample.UNKNOWN),
    (Origin.LIKELY_SOMATIC, Confirmation.NOT_ASSESSED, TestType.TUMOUR_ONLY, Sample.TISSUE),
)
CLASSES = (
    ("acmg-amp-2015", "P"),
    ("acmg-amp-2015", "LP"),
    ("acmg-amp-2015", "VUS"),
    ("amp-asco-cap-2017", "IA"),
    ("amp-asco-cap-2017", "IID"),
    ("esmo-escat-2018", "I-A"),
    ("esmo-escat-2018", "III-A"),
    ("oncokb", "1"),
    ("oncokb", "R1"),
    ("cpic-2017", "IM"),
    ("", ""),
)


def _kind_fields(kind: BiomarkerKind, n: int) -> dict[str, object]:
    """Fields that belong to ``kind``, with numbers written as a report would."""
    if kind is BiomarkerKind.SEQUENCE_VARIANT:
        return {
            "gene": "BRCA2",
            "alteration": f"c.{5940 + n}del",
            "hgvs_c": f"c.{5940 + n}del",
            "hgvs_p": "p.(Ser1982fs)",
            "transcript": "NM_000059.4",
            "genome_build": "GRCh38",
            "zygosity": Zygosity.HETEROZYGOUS,
            "vaf": f"{n}.50",
        }
    if kind is BiomarkerKind.COPY_NUMBER:
        change = (CopyNumberChange.LOSS, CopyNumberChange.AMPLIFICATION)[n % 2]
        return {"gene": "CDKN2A" if n % 2 == 0 else "ERBB2", "copy_number_change": change,
                "copy_number": f"{n % 2 * 18}"}  # fmt: skip
    if kind is BiomarkerKind.FUSION:
        return {"partners": ("EML4", "ALK") if n % 2 else ("MET", "ALK"), "alteration": "v3"}
    if kind is BiomarkerKind.EXPRESSION:
        return {"gene": "PD-L1", "measure": "TPS", "value": f"{n}", "unit": "%"}
    if kind is BiomarkerKind.SIGNATURE:
        return {"gene": "TMB", "value": f"{n}.3", "unit": "mut/Mb"}
    if kind is BiomarkerKind.PHARMACOGENOMIC:
        return {"gene": "DPYD", "diplotype": "c.[1905+1G>A];[=]", "activity_score": "1.0"}
    if kind is BiomarkerKind.NO_FINDING:
        return {}
    return {"gene": "TP53", "alteration": f"other {n}"}


def report_lines() -> list[TestResult]:
    lines = []
    for n in range(44):
        kind = KINDS[n % len(KINDS)]
        origin, confirmation, test_type, sample = ORIGINS[n % len(ORIGINS)]
        scheme_id, code = CLASSES[n % len(CLASSES)]
        therapies: tuple[Therapy, ...] = ()
        if code == "R1":
            therapies = (
                Therapy("cetuximab", Direction.RESISTANT, "R1", "colorectal cancer"),
                Therapy("panitumumab", Direction.RESISTANT, "R1", "colorectal cancer"),
            )
        elif code in ("1", "IA", "I-A"):
            therapies = (Therapy("osimertinib", Direction.SENSITIVE, code, "lung cancer"),)
        elif n % 5 == 0:
            therapies = (Therapy("olaparib"),)
        lines.append(
            TestResult(
                None,
                kind=kind,
                origin=origin,
                confirmation=confirmation,
                test_type=test_type,
                sample=sample,
                scheme_id=scheme_id,
                class_code=code,
                lab="Regional laboratory",
                test_name=f"Panel v{n}",
                test_method="NGS",
                genes_covered="52 genes",
                specimen="FFPE block" if sample is Sample.TISSUE else "",
                collected_on=date(2026, 10, 1 + n % 28),
                reported_on=date(2026, 11, 1 + n % 28),
                accession=f"MP-26-{1000 + n}",
                therapies=therapies,
                clinician_note=f"line {n}",
                **_kind_fields(kind, n),  # type: ignore[arg-type]
            )
        )
    return lines


LINES = report_lines()


def test_the_table_covers_every_kind_origin_confirmation_scheme_and_test_type() -> None:
    assert len(LINES) >= 40
    assert {line.kind for line in LINES} == set(BiomarkerKind)
    assert {line.confirmation for line in LINES} == set(Confirmation)
    assert {line.test_type for line in LINES} == set(TestType)
    assert {line.origin for line in LINES} == set(Origin)
    assert {line.scheme_id for line in LINES} >= {"acmg-amp-2015", "oncokb", "cpic-2017"}


@pytest.fixture
def store(tmp_path: Path) -> ConsultationStore:
    return ConsultationStore(UserDatabase(tmp_path / "user.db"))


def _through_the_form(result: TestResult, qtbot: QtBot) -> TestResult:
    from sdm_app.ui.steps.result_dialog import ResultDialog

    dialog = ResultDialog(result)
    qtbot.addWidget(dialog)
    return dialog.test_result()


def test_every_line_comes_back_exactly_through_form_store_card_and_pdf(
    qtbot: QtBot, store: ConsultationStore, tmp_path: Path
) -> None:
    from sdm_app.services.pdf_summary import export_summary_pdf

    typed = tuple(_through_the_form(line, qtbot) for line in LINES)
    for line, back in zip(LINES, typed, strict=True):
        assert back == line, finding_name(line)
    consultation = store.save(replace(store.create(), results=typed))
    reloaded = store.load(consultation.id or 0)
    assert reloaded is not None
    assert [replace(r, id=None) for r in reloaded.results] == list(LINES)

    for result in reloaded.results:
        card = explain(result, "Bowel cancer", _NoLibrary(), "en")
        if result.kind is BiomarkerKind.NO_FINDING:
            assert card.heading == "No change found"
        else:
            assert finding_name(result) in card.heading
        # Nothing found, or a measure of the tumour, is never called inherited.
        placed = result.kind not in (
            BiomarkerKind.NO_FINDING,
            BiomarkerKind.SIGNATURE,
            BiomarkerKind.EXPRESSION,
        )
        assert ("inherited (germline)" in card.heading) == (
            placed and result.confirmation is Confirmation.CONFIRMED
        )
        resistant = [t.name for t in result.therapies if t.direction is Direction.RESISTANT]
        listed = [
            (group.direction, group.lead, group.items)
            for section in card.sections
            for group in section.lists
        ]
        if resistant:
            lead, items = next(
                (text, names) for d, text, names in listed if d is Direction.RESISTANT
            )
            assert "expected not to work" in lead
            assert [item.split(" (")[0] for item in items] == resistant
        for fact in (result.vaf, result.copy_number, result.activity_score, result.value):
            if fact:
                assert any(fact in line for line in card.facts), fact

    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed: PDF text not checked")
    out = export_summary_pdf(
        reloaded, _NoLibrary(), tmp_path / "summary.pdf", language="en", patient_view=False
    )
    text = subprocess.run(
        ["pdftotext", "-raw", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = "".join(text.split())
    for result in reloaded.results:
        for value in (
            result.hgvs_c,
            result.transcript,
            result.vaf,
            result.copy_number,
            result.fusion_name,
            result.diplotype,
            result.activity_score,
            result.accession,
            *(therapy.name for therapy in result.therapies),
        ):
            if value:
                assert "".join(value.split()) in flat, value


@pytest.mark.parametrize("origin", list(Origin))
@pytest.mark.parametrize("confirmation", list(Confirmation))
@pytest.mark.parametrize("code", ["P", "LP", "VUS", "LB"])
def test_the_family_letter_is_offered_only_for_confirmed_germline_p_or_lp(
    origin: Origin, confirmation: Confirmation, code: str
) -> None:
    result = TestResult(
        1,
        gene="BRCA2",
        alteration="c.5946del",
        origin=origin,
        confirmation=confirmation,
        scheme_id="acmg-amp-2015",
        class_code=code,
    )
    consultation = Consultation(id=1, created_at=_NOW, updated_at=_NOW, results=(result,))
    offered = bool(family_letter_results(consultation, bundled_knowledge()))
    klass = scheme("acmg-amp-2015").find(code)  # type: ignore[union-attr]
    assert klass is not None
    assert offered == (confirmation is Confirmation.CONFIRMED and klass.meaning == PATHOGENIC)
    card = explain(result, "", _NoLibrary(), "en")
    assert (card.section(RELATIVES) is not None) == offered
    if klass.meaning == PATHOGENIC and not offered:
        speaks = card.section(CONFIRM_GERMLINE) is not None
        assert speaks == (confirmation is not Confirmation.NOT_GERMLINE)
        text = " ".join(p for s in card.sections for p in s.paragraphs)
        assert "cascade testing" not in text


class _NoLibrary:
    """A content library with nothing in it: the card's own words are what is checked."""

    def module(self, module_id: str, locale: str) -> Module | None:
        return None

    def support_entries(self, locale: str, biomarker: str | None = None) -> list[SupportEntry]:
        return []

    def knowledge(self, locale: str) -> Knowledge:
        return Knowledge()

    def decision_aid(self, aid_id: str, locale: str) -> DecisionAid | None:
        return None

    def packs(self) -> list[PackInfo]:
        return []


_NOW = datetime(2026, 12, 1, 10, 0)
