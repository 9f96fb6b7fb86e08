"""The consultation summary as a document: built once, shown on screen in the
Summary step and printed as the PDF.

Qt-free. Call inside ``pdf_document.in_language`` for a language other than the
UI's. The patient view leaves out clinician notes. Nothing here ranks or
recommends an option; report values are copied as written.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from sdm_app import __version__
from sdm_app.core.consultation import NOT_SURE, SURE_ITEMS, Consultation
from sdm_app.core.decision_aid import DecisionAid
from sdm_app.core.deliberation import ReasonSide, parse_stage, reasons_for
from sdm_app.core.library import Module, PackInfo
from sdm_app.core.questions import bank_question
from sdm_app.core.results import TestResult
from sdm_app.core.written_options import is_written_option
from sdm_app.i18n import (
    _,
    format_date,
    format_number,
    is_rtl,
    join_sentences,
    ngettext,
    title_in_language,
)
from sdm_app.services.cards import (
    ContentSource,
    ExplanationCard,
    LearnMore,
    citation_text,
    communities_notice,
    explain,
    germline_test_first,
)
from sdm_app.services.decision_aid_page import option_heading, outcome_sentence
from sdm_app.services.deliberation_words import (
    considered_options,
    group_numbers,
    option_name,
    other_line,
    reason_line,
    stage_labels,
    stage_question,
    team_talk,
    written_explanation,
    written_marker,
    written_number_sentence,
    written_option_label,
)
from sdm_app.services.documents.model import (
    Block,
    BulletList,
    Cell,
    Document,
    Group,
    Heading,
    Paragraph,
    Pictograph,
    Section,
    Table,
)
from sdm_app.services.page_parts import review_sentence, translation_notice
from sdm_app.services.result_words import finding_name, report_facts, therapy_summary

_Cards = list[tuple[TestResult, ExplanationCard | None]]

# Above this many people, each figure of a pictograph stands for several.
MAX_FIGURES = 100


class SummaryContent(ContentSource, Protocol):
    """What the summary reads from the content library (``ContentLibrary`` fits)."""

    def decision_aid(self, aid_id: str, locale: str) -> DecisionAid | None: ...

    def packs(self) -> list[PackInfo]: ...


def sure_questions() -> dict[str, str]:
    """The four SURE items in the current language.

    The SURE test: Légaré F, et al. Can Fam Physician. 2010;56(8):e308-14.
    """
    return {
        "sure_of_best": _("Do you feel sure about the best choice for you?"),
        "knows_benefits_risks": _("Do you know the benefits and risks of each option?"),
        "clear_values": _("Are you clear about which benefits and risks matter most to you?"),
        "enough_support": _("Do you have enough support and advice to make a choice?"),
    }


def disclaimer() -> str:
    return _(
        "This summary is for education and to support your conversations with your care team. "
        "It is not medical advice."
    )


def summary_document(
    consultation: Consultation,
    library: SummaryContent | None,
    *,
    language: str,
    today: date,
    patient_view: bool = True,
    options_one_by_one: bool = False,
) -> Document:
    """The summary in the current UI language ``language``; the content (aid,
    explanations) in the consultation's materials language, or ``language``.

    ``library`` may be None (no content database): results then say what the app
    could not explain. ``options_one_by_one`` lists the options one after another
    instead of side by side (large print leaves columns too narrow)."""
    locale = consultation.context.materials_locale or language
    aid = _decision_aid(consultation, library, locale)
    cards: _Cards = [
        (result, explain(result, consultation.context.condition, library, locale))
        if library is not None
        else (result, None)
        for result in consultation.results
    ]

    def other(locale: str) -> str | None:  # set only when it differs from the document's
        return None if locale.split("_")[0] == language.split("_")[0] else locale

    blocks: list[Block] = [Heading(_("Consultation summary"), 1)]
    if consultation.patient_label.strip():
        blocks.append(Paragraph(consultation.patient_label, own_direction=True))
    blocks.append(Paragraph(disclaimer(), "note"))
    blocks.append(Section(_("About this visit"), _visit(consultation)))
    blocks.append(Section(_("Test results"), _results(cards, patient_view, locale)))
    if aid is not None:
        blocks.append(_options(aid, other(aid.locale), options_one_by_one))
        blocks.append(Section(_("What the numbers say"), _numbers(aid, other(aid.locale))))
    elif consultation.uses_written_options and consultation.written_options.named_options():
        blocks.append(_written_options(consultation, options_one_by_one))
        blocks.append(Section(_("What the numbers say"), _written_numbers(consultation)))
    blocks.append(Section(_("What matters to you"), _values(consultation, aid)))
    blocks.append(
        Section(_("Your reasons for and against each option"), _reasons(consultation, aid))
    )
    blocks.append(Section(_("Ready to decide?"), (*_stage(consultation), *_sure(consultation))))
    blocks.append(Section(_("Questions for your care team"), _questions(consultation)))
    blocks.append(Section(_("The option you lean toward"), _leaning(consultation, aid)))
    blocks.append(Section(_("Next steps"), _own_words(consultation.next_steps)))
    blocks.append(Section(_("Who else to involve"), _own_words(consultation.involve)))
    blocks.append(Section(_("Others involved in the decision"), _others(consultation, aid)))
    if not patient_view:
        blocks.append(Section(_("Clinician notes"), _own_words(consultation.clinician_notes)))
    if aid is not None:
        blocks.append(Section(_("Sources"), _sources(aid)))
    about = _about(library, aid, cards, locale, today)
    if consultation.uses_written_options and consultation.written_options.named_options():
        about = (Paragraph(written_explanation(), "note"), *about)
    blocks.append(Section(_("About this summary"), about))
    return Document(
        title=_("Consultation summary"),
        subject=_("A summary of a shared decision-making consultation"),
        language=language,
        day=today,
        blocks=tuple(blocks),
        label=consultation.patient_label,
        rtl=is_rtl(language),
    )


def _decision_aid(
    consultation: Consultation, library: SummaryContent | None, locale: str
) -> DecisionAid | None:
    if library is None or not consultation.decision_aid_id or consultation.uses_written_options:
        return None
    try:
        return library.decision_aid(consultation.decision_aid_id, locale)
    except Exception:  # a damaged library must not stop the summary
        return None


def _own_words(value: str) -> tuple[Block, ...]:
    return (Paragraph(value, own_direction=True),) if value.strip() else ()


def _visit(consultation: Consultation) -> tuple[Block, ...]:
    context = consultation.context
    lines = [
        # The consultation's own date; the page header gives the date it was printed.
        _("Date: {date}").format(date=format_date(consultation.created_at.date())),
        _("Condition: {condition}").format(condition=context.condition or "-"),
        _("Decision: {decision}").format(decision=context.decision or "-"),
    ]
    if context.present.strip():
        lines.append(_("Present: {present}").format(present=context.present))
    return (BulletList(tuple(lines)),)


def _results(cards: _Cards, patient_view: bool, content_locale: str) -> tuple[Block, ...]:
    body: list[Block] = []
    # A general explanation (what a target means, the limits of a negative blood
    # test ...) is said in full once; a later result with the same section refers
    # back to it, so fifteen results do not repeat the same paragraphs.
    said: dict[tuple[str, tuple[str, ...]], str] = {}
    for result, card in cards:
        heading = card.heading if card else finding_name(result)
        body.append(Heading(heading or _("Result"), 3))
        facts = report_facts(result, clinician=not patient_view)
        therapies = therapy_summary(result)
        if card is None:
            if therapies:
                facts.append(therapies)
            caution = germline_test_first(result, None)
            if caution:
                facts.append(caution)
        if result.clinician_note.strip() and not patient_view:
            facts.append(_("Clinician note: {note}").format(note=result.clinician_note))
        body.append(BulletList(tuple(facts)))
        if card is None:
            body.append(
                Paragraph(
                    _("The explanation is not available: the content library could not be read."),
                    "note",
                )
            )
            continue
        body += [Paragraph(p) for p in (*card.finding, *card.class_meaning) if p]
        if card.scheme_line:
            body.append(Paragraph(card.scheme_line, "note"))
        for part in card.sections:
            body.append(Heading(part.heading, 4))
            seen = said.get((part.key, part.paragraphs))
            if seen is not None and part.paragraphs:
                body.append(
                    Paragraph(_("As explained above for {finding}.").format(finding=seen), "note")
                )
            else:
                body += [Paragraph(p) for p in part.paragraphs if p]
                said[(part.key, part.paragraphs)] = finding_name(result) or _("Result")
            for group in part.lists:
                body.append(Paragraph(group.lead))
                body.append(BulletList(group.items))
        body += [Paragraph(note, "note") for note in (*card.notes, *card.status_notes)]
        if card.sources:
            cited = "; ".join(citation_text(item) for item in card.sources)
            body.append(Paragraph(_("Sources: {sources}").format(sources=cited), "note"))
        reading = [item for item in (card.explainer, *card.learn_more) if item is not None]
        if reading:
            titles = "; ".join(
                title_in_language(item.title, item.locale, content_locale) for item in reading
            )
            body.append(Paragraph(_("To read in the app: {titles}").format(titles=titles), "note"))
        for entry in card.communities:
            line = " · ".join(t for t in (entry.name, entry.region, entry.url) if t)
            body.append(
                Paragraph(
                    _("Patient community: {entry}").format(entry=line), "note", link=entry.url
                )
            )
        notice = communities_notice(card) if card.communities else ""
        if notice:
            body.append(Paragraph(notice, "note"))
    return tuple(body)


# More options than this leave each column too narrow to read on a page: they are
# listed one after another instead.
MAX_GRID_OPTIONS = 4


def _options(aid: DecisionAid, language: str | None, one_by_one: bool) -> Section:
    body: list[Block] = [
        Paragraph(team_talk()),
        Heading(aid.title, 3, language),
        Paragraph(_("The decision: {question}").format(question=aid.question)),
    ]
    notice = translation_notice(aid)
    if notice:
        body.append(Paragraph(notice, "note"))
    side_by_side = not one_by_one and len(aid.options) <= MAX_GRID_OPTIONS
    body += _option_grid(aid, language) if side_by_side else _options_one_by_one(aid, language)
    if aid.no_action_reason:
        body.append(
            Paragraph(
                _("Why waiting is not offered here: {reason}").format(reason=aid.no_action_reason),
                "note",
            )
        )
    return Section(_("Options considered"), tuple(body))


def _answers(aid: DecisionAid) -> list[tuple[str, list[str]]]:
    return [
        (
            attribute.question,
            [option.answers.get(attribute.id, _("Not answered")) for option in aid.options],
        )
        for attribute in aid.attributes
    ]


def _options_one_by_one(aid: DecisionAid, language: str | None) -> list[Block]:
    body: list[Block] = []
    for option in aid.options:
        body.append(Heading(option_heading(option), 3, language))
        answers = [
            _("{question} {answer}").format(
                question=attribute.question,
                answer=option.answers.get(attribute.id, _("Not answered")),
            )
            for attribute in aid.attributes
        ]
        body.append(BulletList(tuple(answers), language))
        for label, items in (
            (_("Possible benefits"), option.benefits),
            (_("Possible harms"), option.harms),
        ):
            if items:
                body.append(Heading(label, 4))
                body.append(BulletList(items, language))
    return body


def _option_grid(aid: DecisionAid, language: str | None) -> list[Block]:
    columns = max(len(aid.options), 1)
    first = 0.22
    widths = (first,) + ((1 - first) / columns,) * len(aid.options)
    heads = [Cell((Paragraph(option_heading(o), language=language),), True) for o in aid.options]
    rows: list[tuple[Cell, ...]] = [(Cell((Paragraph(""),), header=True), *heads)]
    for question, answers in _answers(aid):
        cells = [Cell((Paragraph(a, language=language),)) for a in answers]
        rows.append((Cell((Paragraph(question, language=language),), True), *cells))
    for label, pick in ((_("Possible benefits"), "benefits"), (_("Possible harms"), "harms")):
        lists = [Cell((BulletList(getattr(o, pick), language),)) for o in aid.options]
        rows.append((Cell((Paragraph(label),), True), *lists))
    return [
        Heading(_("Your options side by side"), 3),
        Table(tuple(rows), widths, header_rows=1, language=language),
    ]


def _written_options(consultation: Consultation, one_by_one: bool) -> Section:
    """Options written in the consultation, laid out as a decision aid's are, under a
    notice that they are not one."""
    written = consultation.written_options
    options = written.named_options()
    body: list[Block] = [
        Paragraph(team_talk()),
        Heading(_("Options written in this consultation"), 3),
        Paragraph(written_explanation(), "strong"),
    ]
    decision = consultation.context.decision
    if decision.strip():
        body.append(Paragraph(_("The decision: {question}").format(question=decision)))
    asked = [(n, q) for n, q in enumerate(written.questions) if q.strip()]

    def answer(option_index: int, question_index: int) -> str:
        text = options[option_index].answer(question_index)
        return text if text.strip() else _("Not answered")

    if one_by_one or len(options) > MAX_GRID_OPTIONS:
        for index, option in enumerate(options):
            body.append(Heading(option.title, 3))
            lines = [
                _("{question} {answer}").format(question=question, answer=answer(index, n))
                for n, question in asked
            ]
            if lines:
                body.append(BulletList(tuple(lines), own_direction=True))
        return Section(_("Options considered"), tuple(body))
    first = 0.22
    widths = (first,) + ((1 - first) / len(options),) * len(options)
    heads = [Cell((Paragraph(o.title, own_direction=True),), True) for o in options]
    rows: list[tuple[Cell, ...]] = [(Cell((Paragraph(""),), header=True), *heads)]
    for n, question in asked:
        cells = [
            Cell((Paragraph(answer(index, n), own_direction=True),))
            for index in range(len(options))
        ]
        rows.append((Cell((Paragraph(question, own_direction=True),), True), *cells))
    body += [Heading(_("Your options side by side"), 3), Table(tuple(rows), widths, header_rows=1)]
    return Section(_("Options considered"), tuple(body))


def _written_numbers(consultation: Consultation) -> tuple[Block, ...]:
    options = consultation.written_options.named_options()
    groups = group_numbers([(option.id, option.numbers) for option in options])
    titles = {option.id: option.title for option in options}
    if not groups:
        return ()
    body: list[Block] = [Paragraph(written_marker(), "strong")]
    for label, entries in groups:
        rows: list[tuple[Cell, ...]] = []
        for option_id, number in entries:
            title = titles[option_id]
            sentence = written_number_sentence(number)
            counts = number.counts()
            drawing = pictograph(float(counts[0]), counts[1]) if counts else None
            sentence = _with_scale(sentence, drawing)
            rows.append(
                (
                    Cell(
                        (
                            Paragraph(title, "strong", own_direction=True),
                            Paragraph(sentence),
                        )
                    ),
                    Cell((drawing,) if drawing is not None else ()),
                )
            )
        heading = Heading(label or _("A number written for an option"), 3)
        table = Table(tuple(rows), (0.8, 0.2), header_rows=0, ruled=False)
        body.append(Group((heading, table)))
    return tuple(body)


def pictograph(numerator: float, denominator: int) -> Pictograph | None:
    """``numerator`` of ``denominator`` people as figures. More than ``MAX_FIGURES``
    people are drawn as at most that many figures, each standing for several."""
    if denominator <= 0 or numerator < 0:
        return None
    per = 1 if denominator <= MAX_FIGURES else -(-denominator // MAX_FIGURES)
    count = -(-denominator // per)
    filled = min(count, round(numerator / per))
    alt = ngettext(
        "A picture of {count} figure of a person, {filled} of them filled in.",
        "A picture of {count} figures of people, {filled} of them filled in.",
        count,
    ).format(count=format_number(count), filled=format_number(filled))
    return Pictograph(filled, count, per, alt)


def _numbers(aid: DecisionAid, language: str | None) -> tuple[Block, ...]:
    body: list[Block] = []
    kinds = {"benefit": _("A possible benefit"), "harm": _("A possible harm")}
    for outcome in aid.outcomes:
        intro: list[Block] = [
            Heading(outcome.label, 3, language),
            Paragraph(
                # Translators: kind is "A possible benefit" or "A possible harm".
                _("{kind}. Among: {population}").format(
                    kind=kinds.get(outcome.kind, outcome.kind), population=outcome.population
                ),
                "note",
            ),
        ]
        rows: list[tuple[Cell, ...]] = []
        for option in aid.options:
            figure = outcome.figure_for(option.id)
            if figure is None:
                continue
            sentence = outcome_sentence(aid, outcome, figure)
            number = next(
                (n for n, s in enumerate(aid.sources, 1) if s.id == figure.source_id), None
            )
            if number is not None:
                sentence = join_sentences(sentence, _("Source [{number}].").format(number=number))
            drawing = None
            if figure.numerator is not None:
                drawing = pictograph(figure.numerator, figure.denominator)
                sentence = _with_scale(sentence, drawing)
            rows.append(
                (
                    Cell(
                        (
                            Paragraph(option.title, "strong", language),
                            Paragraph(sentence),
                        )
                    ),
                    Cell((drawing,) if drawing is not None else ()),
                )
            )
        if rows:
            table = Table(tuple(rows), (0.8, 0.2), header_rows=0, ruled=False)
            body.append(Group((*intro, table)))
    return tuple(body)


def _values(consultation: Consultation, aid: DecisionAid | None) -> tuple[Block, ...]:
    if aid is None:
        return ()
    lines = [
        _("{statement}: rated {rating} out of 4").format(
            statement=v.statement, rating=format_number(consultation.value_ratings[v.id])
        )
        for v in aid.values
        if v.id in consultation.value_ratings
    ]
    return (BulletList(tuple(lines)),) if lines else ()


def _reasons(consultation: Consultation, aid: DecisionAid | None) -> tuple[Block, ...]:
    """The Ottawa guide's reasons, option by option, each with how much it matters
    to the patient, as given: never added up."""
    reasons = tuple(r for r in consultation.reasons if r.text.strip())
    if not reasons:
        return ()
    shown = [
        (o.id, written_option_label(o.title) if o.written else o.title)
        for o in considered_options(consultation, aid)
    ]
    known = {option_id for option_id, _title in shown}
    for reason in reasons:  # an option no longer offered keeps its reasons on paper
        if reason.option_id not in known:
            known.add(reason.option_id)
            shown.append((reason.option_id, option_name(reason.option_id, consultation, aid)))
    body: list[Block] = []
    sides = (
        (ReasonSide.FOR, _("Reasons to choose this option")),
        (ReasonSide.AGAINST, _("Reasons to avoid this option")),
    )
    for option_id, title in shown:
        part: list[Block] = []
        for side, lead in sides:
            lines = tuple(reason_line(r) for _n, r in reasons_for(reasons, option_id, side))
            if lines:
                part += [Paragraph(lead, "strong"), BulletList(lines, own_direction=True)]
        if part:
            body += [Heading(title, 3), *part]
    return tuple(body)


def _stage(consultation: Consultation) -> tuple[Block, ...]:
    stage = parse_stage(consultation.decision_stage)
    if stage is None:
        return ()
    return (
        Paragraph(
            _("{question} {answer}").format(question=stage_question(), answer=stage_labels()[stage])
        ),
    )


def _others(consultation: Consultation, aid: DecisionAid | None) -> tuple[Block, ...]:
    lines = tuple(
        other_line(person, consultation, aid)
        for person in consultation.others
        if person.role.strip() or person.preferred or person.pressure is not None
    )
    return (BulletList(lines),) if lines else ()


def _sure(consultation: Consultation) -> tuple[Block, ...]:
    questions = sure_questions()
    lines = [
        _("{question} {answer}").format(
            question=questions[item], answer=_("Yes") if consultation.sure[item] else _("No")
        )
        for item in SURE_ITEMS
        if item in consultation.sure
    ]
    body: list[Block] = [BulletList(tuple(lines))] if lines else []
    score = consultation.sure_score()
    if score is not None:
        body.append(
            Paragraph(_("SURE score: {score} out of 4.").format(score=format_number(score)))
        )
        if score < len(SURE_ITEMS):
            meaning = _("A score under 4 can mean you are not ready to decide yet.")
        else:
            meaning = _("A score of 4 suggests you feel ready to take part in the decision.")
        body.append(Paragraph(meaning))
    return tuple(body)


def _questions(consultation: Consultation) -> tuple[Block, ...]:
    questions = tuple(
        _(question.text)
        for question_id in consultation.bank_questions
        if (question := bank_question(question_id)) is not None
    ) + tuple(q for q in consultation.own_questions if q.strip())
    return (BulletList(questions, own_direction=True),) if questions else ()


def _leaning(consultation: Consultation, aid: DecisionAid | None) -> tuple[Block, ...]:
    leaning = consultation.leaning
    if not leaning:
        return ()
    if leaning == NOT_SURE:
        chosen = _("Not sure yet")
    elif is_written_option(leaning):
        chosen = option_name(leaning, consultation, aid)
    else:
        option = next((o for o in aid.options if o.id == leaning), None) if aid else None
        chosen = option.title if option else leaning
    return (Paragraph(chosen),)


def _sources(aid: DecisionAid) -> tuple[Block, ...]:
    body: list[Block] = []
    for number, source in enumerate(aid.sources, start=1):
        dated = _("dated {date}").format(date=format_date(source.date))
        line = f"[{number}] {source.citation} {source.identifier()} ({dated})"
        body.append(Paragraph(line, "note", link=source.link() or ""))
    return tuple(body)


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


def modules_shown(consultation: Consultation, library: SummaryContent, locale: str) -> list[Module]:
    """The library pages the summary names for ``consultation`` (those its results'
    explanation cards lead to), in ``locale``."""
    cards: _Cards = [
        (result, explain(result, consultation.context.condition, library, locale))
        for result in consultation.results
    ]
    return _modules(library, cards, locale)


def _about(
    library: SummaryContent | None,
    aid: DecisionAid | None,
    cards: _Cards,
    locale: str,
    today: date,
) -> tuple[Block, ...]:
    body: list[Block] = []
    if library is not None:
        try:
            packs = library.packs()
        except Exception:  # a damaged library must not stop the summary
            packs = []
        for pack in packs:
            body.append(
                Paragraph(
                    _("From the content pack “{name}”, version {version}.").format(
                        name=pack.name, version=pack.version
                    ),
                    "note",
                )
            )
    if aid is not None:
        body.append(
            Paragraph(
                _("Decision aid “{title}”, version {version}. {review}").format(
                    title=aid.title,
                    version=aid.source_version,
                    review=review_sentence(aid.review, today),
                ),
                "note",
            )
        )
    if library is not None:
        for module in _modules(library, cards, locale):
            body.append(
                Paragraph(
                    _("Page “{title}”, version {version}. {review}").format(
                        title=module.title,
                        version=module.source_version,
                        review=review_sentence(module.review, today),
                    ),
                    "note",
                )
            )
    body.append(
        Paragraph(
            _("Made with sdm-app version {version} on {date}.").format(
                version=__version__, date=format_date(today)
            ),
            "note",
        )
    )
    body.append(Paragraph(disclaimer(), "strong"))
    return tuple(body)


def _with_scale(sentence: str, drawing: Pictograph | None) -> str:
    """``sentence``, saying how many people one figure of ``drawing`` stands for."""
    if drawing is None or drawing.per_figure <= 1:
        return sentence
    scale = ngettext(
        "Each figure stands for {count} person.",
        "Each figure stands for {count} people.",
        drawing.per_figure,
    ).format(count=format_number(drawing.per_figure))
    return join_sentences(sentence, scale)
