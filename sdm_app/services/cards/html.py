"""An explanation card as safe HTML for the Results step."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from sdm_app.core.bidi import block_is_rtl, isolate_ltr_runs
from sdm_app.core.knowledge import Citation
from sdm_app.i18n import (
    _,
    base_language,
    current_language,
    is_rtl,
    language_name,
    title_in_language,
)
from sdm_app.services.cards.model import ExplanationCard, LearnMore
from sdm_app.services.page_parts import direction, ui_direction

# HTML --------------------------------------------------------------------------


def _laid_out(text: str) -> tuple[str, str]:
    """The direction of a text among the app's words, and the text escaped: an English
    paragraph in the Arabic interface (not yet translated) runs left to right; in a
    right-to-left one every left-to-right phrase (gene, variant, title) is isolated."""
    rtl = block_is_rtl(text, is_rtl(current_language()))
    return ("rtl" if rtl else "ltr"), escape(isolate_ltr_runs(text, rtl))


def _links_html(items: Iterable[LearnMore], wanted_locale: str) -> str:
    rows = []
    for item in items:
        # A module not yet translated says which language it opens in.
        shown, title = _laid_out(title_in_language(item.title, item.locale, wanted_locale))
        href = escape(f"module:{item.module_id}", quote=True)
        rows.append(
            f'<li dir="{shown}"><a href="{href}"><span dir="{shown}">{title}</span></a></li>'
        )
    return f"<ul>{''.join(rows)}</ul>" if rows else ""


def card_html(card: ExplanationCard, *, clinician: bool = False) -> str:
    """The card as safe HTML: every string escaped, links only to ``module:`` ids,
    community names and addresses as plain text. ``clinician`` adds the report's facts."""
    ui = ui_direction()
    wanted = card.locale

    def own(text: str) -> str:
        # Headings and lines of the app's own words, with a gene, variant or value in them.
        return escape(isolate_ltr_runs(text, ui == "rtl"))

    def h(level: int, text: str) -> str:
        return f'<h{level} dir="{ui}">{own(text)}</h{level}>'

    def paragraphs(texts: Iterable[str]) -> str:
        laid_out = (_laid_out(text) for text in texts if text)
        return "".join(f'<p dir="{shown}">{escaped}</p>' for shown, escaped in laid_out)

    parts = [f'<div class="explanation" dir="{ui}">', h(2, card.heading)]
    parts += [h(3, _("What kind of finding it is")), paragraphs(card.finding)]
    parts += [h(3, _("What its class or tier means")), paragraphs(card.class_meaning)]
    parts.append(paragraphs((card.scheme_line,)))
    if card.scheme_source:
        parts.append(f'<p dir="ltr"><i>{escape(card.scheme_source)}</i></p>')
    if card.explainer is not None:
        parts.append(paragraphs((_("This is explained in:"),)))
        parts.append(_links_html((card.explainer,), wanted))
    for section in card.sections:
        parts += [h(3, section.heading), paragraphs(section.paragraphs)]
        for group in section.lists:
            parts.append(paragraphs((group.lead,)))
            items = "".join(f"<li>{own(item)}</li>" for item in group.items)
            parts.append(f'<ul dir="{ui}">{items}</ul>')
        parts.append(_links_html(section.links, wanted))
    if clinician and card.facts:
        parts.append(h(3, _("From the report (for clinicians)")))
        facts = "".join(f"<li>{own(fact)}</li>" for fact in card.facts)
        parts.append(f'<ul dir="{ui}">{facts}</ul>')
    notices = (*card.notes, *card.status_notes)
    if notices:
        notes = (f'<p class="notice" dir="{ui}"><i>{own(note)}</i></p>' for note in notices)
        parts.append("".join(notes))
    if card.learn_more:
        parts += [h(3, _("Learn more")), _links_html(card.learn_more, wanted)]
    if card.communities:
        parts.append(h(3, _("Patient communities")))
        parts.append(
            paragraphs(
                (
                    _(
                        "Groups for people with this biomarker. Their addresses are shown to "
                        "copy; the app does not open them."
                    ),
                )
            )
        )
        rows = []
        for entry in card.communities:
            rtl = is_rtl(entry.locale)
            name, *rest = (
                escape(isolate_ltr_runs(text, rtl))
                for text in (entry.name, entry.region, entry.description, entry.url)
            )
            lines = [f"<b>{name}</b>", *(text for text in rest if text)]
            rows.append(f'<li dir="{direction(entry.locale)}">{"<br>".join(lines)}</li>')
        parts.append(f"<ul>{''.join(rows)}</ul>")
        notice = communities_notice(card)
        if notice:
            parts.append(f'<p class="notice" dir="{ui}"><i>{own(notice)}</i></p>')
    if card.sources:
        parts.append(h(3, _("Sources of this explanation")))
        cited = "".join(f"<li>{escape(citation_text(item))}</li>" for item in card.sources)
        parts.append(f'<ul dir="ltr">{cited}</ul>')
    parts.append("</div>")
    return "\n".join(part for part in parts if part)


def communities_notice(card: ExplanationCard) -> str:
    """Said under communities described in another language than the card's (a
    directory not yet translated), or "" when every one is in the card's language."""
    wanted = base_language(card.locale)
    other = next((e.locale for e in card.communities if base_language(e.locale) != wanted), None)
    if other is None or not card.locale:
        return ""
    # The reading pages' own notice: translated wherever they are.
    return _("This text is not yet translated into {language}. It is shown in {source}.").format(
        language=language_name(card.locale), source=language_name(other)
    )


def citation_text(item: Citation) -> str:
    """A citation with its identifiers, as plain text (addresses are not opened)."""
    ids = [f"doi:{item.doi}" if item.doi else "", f"PMID {item.pmid}" if item.pmid else ""]
    ids.append(item.url if item.url and not (item.doi or item.pmid) else "")
    return " ".join(part for part in (item.citation, *ids) if part)
