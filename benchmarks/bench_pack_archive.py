"""Peak memory and time of unpacking and installing content pack archives.

Run: .venv/bin/python benchmarks/bench_pack_archive.py [--files N]
Prints figures; it is not a test (tests/content/test_archive.py asserts the limit).
Each measurement runs in a fresh process, so its peak resident memory is its own.
Target: under 256 MB for any archive, hostile or not.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "content"))

TARGET_MB = 256

from test_archive import PEAK_KIB  # noqa: E402  (the child's own peak, as the test reads it)

_CHILD = (
    PEAK_KIB
    + """
import sys, time
from pathlib import Path
from sdm_app.content.archive import ArchiveError, ArchiveLimits, extract_archive
limits = ArchiveLimits(**eval(sys.argv[1]))
started = time.perf_counter()
outcome = "nothing"
for number, archive in enumerate(sys.argv[3:]):
    staging = Path(sys.argv[2], str(number))
    staging.mkdir()
    try:
        outcome = "unpacked %d bytes" % extract_archive(Path(archive), staging, limits).size
    except ArchiveError as error:
        outcome = "refused: %s" % error
print(peak_kib(), time.perf_counter() - started, outcome)
"""
)


def measure(label: str, archives: list[Path], limits: str, work: Path) -> float:
    folder = Path(tempfile.mkdtemp(dir=work))
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, limits, str(folder), *map(str, archives)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    peak_kib, seconds, outcome = result.stdout.strip().split(" ", 2)
    peak_mb = int(peak_kib) / 1024
    print(f"{label:<46} peak {peak_mb:6.1f} MB  {float(seconds):6.2f} s  ({outcome[:60]})")
    return peak_mb


def big_pack_zip(folder: Path, files: int) -> Path:
    import zipfile

    words = ["gene", "tumour", "biomarker", "treatment", "medicine", "result", "family"]
    rng = random.Random(1)
    archive = folder / "big.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("pack.yaml", "id: big\nversion: 1\n")
        for number in range(files):
            text = " ".join(rng.choice(words) for _ in range(600))
            out.writestr(f"modules/m{number:05d}.en.md", text)
    return archive


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=30_000, help="files in the large pack")
    args = parser.parse_args()
    import hostile

    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        started = time.perf_counter()
        cases = hostile.build_all(work / "hostile")
        print(f"built {len(cases)} hostile archives in {time.perf_counter() - started:.1f} s")
        peaks = [measure("baseline (imports only)", [], "{}", work)]
        for case in cases:
            if case.limits is None and ("bomb" in case.name or "entries" in case.name):
                peaks.append(measure(case.name, [case.archive], "{}", work))
        every = [case.archive for case in cases if case.limits is None]
        peaks.append(measure(f"all {len(every)} default-limit cases", every, "{}", work))
        by_name = {case.name: case.archive for case in cases}
        permissive = "dict(max_ratio=1e12, max_file_bytes=2**30, max_total_bytes=2**31)"
        for name in ("zip-bomb-256mib", "tar-gz-bomb"):
            peaks.append(measure(f"{name}, limits lifted", [by_name[name]], permissive, work))
        big = big_pack_zip(work, args.files)
        size_mb = big.stat().st_size / 2**20
        peaks.append(
            measure(f"valid pack, {args.files} files ({size_mb:.0f} MB)", [big], "{}", work)
        )
    worst = max(peaks)
    verdict = "ok" if worst < TARGET_MB else "OVER"
    print(f"worst peak {worst:.1f} MB; target under {TARGET_MB} MB: {verdict}")
    return 0 if worst < TARGET_MB else 1


if __name__ == "__main__":
    raise SystemExit(main())
