"""Import time and peak memory for a large FHIR genomics bundle.

    .venv/bin/python benchmarks/bench_import.py [--size-mb 10] [--runs 5]

Builds a bundle of about ``--size-mb`` MB from the oncology example in
tests/fixtures/fhir/ (its variants copied with new ids, each listed in the
report), then reads it as the app does (``read_import_file``: the file, its
checks, the JSON and the findings). Time is the median of ``--runs`` runs in
this process. Peak memory is measured in a fresh process that does one import:
its peak resident set (everything the process held, the interpreter included)
and the peak of Python allocations during the import (tracemalloc).

Targets (issue: importing results): under 1 s and under 200 MB for 10 MB.
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "tests" / "fixtures" / "fhir" / "Bundle-bundle-oncology-report-example.json"
TARGET_SECONDS = 1.0
TARGET_MB = 200

CHILD = """
import resource, sys, time, tracemalloc
from pathlib import Path
from sdm_app.services.result_import import read_import_file
tracemalloc.start()
report = read_import_file(Path(sys.argv[1]))
current, peak = tracemalloc.get_traced_memory()
tracemalloc.stop()
rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(len(report.findings), peak, rss_kb * (1 if sys.platform != "darwin" else 1 / 1024))
"""


def make_bundle(size_bytes: int) -> bytes:
    """A transaction bundle of about ``size_bytes``: the example's variants, repeated."""
    bundle = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    entries = bundle["entry"]
    report = next(e for e in entries if e["resource"]["resourceType"] == "DiagnosticReport")
    variants = [e for e in entries if e["resource"]["resourceType"] == "Observation"]
    others = [e for e in entries if e is not report and e not in variants]
    report["resource"]["result"] = []
    body: list[dict[str, object]] = []
    size = len(json.dumps(bundle, indent=1))
    number = 0
    while True:
        entry = copy.deepcopy(variants[number % len(variants)])
        url = f"urn:uuid:{uuid.UUID(int=number + 1)}"
        entry["fullUrl"] = url
        entry["resource"]["id"] = f"variant-{number}"
        grows = len(json.dumps(entry, indent=1)) + len(url) + 40  # the entry and its reference
        if size + grows > size_bytes:
            break
        report["resource"]["result"].append({"reference": url})
        body.append(entry)
        size += grows
        number += 1
    bundle["entry"] = [*others, *body, report]
    return json.dumps(bundle, indent=1).encode("utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size-mb", type=float, default=10.0)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from sdm_app.services.result_import import read_import_file

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "large-bundle.json"
        path.write_bytes(make_bundle(int(args.size_mb * 1024 * 1024)))
        size_mb = path.stat().st_size / 1024 / 1024
        times = []
        findings = 0
        for _ in range(args.runs):
            start = time.perf_counter()
            findings = len(read_import_file(path).findings)
            times.append(time.perf_counter() - start)
        child = subprocess.run(
            [sys.executable, "-c", CHILD, str(path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        _count, traced_peak, rss_kb = child.stdout.split()
    seconds = statistics.median(times)
    rss_mb = float(rss_kb) / 1024
    traced_mb = int(traced_peak) / 1024 / 1024
    print(f"bundle: {size_mb:.1f} MB, {findings} results")
    print(f"import time: {seconds:.3f} s median of {args.runs} (min {min(times):.3f} s)")
    print(
        f"peak memory: {rss_mb:.0f} MB resident (whole process), "
        f"{traced_mb:.0f} MB Python allocations during the import"
    )
    print(f"targets: < {TARGET_SECONDS:g} s, < {TARGET_MB} MB")
    return 0 if seconds < TARGET_SECONDS and rss_mb < TARGET_MB else 1


if __name__ == "__main__":
    raise SystemExit(main())
