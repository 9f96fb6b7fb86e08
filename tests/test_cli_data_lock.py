"""``sdm-app summary`` and ``family-letter`` read user.db only under the data lock: while
another process (a running app) holds it they refuse in one line and write nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sdm_app import paths
from sdm_app.services.demo import load_demo
from sdm_app.storage.consultations import ConsultationStore
from sdm_app.storage.user_db import UserDatabase
from tests.test_cli import sdm_app

HOLD_LOCK = """
import sys
from pathlib import Path
from sdm_app.storage.user_db import UserDatabase
database = UserDatabase(Path(sys.argv[1]))
assert database.lock() is None
print("held", flush=True)
sys.stdin.readline()
database.close()
"""


def _stored_demo() -> int:
    database = UserDatabase(paths.user_db_path())
    try:
        stored = ConsultationStore(database).save(load_demo())
    finally:
        database.close()
    assert stored.id is not None
    return stored.id


def test_pdf_commands_refuse_while_the_app_holds_the_data(tmp_path: Path) -> None:
    consultation_id = str(_stored_demo())  # the demo has a confirmed germline BRCA2
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(paths.user_db_path())],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        for command in ("summary", "family-letter"):
            out = tmp_path / f"{command}.pdf"
            result = sdm_app(
                command,
                "--consultation",
                consultation_id,
                "--locale",
                "en",
                "--out",
                str(out),
                env_extra={"LANG": "C"},
            )
            assert result.returncode == 1, result.stdout
            [line] = result.stderr.splitlines()
            assert line.startswith(f"Your saved data is open in the app (process {holder.pid} on ")
            assert line.endswith("print from the app, or close it and try again.")
            assert not out.exists()
    finally:
        holder.communicate("\n", timeout=30)
    out = tmp_path / "after.pdf"
    after = sdm_app(
        "summary", "--consultation", consultation_id, "--locale", "en", "--out", str(out)
    )
    assert after.returncode == 0, after.stderr
    assert out.read_bytes().startswith(b"%PDF")
    database = UserDatabase(paths.user_db_path())
    assert database.lock() is None  # the command let it go
    database.close()
