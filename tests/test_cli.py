"""The sdm-app command, run as users run it."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): (?P<rule>[a-z-]+): .+")


def sdm_app(
    *args: str, env_extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", **(env_extra or {}))
    return subprocess.run(
        [sys.executable, "-m", "sdm_app", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_bundled_content_is_valid() -> None:
    result = sdm_app("content", "validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert all("warning" in line for line in result.stdout.splitlines())


@pytest.fixture
def broken_pack(tmp_path: Path) -> Path:
    pack = tmp_path / "core"
    shutil.copytree(ROOT / "content" / "core", pack)
    modules = pack / "modules"
    first = sorted(modules.glob("*.en.md"))[0]
    text = first.read_text(encoding="utf-8")
    # A missing required field ...
    text = re.sub(r"^key_message:.*\n", "", text, count=1, flags=re.MULTILINE)
    # ... and a link to a module that does not exist.
    text += "\nSee [nothing](module:no-such-module).\n"
    first.write_text(text, encoding="utf-8")
    # A duplicate id: a second glossary entry with the id of the first.
    glossary = pack / "glossary" / "en.yaml"
    first_id = re.search(r"^  - id: (\S+)", glossary.read_text(encoding="utf-8"), re.MULTILINE)
    assert first_id is not None
    with glossary.open("a", encoding="utf-8") as handle:
        handle.write(f"  - id: {first_id[1]}\n    version: 1\n    term: Again\n")
        handle.write("    definition: Again.\n")
    return pack


def test_broken_pack_reports_file_line_and_rule(broken_pack: Path) -> None:
    result = sdm_app("content", "validate", str(broken_pack))
    assert result.returncode == 1
    problems = [LINE.match(line) for line in result.stdout.splitlines()]
    assert all(problems), result.stdout
    rules = {(Path(m["file"]).name, m["rule"]) for m in problems if m}
    first = sorted((broken_pack / "modules").glob("*.en.md"))[0].name
    assert (first, "required-field") in rules
    assert (first, "unknown-module-link") in rules
    assert ("en.yaml", "duplicate-id") in rules
    link_line = next(m for m in problems if m and m["rule"] == "unknown-module-link")
    source_lines = (broken_pack / "modules" / first).read_text(encoding="utf-8").splitlines()
    assert "no-such-module" in source_lines[int(link_line["line"]) - 1]


def test_build_writes_a_searchable_database(tmp_path: Path) -> None:
    out = tmp_path / "content.db"
    result = sdm_app("content", "build", "--out", str(out))
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(out) as connection:
        names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert any("fts" in name for name in names)


def test_build_refuses_a_broken_pack_and_keeps_the_old_database(
    tmp_path: Path, broken_pack: Path
) -> None:
    out = tmp_path / "content.db"
    out.write_bytes(b"previous")
    result = sdm_app("content", "build", "--source", str(broken_pack.parent), "--out", str(out))
    assert result.returncode == 1
    assert "required-field" in result.stderr
    assert out.read_bytes() == b"previous"


def test_app_starts_and_quits_when_told(tmp_path: Path) -> None:
    result = sdm_app("run", "--quit-after-show", env_extra={"SDM_APP_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "user.db").is_file()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_screenshots_of_every_page(tmp_path: Path, language: str) -> None:
    result = sdm_app(
        "screenshots", "--locale", language, "--out", str(tmp_path / language), "--text-size", "200"
    )
    assert result.returncode == 0, result.stderr
    names = sorted(path.name for path in (tmp_path / language).glob("*.png"))
    steps = ["visit", "results", "options", "values", "ready", "summary", "patient-view"]
    expected = [
        "consultations.png",
        *(f"consultation-{step}.png" for step in steps),
        "decision-aid.png",
        "library.png",
        "module.png",
        "search.png",
        "settings.png",
        "start.png",
        "import-preview.png",
        "pdf-preview.png",
    ]
    assert names == sorted(expected)
    assert all(path.stat().st_size > 10_000 for path in (tmp_path / language).glob("*.png"))


def test_a_data_folder_that_is_a_file_gives_one_line_not_a_traceback(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x")
    result = sdm_app(
        "summary",
        "--consultation",
        "1",
        "--locale",
        "en",
        "--out",
        str(tmp_path / "s.pdf"),
        env_extra={"SDM_APP_DATA_DIR": str(blocked), "SDM_APP_CACHE_DIR": str(tmp_path / "c")},
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and str(blocked) in result.stderr


def test_terminal_control_characters_never_reach_the_terminal() -> None:
    from sdm_app.core.text import terminal_safe

    hostile = "pack\x1b]0;owned\x07 \x1b[2J\x9bname\nnext line\ttab"
    shown = terminal_safe(hostile)
    assert not any(ord(c) < 32 and c not in "\n\t" for c in shown)
    assert "\x9b" not in shown and "\x1b" not in shown
    assert "next line\ttab" in shown and "owned" in shown


def test_backup_list_and_restore(tmp_path: Path) -> None:
    env = {"SDM_APP_DATA_DIR": str(tmp_path / "data"), "SDM_APP_CACHE_DIR": str(tmp_path / "c")}
    empty = sdm_app("backup", "list", env_extra=env)
    assert empty.returncode == 0 and empty.stdout.strip()
    from sdm_app.storage.consultations import ConsultationStore
    from sdm_app.storage.user_db import UserDatabase, backup

    db_path = tmp_path / "data" / "user.db"
    database = UserDatabase(db_path)
    ConsultationStore(database).create()
    database.close()
    made = backup(db_path, "test")
    listed = sdm_app("backup", "list", env_extra=env)
    assert listed.returncode == 0 and str(made) in listed.stdout
    restored = sdm_app("backup", "restore", str(made), env_extra=env)
    assert restored.returncode == 0, restored.stderr
    refused = sdm_app("backup", "restore", str(tmp_path / "missing.db"), env_extra=env)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr


def test_commands_on_encrypted_data_need_its_passphrase(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    from sdm_app.core.consultation import Context
    from sdm_app.services.unlocking import set_up_key
    from sdm_app.storage.consultations import ConsultationStore
    from sdm_app.storage.user_db import UserDatabase, backup

    data = tmp_path / "data"
    data.mkdir()
    db_path = data / "user.db"
    key = set_up_key(db_path, "the right passphrase", remember=False)
    database = UserDatabase(db_path, key)
    store = ConsultationStore(database)
    saved = store.save(replace(store.create(), context=Context(condition="Lung cancer")))
    made = backup(db_path, "test", key)
    database.close()
    monkeypatch.delenv("SDM_APP_PASSPHRASE")
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        SDM_APP_DATA_DIR=str(data),
        SDM_APP_CACHE_DIR=str(tmp_path / "c"),
    )

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "sdm_app", *args],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,  # not a terminal: nothing can be asked
            capture_output=True,
            text=True,
            timeout=600,
        )

    out = tmp_path / "summary.pdf"
    summary = ("summary", "--consultation", str(saved.id), "--locale", "en", "--out", str(out))
    refused = run(*summary)
    assert refused.returncode == 1 and "--passphrase-file" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1 and "Traceback" not in refused.stderr
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not the passphrase\n")
    refused = run(*summary, "--passphrase-file", str(wrong))
    assert refused.returncode == 1 and "Wrong passphrase" in refused.stderr
    assert "not the passphrase" not in refused.stderr
    right = tmp_path / "right.txt"
    right.write_text("the right passphrase\n")
    written = run(*summary, "--passphrase-file", str(right))
    assert written.returncode == 0, written.stderr
    assert out.read_bytes().startswith(b"%PDF")

    listed = run("backup", "list")
    assert listed.returncode == 0 and str(made) in listed.stdout
    env["SDM_APP_PASSPHRASE"] = "the right passphrase"
    restored = run("backup", "restore", str(made))
    assert restored.returncode == 0, restored.stderr
    assert ConsultationStore(UserDatabase(db_path, key)).load(saved.id or 0) == saved
