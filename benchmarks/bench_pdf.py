"""Time the demo summary PDF against a bare reportlab document with the same text.

    .venv/bin/python benchmarks/bench_pdf.py [--locale en] [--runs 5]

Targets (issue 4): the summary in under 0.5 s, and within 3x of the bare document.
Fonts are registered before timing in both cases (the app registers them once).
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import tempfile
import time
from html import escape
from pathlib import Path

from sdm_app import paths
from sdm_app.content.freshness import ensure_content_db
from sdm_app.services import pdf_fonts
from sdm_app.services.demo import load_demo
from sdm_app.services.pdf_summary import build_summary_pdf
from sdm_app.storage.content_db import ContentLibrary


def _text_of(pdf: bytes) -> list[str]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        out = subprocess.run(
            ["pdftotext", handle.name, "-"], capture_output=True, text=True, check=True
        ).stdout
    return [block for block in out.split("\n\n") if block.strip()]


def _bare(paragraphs: list[str]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    name = pdf_fonts.font_name(pdf_fonts.LATIN)
    style = ParagraphStyle("body", fontName=name, fontSize=10, leading=14.5)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, initialFontName=name)
    doc.build([Paragraph(escape(text), style) for text in paragraphs])
    return buffer.getvalue()


def _time(function: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--locale", default="en")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    library = ContentLibrary.open(ensure_content_db(paths.content_dir(), paths.user_cache_dir()))
    plain = load_demo()
    demo = load_demo(library.decision_aid(plain.decision_aid_id, args.locale))

    first_start = time.perf_counter()
    data = build_summary_pdf(demo, library, language=args.locale)
    first = time.perf_counter() - first_start
    paragraphs = _text_of(data)
    _bare(paragraphs)  # warm-up
    summary = _time(lambda: build_summary_pdf(demo, library, language=args.locale), args.runs)
    bare = _time(lambda: _bare(paragraphs), args.runs)
    print(
        f"demo summary ({args.locale}): {summary:.3f} s (first, with font loading: {first:.3f} s)"
    )
    print(f"bare reportlab, same text:  {bare:.3f} s")
    print(f"ratio: {summary / bare:.2f}x  (targets: < 0.5 s, <= 3x)")
    library.close()
    return 0 if summary < 0.5 and summary / bare <= 3 else 1


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    raise SystemExit(main())
