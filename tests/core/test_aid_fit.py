"""Which decision aids fit a consultation: those written for its condition or its
biomarkers come first; one written for something else is said to be; and when the
consultation says too little, nothing is said against an aid."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

import pytest

from sdm_app.core.aid_fit import AidFit, Fit, aid_fit, order_aids
from sdm_app.core.consultation import Consultation, Context
from sdm_app.core.results import (
    BiomarkerKind,
    Confirmation,
    Direction,
    Origin,
    TestResult,
    TestType,
    Therapy,
)

NOW = datetime(2026, 12, 1, 10, 0)


class Aid(NamedTuple):
    id: str
    conditions: tuple[str, ...] = ()
    biomarkers: tuple[str, ...] = ()


# The applies_to of the bundled aids, as they are written.
EGFR_ALK = Aid("egfr-alk", ("advanced non-small cell lung cancer",), ("EGFR", "ALK"))
BRCA = Aid("brca", ("hereditary breast and ovarian cancer", "no cancer diagnosis"),
           ("BRCA1", "BRCA2"))  # fmt: skip
GERMLINE = Aid("germline", ("cancer",), ("germline",))
NO_TARGET = Aid("no-target", ("advanced cancer",), ("no actionable finding",))
TESTING = Aid("testing", ("advanced cancer",), ("any",))
MSI_BOWEL = Aid("msi-bowel", ("bowel cancer",), ("MSI-high", "dMMR"))


def visit(condition: str = "", *results: TestResult) -> Consultation:
    return Consultation(
        id=1, created_at=NOW, updated_at=NOW, context=Context(condition=condition), results=results
    )


def result(gene: str, **changes: object) -> TestResult:
    return TestResult(None, gene=gene, **changes)  # type: ignore[arg-type]


EGFR = result("EGFR", alteration="p.L858R", origin=Origin.SOMATIC)
KRAS = result("KRAS", alteration="p.G12C", origin=Origin.SOMATIC,
              therapies=(Therapy("sotorasib", Direction.SENSITIVE),))  # fmt: skip
BRCA2_TUMOUR = result(
    "BRCA2",
    origin=Origin.LIKELY_GERMLINE,
    confirmation=Confirmation.RECOMMENDED,
    test_type=TestType.TUMOUR_ONLY,
)
NOTHING = result("", kind=BiomarkerKind.NO_FINDING, alteration="No reportable changes")


@pytest.mark.parametrize(
    ("aid", "consultation", "expected"),
    [
        # Condition and biomarker both fit.
        (EGFR_ALK, visit("Lung adenocarcinoma", EGFR), AidFit(Fit.FITS)),
        (EGFR_ALK, visit("NSCLC", EGFR), AidFit(Fit.FITS)),
        (EGFR_ALK, visit("non-small cell lung cancer, stage IV"), AidFit(Fit.FITS)),
        # Only one is known: it decides.
        (EGFR_ALK, visit("", EGFR), AidFit(Fit.FITS)),
        (EGFR_ALK, visit("Lung cancer"), AidFit(Fit.FITS)),
        (EGFR_ALK, visit("", result("EML4", partners=("EML4", "ALK"))), AidFit(Fit.FITS)),
        # Written for something else.
        (EGFR_ALK, visit("Bowel cancer", EGFR), AidFit(Fit.OTHER, other_conditions=True)),
        (EGFR_ALK, visit("Lung cancer", KRAS), AidFit(Fit.OTHER, other_biomarkers=True)),
        (EGFR_ALK, visit("Small cell lung cancer"), AidFit(Fit.OTHER, other_conditions=True)),
        (
            EGFR_ALK,
            visit("Breast cancer", BRCA2_TUMOUR),
            AidFit(Fit.OTHER, other_conditions=True, other_biomarkers=True),
        ),
        # Nothing to compare with: no judgement.
        (EGFR_ALK, visit(), AidFit(Fit.UNKNOWN)),
        (EGFR_ALK, visit("Type 2 diabetes"), AidFit(Fit.UNKNOWN)),
        (EGFR_ALK, visit("Cancer"), AidFit(Fit.UNKNOWN)),
        (Aid("none"), visit("Lung cancer", EGFR), AidFit(Fit.UNKNOWN)),
        # A hereditary condition is not a tumour type: the biomarker decides.
        (BRCA, visit("Lung cancer", BRCA2_TUMOUR), AidFit(Fit.FITS)),
        (BRCA, visit("BRCA1 carrier", result("BRCA1")), AidFit(Fit.FITS)),
        (BRCA, visit("Ovarian cancer", EGFR), AidFit(Fit.OTHER, other_biomarkers=True)),
        # 'cancer' fits any cancer; 'germline' fits a possibly inherited finding and
        # otherwise says nothing against the aid.
        (GERMLINE, visit("Breast cancer", BRCA2_TUMOUR), AidFit(Fit.FITS)),
        (GERMLINE, visit("", BRCA2_TUMOUR), AidFit(Fit.FITS)),
        (GERMLINE, visit("", EGFR), AidFit(Fit.UNKNOWN)),
        (GERMLINE, visit("Pancreatic cancer", EGFR), AidFit(Fit.FITS)),
        # 'no actionable finding' fits a report that found nothing, and not one that
        # names a treatment expected to work.
        (NO_TARGET, visit("", NOTHING), AidFit(Fit.FITS)),
        (NO_TARGET, visit("", KRAS), AidFit(Fit.OTHER, other_biomarkers=True)),
        (NO_TARGET, visit("", EGFR), AidFit(Fit.UNKNOWN)),
        (TESTING, visit("", EGFR), AidFit(Fit.FITS)),
        # Names that mean the same biomarker.
        (MSI_BOWEL, visit("Colorectal cancer", result("MSI", value="MSI-H")), AidFit(Fit.FITS)),
        (MSI_BOWEL, visit("Rectal cancer"), AidFit(Fit.FITS)),
        (MSI_BOWEL, visit("", result("MLH1")), AidFit(Fit.OTHER, other_biomarkers=True)),
        (Aid("her2", (), ("HER2",)), visit("", result("ERBB2")), AidFit(Fit.FITS)),
        (Aid("brca", (), ("BRCA",)), visit("", result("brca2")), AidFit(Fit.FITS)),
    ],
)
def test_fit(aid: Aid, consultation: Consultation, expected: AidFit) -> None:
    assert aid_fit(aid, consultation) == expected


def test_aids_that_fit_come_first_then_unknown_then_others() -> None:
    aids = [Aid("about-anything"), BRCA, EGFR_ALK, GERMLINE, MSI_BOWEL, NO_TARGET, TESTING]
    consultation = visit("Lung cancer", EGFR)
    ordered = [(aid.id, fit.fit) for aid, fit in order_aids(aids, consultation)]
    assert ordered == [
        ("egfr-alk", Fit.FITS),
        ("germline", Fit.FITS),  # 'cancer' fits lung cancer
        ("no-target", Fit.FITS),  # 'advanced cancer' too, and EGFR names no treatment
        ("testing", Fit.FITS),
        ("about-anything", Fit.UNKNOWN),  # no applies_to
        ("brca", Fit.OTHER),
        ("msi-bowel", Fit.OTHER),
    ]


def test_order_keeps_the_given_order_when_nothing_is_known() -> None:
    aids = [BRCA, EGFR_ALK, GERMLINE]
    assert [aid for aid, _fit in order_aids(aids, visit())] == aids
