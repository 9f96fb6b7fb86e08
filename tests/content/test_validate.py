from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from packfactory import (
    BIOMARKER_EN,
    BIOMARKER_ES,
    GLOSSARY_EN,
    GLOSSARY_ES,
    PACK_YAML,
    TOPICS_YAML,
    replace_line,
    valid_files,
    write_pack,
)

from sdm_app.content.problems import RULES, Problem, format_problem
from sdm_app.content.validate import validate_path

TODAY = date(2026, 11, 21)
EN = "modules/biomarker-testing.en.md"
ES = "modules/biomarker-testing.es.md"


def check(tmp_path: Path, changes: dict[str, str | bytes | None]) -> list[str]:
    files: dict[str, str | bytes] = dict(valid_files())
    for relative, text in changes.items():
        if text is None:
            files.pop(relative)
        else:
            files[relative] = text
    folder = write_pack(tmp_path / "pack", files)
    return [format_problem(p) for p in validate_path(folder, TODAY)]


def has(lines: list[str], tmp_path: Path, relative: str, line: int, rule: str) -> bool:
    prefix = f"{tmp_path / 'pack' / relative}:{line}: {rule}: "
    return any(text.startswith(prefix) for text in lines)


def test_valid_pack_has_no_problems(tmp_path: Path) -> None:
    assert check(tmp_path, {}) == []


def test_content_root_and_single_pack(tmp_path: Path) -> None:
    write_pack(tmp_path / "content" / "core")
    assert validate_path(tmp_path / "content", TODAY) == []
    assert validate_path(tmp_path / "content" / "core", TODAY) == []


def test_format_problem() -> None:
    error = Problem("a.md", 4, "stale-translation", "old\nversion")
    warning = Problem("a.md", 12, "review-overdue", "due", "warning")
    assert format_problem(error) == "a.md:4: stale-translation: old version"
    assert format_problem(warning) == "a.md:12: review-overdue: warning: due"


@pytest.mark.parametrize(
    ("relative", "changes", "line", "rule"),
    [
        ("pack.yaml", {"pack.yaml": "id: [test\nname: x\n"}, 2, "yaml-syntax"),
        (EN, {EN: replace_line(BIOMARKER_EN, 7, "title: a: b")}, 7, "yaml-syntax"),
        (EN, {EN: "no header here\n"}, 1, "yaml-syntax"),
        (EN, {EN: b"\xff\xfe\x00\x01binary"}, 1, "encoding"),
        (EN, {EN: "---\nid: x\n".encode("latin-1") + b"title: caf\xe9\n---\n"}, 1, "encoding"),
        (EN, {EN: replace_line(BIOMARKER_EN, 6, "audience: patient")}, 6, "schema"),
        (EN, {EN: replace_line(BIOMARKER_EN, 7, "title: x\ncolour: red")}, 8, "schema"),
        (EN, {EN: replace_line(BIOMARKER_EN, 3, "version: three")}, 3, "schema"),
        (EN, {EN: replace_line(BIOMARKER_EN, 10, "  reviewed_on: 1 October")}, 10, "schema"),
        (EN, {EN: replace_line(BIOMARKER_EN, 2, "id: other")}, 2, "schema"),
        (EN, {EN: replace_line(BIOMARKER_EN, 4, "status: reviewed")}, 4, "schema"),
        ("pack.yaml", {"pack.yaml": "- a list\n- not a mapping\n"}, 1, "schema"),
        (EN, {EN: replace_line(BIOMARKER_EN, 7, "title:")}, 7, "required-field"),
        (EN, {EN: replace_line(BIOMARKER_EN, 8, "")}, 2, "required-field"),
        (EN, {EN: replace_line(BIOMARKER_EN, 17, "")}, 15, "required-field"),
        ("pack.yaml", {"pack.yaml": ""}, 1, "required-field"),
        (
            "pack.yaml",
            {"pack.yaml": replace_line(PACK_YAML, 5, "locales: [en, es, ar, zh_Hans, xx]")},
            5,
            "invalid-locale",
        ),
        (
            "pack.yaml",
            {"pack.yaml": replace_line(PACK_YAML, 5, "locales: [en, es, ar, zh-Hans]")},
            5,
            "invalid-locale",
        ),
        (
            "modules/biomarker-testing.fr.md",
            {"modules/biomarker-testing.fr.md": BIOMARKER_ES},
            1,
            "invalid-locale",
        ),
        (
            "topics.yaml",
            {"topics.yaml": TOPICS_YAML + "      pt_BR: O básico\n"},
            8,
            "invalid-locale",
        ),
        (
            "topics.yaml",
            {"topics.yaml": TOPICS_YAML + "  - id: basics\n    title:\n      en: Again\n"},
            8,
            "duplicate-id",
        ),
        (
            "glossary/en.yaml",
            {"glossary/en.yaml": GLOSSARY_EN.replace("id: target", "id: dna")},
            8,
            "duplicate-id",
        ),
        (EN, {EN: replace_line(BIOMARKER_EN, 19, "  - id: nci")}, 19, "duplicate-id"),
        (EN, {EN: replace_line(BIOMARKER_EN, 5, "topic: nowhere")}, 5, "unknown-topic"),
        (EN, {EN: BIOMARKER_EN + "\nSee [this](module:nowhere).\n"}, 39, "unknown-module-link"),
        (EN, {EN: BIOMARKER_EN + "\nA [[nothing|thing]].\n"}, 39, "unknown-glossary-term"),
        (
            EN,
            {EN: replace_line(BIOMARKER_EN, 28, "It can find a [[target]] [@nobody].")},
            28,
            "unknown-source",
        ),
        (EN, {EN: BIOMARKER_EN + "\nIt takes 5 days.\n"}, 39, "number-without-source"),
        (EN, {EN: BIOMARKER_EN + "\nWords first,\nthen 12.5 mg.\n"}, 40, "number-without-source"),
        (EN, {EN: BIOMARKER_EN + "\n- one item\n- 1 in 8 people\n"}, 40, "number-without-source"),
        (
            EN,
            {EN: BIOMARKER_EN + "\n| a | b |\n|---|---|\n| x | 40% |\n"},
            41,
            "number-without-source",
        ),
        (EN, {EN: BIOMARKER_EN + "\n## Stage 4\n"}, 39, "number-without-source"),
        (
            "glossary/en.yaml",
            {"glossary/en.yaml": GLOSSARY_EN.replace("act on.", "act on in 30% of cases.")},
            12,
            "number-without-source",
        ),
        (
            ES,
            {ES: replace_line(BIOMARKER_ES, 16, "Tardan de 3 a 4 semanas [@mosele-2020].")},
            16,
            "number-mismatch",
        ),
        (
            ES,
            {ES: replace_line(BIOMARKER_ES, 18, "- Alrededor del 31 % [@mosele-2020].")},
            18,
            "number-mismatch",
        ),
        (ES, {ES: replace_line(BIOMARKER_ES, 4, "translation_of: 2")}, 4, "stale-translation"),
        (
            "glossary/es.yaml",
            {"glossary/en.yaml": GLOSSARY_EN.replace("version: 1", "version: 2")},
            4,
            "stale-translation",
        ),
        (
            "modules/ghost.es.md",
            {"modules/ghost.es.md": BIOMARKER_ES.replace("biomarker-testing", "ghost")},
            1,
            "orphan-translation",
        ),
        (
            "glossary/es.yaml",
            {"glossary/es.yaml": GLOSSARY_ES.replace("id: dna", "id: rna")},
            4,
            "orphan-translation",
        ),
        (EN, {EN: BIOMARKER_EN + "\n[click](javascript:alert(1))\n"}, 39, "unsafe-link"),
        (EN, {EN: BIOMARKER_EN + "\n[file](file:///etc/passwd)\n"}, 39, "unsafe-link"),
        (EN, {EN: BIOMARKER_EN + "\n[plain](http://example.org)\n"}, 39, "unsafe-link"),
        (EN, {EN: BIOMARKER_EN + "\n![x](https://example.org/a.png)\n"}, 39, "unsafe-link"),
        (
            EN,
            {EN: replace_line(BIOMARKER_EN, 17, "    url: http://www.cancer.gov/")},
            17,
            "unsafe-link",
        ),
    ],
)
def test_rule_reported_at_file_and_line(
    tmp_path: Path, relative: str, changes: dict[str, str | bytes], line: int, rule: str
) -> None:
    lines = check(tmp_path, dict(changes))
    assert has(lines, tmp_path, relative, line, rule), "\n".join(lines)


def test_review_overdue_is_a_warning(tmp_path: Path) -> None:
    lines = check(tmp_path, {EN: replace_line(BIOMARKER_EN, 12, "  next_review: 2020-01-01")})
    expected = f"{tmp_path / 'pack' / EN}:12: review-overdue: warning: "
    assert [text for text in lines if text.startswith(expected)], lines
    problems = validate_path(tmp_path / "pack", TODAY)
    assert all(p.severity == "warning" for p in problems)


def test_names_and_mutations_are_not_numbers(tmp_path: Path) -> None:
    body = "\nBRCA2, V600E, T790M, 5-FU, COVID-19 and PD-L1 are names.\n"
    assert check(tmp_path, {EN: BIOMARKER_EN + body}) == []


def test_every_rule_is_documented() -> None:
    readme = (Path(__file__).resolve().parents[2] / "content" / "README.md").read_text("utf-8")
    for rule in RULES:
        assert f"`{rule}`" in readme, rule


def test_missing_folder(tmp_path: Path) -> None:
    problems = validate_path(tmp_path / "nowhere", TODAY)
    assert problems and problems[0].is_error


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x00\x01\x02\xff" * 100,
        b"\xef\xbb\xbf---\n---\n",
        b"---\n- a\n- b\n---\nbody\n",
        b"---\n&a [*a]\n---\n",
        b"---\n" + b"[" * 5000 + b"\n---\n",
        b"---\nid: !!python/object:os.system echo\n---\n",
        b"---\nid: biomarker-testing\nversion: 3\nversion: 4\n---\n",
        b"---\n? [complex, key]\n: value\n---\n",
        b"---\nreviewed_on: 2026-13-45\n---\n",
        "---\ntitle: \u202e\u0000\n---\n".encode(),
        b"---\r\nid: x\r\n---\r\n\r\n# Title\r",
    ],
)
def test_bad_files_become_problems(tmp_path: Path, content: bytes) -> None:
    for relative in (EN, "pack.yaml", "topics.yaml", "glossary/en.yaml"):
        folder = tmp_path / relative.replace("/", "_")
        files: dict[str, str | bytes] = dict(valid_files())
        files[relative] = content
        write_pack(folder, files)
        problems = validate_path(folder, TODAY)
        assert problems, relative
        assert all(p.rule in RULES for p in problems)
        assert not any("check failed unexpectedly" in p.message for p in problems)


def test_naughty_strings_never_crash(tmp_path: Path, blns: list[str]) -> None:
    body = "\n\n".join(f"- {text} [@nci]" for text in blns)
    header_values = [text.replace("\n", " ") for text in blns[:200]]
    files: dict[str, str | bytes] = dict(valid_files())
    files[EN] = BIOMARKER_EN + "\n" + body + "\n"
    for number, text in enumerate(header_values):
        files[f"modules/n{number}.en.md"] = BIOMARKER_EN.replace(
            "id: biomarker-testing", f"id: n{number}"
        ).replace("title: Biomarker testing", f"title: {text}")
    folder = write_pack(tmp_path / "pack", files)
    problems = validate_path(folder, TODAY)
    assert not any("check failed unexpectedly" in p.message for p in problems)
    assert all(p.rule in RULES for p in problems)
    for p in problems:
        assert "\n" not in format_problem(p)


def test_a_block_with_too_many_emphasis_marks_is_refused_before_parsing(tmp_path: Path) -> None:
    # 50,000 stars around a word: Markdown's emphasis matching, and the reading view's
    # layout of what it makes, take time with the square of it.
    text = (
        BIOMARKER_EN.rstrip("\n") + "\n\nLine one.\n" + "*" * 25_000 + "word" + "*" * 25_000 + "\n"
    )
    line = text.count("\n", 0, text.index("Line one.")) + 1
    lines = check(tmp_path, {EN: text})
    assert has(lines, tmp_path, EN, line, "too-complex"), lines
    assert any("50015 characters" in found for found in lines)
    # Under the size limit, the marks alone are too many.
    marks = BIOMARKER_EN.rstrip("\n") + "\n\n" + "*" * 500 + "word" + "*" * 500 + "\n"
    assert any("1000 emphasis marks" in found for found in check(tmp_path / "b", {EN: marks}))


def test_line_numbers_stay_right_in_a_long_block(tmp_path: Path) -> None:
    # Many terms in one paragraph: each is found at its own line.
    body = "\n".join(f"Word [[nosuch{n}]] here." for n in range(300))
    text = BIOMARKER_EN.rstrip("\n") + "\n\n" + body + "\n"
    first = text.count("\n", 0, text.index("[[nosuch0]]")) + 1
    lines = check(tmp_path, {EN: text})
    for n in (0, 150, 299):
        assert has(lines, tmp_path, EN, first + n, "unknown-glossary-term"), n


def test_a_module_too_long_to_read_at_once_is_refused(tmp_path: Path) -> None:
    from sdm_app.content.markdown import MAX_MODULE_CHARS

    paragraph = "Plain words about what a test result may mean for you and your family. " * 20
    count = MAX_MODULE_CHARS // len(paragraph) + 2
    text = BIOMARKER_EN.rstrip("\n") + "\n\n" + "\n\n".join([paragraph] * count) + "\n"
    lines = check(tmp_path, {EN: text})
    assert any(
        "too-complex" in found and "split it into several modules" in found for found in lines
    )
    shorter = BIOMARKER_EN.rstrip("\n") + "\n\n" + "\n\n".join([paragraph] * 10) + "\n"
    assert not any("several modules" in found for found in check(tmp_path / "b", {EN: shorter}))


def test_a_module_with_too_much_emphasis_in_all_is_refused(tmp_path: Path) -> None:
    from sdm_app.content.markdown import MAX_EMPHASIS_MARKS, MAX_MODULE_EMPHASIS_MARKS

    block = "*a* " * (MAX_EMPHASIS_MARKS // 4)  # within the limit of one block
    count = MAX_MODULE_EMPHASIS_MARKS // (block.count("*")) + 1
    text = BIOMARKER_EN.rstrip("\n") + "\n\n" + "\n\n".join([block] * count) + "\n"
    lines = check(tmp_path, {EN: text})
    assert any("emphasis marks" in found and "several modules" in found for found in lines)
