"""The family letter as a document: what was found, what it may mean for blood
relatives, who could consider testing, and how to reach a genetics service.

Qt-free. Only for results ``family_letter.family_letter_results`` allows (a germline
test confirmed them). The variant is copied exactly as written on the report.
"""

from __future__ import annotations

from datetime import date

from sdm_app import __version__
from sdm_app.core.classification import scheme
from sdm_app.core.knowledge import DOMINANT, Knowledge
from sdm_app.core.results import TestResult
from sdm_app.i18n import _, format_date, is_rtl, ngettext
from sdm_app.services.documents.model import (
    Block,
    BulletList,
    Document,
    Heading,
    Paragraph,
    Section,
)


def letter_document(
    results: tuple[TestResult, ...],
    knowledge: Knowledge,
    *,
    language: str,
    today: date,
    genetics_service: str = "",
    note: str = "",
) -> Document:
    """The letter in the current UI language ``language``. ``genetics_service`` is how
    to reach the patient's genetics service, printed as written; when empty the
    letter says how to find one. ``note`` is the patient's own words to relatives,
    printed as written."""
    meaning = _what_it_means(results, knowledge)
    genes = ", ".join(dict.fromkeys(r.gene for r in results if r.gene.strip())) or "-"
    blocks: list[Block] = [
        Heading(_("Information for your blood relatives"), 1),
        Paragraph(format_date(today), "note"),
        Paragraph(_("Dear relative,")),
        Paragraph(
            _(
                "I had a genetic test. It found a change in a gene that can be passed on in "
                "families. I am giving you this letter because you may have the same change. "
                "You can decide for yourself whether you want to know more."
            )
        ),
    ]
    if note.strip():
        blocks.append(Section(_("A note from me"), (Paragraph(note, own_direction=True),)))
    blocks.append(Heading(_("What was found"), 2))
    blocks += [BulletList(tuple(_finding(result))) for result in results]
    blocks += [
        Heading(_("What it may mean for you"), 2),
        Paragraph(
            _(
                "This change was inherited. It can raise the chance of some illnesses. It "
                "does not mean that everyone who has it becomes ill."
            )
        ),
        *(Paragraph(sentence) for sentence in meaning),
        Paragraph(_("Men and women can both have the change and pass it on to their children.")),
        Paragraph(
            _(
                "Blood relatives may have the same change: parents, brothers, sisters and "
                "children most often, and also aunts, uncles, cousins, nieces and nephews. "
                "Partners and relatives by marriage do not share it."
            )
        ),
        Paragraph(
            _(
                "If you have the change, checks or steps to lower your risk may be offered. "
                "If you do not have it, you may not need extra checks because of it."
            )
        ),
        Heading(_("Who could consider testing"), 2),
        BulletList(
            (
                ngettext(
                    "Adult blood relatives can ask for a test for this one known change in "
                    "{genes}. This is called cascade testing.",
                    "Adult blood relatives can ask for a test for these {count} known changes "
                    "in {genes}. This is called cascade testing.",
                    len(results),
                ).format(genes=genes, count=len(results)),
                _(
                    "Testing children is usually discussed only when the result would change "
                    "their care in childhood."
                ),
                _(
                    "Testing is your choice. A genetic counsellor can help you decide, "
                    "before any test."
                ),
            )
        ),
        Heading(_("How to reach a genetics service"), 2),
    ]
    if genetics_service.strip():
        blocks.append(Paragraph(_("My genetics service:"), "strong"))
        blocks.append(Paragraph(genetics_service, own_direction=True))
    blocks += [
        Paragraph(
            _(
                "Ask your family doctor to refer you to a genetics service or clinic, and "
                "show them this letter. The gene and the variant written above help the "
                "laboratory test for the same change."
            )
        ),
        Paragraph(
            _(
                "This letter is for information. It is not a diagnosis and not medical "
                "advice. Made with sdm-app version {version}."
            ).format(version=__version__),
            "note",
        ),
    ]
    return Document(
        title=_("Information for your blood relatives"),
        subject=_("A letter about an inherited gene change found in the family"),
        language=language,
        day=today,
        blocks=tuple(blocks),
        rtl=is_rtl(language),
    )


def _finding(result: TestResult) -> list[str]:
    known = scheme(result.scheme_id)
    klass = known.find(result.class_code) if known else None
    lines = [
        _("Gene: {gene}").format(gene=result.gene or "-"),
        _("Variant, as written on the report: {variant}").format(variant=result.alteration or "-"),
    ]
    if known is not None and klass is not None:
        lines.append(
            _("Classification: {label} ({scheme}, version {version})").format(
                label=_(klass.label), scheme=_(known.name), version=known.version
            )
        )
    names = " ".join(
        part
        for part in (result.transcript.strip(), result.hgvs_c.strip(), result.hgvs_p.strip())
        if part
    )
    if names:
        lines.append(_("Variant names (HGVS): {names}").format(names=names))
    if result.lab.strip():
        lines.append(_("Laboratory: {lab}").format(lab=result.lab))
    if result.reported_on is not None:
        lines.append(_("Report date: {date}").format(date=format_date(result.reported_on)))
    if result.accession.strip():
        # Lets the relatives' genetics service ask the laboratory for the original report.
        lines.append(_("Laboratory reference: {accession}").format(accession=result.accession))
    return lines


def _what_it_means(results: tuple[TestResult, ...], knowledge: Knowledge) -> list[str]:
    """Sentences from the content's gene rules (the condition, how it is passed on);
    the knowledge file cites their sources."""
    sentences: list[str] = []
    for result in results:
        rule = next((r for r in map(knowledge.gene, result.genes) if r is not None), None)
        if rule is None:
            continue
        gene = result.gene.strip() or rule.symbol
        if rule.condition is not None:
            sentences.append(
                _("Harmful changes in {gene} are linked to {condition}.").format(
                    gene=gene, condition=rule.condition.text
                )
            )
        if rule.inheritance == DOMINANT:
            sentences.append(
                _(
                    "Each child, brother or sister of someone with a harmful change in {gene} "
                    "has a 1 in 2 chance of having it too."
                ).format(gene=gene)
            )
    return sentences
