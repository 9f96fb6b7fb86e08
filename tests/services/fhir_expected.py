"""What each example bundle in tests/fixtures/fhir/ holds, read from the bundles by
hand (not from the importer): the findings in report order, and what an import
must leave out. The service tests and the preview-dialog tests both check these.

Numbers are the text the bundle writes (a VAF written 0.2188 with unit "1" is the
fraction 21.88 %; one written 47 with unit "%" stays 47)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import NamedTuple

from sdm_app.core.results import (
    BiomarkerKind,
    Confirmation,
    Direction,
    Origin,
    Sample,
    TestType,
    Zygosity,
)

GERMLINE, SOMATIC, UNKNOWN = Origin.GERMLINE, Origin.SOMATIC, Origin.UNKNOWN
VARIANT, PGX = BiomarkerKind.SEQUENCE_VARIANT, BiomarkerKind.PHARMACOGENOMIC
SIGNATURE = BiomarkerKind.SIGNATURE
SENSITIVE, RESISTANT, OTHER = Direction.SENSITIVE, Direction.RESISTANT, Direction.OTHER


class Therapy(NamedTuple):
    name: str
    direction: Direction
    level: str = ""
    tumour_type: str = ""


class Expected(NamedTuple):
    gene: str
    kind: BiomarkerKind
    origin: Origin
    classification: tuple[str, str] | None  # (scheme id, class code)
    therapies: tuple[Therapy, ...]
    alteration_has: tuple[str, ...]  # parts of the alteration text
    confirmation: Confirmation = Confirmation.NOT_ASSESSED
    # Further fields of the finding, as the bundle writes them.
    fields: Mapping[str, object] = MappingProxyType({})


class Bundle(NamedTuple):
    findings: tuple[Expected, ...]
    skipped: tuple[str, ...]  # where the left-out parts are
    lab: str
    reported_on: date | None
    sample: Sample
    test_type: TestType
    test: Mapping[str, object] = MappingProxyType({})  # test_name, specimen, accession ...


# (gene, c.HGVS, p.HGVS or "", transcript, VAF in per cent) for each variant, in the
# report's order; all somatic, GRCh37, from a tumour biopsy. The VAFs are written as
# fractions (unit "1"). Where the transcript's code and display differ (PIK3CA, RYR1)
# the one the c.HGVS is written on is meant.
ONCOLOGY_VARIANTS = (
    ("PIK3CA", "NM_006218.4:c.3140A>G", "NP_006209.2:p.His1047Arg", "NM_006218.4", "21.88"),
    ("NRAS", "NM_002524.4:c.34G>T", "", "NM_002524.4", "17.93"),
    ("FBXW7", "NM_001349798.2:c.1394G>A", "NP_001336727.1:p.Arg465His", "NM_001349798.2", "10.53"),
    ("KMT2D", "NM_003482.3:c.7900_7901delCA", "", "NM_003482.3", "18.8"),
    ("PIK3CA", "NM_006218.3:c.333G>T", "", "NM_006218.3", "14.71"),
    ("IRS2", "NM_003749.2:c.3960C>T", "", "NM_003749.2", "13.43"),
    ("CDKN2A", "NM_000077.4:c.9_32del", "NP_000068.1:p.Ala4_Pro11del", "NM_000077.4", "5.36"),
    ("RECQL4", "NM_004260.4:c.2086C>T", "NP_004251.4:p.Arg696Cys", "NM_004260.4", "25.68"),
    ("RYR1", "NM_000540.3:c.4964G>A", "NP_000531.2:p.Arg1655Leu", "NM_000540.3", "21.51"),
    ("SACS", "NM_014363.5:c.12118G>A", "", "NM_014363.5", "33.33"),
    ("SLIT2", "NM_004787.3:c.1290C>A", "", "NM_004787.3", "26.42"),
    ("SMARCA4", "NM_003072.5:c.2372C>T", "NP_003063.2:p.Ala791Val", "NM_003072.5", "19.38"),
)

# The four JAK2 therapeutic implications: responsive, evidence "Very strong evidence
# pathogenic" (LA30200-2, written as is), for polycythemia vera. A fifth implication
# names Ruxolitinib again without a direction: the same therapy.
JAK2_THERAPIES = tuple(
    Therapy(name, SENSITIVE, "Very strong evidence pathogenic", "Polycythemia vera (PV)")
    for name in ("Ruxolitinib", "AT9283", "SNX-5422", "TG02")
)

BUNDLES: dict[str, Bundle] = {
    "Bundle-bundle-cgexample.json": Bundle(
        findings=(
            # discrete-variant, with the diagnostic implication dis-path (LA6668-3). Its
            # genomic source class is germline, and nothing in the report was measured
            # in a tumour: a germline test, so the germline change is confirmed.
            Expected(
                "ACAD9",
                VARIANT,
                GERMLINE,
                ("acmg-amp-2015", "P"),
                (),
                ("c.1249C>T", "p.Arg417Cys"),
                Confirmation.CONFIRMED,
                {
                    "hgvs_c": "NM_014049.4:c.1249C>T",
                    "hgvs_p": "NP_054768.2:p.Arg417Cys",
                    "hgvs_g": "NC_000003.11:g.128625063C>T",
                    "transcript": "NM_014049.4",
                    "zygosity": Zygosity.HETEROZYGOUS,
                    "vaf": "47",  # written 47 with the unit %
                    "copy_number": "1",  # 82155-3, written 1
                    "partners": (),
                },
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
                fields={"vaf": "", "zygosity": Zygosity.UNKNOWN},
            ),
            # genotype "CYP2C9 *2/*5" (genes studied CYP2C9 and VKORC1), from the
            # haplotype; implications metab (Rapid metabolizer, LA25390-8: CPIC RM),
            # efficacy (Resistant) and highrisk (Low risk), all about warfarin.
            Expected(
                "CYP2C9",
                PGX,
                UNKNOWN,
                ("cpic-2017", "RM"),
                (Therapy("Warfarin", RESISTANT),),
                ("*2/*5",),
                fields={"diplotype": "*2/*5", "genes_covered": "CYP2C9, VKORC1"},
            ),
        ),
        skipped=("Task/usage",),
        lab="Some lab",
        reported_on=date(2016, 9, 6),
        sample=Sample.UNKNOWN,  # the specimen has no type
        test_type=TestType.GERMLINE,
        test={"specimen": "", "accession": "", "test_name": ""},  # report code 51969-4 only
    ),
    "Bundle-bundle-oncology-report-example.json": Bundle(
        findings=tuple(
            Expected(
                gene,
                VARIANT,
                SOMATIC,
                None,
                (),
                (c_hgvs.split(":")[1],),
                fields={
                    "hgvs_c": c_hgvs,
                    "hgvs_p": p_hgvs,
                    "transcript": transcript,
                    "genome_build": "GRCh37",
                    "vaf": vaf,
                    "test_method": "Sequencing",
                },
            )
            for gene, c_hgvs, p_hgvs, transcript, vaf in ONCOLOGY_VARIANTS
        ),
        skipped=(),
        lab="CEGAT",
        reported_on=date(2019, 9, 15),
        sample=Sample.TISSUE,  # the report's specimen: v2-0487 TUMOR
        test_type=TestType.TUMOUR_ONLY,  # somatic classes only, tumour specimen
        test={
            "specimen": "Tumor, Biopsy",  # type "Tumor", collection method "Biopsy"
            "accession": "42867",  # the report's identifier
            "test_name": "Genetic analysis report",
        },
    ),
    "Bundle-bundle-oncologyexamples-r4.json": Bundle(
        findings=(
            # Germline variants in a report that also measured the tumour (TMB, MSI):
            # the test is not shown to be a germline test, so a germline test is
            # recommended, never assumed.
            Expected(
                "JAK2",
                VARIANT,
                GERMLINE,
                None,  # its evidence level (LA30200-2) is not a therapeutic level
                JAK2_THERAPIES,
                ("p.Val617Phe", "g.5073770G>T"),
                Confirmation.RECOMMENDED,
                {
                    "hgvs_p": "NP_004963.1:p.Val617Phe",
                    "hgvs_g": "NC_000009.12:g.5073770G>T",
                    "hgvs_c": "",
                    "test_method": "Sequencing",
                },
            ),
            Expected(
                "KDR",
                VARIANT,
                GERMLINE,
                None,
                (),
                ("p.Gln472His",),
                Confirmation.RECOMMENDED,
                {"hgvs_g": "NC_000004.11:g.55972974T>A"},
            ),
            Expected(
                "ERBB4",
                VARIANT,
                GERMLINE,
                None,
                (),
                ("g.211713666_211713668del",),
                Confirmation.RECOMMENDED,
                {"hgvs_g": "NC_000002.12:g.211713666_211713668del", "hgvs_p": ""},
            ),
            # 94076-7 written 25: a signature, 25 mut/Mb.
            Expected(
                "TMB",
                SIGNATURE,
                SOMATIC,
                None,
                (),
                ("25",),
                fields={"measure": "TMB", "value": "25", "unit": "mut/Mb"},
            ),
            # 81695-9 LA14122-8 "Stable".
            Expected(
                "MSI",
                SIGNATURE,
                SOMATIC,
                None,
                (),
                ("Stable",),
                fields={"measure": "MSI", "value": "Stable"},
            ),
        ),
        skipped=(),
        lab="",  # performed by a practitioner, not a laboratory
        reported_on=date(2023, 4, 5),
        sample=Sample.UNKNOWN,
        test_type=TestType.UNKNOWN,
        test={"specimen": "", "accession": "", "test_name": "Genetic analysis report"},
    ),
    "Bundle-bundle-pgxexample.json": Bundle(
        findings=(
            # genotype "CYP2C9 *4/*35B" from two haplotypes, each from one variant;
            # med-impact: mercaptopurine, Rapid metabolizer (LA25390-8: CPIC RM), no
            # direction for the medicine.
            Expected(
                "CYP2C9",
                PGX,
                UNKNOWN,
                ("cpic-2017", "RM"),
                (Therapy("mercaptopurine", OTHER),),
                ("*4/*35B",),
                fields={"diplotype": "*4/*35B", "activity_score": ""},
            ),
        ),
        skipped=("Task/med-usage-impact-task-pgx-example",),
        lab="Some lab",
        reported_on=date(2018, 3, 6),
        sample=Sample.UNKNOWN,
        test_type=TestType.UNKNOWN,  # no genomic source class, no tumour measure
    ),
}
