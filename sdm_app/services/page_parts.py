"""Pieces shared by the reading pages (modules, decision aids): translation and
review notices, the sources list and the pack line. Qt-free; every string that
comes from content is escaped here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from html import escape
from typing import Protocol

from sdm_app.core.bidi import isolate_ltr_runs
from sdm_app.core.library import Change, PackInfo, ReviewInfo, Source
from sdm_app.i18n import (
    _,
    current_language,
    format_date,
    is_rtl,
    join_sentences,
    language_name,
)


class Translatable(Protocol):
    @property
    def locale(self) -> str: ...
    @property
    def requested_locale(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def is_fallback(self) -> bool: ...
    @property
    def is_stale(self) -> bool: ...


def direction(locale: str) -> str:
    return "rtl" if is_rtl(locale) else "ltr"


def ui_direction() -> str:
    """The direction of the app's own words, which may differ from the content's
    (an untranslated English module inside the Arabic interface)."""
    return direction(current_language())


def ui_text(text: str) -> str:
    """``text`` as laid out among the app's own words: in a right-to-left language,
    every left-to-right phrase in it (a gene, a variant, a title in another language)
    isolated so that it keeps its order and its brackets and full stops their place."""
    return isolate_ltr_runs(text, is_rtl(current_language()))


def translation_notice(item: Translatable) -> str | None:
    """A plain sentence about a text's translation status, or None for source text."""
    if item.is_fallback:
        return _(
            "This text is not yet translated into {language}. It is shown in {source}."
        ).format(language=language_name(item.requested_locale), source=language_name(item.locale))
    if item.status == "machine-assisted":
        notice = _(
            "This translation was made with the help of a machine and has not been reviewed yet."
        )
    elif item.status == "translated":
        notice = _("This translation has not been reviewed yet.")
    elif item.status == "draft":
        notice = _("This text is a draft.")
    else:
        notice = None
    if item.is_stale:
        stale = _("The original text has changed since this translation was made.")
        notice = f"{notice} {stale}" if notice else stale
    return notice


def notice_html(item: Translatable) -> str:
    notice = translation_notice(item)
    if not notice:
        return ""
    return f'<p class="notice" dir="{ui_direction()}"><i>{escape(ui_text(notice))}</i></p>'


def review_sentence(review: ReviewInfo, today: date) -> str:
    text = _("Reviewed on {reviewed} by {reviewer}. Next review due {next}.").format(
        reviewed=format_date(review.reviewed_on),
        reviewer=review.reviewer,
        next=format_date(review.next_review),
    )
    if review.status != "reviewed":
        text = join_sentences(text, _("This text needs clinical review."))
    if review.is_overdue(today):
        text = join_sentences(text, _("Its review is overdue: some details may be out of date."))
    return text


def sources_html(sources: Iterable[Source]) -> str:
    """The numbered source list; each item is the target of its ``source:`` citations."""
    items = []
    for source in sources:
        link = source.link()
        identifier = escape(source.identifier())
        ref = f'<a href="{escape(link, quote=True)}">{identifier}</a>' if link else identifier
        dated = _("dated {date}").format(date=format_date(source.date))
        items.append(
            f'<li><a name="source-{escape(source.id, quote=True)}"></a>'
            f"{escape(source.citation)} {ref} ({escape(dated)})</li>"
        )
    if not items:
        return ""
    heading = _("Sources")
    ui = ui_direction()
    return f'<h2 dir="{ui}">{escape(heading)}</h2><ol dir="{ui}">{"".join(items)}</ol>'


def changes_html(changelog: Iterable[Change], text_locale: str) -> str:
    """What changed in each version, newest first (the source's words, so shown only
    with the source text)."""
    items = []
    for change in changelog:
        when = _("Version {version}, {date}:").format(
            version=change.version, date=format_date(change.day)
        )
        items.append(
            f"<li><b>{escape(when)}</b> "
            f'<span dir="{direction(text_locale)}">{escape(change.text)}</span></li>'
        )
    if not items:
        return ""
    heading = _("What changed")
    ui = ui_direction()
    return f'<h2 dir="{ui}">{escape(heading)}</h2><ul dir="{ui}">{"".join(items)}</ul>'


def about_html(review: ReviewInfo, pack: PackInfo | None, today: date) -> str:
    heading = _("About this text")
    ui = ui_direction()
    parts = [
        f'<h2 dir="{ui}">{escape(heading)}</h2>',
        f'<p dir="{ui}">{escape(review_sentence(review, today))}</p>',
    ]
    if pack is not None:
        line = _("From the content pack “{name}”, version {version}.").format(
            name=pack.name, version=pack.version
        )
        parts.append(f'<p dir="{ui}">{escape(line)}</p>')
    return "".join(parts)


def boxed_html(label: str, text: str, text_locale: str) -> str:
    """A framed box for the one thing to read first (key message, the question)."""
    return (
        '<table class="key" width="100%" cellpadding="10"><tr><td>'
        f'<p dir="{ui_direction()}"><b>{escape(label)}</b></p>'
        f'<p dir="{direction(text_locale)}"><b>{escape(text)}</b></p></td></tr></table>'
    )


def content_html(locale: str, html: str) -> str:
    """Markup written in the content's language, laid out in its direction."""
    return f'<div dir="{direction(locale)}">{html}</div>'
