from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from aidfactory import AID, AID_EN, aid_files
from packfactory import BIOMARKER_EN, GLOSSARY_EN, PACK_YAML, replace_line, valid_files, write_pack

from sdm_app.content.problems import format_problem
from sdm_app.content.readability import (
    CRAWFORD,
    FLESCH_KINCAID,
    _statistics,
    formula_for,
    measure,
    textstat_available,
)
from sdm_app.content.stats import content_stats
from sdm_app.content.validate import validate_path

TODAY = date(2026, 11, 21)
CEILINGS = PACK_YAML + "reading_grade_max: 8\nsentence_words_max: 20\n"
HARD = (
    "Pharmacogenomic characterisation of heterogeneous oncological manifestations "
    "necessitates comprehensive multidisciplinary evaluation."
)
LONG = " ".join(["the test looks at the cells and"] * 10) + " more."  # 71 words, one sentence
EN = "The cat sat on the mat. It was a sunny day and the cat was happy."
ES = "Los resultados suelen tardar de dos a cuatro semanas. Pregunte a su equipo."


def test_textstat_is_the_pinned_version() -> None:
    from importlib import metadata

    assert metadata.version("textstat") == "0.7.4"
    assert textstat_available()


def test_formulas_per_language() -> None:
    assert formula_for("en") == FLESCH_KINCAID
    assert formula_for("es") == CRAWFORD
    assert formula_for("de") == FLESCH_KINCAID  # pyphen has German
    assert formula_for("ar") is None
    assert formula_for("zh_Hans") is None


def test_english_reading_grade_is_flesch_kincaid() -> None:
    reading = measure([EN], "en")
    assert (reading.words, reading.sentences, reading.sentence_words) == (16, 2, 8.0)
    # Counted by hand: every word has one syllable but "sunny" and "happy", two each.
    syllables = 18
    assert reading.syllables == syllables
    expected = 0.39 * 16 / 2 + 11.8 * syllables / 16 - 15.59
    assert reading.grade == round(expected, 1) == 0.8
    assert reading.formula == FLESCH_KINCAID
    hard = measure([HARD], "en").grade
    assert hard is not None and hard > 20


def test_english_syllables_are_counted_as_said() -> None:
    # textstat 0.7.4 counted "medicine" and "menopause" as one syllable each and
    # graded this at -1.4; they have three each: 10 syllables in all, grade 6.4.
    reading = measure(["The medicine can bring on menopause."], "en")
    assert (reading.words, reading.sentences, reading.syllables) == (6, 1, 10)
    assert reading.grade == round(0.39 * 6 + 11.8 * 10 / 6 - 15.59, 1) == 6.4


def test_spanish_reading_grade_is_crawford() -> None:
    reading = measure([ES], "es")
    assert (reading.words, reading.sentences) == (13, 2)
    syllables = _statistics("es").syllable_count(ES)
    expected = -0.205 * (100 * 2 / 13) + 0.049 * (100 * syllables / 13) - 3.407
    assert reading.grade == round(expected, 1) == 2.5
    assert reading.formula == CRAWFORD


def test_languages_without_a_formula_are_counted_not_graded() -> None:
    reading = measure(["يبحث الفحص عن تغيرات في الورم. ثم يبدأ العلاج."], "ar")
    assert reading.grade is None and reading.formula is None
    assert (reading.words, reading.sentences) == (9, 2)
    chinese = measure(["胚系变异是从父母遗传的。请参阅脱氧核糖核酸。"], "zh_Hans")
    assert chinese.grade is None and chinese.sentences == 2 and chinese.sentence_words is None


def test_blocks_end_sentences_and_marks_are_not_read() -> None:
    # A heading or list item is a sentence of its own, as the reader meets it.
    assert measure(["How long it takes", "Results take weeks"], "en").sentences == 2
    assert measure(["", "   ", "—"], "en").grade is None


def check(tmp_path: Path, changes: dict[str, str]) -> list[str]:
    files: dict[str, str | bytes] = dict(valid_files())
    files.update(aid_files())
    files["pack.yaml"] = CEILINGS
    files.update(changes)
    folder = write_pack(tmp_path / "pack", files)
    return [format_problem(p) for p in validate_path(folder, TODAY)]


def test_plain_pack_with_ceilings_is_quiet(tmp_path: Path) -> None:
    # The factory's "See DNA and the medication guide." reads at grade 8.8 with
    # syllables counted as said ("inherited" 4, "medication" 4, "DNA" 3): plainer here.
    germline = valid_files()["modules/germline.en.md"]
    plain = germline.replace("the medication guide", "the drug guide")
    assert plain != germline
    assert check(tmp_path, {"modules/germline.en.md": plain}) == []


@pytest.mark.parametrize(
    ("relative", "text", "line", "rule"),
    [
        (AID, replace_line(AID_EN, 11, f"  {HARD} {HARD}"), 11, "reading-grade"),
        (AID, replace_line(AID_EN, 11, f"  {LONG}"), 11, "sentence-length"),
        (AID, replace_line(AID_EN, 43, f"      - {HARD}"), 35, "reading-grade"),
        (
            AID,
            replace_line(
                replace_line(AID_EN, 46, f"      - {LONG}"), 38, f"    description: {LONG}"
            ),
            35,
            "sentence-length",
        ),
        ("modules/germline.en.md", None, 8, "reading-grade"),
        ("glossary/en.yaml", GLOSSARY_EN.replace("act on.", f"act on. {HARD}"), 7, "reading-grade"),
        ("modules/biomarker-testing.en.md", BIOMARKER_EN + f"\n{LONG}\n" * 5, 8, "sentence-length"),
    ],
)
def test_plain_language_rules(
    tmp_path: Path, relative: str, text: str | None, line: int, rule: str
) -> None:
    if text is None:
        text = valid_files()[relative].replace("Germline changes are inherited", HARD + " " + HARD)
    lines = check(tmp_path, {relative: text})
    prefix = f"{tmp_path / 'pack' / relative}:{line}: {rule}: "
    found = [entry for entry in lines if entry.startswith(prefix)]
    assert found, "\n".join(lines)
    # An error, not a warning: text above the ceiling stops the build.
    assert all(": warning: " not in entry for entry in found), "\n".join(found)


def test_hardest_part_is_named(tmp_path: Path) -> None:
    lines = check(tmp_path, {AID: replace_line(AID_EN, 46, f"      - {HARD} {HARD}")})
    found = [entry for entry in lines if ": reading-grade: " in entry]
    assert found and "hardest: option 'tablets'" in found[0], found


def test_no_ceilings_no_plain_language_rules(tmp_path: Path) -> None:
    lines = check(tmp_path, {"pack.yaml": PACK_YAML, AID: replace_line(AID_EN, 11, f"  {HARD}")})
    assert lines == []


def test_ceilings_must_be_numbers(tmp_path: Path) -> None:
    lines = check(tmp_path, {"pack.yaml": PACK_YAML + "reading_grade_max: eight\n"})
    assert any(
        entry.startswith(f"{tmp_path / 'pack' / 'pack.yaml'}:7: schema: ") for entry in lines
    )


def test_stats_json_shape(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = dict(valid_files())
    files.update(aid_files())
    folder = write_pack(tmp_path / "pack", files)
    stats = content_stats(folder, TODAY)
    assert set(stats) == {"en", "es", "ar", "zh_Hans"}
    for figures in stats.values():
        assert {"modules", "decision_aids", "glossary_terms", "reading_grade"} <= set(figures)
        assert {"median_grade", "average_sentence_words", "texts", "formula"} <= set(figures)
    en, es, ar = stats["en"], stats["es"], stats["ar"]
    assert (en["modules"], en["decision_aids"], en["glossary_terms"]) == (2, 1, 2)
    assert (es["modules"], es["decision_aids"], es["glossary_terms"]) == (2, 1, 1)
    assert (ar["modules"], ar["decision_aids"], ar["glossary_terms"]) == (2, 0, 0)
    assert set(en["reading_grade"]) == {
        "module/biomarker-testing",
        "module/germline",
        "glossary",
        "decision-aid/first-treatment/summary",
        "decision-aid/first-treatment/options",
    }
    assert all(isinstance(grade, float) for grade in en["reading_grade"].values())
    assert all(grade is None for grade in ar["reading_grade"].values())
    assert ar["median_grade"] is None and ar["average_sentence_words"] > 0
    assert en["formula"] == "Flesch-Kincaid" and es["formula"] == "Crawford"
    json.dumps(stats)  # plain JSON types only


def test_stats_command_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sdm_app.cli import main

    files: dict[str, str | bytes] = dict(valid_files())
    files.update(aid_files())
    folder = write_pack(tmp_path / "pack", files)
    assert main(["content", "stats", str(folder), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["es"]["decision_aids"] == 1
    assert printed["ar"]["reading_grade"]["module/germline"] is None
    assert main(["content", "stats", str(folder)]) == 0
    text = capsys.readouterr().out
    assert "decision-aid/first-treatment/summary" in text
    assert main(["content", "stats", str(tmp_path / "nowhere")]) == 1
