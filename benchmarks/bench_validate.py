"""Content check time for hostile and large modules: linear, not quadratic.

    .venv/bin/python benchmarks/bench_validate.py [--runs 3]

Copies the bundled pack and adds one module at a time, then times
``sdm-app content validate`` on it (``check_content``), median of ``--runs``:
- links: one paragraph with N module links (10k, 50k, 100k);
- large: a module of about N MB of ordinary cited paragraphs (1, 2, 4 MB);
- stars: 50,000 emphasis marks around a word (refused as too complex, unparsed).

Targets (issue: health data, bounded inputs): a 4 MB module in under 5 s; the
times grow in proportion to the size (doubling the size about doubles the time).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from sdm_app.content.validate import check_content

ROOT = Path(__file__).resolve().parent.parent
HEADER = """---
id: bench-module
version: 1
status: source
topic: basics
audience: [patient]
title: Bench
key_message: A module made to time the check.
review:
  reviewed_on: 2026-12-01
  reviewer: Bench
  next_review: 2027-12-01
  status: needs clinical review
sources:
  - id: bench
    citation: Bench source.
    url: https://example.org/bench
    date: 2026-12-01
---

"""


def _time(body: str, runs: int) -> tuple[float, list[str]]:
    times: list[float] = []
    rules: list[str] = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as scratch:
            pack = Path(scratch) / "core"
            shutil.copytree(ROOT / "content" / "core", pack)
            (pack / "modules" / "bench-module.en.md").write_text(HEADER + body, encoding="utf-8")
            started = time.perf_counter()
            checked = check_content(pack)
            times.append(time.perf_counter() - started)
            rules = sorted({p.rule for p in checked.errors})
    return statistics.median(times), rules


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    base, _rules = _time("A short text.\n", runs)
    print(f"bundled pack alone: {base:.2f} s")
    for count in (10_000, 50_000, 100_000):
        links = " ".join("[w](module:biomarker-testing)" for _ in range(count))
        # Split into paragraphs under the block limit.
        paragraphs = "\n\n".join(
            " ".join(links.split(" ")[i : i + 400]) for i in range(0, count, 400)
        )
        seconds, rules = _time(paragraphs + "\n", runs)
        print(f"{count:>7} links: {seconds - base:6.2f} s beyond the pack  errors: {rules}")
    paragraph = "A plain sentence about tests, about 3 in 10 people [@bench]. " * 20 + "\n\n"
    for megabytes in (1, 2, 4):
        body = paragraph * (megabytes * 1024 * 1024 // len(paragraph))
        seconds, rules = _time(body, runs)
        print(f"{megabytes} MB module: {seconds - base:6.2f} s beyond the pack  errors: {rules}")
    seconds, rules = _time("*" * 25_000 + "word" + "*" * 25_000 + "\n", runs)
    print(f"50,000 stars: {seconds - base:6.2f} s beyond the pack  errors: {rules}")


if __name__ == "__main__":
    main()
