"""One test result as the laboratory report states it: plain values, no Qt, no database.

Everything the report says is kept as written: variant names, numbers (VAF, copy
number, TMB, activity score) and units are text, so nothing is rounded, reformatted
or reinterpreted on its way to the screen or to paper. The app never computes a class
or an origin; it records them, and the rules at the bottom of this module only decide
what may be *said* about a result (is it confirmed germline? does it need a germline
test before relatives are told?).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class BiomarkerKind(StrEnum):
    """What kind of alteration a result is (the kinds of the FHIR Genomics Reporting IG)."""

    SEQUENCE_VARIANT = "sequence_variant"  # SNV, indel: HGVS c./p./g.
    COPY_NUMBER = "copy_number"  # gain, amplification, loss, deep deletion
    FUSION = "fusion"  # a rearrangement joining two genes, written GENE1::GENE2
    EXPRESSION = "expression"  # a protein or RNA level: PD-L1 TPS/CPS, HER2 IHC
    SIGNATURE = "signature"  # a genome-wide measure: TMB, MSI, HRD
    PHARMACOGENOMIC = "pharmacogenomic"  # diplotype, phenotype, activity score
    NO_FINDING = "no_finding"  # the report found nothing to report
    OTHER = "other"


class TestType(StrEnum):
    """Which test found the result: decides what can be said about inheritance."""

    __test__ = False  # not a pytest test class

    GERMLINE = "germline"  # blood or saliva, looking for inherited changes
    TUMOUR_ONLY = "tumour_only"  # tumour tissue alone: cannot tell inherited from acquired
    TUMOUR_NORMAL = "tumour_normal"  # tumour compared with the patient's normal sample
    CTDNA = "ctdna"  # circulating tumour DNA in blood (liquid biopsy)
    UNKNOWN = "unknown"


class Origin(StrEnum):
    """Where the report says the change comes from."""

    GERMLINE = "germline"
    SOMATIC = "somatic"
    LIKELY_GERMLINE = "likely_germline"
    LIKELY_SOMATIC = "likely_somatic"
    UNKNOWN = "unknown"


class Confirmation(StrEnum):
    """Whether a germline test has settled if the change is inherited."""

    NOT_ASSESSED = "not_assessed"
    RECOMMENDED = "recommended"  # a germline (blood or saliva) test is advised
    CONFIRMED = "confirmed"  # a germline test found it: inherited
    NOT_GERMLINE = "not_germline"  # a germline test did not find it


class Sample(StrEnum):
    TISSUE = "tissue"
    BLOOD = "blood"
    UNKNOWN = "unknown"


class CopyNumberChange(StrEnum):
    GAIN = "gain"
    AMPLIFICATION = "amplification"
    LOSS = "loss"
    DEEP_DELETION = "deep_deletion"  # both copies lost
    UNKNOWN = "unknown"


class Zygosity(StrEnum):
    HETEROZYGOUS = "heterozygous"
    HOMOZYGOUS = "homozygous"
    HEMIZYGOUS = "hemizygous"
    UNKNOWN = "unknown"


class Direction(StrEnum):
    """What the evidence says a therapy does with this result."""

    SENSITIVE = "sensitive"  # expected to work
    RESISTANT = "resistant"  # expected not to work
    OTHER = "other"  # named on the report without a direction (or another kind of claim)


@dataclass(frozen=True, slots=True)
class Therapy:
    name: str  # as written on the report
    direction: Direction = Direction.OTHER
    level: str = ""  # the evidence level as written, e.g. "1", "R1", "IA"
    tumour_type: str = ""  # the cancer the evidence is for, as written


@dataclass(frozen=True, slots=True)
class TestResult:
    """One line of a report. Text fields hold exactly what was typed or imported."""

    __test__ = False  # not a pytest test class

    id: int | None  # None until stored
    kind: BiomarkerKind = BiomarkerKind.SEQUENCE_VARIANT
    gene: str = ""  # gene, or the biomarker measured (PD-L1, TMB, MSI, HRD)
    alteration: str = ""  # as on the report: "p.L858R", "amplification", "TPS 60%"
    origin: Origin = Origin.UNKNOWN
    confirmation: Confirmation = Confirmation.NOT_ASSESSED
    scheme_id: str = ""  # a core.classification scheme id, or "" when not given
    class_code: str = ""  # the class as written on the report, e.g. "LP", "IA", "3B", "IM"
    sample: Sample = Sample.UNKNOWN
    lab: str = ""
    reported_on: date | None = None
    therapies: tuple[Therapy, ...] = ()
    clinician_note: str = ""  # not shown in the patient view
    # The test.
    test_type: TestType = TestType.UNKNOWN
    test_name: str = ""
    test_method: str = ""  # e.g. "NGS, hybrid capture", "IHC"
    genes_covered: str = ""  # the panel, or the genes it looked at
    specimen: str = ""  # as on the report, e.g. "FFPE lung biopsy"
    collected_on: date | None = None
    accession: str = ""  # the lab's reference for the report
    # Sequence variants.
    hgvs_c: str = ""
    hgvs_p: str = ""
    hgvs_g: str = ""
    transcript: str = ""  # e.g. "NM_000059.4"
    genome_build: str = ""  # e.g. "GRCh38"
    zygosity: Zygosity = Zygosity.UNKNOWN
    vaf: str = ""  # variant allele fraction, in per cent, as written
    tumour_fraction: str = ""  # in per cent, as written
    # Copy number.
    copy_number_change: CopyNumberChange = CopyNumberChange.UNKNOWN
    copy_number: str = ""  # copies, as written
    # Fusions: both genes, 5' partner first.
    partners: tuple[str, ...] = ()
    # Expression and signatures.
    measure: str = ""  # TPS, CPS, IHC score, H-score ...
    value: str = ""  # as written: "60", "2+", "12.3", "MSI-H", "positive"
    unit: str = ""  # "%", "mut/Mb" ...
    # Pharmacogenomics (the phenotype is the class, in the CPIC scheme).
    diplotype: str = ""  # e.g. "*1/*2A"
    activity_score: str = ""  # e.g. "1.0", as written

    @property
    def fusion_name(self) -> str:
        """``GENE1::GENE2`` (the HGNC convention) when both partners are known."""
        named = [partner.strip() for partner in self.partners if partner.strip()]
        return "::".join(named)

    @property
    def genes(self) -> tuple[str, ...]:
        """Every gene the result is about: a fusion's partners, else its gene."""
        named = [partner.strip() for partner in self.partners if partner.strip()]
        gene = self.gene.strip()
        if gene and gene not in named:
            named.append(gene)
        return tuple(named)


GERMLINE_ORIGINS = frozenset({Origin.GERMLINE, Origin.LIKELY_GERMLINE})
SOMATIC_ORIGINS = frozenset({Origin.SOMATIC, Origin.LIKELY_SOMATIC})


def germline_confirmed(result: TestResult) -> bool:
    """True only when a germline test has shown the change is inherited.

    This alone allows the app to call a finding inherited or to address relatives.
    """
    return result.confirmation is Confirmation.CONFIRMED


def germline_question_open(result: TestResult) -> bool:
    """The change may be inherited but no germline test has settled it yet."""
    if result.confirmation in (Confirmation.CONFIRMED, Confirmation.NOT_GERMLINE):
        return False
    return result.confirmation is Confirmation.RECOMMENDED or result.origin in GERMLINE_ORIGINS


def default_confirmation(test_type: TestType, origin: Origin) -> Confirmation:
    """What the report's test and origin already settle, for a new or imported result.

    A germline test that reports a germline change is its own confirmation; a
    tumour-normal test that finds the change in the normal sample is too. A change a
    tumour test calls (likely) germline still needs a germline test.
    """
    if origin is Origin.GERMLINE and test_type in (TestType.GERMLINE, TestType.TUMOUR_NORMAL):
        return Confirmation.CONFIRMED
    if origin is Origin.SOMATIC and test_type is TestType.TUMOUR_NORMAL:
        return Confirmation.NOT_GERMLINE
    if origin in GERMLINE_ORIGINS:
        return Confirmation.RECOMMENDED
    return Confirmation.NOT_ASSESSED


# Plain mappings (for JSON files, the demo and user.db) --------------------------------

# Fields held as StrEnum values; an unknown value reads as the fallback, so a file or
# database from a newer release still opens.
ENUM_FIELDS: dict[str, StrEnum] = {
    "kind": BiomarkerKind.OTHER,
    "origin": Origin.UNKNOWN,
    "confirmation": Confirmation.NOT_ASSESSED,
    "sample": Sample.UNKNOWN,
    "test_type": TestType.UNKNOWN,
    "zygosity": Zygosity.UNKNOWN,
    "copy_number_change": CopyNumberChange.UNKNOWN,
}
DATE_FIELDS = frozenset({"reported_on", "collected_on"})
# Every field of a result but its id, in declaration order.
RESULT_FIELDS: tuple[str, ...] = tuple(
    name for name in TestResult.__dataclass_fields__ if name != "id"
)


def _enum_value(fallback: StrEnum, raw: object) -> StrEnum:
    try:
        return type(fallback)(str(raw))
    except ValueError:
        return fallback


def therapy_to_mapping(therapy: Therapy) -> dict[str, str]:
    return {
        "name": therapy.name,
        "direction": str(therapy.direction),
        "level": therapy.level,
        "tumour_type": therapy.tumour_type,
    }


def therapy_from_mapping(item: object) -> Therapy | None:
    """A therapy from ``{name, direction, level, tumour_type}``, or a bare name."""
    if isinstance(item, str):
        return Therapy(item)
    if not isinstance(item, dict) or not isinstance(item.get("name"), str):
        return None

    def text(key: str) -> str:
        value = item.get(key, "")
        return value if isinstance(value, str) else ""

    direction = _enum_value(Direction.OTHER, item.get("direction", "other"))
    assert isinstance(direction, Direction)
    return Therapy(item["name"], direction, text("level"), text("tumour_type"))


def result_to_mapping(result: TestResult) -> dict[str, object]:
    """Every field but the id: enums as their values, dates as ``date``, lists as lists."""
    values: dict[str, object] = {}
    for name in RESULT_FIELDS:
        value = getattr(result, name)
        if name == "therapies":
            value = [therapy_to_mapping(therapy) for therapy in result.therapies]
        elif name == "partners":
            value = list(result.partners)
        elif name in ENUM_FIELDS:
            value = str(value)
        values[name] = value
    return values


def result_from_mapping(data: dict[str, object], result_id: int | None = None) -> TestResult:
    """The inverse of ``result_to_mapping``, lenient: unknown values fall back, wrong
    types are left out, dates may be ``date`` or ISO text."""
    values: dict[str, object] = {}
    for name in RESULT_FIELDS:
        if name not in data:
            continue
        raw = data[name]
        if name == "therapies":
            items = raw if isinstance(raw, list | tuple) else []
            found = (therapy_from_mapping(item) for item in items)
            values[name] = tuple(therapy for therapy in found if therapy is not None)
        elif name == "partners":
            items = raw if isinstance(raw, list | tuple) else []
            values[name] = tuple(item for item in items if isinstance(item, str))
        elif name in ENUM_FIELDS:
            values[name] = _enum_value(ENUM_FIELDS[name], raw)
        elif name in DATE_FIELDS:
            if isinstance(raw, date):
                values[name] = raw
            elif isinstance(raw, str) and raw:
                try:
                    values[name] = date.fromisoformat(raw)
                except ValueError:
                    continue
        elif isinstance(raw, str):
            values[name] = raw
    return TestResult(result_id, **values)  # type: ignore[arg-type]
