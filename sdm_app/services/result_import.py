"""Test results read from a file: the common model, the checks every file gets,
and which reader handles which file.

Two kinds of file are read: HL7 FHIR R4 JSON following the Genomics Reporting
Implementation Guide (``fhir_genomics``), and the app's simple lab file, CSV or
JSON (``lab_file``, documented in ``resources/import/README.md``).

Reading a file either gives a whole ``ImportReport`` (what was found, and what
was left out and why) or raises ``ResultImportError`` with a message that names
the file and, where it can, the field or line. Nothing else escapes, so a caller
never has half an import to undo. Nothing is stored here: the caller decides
which findings become results.

Qt-free.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, fields, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sdm_app import i18n
from sdm_app.core.classification import scheme
from sdm_app.core.results import (
    RESULT_FIELDS,
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
    default_confirmation,
)
from sdm_app.i18n import N_, _, join_sentences
from sdm_app.services.result_words import (
    copy_number_change_name,
    direction_name,
    test_type_name,
    zygosity_name,
)

MAX_FILE_BYTES = 50 * 1024 * 1024  # a genomic report is kilobytes; 50 MB is far past any real one
MAX_TEXT = 2000  # characters in one field: longer is a damaged file, not a gene name

FHIR = "fhir"
LAB_CSV = "lab-csv"
LAB_JSON = "lab-json"

FORMAT_NAMES = {
    FHIR: N_("HL7 FHIR genomics report"),
    LAB_CSV: N_("lab results file (CSV)"),
    LAB_JSON: N_("lab results file (JSON)"),
}


class ResultImportError(Exception):
    """The file cannot be imported; the message names the file and, where known,
    the field or line. Nothing was imported."""

    def __init__(self, file_name: str, problem: str, where: str = "") -> None:
        message = (
            _("{file}: {where}: {problem}").format(file=file_name, where=where, problem=problem)
            if where
            else _("{file}: {problem}").format(file=file_name, problem=problem)
        )
        super().__init__(message)
        self.file_name = file_name
        self.where = where
        self.problem = problem


@dataclass(frozen=True, slots=True)
class TherapyMention:
    """A medicine or therapy the report names for a finding, as written on it."""

    name: str
    direction: Direction = Direction.OTHER  # when the report codes it
    evidence: tuple[str, ...] = ()  # evidence levels as written
    scheme_id: str = ""  # the evidence level in one of our schemes, when it maps
    class_code: str = ""
    tumour_types: tuple[str, ...] = ()  # the cancers the evidence is for, as written
    effects: tuple[str, ...] = ()  # anything else the report says about it, as written

    @property
    def level(self) -> str:
        """The evidence level: the scheme's own code when it maps, else as written."""
        return self.class_code if self.scheme_id else "; ".join(self.evidence)

    def to_therapy(self) -> Therapy:
        return Therapy(self.name, self.direction, self.level, "; ".join(self.tumour_types))

    def as_text(self) -> str:
        """The therapy as the preview lists it: its name, then its direction and level."""
        parts = [direction_name(self.direction)] if self.direction is not Direction.OTHER else []
        if self.level:
            parts.append(_("level {level}").format(level=self.level))
        parts.extend(_("in {tumour_type}").format(tumour_type=t) for t in self.tumour_types)
        shown_parts = [part for part in parts if part]
        return f"{self.name} ({', '.join(shown_parts)})" if shown_parts else self.name


@dataclass(frozen=True, slots=True)
class Finding:
    """One result found in a file, before it becomes a ``TestResult``.

    Values are kept as the file writes them: numbers are text, never rounded.
    """

    source: str  # where in the file: "Observation/abc", "line 4", "results[2]"
    kind: BiomarkerKind
    gene: str
    alteration: str
    origin: Origin = Origin.UNKNOWN
    confirmation: Confirmation | None = None  # None: what the test and origin settle
    scheme_id: str = ""  # set only when the class maps to a scheme the app knows
    class_code: str = ""  # the class in that scheme, or as written when it does not map
    classification_text: str = ""  # the classification as written on the report
    therapies: tuple[TherapyMention, ...] = ()
    sample: Sample = Sample.UNKNOWN
    lab: str = ""
    reported_on: date | None = None
    # The test.
    test_type: TestType = TestType.UNKNOWN
    test_name: str = ""
    test_method: str = ""
    genes_covered: str = ""
    specimen: str = ""
    collected_on: date | None = None
    accession: str = ""
    # Sequence variants.
    hgvs_c: str = ""
    hgvs_p: str = ""
    hgvs_g: str = ""
    transcript: str = ""
    genome_build: str = ""
    zygosity: Zygosity = Zygosity.UNKNOWN
    allelic_state: str = ""  # as written, only when it is not a zygosity (heteroplasmic)
    vaf: str = ""  # per cent, as written (or converted exactly from a fraction)
    tumour_fraction: str = ""
    # Copy number and fusions.
    copy_number_change: CopyNumberChange = CopyNumberChange.UNKNOWN
    copy_number: str = ""
    partners: tuple[str, ...] = ()
    # Expression and signatures.
    measure: str = ""
    value: str = ""
    unit: str = ""
    # Pharmacogenomics.
    diplotype: str = ""
    activity_score: str = ""
    conditions: tuple[str, ...] = ()  # conditions the report links to the finding
    other_classifications: tuple[str, ...] = ()  # further classes as written
    note: str = ""  # the lab file's clinician note

    @property
    def settled_confirmation(self) -> Confirmation:
        """The confirmation the file states, else what its test and origin settle."""
        if self.confirmation is not None:
            return self.confirmation
        return default_confirmation(self.test_type, self.origin)

    def to_test_result(self) -> TestResult:
        # Every field a finding shares with a result, by name; the rest are made here.
        shared = {name: getattr(self, name) for name in RESULT_FIELDS if name in _FINDING_FIELDS}
        shared.update(
            confirmation=self.settled_confirmation,
            therapies=tuple(therapy.to_therapy() for therapy in self.therapies),
            clinician_note=self.clinician_note(),
        )
        return TestResult(id=None, **shared)

    def clinician_note(self) -> str:
        """What the result cannot hold in its fields, for the clinician only. The file's
        name is never copied: it often holds the patient's name or date of birth."""
        parts = [_("Imported from a report file ({where}).").format(where=self.source)]
        if self.allelic_state:
            parts.append(_("Allelic state: {state}.").format(state=self.allelic_state))
        if self.conditions:
            parts.append(
                _("Conditions named on the report: {conditions}.").format(
                    conditions="; ".join(self.conditions)
                )
            )
        if self.other_classifications:
            parts.append(
                _("Also on the report: {classes}.").format(
                    classes="; ".join(self.other_classifications)
                )
            )
        for therapy in self.therapies:
            if therapy.effects:
                parts.append(
                    _("The report also says about {therapy}: {effects}.").format(
                        therapy=therapy.name, effects="; ".join(therapy.effects)
                    )
                )
        if self.note:
            parts.append(self.note)
        return join_sentences(*parts)


_FINDING_FIELDS = frozenset(field.name for field in fields(Finding))


@dataclass(frozen=True, slots=True)
class Skipped:
    """A part of the file that was left out, and why (in the UI language)."""

    where: str
    reason: str


@dataclass(frozen=True, slots=True)
class ImportReport:
    file_name: str
    format: str  # FHIR, LAB_CSV or LAB_JSON
    findings: tuple[Finding, ...]
    skipped: tuple[Skipped, ...] = ()

    def format_name(self) -> str:
        return _(FORMAT_NAMES[self.format])

    def test_results(self) -> tuple[TestResult, ...]:
        return tuple(finding.to_test_result() for finding in self.findings)


# Reading a file --------------------------------------------------------------------


def read_import_file(path: Path, display_name: str = "") -> ImportReport:
    """Read and interpret a results file; raises ``ResultImportError`` only.

    Messages and notes call the file ``display_name`` (default: its name).
    """
    name = display_name or path.name
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise ResultImportError(name, _("not a file"))
        if size > MAX_FILE_BYTES:
            raise ResultImportError(name, _too_big(size))
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)  # the file may grow while it is read
    except OSError as error:
        raise ResultImportError(
            name, _("cannot be read: {reason}").format(reason=error.strerror or error)
        ) from error
    return parse_import(data, name)


def parse_import(data: bytes, file_name: str) -> ImportReport:
    """Interpret the bytes of a results file called ``file_name``."""
    if len(data) > MAX_FILE_BYTES:
        raise ResultImportError(file_name, _too_big(len(data)))
    if not data.strip():
        raise ResultImportError(file_name, _("the file is empty"))
    suffix = Path(file_name).suffix.lower()
    text = _decode(data, file_name, suffix)
    start = text.lstrip()[:1]
    if start in ("{", "[") or suffix == ".json":
        document = load_json(text, file_name)
        return _checked_codes(_dispatch_json(document, file_name))
    if suffix in (".csv", ".tsv", ".txt") or _looks_like_csv(text):
        from sdm_app.services.lab_file import parse_lab_csv

        return _checked_codes(parse_lab_csv(text, file_name))
    raise ResultImportError(file_name, _unsupported())


MAX_FINDINGS = 10_000  # a report has tens of results
# Characters that change how a value looks without changing what it is: bidi controls,
# zero-width characters, word joiners, a byte-order mark.
_HIDDEN = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_CODED_FIELDS = ("gene", "alteration", "hgvs_c", "hgvs_p", "hgvs_g", "transcript")
_OVERRIDE = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _finding_texts(finding: Finding) -> list[tuple[str, str]]:
    """Every text of a finding, named as its field."""
    texts: list[tuple[str, str]] = []
    for field in dataclasses.fields(finding):
        value = getattr(finding, field.name)
        if isinstance(value, str):
            texts.append((field.name, value))
        elif isinstance(value, tuple):
            texts += [(f"{field.name}[{n}]", v) for n, v in enumerate(value) if isinstance(v, str)]
    texts += [(f"therapies[{n}].name", t.name) for n, t in enumerate(finding.therapies)]
    return texts


def _checked_codes(report: ImportReport) -> ImportReport:
    """Refuse a file whose coded values could show one thing and mean another:
    "p.\u202eR858L" shows as "p.L858R"; a Cyrillic "В" in BRCA2 looks Latin."""
    if len(report.findings) > MAX_FINDINGS:
        raise ResultImportError(
            report.file_name,
            _("more than {count} results in one file").format(count=MAX_FINDINGS),
        )
    for finding in report.findings:
        for name, text in _finding_texts(finding):
            override = _OVERRIDE.search(text)
            if override is not None:  # in any field: it would reverse what is shown
                raise ResultImportError(
                    report.file_name,
                    _(
                        "{field} holds an invisible or direction-changing character "
                        "(U+{code}), so what is shown may not be what it says"
                    ).format(field=name, code=f"{ord(override.group()):04X}"),
                    finding.source,
                )
        values = [(name, str(getattr(finding, name))) for name in _CODED_FIELDS]
        values += [(f"partners[{n}]", partner) for n, partner in enumerate(finding.partners)]
        for name, value in values:
            hidden = _HIDDEN.search(value)
            if hidden is not None:
                raise ResultImportError(
                    report.file_name,
                    _(
                        "{field} holds an invisible or direction-changing character "
                        "(U+{code}), so what is shown may not be what it says"
                    ).format(field=name, code=f"{ord(hidden.group()):04X}"),
                    finding.source,
                )
        for name, value in values:
            if (name == "gene" or name.startswith("partners")) and not value.isascii():
                raise ResultImportError(
                    report.file_name,
                    _(
                        "the gene name {name} holds letters that only look Latin; gene "
                        "symbols are written in Latin letters and digits"
                    ).format(name=shown(value)),
                    finding.source,
                )
    return report


def _too_big(size: int) -> str:
    return _("the file is {size} MB; files larger than {limit} MB are not imported").format(
        size=i18n.format_number(round(size / 1024 / 1024, 1)),
        limit=MAX_FILE_BYTES // 1024 // 1024,
    )


def _unsupported() -> str:
    return _(
        "not a file the app can import: choose a FHIR genomics report (JSON) or a lab "
        "results file (CSV or JSON)"
    )


def _decode(data: bytes, file_name: str, suffix: str) -> str:
    # A byte-order mark for UTF-16: a spreadsheet's "Unicode text".
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    encoding = "utf-16" if utf16 else "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        if suffix not in (".json", ".csv", ".tsv", ".txt"):
            raise ResultImportError(file_name, _unsupported()) from error
        line = data[: error.start].count(b"\n") + 1
        raise ResultImportError(
            file_name,
            _("the text is not UTF-8 (byte {byte}); save the file as UTF-8").format(
                byte=error.start + 1
            ),
            _("line {line}").format(line=line),
        ) from error


def _looks_like_csv(text: str) -> bool:
    first = text.lstrip().split("\n", 1)[0].casefold()
    return "gene" in first and any(mark in first for mark in (",", ";", "\t"))


def _reject_constant(name: str) -> Any:
    raise ValueError(_("{value} is not a number JSON allows").format(value=name))


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object whose keys are all different: a key given twice (a variant both
    present and absent) would be read by whichever comes last."""
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise ValueError(
                _('the key "{key}" appears twice in one object').format(key=shown(key))
            )
        found[key] = value
    return found


def load_json(text: str, file_name: str) -> Any:
    """Parse JSON text; any problem becomes a ``ResultImportError``."""
    try:
        # Decimals, not floats: a number keeps the digits the file wrote ("12.30").
        return json.loads(
            text,
            parse_constant=_reject_constant,
            parse_float=Decimal,
            object_pairs_hook=_unique_keys,
        )
    except json.JSONDecodeError as error:
        raise ResultImportError(
            file_name,
            _("not valid JSON: {reason}").format(reason=error.msg),
            _("line {line}, column {column}").format(line=error.lineno, column=error.colno),
        ) from error
    except RecursionError as error:
        # The parser counts nesting against the interpreter's limit; a report is shallow.
        raise ResultImportError(file_name, _("the JSON is nested too deeply")) from error
    except ValueError as error:  # NaN, Infinity, or a number with too many digits
        raise ResultImportError(
            file_name, _("not valid JSON: {reason}").format(reason=error)
        ) from error


def _dispatch_json(document: Any, file_name: str) -> ImportReport:
    if isinstance(document, dict) and "resourceType" in document:
        from sdm_app.services.fhir_genomics import parse_fhir

        return parse_fhir(document, file_name)
    if isinstance(document, list) or (isinstance(document, dict) and "results" in document):
        from sdm_app.services.lab_file import parse_lab_json

        return parse_lab_json(document, file_name)
    raise ResultImportError(
        file_name,
        _(
            "this JSON is neither a FHIR resource (no resourceType) nor a lab results file "
            "(no results list)"
        ),
    )


# Checks both readers use ----------------------------------------------------------


def shown(value: str, limit: int = 60) -> str:
    """A value from the file as a message quotes it: short, whatever the file holds."""
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def checked_text(value: str, file_name: str, where: str) -> str:
    """A text field, stripped; too long or not valid Unicode text is an error."""
    if len(value) > MAX_TEXT:
        raise ResultImportError(
            file_name,
            _("the text is longer than {limit} characters").format(limit=MAX_TEXT),
            where,
        )
    if not value.isascii():  # only non-ASCII text can hold a lone surrogate
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as error:
            raise ResultImportError(
                file_name, _("the text holds characters that are not valid Unicode text"), where
            ) from error
    return value.strip()


MAX_NUMBER_TEXT = 40  # characters: a VAF, a copy number or a TMB is a few digits


def plain_number(number: Decimal) -> str:
    """A decimal as plain digits, exactly: "21.88", "25", "0.05" (never "5E-2")."""
    text = format(number, "f")
    return text[1:] if text.startswith("-") and number.is_zero() else text


def number_text(value: object, file_name: str, where: str) -> str:
    """A JSON number as the text it was written with; anything else is an error."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ResultImportError(file_name, _("expected a number"), where)
    number = Decimal(value)
    if not number.is_finite():
        raise ResultImportError(file_name, _("expected a number"), where)
    text = plain_number(number)
    if len(text) > MAX_NUMBER_TEXT:
        raise ResultImportError(
            file_name,
            _("the number {value} is not a plausible value").format(value=shown(text)),
            where,
        )
    return text


def decimal_of(text: str) -> Decimal | None:
    """The number a text writes in plain digits ("21.9", "-1", ".5"), else None."""
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text.strip()):
        return None
    return Decimal(text.strip())


def fraction_as_percent(fraction: str) -> str:
    """0.2188 -> 21.88, exactly: the decimal point moves two places, no rounding."""
    number = decimal_of(fraction)
    if number is None:
        return ""
    return plain_number(number.scaleb(2))


def with_class(finding: Finding, scheme_id: str, code: str) -> Finding:
    """The finding classified in a scheme the app knows, with the scheme's own code."""
    known = scheme(scheme_id)
    found = known.find(code) if known else None
    if found is None:
        return finding
    return replace(finding, scheme_id=scheme_id, class_code=found.code)


# Output for the command line -------------------------------------------------------


def _or_none(value: str) -> str | None:
    return value or None


def finding_to_json(finding: Finding) -> dict[str, Any]:
    """One finding for ``sdm-app import --json``: the fields of the result it becomes."""
    classification = (
        {"scheme": finding.scheme_id, "code": finding.class_code} if finding.scheme_id else None
    )
    return {
        "kind": finding.kind.value,
        "gene": finding.gene,
        "alteration": finding.alteration,
        "origin": finding.origin.value,
        "confirmation": finding.settled_confirmation.value,
        "classification": classification,
        "classification_text": _or_none(finding.classification_text),
        "test": {
            "type": finding.test_type.value,
            "name": _or_none(finding.test_name),
            "method": _or_none(finding.test_method),
            "genes_covered": _or_none(finding.genes_covered),
            "specimen": _or_none(finding.specimen),
            "collected_on": finding.collected_on.isoformat() if finding.collected_on else None,
            "reported_on": finding.reported_on.isoformat() if finding.reported_on else None,
            "accession": _or_none(finding.accession),
            "lab": _or_none(finding.lab),
        },
        "sample": finding.sample.value,
        "lab": _or_none(finding.lab),
        "reported_on": finding.reported_on.isoformat() if finding.reported_on else None,
        "hgvs": {
            "c": _or_none(finding.hgvs_c),
            "p": _or_none(finding.hgvs_p),
            "g": _or_none(finding.hgvs_g),
        },
        "transcript": _or_none(finding.transcript),
        "genome_build": _or_none(finding.genome_build),
        "zygosity": finding.zygosity.value,
        "allelic_state": _or_none(finding.allelic_state),
        "vaf": _or_none(finding.vaf),
        "tumour_fraction": _or_none(finding.tumour_fraction),
        "copy_number_change": finding.copy_number_change.value,
        "copy_number": _or_none(finding.copy_number),
        "partners": list(finding.partners),
        "measure": _or_none(finding.measure),
        "value": _or_none(finding.value),
        "unit": _or_none(finding.unit),
        "diplotype": _or_none(finding.diplotype),
        "activity_score": _or_none(finding.activity_score),
        "therapies": [
            {
                "name": therapy.name,
                "direction": therapy.direction.value,
                "level": _or_none(therapy.level),
                "tumour_type": _or_none("; ".join(therapy.tumour_types)),
                "level_classification": (
                    {"scheme": therapy.scheme_id, "code": therapy.class_code}
                    if therapy.scheme_id
                    else None
                ),
                "also_says": list(therapy.effects),
            }
            for therapy in finding.therapies
        ],
        "conditions": list(finding.conditions),
        "other_classifications": list(finding.other_classifications),
        "note": _or_none(finding.note),
        "source": finding.source,
    }


def report_to_json(report: ImportReport) -> dict[str, Any]:
    return {
        "file": report.file_name,
        "format": report.format,
        "results": [finding_to_json(finding) for finding in report.findings],
        "skipped": [{"where": item.where, "reason": item.reason} for item in report.skipped],
    }


def describe_report(report: ImportReport) -> list[str]:
    """The report as lines of text, for the command line."""
    from sdm_app.i18n import ngettext

    count = len(report.findings)
    lines = [
        ngettext(
            "{file}: {format}, {count} result found",
            "{file}: {format}, {count} results found",
            count,
        ).format(file=report.file_name, format=report.format_name(), count=count)
    ]
    for number, finding in enumerate(report.findings, start=1):
        named = f"{finding.gene} {finding.alteration}".strip() or _("(nothing named)")
        lines.append(f"  {number}. {named}")
        if finding.scheme_id:
            known = scheme(finding.scheme_id)
            found = known.find(finding.class_code) if known else None
            label = _(found.label) if found else finding.class_code
            classification = f"{finding.scheme_id} {finding.class_code} ({label})"
        else:
            classification = finding.classification_text or _("no class given")
        lines.append(
            "     "
            + _("{kind}, {origin}, {classification}").format(
                kind=finding.kind.value, origin=finding.origin.value, classification=classification
            )
        )
        details = finding_details(finding)
        if details:
            lines.append("     " + details)
        if finding.therapies:
            therapies = "; ".join(therapy.as_text() for therapy in finding.therapies)
            lines.append("     " + _("therapies: {therapies}").format(therapies=therapies))
        lines.append("     " + _("from {where}").format(where=finding.source))
    if report.skipped:
        lines.append(
            ngettext(
                "Not imported ({count}):", "Not imported ({count}):", len(report.skipped)
            ).format(count=len(report.skipped))
        )
        lines.extend(f"  {item.where}: {item.reason}" for item in report.skipped)
    return lines


def finding_details(finding: Finding) -> str:
    """The measured values of a finding on one line, as the file writes them."""
    parts: list[str] = []
    if finding.partners and "::".join(finding.partners) not in finding.alteration:
        parts.append("::".join(finding.partners))
    if finding.zygosity is not Zygosity.UNKNOWN:
        parts.append(zygosity_name(finding.zygosity))
    if finding.vaf:
        parts.append(_("VAF {vaf} %").format(vaf=finding.vaf))
    if finding.copy_number_change is not CopyNumberChange.UNKNOWN:
        parts.append(copy_number_change_name(finding.copy_number_change))
    if finding.copy_number:
        parts.append(_("copy number {copies}").format(copies=finding.copy_number))
    if finding.value:
        parts.append(" ".join(p for p in (finding.measure, finding.value, finding.unit) if p))
    if finding.diplotype:
        parts.append(_("diplotype {diplotype}").format(diplotype=finding.diplotype))
    if finding.activity_score:
        parts.append(_("activity score {score}").format(score=finding.activity_score))
    if finding.test_type is not TestType.UNKNOWN:
        parts.append(test_type_name(finding.test_type))
    return ", ".join(parts)
