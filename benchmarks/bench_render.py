"""How long the reading view takes to show a module: every bundled one, and the
heaviest modules content validation accepts.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_render.py [--runs 5]

The reading view shows a module's HTML, made when the pack was built, in the app's
text view (``SafeTextBrowser``); timed here is ``setHtml`` and the layout of the
whole document, median of ``--runs``. The heavy modules stay within validation's
limits (``content/markdown.py``): at most ``MAX_MODULE_CHARS`` characters, blocks of
at most ``MAX_BLOCK_CHARS`` characters and ``MAX_EMPHASIS_MARKS`` emphasis marks.

Target (issue: health data, bounded inputs): any accepted module under 200 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

TARGET_SECONDS = 0.200


def _heavy_bodies() -> dict[str, str]:
    from sdm_app.content.markdown import (
        MAX_BLOCK_CHARS,
        MAX_EMPHASIS_MARKS,
        MAX_MODULE_CHARS,
        MAX_MODULE_EMPHASIS_MARKS,
    )

    sentence = "Plain words about what a test result may mean for you and your family. "
    long_block = (sentence * (MAX_BLOCK_CHARS // len(sentence)))[: MAX_BLOCK_CHARS - 10]
    marked_block = "*a* " * (MAX_EMPHASIS_MARKS // 2) + "end."
    nested_block = "***a*** " * (MAX_EMPHASIS_MARKS // 6)
    list_block = "\n".join(f"- {sentence}" for _ in range(60))

    def fill(block: str) -> str:
        """As many copies of ``block`` as the module's limits allow."""
        marks = block.count("*") + block.count("_")
        count = MAX_MODULE_CHARS // (len(block) + 2)
        if marks:
            count = min(count, MAX_MODULE_EMPHASIS_MARKS // marks)
        return "\n\n".join([block] * count)

    def with_text(block: str) -> str:
        """The emphasis-heavy blocks up to the marks limit, then plain text to the size limit."""
        marked = fill(block)
        rest = MAX_MODULE_CHARS - len(marked) - 2
        return marked + "\n\n" + fill(long_block)[: max(rest, 0)].rsplit(" ", 1)[0]

    return {
        "longest blocks": fill(long_block),
        "most emphasis, then plain text": with_text(marked_block),
        "nested emphasis, then plain text": with_text(nested_block),
        "lists": fill(list_block),
    }


def _time_view(browser: object, app: object, html: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        browser.setHtml("")  # type: ignore[attr-defined]
        start = time.perf_counter()
        browser.setHtml(html)  # type: ignore[attr-defined]
        browser.document().size()  # type: ignore[attr-defined]  # the whole layout
        app.processEvents()  # type: ignore[attr-defined]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from sdm_app import paths
    from sdm_app.content.freshness import ensure_content_db
    from sdm_app.content.render import render_body
    from sdm_app.storage.content_db import ContentLibrary
    from sdm_app.ui.safe_browser import SafeTextBrowser

    app = QApplication([])
    browser = SafeTextBrowser()
    browser.resize(900, 700)
    browser.show()
    worst = 0.0
    library = ContentLibrary.open(ensure_content_db(paths.content_dir(), paths.user_cache_dir()))
    try:
        bundled = []
        for info in library.modules("en"):
            module = library.module(info.id, "en")
            if module is not None:
                bundled.append((module.id, _time_view(browser, app, module.body_html, args.runs)))
    finally:
        library.close()
    slowest = max(bundled, key=lambda item: item[1])
    median = statistics.median(seconds for _id, seconds in bundled)
    print(
        f"bundled modules: {len(bundled)}, median {median * 1000:.0f} ms, "
        f"slowest {slowest[1] * 1000:.0f} ms ({slowest[0]})"
    )
    worst = slowest[1]
    for name, body in _heavy_bodies().items():
        html = render_body(body, []).html
        seconds = _time_view(browser, app, html, args.runs)
        worst = max(worst, seconds)
        marks = body.count("*") + body.count("_")
        print(f"{name}: {len(body):,} characters, {marks:,} marks, {seconds * 1000:.0f} ms")
    print(f"target: under {TARGET_SECONDS * 1000:.0f} ms (worst {worst * 1000:.0f} ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
