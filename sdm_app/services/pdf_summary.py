"""The consultation summary as a PDF (DESIGN.md section 8, issue 4).

Qt-free. The summary's language is chosen on export and may differ from the
UI's: it is built inside ``in_language``, which restores the UI's language
afterwards. The patient view (the default) leaves out clinician notes.

    data = build_summary_pdf(consultation, library, language="ar")
    export_summary_pdf(consultation, library, Path("summary.pdf"), language="ar")
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Protocol

from reportlab.platypus import Flowable, KeepTogether, Spacer

from sdm_app import __version__
from sdm_app.core.consultation import NOT_SURE, SURE_ITEMS, Consultation
from sdm_app.core.decision_aid import DecisionAid
from sdm_app.core.library import Module, PackInfo
from sdm_app.core.questions import bank_question
from sdm_app.core.results import TestResult
from sdm_app.i18n import (
    _,
    format_date,
    format_number,
    is_rtl,
    join_sentences,
    ngettext,
    title_in_language,
)
from sdm_app.services import pdf_document as doc
from sdm_app.services.cards import (
    ContentSource,
    ExplanationCard,
    LearnMore,
    citation_text,
    explain,
)
from sdm_app.services.decision_aid_page import figure_sentence, option_heading
from sdm_app.services.page_parts import review_sentence, translation_notice
from sdm_app.services.pdf_document import (
    BODY,
    CELL,
    CELL_BULLET,
    CELL_HEAD,
    H3,
    NOTE,
    TITLE,
    PdfExportError,
    UnknownLanguageError,
    bullets,
    in_language,
    section,
)
from sdm_app.services.pdf_text import TextBlock, TextStyle
from sdm_app.services.result_words import finding_name, report_facts, therapy_summary
from sdm_app.services.summary_page import sure_questions

__all__ = [
    "PdfExportError",
    "SummaryContent",
    "UnknownLanguageError",
    "build_summary_pdf",
    "export_summary_pdf",
]


_Cards = list[tuple[TestResult, ExplanationCard | None]]


class SummaryContent(ContentSource, Protocol):
    """What the summary reads from the content library (``ContentLibrary`` fits)."""

    def decision_aid(self, aid_id: str, locale: str) -> DecisionAid | None: ...

    def packs(self) -> list[PackInfo]: ...


def disclaimer() -> str:
    return _(
        "This summary is for education and to support your conversations with your care team. "
        "It is not medical advice."
    )


def build_summary_pdf(
    consultation: Consultation,
    library: SummaryContent | None,
    *,
    language: str,
    today: date | None = None,
    patient_view: bool = True,
    paper: str = "auto",
    large_print: bool = False,
) -> bytes:
    """The summary as PDF bytes in ``language`` (an app language, e.g. "en", "ar").

    ``library`` may be None (no content database): results then say what the app
    could not explain. Raises UnknownLanguageError for a language the app lacks.
    """
    day = today or date.today()
    with in_language(language) as chosen, doc.print_options(paper, large_print=large_print):
        content_locale = consultation.context.materials_locale or chosen
        rtl = is_rtl(chosen)
        story = _story(consultation, library, content_locale, day, rtl, patient_view)
        info = doc.document_info(
            _("Consultation summary"),
            _("A summary of a shared decision-making consultation"),
            chosen,
            day,
            label=consultation.patient_label,
        )
        return doc.render_pdf(story, info, rtl=rtl)


def export_summary_pdf(
    consultation: Consultation,
    library: SummaryContent | None,
    path: Path,
    *,
    language: str,
    today: date | None = None,
    patient_view: bool = True,
    paper: str = "auto",
    large_print: bool = False,
) -> Path:
    """Build the summary and write it atomically to ``path``.

    Raises PdfExportError (the message names the path) when it cannot be written,
    UnknownLanguageError for a language the app lacks.
    """
    data = build_summary_pdf(
        consultation,
        library,
        language=language,
        today=today,
        patient_view=patient_view,
        paper=paper,
        large_print=large_print,
    )
    return doc.save_pdf(data, path)


# The story ----------------------------------------------------------------------


def _story(
    consultation: Consultation,
    library: SummaryContent | None,
    locale: str,
    today: date,
    rtl: bool,
    patient_view: bool,
) -> list[Flowable]:
    aid = _decision_aid(consultation, library, locale)
    cards: _Cards = [
        (result, explain(result, consultation.context.condition, library, locale))
        if library is not None
        else (result, None)
        for result in consultation.results
    ]
    story: list[Flowable] = [TextBlock(_("Consultation summary"), TITLE, rtl)]
    if consultation.patient_label.strip():
        story.append(TextBlock(consultation.patient_label, BODY, rtl, auto=True))
    story.append(TextBlock(disclaimer(), NOTE, rtl))
    story += section(_("About this visit"), _visit(consultation, today, rtl), rtl=rtl)
    results = _results(cards, patient_view, locale, rtl)
    story += section(_("Test results"), results, rtl=rtl)
    if aid is not None:
        story += _options(aid, rtl)
        story += section(_("What the numbers say"), _numbers(aid, rtl), rtl=rtl)
    story += section(_("What matters to you"), _values(consultation, aid, rtl), rtl=rtl)
    story += section(_("Ready to decide?"), _sure(consultation, rtl), rtl=rtl)
    story += section(_("Questions for your care team"), _questions(consultation, rtl), rtl=rtl)
    story += section(_("The option you lean toward"), _leaning(consultation, aid, rtl), rtl=rtl)
    story += section(_("Next steps"), _paragraph(consultation.next_steps, rtl), rtl=rtl)
    story += section(_("Who else to involve"), _paragraph(consultation.involve, rtl), rtl=rtl)
    if not patient_view:
        story += section(
            _("Clinician notes"), _paragraph(consultation.clinician_notes, rtl), rtl=rtl
        )
    if aid is not None:
        story += section(_("Sources"), _sources(aid, rtl), rtl=rtl)
    story += section(
        _("About this summary"), _about(library, aid, cards, locale, today, rtl), rtl=rtl
    )
    return story


def _decision_aid(
    consultation: Consultation, library: SummaryContent | None, locale: str
) -> DecisionAid | None:
    if library is None or not consultation.decision_aid_id:
        return None
    try:
        return library.decision_aid(consultation.decision_aid_id, locale)
    except Exception:  # a damaged library must not stop the summary
        return None


def _paragraph(value: str, rtl: bool) -> list[Flowable]:
    return [TextBlock(value, BODY, rtl, auto=True)] if value.strip() else []


def _visit(consultation: Consultation, today: date, rtl: bool) -> list[Flowable]:
    context = consultation.context
    lines = [
        # The consultation's own date; the page header gives the date it was printed.
        _("Date: {date}").format(date=format_date(consultation.created_at.date())),
        _("Condition: {condition}").format(condition=context.condition or "-"),
        _("Decision: {decision}").format(decision=context.decision or "-"),
    ]
    if context.present.strip():
        lines.append(_("Present: {present}").format(present=context.present))
    return bullets(lines, rtl=rtl)


def _results(cards: _Cards, patient_view: bool, content_locale: str, rtl: bool) -> list[Flowable]:
    body: list[Flowable] = []
    # A general explanation (what a target means, the limits of a negative blood
    # test ...) is printed in full once; a later result with the same section
    # refers back to it, so fifteen results do not repeat the same paragraphs.
    said: dict[tuple[str, tuple[str, ...]], str] = {}
    for result, card in cards:
        heading = card.heading if card else finding_name(result)
        body.append(TextBlock(heading or _("Result"), H3, rtl))
        facts = report_facts(result, clinician=not patient_view)
        therapies = therapy_summary(result)
        if therapies and card is None:
            facts.append(therapies)
        if result.clinician_note.strip() and not patient_view:
            facts.append(_("Clinician note: {note}").format(note=result.clinician_note))
        body += bullets(facts, rtl=rtl)
        if card is None:
            body.append(
                TextBlock(
                    _("The explanation is not available: the content library could not be read."),
                    NOTE,
                    rtl,
                )
            )
            continue
        body += [TextBlock(p, BODY, rtl) for p in (*card.finding, *card.class_meaning) if p]
        if card.scheme_line:
            body.append(TextBlock(card.scheme_line, NOTE, rtl))
        for part in card.sections:
            body.append(TextBlock(part.heading, _sub_heading(), rtl))
            seen = said.get((part.key, part.paragraphs))
            if seen is not None and part.paragraphs:
                body.append(
                    TextBlock(
                        _("As explained above for {finding}.").format(finding=seen), NOTE, rtl
                    )
                )
            else:
                body += [TextBlock(p, BODY, rtl) for p in part.paragraphs if p]
                said[(part.key, part.paragraphs)] = finding_name(result) or _("Result")
            for group in part.lists:
                body.append(TextBlock(group.lead, BODY, rtl))
                body += bullets(group.items, rtl=rtl)
        body += [TextBlock(note, NOTE, rtl) for note in (*card.notes, *card.status_notes)]
        if card.sources:
            cited = "; ".join(citation_text(item) for item in card.sources)
            body.append(TextBlock(_("Sources: {sources}").format(sources=cited), NOTE, rtl))
        reading = [item for item in (card.explainer, *card.learn_more) if item is not None]
        if reading:
            titles = "; ".join(
                title_in_language(item.title, item.locale, content_locale) for item in reading
            )
            body.append(
                TextBlock(_("To read in the app: {titles}").format(titles=titles), NOTE, rtl)
            )
        for entry in card.communities:
            line = " · ".join(t for t in (entry.name, entry.region, entry.url) if t)
            body.append(TextBlock(_("Patient community: {entry}").format(entry=line), NOTE, rtl))
    return body


def _sub_heading() -> TextStyle:
    return TextStyle(
        size=10, leading=14.5, bold=True, space_before=3, space_after=1, keep_with_next=True
    )


def _options(aid: DecisionAid, rtl: bool) -> list[Flowable]:
    body: list[Flowable] = [
        TextBlock(aid.title, H3, rtl),
        TextBlock(_("The decision: {question}").format(question=aid.question), BODY, rtl),
    ]
    notice = translation_notice(aid)
    if notice:
        body.append(TextBlock(notice, NOTE, rtl))
    story = doc.section(_("Options considered"), body, rtl=rtl)
    if doc.large_print():
        # Side by side, large type leaves columns too narrow: one option after another.
        story += _options_one_by_one(aid, rtl)
    else:
        story += _options_side_by_side(aid, rtl)
    if aid.no_action_reason:
        story.append(Spacer(1, 4))
        story.append(
            TextBlock(
                _("Why waiting is not offered here: {reason}").format(reason=aid.no_action_reason),
                NOTE,
                rtl,
            )
        )
    return story


def _options_one_by_one(aid: DecisionAid, rtl: bool) -> list[Flowable]:
    story: list[Flowable] = []
    for option in aid.options:
        story.append(TextBlock(option_heading(option), H3, rtl))
        answers = [
            _("{question} {answer}").format(
                question=attribute.question,
                answer=option.answers.get(attribute.id, _("Not answered")),
            )
            for attribute in aid.attributes
        ]
        story += bullets(answers, rtl=rtl)
        for label, items in (
            (_("Possible benefits"), option.benefits),
            (_("Possible harms"), option.harms),
        ):
            if items:
                story.append(TextBlock(label, H3, rtl))
                story += bullets(items, rtl=rtl)
    return story


def _options_side_by_side(aid: DecisionAid, rtl: bool) -> list[Flowable]:
    story: list[Flowable] = [TextBlock(_("Your options side by side"), H3, rtl)]
    total = doc.frame_width()
    first = total * 0.22
    rest = (total - first) / max(len(aid.options), 1)
    rows: list[list[Any]] = [
        [TextBlock("", CELL_HEAD, rtl)]
        + [TextBlock(option_heading(o), CELL_HEAD, rtl) for o in aid.options]
    ]
    for attribute in aid.attributes:
        rows.append(
            [TextBlock(attribute.question, CELL_HEAD, rtl)]
            + [
                TextBlock(o.answers.get(attribute.id, _("Not answered")), CELL, rtl)
                for o in aid.options
            ]
        )
    for label, pick in ((_("Possible benefits"), "benefits"), (_("Possible harms"), "harms")):
        rows.append(
            [TextBlock(label, CELL_HEAD, rtl)]
            + [bullets(getattr(o, pick), rtl=rtl, style=CELL_BULLET) for o in aid.options]
        )
    story.append(doc.grid(rows, [first] + [rest] * len(aid.options), rtl=rtl))
    return story


def _numbers(aid: DecisionAid, rtl: bool) -> list[Flowable]:
    body: list[Flowable] = []
    kinds = {"benefit": _("A possible benefit"), "harm": _("A possible harm")}
    total = doc.frame_width()
    for outcome in aid.outcomes:
        intro = [
            TextBlock(outcome.label, H3, rtl),
            TextBlock(
                # Translators: kind is "A possible benefit" or "A possible harm".
                _("{kind}. Among: {population}").format(
                    kind=kinds.get(outcome.kind, outcome.kind), population=outcome.population
                ),
                NOTE,
                rtl,
            ),
        ]
        rows: list[list[Any]] = []
        for option in aid.options:
            figure = outcome.figure_for(option.id)
            if figure is None:
                continue
            sentence = figure_sentence(figure)
            number = next(
                (n for n, s in enumerate(aid.sources, 1) if s.id == figure.source_id), None
            )
            if number is not None:
                sentence = join_sentences(sentence, _("Source [{number}].").format(number=number))
            drawing = None
            if figure.numerator is not None:
                drawing = doc.icon_array(figure.numerator, figure.denominator, rtl=rtl)
                per = doc.icons_per_figure(figure.denominator)
                if per > 1:
                    sentence = join_sentences(
                        sentence,
                        ngettext(
                            "Each figure stands for {count} person.",
                            "Each figure stands for {count} people.",
                            per,
                        ).format(count=format_number(per)),
                    )
            rows.append(
                [
                    [TextBlock(option.title, CELL_HEAD, rtl), TextBlock(sentence, CELL, rtl)],
                    drawing or TextBlock("", CELL, rtl),
                ]
            )
        if rows:
            table = doc.grid(rows, [total - 80, 80], rtl=rtl, header_rows=0, lines=False)
            body.append(KeepTogether([*intro, table]))
    return body


def _values(consultation: Consultation, aid: DecisionAid | None, rtl: bool) -> list[Flowable]:
    if aid is None:
        return []
    lines = [
        _("{statement}: rated {rating} out of 4").format(
            statement=v.statement, rating=format_number(consultation.value_ratings[v.id])
        )
        for v in aid.values
        if v.id in consultation.value_ratings
    ]
    return bullets(lines, rtl=rtl)


def _sure(consultation: Consultation, rtl: bool) -> list[Flowable]:
    questions = sure_questions()
    lines = [
        _("{question} {answer}").format(
            question=questions[item], answer=_("Yes") if consultation.sure[item] else _("No")
        )
        for item in SURE_ITEMS
        if item in consultation.sure
    ]
    body = bullets(lines, rtl=rtl)
    score = consultation.sure_score()
    if score is not None:
        body.append(
            TextBlock(
                _("SURE score: {score} out of 4.").format(score=format_number(score)), BODY, rtl
            )
        )
        if score < len(SURE_ITEMS):
            meaning = _("A score under 4 can mean you are not ready to decide yet.")
        else:
            meaning = _("A score of 4 suggests you feel ready to take part in the decision.")
        body.append(TextBlock(meaning, BODY, rtl))
    return body


def _questions(consultation: Consultation, rtl: bool) -> list[Flowable]:
    questions = [
        _(question.text)
        for question_id in consultation.bank_questions
        if (question := bank_question(question_id)) is not None
    ] + list(consultation.own_questions)
    return bullets(questions, rtl=rtl, auto=True)


def _leaning(consultation: Consultation, aid: DecisionAid | None, rtl: bool) -> list[Flowable]:
    leaning = consultation.leaning
    if not leaning:
        return []
    if leaning == NOT_SURE:
        chosen = _("Not sure yet")
    else:
        option = next((o for o in aid.options if o.id == leaning), None) if aid else None
        chosen = option.title if option else leaning
    return [TextBlock(chosen, BODY, rtl)]


def _sources(aid: DecisionAid, rtl: bool) -> list[Flowable]:
    body: list[Flowable] = []
    for number, source in enumerate(aid.sources, start=1):
        dated = _("dated {date}").format(date=format_date(source.date))
        line = f"[{number}] {source.citation} {source.identifier()} ({dated})"
        body.append(TextBlock(line, NOTE, rtl))
    return body


def _modules(library: SummaryContent, cards: _Cards, locale: str) -> list[Module]:
    seen: dict[str, Module] = {}
    for _result, card in cards:
        if card is None:
            continue
        items: list[LearnMore] = [i for i in (card.explainer, *card.learn_more) if i]
        for part in card.sections:
            items += part.links
        for item in items:
            if item.module_id in seen:
                continue
            try:
                module = library.module(item.module_id, locale)
            except Exception:  # a damaged library must not stop the summary
                module = None
            if module is not None:
                seen[item.module_id] = module
    return list(seen.values())


def _about(
    library: SummaryContent | None,
    aid: DecisionAid | None,
    cards: _Cards,
    locale: str,
    today: date,
    rtl: bool,
) -> list[Flowable]:
    body: list[Flowable] = []
    if library is not None:
        try:
            packs = library.packs()
        except Exception:  # a damaged library must not stop the summary
            packs = []
        for pack in packs:
            body.append(
                TextBlock(
                    _("From the content pack “{name}”, version {version}.").format(
                        name=pack.name, version=pack.version
                    ),
                    NOTE,
                    rtl,
                )
            )
    if aid is not None:
        body.append(
            TextBlock(
                _("Decision aid “{title}”, version {version}. {review}").format(
                    title=aid.title,
                    version=aid.source_version,
                    review=review_sentence(aid.review, today),
                ),
                NOTE,
                rtl,
            )
        )
    if library is not None:
        for module in _modules(library, cards, locale):
            body.append(
                TextBlock(
                    _("Page “{title}”, version {version}. {review}").format(
                        title=module.title,
                        version=module.source_version,
                        review=review_sentence(module.review, today),
                    ),
                    NOTE,
                    rtl,
                )
            )
    body.append(
        TextBlock(
            _("Made with sdm-app version {version} on {date}.").format(
                version=__version__, date=format_date(today)
            ),
            NOTE,
            rtl,
        )
    )
    body.append(
        TextBlock(
            disclaimer(),
            TextStyle(size=10, leading=14.5, bold=True, space_before=6, space_after=0),
            rtl,
        )
    )
    return body
