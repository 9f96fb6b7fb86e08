"""Start-up time: the app to an interactive main window, next to a bare PySide6 window.

Each run is a fresh process that shows its window, lets the event loop run once
(so the window is interactive) and quits. Prints the median of several runs of
each and their ratio; the target is a ratio within 1.5.

    .venv/bin/python benchmarks/bench_startup.py [--runs 11]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 1.5

BARE_WINDOW = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.setCentralWidget(QLabel("Hello"))
window.show()
QTimer.singleShot(0, app.quit)
app.exec()
"""


def _time(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        command, env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SDM_APP_DATA_DIR=data_dir)
        app_command = [sys.executable, "-m", "sdm_app", "run", "--quit-after-show"]
        bare_command = [sys.executable, "-c", BARE_WINDOW]
        # First start builds the content database and user.db: report it apart.
        first = _time(app_command, env)
        _time(bare_command, env)
        bare, app = [], []
        for _ in range(args.runs):  # interleaved, so machine noise hits both alike
            bare.append(_time(bare_command, env))
            app.append(_time(app_command, env))
    bare_median, app_median = statistics.median(bare), statistics.median(app)
    ratio = app_median / bare_median
    print(f"first start (builds content.db, creates user.db): {first * 1000:.0f} ms")
    print(f"bare PySide6 window: median {bare_median * 1000:.0f} ms over {args.runs} runs")
    print(f"sdm-app main window: median {app_median * 1000:.0f} ms over {args.runs} runs")
    verdict = "met" if ratio <= TARGET_RATIO else "NOT met"
    print(f"ratio: {ratio:.2f} (target within {TARGET_RATIO}: {verdict})")


if __name__ == "__main__":
    main()
