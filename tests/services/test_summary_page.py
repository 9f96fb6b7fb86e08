"""The Summary step's preview says what the report says of each result, and never
more: no "inherited" before a germline test, resistance as expected not to work."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from sdm_app.core.consultation import Consultation
from sdm_app.core.results import (
    Confirmation,
    Direction,
    Origin,
    TestResult,
    TestType,
    Therapy,
)
from sdm_app.services.summary_page import summary_html

NOW = datetime(2026, 12, 1, 10, 0)
BRCA2 = TestResult(
    1,
    gene="BRCA2",
    alteration="c.5946del",
    origin=Origin.LIKELY_GERMLINE,
    confirmation=Confirmation.RECOMMENDED,
    test_type=TestType.TUMOUR_ONLY,
    scheme_id="acmg-amp-2015",
    class_code="LP",
    vaf="48.2",
)


def _html(*results: TestResult, patient_view: bool = True) -> str:
    consultation = Consultation(id=1, created_at=NOW, updated_at=NOW, results=results)
    return summary_html(consultation, None, date(2026, 12, 1), patient_view=patient_view)


def test_an_unconfirmed_germline_finding_needs_a_germline_test_first() -> None:
    html = _html(BRCA2)
    assert "needs a germline test, on blood or saliva, before relatives are told" in html
    assert "inherited (germline)" not in html and "was inherited" not in html
    confirmed = _html(replace(BRCA2, confirmation=Confirmation.CONFIRMED))
    assert "before relatives are told" not in confirmed
    assert "confirmed germline (inherited) by a germline test" in confirmed


def test_resistance_reads_as_expected_not_to_work() -> None:
    kras = TestResult(
        2,
        gene="KRAS",
        alteration="p.G12D",
        origin=Origin.SOMATIC,
        scheme_id="oncokb",
        class_code="R1",
        therapies=(Therapy("cetuximab", Direction.RESISTANT, "R1", "colorectal cancer"),),
    )
    html = _html(kras)
    assert "expected not to work: cetuximab (level R1; colorectal cancer)" in html


def test_laboratory_detail_is_for_clinicians() -> None:
    assert "48.2%" not in _html(BRCA2)
    assert "Variant allele fraction: 48.2%" in _html(BRCA2, patient_view=False)


def test_a_percentage_typed_with_its_sign_shows_one_sign() -> None:
    html = _html(replace(BRCA2, vaf="48.2 %", tumour_fraction="30%"), patient_view=False)
    assert "Variant allele fraction: 48.2%" in html
    assert "Tumour fraction: 30%" in html
    assert "%%" not in html
