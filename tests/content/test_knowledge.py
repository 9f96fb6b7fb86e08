"""The clinical knowledge files: read, checked with file and line, stored, read back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sdm_app.content.build import build_content_db
from sdm_app.content.problems import format_problem
from sdm_app.content.validate import check_content
from sdm_app.core.classification import SCHEMES
from sdm_app.core.knowledge import Knowledge
from sdm_app.storage.content_db import ContentLibrary

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "content" / "core"
SOURCE = Path("knowledge") / "knowledge.en.yaml"


@pytest.fixture()
def pack(tmp_path: Path) -> Path:
    folder = tmp_path / "core"
    shutil.copytree(CORE, folder)
    return folder


def _edit(pack: Path, old: str, new: str, name: Path = SOURCE) -> None:
    path = pack / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(pack: Path) -> list[str]:
    return [format_problem(p) for p in check_content(pack).problems if p.is_error]


def _line_of(pack: Path, text: str, name: Path = SOURCE) -> int:
    lines = (pack / name).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if text in line)


def test_the_bundled_knowledge_is_clean_and_explains_every_class() -> None:
    checked = check_content(CORE)
    assert not checked.errors
    (pack,) = checked.packs
    source = next(doc for doc in pack.knowledge if doc.is_source)
    levels = {rule.id for rule in source.rules if rule.section == "levels"}
    assert levels == {f"{s.id}.{c.code.upper()}" for s in SCHEMES for c in s.classes}
    # Every rule names at least one source the file lists.
    listed = {s.id for s in source.sources}
    for rule in source.rules:
        assert rule.sources and {s for s, _line in rule.sources} <= listed, rule.id


@pytest.mark.parametrize(
    ("old", "new", "rule", "words"),
    [
        ("effect: early\n", "effect: maybe\n", "schema", "effect 'maybe'"),
        ("germline_follow_up: any-tumour", "germline_follow_up: always", "schema", "'always'"),
        ("sources: [amstutz-2018]", "sources: [nobody-2020]", "unknown-source", "nobody-2020"),
        ("modules: [gene-egfr]", "modules: [gene-egfr-missing]", "unknown-module-link", "missing"),
        ("tumour_types: [melanoma]", "tumour_types: [skin]", "schema", "tumour type 'skin'"),
        (
            "        meaning: early-evidence\n",
            "        meaning: guesswork\n",
            "schema",
            "guesswork",
        ),
        ("      - code: IID\n", "      - code: IIE\n", "schema", "no class 'IIE'"),
        ("  - scheme: oncokb\n", "  - scheme: oncokb-2099\n", "schema", "oncokb-2099"),
    ],
)
def test_a_broken_rule_names_its_file_line_and_field(
    pack: Path, old: str, new: str, rule: str, words: str
) -> None:
    _edit(pack, old, new)
    line = _line_of(pack, new.strip())
    found = [p for p in _problems(pack) if f": {rule}: " in p and words in p]
    assert found, _problems(pack)
    assert any(p.startswith(f"{pack / SOURCE}:{line}:") for p in found), found


def test_a_rule_without_sources_and_a_missing_class_are_errors(pack: Path) -> None:
    _edit(pack, "    sources: [goetz-2018, crews-2021, bell-2017]\n", "")
    _edit(
        pack,
        "      - code: IND\n        meaning: metabolism-unknown\n",
        "      - code: NM\n        meaning: metabolism-normal\n",
    )
    problems = _problems(pack)
    assert any("'CYP2D6' gives no sources" in p for p in problems), problems
    assert any("class 'IND' of cpic-2017" in p for p in problems), problems


def test_a_translation_is_checked_against_its_source(pack: Path) -> None:
    spanish = Path("knowledge") / "knowledge.es.yaml"
    path = pack / spanish
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("texts:\n", 'texts:\n  meanings.not-a-meaning: "Texto"\n', 1).replace(
            "translation_of: 2", "translation_of: 7"
        ),
        encoding="utf-8",
    )
    problems = _problems(pack)
    assert any("no text 'meanings.not-a-meaning'" in p for p in problems), problems
    assert any("translation_of is 7" in p for p in problems), problems


def test_a_translated_number_must_match(pack: Path) -> None:
    spanish = Path("knowledge") / "knowledge.es.yaml"
    lines = (pack / spanish).read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("  levels.oncokb.1:"))
    lines[index] = '  levels.oncokb.1: "Nivel 2: un medicamento aprobado."'
    (pack / spanish).write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = _problems(pack)
    assert any(f"{pack / spanish}:{index + 1}: number-mismatch" in p for p in problems), problems


def test_knowledge_is_stored_per_language_and_read_back(tmp_path: Path) -> None:
    out = tmp_path / "content.db"
    report = build_content_db(ROOT / "content", out)
    assert report.knowledge_rules > 0
    with ContentLibrary.open(out) as library:
        english, spanish, german = (library.knowledge(code) for code in ("en", "es", "de"))
    assert not english.empty
    level = ("esmo-escat-2018", "I-A")
    assert english.levels[level].text.locale == "en"
    assert spanish.levels[level].text.locale == "es"
    assert spanish.levels[level].text.status == "machine-assisted"
    assert german.levels[level].text.locale == "en"  # no German: the source, marked so
    # Words for types of cancer count in every language, whatever the card's language.
    assert english.contexts_for(["BRAF"], ["p.V600E"], "sequence_variant", "cáncer colorrectal")
    assert english.says_nothing_found("no detectado")


def test_a_damaged_row_is_left_out_not_raised(tmp_path: Path) -> None:
    import sqlite3

    out = tmp_path / "content.db"
    build_content_db(ROOT / "content", out)
    with sqlite3.connect(out) as db:
        db.execute('UPDATE knowledge SET body = \'{"levels": [{"scheme": 1}]}\'')
    with ContentLibrary.open(out) as library:
        assert library.knowledge("en") == Knowledge()


def test_names_and_phrases_match_as_whole_words() -> None:
    from sdm_app.core.knowledge import has_phrase

    assert has_phrase("p.(Val600Glu)", "Val600Glu")
    assert not has_phrase("p.V600EX", "V600E")
    assert has_phrase("Metastatic colorectal carcinoma", "colorectal")
    assert not has_phrase("colonoscopy finding", "colon")
    assert has_phrase("转移性结直肠癌", "结直肠")


def test_only_a_line_that_starts_by_saying_so_means_nothing_was_found() -> None:
    from tests.bundled_knowledge import bundled_knowledge

    knowledge = bundled_knowledge()
    for text in ("wild type", "Negative", "No mutations found in exons 18-21", "not detected."):
        assert knowledge.says_nothing_found(text), text
    for text in ("p.L858R; T790M negative", "L858R", ""):
        assert not knowledge.says_nothing_found(text), text


def test_a_negated_biomarker_word_is_never_read_as_positive() -> None:
    from tests.bundled_knowledge import bundled_knowledge

    knowledge = bundled_knowledge()
    msi, tmb, hrd = (knowledge.biomarker(name) for name in ("MSI", "TMB", "HRD"))
    assert msi is not None and tmb is not None and hrd is not None
    unclear = [
        (msi, "MSI-High not detected"),
        (msi, "No loss of nuclear expression of MMR proteins"),
        (tmb, "TMB not high"),
    ]
    for rule, text in unclear:
        assert knowledge.biomarker_state(rule, [text]) == "", text
    assert knowledge.biomarker_state(msi, ["MSI-H"]) == "positive"
    assert knowledge.biomarker_state(msi, ["MSS"]) == "negative"
    assert knowledge.biomarker_state(hrd, ["HRD negative"]) == "negative"
