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

import json
import math
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from sdm_app import i18n
from sdm_app.core.classification import scheme
from sdm_app.core.consultation import BiomarkerKind, Origin, Sample, TestResult
from sdm_app.i18n import N_, _, join_sentences

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

RESPONSIVE = "responsive"
RESISTANT = "resistant"


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
    effects: tuple[str, ...] = ()  # as written: "Responsive", "Rapid metabolizer", ...
    response: str = ""  # RESPONSIVE or RESISTANT when the report codes it, else ""
    evidence: tuple[str, ...] = ()  # evidence levels as written
    scheme_id: str = ""  # the evidence level in one of our schemes, when it maps
    class_code: str = ""

    def as_text(self) -> str:
        """The therapy as a result lists it: its name, then what the report says."""
        if not self.effects:
            return self.name
        return f"{self.name} ({'; '.join(self.effects)})"


@dataclass(frozen=True, slots=True)
class Finding:
    """One result found in a file, before it becomes a ``TestResult``."""

    source: str  # where in the file: "Observation/abc", "line 4", "results[2]"
    kind: BiomarkerKind
    gene: str
    alteration: str
    origin: Origin = Origin.UNKNOWN
    scheme_id: str = ""  # set only when the class maps to a scheme the app knows
    class_code: str = ""  # the class in that scheme, or as written when it does not map
    classification_text: str = ""  # the classification as written on the report
    therapies: tuple[TherapyMention, ...] = ()
    sample: Sample = Sample.UNKNOWN
    lab: str = ""
    reported_on: date | None = None
    c_hgvs: str = ""
    p_hgvs: str = ""
    g_hgvs: str = ""
    allelic_state: str = ""
    allele_fraction: float | None = None  # 0..1
    conditions: tuple[str, ...] = ()  # conditions the report links to the finding
    other_classifications: tuple[str, ...] = ()  # further classes as written
    note: str = ""  # the lab file's clinician note

    def to_test_result(self, file_name: str) -> TestResult:
        return TestResult(
            id=None,
            kind=self.kind,
            gene=self.gene,
            alteration=self.alteration,
            origin=self.origin,
            scheme_id=self.scheme_id,
            class_code=self.class_code,
            sample=self.sample,
            lab=self.lab,
            reported_on=self.reported_on,
            therapies=tuple(therapy.as_text() for therapy in self.therapies),
            clinician_note=self.clinician_note(file_name),
        )

    def clinician_note(self, file_name: str) -> str:
        """What the result cannot hold in its fields, for the clinician only."""
        parts = [_("Imported from {file} ({where}).").format(file=file_name, where=self.source)]
        if self.allelic_state:
            parts.append(_("Allelic state: {state}.").format(state=self.allelic_state))
        if self.allele_fraction is not None:
            parts.append(
                _("Variant allele fraction: {fraction}.").format(
                    fraction=_percent(self.allele_fraction)
                )
            )
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
            if therapy.evidence:
                parts.append(
                    _("Evidence level for {therapy}: {level}.").format(
                        therapy=therapy.name, level="; ".join(therapy.evidence)
                    )
                )
        if self.note:
            parts.append(self.note)
        return join_sentences(*parts)


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
        return tuple(finding.to_test_result(self.file_name) for finding in self.findings)


def _percent(fraction: float) -> str:
    """21.9 %, in the UI language's digits and sign (one decimal: VAFs are read closely)."""
    from babel.numbers import format_percent

    locale = i18n.babel_locale_code(i18n.current_language())
    return format_percent(fraction, format="#,##0.#%", locale=locale)


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
        return _dispatch_json(document, file_name)
    if suffix in (".csv", ".tsv", ".txt") or _looks_like_csv(text):
        from sdm_app.services.lab_file import parse_lab_csv

        return parse_lab_csv(text, file_name)
    raise ResultImportError(file_name, _unsupported())


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


def load_json(text: str, file_name: str) -> Any:
    """Parse JSON text; any problem becomes a ``ResultImportError``."""
    try:
        return json.loads(text, parse_constant=_reject_constant)
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


def finite_number(value: object, file_name: str, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ResultImportError(file_name, _("expected a number"), where)
    number = float(value)
    if not math.isfinite(number):
        raise ResultImportError(file_name, _("expected a number"), where)
    return number


def with_class(finding: Finding, scheme_id: str, code: str) -> Finding:
    """The finding classified in a scheme the app knows, with the scheme's own code."""
    known = scheme(scheme_id)
    found = known.find(code) if known else None
    if found is None:
        return finding
    return replace(finding, scheme_id=scheme_id, class_code=found.code)


# Output for the command line -------------------------------------------------------


def finding_to_json(finding: Finding) -> dict[str, Any]:
    classification = (
        {"scheme": finding.scheme_id, "code": finding.class_code} if finding.scheme_id else None
    )
    return {
        "kind": finding.kind.value,
        "gene": finding.gene,
        "alteration": finding.alteration,
        "origin": finding.origin.value,
        "classification": classification,
        "classification_text": finding.classification_text or None,
        "therapies": [
            {
                "name": therapy.name,
                "text": therapy.as_text(),
                "effects": list(therapy.effects),
                "response": therapy.response or None,
                "evidence": list(therapy.evidence),
                "evidence_classification": (
                    {"scheme": therapy.scheme_id, "code": therapy.class_code}
                    if therapy.scheme_id
                    else None
                ),
            }
            for therapy in finding.therapies
        ],
        "sample": finding.sample.value,
        "lab": finding.lab or None,
        "reported_on": finding.reported_on.isoformat() if finding.reported_on else None,
        "hgvs": {
            "c": finding.c_hgvs or None,
            "p": finding.p_hgvs or None,
            "g": finding.g_hgvs or None,
        },
        "allelic_state": finding.allelic_state or None,
        "allele_fraction": finding.allele_fraction,
        "conditions": list(finding.conditions),
        "other_classifications": list(finding.other_classifications),
        "note": finding.note or None,
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
        lines.append(f"  {number}. {finding.gene} {finding.alteration}".rstrip())
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
