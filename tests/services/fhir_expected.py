"""What each example bundle in tests/fixtures/fhir/ holds, read from the bundles by
hand (not from the importer): the findings in report order, and what an import
must leave out. The service tests and the preview-dialog tests both check these."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from sdm_app.core.consultation import BiomarkerKind, Origin, Sample

GERMLINE, SOMATIC, UNKNOWN = Origin.GERMLINE, Origin.SOMATIC, Origin.UNKNOWN
VARIANT, PGX = BiomarkerKind.VARIANT, BiomarkerKind.PHARMACOGENOMIC


class Expected(NamedTuple):
    gene: str
    kind: BiomarkerKind
    origin: Origin
    classification: tuple[str, str] | None  # (scheme id, class code)
    therapies: tuple[str, ...]  # medicine names
    alteration_has: tuple[str, ...]  # parts of the alteration text
    effects: tuple[str, ...] = ()  # what the report says about the medicines, as written


class Bundle(NamedTuple):
    findings: tuple[Expected, ...]
    skipped: tuple[str, ...]  # where the left-out parts are
    lab: str
    reported_on: date | None
    sample: Sample


ONCOLOGY_GENES = (
    # (gene, a part of its HGVS) for each variant, in the report's order; all somatic.
    ("PIK3CA", "c.3140A>G"),
    ("NRAS", "c.34G>T"),
    ("FBXW7", "c.1394G>A"),
    ("KMT2D", "c.7900_7901delCA"),
    ("PIK3CA", "c.333G>T"),
    ("IRS2", "c.3960C>T"),
    ("CDKN2A", "c.9_32del"),
    ("RECQL4", "c.2086C>T"),
    ("RYR1", "c.4964G>A"),
    ("SACS", "c.12118G>A"),
    ("SLIT2", "c.1290C>A"),
    ("SMARCA4", "c.2372C>T"),
)

BUNDLES: dict[str, Bundle] = {
    "Bundle-bundle-cgexample.json": Bundle(
        findings=(
            # discrete-variant, with the diagnostic implication dis-path (LA6668-3).
            Expected(
                "ACAD9",
                VARIANT,
                GERMLINE,
                ("acmg-amp-2015", "P"),
                (),
                ("c.1249C>T", "p.Arg417Cys"),
            ),
            # complex-variant: members D and E (CYP2D6, named in their ClinVar HGVS),
            # with complex-dis-path (LA6668-3); no genomic source class given.
            Expected(
                "CYP2D6",
                VARIANT,
                UNKNOWN,
                ("acmg-amp-2015", "P"),
                (),
                ("c.886C>T", "c.1457G>C"),
            ),
            # genotype CYP2C9 *2/*5 (genes CYP2C9 and VKORC1), from the haplotype;
            # implications metab, efficacy and highrisk, all about warfarin.
            Expected(
                "CYP2C9, VKORC1",
                PGX,
                UNKNOWN,
                None,
                ("Warfarin",),
                ("*2/*5",),
                ("Rapid metabolizer", "Resistant", "Low risk"),
            ),
        ),
        skipped=("Task/usage",),
        lab="Some lab",
        reported_on=date(2016, 9, 6),
        sample=Sample.UNKNOWN,
    ),
    "Bundle-bundle-oncology-report-example.json": Bundle(
        findings=tuple(
            Expected(gene, VARIANT, SOMATIC, None, (), (hgvs,)) for gene, hgvs in ONCOLOGY_GENES
        ),
        skipped=(),
        lab="CEGAT",
        reported_on=date(2019, 9, 15),
        sample=Sample.TISSUE,  # the report's specimen: v2-0487 TUMOR
    ),
    "Bundle-bundle-oncologyexamples-r4.json": Bundle(
        findings=(
            Expected(
                "JAK2",
                VARIANT,
                GERMLINE,
                None,  # its evidence level (LA30200-2) is not a therapeutic level
                ("Ruxolitinib", "AT9283", "SNX-5422", "TG02"),
                ("p.Val617Phe", "g.5073770G>T"),
                ("Responsive",),
            ),
            Expected("KDR", VARIANT, GERMLINE, None, (), ("p.Gln472His",)),
            Expected("ERBB4", VARIANT, GERMLINE, None, (), ("g.211713666_211713668del",)),
            Expected("TMB", BiomarkerKind.TMB, SOMATIC, None, (), ("25",)),
            Expected("MSI", BiomarkerKind.MSI, SOMATIC, None, (), ("Stable",)),
        ),
        skipped=(),
        lab="",  # performed by a practitioner, not a laboratory
        reported_on=date(2023, 4, 5),
        sample=Sample.UNKNOWN,
    ),
    "Bundle-bundle-pgxexample.json": Bundle(
        findings=(
            # genotype CYP2C9 *4/*35B from two haplotypes, each from one variant;
            # med-impact: mercaptopurine, rapid metabolizer.
            Expected(
                "CYP2C9",
                PGX,
                UNKNOWN,
                None,
                ("mercaptopurine",),
                ("*4/*35B",),
                ("Rapid metabolizer",),
            ),
        ),
        skipped=("Task/med-usage-impact-task-pgx-example",),
        lab="Some lab",
        reported_on=date(2018, 3, 6),
        sample=Sample.UNKNOWN,
    ),
}
