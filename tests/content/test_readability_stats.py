"""``sdm-app content stats`` grades every patient-facing field, and measures Chinese
in characters."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from aidfactory import AID, AID_EN, aid_files
from packfactory import valid_files, write_pack

from sdm_app.content.readability import CHINESE_CHARACTERS, formula_for, measure, measure_for
from sdm_app.content.readability_fields import FIELD_KINDS
from sdm_app.content.stats import content_stats, stats_lines

TODAY = date(2026, 11, 21)
ROOT = Path(__file__).resolve().parents[2]
CORE_KNOWLEDGE = ROOT / "content" / "core" / "knowledge" / "knowledge.en.yaml"
# The same aid, with no "wait" option: it says why instead.
NO_WAIT = "decision-aids/no-wait.en.yaml"
# 11 + 9 characters in two sentences; 胚 is not among the 2,500 common characters
# (it is in the list's 1,000 "less common" ones), the other 19 are.
CHINESE = "胚系变异是从父母遗传的。请参阅脱氧核糖核酸。"


def _no_wait_aid() -> str:
    text = str(AID_EN).replace("id: first-treatment", "id: no-wait")
    text = text.replace("    no_action: true\n", "")
    return text.replace(
        "question: Which first treatment fits you best?\n",
        "question: Which first treatment fits you best?\n"
        "no_action_reason: Waiting is not safe for this cancer.\n",
    )


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files: dict[str, str | bytes] = dict(valid_files())
    files.update(aid_files())
    files[NO_WAIT] = _no_wait_aid()
    folder: Path = write_pack(tmp_path_factory.mktemp("stats") / "pack", files)
    (folder / "knowledge").mkdir()
    shutil.copy(CORE_KNOWLEDGE, folder / "knowledge" / "knowledge.en.yaml")
    return folder


@pytest.fixture(scope="module")
def stats(pack: Path) -> dict[str, dict[str, object]]:
    return content_stats(pack, TODAY)


def _line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def _field(stats: dict[str, dict[str, object]], locale: str, where: str, file: str) -> dict:
    fields = stats[locale]["fields"]
    assert isinstance(fields, list)
    found = [f for f in fields if f["where"] == where and f["file"].endswith(file)]
    assert len(found) == 1, (where, file)
    field: dict = found[0]
    return field


def test_every_kind_of_patient_facing_field_is_graded(stats: dict) -> None:
    en = stats["en"]
    assert set(en["field_kinds"]) == set(FIELD_KINDS)
    assert sum(en["field_kinds"].values()) == len(en["fields"]) == en["fields_graded"]
    for field in en["fields"]:
        assert field["kind"] in FIELD_KINDS
        assert isinstance(field["line"], int) and field["line"] >= 1
        assert Path(field["file"]).is_file()
        assert isinstance(field["grade"], float) and field["words"] > 0
    grades = sorted(field["grade"] for field in en["fields"])
    middle = len(grades) // 2
    median = grades[middle] if len(grades) % 2 else (grades[middle - 1] + grades[middle]) / 2
    assert en["fields_median_grade"] == round(median, 1)
    assert en["fields_max_grade"] == grades[-1]
    json.dumps(stats)  # plain JSON types only


@pytest.mark.parametrize(
    ("file", "where", "kind", "text"),
    [
        (AID, "options.tablets.answers.how-given", "answer", "how-given: A tablet by mouth."),
        (AID, "options.tablets.benefits[2]", "benefit", "The tumour shrank in 54"),
        (AID, "options.wait.harms[1]", "harm", "The cancer may grow."),
        (AID, "outcomes.alive-3-years.label", "outcome_label", "People alive after 3"),
        (AID, "outcomes.alive-3-years.population", "outcome_population", "population: Adults"),
        (
            AID,
            "outcomes.alive-3-years.per_option.wait.missing_reason",
            "missing_reason",
            "missing_reason: No trial compared",
        ),
        (AID, "disclosure.evidence_method", "disclosure", "disclosure:"),
        (AID, "values.live-longer.statement", "value_statement", "Living as long as possible"),
        (
            AID,
            "values.live-longer.relates_to.wait",
            "value_relation",
            "wait: Does not treat the cancer",
        ),
        (AID, "attributes.how-often.question", "attribute_question", "How often do I go"),
        (NO_WAIT, "no_action_reason", "no_action_reason", "no_action_reason:"),
        ("glossary/en.yaml", "terms.target.definition", "glossary_definition", "A change that a"),
        ("support/directory.en.yaml", "entries.everyone.description", "support_description", ""),
        ("knowledge/knowledge.en.yaml", "meanings.benign", "knowledge_text", ""),
    ],
)
def test_a_field_names_its_file_and_line(
    stats: dict, pack: Path, file: str, where: str, kind: str, text: str
) -> None:
    field = _field(stats, "en", where, file)
    assert field["kind"] == kind
    if text:
        assert field["line"] == _line_of(pack / file, text)


def test_translations_list_their_fields_too(stats: dict) -> None:
    es = stats["es"]
    answer = _field(stats, "es", "options.wait.answers.how-given", "first-treatment.es.yaml")
    assert answer["grade"] is not None  # Crawford
    assert {"answer", "benefit", "harm", "missing_reason", "glossary_definition"} <= set(
        es["field_kinds"]
    )


def test_the_text_report_lists_each_field_with_file_and_line(stats: dict, pack: Path) -> None:
    lines = stats_lines(stats)
    line = _line_of(pack / AID, "how-given: A tablet by mouth.")
    where = f"{pack / AID}:{line}: options.tablets.answers.how-given: grade "
    assert any(entry.strip().startswith(where) for entry in lines), "\n".join(lines)
    assert any("every patient-facing field" in entry and "median grade" in entry for entry in lines)


def test_the_stats_command_gives_the_fields_as_json(
    pack: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sdm_app.cli import main

    assert main(["content", "stats", str(pack), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["en"]["fields_median_grade"] is not None
    assert {field["kind"] for field in printed["en"]["fields"]} == set(FIELD_KINDS)


# Chinese -------------------------------------------------------------------------


def test_chinese_is_measured_in_characters() -> None:
    assert formula_for("zh_Hans") is None  # no grade ...
    assert measure_for("zh_Hans") == measure_for("zh") == CHINESE_CHARACTERS  # ... a measure
    reading = measure([CHINESE], "zh_Hans")
    assert reading.grade is None and reading.words == 0
    assert (reading.characters, reading.sentences, reading.sentence_characters) == (20, 2, 10.0)
    assert reading.common_characters == 19 and reading.common_share == 0.95
    # Punctuation, digits and Latin letters are not characters.
    assert measure(["BRCA1 基因，2 个。"], "zh").characters == 3


def test_traditional_chinese_gets_no_share_of_the_simplified_list() -> None:
    reading = measure(["胚系變異是從父母遺傳的。"], "zh_Hant")
    assert reading.characters == 11 and reading.sentence_characters == 11.0
    assert reading.common_share is None


def test_chinese_stats_report_characters_per_text_and_field(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = dict(valid_files())
    folder = write_pack(tmp_path / "pack", files)
    stats = content_stats(folder, TODAY)
    zh = stats["zh_Hans"]
    assert zh["measure"] == CHINESE_CHARACTERS and zh["median_grade"] is None
    texts = [text for text in zh["texts"].values() if text["characters"]]
    assert texts and all(0 < text["common_share"] <= 1 for text in texts)
    assert zh["characters"] == sum(text["characters"] for text in texts)
    assert zh["average_sentence_characters"] > 0 and 0 < zh["common_share"] <= 1
    fields = zh["fields"]
    assert fields and all(field["characters"] > 0 for field in fields)
    assert zh["fields_median_sentence_characters"] > 0
    lines = "\n".join(stats_lines(stats))
    assert "characters a sentence" in lines


def test_stats_name_options_without_a_harm_figure(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = dict(valid_files())
    files.update(aid_files())
    assert (
        content_stats(write_pack(tmp_path / "whole", files), TODAY)["en"][
            "options_without_harm_figure"
        ]
        == {}
    )
    # The same aid with its harm outcome taken out: both options lack a harm figure.
    text = str(AID_EN)
    start = text.index("  - id: serious-side-effects\n")
    files["decision-aids/first-treatment.en.yaml"] = text[:start] + text[text.index("values:") :]
    figures = content_stats(write_pack(tmp_path / "lacking", files), TODAY)["en"]
    assert figures["options_without_harm_figure"] == {"first-treatment": ["tablets", "wait"]}


def test_the_bundled_library_meets_the_issue_17_figures() -> None:
    """The library's size, harms and reading as the release promises them."""
    figures = content_stats(ROOT / "content", TODAY)["en"]
    assert figures["modules"] >= 45 and figures["decision_aids"] >= 11
    assert figures["options_without_harm_figure"] == {}
    assert figures["fields_graded"] > 1000
    median = figures["fields_median_grade"]
    assert isinstance(median, float | int) and median <= 6
