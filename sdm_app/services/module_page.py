"""The reading view of one module as HTML: key message first, then the body,
then sources and review details. Qt-free so it is tested without a display.

Every string that comes from content or the user is escaped here; ``body_html``
is the only markup let through, and it was sanitised when the pack was built.
"""

from __future__ import annotations

from datetime import date
from html import escape

from sdm_app.core.library import Module, PackInfo
from sdm_app.i18n import _, format_date, is_rtl, language_name


def _direction(locale: str) -> str:
    return "rtl" if is_rtl(locale) else "ltr"


def translation_notice(module: Module) -> str | None:
    """A plain sentence about the text's translation status, or None for source text."""
    if module.is_fallback:
        return _(
            "This module is not yet translated into {language}. It is shown in {source}."
        ).format(
            language=language_name(module.requested_locale), source=language_name(module.locale)
        )
    if module.status == "machine-assisted":
        notice = _(
            "This translation was made with the help of a machine and has not been reviewed yet."
        )
    elif module.status == "draft":
        notice = _("This text is a draft.")
    else:
        notice = None
    if module.is_stale:
        stale = _("The original text has changed since this translation was made.")
        notice = f"{notice} {stale}" if notice else stale
    return notice


def review_sentence(module: Module, today: date) -> str:
    review = module.review
    text = _("Reviewed on {reviewed} by {reviewer}. Next review due {next}.").format(
        reviewed=format_date(review.reviewed_on),
        reviewer=review.reviewer,
        next=format_date(review.next_review),
    )
    if review.status != "reviewed":
        text += " " + _("This text needs clinical review.")
    if review.is_overdue(today):
        text += " " + _("Its review is overdue: some details may be out of date.")
    return text


def module_html(module: Module, pack: PackInfo | None, today: date) -> str:
    direction = _direction(module.locale)
    key_label, sources_label, about_label = _("Key message"), _("Sources"), _("About this text")
    parts = [
        f'<div dir="{direction}">',
        f"<h1>{escape(module.title)}</h1>",
        '<table class="key" width="100%" cellpadding="10"><tr><td>'
        f"<p><b>{escape(key_label)}</b></p>"
        f"<p><b>{escape(module.key_message)}</b></p></td></tr></table>",
    ]
    notice = translation_notice(module)
    if notice:
        parts.append(f'<p class="notice"><i>{escape(notice)}</i></p>')
    parts.append(module.body_html)
    if module.sources:
        parts.append(f"<h2>{escape(sources_label)}</h2><ol>")
        for source in module.sources:
            link = source.link()
            identifier = escape(source.identifier())
            ref = f'<a href="{escape(link, quote=True)}">{identifier}</a>' if link else identifier
            dated = _("dated {date}").format(date=format_date(source.date))
            parts.append(
                f'<li><a name="source-{escape(source.id, quote=True)}"></a>'
                f"{escape(source.citation)} {ref} ({escape(dated)})</li>"
            )
        parts.append("</ol>")
    parts.append(f"<h2>{escape(about_label)}</h2>")
    parts.append(f"<p>{escape(review_sentence(module, today))}</p>")
    if pack is not None:
        about = _("From the content pack “{name}”, version {version}.").format(
            name=pack.name, version=pack.version
        )
        parts.append(f"<p>{escape(about)}</p>")
    parts.append("</div>")
    return "\n".join(parts)


def highlighted_html(text: str, ranges: tuple[tuple[int, int], ...]) -> str:
    """Escaped text with the given character ranges wrapped for highlighting."""
    out: list[str] = []
    position = 0
    for start, end in sorted(ranges):
        start, end = max(start, position), min(end, len(text))
        if start >= end:
            continue
        out.append(escape(text[position:start]))
        out.append(f'<span class="hit">{escape(text[start:end])}</span>')
        position = end
    out.append(escape(text[position:]))
    return "".join(out)
