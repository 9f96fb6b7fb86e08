"""The app's own start: what ``sdm-app run`` does around building the window.

Each check runs the app in a child process: ``run`` owns its event loop and would
leave this test process's application in its own state.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Records whether the cyclic collector is on while the window is built, when the
# window shows, when a start-up problem is reported, and after run() returns.
PROBE = """
import gc, json, sys
from sdm_app import app as app_module
seen = {}
start_session = app_module.start_session
report_ready = app_module._report_ready_and_quit
def starting(*args, **kwargs):
    seen["while building"] = gc.isenabled()
    if sys.argv[1] == "fail":
        return app_module.StartupProblem("Cannot open your saved data", "disk I/O error")
    return start_session(*args, **kwargs)
def ready(*args):
    seen["once shown"] = gc.isenabled()
    report_ready(*args)
def problem(*args, **kwargs):
    seen["when reporting a problem"] = gc.isenabled()
app_module.start_session = starting
app_module._report_ready_and_quit = ready
app_module._show_startup_problem = problem
seen["exit code"] = app_module.run(quit_after_show=True)
seen["after run"] = gc.isenabled()
print("seen", json.dumps(seen))
"""


def _probe(outcome: str, data_dir: Path) -> dict[str, object]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SDM_APP_DATA_DIR=str(data_dir))
    result = subprocess.run(
        [sys.executable, "-c", PROBE, outcome],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stdout.splitlines() if line.startswith("seen "))
    seen: dict[str, object] = json.loads(line.removeprefix("seen "))
    return seen


def test_collection_is_paused_while_starting_and_on_once_the_window_shows(
    tmp_path: Path,
) -> None:
    assert _probe("start", tmp_path) == {
        "while building": False,
        "once shown": True,
        "exit code": 0,
        "after run": True,
    }


def test_collection_resumes_before_a_start_up_problem_is_shown(tmp_path: Path) -> None:
    assert _probe("fail", tmp_path) == {
        "while building": False,
        "when reporting a problem": True,
        "exit code": 1,
        "after run": True,
    }
