"""The reading view of one module as HTML: key message first, then the body,
then sources and review details. Qt-free so it is tested without a display.

Every string that comes from content or the user is escaped here; ``body_html``
is the only markup let through, and it was sanitised when the pack was built.
"""

from __future__ import annotations

from datetime import date
from html import escape

from sdm_app.core.library import Module, PackInfo
from sdm_app.i18n import _
from sdm_app.services.page_parts import (
    about_html,
    boxed_html,
    changes_html,
    content_html,
    notice_html,
    sources_html,
    ui_direction,
)


def module_html(module: Module, pack: PackInfo | None, today: date) -> str:
    key_label = _("Key message")
    return "\n".join(
        (
            f'<div dir="{ui_direction()}">',
            content_html(module.locale, f"<h1>{escape(module.title)}</h1>"),
            boxed_html(key_label, module.key_message, module.locale),
            notice_html(module),
            content_html(module.locale, module.body_html),
            sources_html(module.sources),
            about_html(module.review, pack, today),
            changes_html(module.changelog if module.translation_of is None else (), module.locale),
            "</div>",
        )
    )


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
