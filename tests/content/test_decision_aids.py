from __future__ import annotations

import socket
from datetime import date
from pathlib import Path

import pytest
import yaml
from aidfactory import AID, AID_EN, AID_ES, AID_TRANSLATION, SUPPORT_EN, aid_files
from packfactory import PACK_YAML, replace_line, valid_files, write_pack

from sdm_app.content.problems import RULES, format_problem
from sdm_app.content.validate import validate_path

TODAY = date(2026, 11, 21)
SUPPORT = "support/directory.en.yaml"


def files_with(changes: dict[str, str | bytes | None]) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = dict(valid_files())
    files.update(aid_files())
    for relative, text in changes.items():
        if text is None:
            files.pop(relative, None)
        else:
            files[relative] = text
    return files


def check(tmp_path: Path, changes: dict[str, str | bytes | None]) -> list[str]:
    folder = write_pack(tmp_path / "pack", files_with(changes))
    return [format_problem(p) for p in validate_path(folder, TODAY)]


def has(lines: list[str], tmp_path: Path, relative: str, line: int, rule: str) -> bool:
    prefix = f"{tmp_path / 'pack' / relative}:{line}: {rule}: "
    return any(text.startswith(prefix) for text in lines)


def lines_replaced(text: str, replacements: dict[int, str]) -> str:
    for number, new in replacements.items():
        text = replace_line(text, number, new)
    return text


def test_valid_decision_aid_has_no_problems(tmp_path: Path) -> None:
    assert check(tmp_path, {}) == []


def test_unbalanced_decision_aid_one_line_per_problem(tmp_path: Path) -> None:
    """A harm missing, different denominators and a number without a source."""
    unbalanced = lines_replaced(
        AID_EN,
        {
            43: "      - Works well in 30% of people.",
            56: "",
            57: "",
            65: AID_EN.split("\n")[64].replace("denominator: 100", "denominator: 1000"),
        },
    )
    lines = check(tmp_path, {AID: unbalanced, AID_TRANSLATION: None})
    file = tmp_path / "pack" / AID
    assert [line.split(": ")[0:2] for line in lines] == [
        [f"{file}:43", "number-without-source"],
        [f"{file}:47", "ipdas-benefit-harm"],
        [f"{file}:65", "ipdas-comparable-outcomes"],
    ], "\n".join(lines)
    assert "1000" in lines[2] and "100" in lines[2]


EN_CASES: list[tuple[str, dict[int, str], int, str]] = [
    ("title a: b", {4: "title: a: b"}, 4, "yaml-syntax"),
    ("audience text", {6: "audience: patient"}, 6, "schema"),
    ("kind", {60: "    kind: maybe"}, 60, "schema"),
    ("version", {2: "version: two"}, 2, "schema"),
    ("no_action text", {49: "    no_action: sometimes"}, 49, "schema"),
    ("ranked value", {78: "      tablets: 1"}, 78, "schema"),
    ("question empty", {5: "question:"}, 5, "required-field"),
    ("attribute question", {34: "    question:"}, 34, "required-field"),
    (
        "figure without reason",
        {65: "      wait: {numerator: null, denominator: 100, time_frame: 3 years}"},
        65,
        "required-field",
    ),
    ("duplicate option", {47: "  - id: tablets"}, 47, "duplicate-id"),
    ("duplicate attribute", {33: "  - id: how-given"}, 33, "duplicate-id"),
    (
        "module link",
        {13: "  This page compares them [@trial-2020]. See [x](module:nowhere)."},
        13,
        "unknown-module-link",
    ),
    ("term in summary", {11: "  A [[nothing]] change."}, 11, "unknown-glossary-term"),
    ("term in benefit", {43: "      - Works on the [[nothing]]."}, 43, "unknown-glossary-term"),
    ("cite in summary", {13: "  This page compares them [@nobody]."}, 13, "unknown-source"),
    ("cite in answer", {41: "      how-often: Monthly [@nobody]."}, 41, "unknown-source"),
    ("number in benefit", {43: "      - Works in 30% of people."}, 43, "number-without-source"),
    ("number in harm", {46: "      - Rash in 1 in 8 people."}, 46, "number-without-source"),
    ("number in answer", {53: "      how-often: Every 3 months."}, 53, "number-without-source"),
    ("number in summary", {11: "  There are 2 treatments."}, 11, "number-without-source"),
    ("http link", {13: "  See [this](http://example.org)."}, 13, "unsafe-link"),
    ("overdue", {17: "  next_review: 2020-01-01"}, 17, "review-overdue"),
    ("one option", {n: "" for n in range(47, 58)}, 35, "ipdas-options"),
    ("no harm", {45: "", 46: ""}, 36, "ipdas-benefit-harm"),
    ("no benefit", {54: "", 55: ""}, 47, "ipdas-benefit-harm"),
    ("answer missing", {41: ""}, 39, "ipdas-attribute-answers"),
    ("answer unknown", {41: "      how-long: Monthly."}, 41, "ipdas-attribute-answers"),
    ("no answers", {51: "", 52: "", 53: ""}, 47, "ipdas-attribute-answers"),
    (
        "denominators",
        {65: AID_EN.split("\n")[64].replace("denominator: 100", "denominator: 1000")},
        65,
        "ipdas-comparable-outcomes",
    ),
    (
        "time frames",
        {65: AID_EN.split("\n")[64].replace("3 years", "5 years")},
        65,
        "ipdas-comparable-outcomes",
    ),
    ("option missing from outcome", {65: ""}, 63, "ipdas-comparable-outcomes"),
    (
        "unknown option in outcome",
        {65: AID_EN.split("\n")[64].replace("wait:", "later:")},
        65,
        "ipdas-comparable-outcomes",
    ),
    (
        "figure without source",
        {64: AID_EN.split("\n")[63].replace(", source: trial-2020", "")},
        64,
        "ipdas-probability-source",
    ),
    (
        "figure without certainty",
        {64: AID_EN.split("\n")[63].replace(" certainty: moderate,", "")},
        64,
        "ipdas-probability-source",
    ),
    (
        "figure with unknown source",
        {64: AID_EN.split("\n")[63].replace("source: trial-2020", "source: nobody")},
        64,
        "ipdas-probability-source",
    ),
    (
        "harm time frames",
        {73: AID_EN.split("\n")[72].replace("3 years", "5 years")},
        73,
        "ipdas-comparable-outcomes",
    ),
    (
        "harm denominators",
        {73: AID_EN.split("\n")[72].replace("denominator: 100", "denominator: 1000")},
        73,
        "ipdas-comparable-outcomes",
    ),
    (
        "figure without certainty reason",
        {64: AID_EN.split("\n")[63].replace(" certainty_reason: One large randomised trial,", "")},
        64,
        "figure-without-certainty-reason",
    ),
    (
        "harm figure without certainty reason",
        {73: AID_EN.split("\n")[72].replace(" certainty_reason: One small trial; open-label,", "")},
        73,
        "figure-without-certainty-reason",
    ),
    (
        "term in certainty reason",
        {
            64: AID_EN.split("\n")[63].replace(
                "One large randomised trial", '"One [[nothing]] trial"'
            )
        },
        64,
        "unknown-glossary-term",
    ),
    ("comparator not an option", {70: "    comparator: later"}, 70, "comparator-mismatch"),
    (
        "comparator with another denominator",
        {73: AID_EN.split("\n")[72].replace("denominator: 100", "denominator: 1000")},
        70,
        "comparator-mismatch",
    ),
    (
        "comparator with another time frame",
        {72: AID_EN.split("\n")[71].replace("3 years", "5 years")},
        70,
        "comparator-mismatch",
    ),
    (
        "comparator without a figure",
        {62: AID_EN.split("\n")[61] + "\n    comparator: wait"},
        63,
        "comparator-mismatch",
    ),
    (
        "no harm figure for the first option",
        {n: "" for n in range(66, 74)},
        36,
        "option-without-harm-figure",
    ),
    (
        "no harm figure for the second option",
        {n: "" for n in range(66, 74)},
        47,
        "option-without-harm-figure",
    ),
    ("a benefit is not a harm", {67: "    kind: benefit"}, 47, "option-without-harm-figure"),
    ("no funding", {21: ""}, 19, "ipdas-disclosure"),
    ("no disclosure", {n: "" for n in range(19, 25)}, 1, "ipdas-disclosure"),
    ("no no-action option", {49: ""}, 35, "ipdas-no-action"),
]


@pytest.mark.parametrize(
    ("replacements", "line", "rule"),
    [case[1:] for case in EN_CASES],
    ids=[case[0] for case in EN_CASES],
)
def test_source_rule_at_file_and_line(
    tmp_path: Path, replacements: dict[int, str], line: int, rule: str
) -> None:
    lines = check(tmp_path, {AID: lines_replaced(AID_EN, replacements)})
    assert has(lines, tmp_path, AID, line, rule), "\n".join(lines)


def test_no_action_reason_satisfies_the_rule(tmp_path: Path) -> None:
    text = lines_replaced(AID_EN, {49: ""}) + "no_action_reason: Waiting would let it grow.\n"
    assert check(tmp_path, {AID: text, AID_TRANSLATION: None}) == []


WAIT_WITHOUT_HARM_FIGURE = (
    "      wait: {numerator: null, denominator: 100, time_frame: 3 years,"
    " missing_reason: No trial counted side effects of waiting.}"
)


def test_a_stated_reason_stands_for_a_harm_figure(tmp_path: Path) -> None:
    text = lines_replaced(AID_EN, {70: "    comparator: tablets", 73: WAIT_WITHOUT_HARM_FIGURE})
    assert check(tmp_path, {AID: text}) == []


def test_a_harm_without_figure_or_reason_is_reported(tmp_path: Path) -> None:
    """Only the option left with neither a number nor a reason is named."""
    no_reason = WAIT_WITHOUT_HARM_FIGURE.split(", missing_reason")[0] + "}"
    text = lines_replaced(AID_EN, {70: "", 73: no_reason})
    lines = check(tmp_path, {AID: text, AID_TRANSLATION: None})
    assert has(lines, tmp_path, AID, 47, "option-without-harm-figure"), "\n".join(lines)
    assert not has(lines, tmp_path, AID, 36, "option-without-harm-figure"), "\n".join(lines)


def test_only_compared_figures_need_the_comparators_frame(tmp_path: Path) -> None:
    """A figure with no number is not compared: no comparator-mismatch for it."""
    text = lines_replaced(
        AID_EN,
        {
            70: "    comparator: tablets",
            73: WAIT_WITHOUT_HARM_FIGURE.replace("denominator: 100", "denominator: 1000"),
        },
    )
    lines = check(tmp_path, {AID: text})
    assert has(lines, tmp_path, AID, 73, "ipdas-comparable-outcomes"), "\n".join(lines)
    assert not any(": comparator-mismatch: " in line for line in lines), "\n".join(lines)


def test_review_overdue_is_a_warning(tmp_path: Path) -> None:
    lines = check(tmp_path, {AID: replace_line(AID_EN, 17, "  next_review: 2020-01-01")})
    assert lines == [f"{tmp_path / 'pack' / AID}:17: review-overdue: warning: "
                     "the review was due on 2020-01-01"]  # fmt: skip


@pytest.mark.parametrize(
    ("relative", "changes", "line", "rule"),
    [
        (AID, {AID: b"\x00\x01binary\xff"}, 1, "encoding"),
        (
            "decision-aids/first-treatment.fr.yaml",
            {"decision-aids/first-treatment.fr.yaml": AID_ES},
            1,
            "invalid-locale",
        ),
        (AID_TRANSLATION, {AID_TRANSLATION: replace_line(AID_ES, 2, "translation_of: 1")}, 2,
         "stale-translation"),
        (
            "decision-aids/ghost.es.yaml",
            {"decision-aids/ghost.es.yaml": AID_ES.replace("first-treatment", "ghost")},
            1,
            "orphan-translation",
        ),
        (AID_TRANSLATION, {AID_TRANSLATION: replace_line(AID_ES, 34, "  - id: later")}, 34,
         "orphan-translation"),
        (
            AID_TRANSLATION,
            {AID_TRANSLATION: replace_line(AID_ES, 30, "      - En 55 de 100 [@trial-2020].")},
            30,
            "number-mismatch",
        ),
        (
            AID_TRANSLATION,
            {AID_TRANSLATION: replace_line(AID_ES, 48, "      tablets: {time_frame: 5 años}")},
            48,
            "number-mismatch",
        ),
        (AID_TRANSLATION, {AID_TRANSLATION: lines_replaced(AID_ES, {31: "", 32: ""})}, 22,
         "ipdas-benefit-harm"),
        (
            AID_TRANSLATION,
            {AID_TRANSLATION: replace_line(AID_ES, 52, AID_ES.split("\n")[51]
                                           + "\n    comparator: tablets")},
            53,
            "comparator-mismatch",
        ),
        (
            AID_TRANSLATION,
            {
                AID: replace_line(AID_EN, 64, AID_EN.split("\n")[63].replace(
                    "One large randomised trial", "One trial of 556 people")),
                AID_TRANSLATION: replace_line(AID_ES, 48, AID_ES.split("\n")[47].replace(
                    "Un ensayo aleatorizado grande", "Un ensayo de 600 personas")),
            },
            48,
            "number-mismatch",
        ),
        (AID_TRANSLATION, {AID_TRANSLATION: replace_line(AID_ES, 27, "")}, 25,
         "ipdas-attribute-answers"),
        (AID_TRANSLATION, {AID_TRANSLATION: replace_line(AID_ES, 13, "")}, 10,
         "ipdas-disclosure"),
        (
            SUPPORT,
            {SUPPORT: replace_line(SUPPORT_EN, 7, "    url: http://example.org/egfr")},
            7,
            "unsafe-link",
        ),
        (SUPPORT, {SUPPORT: replace_line(SUPPORT_EN, 12, "  - id: egfr-group")}, 12,
         "duplicate-id"),
        (SUPPORT, {SUPPORT: replace_line(SUPPORT_EN, 8, "    biomarkers: EGFR")}, 8, "schema"),
        (SUPPORT, {SUPPORT: replace_line(SUPPORT_EN, 6, "    name:")}, 6, "required-field"),
        (
            "support/directory.xx.yaml",
            {"support/directory.xx.yaml": SUPPORT_EN},
            1,
            "invalid-locale",
        ),
        (
            "support/groups.yaml",
            {"support/groups.yaml": SUPPORT_EN},
            1,
            "schema",
        ),
    ],
)  # fmt: skip
def test_translation_and_support_rules(
    tmp_path: Path, relative: str, changes: dict[str, str | bytes], line: int, rule: str
) -> None:
    lines = check(tmp_path, dict(changes))
    assert has(lines, tmp_path, relative, line, rule), "\n".join(lines)


def test_translation_may_repeat_the_comparator(tmp_path: Path) -> None:
    es = replace_line(AID_ES, 52, AID_ES.split("\n")[51] + "\n    comparator: wait")
    assert check(tmp_path, {AID_TRANSLATION: es}) == []


def test_translation_needs_no_certainty_reason(tmp_path: Path) -> None:
    es = replace_line(AID_ES, 48, "      tablets: {time_frame: 3 años}")
    assert check(tmp_path, {AID_TRANSLATION: es}) == []


def test_translation_missing_an_option(tmp_path: Path) -> None:
    es = lines_replaced(AID_ES, {n: "" for n in range(33, 43)})
    lines = check(tmp_path, {AID_TRANSLATION: es})
    assert has(lines, tmp_path, AID_TRANSLATION, 22, "required-field"), "\n".join(lines)


def test_every_new_rule_is_known() -> None:
    for rule in (
        "ipdas-options",
        "ipdas-benefit-harm",
        "ipdas-attribute-answers",
        "ipdas-comparable-outcomes",
        "ipdas-probability-source",
        "ipdas-disclosure",
        "ipdas-no-action",
        "figure-without-certainty-reason",
        "comparator-mismatch",
        "option-without-harm-figure",
        "reading-grade",
        "sentence-length",
    ):
        assert rule in RULES


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"- a\n- b\n",
        b"options: 3\n",
        b"options: [1, 2]\nattributes: {a: b}\noutcomes: text\nvalues: [[x]]\n",
        b"outcomes:\n  - id: o\n    per_option: [a]\n",
        b"outcomes:\n  - id: o\n    per_option:\n      a: {numerator: [1], denominator: -1}\n",
        b"outcomes:\n  - id: o\n    per_option:\n      a: {numerator: .nan, denominator: 1.5}\n",
        b"options:\n  - id: a\n    answers: [x]\n    benefits: {a: b}\n    harms: [[x]]\n",
        b"disclosure: [a]\nsummary: {a: b}\n",
        b"&a [*a, *a]\n",
        b"id: !!binary aGVsbG8=\n",
        "title: \u202e\u0000\n".encode(),
    ],
)
def test_bad_decision_aid_files_become_problems(tmp_path: Path, content: bytes) -> None:
    for relative in (AID, AID_TRANSLATION, SUPPORT):
        folder = tmp_path / relative.replace("/", "_")
        files = files_with({relative: content})
        write_pack(folder, files)
        problems = validate_path(folder, TODAY)
        assert problems, relative
        assert all(p.rule in RULES for p in problems)
        assert not any("check failed unexpectedly" in p.message for p in problems), problems


def quote(text: str) -> str:
    """``text`` as one double-quoted YAML line, whatever it holds."""
    return str(yaml.safe_dump(text, default_style='"', width=10**9)).strip()


def writable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate cannot be in a UTF-8 file at all
        return False
    return True


def naughty_aid(blns: list[str]) -> str:
    """The valid aid with every naughty string as a cited benefit and a harm."""
    quoted = [quote(text + " [@trial-2020]") for text in blns if writable(text)]
    benefits = "\n".join(f"      - {text}" for text in quoted)
    text = str(AID_EN).replace(
        "      - Works well against this kind of change.\n", benefits + "\n", 1
    )
    return text.replace("      - The cancer may grow.\n", benefits + "\n", 1)


def test_naughty_strings_in_decision_aids_never_crash(tmp_path: Path, blns: list[str]) -> None:
    pack_yaml = PACK_YAML + "reading_grade_max: 8\nsentence_words_max: 20\n"
    titles = " ".join(t for t in blns[:50] if writable(t))
    blns_text = [t for t in blns if writable(t)]
    files = files_with(
        {
            "pack.yaml": pack_yaml,
            AID: naughty_aid(blns),
            AID_TRANSLATION: None,
            "decision-aids/titles.en.yaml": AID_EN.replace("id: first-treatment", "id: titles")
            .replace(
                "    description: A tablet taken at home every day.",
                f"    description: {quote(chr(10).join(blns_text))}",
            )
            .replace("title: Choosing a first treatment", f"title: {quote(titles)}")
            + f"no_action_reason: {quote(titles)}\n",
        }
    )
    folder = write_pack(tmp_path / "pack", files)
    problems = validate_path(folder, TODAY)
    assert not any("check failed unexpectedly" in p.message for p in problems)
    assert not any(p.rule in ("yaml-syntax", "schema") for p in problems), problems[:3]
    assert all(p.rule in RULES for p in problems)
    for problem in problems:
        assert "\n" not in format_problem(problem)


def test_checks_never_touch_the_network(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the content check tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    pack_yaml = PACK_YAML + "reading_grade_max: 1\nsentence_words_max: 3\n"
    lines = check(tmp_path, {"pack.yaml": pack_yaml})
    assert any(": reading-grade: " in line for line in lines)
