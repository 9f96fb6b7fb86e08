"""Saving PDFs: atomic writes, clear errors, and the command line."""

from __future__ import annotations

import io
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sdm_app import paths
from sdm_app.services.atomic_write import write_atomically
from sdm_app.services.demo import load_demo
from tests.test_cli import sdm_app

ROOT = Path(__file__).resolve().parents[2]


def test_write_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "a.pdf"
    target.write_bytes(b"old")
    write_atomically(target, b"new contents")
    assert target.read_bytes() == b"new contents"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


def test_unwritable_destination_names_the_path(tmp_path: Path) -> None:
    from sdm_app.services.pdf_summary import PdfExportError, export_summary_pdf

    for target in (tmp_path / "missing-folder" / "x.pdf", tmp_path):
        with pytest.raises(PdfExportError) as caught:
            export_summary_pdf(load_demo(), None, target, language="en")
        assert str(target) in str(caught.value)
    if os.geteuid() != 0:  # root writes anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        with pytest.raises(PdfExportError):
            export_summary_pdf(load_demo(), None, locked / "x.pdf", language="en")


_WRITER = """
import sys
from pathlib import Path
from sdm_app.services.demo import load_demo
from sdm_app.services.pdf_summary import export_summary_pdf
consultation = load_demo()
print("ready", flush=True)
while True:
    export_summary_pdf(consultation, None, Path(sys.argv[1]), language="en")
"""


def test_killed_export_never_leaves_a_broken_file(tmp_path: Path) -> None:
    from pypdf import PdfReader

    target = tmp_path / "summary.pdf"
    rng = random.Random(4)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for _round in range(25):
        process = subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(target)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert process.stdout is not None
        process.stdout.readline()  # imports done: the writing loop starts now
        time.sleep(rng.uniform(0.0, 0.25))
        process.send_signal(signal.SIGKILL)
        process.wait()
        process.stdout.close()
        if target.exists():
            reader = PdfReader(io.BytesIO(target.read_bytes()), strict=True)
            assert len(reader.pages) >= 1
    assert target.exists(), "no export finished in any round: the test proves nothing"


def _store_demo(**changes: object) -> int:
    from dataclasses import replace

    from sdm_app.storage.consultations import ConsultationStore
    from sdm_app.storage.user_db import UserDatabase

    database = UserDatabase(paths.user_db_path())
    try:
        stored = ConsultationStore(database).save(replace(load_demo(), **changes))  # type: ignore[arg-type]
    finally:
        database.close()
    assert stored.id is not None
    return stored.id


def test_cli_summary_and_errors(tmp_path: Path) -> None:
    consultation_id = _store_demo()
    out = tmp_path / "s.pdf"
    result = sdm_app(
        "summary", "--consultation", str(consultation_id), "--locale", "es", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF")

    missing = sdm_app("summary", "--consultation", "999", "--locale", "en", "--out", str(out))
    assert missing.returncode == 1 and "999" in missing.stderr

    unknown = sdm_app(
        "summary", "--consultation", str(consultation_id), "--locale", "xx", "--out", str(out)
    )
    assert unknown.returncode == 1 and "xx" in unknown.stderr

    bad = tmp_path / "no-such-folder" / "s.pdf"
    unwritable = sdm_app(
        "summary", "--consultation", str(consultation_id), "--locale", "en", "--out", str(bad)
    )
    assert unwritable.returncode == 1 and str(bad) in unwritable.stderr
    assert "Traceback" not in unwritable.stderr


def test_cli_family_letter(tmp_path: Path) -> None:
    from dataclasses import replace

    demo = load_demo()
    with_letter = _store_demo()  # the demo's BRCA2 is pathogenic, confirmed germline
    vus = replace(demo.results[1], class_code="VUS")
    without = _store_demo(results=(demo.results[0], vus))
    out = tmp_path / "letter.pdf"
    result = sdm_app(
        "family-letter", "--consultation", str(with_letter), "--locale", "ar", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF")
    refused = sdm_app(
        "family-letter",
        "--consultation",
        str(without),
        "--locale",
        "en",
        "--out",
        str(tmp_path / "none.pdf"),
    )
    assert refused.returncode == 1 and refused.stderr.strip()
    assert not (tmp_path / "none.pdf").exists()
    missing = sdm_app("family-letter", "--consultation", "999", "--locale", "en", "--out", str(out))
    assert missing.returncode == 1


def test_cli_demo_unknown_locale(tmp_path: Path) -> None:
    result = sdm_app("demo", "--locale", "xx", "--out", str(tmp_path / "d.pdf"))
    assert result.returncode == 1 and "xx" in result.stderr


@pytest.mark.skipif(os.name != "posix", reason="POSIX links and pipes")
def test_save_never_replaces_a_device_a_pipe_or_a_link_it_was_not_given(tmp_path: Path) -> None:
    from sdm_app.services.pdf_document import PdfExportError, save_pdf

    target = tmp_path / "real.pdf"
    target.write_bytes(b"old")
    link = tmp_path / "link.pdf"
    link.symlink_to(target)
    with pytest.raises(PdfExportError, match="a link"):
        save_pdf(b"%PDF-new", link)
    assert target.read_bytes() == b"old" and link.is_symlink()
    save_pdf(b"%PDF-new", link, follow_link=True)  # chosen in a dialog: the file it names
    assert target.read_bytes() == b"%PDF-new" and link.is_symlink()
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    with pytest.raises(PdfExportError, match="not a regular file"):
        save_pdf(b"%PDF-new", fifo)
    with pytest.raises(PdfExportError, match="not a regular file"):
        save_pdf(b"%PDF-new", Path("/dev/null"))
