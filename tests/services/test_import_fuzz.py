"""Damaged FHIR bundles give a clean error or a whole import, never a crash.

Hypothesis takes each example bundle and removes fields, puts values of the wrong
type in, breaks references, makes strings huge, nests JSON deeply or cuts the
file short. Reading the result must either give a complete report (whose
results can be stored) or raise ``ResultImportError`` naming the file: any other
exception fails. 4 bundles x 500 cases; derandomized, so CI runs the same cases.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sdm_app.core.consultation import Consultation
from sdm_app.services.result_import import (
    MAX_TEXT,
    ResultImportError,
    parse_import,
    report_to_json,
)
from sdm_app.storage.consultations import unstorable_text

FHIR_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "fhir"
BUNDLES = sorted(FHIR_FIXTURES.glob("*.json"))
TEXTS = {path.name: path.read_text(encoding="utf-8") for path in BUNDLES}
CASES_PER_BUNDLE = 500
DEEP = "__deep_nesting__"

Path_ = tuple[str | int, ...]


def _paths(document: Any) -> list[Path_]:
    """Every place in the document (not the root), found without recursion."""
    found: list[Path_] = []
    pending: list[tuple[Path_, Any]] = [((), document)]
    while pending:
        path, node = pending.pop()
        children: Iterator[tuple[str | int, Any]]
        if isinstance(node, dict):
            children = iter(node.items())
        elif isinstance(node, list):
            children = iter(enumerate(node))
        else:
            continue
        for key, child in children:
            found.append((*path, key))
            pending.append(((*path, key), child))
    return found


PATHS = {name: _paths(json.loads(text)) for name, text in TEXTS.items()}
REFERENCES = {
    name: [path for path in paths if path[-1] == "reference"] for name, paths in PATHS.items()
}

WRONG_VALUES: list[Any] = [
    None,
    0,
    -1,
    1.5,
    10**30,
    True,
    "",
    "x",
    [],
    {},
    [None],
    [1, "a"],
    {"reference": "Observation/not-here"},
    {"coding": "LA9633-4"},
    {"coding": [{"system": 1, "code": []}]},
    "\udc00 a lone surrogate",
]


def _parent(document: Any, path: Path_) -> tuple[Any, str | int] | None:
    node = document
    for key in path[:-1]:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            return None
    if isinstance(node, dict) and path[-1] in node:
        return node, path[-1]
    if isinstance(node, list) and isinstance(path[-1], int) and path[-1] < len(node):
        return node, path[-1]
    return None


def _set(document: Any, path: Path_, value: Any) -> None:
    found = _parent(document, path)
    if found is not None:
        node, key = found
        node[key] = value


def _delete(document: Any, path: Path_) -> None:
    found = _parent(document, path)
    if found is not None:
        node, key = found
        del node[key]


@st.composite
def mutated(draw: st.DrawFn, name: str) -> bytes:
    document = json.loads(TEXTS[name])
    paths = PATHS[name]
    depth = 0
    for _ in range(draw(st.integers(1, 3))):
        path = paths[draw(st.integers(0, len(paths) - 1))]
        action = draw(
            st.sampled_from(["delete", "wrong", "reference", "huge", "deep", "text", "type"])
        )
        if action == "delete":
            _delete(document, path)
        elif action == "wrong":
            _set(document, path, draw(st.sampled_from(WRONG_VALUES)))
        elif action == "reference" and REFERENCES[name]:
            target = REFERENCES[name][draw(st.integers(0, len(REFERENCES[name]) - 1))]
            broken = draw(
                st.sampled_from(["#missing", "Observation/missing", "urn:uuid:0", "", "/", "a/b/c"])
                | st.text(max_size=40)
            )
            _set(document, target, broken)
        elif action == "huge":
            size = draw(st.sampled_from([MAX_TEXT, MAX_TEXT + 1, 100_000, 1_000_000]))
            _set(document, path, draw(st.sampled_from(["A", "é", "𝕏", "\x00"])) * size)
        elif action == "deep":
            depth = draw(st.sampled_from([64, 900, 5_000, 100_000]))
            _set(document, path, DEEP)
        elif action == "text":
            _set(document, path, draw(st.text(max_size=30)))
        else:
            _set(
                document,
                ("resourceType",),
                draw(st.sampled_from(["Observation", "Patient", "DiagnosticReport", "", 7])),
            )
    text = json.dumps(document)
    if depth:
        opening, closing = draw(st.sampled_from([("[", "]"), ('{"a":', "}")]))
        text = text.replace(f'"{DEEP}"', opening * depth + "1" + closing * depth, 1)
    if draw(st.booleans()) and draw(st.integers(0, 9)) == 0:
        text = text[: draw(st.integers(0, len(text)))]  # a file cut short
    return text.encode("utf-8")


@pytest.mark.parametrize("name", sorted(TEXTS))
@settings(
    max_examples=CASES_PER_BUNDLE,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_damaged_bundles_give_a_clean_error_or_a_whole_import(
    name: str, data: st.DataObject
) -> None:
    raw = data.draw(mutated(name))
    try:
        report = parse_import(raw, name)
    except ResultImportError as error:
        message = str(error)
        assert message.startswith(f"{name}: ")
        assert error.problem.strip()
        assert "Traceback" not in message
        return
    # A whole import: it can be shown, printed as JSON and stored.
    json.dumps(report_to_json(report))
    results = report.test_results()
    assert len(results) == len(report.findings)
    now = datetime(2026, 1, 1)
    assert (
        unstorable_text(Consultation(id=None, created_at=now, updated_at=now, results=results))
        is None
    )
    for finding in report.findings:
        assert len(finding.gene) <= MAX_TEXT * 4 and len(finding.alteration) <= MAX_TEXT * 4


def test_the_mutations_reach_both_outcomes() -> None:
    """The property above is only honest if damaged files do both things."""
    outcomes = {"error": 0, "report": 0}

    @settings(max_examples=150, derandomize=True, deadline=None, database=None)
    @given(raw=mutated(sorted(TEXTS)[0]))
    def count(raw: bytes) -> None:
        try:
            parse_import(raw, "x.json")
            outcomes["report"] += 1
        except ResultImportError:
            outcomes["error"] += 1

    count()
    assert outcomes["error"] > 10 and outcomes["report"] > 10, outcomes


# The simple results file: any cell in any new column gives a clean error or a whole
# import, and numbers come out exactly as they went in.

LAB_COLUMNS = (
    "kind",
    "origin",
    "confirmation",
    "test_type",
    "zygosity",
    "vaf",
    "tumour_fraction",
    "copy_number_change",
    "copy_number",
    "partners",
    "activity_score",
    "therapies",
    "collected_on",
    "value",
)
CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            "12.30",
            "12.30%",
            "0",
            "100",
            "101",
            "-1",
            "1e3",
            "EML4::ALK",
            "EML4::",
            ";",
            "cetuximab [resistant, R1]",
            "x [",
            "[]",
            "fusion",
            "loss",
            "germline",
            "2026-02-30",
        ]
    ),
    st.text(max_size=20),
)


@settings(max_examples=400, derandomize=True, deadline=None, database=None)
@given(cells=st.lists(CELLS, min_size=len(LAB_COLUMNS), max_size=len(LAB_COLUMNS)))
def test_lab_file_cells_give_a_clean_error_or_a_whole_import(cells: list[str]) -> None:
    def quoted(text: str) -> str:
        return '"' + text.replace('"', '""') + '"'

    data = "gene," + ",".join(LAB_COLUMNS) + "\nKRAS," + ",".join(map(quoted, cells)) + "\n"
    try:
        report = parse_import(data.encode("utf-8", "surrogatepass"), "lab.csv")
    except ResultImportError as error:
        assert str(error).startswith("lab.csv: ")
        assert "line 2" in error.where or "line " in str(error)
        return
    json.dumps(report_to_json(report))
    (finding,) = report.findings
    written = dict(zip(LAB_COLUMNS, (cell.strip() for cell in cells), strict=True))
    assert finding.vaf == written["vaf"].removesuffix("%").strip()
    assert finding.copy_number == written["copy_number"]
    assert finding.value == written["value"]
    result = finding.to_test_result()
    assert result.vaf == finding.vaf
