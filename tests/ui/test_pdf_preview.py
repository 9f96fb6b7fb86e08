"""The PDF preview draws only the pages in view, each once for a size, and is read and
moved through with the keyboard, left to right and right to left."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from sdm_app.app import Session
from sdm_app.services.pdf_pages import PdfPages, PdfPreviewError
from sdm_app.ui.pdf_preview import PdfPreviewDialog

ROOT = Path(__file__).resolve().parents[2]


@cache
def _summary(language: str) -> bytes:
    """The demo consultation's summary with the bundled content, several pages long
    (built once per test run and language)."""
    from sdm_app import paths
    from sdm_app.content.freshness import ensure_content_db
    from sdm_app.services.demo import load_demo
    from sdm_app.services.pdf_summary import build_summary_pdf
    from sdm_app.storage.content_db import ContentLibrary

    library = ContentLibrary.open(ensure_content_db(paths.content_dir(), paths.user_cache_dir()))
    try:
        demo = load_demo(library.decision_aid(load_demo().decision_aid_id, language))
        return build_summary_pdf(demo, library, language=language, paper="a4")
    finally:
        library.close()


def _page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def _settle() -> None:
    for _turn in range(5):  # nested layouts answer each other's requests in turn
        QApplication.processEvents()


@pytest.fixture
def preview(qtbot: QtBot) -> Iterator[PdfPreviewDialog]:
    dialog = PdfPreviewDialog("Consultation summary", PdfPages(_summary("en")))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    _settle()
    yield dialog


def _drawn_pages(dialog: PdfPreviewDialog) -> list[int]:
    return [index for index, _width in dialog.cache.drawn]


def _in_view(dialog: PdfPreviewDialog) -> list[int]:
    return [index for index in range(len(dialog.page_views)) if dialog.page_in_view(index)]


def test_the_preview_has_a_page_for_each_page_of_the_pdf(preview: PdfPreviewDialog) -> None:
    total = _page_count(_summary("en"))
    assert total > 2  # the demo summary is long enough to scroll
    assert len(preview.page_views) == total
    assert preview.count_label.text() == f"Page 1 of {total}"
    assert preview.pages_area.accessibleDescription() == f"{total} pages"
    assert [view.accessibleName() for view in preview.page_views] == [
        f"Page {number} of {total}" for number in range(1, total + 1)
    ]


def test_only_the_pages_in_view_are_drawn_and_each_once(preview: PdfPreviewDialog) -> None:
    shown = _in_view(preview)
    assert shown and len(shown) < len(preview.page_views)
    assert _drawn_pages(preview) == shown
    preview.update()
    preview.pages_area.viewport().repaint()
    _settle()
    assert _drawn_pages(preview) == shown, "painted again, never drawn again"

    last = len(preview.page_views) - 1
    preview.go_to_page(last)
    _settle()
    assert _drawn_pages(preview) == [*shown, *(i for i in _in_view(preview) if i not in shown)]
    assert last in _drawn_pages(preview)
    never_seen = set(range(last + 1)) - set(_drawn_pages(preview))
    assert never_seen, "pages scrolled past without stopping are not drawn"


def test_a_page_is_drawn_at_its_size_on_the_screen(preview: PdfPreviewDialog) -> None:
    view = preview.page_views[0]
    ratio = view.devicePixelRatioF()
    assert preview.cache.drawn[0] == (0, round(view.width() * ratio))
    image = view.grab().toImage()
    assert image.pixelColor(2, 2).name() == "#ffffff"  # paper, not an empty widget


def test_keyboard_moves_by_page_and_scrolls(qtbot: QtBot, preview: PdfPreviewDialog) -> None:
    area = preview.pages_area
    assert area.hasFocus() or QApplication.focusWidget() is area
    last = len(preview.page_views) - 1
    qtbot.keyClick(area, Qt.Key.Key_End)
    assert preview.current_page == last
    assert preview.count_label.text() == f"Page {last + 1} of {last + 1}"
    qtbot.keyClick(area, Qt.Key.Key_Home)
    assert preview.current_page == 0
    qtbot.keyClick(area, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert preview.current_page == 1
    assert area.verticalScrollBar().value() == preview.page_views[1].y() - 8
    qtbot.keyClick(area, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert preview.current_page == 0
    qtbot.keyClick(area, Qt.Key.Key_PageDown)  # a screenful, as in any scrolled view
    assert area.verticalScrollBar().value() > 0
    _settle()
    assert set(_drawn_pages(preview)) <= {0, 1, 2}


def test_zoom_keeps_the_page_and_draws_it_again_at_the_new_size(
    qtbot: QtBot, preview: PdfPreviewDialog
) -> None:
    preview.go_to_page(2)
    _settle()
    before = preview.zoom_label.text()
    qtbot.keyClick(preview.pages_area, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    _settle()
    assert preview.zoom_label.text() != before
    assert preview.current_page == 2
    view = preview.page_views[2]
    assert preview.cache.drawn[-1] == (2, round(view.width() * view.devicePixelRatioF()))
    widths = {width for index, width in preview.cache.drawn if index == 2}
    assert len(widths) == 2, "drawn once before and once after the zoom"


def test_pages_out_of_view_are_let_go_beyond_the_budget(qtbot: QtBot) -> None:
    dialog = PdfPreviewDialog("Summary", PdfPages(_summary("en")), cache_budget=1)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    for index in range(len(dialog.page_views)):
        dialog.go_to_page(index)
        _settle()
        assert dialog.cache.cached_pages() == _in_view(dialog), "the pages in view stay"
    assert set(_drawn_pages(dialog)) == set(range(len(dialog.page_views)))


def test_closing_the_preview_lets_the_document_go(qtbot: QtBot) -> None:
    pages = PdfPages(_summary("en"))
    dialog = PdfPreviewDialog("Consultation summary", pages)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    _settle()
    assert dialog.cache.cached_pages()
    dialog.reject()
    assert pages.closed and dialog.cache.cached_pages() == []
    with pytest.raises(PdfPreviewError):
        pages.render(0, 100)


def test_arabic_preview_reads_from_the_right(qtbot: QtBot) -> None:
    from sdm_app import i18n

    data = _summary("ar")
    i18n.set_language("ar")
    QApplication.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    try:
        dialog = PdfPreviewDialog("ملخص", PdfPages(data))
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.zoom_in.click()  # wider than the view: the reading side shows first
        _settle()
        total = _page_count(data)
        assert dialog.count_label.text() == f"الصفحة 1 من {total}"
        first = dialog.page_views[0]
        view = dialog._view_rect()
        assert view.width() < first.width()
        assert view.right() >= first.geometry().right()
        assert _drawn_pages(dialog) == _in_view(dialog)
        qtbot.keyClick(dialog.pages_area, Qt.Key.Key_End)
        assert dialog.current_page == total - 1
    finally:
        QApplication.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


_AT_TWICE_THE_PIXELS = """
import sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from sdm_app.services.pdf_pages import PdfPages
from sdm_app.ui.pdf_preview import PdfPreviewDialog
dialog = PdfPreviewDialog("x", PdfPages(open(sys.argv[1], "rb").read()))
dialog.show()
for _ in range(5):
    app.processEvents()
view = dialog.page_views[0]
print(view.devicePixelRatioF(), view.width(), dialog.cache.drawn[0][1])
"""


def test_a_high_density_screen_gets_pages_drawn_at_its_pixels(tmp_path: Path) -> None:
    pdf = tmp_path / "summary.pdf"
    pdf.write_bytes(_summary("en"))
    env = {"QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": "2", "PATH": "/usr/bin:/bin"}
    env.update({k: v for k, v in os.environ.items() if k.startswith("SDM_APP")})
    out = subprocess.run(
        [sys.executable, "-c", _AT_TWICE_THE_PIXELS, str(pdf)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=env,
    ).stdout.split()
    ratio, width, drawn = float(out[0]), int(out[1]), int(out[2])
    assert ratio == 2.0
    assert drawn == 2 * width, "drawn once at the screen's pixels, never scaled after"


def test_the_summary_step_loads_the_fonts_of_the_pdf_language_when_shown(
    session: Session, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sdm_app.core.consultation import Step
    from sdm_app.i18n import language_name
    from sdm_app.ui.steps import summary_step

    prepared: list[str] = []
    monkeypatch.setattr(summary_step, "_load_for_export", prepared.append)
    page = session.window.consultations_page
    session.window.show_page("consultations")
    page.new_button.click()
    step = page.steps[Step.SUMMARY]
    language = step.language  # type: ignore[attr-defined]
    language.setCurrentIndex(language.findData("hi"))
    assert prepared == [], "nothing is loaded before the step is shown"
    page.show_step(Step.SUMMARY)
    qtbot.waitUntil(lambda: prepared == [language_name("hi")])
    language.setCurrentIndex(language.findData("ar"))
    qtbot.waitUntil(lambda: prepared == [language_name("hi"), language_name("ar")])
    page.show_step(Step.READY)
    page.show_step(Step.SUMMARY)
    language.setCurrentIndex(language.findData("hi"))
    assert len(prepared) == 2, "each language once"


@pytest.mark.parametrize(
    ("language", "families"),
    [("en", {"latin"}), ("ar", {"latin", "arabic"}), ("zh", {"latin", "cjk"})],
)
def test_export_preparation_registers_the_fonts_of_the_language_script(
    language: str, families: set[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sdm_app.i18n import language_name
    from sdm_app.services import pdf_fonts
    from sdm_app.ui.steps.summary_step import _load_for_export

    registered: list[tuple[str, bool]] = []
    real = pdf_fonts.font_name

    def font_name(family: str, bold: bool = False) -> str:
        registered.append((family, bold))
        return real(family, bold)

    monkeypatch.setattr(pdf_fonts, "font_name", font_name)
    _load_for_export(language_name(language))
    assert set(registered) == {(family, bold) for family in families for bold in (False, True)}
