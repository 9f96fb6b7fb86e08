"""The consultation summary as HTML, for the Summary step's preview.

Qt-free. Every string from the user or the content is escaped here. The patient
view leaves out what is for clinicians only (notes).
"""

from __future__ import annotations

from datetime import date
from html import escape

from sdm_app.core.consultation import NOT_SURE, SURE_ITEMS, Consultation
from sdm_app.core.decision_aid import DecisionAid
from sdm_app.core.knowledge import Knowledge
from sdm_app.core.questions import bank_question
from sdm_app.i18n import _, format_date, join_sentences
from sdm_app.services.cards import germline_test_first
from sdm_app.services.decision_aid_page import option_grid_html, outcomes_html
from sdm_app.services.page_parts import ui_direction
from sdm_app.services.result_words import class_text, finding_name, report_facts, therapy_summary


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


def _section(title: str, body: str) -> str:
    return f"<h2>{escape(title)}</h2>{body}" if body else ""


def _paragraph(text: str) -> str:
    return f"<p>{escape(text)}</p>" if text.strip() else ""


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>" if items else ""


def summary_html(
    consultation: Consultation,
    aid: DecisionAid | None,
    today: date,
    *,
    patient_view: bool,
    knowledge: Knowledge | None = None,
) -> str:
    """``knowledge``: the content's clinical rules, for the germline-test caution."""
    context = consultation.context
    visit = [
        _("Date: {date}").format(date=format_date(today)),
        _("Condition: {condition}").format(condition=context.condition or "-"),
        _("Decision: {decision}").format(decision=context.decision or "-"),
    ]
    if context.present:
        visit.append(_("Present: {present}").format(present=context.present))
    results = []
    for result in consultation.results:
        line = _("{finding}: {classification}").format(
            finding=finding_name(result),
            classification=class_text(result) or _("no class given"),
        )
        facts = report_facts(result, clinician=not patient_view, with_class=False)
        line = join_sentences(line, *(f"{fact}." for fact in facts))
        therapies = therapy_summary(result)
        if therapies:
            line = join_sentences(line, therapies)
        caution = germline_test_first(result, knowledge)
        if caution:
            line = join_sentences(line, caution)
        if result.clinician_note and not patient_view:
            note = _("Clinician note: {note}").format(note=result.clinician_note)
            line = join_sentences(line, note)
        results.append(line)
    parts = [f'<div dir="{ui_direction()}">']
    title = _("Consultation summary")
    parts.append(f"<h1>{escape(title)}</h1>")
    if consultation.patient_label:
        parts.append(_paragraph(consultation.patient_label))
    parts.append(_section(_("About this visit"), _list(visit)))
    parts.append(_section(_("Test results"), _list(results)))
    if aid is not None:
        parts.append(_section(_("Options considered"), _paragraph(aid.title)))
        parts.append(option_grid_html(aid))
        parts.append(outcomes_html(aid))
        rated = [
            _("{statement}: rated {rating} out of 4").format(
                statement=v.statement, rating=consultation.value_ratings[v.id]
            )
            for v in aid.values
            if v.id in consultation.value_ratings
        ]
        parts.append(_section(_("What matters to you"), _list(rated)))
    answers = [
        _("{question} {answer}").format(
            question=sure_questions()[item],
            answer=_("Yes") if consultation.sure[item] else _("No"),
        )
        for item in SURE_ITEMS
        if item in consultation.sure
    ]
    score = consultation.sure_score()
    if score is not None and score < len(SURE_ITEMS):
        answers.append(_("A score under 4 can mean you are not ready to decide yet."))
    parts.append(_section(_("Ready to decide?"), _list(answers)))
    questions = [
        _(question.text)
        for question_id in consultation.bank_questions
        if (question := bank_question(question_id)) is not None
    ] + list(consultation.own_questions)
    parts.append(_section(_("Questions for your care team"), _list(questions)))
    leaning = consultation.leaning
    if leaning:
        if leaning == NOT_SURE:
            chosen = _("Not sure yet")
        else:
            option = next((o for o in aid.options if o.id == leaning), None) if aid else None
            chosen = option.title if option else leaning
        parts.append(_section(_("The option you lean toward"), _paragraph(chosen)))
    parts.append(_section(_("Next steps"), _paragraph(consultation.next_steps)))
    parts.append(_section(_("Who else to involve"), _paragraph(consultation.involve)))
    if not patient_view:
        parts.append(_section(_("Clinician notes"), _paragraph(consultation.clinician_notes)))
    disclaimer = _(
        "This summary is for education and to support your conversations with your care team. "
        "It is not medical advice."
    )
    parts.append(f"<p><i>{escape(disclaimer)}</i></p></div>")
    return "\n".join(part for part in parts if part)
