"""Time the demo summary PDF against a fair bare reportlab document, and the export
from the Summary step to its preview, with the peak memory of that export.

    .venv/bin/python benchmarks/bench_pdf.py [--languages en ar zh hi] [--runs 5]

Targets (issue 15): the demo summary within 3x of the fair bare document; export to
preview under 150 ms; peak memory during an export under 250 MB.

1. Summary against the bare document, per language, in this process. The bare
   document is reportlab's own Paragraphs in a SimpleDocTemplate holding the app's
   text (each text of the summary's document model), each run of characters in the TTF
   font the app gives it (``pdf_fonts.families_for``, computed before timing), and
   HarfBuzz shaping (reportlab's ``shaping``) for paragraphs with Arabic, Hebrew or
   Devanagari letters, Chinese lines broken between characters (``wordWrap="CJK"``).
   reportlab shapes a paragraph whole, so Latin words in those paragraphs are shaped
   too: a little more work than the app does. Left to the app alone: the Unicode
   bidi algorithm, tables, page furniture with "page x of y", tagging (PDF/UA).
   Fonts are registered before timing in both. The app's text layout keeps caches
   from one build to the next; "new text" empties them before each run, as a
   consultation never exported before would find them, and "again" keeps them
   (the same summary exported twice). The ratio is taken on new text.
2. Export to preview, in a fresh process per language running the app offscreen
   (a throw-away data folder holding the demo consultation): the Export button on
   the Summary step until the preview's first paint has drawn its pages in view.
   "first" is the first export of the process: "at once" clicks Export as soon as
   the step is shown (the fonts, PDFium and pikepdf still to load), "after 1 s"
   once the step has been shown for a second (the step loads them in the
   background meanwhile, as while a reader looks at the summary); "warm" is the
   median of the next ``--runs`` exports. Peak memory is the highest resident set
   of the "after 1 s" process while it exports (the app and everything it loaded
   included; on Linux the kernel's high-water mark is reset just before the first
   export, elsewhere it is the process's peak since it started), beside its peak
   before exporting (start-up).

Times are wall clock with the process's CPU time in brackets: on a shared machine
the wall clock also counts waiting for a CPU, so compare CPU times between runs.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from html import escape
from itertools import groupby
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 3.0
TARGET_PREVIEW_SECONDS = 0.150
TARGET_MB = 250
LANGUAGES = ("en", "ar", "zh", "hi")


class Timing:
    """Median wall and CPU seconds of some runs."""

    def __init__(self, wall: list[float], cpu: list[float]) -> None:
        self.wall = statistics.median(wall)
        self.cpu = statistics.median(cpu)

    def __str__(self) -> str:
        return f"{self.wall * 1000:5.0f} ms ({self.cpu * 1000:4.0f})"


def _time(function: Callable[[], object], runs: int, before: Callable[[], None]) -> Timing:
    wall: list[float] = []
    cpu: list[float] = []
    for _run in range(runs):
        before()
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return Timing(wall, cpu)


def _text_of(consultation: Any, library: Any, language: str) -> list[str]:
    """Every text of the summary, as the document model holds it (what the app prints)."""
    from datetime import date

    from sdm_app.services.documents.summary import summary_document
    from sdm_app.services.pdf_document import in_language

    with in_language(language) as chosen:
        document = summary_document(consultation, library, language=chosen, today=date.today())
        return [" ".join(text.split()) for text in document.texts() if text.strip()]


def _page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def _bare_story(paragraphs: list[str], rtl: bool) -> list[tuple[str, bool, bool]]:
    """Each paragraph as reportlab markup, one <font> per run of one font, and whether
    it is shaped and broken between Chinese characters."""
    from sdm_app.services import pdf_fonts

    story = []
    for text in paragraphs:
        families = pdf_fonts.families_for(text)
        markup = "".join(
            f'<font name="{pdf_fonts.font_name(family)}">'
            f"{escape(''.join(char for char, _f in run))}</font>"
            for family, run in groupby(zip(text, families, strict=True), key=lambda p: p[1])
        )
        shaped = any(family in pdf_fonts.SHAPED_FAMILIES for family in families)
        story.append((markup, shaped, pdf_fonts.CJK in families))
    return story


def _bare(story: list[tuple[str, bool, bool]], rtl: bool) -> bytes:
    from reportlab.lib.enums import TA_LEFT, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from sdm_app.services import pdf_fonts

    name = pdf_fonts.font_name(pdf_fonts.LATIN)
    base = ParagraphStyle(
        "body",
        fontName=name,
        fontSize=10,
        leading=14.5,
        spaceAfter=4,
        alignment=TA_RIGHT if rtl else TA_LEFT,
    )
    styles = {
        (shaped, cjk): ParagraphStyle(
            f"body-{shaped}-{cjk}",
            parent=base,
            shaping=1 if shaped else 0,
            wordWrap="CJK" if cjk else None,
        )
        for shaped in (False, True)
        for cjk in (False, True)
    }
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, initialFontName=name)
    doc.build([Paragraph(markup, styles[shaped, cjk]) for markup, shaped, cjk in story])
    return buffer.getvalue()


def _empty_text_caches() -> None:
    """Forget the layouts, shapes and font choices of earlier builds (not the fonts)."""
    from sdm_app.core import bidi
    from sdm_app.services import pdf_document, pdf_fonts, pdf_text

    for module in (pdf_text, pdf_fonts, pdf_document, bidi):
        for value in vars(module).values():
            clear = getattr(value, "cache_clear", None)
            if callable(clear):
                clear()


def _summaries(languages: list[str], runs: int) -> list[float]:
    from sdm_app import paths
    from sdm_app.content.freshness import ensure_content_db
    from sdm_app.i18n import is_rtl
    from sdm_app.services.demo import load_demo
    from sdm_app.services.pdf_summary import build_summary_pdf
    from sdm_app.storage.content_db import ContentLibrary

    library = ContentLibrary.open(ensure_content_db(paths.content_dir(), paths.user_cache_dir()))
    ratios = []
    print("1. Demo summary (A4) against the fair bare document; median of", runs, "runs")
    print("   wall clock (CPU time)     summary, new text   again        bare       ratio")
    try:
        for language in languages:
            demo = load_demo(library.decision_aid(load_demo().decision_aid_id, language))

            build = partial(build_summary_pdf, demo, library, language=language, paper="a4")
            data = build()  # registers the fonts it needs
            rtl = is_rtl(language)
            story = _bare_story(_text_of(demo, library, language), rtl)
            bare_pdf = _bare(story, rtl)  # registers the same fonts, and warms reportlab
            new_text = _time(build, runs, _empty_text_caches)
            again = _time(build, runs, lambda: None)
            bare = _time(partial(_bare, story, rtl), runs, lambda: None)
            ratio, cpu_ratio = new_text.wall / bare.wall, new_text.cpu / bare.cpu
            ratios.append(ratio)
            pages = f"{_page_count(data)} and {_page_count(bare_pdf)} pages"
            print(
                f"   {language}: {pages:14} {new_text}   {again}   {bare}"
                f"   {ratio:.1f}x ({cpu_ratio:.1f}x)"
            )
    finally:
        library.close()
    return ratios


def _export_child(language: str, runs: int, wait: float) -> None:
    """In a fresh process: start the app offscreen, open the demo consultation on the
    Summary step, wait ``wait`` seconds, and export its summary to the preview
    ``runs + 1`` times; print the figures as JSON."""
    import resource

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["SDM_APP_DATA_DIR"] = tempfile.mkdtemp(prefix="sdm-bench-pdf-")
    # The data is encrypted: the passphrase is given as a script would give it.
    os.environ["SDM_APP_PASSPHRASE"] = "benchmark passphrase"
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from sdm_app.app import StartupProblem, create_application, start_session
    from sdm_app.core.consultation import Step
    from sdm_app.ui.pdf_preview import PdfPreviewDialog
    from sdm_app.ui.screenshots import _store_demo

    app = create_application()
    session = start_session(app, language=language)
    if isinstance(session, StartupProblem):
        raise SystemExit(f"{session.title}: {session.message}")
    window = session.window
    window.resize(1100, 760)
    window.show()
    page = window.consultations_page
    window.show_page("consultations")
    page.open_consultation(_store_demo(page.model.store, session.controller))
    page.show_step(Step.SUMMARY)
    step = page.steps[Step.SUMMARY]
    step.language.setCurrentIndex(step.language.findData(language))  # type: ignore[attr-defined]
    shown = time.perf_counter()
    for _turn in range(5):
        app.processEvents()
    while time.perf_counter() - shown < wait:
        app.processEvents()
        time.sleep(0.01)

    def peak_mb() -> float:
        try:  # the high-water mark since the reset below
            status = Path("/proc/self/status").read_text()
            return int(status.split("VmHWM:")[1].split()[0]) / 1024
        except (OSError, IndexError, ValueError):
            kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            return float(kb / 1024 if sys.platform != "darwin" else kb / 2**20)

    before = peak_mb()
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")  # Linux: start the peak afresh
    wall: list[float] = []
    cpu: list[float] = []
    drawn: list[list[int]] = []

    def seen(start: float, start_cpu: float) -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PdfPreviewDialog), dialog
        QApplication.processEvents()  # the first paint, which draws the pages in view
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        drawn.append([index for index, _width in dialog.cache.drawn])
        dialog.reject()

    for _run in range(runs + 1):
        start, start_cpu = time.perf_counter(), time.process_time()
        QTimer.singleShot(0, partial(seen, start, start_cpu))
        step.export_button.click()  # type: ignore[attr-defined]
        app.processEvents()
    session.library.close()
    session.database.close()
    figures = {"wall": wall, "cpu": cpu, "drawn": drawn, "before": before, "peak": peak_mb()}
    print(json.dumps(figures))


def _export_figures(language: str, runs: int, wait: float) -> dict[str, Any]:
    command = [sys.executable, __file__, "--export-child", language, "--runs", str(runs)]
    out = subprocess.run(
        [*command, "--wait", str(wait)], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    figures: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return figures


def _exports(languages: list[str], runs: int) -> tuple[list[float], list[float]]:
    print()
    print("2. Export to preview in the app (Summary step, offscreen), fresh processes")
    print(
        "   wall clock (CPU time)  first, at once   first, after 1 s   warm"
        "           pages drawn  peak memory"
    )
    warm_times, peaks = [], []
    for language in languages:
        at_once = _export_figures(language, 0, 0.0)
        figures = _export_figures(language, runs, 1.0)
        cold = Timing(at_once["wall"][:1], at_once["cpu"][:1])
        first = Timing(figures["wall"][:1], figures["cpu"][:1])
        warm = Timing(figures["wall"][1:], figures["cpu"][1:])
        warm_times.append(warm.wall)
        peaks.append(figures["peak"])
        pages = ",".join(str(index + 1) for index in figures["drawn"][0])
        print(
            f"   {language}:                 {cold}    {first}      {warm}"
            f"   {pages:11}  {figures['peak']:.0f} MB "
            f"({figures['before']:.0f} MB at start-up)"
        )
    return warm_times, peaks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--languages", nargs="+", default=list(LANGUAGES))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--export-child", metavar="LANGUAGE", help=argparse.SUPPRESS)
    parser.add_argument("--wait", type=float, default=0.0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export_child:
        _export_child(args.export_child, args.runs, args.wait)
        return 0
    ratios = _summaries(args.languages, args.runs)
    warm, peaks = _exports(args.languages, args.runs)
    print()
    print(
        f"targets: ratio <= {TARGET_RATIO:.0f}x (worst {max(ratios):.1f}x), export to preview "
        f"< {TARGET_PREVIEW_SECONDS * 1000:.0f} ms warm (worst {max(warm) * 1000:.0f} ms), "
        f"peak < {TARGET_MB} MB (worst {max(peaks):.0f} MB)"
    )
    met = (
        max(ratios) <= TARGET_RATIO
        and max(warm) < TARGET_PREVIEW_SECONDS
        and max(peaks) < TARGET_MB
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
