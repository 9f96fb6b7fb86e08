"""Start-up time: the app to an interactive main window, next to a bare PySide6 window.

Each run is a fresh process. The clock starts just before the process is
created and stops when the child's event loop first runs with its window shown
(the child prints the wall-clock time then), so interpreter shutdown is not
counted. Each round starts both, back to back and in alternating order, so a
slow spell of the machine slows both starts of a round alike. Prints the median
and the minimum of each, and the ratios; the target (within 1.5) is judged on
the median of the rounds' own ratios, the figure such spells disturb least.

Wall-clock times on a shared or virtual machine wander by tens of percent from
one run to the next. When valgrind is installed, the script also counts the
instructions each program executes until its event loop is told to quit (the
same moment as "ready"), which machine noise does not change.

    .venv/bin/python benchmarks/bench_startup.py [--runs 31] [--no-instructions]
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 1.5

BARE_WINDOW = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.setCentralWidget(QLabel("Hello"))
window.show()
def ready():
    print(f"ready {time.time():.6f}", flush=True)
    app.quit()
QTimer.singleShot(0, ready)
app.exec()
"""


def _time_to_ready(command: list[str], env: dict[str, str]) -> float:
    start = time.time()
    result = subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    ready = next(line for line in result.stdout.splitlines() if line.startswith("ready "))
    return float(ready.split()[1]) - start


def _instructions_to_ready(command: list[str], env: dict[str, str]) -> int:
    """Instructions executed until the program asks its event loop to quit.

    callgrind writes a first profile just before QCoreApplication::quit() runs;
    its total is the count up to that moment.
    """
    valgrind = shutil.which("valgrind")
    assert valgrind is not None
    with tempfile.TemporaryDirectory() as out_dir:
        out = Path(out_dir) / "callgrind.out"
        subprocess.run(
            [
                valgrind,
                "--tool=callgrind",
                "--dump-before=QCoreApplication::quit*",
                f"--callgrind-out-file={out}",
                *command,
            ],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        first_dump = out.with_name(out.name + ".1").read_text(encoding="utf-8").splitlines()
    return next(int(line.split()[1]) for line in first_dump if line.startswith("totals:"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=31)
    parser.add_argument(
        "--no-instructions", action="store_true", help="skip the valgrind instruction count"
    )
    args = parser.parse_args()
    count_instructions = not args.no_instructions and shutil.which("valgrind") is not None
    # An installed app runs from bytecode (pip and the branded build compile it);
    # without this, a machine with PYTHONDONTWRITEBYTECODE set would time the
    # compiler at every start instead of the app.
    compileall.compile_dir(str(ROOT / "sdm_app"), quiet=1)
    with tempfile.TemporaryDirectory() as data_dir:
        # The data is encrypted: the passphrase is given as a script would, so each start
        # includes making the key from it (Argon2id, as when a person types it).
        env = dict(
            os.environ,
            QT_QPA_PLATFORM="offscreen",
            SDM_APP_DATA_DIR=data_dir,
            SDM_APP_PASSPHRASE="benchmark passphrase",
        )
        app_command = [sys.executable, "-m", "sdm_app", "run", "--quit-after-show"]
        bare_command = [sys.executable, "-c", BARE_WINDOW]
        # The first start builds the content database and user.db: reported apart.
        first = _time_to_ready(app_command, env)
        _time_to_ready(bare_command, env)
        bare: list[float] = []
        app: list[float] = []
        for round_number in range(args.runs):
            if round_number % 2:
                app.append(_time_to_ready(app_command, env))
                bare.append(_time_to_ready(bare_command, env))
            else:
                bare.append(_time_to_ready(bare_command, env))
                app.append(_time_to_ready(app_command, env))
        if count_instructions:
            instructions = (
                _instructions_to_ready(bare_command, env),
                _instructions_to_ready(app_command, env),
            )
    print(f"first start (builds content.db, creates user.db): {first * 1000:.0f} ms")
    for label, figures in (("bare PySide6 window", bare), ("sdm-app main window", app)):
        print(
            f"{label}: median {statistics.median(figures) * 1000:.0f} ms, "
            f"min {min(figures) * 1000:.0f} ms over {args.runs} runs"
        )
    median_ratio = statistics.median(app) / statistics.median(bare)
    min_ratio = min(app) / min(bare)
    round_ratio = statistics.median(a / b for a, b in zip(app, bare, strict=True))
    verdict = "met" if round_ratio <= TARGET_RATIO else "NOT met"
    print(f"ratio of medians: {median_ratio:.2f}, of minimums: {min_ratio:.2f}")
    print(f"median of the {args.runs} rounds' ratios: {round_ratio:.2f}")
    print(f"target: within {TARGET_RATIO} (median round): {verdict}")
    if count_instructions:
        bare_count, app_count = instructions
        print(
            f"instructions to ready (valgrind): bare {bare_count / 1e6:.0f} M, "
            f"sdm-app {app_count / 1e6:.0f} M, ratio {app_count / bare_count:.2f}"
        )
    else:
        print("instructions to ready: not counted (valgrind is not installed, or skipped)")


if __name__ == "__main__":
    main()
