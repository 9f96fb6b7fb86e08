"""Autosave time for a consultation with many results (a large imported report).

    .venv/bin/python benchmarks/bench_save.py [--results 10000] [--runs 5]

Saves a consultation with ``--results`` results once, then times the autosave the
app makes after one answer (the leaning changes), median of ``--runs``. The app
saves on the GUI thread after every answer.

Target (issue: health data, bounded inputs): an autosave never blocks the window
more than 50 ms.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from sdm_app.core.results import TestResult
from sdm_app.storage.consultations import ConsultationStore
from sdm_app.storage.user_db import UserDatabase


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--results", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        # Encrypted as the app's own (a fixed throwaway key: the key's making is not timed).
        database = UserDatabase(Path(scratch) / "user.db", bytes(range(32)))
        store = ConsultationStore(database)
        results = tuple(
            TestResult(id=None, gene=f"GENE{n}", alteration=f"c.{n}A>G", vaf="12.5")
            for n in range(args.results)
        )
        started = time.perf_counter()
        consultation = store.save(replace(store.create(), results=results))
        first = time.perf_counter() - started
        times = []
        for run in range(args.runs):
            started = time.perf_counter()
            consultation = store.save(replace(consultation, leaning=f"option-{run}"))
            times.append(time.perf_counter() - started)
        database.close()
    print(f"{args.results} results: first save {first:.2f} s")
    print(f"autosave after one answer: {statistics.median(times) * 1000:.1f} ms (target: 50 ms)")


if __name__ == "__main__":
    main()
