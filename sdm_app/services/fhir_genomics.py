"""Findings from HL7 FHIR R4 JSON that follows the Genomics Reporting IG.

Reads a Bundle, or a lone DiagnosticReport whose Observations are contained in
it. References are resolved the FHIR way: ``#id`` to a contained resource, an
absolute URL or ``urn:`` to the entry with that ``fullUrl``, and ``Type/id``
against the base of the referring entry's ``fullUrl`` (or, when entries have no
RESTful ``fullUrl``, to the one entry of that type and id).

What a thing is, is decided by codes only, never by display text:

- variants (LOINC 69548-6): gene (48018-6), c./p./g. HGVS (48004-6, 48005-3,
  81290-9), transcript (51958-7), genome build (62374-4), genomic source class
  (48002-0), allelic state (53034-5), variant allele fraction (81258-6, kept as
  decimal text: a fraction becomes per cent exactly), copy number (82155-3). A
  Sequence Ontology change type or consequence (48019-4, 48006-1) makes it a
  copy-number change (gain, loss) or a fusion; two genes in one variant are a
  fusion's partners. A variant reported Absent (LA9634-2) is a negative finding
  and is left out, with the reason. Members of a complex variant (``hasMember``)
  are one finding.
- tumour mutational burden (94076-7) and microsatellite status (81695-9):
  signatures with their value as written.
- genotypes (84413-4) and haplotypes (84414-2): pharmacogenomic findings when a
  therapeutic implication points at them, with the diplotype as written; the
  haplotypes and variants they are derived from (of the same gene) are part of
  them, not findings of their own. A metaboliser status (LOINC LL3856-3 answers),
  in an implication or a phenotype observation (53040-2), is the class in CPIC's
  terms.
- diagnostic implications: clinical significance (53037-8) mapped to ACMG/AMP
  2015 when it is one of the five LOINC classes, else kept as written.
- therapeutic implications: the medication (51963-7) or therapy, its direction
  (responsive LA6677-4 is sensitive, resistant LA6676-6 resistant; other effects
  are kept as written), the evidence level (93044-6, mapped to OncoKB, ESCAT or
  AMP/ASCO/CAP only when its code system is one of theirs, else kept as written)
  and the cancer it is about (81259-4 or associated-cancer).
- regions studied (53041-0): the genes the test covered.
- the kind of test, from the genomic source classes and tumour measures of the
  whole report (see ``_with_test_types``); unknown unless the codes show it.

Display text is used only to show a name (a gene symbol, a medicine, a genotype)
that has no other form. Every value read is type-checked: a wrong type, an
over-long text or a malformed document raises ``ResultImportError`` naming the
resource and field.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sdm_app.core.classification import (
    ACMG_AMP_2015,
    AMP_ASCO_CAP_2017,
    CPIC_2017,
    ESMO_ESCAT_2018,
    ONCOKB,
    scheme,
)
from sdm_app.core.results import (
    BiomarkerKind,
    CopyNumberChange,
    Direction,
    Origin,
    Sample,
    TestType,
    Zygosity,
)
from sdm_app.i18n import N_, _
from sdm_app.services.result_import import (
    FHIR,
    Finding,
    ImportReport,
    ResultImportError,
    Skipped,
    TherapyMention,
    checked_text,
    decimal_of,
    fraction_as_percent,
    number_text,
    shown,
)

LOINC = "http://loinc.org"
TBD_SYSTEMS = (
    "http://hl7.org/fhir/uv/genomics-reporting/CodeSystem/tbd-codes-cs",
    "http://hl7.org/fhir/uv/genomics-reporting/CodeSystem/tbd-codes",
)
GENOMICS_PROFILE = "http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/"

# Observation codes.
VARIANT = "69548-6"
TMB = "94076-7"
MSI = "81695-9"
GENOTYPE = "84413-4"
HAPLOTYPE = "84414-2"
REGION = "53041-0"  # DNA region of interest panel: what the test looked at
PHENOTYPE_CODES = ("53040-2", "79716-7")  # effect on drug metabolism; CYP2C9 by CPIC
DIAGNOSTIC = "diagnostic-implication"
THERAPEUTIC = "therapeutic-implication"
PHENOTYPE = "phenotype"  # a metaboliser status derived from a genotype
TBD_REGION = "region-studied"
OTHER = "other"  # another observation from a genomics profile or with the GE category
FINDING_CODES = (VARIANT, TMB, MSI, GENOTYPE, HAPLOTYPE)
IMPLICATIONS = (DIAGNOSTIC, THERAPEUTIC, PHENOTYPE)

# Component codes (LOINC unless noted).
GENE = "48018-6"
C_HGVS = "48004-6"
P_HGVS = "48005-3"
G_HGVS = "81290-9"
DISCRETE_VARIANT = "81252-9"
SOURCE_CLASS = "48002-0"
ALLELIC_STATE = "53034-5"
ALLELE_FRACTION = "81258-6"
CHANGE_TYPE = "48019-4"
CONSEQUENCE = "48006-1"  # amino acid change type; the IG also has molecular-consequence
TBD_CONSEQUENCE = "molecular-consequence"
COPY_NUMBER = "82155-3"
TRANSCRIPT = "51958-7"
GENOME_BUILD = "62374-4"
SIGNIFICANCE = "53037-8"
CONDITION = "81259-4"
MEDICATION = "51963-7"
EVIDENCE = "93044-6"
EFFECT_CODES = ("51961-1", "53040-2", "83009-1")  # efficacy, metabolism, high risk
TBD_EFFECTS = (THERAPEUTIC, "predicted-therapeutic-implication")
TBD_THERAPIES = ("associated-therapy", "therapy-assessed")
TBD_CANCER = "associated-cancer"

PRESENT, ABSENT = "LA9633-4", "LA9634-2"

SOURCE_CLASSES = {
    "LA6683-2": Origin.GERMLINE,
    "LA6684-0": Origin.SOMATIC,
    "LA18194-3": Origin.LIKELY_GERMLINE,
    "LA18195-0": Origin.LIKELY_SOMATIC,
    "LA18197-6": Origin.UNKNOWN,  # unknown genomic origin
}

ZYGOSITIES = {
    "LA6706-1": Zygosity.HETEROZYGOUS,
    "LA6705-3": Zygosity.HOMOZYGOUS,
    "LA6707-9": Zygosity.HEMIZYGOUS,
}
# Allelic states that are not a zygosity: kept in the clinician note.
ALLELIC_STATES = {
    "LA6703-8": N_("heteroplasmic"),
    "LA6704-6": N_("homoplasmic"),
}

# LOINC answer list LL4034-6 and its older answers -> ACMG/AMP 2015 classes.
SIGNIFICANCE_CLASSES = {
    "LA6668-3": "P",
    "LA26332-9": "LP",
    "LA6669-1": "LP",  # presumed pathogenic
    "LA26333-7": "VUS",
    "LA6682-4": "VUS",  # unknown significance
    "LA26334-5": "LB",
    "LA6674-1": "LB",  # presumed benign
    "LA6675-8": "B",
}

RESPONSES = {"LA6677-4": Direction.SENSITIVE, "LA6676-6": Direction.RESISTANT}

# LOINC answer list LL3856-3 (metaboliser status) -> CPIC's 2017 terms. "Extensive"
# is the older word for what CPIC calls normal.
METABOLIZERS = {
    "LA10315-2": "UM",
    "LA25390-8": "RM",
    "LA25391-6": "NM",
    "LA10316-0": "NM",
    "LA10317-8": "IM",
    "LA9657-3": "PM",
}

# Evidence-level code systems recognised by a part of their URL (there are no
# official URLs for these schemes; LOINC's LL5356-2 is ACMG evidence strength).
EVIDENCE_SYSTEMS = (
    ("oncokb", ONCOKB.id),
    ("escat", ESMO_ESCAT_2018.id),
    ("amp-asco-cap", AMP_ASCO_CAP_2017.id),
    ("ampascocap", AMP_ASCO_CAP_2017.id),
)

V2_SPECIMEN = "http://terminology.hl7.org/CodeSystem/v2-0487"
SNOMED = "http://snomed.info/sct"
SAMPLE_TYPES = {
    (V2_SPECIMEN, "TISS"): Sample.TISSUE,
    (V2_SPECIMEN, "TUMOR"): Sample.TISSUE,
    (V2_SPECIMEN, "BLD"): Sample.BLOOD,
    (V2_SPECIMEN, "BLDA"): Sample.BLOOD,
    (V2_SPECIMEN, "BLDC"): Sample.BLOOD,
    (V2_SPECIMEN, "BLDV"): Sample.BLOOD,
    (V2_SPECIMEN, "PLAS"): Sample.BLOOD,
    (V2_SPECIMEN, "SER"): Sample.BLOOD,
    (SNOMED, "119376003"): Sample.TISSUE,
    (SNOMED, "119297000"): Sample.BLOOD,
    (SNOMED, "119361006"): Sample.BLOOD,
    (SNOMED, "119364003"): Sample.BLOOD,
}

SO = "http://www.sequenceontology.org"
# Sequence Ontology terms that make a variant a copy-number change or a fusion. Other
# terms (substitution, deletion ...) leave it a sequence variant.
CHANGE_KINDS: dict[str, tuple[BiomarkerKind, CopyNumberChange]] = {
    "SO:0001565": (BiomarkerKind.FUSION, CopyNumberChange.UNKNOWN),  # gene_fusion
    "SO:0001886": (BiomarkerKind.FUSION, CopyNumberChange.UNKNOWN),  # transcript_fusion
    "SO:0001019": (BiomarkerKind.COPY_NUMBER, CopyNumberChange.UNKNOWN),  # copy_number_variation
    "SO:0001742": (BiomarkerKind.COPY_NUMBER, CopyNumberChange.GAIN),  # copy_number_gain
    "SO:0001743": (BiomarkerKind.COPY_NUMBER, CopyNumberChange.LOSS),  # copy_number_loss
    "SO:0001911": (BiomarkerKind.COPY_NUMBER, CopyNumberChange.GAIN),  # copy_number_increase
    "SO:0001912": (BiomarkerKind.COPY_NUMBER, CopyNumberChange.LOSS),  # copy_number_decrease
}
COPY_NUMBER_EVENT = "http://terminology.hl7.org/CodeSystem/copy-number-event"
COPY_NUMBER_EVENTS = {"amp": CopyNumberChange.AMPLIFICATION, "del": CopyNumberChange.LOSS}
_SO_CODE = re.compile(r"^SO:[0-9]{7}$")

SKIPPED_STATUSES = ("entered-in-error", "cancelled")
MAX_MEMBER_DEPTH = 8  # complex variants and genotype chains are two or three deep

_PROTEIN_ACCESSION = re.compile(r"^[A-Z]{2}_[0-9.]+:(?=p\.)")
_HGVS_GENE = re.compile(r"^[A-Z]{2}_[0-9.]+\(([A-Za-z0-9][A-Za-z0-9-]{0,30})\):[cgnmp]\.")


# Checked access to the JSON ---------------------------------------------------------


class _Reader:
    """Type-checked reads; every problem names the resource and field."""

    def __init__(self, file_name: str) -> None:
        self.file_name = file_name

    def fail(self, where: str, problem: str) -> ResultImportError:
        return ResultImportError(self.file_name, problem, where)

    def obj(self, value: object, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, _("expected an object"))
        return value

    def opt_obj(self, parent: dict[str, Any], key: str, where: str) -> dict[str, Any] | None:
        value = parent.get(key)
        return None if value is None else self.obj(value, f"{where}.{key}")

    def items(self, parent: dict[str, Any], key: str, where: str) -> Iterator[tuple[Any, str]]:
        """The elements of an optional list, each with where it is."""
        value = parent.get(key)
        if value is None:
            return
        if not isinstance(value, list):
            raise self.fail(f"{where}.{key}", _("expected a list"))
        for index, item in enumerate(value):
            yield item, f"{where}.{key}[{index}]"

    def objs(
        self, parent: dict[str, Any], key: str, where: str
    ) -> Iterator[tuple[dict[str, Any], str]]:
        for item, item_where in self.items(parent, key, where):
            if item is not None:
                yield self.obj(item, item_where), item_where

    def text(self, parent: dict[str, Any], key: str, where: str) -> str:
        value = parent.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            raise self.fail(f"{where}.{key}", _("expected text"))
        return checked_text(value, self.file_name, f"{where}.{key}")

    def codings(self, concept: dict[str, Any] | None, where: str) -> list[tuple[str, str, str]]:
        """(system, code, display) of each coding of a CodeableConcept."""
        if concept is None:
            return []
        return [
            (
                self.text(coding, "system", coding_where),
                self.text(coding, "code", coding_where),
                self.text(coding, "display", coding_where),
            )
            for coding, coding_where in self.objs(concept, "coding", where)
        ]

    def words(self, concept: dict[str, Any] | None, where: str) -> str:
        """A concept shown as a name: a coding's display, else its text, else a code."""
        if concept is None:
            return ""
        codings = self.codings(concept, where)
        for _system, _code, display in codings:
            if display:
                return display
        text = self.text(concept, "text", where)
        if text:
            return text
        return next((code for _system, code, _display in codings if code), "")

    def expression(self, concept: dict[str, Any] | None, where: str) -> str:
        """A concept whose code is the value itself (an HGVS expression)."""
        if concept is None:
            return ""
        for _system, code, display in self.codings(concept, where):
            if code or display:
                return code or display
        return self.text(concept, "text", where)


def _has(codes: list[tuple[str, str, str]], systems: tuple[str, ...], *wanted: str) -> bool:
    return any(system in systems and code in wanted for system, code, _display in codes)


def _first_code(codes: list[tuple[str, str, str]], system: str, table: dict[str, Any]) -> Any:
    return next((table[code] for sys, code, _d in codes if sys == system and code in table), None)


# Resources and references ------------------------------------------------------------


@dataclass(eq=False)
class _Resource:
    data: dict[str, Any]
    type: str
    id: str
    full_url: str
    where: str  # how messages name it: "Observation/abc" or "entry[3]"
    container: _Resource | None = None
    contained: dict[str, _Resource] = field(default_factory=dict)


class _Index:
    def __init__(self, reader: _Reader) -> None:
        self.reader = reader
        self.resources: list[_Resource] = []
        self.by_url: dict[str, _Resource] = {}
        self.by_type_id: dict[tuple[str, str], list[_Resource]] = {}

    def add(
        self, data: object, where: str, full_url: str = "", container: _Resource | None = None
    ) -> _Resource:
        reader = self.reader
        resource = reader.obj(data, where)
        kind = reader.text(resource, "resourceType", where)
        if not kind:
            raise reader.fail(where, _("a resource without a resourceType"))
        ident = reader.text(resource, "id", where)
        label = f"{kind}/{ident}" if ident else where
        if container is not None:
            label = f"{container.where}#{ident}"
        item = _Resource(resource, kind, ident, full_url, label, container)
        self.resources.append(item)
        if container is None:
            if full_url:
                self.by_url.setdefault(full_url, item)
            if ident:
                self.by_type_id.setdefault((kind, ident), []).append(item)
            for inner, inner_where in reader.objs(resource, "contained", label):
                inner_item = self.add(inner, inner_where, container=item)
                if inner_item.id in item.contained:
                    # "#id" would name two resources: which one is meant is a guess.
                    raise reader.fail(
                        inner_where,
                        _("two contained resources share the id {id}").format(
                            id=shown(inner_item.id)
                        ),
                    )
                if inner_item.id:
                    item.contained[inner_item.id] = inner_item
        return item

    def resolve(self, reference: object, source: _Resource, where: str) -> _Resource | None:
        """The resource a Reference points at, or None when it is not in the file."""
        if reference is None:
            return None
        target = self.reader.text(self.reader.obj(reference, where), "reference", where)
        if not target:
            return None  # a reference by identifier only
        if target.startswith("#"):
            holder = source.container or source
            return holder.contained.get(target[1:])
        found = self.by_url.get(target)
        if found is not None:
            return found
        parts = target.split("/_history/")[0].split("/")
        if "://" in target or target.startswith("urn:") or len(parts) != 2:
            return None
        holder = source.container or source
        base = _rest_base(holder.full_url, holder.type, holder.id)
        if base:
            found = self.by_url.get(base + "/".join(parts))
            if found is not None:
                return found
        matches = self.by_type_id.get((parts[0], parts[1]), [])
        return matches[0] if len(matches) == 1 else None


def _rest_base(full_url: str, kind: str, ident: str) -> str:
    """``http://x/fhir/`` for ``http://x/fhir/Observation/1``; "" when not RESTful."""
    tail = f"{kind}/{ident}"
    if ident and "://" in full_url and full_url.split("/_history/")[0].endswith("/" + tail):
        return full_url.split("/_history/")[0][: -len(tail)]
    return ""


# Observations -------------------------------------------------------------------------


@dataclass(eq=False)
class _Obs:
    resource: _Resource
    role: str  # VARIANT, TMB, MSI, GENOTYPE, HAPLOTYPE, DIAGNOSTIC, THERAPEUTIC, "other", ""
    components: list[tuple[list[tuple[str, str, str]], dict[str, Any], str]]
    implications: list[_Obs] = field(default_factory=list)
    parts: list[_Obs] = field(default_factory=list)  # members, haplotypes, variants
    part_of: _Obs | None = None
    genes: tuple[str, ...] = ()


class _FhirReader:
    def __init__(self, file_name: str) -> None:
        self.file_name = file_name
        self.read = _Reader(file_name)
        self.index = _Index(self.read)
        self.skipped: list[Skipped] = []
        self.attached: set[int] = set()  # implications that point at a finding
        self.coded_origins: dict[str, Origin] = {}  # finding source -> its 48002-0 class
        self.tumour_measures: set[str] = set()  # sources of TMB and MSI findings
        self.regions: dict[int | None, list[str]] = {}

    # Loading

    def load(self, root: dict[str, Any]) -> list[_Resource]:
        """Index every resource; returns the DiagnosticReports."""
        read = self.read
        kind = read.text(root, "resourceType", "resourceType")
        if kind == "Bundle":
            for entry, where in read.objs(root, "entry", "Bundle"):
                resource = entry.get("resource")
                if resource is None:
                    continue  # a deleted entry, or one that only carries a request
                full_url = read.text(entry, "fullUrl", where)
                self.index.add(resource, f"{where}.resource", full_url)
        elif kind == "DiagnosticReport":
            self.index.add(root, "DiagnosticReport")
        else:
            raise ResultImportError(
                self.file_name,
                _(
                    "a FHIR {type} is not something the app imports: choose a Bundle or a "
                    "DiagnosticReport"
                ).format(type=shown(kind) or "?"),
            )
        return [r for r in self.index.resources if r.type == "DiagnosticReport"]

    def observation(self, resource: _Resource) -> _Obs:
        read, data, where = self.read, resource.data, resource.where
        codes = read.codings(read.opt_obj(data, "code", where), f"{where}.code")
        components = []
        for component, comp_where in read.objs(data, "component", where):
            comp_codes = read.codings(
                read.opt_obj(component, "code", comp_where), f"{comp_where}.code"
            )
            components.append((comp_codes, component, comp_where))
        role = next((code for code in FINDING_CODES if _has(codes, (LOINC,), code)), "")
        role = role or next((code for code in IMPLICATIONS if _has(codes, TBD_SYSTEMS, code)), "")
        if not role and (_has(codes, (LOINC,), REGION) or _has(codes, TBD_SYSTEMS, TBD_REGION)):
            role = REGION
        if not role and (
            _has(codes, (LOINC,), *PHENOTYPE_CODES)
            or _first_code(self._value_codes(data, where), LOINC, METABOLIZERS) is not None
        ):
            role = PHENOTYPE  # a metaboliser status, coded: what the genotype means
        if not role and self._genomic(data, where):
            role = OTHER
        observation = _Obs(resource, role, components)
        observation.genes = tuple(
            gene
            for comp_codes, component, comp_where in components
            if _has(comp_codes, (LOINC,), GENE)
            for gene in [self._value_words(component, comp_where)]
            if gene
        )
        return observation

    def _genomic(self, data: dict[str, Any], where: str) -> bool:
        read = self.read
        meta = read.opt_obj(data, "meta", where)
        for profile, profile_where in read.items(meta or {}, "profile", f"{where}.meta"):
            if not isinstance(profile, str):
                raise read.fail(profile_where, _("expected text"))
            if profile.startswith(GENOMICS_PROFILE):
                return True
        for category, category_where in read.objs(data, "category", where):
            if ("http://terminology.hl7.org/CodeSystem/v2-0074", "GE") in {
                (system, code) for system, code, _d in read.codings(category, category_where)
            }:
                return True
        return False

    def _value_concept(self, holder: dict[str, Any], where: str) -> dict[str, Any] | None:
        return self.read.opt_obj(holder, "valueCodeableConcept", where)

    def _value_words(self, holder: dict[str, Any], where: str) -> str:
        concept = self._value_concept(holder, where)
        if concept is not None:
            return self.read.words(concept, f"{where}.valueCodeableConcept")
        return self.read.text(holder, "valueString", where)

    def _value_codes(self, holder: dict[str, Any], where: str) -> list[tuple[str, str, str]]:
        return self.read.codings(
            self._value_concept(holder, where), f"{where}.valueCodeableConcept"
        )

    def _components(
        self, obs: _Obs, code: str, systems: tuple[str, ...] = (LOINC,)
    ) -> Iterator[tuple[dict[str, Any], str]]:
        for codes, component, where in obs.components:
            if _has(codes, systems, code):
                yield component, where

    # Building findings

    def run(self, root: dict[str, Any]) -> ImportReport:
        reports = self.load(root)
        observations: dict[int, _Obs] = {}
        for resource in self.index.resources:
            if resource.type == "Observation":
                observations[id(resource)] = self.observation(resource)
        self._link(observations)
        order = self._report_order(reports, observations)
        report_of = self._report_of(reports)
        findings: list[Finding] = []
        reports_of_findings: list[_Resource | None] = []
        subjects: set[str] = set()
        self.regions = self._regions(order, report_of)
        for obs in order:
            if obs.part_of is not None or obs.role in (*IMPLICATIONS, REGION):
                continue
            status = self.read.text(obs.resource.data, "status", obs.resource.where)
            if status in SKIPPED_STATUSES:
                self._skip(obs, _("the report marks it as {status}").format(status=shown(status)))
                continue
            if not obs.role:
                self._skip(obs, _("not a genomic finding the app reads"))
                continue
            report = report_of.get(id(obs.resource))
            found = self._finding(obs, report)
            if found is not None:
                findings.append(found)
                reports_of_findings.append(report)
                subjects.update(self._subjects(obs, report))
        findings = self._with_test_types(findings, reports_of_findings)
        for obs in order:
            if obs.role in IMPLICATIONS and id(obs) not in self.attached:
                self._skip(obs, _("an implication whose finding is not in the file"))
        for resource in self.index.resources:
            if resource.type == "Task" and resource.container is None:
                self.skipped.append(
                    Skipped(
                        resource.where,
                        _(
                            "a recommendation for the care team: the app imports findings; "
                            "read recommendations on the report"
                        ),
                    )
                )
        if len(subjects) > 1:
            raise ResultImportError(
                self.file_name,
                _("the file holds results for more than one patient; import one at a time"),
            )
        return ImportReport(self.file_name, FHIR, tuple(findings), tuple(self.skipped))

    def _regions(
        self, order: list[_Obs], report_of: dict[int, _Resource]
    ) -> dict[int | None, list[str]]:
        """The genes each report's test looked at (its regions studied)."""
        genes: dict[int | None, list[str]] = {}
        for obs in order:
            if obs.role == REGION:
                report = report_of.get(id(obs.resource))
                key = id(report) if report is not None else None
                genes[key] = _unique([*genes.get(key, []), *obs.genes])
        return genes

    def _with_test_types(
        self, findings: list[Finding], reports: list[_Resource | None]
    ) -> list[Finding]:
        """Each finding with the kind of test its report is, where the report's codes say.

        LOINC 48002-0 is the genomic class of the specimen analysed. A report with both
        germline- and somatic-class variants compared tumour with normal; one with only
        germline-class variants, and nothing measured in a tumour, is a germline test;
        one with only somatic classes or tumour measures (TMB, MSI) is a tumour test (in
        blood: ctDNA). Anything less clear stays unknown: the app never claims a
        germline test the report does not show.
        """
        by_report: dict[int | None, list[int]] = {}
        for index, report in enumerate(reports):
            by_report.setdefault(id(report) if report is not None else None, []).append(index)
        result = list(findings)
        for indexes in by_report.values():
            chosen = [findings[index] for index in indexes]
            coded = {self.coded_origins.get(found.source) for found in chosen}
            germline = Origin.GERMLINE in coded
            somatic = Origin.SOMATIC in coded
            tumour = any(found.source in self.tumour_measures for found in chosen)
            samples = {found.sample for found in chosen}
            if germline and somatic:
                test_type = TestType.TUMOUR_NORMAL
            elif germline and not tumour and Sample.TISSUE not in samples:
                test_type = TestType.GERMLINE
            elif (somatic or tumour) and not germline:
                blood = samples == {Sample.BLOOD}
                test_type = TestType.CTDNA if blood else TestType.TUMOUR_ONLY
            else:
                test_type = TestType.UNKNOWN
            for index in indexes:
                result[index] = replace(findings[index], test_type=test_type)
        return result

    def _skip(self, obs: _Obs, reason: str) -> None:
        self.skipped.append(Skipped(obs.resource.where, reason))

    def _targets(self, obs: _Obs, key: str, observations: dict[int, _Obs]) -> list[_Obs]:
        found = []
        for reference, where in self.read.items(obs.resource.data, key, obs.resource.where):
            target = self.index.resolve(reference, obs.resource, where)
            if target is not None and id(target) in observations and target is not obs.resource:
                found.append(observations[id(target)])
        return found

    def _link(self, observations: dict[int, _Obs]) -> None:
        for obs in observations.values():
            if obs.role in IMPLICATIONS:
                for target in self._targets(obs, "derivedFrom", observations):
                    if target.role not in IMPLICATIONS:
                        target.implications.append(obs)
                        self.attached.add(id(obs))
            elif obs.role == VARIANT:
                for member in self._targets(obs, "hasMember", observations):
                    if member.role == VARIANT:
                        self._absorb(obs, member)
        for obs in observations.values():
            if obs.role in (GENOTYPE, HAPLOTYPE) and obs.part_of is None:
                self._absorb_sources(obs, observations, set(obs.genes), 0)

    def _absorb(self, whole: _Obs, part: _Obs) -> None:
        if part.part_of is not None or _within(whole, part):
            return  # already part of another finding, or a cycle of references
        part.part_of = whole
        whole.parts.append(part)

    def _absorb_sources(
        self, whole: _Obs, observations: dict[int, _Obs], genes: set[str], depth: int
    ) -> None:
        """Haplotypes and same-gene variants a genotype or haplotype is derived from."""
        if depth > MAX_MEMBER_DEPTH:
            return
        for source in self._targets(whole, "derivedFrom", observations):
            belongs = source.role == HAPLOTYPE or (
                source.role == VARIANT
                and not source.implications
                and bool(source.genes)
                and set(source.genes) <= genes
            )
            if belongs and source.part_of is None and not _within(whole, source):
                self._absorb(whole, source)
                self._absorb_sources(source, observations, genes | set(source.genes), depth + 1)

    def _report_order(self, reports: list[_Resource], observations: dict[int, _Obs]) -> list[_Obs]:
        """The reports' results in their order, then any other observation in the file."""
        order: list[_Obs] = []
        seen: set[int] = set()
        for report in reports:
            for reference, where in self.read.items(report.data, "result", report.where):
                target = self.index.resolve(reference, report, where)
                if target is None:
                    label = self._reference_text(reference, where)
                    self.skipped.append(
                        Skipped(
                            label or where,
                            _("the report refers to it, but it is not in the file"),
                        )
                    )
                    continue
                if id(target) in observations and id(target) not in seen:
                    seen.add(id(target))
                    order.append(observations[id(target)])
        for key, obs in observations.items():
            if key not in seen:
                order.append(obs)
        return order

    def _reference_text(self, reference: object, where: str) -> str:
        return self.read.text(self.read.obj(reference, where), "reference", where)

    def _report_of(self, reports: list[_Resource]) -> dict[int, _Resource]:
        owner: dict[int, _Resource] = {}
        for report in reports:
            for reference, where in self.read.items(report.data, "result", report.where):
                target = self.index.resolve(reference, report, where)
                if target is not None:
                    owner.setdefault(id(target), report)
        if len(reports) == 1:
            only = reports[0]
            for resource in self.index.resources:
                owner.setdefault(id(resource), only)
        return owner

    def _subjects(self, obs: _Obs, report: _Resource | None) -> set[str]:
        found: set[str] = set()
        for holder in (obs.resource, report):
            if holder is None:
                continue
            subject = self.read.opt_obj(holder.data, "subject", holder.where)
            if subject is None:
                continue
            where = f"{holder.where}.subject"
            target = self.index.resolve(subject, holder, where)
            if target is not None:
                found.add(f"resource:{id(target)}")
                continue
            text = self.read.text(subject, "reference", where)
            if text:
                found.add(f"reference:{text}")
        return found

    def _finding(self, obs: _Obs, report: _Resource | None) -> Finding | None:
        if obs.role == VARIANT:
            found = self._variant(obs)
        elif obs.role == TMB:
            found = self._tmb(obs)
        elif obs.role == MSI:
            found = self._msi(obs)
        elif obs.role in (GENOTYPE, HAPLOTYPE):
            found = self._genotype(obs)
        else:
            found = self._other(obs)
        if found is None:
            return None
        if not found.gene and not found.alteration:
            self._skip(obs, _("it names no gene, biomarker or change"))
            return None
        specimen, collected_on = self._specimen(obs, report)
        region = self.regions.get(id(report) if report is not None else None, [])
        return replace(
            self._with_implications(found, obs),
            sample=self._sample(obs, report),
            lab=self._lab(obs, report),
            reported_on=self._date(obs, report),
            specimen=specimen,
            collected_on=collected_on,
            accession=self._accession(report),
            test_name=self._test_name(report),
            test_method=self._named(obs.resource.data, "method", obs.resource.where),
            genes_covered=", ".join(region) or found.genes_covered,
        )

    def _variant(self, obs: _Obs) -> Finding | None:
        where = obs.resource.where
        value = self._value_codes(obs.resource.data, where)
        if value and not _has(value, (LOINC,), PRESENT):
            if _has(value, (LOINC,), ABSENT):
                self._skip(
                    obs,
                    _("the report says this variant is absent (a negative result): not imported"),
                )
            else:
                self._skip(obs, _("the report does not say that this variant is present"))
            return None
        own = self._variant_parts(obs)
        members = [self._variant_parts(part) for part in _all_parts(obs) if part.role == VARIANT]
        genes = _unique([*own["genes"], *(g for m in members for g in m["genes"])])
        kinds = [own["kind"], *(m["kind"] for m in members)]
        kind = next(
            (k for k in kinds if k is not BiomarkerKind.SEQUENCE_VARIANT),
            BiomarkerKind.SEQUENCE_VARIANT,
        )
        origins = {own["origin"]} | {m["origin"] for m in members}
        origins.discard(None)
        origin = own["origin"] or (origins.pop() if len(origins) == 1 else None)
        if origin is not None:
            self.coded_origins[where] = origin
        own_genes = _unique(own["genes"])
        partners: tuple[str, ...] = ()
        if kind is BiomarkerKind.FUSION or (
            len(own_genes) > 1 and kind is BiomarkerKind.SEQUENCE_VARIANT and not members
        ):
            # Two genes studied in one variant are the two sides of a fusion, in the
            # report's order (5' first): never one "gene" called "MET, ALK".
            kind = BiomarkerKind.FUSION
            partners = tuple(own_genes or genes)
        alterations = [own["alteration"], *(m["alteration"] for m in members)]
        alteration = "; ".join(a for a in alterations if a)
        if not alteration:
            alteration = "::".join(partners) if partners else own["change_words"]
        # A fusion's gene is its 3' partner: the kinase in the fusions treated today.
        gene = partners[-1] if partners else ", ".join(genes)
        return Finding(
            source=where,
            kind=kind,
            gene=gene,
            alteration=alteration,
            origin=origin or Origin.UNKNOWN,
            hgvs_c=own["c"],
            hgvs_p=own["p"],
            hgvs_g=own["g"],
            transcript=own["transcript"],
            genome_build=own["build"],
            zygosity=own["zygosity"],
            allelic_state=own["allelic_state"],
            vaf=own["vaf"],
            copy_number_change=own["change"],
            copy_number=own["copies"],
            partners=partners,
        )

    def _variant_parts(self, obs: _Obs) -> dict[str, Any]:
        read = self.read
        parts: dict[str, Any] = {
            "genes": list(obs.genes),
            "c": "",
            "p": "",
            "g": "",
            "id": "",
            "origin": None,
            "zygosity": Zygosity.UNKNOWN,
            "allelic_state": "",
            "vaf": "",
            "copies": "",
            "transcripts": [],
            "build": "",
            "kind": BiomarkerKind.SEQUENCE_VARIANT,
            "change": CopyNumberChange.UNKNOWN,
            "change_words": "",
        }
        for codes, component, where in obs.components:
            concept = self._value_concept(component, where)
            concept_where = f"{where}.valueCodeableConcept"
            if _has(codes, (LOINC,), C_HGVS):
                parts["c"] = parts["c"] or read.expression(concept, concept_where)
            elif _has(codes, (LOINC,), P_HGVS):
                parts["p"] = parts["p"] or read.expression(concept, concept_where)
            elif _has(codes, (LOINC,), G_HGVS):
                parts["g"] = parts["g"] or read.expression(concept, concept_where)
            elif _has(codes, (LOINC,), DISCRETE_VARIANT):
                parts["id"] = parts["id"] or read.words(concept, concept_where)
            elif _has(codes, (LOINC,), SOURCE_CLASS):
                value = read.codings(concept, concept_where)
                parts["origin"] = _first_code(value, LOINC, SOURCE_CLASSES)
                if parts["origin"] is None and value:
                    parts["origin"] = Origin.UNKNOWN
            elif _has(codes, (LOINC,), ALLELIC_STATE):
                value = read.codings(concept, concept_where)
                zygosity = _first_code(value, LOINC, ZYGOSITIES)
                if zygosity is not None:
                    parts["zygosity"] = zygosity
                else:
                    label = _first_code(value, LOINC, ALLELIC_STATES)
                    parts["allelic_state"] = (
                        _(label) if label else read.words(concept, concept_where)
                    )
            elif _has(codes, (LOINC,), ALLELE_FRACTION):
                parts["vaf"] = parts["vaf"] or self._vaf(obs, component, where)
            elif _has(codes, (LOINC,), COPY_NUMBER):
                parts["copies"] = parts["copies"] or self._quantity_text(component, where)
            elif _has(codes, (LOINC,), TRANSCRIPT):
                parts["transcripts"] = [
                    text
                    for _s, code, display in read.codings(concept, concept_where)
                    for text in (code, display)
                    if text
                ] or [read.text(concept or {}, "text", concept_where)]
            elif _has(codes, (LOINC,), GENOME_BUILD):
                parts["build"] = parts["build"] or read.words(concept, concept_where)
            elif _has(codes, (LOINC,), CHANGE_TYPE, CONSEQUENCE) or _has(
                codes, TBD_SYSTEMS, TBD_CONSEQUENCE
            ):
                self._change(parts, read.codings(concept, concept_where))
                if parts["kind"] is not BiomarkerKind.SEQUENCE_VARIANT:
                    parts["change_words"] = parts["change_words"] or read.words(
                        concept, concept_where
                    )
        parts["alteration"] = _alteration(parts["c"], parts["p"], parts["g"]) or parts["id"]
        parts["transcript"] = _transcript(parts["transcripts"], parts["c"])
        if not parts["genes"]:
            # HGVS may name the gene with its sequence: "NM_000106.5(CYP2D6):c.886C>T".
            for name in (parts["c"], parts["g"], parts["id"]):
                symbol = _HGVS_GENE.match(name)
                if symbol:
                    parts["genes"] = [symbol[1]]
                    break
        return parts

    def _change(self, parts: dict[str, Any], codes: list[tuple[str, str, str]]) -> None:
        """A change type or consequence that makes the variant a copy-number change or
        a fusion (Sequence Ontology codes, or HL7's copy-number events)."""
        for system, code, _display in codes:
            if system == SO or _SO_CODE.match(code):
                found = CHANGE_KINDS.get(code)
                if found is not None:
                    kind, change = found
                    parts["kind"] = kind
                    if change is not CopyNumberChange.UNKNOWN:
                        parts["change"] = change
                    return
            elif system == COPY_NUMBER_EVENT and code in COPY_NUMBER_EVENTS:
                parts["kind"] = BiomarkerKind.COPY_NUMBER
                parts["change"] = COPY_NUMBER_EVENTS[code]
                return

    def _quantity_text(self, holder: dict[str, Any], where: str) -> str:
        """A number (valueQuantity or valueInteger) as the text the file writes."""
        quantity = self.read.opt_obj(holder, "valueQuantity", where)
        if quantity is not None:
            if quantity.get("value") is None:
                return ""
            return number_text(quantity["value"], self.file_name, f"{where}.valueQuantity.value")
        if holder.get("valueInteger") is not None:
            return number_text(holder["valueInteger"], self.file_name, f"{where}.valueInteger")
        return ""

    def _vaf(self, obs: _Obs, component: dict[str, Any], where: str) -> str:
        """The variant allele fraction in per cent: as written when the unit is %, a
        fraction (unit 1, or none) moved two decimal places exactly."""
        quantity = self.read.opt_obj(component, "valueQuantity", where)
        if quantity is None or quantity.get("value") is None:
            return ""
        quantity_where = f"{where}.valueQuantity"
        text = number_text(quantity["value"], self.file_name, f"{quantity_where}.value")
        percent = "%" in (
            self.read.text(quantity, "code", quantity_where),
            self.read.text(quantity, "unit", quantity_where),
        )
        number = decimal_of(text)
        limit = 100 if percent else 1
        if number is None or not 0 <= number <= limit:
            self.skipped.append(
                Skipped(
                    f"{obs.resource.where} ({ALLELE_FRACTION})",
                    _("a variant allele fraction outside 0-100 %: left out"),
                )
            )
            return ""
        return text if percent else fraction_as_percent(text)

    def _tmb(self, obs: _Obs) -> Finding | None:
        data, where = obs.resource.data, obs.resource.where
        quantity = self.read.opt_obj(data, "valueQuantity", where)
        if quantity is None or quantity.get("value") is None:
            self._skip(obs, _("a tumour mutational burden without a number"))
            return None
        value = number_text(quantity["value"], self.file_name, f"{where}.valueQuantity.value")
        self.tumour_measures.add(where)
        return Finding(
            source=where,
            kind=BiomarkerKind.SIGNATURE,
            gene="TMB",
            # LOINC 94076-7 is mutations per megabase whatever unit text comes with it.
            # Stored as the unit's symbol, readable in every language of a later PDF.
            alteration=f"{value} mut/Mb",
            origin=Origin.SOMATIC,  # measured in the tumour
            measure="TMB",
            value=value,
            unit="mut/Mb",
        )

    def _msi(self, obs: _Obs) -> Finding | None:
        where = obs.resource.where
        status = self._value_words(obs.resource.data, where)
        if not status:
            self._skip(obs, _("a microsatellite result without a value"))
            return None
        self.tumour_measures.add(where)
        return Finding(
            source=where,
            kind=BiomarkerKind.SIGNATURE,
            gene="MSI",
            alteration=status,
            origin=Origin.SOMATIC,  # measured in the tumour
            measure="MSI",
            value=status,
        )

    def _genotype(self, obs: _Obs) -> Finding | None:
        where = obs.resource.where
        name = self._value_words(obs.resource.data, where)
        parts = _all_parts(obs)
        genes = _unique([*obs.genes, *(gene for part in parts for gene in part.genes)])
        pgx = bool(obs.implications) or any(part.implications for part in parts)
        # The gene the genotype names ("CYP2C9 *2/*5") is the result's gene; the
        # diplotype is the rest, as written. Further genes studied are what was covered.
        named = next((g for g in genes if name.startswith(g + " ") and g not in name[len(g) :]), "")
        gene = named or (genes[0] if len(genes) == 1 else ", ".join(genes))
        diplotype = name[len(named) :].strip() if named else name
        return Finding(
            source=where,
            kind=BiomarkerKind.PHARMACOGENOMIC if pgx else BiomarkerKind.OTHER,
            gene=gene,
            alteration=diplotype or name,
            diplotype=diplotype if obs.role == GENOTYPE else "",
            genes_covered=", ".join(genes) if len(genes) > 1 else "",
        )

    def _other(self, obs: _Obs) -> Finding | None:
        read, data, where = self.read, obs.resource.data, obs.resource.where
        name = ", ".join(obs.genes) or read.words(read.opt_obj(data, "code", where), where)
        value = self._value_words(data, where)
        unit = ""
        if not value:
            value = self._quantity_text(data, where)
            quantity = read.opt_obj(data, "valueQuantity", where)
            if value and quantity is not None:
                unit = read.text(quantity, "unit", f"{where}.valueQuantity")
        return Finding(
            source=where,
            kind=BiomarkerKind.OTHER,
            gene=name,
            alteration=f"{value} {unit}".strip(),
            value=value,
            unit=unit,
        )

    # Implications

    def _with_implications(self, found: Finding, obs: _Obs) -> Finding:
        implications = [*obs.implications]
        for part in _all_parts(obs):
            implications.extend(part.implications)
        classes: list[tuple[str, str]] = []  # (code in ACMG or "", as written)
        phenotypes: list[tuple[str, str]] = []  # (CPIC code or "", as written)
        conditions: list[str] = []
        therapies: list[TherapyMention] = []
        for implication in _unique_obs(implications):
            if implication.role == DIAGNOSTIC:
                classes.extend(self._significance(implication))
                conditions.extend(self._conditions(implication))
            elif implication.role == PHENOTYPE:
                phenotypes.extend(self._phenotype(implication))
            else:
                mention = self._therapy(implication, phenotypes)
                if mention is not None:
                    therapies = _merge_therapy(therapies, mention)
        found = replace(found, therapies=tuple(therapies), conditions=tuple(_unique(conditions)))
        return _with_phenotype(_classified(found, classes), phenotypes)

    def _significance(self, obs: _Obs) -> list[tuple[str, str]]:
        found = []
        for component, where in self._components(obs, SIGNIFICANCE):
            concept = self._value_concept(component, where)
            concept_where = f"{where}.valueCodeableConcept"
            codes = self.read.codings(concept, concept_where)
            code = _first_code(codes, LOINC, SIGNIFICANCE_CLASSES)
            written = self.read.words(concept, concept_where)
            if code or written:
                found.append((code or "", written or code))
        return found

    def _phenotype(self, obs: _Obs) -> list[tuple[str, str]]:
        """A metaboliser status observation: its value, in CPIC's terms when coded."""
        data, where = obs.resource.data, obs.resource.where
        code = _first_code(self._value_codes(data, where), LOINC, METABOLIZERS) or ""
        written = self._value_words(data, where)
        return [(code, written or code)] if code or written else []

    def _conditions(self, obs: _Obs) -> list[str]:
        names = [self._value_words(c, w) for c, w in self._components(obs, CONDITION)]
        cancers = self._components(obs, TBD_CANCER, TBD_SYSTEMS)
        names += [self._value_words(c, w) for c, w in cancers]
        return [name for name in names if name]

    def _therapy(self, obs: _Obs, phenotypes: list[tuple[str, str]]) -> TherapyMention | None:
        """What one therapeutic implication says about a medicine. A metaboliser status
        in it is the finding's phenotype (added to ``phenotypes``), not a direction."""
        names: list[str] = []
        effects: list[str] = []
        direction = Direction.OTHER
        evidence: list[str] = []
        mapped: tuple[str, str] | None = None
        for codes, component, where in obs.components:
            concept = self._value_concept(component, where)
            concept_where = f"{where}.valueCodeableConcept"
            if _has(codes, (LOINC,), MEDICATION) or _has(codes, TBD_SYSTEMS, *TBD_THERAPIES):
                name = self._value_words(component, where)
                if name:
                    names.append(name)
            elif _has(codes, (LOINC,), *EFFECT_CODES) or _has(codes, TBD_SYSTEMS, *TBD_EFFECTS):
                value = self.read.codings(concept, concept_where)
                written = self.read.words(concept, concept_where)
                coded = _first_code(value, LOINC, RESPONSES)
                metabolizer = _first_code(value, LOINC, METABOLIZERS)
                if coded is not None:
                    direction = direction if direction is not Direction.OTHER else coded
                elif metabolizer is not None:
                    phenotypes.append((metabolizer, written or metabolizer))
                elif written:
                    effects.append(written)
            elif _has(codes, (LOINC,), EVIDENCE):
                value = self.read.codings(concept, concept_where)
                words = self.read.words(concept, concept_where)
                if words:
                    evidence.append(words)
                mapped = mapped or _evidence_class(value)
        if not names:
            self._skip(obs, _("a therapeutic implication that names no medicine or therapy"))
            return None
        scheme_id, class_code = mapped or ("", "")
        return TherapyMention(
            name=" + ".join(_unique(names)),
            direction=direction,
            evidence=tuple(_unique(evidence)),
            scheme_id=scheme_id,
            class_code=class_code,
            tumour_types=tuple(_unique(self._conditions(obs))),
            effects=tuple(_unique(effects)),
        )

    # Report-level details

    def _sample(self, obs: _Obs, report: _Resource | None) -> Sample:
        read = self.read
        for specimen in self._specimens(obs, report):
            kind = read.opt_obj(specimen.data, "type", specimen.where)
            for system, code, _display in read.codings(kind, f"{specimen.where}.type"):
                sample = SAMPLE_TYPES.get((system, code))
                if sample is not None:
                    return sample
        return Sample.UNKNOWN

    def _specimens(self, obs: _Obs, report: _Resource | None) -> list[_Resource]:
        """The finding's own specimen, then the report's, those in the file."""
        own = obs.resource
        candidates = [(own, own.data.get("specimen"), f"{own.where}.specimen")]
        if report is not None:
            candidates += [
                (report, reference, where)
                for reference, where in self.read.items(report.data, "specimen", report.where)
            ]
        found = []
        for holder, reference, where in candidates:
            specimen = self.index.resolve(reference, holder, where)
            if specimen is not None and specimen.type == "Specimen":
                found.append(specimen)
        return found

    def _specimen(self, obs: _Obs, report: _Resource | None) -> tuple[str, date | None]:
        """The specimen as the report describes it (its type and how it was taken),
        and the day it was collected."""
        read = self.read
        for specimen in self._specimens(obs, report):
            data, where = specimen.data, specimen.where
            collection = read.opt_obj(data, "collection", where) or {}
            collection_where = f"{where}.collection"
            words = [
                self._named(data, "type", where),
                self._named(collection, "method", collection_where),
                self._named(collection, "bodySite", collection_where),
            ]
            collected = _full_date(read.text(collection, "collectedDateTime", collection_where))
            period = read.opt_obj(collection, "collectedPeriod", collection_where)
            if collected is None and period is not None:
                collected = _full_date(read.text(period, "start", f"{collection_where}.period"))
            text = ", ".join(_unique(words))
            if text or collected is not None:
                return text, collected
        return "", None

    def _named(self, holder: dict[str, Any], key: str, where: str) -> str:
        """A concept's words as written (a display or text), never a bare code."""
        concept = self.read.opt_obj(holder, key, where)
        if concept is None:
            return ""
        concept_where = f"{where}.{key}"
        for _system, _code, display in self.read.codings(concept, concept_where):
            if display:
                return display
        return self.read.text(concept, "text", concept_where)

    def _accession(self, report: _Resource | None) -> str:
        if report is None:
            return ""
        for identifier, where in self.read.objs(report.data, "identifier", report.where):
            value = self.read.text(identifier, "value", where)
            if value:
                return value
        return ""

    def _test_name(self, report: _Resource | None) -> str:
        return "" if report is None else self._named(report.data, "code", report.where)

    def _lab(self, obs: _Obs, report: _Resource | None) -> str:
        for holder in (report, obs.resource):
            if holder is None:
                continue
            for reference, where in self.read.items(holder.data, "performer", holder.where):
                performer = self.index.resolve(reference, holder, where)
                if performer is not None and performer.type == "Organization":
                    name = self.read.text(performer.data, "name", performer.where)
                    if name:
                        return name
        return ""

    def _date(self, obs: _Obs, report: _Resource | None) -> date | None:
        for holder in (report, obs.resource):
            if holder is None:
                continue
            for key in ("issued", "effectiveDateTime"):
                found = _full_date(self.read.text(holder.data, key, holder.where))
                if found is not None:
                    return found
        return None


def _within(whole: _Obs, part: _Obs) -> bool:
    """Whether ``whole`` is ``part`` or already inside it (adding it would make a cycle)."""
    seen: set[int] = set()
    current: _Obs | None = whole
    while current is not None and id(current) not in seen:
        if current is part:
            return True
        seen.add(id(current))
        current = current.part_of
    return False


def _all_parts(obs: _Obs) -> list[_Obs]:
    """Members, haplotypes and variants a finding is made of, at any depth."""
    found: list[_Obs] = []
    pending = list(obs.parts)
    seen: set[int] = {id(obs)}
    while pending:
        part = pending.pop(0)
        if id(part) in seen:
            continue
        seen.add(id(part))
        found.append(part)
        pending.extend(part.parts)
    return found


def _full_date(text: str) -> date | None:
    """The date of a FHIR dateTime or instant; None for a year or month only."""
    if len(text) < 10:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _alteration(c_hgvs: str, p_hgvs: str, g_hgvs: str) -> str:
    """Protein change first (how oncology reports name variants), then the DNA change."""
    dna = c_hgvs or g_hgvs
    if p_hgvs and dna:
        return f"{_PROTEIN_ACCESSION.sub('', p_hgvs)} ({dna})"
    return p_hgvs or dna


def _evidence_class(codes: list[tuple[str, str, str]]) -> tuple[str, str] | None:
    for system, code, _display in codes:
        lowered = system.casefold()
        for mark, scheme_id in EVIDENCE_SYSTEMS:
            if mark in lowered:
                found = _scheme_code(scheme_id, code)
                if found:
                    return scheme_id, found
    return None


def _scheme_code(scheme_id: str, code: str) -> str:
    """The scheme's own code for a coded level: "LEVEL_3A" -> "3A", "Tier I-A" -> "IA"."""
    known = scheme(scheme_id)
    if known is None or not code:
        return ""

    def compact(text: str) -> str:
        text = text.upper()
        for word in ("LEVEL", "TIER"):
            text = text.replace(word, "")
        return re.sub(r"[\s_\-]", "", text)

    wanted = compact(code)
    return next((c.code for c in known.classes if compact(c.code) == wanted), "")


def _transcript(candidates: list[str], c_hgvs: str) -> str:
    """The transcript as written; when its code and display differ, the one the
    c.HGVS expression is written on."""
    named = c_hgvs.split(":", 1)[0] if ":" in c_hgvs else ""
    if named in candidates:
        return named
    return candidates[0] if candidates else ""


def _with_phenotype(found: Finding, phenotypes: list[tuple[str, str]]) -> Finding:
    """A pharmacogenomic phenotype as the class in CPIC's terms, or as written."""
    written = _unique(text for _code, text in phenotypes)
    coded = _unique(code for code, _text in phenotypes if code)
    if not written:
        return found
    if len(coded) == 1 and not found.scheme_id and not found.class_code:
        return replace(
            found,
            scheme_id=CPIC_2017.id,
            class_code=coded[0],
            classification_text=written[0],
            other_classifications=tuple(_unique([*found.other_classifications, *written[1:]])),
        )
    if not found.scheme_id and not found.class_code:
        return replace(
            found,
            class_code=written[0],
            classification_text=written[0],
            other_classifications=tuple(_unique([*found.other_classifications, *written[1:]])),
        )
    return replace(
        found, other_classifications=tuple(_unique([*found.other_classifications, *written]))
    )


def _classified(found: Finding, classes: list[tuple[str, str]]) -> Finding:
    """Set the class: the report's clinical significance, or, for a finding in the
    tumour, the one evidence level all its therapies share when it maps."""
    written = [text for _code, text in classes if text]
    mapped = next(((code, text) for code, text in classes if code), None)
    therapy_levels = {(t.scheme_id, t.class_code) for t in found.therapies if t.scheme_id}
    shared = therapy_levels.pop() if len(therapy_levels) == 1 else None
    tumour = found.origin in (Origin.SOMATIC, Origin.LIKELY_SOMATIC)
    if shared and (tumour or mapped is None):
        scheme_id, code = shared
        return replace(
            found,
            scheme_id=scheme_id,
            class_code=code,
            classification_text=code,
            other_classifications=tuple(_unique(written)),
        )
    if mapped is not None:
        code, text = mapped
        return replace(
            found,
            scheme_id=ACMG_AMP_2015.id,
            class_code=code,
            classification_text=text,
            other_classifications=tuple(_unique(w for w in written if w != text)),
        )
    if written:
        return replace(
            found,
            class_code=written[0],
            classification_text=written[0],
            other_classifications=tuple(_unique(written[1:])),
        )
    return found


def _merge_therapy(
    therapies: list[TherapyMention], mention: TherapyMention
) -> list[TherapyMention]:
    """One entry per medicine and claim: what several implications say about it,
    together, unless they disagree on its direction or cancer."""
    for index, known in enumerate(therapies):
        same_name = known.name.casefold() == mention.name.casefold()
        directions = {known.direction, mention.direction} - {Direction.OTHER}
        cancers = {known.tumour_types, mention.tumour_types} - {()}
        if same_name and len(directions) <= 1 and len(cancers) <= 1:
            scheme_id, code = (
                (known.scheme_id, known.class_code)
                if known.scheme_id
                else (mention.scheme_id, mention.class_code)
            )
            therapies[index] = TherapyMention(
                name=known.name,
                direction=directions.pop() if directions else Direction.OTHER,
                evidence=tuple(_unique([*known.evidence, *mention.evidence])),
                scheme_id=scheme_id,
                class_code=code,
                tumour_types=known.tumour_types or mention.tumour_types,
                effects=tuple(_unique([*known.effects, *mention.effects])),
            )
            return therapies
    return [*therapies, mention]


def _unique(items: Any) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        if item and item not in seen:
            seen[item] = None
    return list(seen)


def _unique_obs(items: list[_Obs]) -> list[_Obs]:
    seen: set[int] = set()
    kept = []
    for item in items:
        if id(item) not in seen:
            seen.add(id(item))
            kept.append(item)
    return kept


def parse_fhir(document: dict[str, Any], file_name: str) -> ImportReport:
    """The findings of a FHIR Bundle or DiagnosticReport (already parsed JSON)."""
    return _FhirReader(file_name).run(document)
