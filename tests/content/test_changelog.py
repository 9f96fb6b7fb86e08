"""A module's or decision aid's changelog: checked, built, and shown with the text."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from packfactory import BIOMARKER_EN, valid_files, write_pack

from sdm_app.content.build import build_content_db
from sdm_app.content.problems import format_problem
from sdm_app.content.validate import validate_path
from sdm_app.storage.content_db import ContentLibrary

TODAY = date(2026, 12, 8)
HEADER_END = "---\n\n## What the test looks for"


def _with_changelog(entries: str) -> str:
    text: str = BIOMARKER_EN
    assert text.count(HEADER_END) == 1
    return text.replace(HEADER_END, f"changelog:\n{entries}{HEADER_END}")


def _problems(tmp_path: Path, module_text: str) -> list[str]:
    files: dict[str, str | bytes] = dict(valid_files())
    files["modules/biomarker-testing.en.md"] = module_text
    folder = write_pack(tmp_path / "pack", files)
    return [
        format_problem(p)
        for p in validate_path(folder, TODAY)
        if p.rule in ("changelog", "changelog-missing", "schema")
    ]


def test_a_changelog_is_built_and_shown_newest_first(tmp_path: Path) -> None:
    from sdm_app.services.module_page import module_html

    text = _with_changelog(
        "  - version: 2\n    date: 2026-03-01\n    change: Results of a newer trial.\n"
        "  - version: 3\n    date: 2026-11-30\n    change: A new approval in Europe.\n"
    )
    assert _problems(tmp_path, text) == []
    files: dict[str, str | bytes] = dict(valid_files())
    files["modules/biomarker-testing.en.md"] = text
    folder = write_pack(tmp_path / "built" / "core", files)
    out = build_content_db(folder.parent, tmp_path / "content.db", today=TODAY)
    with ContentLibrary.open(out.path) as library:
        module = library.module("biomarker-testing", "en")
        assert module is not None
        assert [(c.version, c.day, c.text) for c in module.changelog] == [
            (3, date(2026, 11, 30), "A new approval in Europe."),
            (2, date(2026, 3, 1), "Results of a newer trial."),
        ]
        page = module_html(module, None, TODAY)
        assert "What changed" in page
        assert page.index("A new approval in Europe.") < page.index("Results of a newer trial.")
        # A translation shows no changelog: its words are the source's.
        spanish = library.module("biomarker-testing", "es")
        assert spanish is not None and spanish.translation_of is not None
        assert "What changed" not in module_html(spanish, None, TODAY)


def test_wrong_entries_are_named_by_line(tmp_path: Path) -> None:
    text = _with_changelog(
        "  - version: 4\n    date: 2026-03-01\n    change: A version that does not exist.\n"
        "  - version: 2\n    date: 2027-01-01\n    change: Dated in the future.\n"
        "  - version: 2\n    date: 2026-01-01\n    change: Twice.\n"
        "  - version: 3\n    date: 2026-01-01\n    note: an unknown field\n"
    )
    problems = _problems(tmp_path, text)
    start = text.split("\n").index("changelog:") + 1
    assert any(f":{start + 1}: changelog: " in p and "version 4" in p for p in problems), problems
    assert any(f":{start + 4}: changelog: " in p and "after today" in p for p in problems)
    assert any(f":{start + 7}: changelog: " in p and "twice" in p for p in problems)
    assert any("unknown field 'note'" in p for p in problems)
    assert any("'change' is missing" in p or "change" in p for p in problems)


def test_a_kept_changelog_needs_the_current_version(tmp_path: Path) -> None:
    text = _with_changelog("  - version: 2\n    date: 2026-03-01\n    change: Older news.\n")
    problems = _problems(tmp_path, text)
    assert len(problems) == 1 and "changelog-missing: warning: version 3" in problems[0]
    # A text with no changelog at all is not asked for its history.
    assert _problems(tmp_path / "none", BIOMARKER_EN) == []
