"""A letter a patient can give to blood relatives after a germline pathogenic or
likely pathogenic result (issue 4, item 6): what was found, what it may mean for
relatives, who could consider testing, and how to reach a genetics service.

Qt-free; one or two printed pages; in any app language. The variant is copied
exactly as written on the report: the app never rewrites or interprets it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportlab.platypus import Flowable, Spacer

from sdm_app import __version__
from sdm_app.core.classification import PATHOGENIC, scheme
from sdm_app.core.consultation import Consultation
from sdm_app.core.knowledge import DOMINANT, Knowledge
from sdm_app.core.results import TestResult, germline_confirmed
from sdm_app.i18n import _, format_date, is_rtl, ngettext
from sdm_app.services import pdf_document as doc
from sdm_app.services.pdf_document import (
    BODY,
    H2,
    NOTE,
    TITLE,
    PdfExportError,
    UnknownLanguageError,
    bullets,
    in_language,
)
from sdm_app.services.pdf_text import TextBlock, TextStyle

__all__ = [
    "NoFamilyLetterError",
    "PdfExportError",
    "UnknownLanguageError",
    "build_family_letter_pdf",
    "export_family_letter_pdf",
    "family_letter_results",
]

_LABEL = TextStyle(size=10, leading=14.5, bold=True, space_after=0, keep_with_next=True)


class NoFamilyLetterError(ValueError):
    """The consultation has no germline pathogenic or likely pathogenic result."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "This consultation has no pathogenic or likely pathogenic result that a germline "
                "test has confirmed as inherited, so there is no family letter to make."
            )
        )


def family_letter_results(
    consultation: Consultation, knowledge: Knowledge
) -> tuple[TestResult, ...]:
    """The results a family letter is about: classed P or LP in a germline scheme, and
    confirmed as inherited by a germline test. A change a tumour test calls (likely)
    germline is not enough: relatives are told only once a germline test confirms it.

    A change in a pharmacogene (``knowledge``) is left out: the letter speaks of the
    risk of illness, and such a change matters only for some medicines. Without the
    content's gene rules (a damaged library) no letter is offered: a medicine gene
    could not be told apart."""
    if knowledge.empty:
        return ()
    found = []
    for result in consultation.results:
        genes = [knowledge.gene(name) for name in result.genes]
        if any(g is not None and g.pharmacogene and not g.hereditary for g in genes):
            continue
        known = scheme(result.scheme_id)
        klass = known.find(result.class_code) if known and result.class_code else None
        if (
            klass is not None
            and klass.meaning == PATHOGENIC
            and known is not None
            and known.origin == "germline"
            and germline_confirmed(result)
        ):
            found.append(result)
    return tuple(found)


def build_family_letter_pdf(
    consultation: Consultation,
    knowledge: Knowledge,
    *,
    language: str,
    today: date | None = None,
    genetics_service: str = "",
    paper: str = "auto",
    large_print: bool = False,
) -> bytes:
    """The letter as PDF bytes in ``language``.

    ``genetics_service`` is how to reach the patient's genetics service (name,
    telephone), printed as written; when empty the letter says how to find one.
    Raises NoFamilyLetterError when no result qualifies, UnknownLanguageError for
    a language the app lacks.
    """
    day = today or date.today()
    with in_language(language) as chosen, doc.print_options(paper, large_print=large_print):
        results = family_letter_results(consultation, knowledge)
        if not results:
            raise NoFamilyLetterError()
        rtl = is_rtl(chosen)
        story = _story(results, knowledge, day, genetics_service, rtl)
        info = doc.document_info(
            _("Information for your blood relatives"),
            _("A letter about an inherited gene change found in the family"),
            chosen,
            day,
        )
        return doc.render_pdf(story, info, rtl=rtl)


def export_family_letter_pdf(
    consultation: Consultation,
    knowledge: Knowledge,
    path: Path,
    *,
    language: str,
    today: date | None = None,
    genetics_service: str = "",
    paper: str = "auto",
    large_print: bool = False,
) -> Path:
    """Build the letter and write it atomically to ``path`` (PdfExportError names the path)."""
    data = build_family_letter_pdf(
        consultation,
        knowledge,
        language=language,
        today=today,
        genetics_service=genetics_service,
        paper=paper,
        large_print=large_print,
    )
    return doc.save_pdf(data, path)


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


def _story(
    results: tuple[TestResult, ...],
    knowledge: Knowledge,
    today: date,
    genetics_service: str,
    rtl: bool,
) -> list[Flowable]:
    meaning = _what_it_means(results, knowledge)
    genes = ", ".join(dict.fromkeys(r.gene for r in results if r.gene.strip())) or "-"
    story: list[Flowable] = [
        TextBlock(_("Information for your blood relatives"), TITLE, rtl),
        TextBlock(format_date(today), NOTE, rtl),
        TextBlock(_("Dear relative,"), BODY, rtl),
        TextBlock(
            _(
                "I had a genetic test. It found a change in a gene that can be passed on in "
                "families. I am giving you this letter because you may have the same change. "
                "You can decide for yourself whether you want to know more."
            ),
            BODY,
            rtl,
        ),
        TextBlock(_("What was found"), H2, rtl),
    ]
    for result in results:
        story += bullets(_finding(result), rtl=rtl)
        story.append(Spacer(1, 3))
    story += [
        TextBlock(_("What it may mean for you"), H2, rtl),
        TextBlock(
            _(
                "This change was inherited. It can raise the chance of some illnesses. It "
                "does not mean that everyone who has it becomes ill."
            ),
            BODY,
            rtl,
        ),
        *(TextBlock(sentence, BODY, rtl) for sentence in meaning),
        TextBlock(
            _("Men and women can both have the change and pass it on to their children."),
            BODY,
            rtl,
        ),
        TextBlock(
            _(
                "Blood relatives may have the same change: parents, brothers, sisters and "
                "children most often, and also aunts, uncles, cousins, nieces and nephews. "
                "Partners and relatives by marriage do not share it."
            ),
            BODY,
            rtl,
        ),
        TextBlock(
            _(
                "If you have the change, checks or steps to lower your risk may be offered. "
                "If you do not have it, you may not need extra checks because of it."
            ),
            BODY,
            rtl,
        ),
        TextBlock(_("Who could consider testing"), H2, rtl),
        *bullets(
            [
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
            ],
            rtl=rtl,
        ),
        TextBlock(_("How to reach a genetics service"), H2, rtl),
    ]
    if genetics_service.strip():
        story.append(TextBlock(_("My genetics service:"), _LABEL, rtl))
        story.append(TextBlock(genetics_service, BODY, rtl, auto=True))
    story += [
        TextBlock(
            _(
                "Ask your family doctor to refer you to a genetics service or clinic, and "
                "show them this letter. The gene and the variant written above help the "
                "laboratory test for the same change."
            ),
            BODY,
            rtl,
        ),
        Spacer(1, 6),
        TextBlock(
            _(
                "This letter is for information. It is not a diagnosis and not medical "
                "advice. Made with sdm-app version {version}."
            ).format(version=__version__),
            NOTE,
            rtl,
        ),
    ]
    return story
