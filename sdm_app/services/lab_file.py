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
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from sdm_app.core.classification import SCHEMES, scheme
from sdm_app.core.results import (
    BiomarkerKind,
    Confirmation,
    CopyNumberChange,
    Direction,
    Origin,
    Sample,
    TestType,
    Zygosity,
)
from sdm_app.i18n import _
from sdm_app.services.result_import import (
    LAB_CSV,
    LAB_JSON,
    Finding,
    ImportReport,
    ResultImportError,
    TherapyMention,
    checked_text,
    decimal_of,
    number_text,
    shown,
)

FORMAT_ID = "sdm-app-results"
FORMAT_VERSION = 1

COLUMNS = (
    "kind",
    "gene",
    "alteration",
    "origin",
    "confirmation",
    "scheme",
    "class",
    "sample",
    "lab",
    "date",
    "therapies",
    "note",
    # The test.
    "test_type",
    "test_name",
    "method",
    "genes_covered",
    "specimen",
    "collected_on",
    "accession",
    # Sequence variants.
    "hgvs_c",
    "hgvs_p",
    "hgvs_g",
    "transcript",
    "genome_build",
    "zygosity",
    "vaf",
    "tumour_fraction",
    # Copy number and fusions.
    "copy_number_change",
    "copy_number",
    "partners",
    # Expression and signatures.
    "measure",
    "value",
    "unit",
    # Pharmacogenomics.
    "diplotype",
    "activity_score",
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
    "test_method": "method",
    "panel": "genes_covered",
    "collection_date": "collected_on",
    "report_id": "accession",
    "c_hgvs": "hgvs_c",
    "p_hgvs": "hgvs_p",
    "g_hgvs": "hgvs_g",
    "build": "genome_build",
    "assembly": "genome_build",
    "allelic_state": "zygosity",
    "tumor_fraction": "tumour_fraction",
    "tumour_content": "tumour_fraction",
    "tumor_content": "tumour_fraction",
    "copies": "copy_number",
    "fusion": "partners",
    "genotype": "diplotype",
}

KIND_ALIASES = {
    # The kinds of release 0.1.0's template, and short forms.
    "variant": BiomarkerKind.SEQUENCE_VARIANT,
    "tmb": BiomarkerKind.SIGNATURE,
    "msi": BiomarkerKind.SIGNATURE,
    "pd_l1": BiomarkerKind.EXPRESSION,
    "no_actionable": BiomarkerKind.NO_FINDING,
    "cnv": BiomarkerKind.COPY_NUMBER,
    "pdl1": BiomarkerKind.EXPRESSION,
    "mmr": BiomarkerKind.SIGNATURE,
    "pgx": BiomarkerKind.PHARMACOGENOMIC,
}
TEST_TYPE_ALIASES = {
    "tumor_only": TestType.TUMOUR_ONLY,
    "tumor_normal": TestType.TUMOUR_NORMAL,
    "liquid_biopsy": TestType.CTDNA,
}
ZYGOSITY_ALIASES = {
    "het": Zygosity.HETEROZYGOUS,
    "hom": Zygosity.HOMOZYGOUS,
    "hemi": Zygosity.HEMIZYGOUS,
}
COPY_NUMBER_ALIASES = {
    "amp": CopyNumberChange.AMPLIFICATION,
    "amplified": CopyNumberChange.AMPLIFICATION,
    "homozygous_deletion": CopyNumberChange.DEEP_DELETION,
}
DIRECTION_ALIASES = {
    "responsive": Direction.SENSITIVE,
    "response": Direction.SENSITIVE,
    "sensitivity": Direction.SENSITIVE,
    "resistance": Direction.RESISTANT,
}
SCHEME_ALIASES = {
    "acmg": "acmg-amp-2015",
    "acmg-amp": "acmg-amp-2015",
    "amp": "amp-asco-cap-2017",
    "amp-asco-cap": "amp-asco-cap-2017",
    "escat": "esmo-escat-2018",
    "esmo-escat": "esmo-escat-2018",
    "cpic": "cpic-2017",
}
# A biomarker named by its kind when the gene column is left empty.
KIND_NAMES = {"tmb": "TMB", "msi": "MSI", "mmr": "MSI", "pd_l1": "PD-L1", "pdl1": "PD-L1"}
# Therapies: "name [direction, level, tumour type]", separated by ";" or "|".
THERAPY_SEPARATORS = re.compile(r"[;|]")
THERAPY = re.compile(r"^(?P<name>[^\[\]]*?)\s*(?:\[(?P<details>[^\[\]]*)\])?\s*$")
PARTNER_SEPARATORS = re.compile(r"::|[;|]")
# Numbers written as plain digits; a percentage may end with "%".
PERCENT_COLUMNS = ("vaf", "tumour_fraction")
NUMBER_COLUMNS = ("copy_number", "activity_score")
MAX_ROWS = 10_000  # a report has tens of results
THERAPY_KEYS = ("name", "direction", "level", "tumour_type")


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

    def finding(
        self, cells: dict[str, str], therapies: Iterable[TherapyMention], where: str
    ) -> Finding:
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

        partners = self._partners(cells.get("partners", ""), at("partners"))
        written_kind = choice("kind", (k.value for k in BiomarkerKind), KIND_ALIASES)
        kind = BiomarkerKind(written_kind or ("fusion" if partners else "sequence_variant"))
        if partners and kind is not BiomarkerKind.FUSION:
            raise self.fail(
                at("partners"),
                _("fusion partners belong to a result of the kind “fusion”, not “{kind}”").format(
                    kind=shown(cells.get("kind", ""))
                ),
            )
        origin = Origin(choice("origin", (o.value for o in Origin), {}) or "unknown")
        sample = Sample(choice("sample", (s.value for s in Sample), {}) or "unknown")
        test_type = TestType(
            choice("test_type", (t.value for t in TestType), TEST_TYPE_ALIASES) or "unknown"
        )
        zygosity = Zygosity(
            choice("zygosity", (z.value for z in Zygosity), ZYGOSITY_ALIASES) or "unknown"
        )
        change = CopyNumberChange(
            choice("copy_number_change", (c.value for c in CopyNumberChange), COPY_NUMBER_ALIASES)
            or "unknown"
        )
        confirmed = choice("confirmation", (c.value for c in Confirmation), {})
        short_kind = _key(cells.get("kind", ""))
        gene = cells.get("gene", "") or KIND_NAMES.get(short_kind, "")
        if not gene and partners:
            gene = partners[-1]  # the 3' partner, as the FHIR import names a fusion
        alteration = cells.get("alteration", "") or "::".join(partners)
        if not gene and kind is not BiomarkerKind.NO_FINDING:
            raise self.fail(at("gene"), _("every result needs a gene or biomarker"))
        value = cells.get("value", "")
        measure = cells.get("measure", "") or (KIND_NAMES.get(short_kind, "") if value else "")
        scheme_id, class_code = self._classification(cells, at)
        return Finding(
            source=where,
            kind=kind,
            gene=gene,
            alteration=alteration,
            origin=origin,
            confirmation=Confirmation(confirmed) if confirmed else None,
            scheme_id=scheme_id,
            class_code=class_code,
            classification_text=cells.get("class", ""),
            therapies=tuple(therapies),
            sample=sample,
            lab=cells.get("lab", ""),
            reported_on=self._date(cells.get("date", ""), at("date")),
            test_type=test_type,
            test_name=cells.get("test_name", ""),
            test_method=cells.get("method", ""),
            genes_covered=cells.get("genes_covered", ""),
            specimen=cells.get("specimen", ""),
            collected_on=self._date(cells.get("collected_on", ""), at("collected_on")),
            accession=cells.get("accession", ""),
            hgvs_c=cells.get("hgvs_c", ""),
            hgvs_p=cells.get("hgvs_p", ""),
            hgvs_g=cells.get("hgvs_g", ""),
            transcript=cells.get("transcript", ""),
            genome_build=cells.get("genome_build", ""),
            zygosity=zygosity,
            vaf=self._percent(cells.get("vaf", ""), at("vaf")),
            tumour_fraction=self._percent(cells.get("tumour_fraction", ""), at("tumour_fraction")),
            copy_number_change=change,
            copy_number=self._number(cells.get("copy_number", ""), at("copy_number")),
            partners=partners,
            measure=measure,
            value=value,
            unit=cells.get("unit", ""),
            diplotype=cells.get("diplotype", ""),
            activity_score=self._number(cells.get("activity_score", ""), at("activity_score")),
            note=cells.get("note", ""),
        )

    def _percent(self, text: str, where: str) -> str:
        """A percentage as written, without its "%": "21.9" and "21.9%" are both 21.9."""
        if not text:
            return ""
        digits = text.removesuffix("%").strip()
        number = decimal_of(digits)
        if number is None or not 0 <= number <= 100:
            raise self.fail(
                where,
                _("“{value}” is not a percentage from 0 to 100, written like 21.9 or 21.9%").format(
                    value=shown(text)
                ),
            )
        return digits

    def _number(self, text: str, where: str) -> str:
        if not text:
            return ""
        number = decimal_of(text)
        if number is None or number < 0:
            raise self.fail(
                where,
                _("“{value}” is not a number written with digits, like 4 or 1.5").format(
                    value=shown(text)
                ),
            )
        return text

    def _partners(self, text: str, where: str) -> tuple[str, ...]:
        """ "EML4::ALK" or "EML4;ALK": the fusion's genes, 5' first."""
        if not text:
            return ()
        genes = tuple(part.strip() for part in PARTNER_SEPARATORS.split(text))
        if not all(genes):
            raise self.fail(
                where,
                _("“{value}” does not name each gene: write the fusion as GENE1::GENE2").format(
                    value=shown(text)
                ),
            )
        return genes

    def therapy(self, text: str, where: str) -> TherapyMention:
        """One therapy written "name [direction, level, tumour type]" (brackets optional)."""
        found = THERAPY.match(text)
        if found is None or not found["name"]:
            raise self.fail(
                where,
                _(
                    "“{value}” is not a therapy written as: name [direction, level, tumour type]"
                ).format(value=shown(text)),
            )
        details = [part.strip() for part in (found["details"] or "").split(",", 2)]
        details += [""] * (3 - len(details))
        written, level, tumour_type = details
        return TherapyMention(
            name=found["name"].strip(),
            direction=self.direction(written, where),
            evidence=(level,) if level else (),
            tumour_types=(tumour_type,) if tumour_type else (),
        )

    def direction(self, written: str, where: str) -> Direction:
        value = _key(written)
        value = str(DIRECTION_ALIASES.get(value, value)) or Direction.OTHER.value
        options = [d.value for d in Direction]
        if value not in options:
            raise self.fail(
                where,
                _("the direction “{value}” is not one of: {options}").format(
                    value=shown(written), options=", ".join(options)
                ),
            )
        return Direction(value)

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


def _therapies(rows: _Rows, value: str, where: str) -> list[TherapyMention]:
    """The therapies of one cell, separated by ";" or "|"; each named once."""
    found: list[TherapyMention] = []
    seen: set[str] = set()
    for part in THERAPY_SEPARATORS.split(value):
        if part.strip():
            mention = rows.therapy(part.strip(), where)
            key = f"{mention.name.casefold()}|{mention.direction}|{mention.tumour_types}"
            if key not in seen:
                seen.add(key)
                found.append(mention)
    return found


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
            therapies = _therapies(rows, values.pop("therapies", ""), _at(where, "therapies"))
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
        therapies: list[TherapyMention] | None = None
        for name, value in entry.items():
            column = rows.column(str(name), where)
            at = f"{where}.{name}"
            if column in values or (column == "therapies" and therapies is not None):
                raise rows.fail(at, _("the column “{column}” appears twice").format(column=column))
            if column == "therapies":
                therapies = _json_therapies(rows, value, at)
            elif column == "partners" and isinstance(value, list):
                values[column] = "::".join(_text_list(rows, value, at))
            elif value is None:
                values[column] = ""
            elif isinstance(value, str):
                values[column] = checked_text(value, file_name, at)
            elif column in (*PERCENT_COLUMNS, *NUMBER_COLUMNS, "value") and isinstance(
                value, int | Decimal
            ):
                values[column] = number_text(value, file_name, at)
            else:
                raise rows.fail(at, _("expected text"))
        findings.append(rows.finding(values, therapies or [], where))
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


def _json_therapies(rows: _Rows, value: object, where: str) -> list[TherapyMention]:
    """Therapies as texts ("name [direction, level, tumour type]") or as objects
    ``{name, direction, level, tumour_type}``."""
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    found: list[TherapyMention] = []
    for index, item in enumerate(items):
        at = f"{where}[{index}]" if isinstance(value, list) else where
        if isinstance(item, str):
            found.extend(_therapies(rows, checked_text(item, rows.file_name, at), at))
        elif isinstance(item, dict):
            found.append(_therapy_object(rows, item, at))
        else:
            raise rows.fail(at, _("expected text or an object with a name"))
    return found


def _therapy_object(rows: _Rows, item: dict[str, Any], where: str) -> TherapyMention:
    texts: dict[str, str] = {}
    for key, value in item.items():
        if key not in THERAPY_KEYS:
            raise rows.fail(
                f"{where}.{key}",
                _("unknown key; the keys are: {keys}").format(keys=", ".join(THERAPY_KEYS)),
            )
        if value is None:
            continue
        if not isinstance(value, str):
            raise rows.fail(f"{where}.{key}", _("expected text"))
        texts[key] = checked_text(value, rows.file_name, f"{where}.{key}")
    if not texts.get("name"):
        raise rows.fail(f"{where}.name", _("every therapy needs a name"))
    level, tumour_type = texts.get("level", ""), texts.get("tumour_type", "")
    return TherapyMention(
        name=texts["name"],
        direction=rows.direction(texts.get("direction", ""), f"{where}.direction"),
        evidence=(level,) if level else (),
        tumour_types=(tumour_type,) if tumour_type else (),
    )
