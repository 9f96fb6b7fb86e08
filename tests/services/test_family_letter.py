"""The family letter for germline pathogenic or likely pathogenic results."""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from sdm_app.core.consultation import Consultation
from sdm_app.core.knowledge import Knowledge
from sdm_app.core.results import Confirmation, Origin
from sdm_app.services.demo import load_demo
from sdm_app.services.family_letter import (
    NoFamilyLetterError,
    build_family_letter_pdf,
    export_family_letter_pdf,
    family_letter_results,
)
from tests.bundled_knowledge import bundled_knowledge

KNOWLEDGE = bundled_knowledge()


def with_pathogenic(
    code: str = "P",
    origin: Origin = Origin.GERMLINE,
    confirmation: Confirmation = Confirmation.CONFIRMED,
) -> Consultation:
    demo = load_demo()
    brca = replace(demo.results[1], class_code=code, origin=origin, confirmation=confirmation)
    return replace(demo, results=(demo.results[0], brca))


def test_only_confirmed_germline_p_or_lp_results_qualify() -> None:
    # The demo's BRCA2 c.5946delT is pathogenic and confirmed on a germline test.
    assert [r.gene for r in family_letter_results(load_demo(), KNOWLEDGE)] == ["BRCA2"]
    assert family_letter_results(with_pathogenic("VUS"), KNOWLEDGE) == ()
    assert [r.gene for r in family_letter_results(with_pathogenic("LP"), KNOWLEDGE)] == ["BRCA2"]
    unconfirmed = with_pathogenic("LP", Origin.LIKELY_GERMLINE, Confirmation.RECOMMENDED)
    assert family_letter_results(unconfirmed, KNOWLEDGE) == ()
    with pytest.raises(NoFamilyLetterError):
        build_family_letter_pdf(with_pathogenic("VUS"), KNOWLEDGE, language="en")


def test_a_pharmacogene_gets_no_family_letter() -> None:
    # A confirmed germline DPYD change matters for some medicines, not for the risk
    # of illness the letter speaks of.
    demo = load_demo()
    dpyd = replace(demo.results[1], gene="DPYD", alteration="c.1905+1G>A", class_code="P")
    consultation = replace(demo, results=(dpyd,))
    assert family_letter_results(consultation, KNOWLEDGE) == ()
    # Without the content's gene rules no letter is offered at all (fails closed).
    assert family_letter_results(consultation, Knowledge()) == ()
    assert family_letter_results(load_demo(), Knowledge()) == ()


@pytest.mark.parametrize("language", ["en", "ar", "es"])
def test_letter_is_one_or_two_pages(language: str) -> None:
    from pypdf import PdfReader

    data = build_family_letter_pdf(
        with_pathogenic(),
        KNOWLEDGE,
        language=language,
        genetics_service="Clinical genetics, 0123 456",
    )
    reader = PdfReader(io.BytesIO(data))
    assert 1 <= len(reader.pages) <= 2
    assert reader.trailer["/Root"]["/Lang"] == language  # type: ignore[index]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_letter_names_the_variant_as_written(tmp_path: Path) -> None:
    out = export_family_letter_pdf(
        with_pathogenic(),
        KNOWLEDGE,
        tmp_path / "letter.pdf",
        language="en",
        genetics_service="Regional genetics service <b>0123</b>",
    )
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, check=True, text=True
    ).stdout
    flat = " ".join(text.split())
    for expected in (
        "BRCA2",
        "c.5946delT",
        "Regional genetics laboratory",
        "Regional genetics service <b>0123</b>",
        "cascade testing",
    ):
        assert expected in flat
    assert "EGFR" not in flat  # somatic results are not for relatives


def _letter_text(consultation: Consultation, knowledge: Knowledge, tmp_path: Path) -> str:
    out = export_family_letter_pdf(consultation, knowledge, tmp_path / "l.pdf", language="en")
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, check=True, text=True
    ).stdout
    return " ".join(text.split())


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_letter_says_what_relatives_and_their_service_need(tmp_path: Path) -> None:
    flat = _letter_text(with_pathogenic(), KNOWLEDGE, tmp_path)
    for expected in (
        "linked to hereditary breast and ovarian cancer",  # the condition, from the content
        "has a 1 in 2 chance of having it too",  # dominant inheritance, from the content
        "Men and women can both have the change",
        "Laboratory reference: RG-26-1187",  # lets their service find the report
        "NM_000059.4 c.5946delT p.(Ser1982Argfs*22)",
        "this one known change in BRCA2",
    ):
        assert expected in flat, expected
    # Without the content's gene rules there is no letter (see the pharmacogene test).
    with pytest.raises(NoFamilyLetterError):
        _letter_text(with_pathogenic(), Knowledge(), tmp_path)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_two_changes_are_counted(tmp_path: Path) -> None:
    demo = load_demo()
    brca2 = replace(demo.results[1], class_code="P")
    mlh1 = replace(brca2, gene="MLH1", alteration="c.1852_1854del", accession="RG-26-2000")
    flat = _letter_text(replace(demo, results=(brca2, mlh1)), KNOWLEDGE, tmp_path)
    assert "these 2 known changes in BRCA2, MLH1" in flat
    assert "linked to Lynch syndrome" in flat


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_patients_note_is_printed_as_written(tmp_path: Path) -> None:
    note = "Please ring me before you book a test: 0161 555 0199 (evenings)."
    flat = _letter_text(replace(with_pathogenic(), family_note=note), KNOWLEDGE, tmp_path)
    assert "A note from me" in flat and note in flat
    assert "A note from me" not in _letter_text(with_pathogenic(), KNOWLEDGE, tmp_path)
