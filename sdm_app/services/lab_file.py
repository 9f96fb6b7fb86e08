"""The app's simple results file, for laboratories and clinicians without FHIR.

One row (CSV) or one object (JSON) per result, with the columns described in
``resources/import/README.md`` (templates beside it). Values are checked
strictly: an unknown column, a value that is not one of the listed words or a
class that is not in its scheme is an error naming the line (CSV) or the entry
(JSON) and the column, so that a typing slip never becomes a wrong result.
Blank rows and rows whose first cell starts with ``#`` are ignored.

Qt-free.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from sdm_app.core.classification import SCHEMES, scheme
from sdm_app.core.consultation import BiomarkerKind, Origin, Sample
from sdm_app.i18n import _
from sdm_app.services.result_import import (
    LAB_CSV,
    LAB_JSON,
    Finding,
    ImportReport,
    ResultImportError,
    TherapyMention,
    checked_text,
    shown,
)

FORMAT_ID = "sdm-app-results"
FORMAT_VERSION = 1

COLUMNS = (
    "kind",
    "gene",
    "alteration",
    "origin",
    "scheme",
    "class",
    "sample",
    "lab",
    "date",
    "therapies",
    "note",
)
# Other names people (or the app's own demo file) use for the same columns.
COLUMN_ALIASES = {
    "biomarker": "gene",
    "gene_or_biomarker": "gene",
    "variant": "alteration",
    "scheme_id": "scheme",
    "class_code": "class",
    "tier": "class",
    "laboratory": "lab",
    "reported_on": "date",
    "report_date": "date",
    "clinician_note": "note",
}

KIND_ALIASES = {
    "cnv": BiomarkerKind.COPY_NUMBER,
    "pdl1": BiomarkerKind.PD_L1,
    "mmr": BiomarkerKind.MSI,
    "pgx": BiomarkerKind.PHARMACOGENOMIC,
}
SCHEME_ALIASES = {
    "acmg": "acmg-amp-2015",
    "acmg-amp": "acmg-amp-2015",
    "amp": "amp-asco-cap-2017",
    "amp-asco-cap": "amp-asco-cap-2017",
    "escat": "esmo-escat-2018",
    "esmo-escat": "esmo-escat-2018",
}
# A biomarker named by its kind when the gene column is left empty.
KIND_NAMES = {BiomarkerKind.TMB: "TMB", BiomarkerKind.MSI: "MSI", BiomarkerKind.PD_L1: "PD-L1"}
THERAPY_SEPARATORS = re.compile(r"[;|]")
MAX_ROWS = 10_000  # a report has tens of results


def _at(where: str, column: str) -> str:
    return _("{where}, column {column}").format(where=where, column=column)


def _key(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().casefold())


class _Rows:
    """Turns the cells of one row or object into a ``Finding``, or says what is wrong."""

    def __init__(self, file_name: str) -> None:
        self.file_name = file_name

    def fail(self, where: str, problem: str) -> ResultImportError:
        return ResultImportError(self.file_name, problem, where)

    def column(self, name: str, where: str) -> str:
        key = _key(name)
        key = COLUMN_ALIASES.get(key, key)
        if key not in COLUMNS:
            raise self.fail(
                where,
                _("unknown column “{column}”; the columns are: {columns}").format(
                    column=shown(name), columns=", ".join(COLUMNS)
                ),
            )
        return key

    def finding(self, cells: dict[str, str], therapies: Iterable[str], where: str) -> Finding:
        def at(column: str) -> str:
            return _at(where, column)

        def choice(column: str, allowed: Iterable[str], aliases: dict[str, Any]) -> str:
            value = _key(cells.get(column, ""))
            value = str(aliases.get(value, value))
            options = list(allowed)
            if value and value not in options:
                raise self.fail(
                    at(column),
                    _("“{value}” is not one of: {options}").format(
                        value=shown(cells[column]), options=", ".join(options)
                    ),
                )
            return value

        kind = BiomarkerKind(
            choice("kind", (k.value for k in BiomarkerKind), KIND_ALIASES) or "variant"
        )
        origin = Origin(choice("origin", (o.value for o in Origin), {}) or "unknown")
        sample = Sample(choice("sample", (s.value for s in Sample), {}) or "unknown")
        gene = cells.get("gene", "") or KIND_NAMES.get(kind, "")
        alteration = cells.get("alteration", "")
        if not gene and kind is not BiomarkerKind.NO_ACTIONABLE:
            raise self.fail(at("gene"), _("every result needs a gene or biomarker"))
        scheme_id, class_code = self._classification(cells, at)
        return Finding(
            source=where,
            kind=kind,
            gene=gene,
            alteration=alteration,
            origin=origin,
            scheme_id=scheme_id,
            class_code=class_code,
            classification_text=cells.get("class", ""),
            therapies=tuple(_therapies(therapies)),
            sample=sample,
            lab=cells.get("lab", ""),
            reported_on=self._date(cells.get("date", ""), at("date")),
            note=cells.get("note", ""),
        )

    def _classification(self, cells: dict[str, str], at: Any) -> tuple[str, str]:
        written_scheme = cells.get("scheme", "")
        code = cells.get("class", "")
        if not written_scheme:
            if code:
                raise self.fail(
                    at("scheme"),
                    _("the class “{code}” needs its scheme: one of {schemes}").format(
                        code=shown(code), schemes=", ".join(s.id for s in SCHEMES)
                    ),
                )
            return "", ""
        scheme_id = SCHEME_ALIASES.get(_key(written_scheme).replace("_", "-"), "")
        scheme_id = scheme_id or _key(written_scheme).replace("_", "-")
        known = scheme(scheme_id)
        if known is None:
            raise self.fail(
                at("scheme"),
                _("“{value}” is not one of: {options}").format(
                    value=shown(written_scheme), options=", ".join(s.id for s in SCHEMES)
                ),
            )
        if not code:
            return known.id, ""
        found = known.find(code)
        if found is None:
            raise self.fail(
                at("class"),
                _("“{code}” is not a class of {scheme}; its classes are: {classes}").format(
                    code=shown(code),
                    scheme=known.id,
                    classes=", ".join(c.code for c in known.classes),
                ),
            )
        return known.id, found.code

    def _date(self, text: str, where: str) -> date | None:
        if not text:
            return None
        try:
            if len(text) != len("YYYY-MM-DD"):
                raise ValueError(text)  # fromisoformat also takes 20240131 and week dates
            return date.fromisoformat(text)
        except ValueError as error:
            raise self.fail(
                where,
                _("“{value}” is not a date written as YYYY-MM-DD").format(value=shown(text)),
            ) from error


def _therapies(values: Iterable[str]) -> Iterator[TherapyMention]:
    seen: set[str] = set()
    for value in values:
        for part in THERAPY_SEPARATORS.split(value):
            name = part.strip()
            if name and name.casefold() not in seen:
                seen.add(name.casefold())
                yield TherapyMention(name=name)


# CSV ---------------------------------------------------------------------------------


def _delimiter(header: str) -> str:
    """Comma, or the semicolon or tab many spreadsheets write instead."""
    counts = {mark: header.count(mark) for mark in (",", ";", "\t")}
    return max(counts, key=lambda mark: (counts[mark], mark == ","))


def parse_lab_csv(text: str, file_name: str) -> ImportReport:
    rows = _Rows(file_name)
    lines = text.splitlines(keepends=True)
    first = next((index for index, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise ResultImportError(file_name, _("the file is empty"))
    reader = csv.reader(lines, delimiter=_delimiter(lines[first]), strict=True)
    header: list[str] | None = None
    findings: list[Finding] = []
    try:
        for cells in reader:
            line = reader.line_num
            where = _("line {line}").format(line=line)
            if not any(cell.strip() for cell in cells) or cells[0].lstrip().startswith("#"):
                continue
            if header is None:
                header = _header(rows, cells, where)
                continue
            if len(cells) > len(header):
                raise rows.fail(
                    where,
                    _("{count} cells, but the first line names {columns} columns").format(
                        count=len(cells), columns=len(header)
                    ),
                )
            values: dict[str, str] = {}
            for column, cell in zip(header, cells, strict=False):
                text = checked_text(cell, file_name, _at(where, column))
                if column:
                    values[column] = text
                elif text:  # every unnamed column is checked, not only the last one
                    raise rows.fail(where, _("a value in a column the first line does not name"))
            therapies = [values.pop("therapies", "")]
            findings.append(rows.finding(values, therapies, where))
            if len(findings) > MAX_ROWS:
                raise rows.fail(
                    where, _("more than {count} results in one file").format(count=MAX_ROWS)
                )
    except csv.Error as error:
        raise rows.fail(
            _("line {line}").format(line=reader.line_num),
            _("not readable as CSV: {reason}").format(reason=error),
        ) from error
    if header is None:
        raise ResultImportError(file_name, _("the file is empty"))
    return ImportReport(file_name, LAB_CSV, tuple(findings))


def _header(rows: _Rows, cells: list[str], where: str) -> list[str]:
    # Spreadsheets often save empty cells after the last column: those stay unnamed.
    columns = [rows.column(cell, where) if cell.strip() else "" for cell in cells]
    for column in columns:
        if column and columns.count(column) > 1:
            raise rows.fail(where, _("the column “{column}” appears twice").format(column=column))
    if "gene" not in columns and "kind" not in columns:
        raise rows.fail(
            where,
            _("the first line must name the columns, among them “gene”; see the template"),
        )
    return columns


# JSON --------------------------------------------------------------------------------


def parse_lab_json(document: Any, file_name: str) -> ImportReport:
    rows = _Rows(file_name)
    if isinstance(document, dict):
        _check_format(rows, document)
        entries = document.get("results")
    else:
        entries = document
    if not isinstance(entries, list):
        raise rows.fail("results", _("expected a list"))
    if len(entries) > MAX_ROWS:
        raise rows.fail(
            "results", _("more than {count} results in one file").format(count=MAX_ROWS)
        )
    findings = []
    for index, entry in enumerate(entries):
        where = f"results[{index}]"
        if not isinstance(entry, dict):
            raise rows.fail(where, _("expected an object"))
        values: dict[str, str] = {}
        therapies: list[str] = []
        for name, value in entry.items():
            column = rows.column(str(name), where)
            at = f"{where}.{name}"
            if column in values or (column == "therapies" and therapies):
                raise rows.fail(at, _("the column “{column}” appears twice").format(column=column))
            if column == "therapies":
                therapies = _text_list(rows, value, at)
            elif value is None:
                values[column] = ""
            elif isinstance(value, str):
                values[column] = checked_text(value, file_name, at)
            else:
                raise rows.fail(at, _("expected text"))
        findings.append(rows.finding(values, therapies, where))
    return ImportReport(file_name, LAB_JSON, tuple(findings))


def _check_format(rows: _Rows, document: dict[str, Any]) -> None:
    name = document.get("format", FORMAT_ID)
    if name != FORMAT_ID:
        raise rows.fail("format", _("expected “{format}”").format(format=FORMAT_ID))
    version = document.get("version", FORMAT_VERSION)
    if isinstance(version, bool) or not isinstance(version, int):
        raise rows.fail("version", _("expected a whole number"))
    if version > FORMAT_VERSION:
        raise rows.fail(
            "version",
            _("the file is version {version}; this app reads version {known}").format(
                version=version, known=FORMAT_VERSION
            ),
        )
    unknown = sorted(set(document) - {"format", "version", "results", "about"})
    if unknown:
        raise rows.fail(unknown[0], _("unknown key; the keys are: format, version, about, results"))


def _text_list(rows: _Rows, value: object, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [checked_text(value, rows.file_name, where)]
    if not isinstance(value, list):
        raise rows.fail(where, _("expected a list of texts"))
    texts = []
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise rows.fail(f"{where}[{index}]", _("expected text"))
        texts.append(checked_text(item, rows.file_name, f"{where}[{index}]"))
    return texts
