from __future__ import annotations

from datetime import date

from sdm_app import i18n
from sdm_app.core.library import Module, PackInfo, ReviewInfo, Source
from sdm_app.services.module_page import highlighted_html, module_html
from sdm_app.services.page_parts import translation_notice

TODAY = date(2026, 11, 21)


def _module(**changes: object) -> Module:
    values: dict[str, object] = dict(
        id="m",
        pack_id="core",
        pack_version="1",
        topic_id="t",
        audience=("patient",),
        title="Title <b>",
        key_message="Key & message",
        body_html="<p>Body</p>",
        locale="en",
        requested_locale="en",
        status="source",
        source_version=2,
        translation_of=None,
        sources=(Source("s1", "Citation <i>", date(2020, 1, 1), doi="10.1000/x"),),
        review=ReviewInfo(date(2026, 1, 1), "Reviewer", date(2027, 1, 1), "needs clinical review"),
    )
    values.update(changes)
    return Module(**values)  # type: ignore[arg-type]


def test_order_is_key_message_body_sources_review() -> None:
    html = module_html(_module(), PackInfo("core", "Core", "1", "en", ("en",)), TODAY)
    positions = [
        html.index(part) for part in ("Key &amp; message", "<p>Body</p>", "Sources", "Reviewed on")
    ]
    assert positions == sorted(positions)
    assert "Title &lt;b&gt;" in html and "Citation &lt;i&gt;" in html
    assert 'href="https://doi.org/10.1000/x"' in html
    assert "needs clinical review" in html


def test_overdue_review_is_flagged() -> None:
    module = _module(review=ReviewInfo(date(2024, 1, 1), "R", date(2025, 1, 1), "reviewed"))
    html = module_html(module, None, TODAY)
    assert "overdue" in html
    assert "needs clinical review" not in html


def test_translation_notices() -> None:
    assert translation_notice(_module()) is None
    fallback = translation_notice(_module(requested_locale="ar"))
    assert fallback is not None and "not yet translated" in fallback
    machine = translation_notice(
        _module(locale="es", requested_locale="es", status="machine-assisted", translation_of=2)
    )
    assert machine is not None and "machine" in machine
    stale = translation_notice(
        _module(locale="es", requested_locale="es", status="reviewed", translation_of=1)
    )
    assert stale is not None and "changed" in stale


def test_notices_follow_the_ui_language() -> None:
    i18n.set_language("es")
    notice = translation_notice(_module(requested_locale="ar"))
    assert notice is not None and "not yet translated" not in notice


def test_arabic_text_is_marked_right_to_left() -> None:
    html = module_html(
        _module(locale="ar", requested_locale="ar", status="reviewed", translation_of=2),
        None,
        TODAY,
    )
    assert '<div dir="rtl"><h1>' in html  # the content's own direction
    assert html.startswith('<div dir="ltr">')  # the interface is English


def test_highlighting_escapes_and_wraps_ranges() -> None:
    assert highlighted_html("a<b>c", ((1, 4),)) == 'a<span class="hit">&lt;b&gt;</span>c'
    assert (
        highlighted_html("abc", ((2, 9), (0, 1)))
        == '<span class="hit">a</span>b<span class="hit">c</span>'
    )
