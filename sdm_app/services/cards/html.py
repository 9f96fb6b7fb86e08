"""An explanation card as safe HTML for the Results step."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from sdm_app.core.knowledge import Citation
from sdm_app.i18n import _
from sdm_app.services.cards.model import ExplanationCard, LearnMore
from sdm_app.services.page_parts import direction, ui_direction

# HTML --------------------------------------------------------------------------


def _module_link(item: LearnMore) -> str:
    return (
        f'<a href="module:{escape(item.module_id, quote=True)}">'
        f'<span dir="{direction(item.locale)}">{escape(item.title)}</span></a>'
    )


def _links_html(items: Iterable[LearnMore]) -> str:
    rows = [f'<li dir="{direction(item.locale)}">{_module_link(item)}</li>' for item in items]
    return f"<ul>{''.join(rows)}</ul>" if rows else ""


def card_html(card: ExplanationCard, *, clinician: bool = False) -> str:
    """The card as safe HTML: every string escaped, links only to ``module:`` ids,
    community names and addresses as plain text. ``clinician`` adds the report's facts."""
    ui = ui_direction()

    def h(level: int, text: str) -> str:
        return f'<h{level} dir="{ui}">{escape(text)}</h{level}>'

    def paragraphs(texts: Iterable[str]) -> str:
        return "".join(f'<p dir="{ui}">{escape(text)}</p>' for text in texts if text)

    parts = [f'<div class="explanation" dir="{ui}">', h(2, card.heading)]
    parts += [h(3, _("What kind of finding it is")), paragraphs(card.finding)]
    parts += [h(3, _("What its class or tier means")), paragraphs(card.class_meaning)]
    parts.append(paragraphs((card.scheme_line,)))
    if card.scheme_source:
        parts.append(f'<p dir="ltr"><i>{escape(card.scheme_source)}</i></p>')
    if card.explainer is not None:
        parts.append(paragraphs((_("This is explained in:"),)))
        parts.append(_links_html((card.explainer,)))
    for section in card.sections:
        parts += [h(3, section.heading), paragraphs(section.paragraphs)]
        for group in section.lists:
            parts.append(paragraphs((group.lead,)))
            items = "".join(f"<li>{escape(item)}</li>" for item in group.items)
            parts.append(f'<ul dir="{ui}">{items}</ul>')
        parts.append(_links_html(section.links))
    if clinician and card.facts:
        parts.append(h(3, _("From the report (for clinicians)")))
        facts = "".join(f"<li>{escape(fact)}</li>" for fact in card.facts)
        parts.append(f'<ul dir="{ui}">{facts}</ul>')
    notices = (*card.notes, *card.status_notes)
    if notices:
        notes = (f'<p class="notice" dir="{ui}"><i>{escape(note)}</i></p>' for note in notices)
        parts.append("".join(notes))
    if card.learn_more:
        parts += [h(3, _("Learn more")), _links_html(card.learn_more)]
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
            lines = [f"<b>{escape(entry.name)}</b>"]
            lines += [escape(text) for text in (entry.region, entry.description, entry.url) if text]
            rows.append(f'<li dir="{direction(entry.locale)}">{"<br>".join(lines)}</li>')
        parts.append(f"<ul>{''.join(rows)}</ul>")
    if card.sources:
        parts.append(h(3, _("Sources of this explanation")))
        cited = "".join(f"<li>{escape(citation_text(item))}</li>" for item in card.sources)
        parts.append(f'<ul dir="ltr">{cited}</ul>')
    parts.append("</div>")
    return "\n".join(part for part in parts if part)


def citation_text(item: Citation) -> str:
    """A citation with its identifiers, as plain text (addresses are not opened)."""
    ids = [f"doi:{item.doi}" if item.doi else "", f"PMID {item.pmid}" if item.pmid else ""]
    ids.append(item.url if item.url and not (item.doi or item.pmid) else "")
    return " ".join(part for part in (item.citation, *ids) if part)
