"""The reading view of a decision aid as HTML: the question, the option grid, the
outcomes as sentences with numbers, what may matter, sources and disclosure.

Options are shown side by side in the order the authors gave, with the same
questions, benefits and harms for each; nothing here ranks or recommends.
Qt-free; every content string is escaped, and the ``*_html`` fields were
sanitised when the pack was built.
"""

from __future__ import annotations

import math
from datetime import date
from html import escape

from sdm_app.core.aid_fit import AidFit, AppliesTo, Fit
from sdm_app.core.bidi import isolate_ltr_runs
from sdm_app.core.decision_aid import DecisionAid, Option, Outcome, OutcomeFigure
from sdm_app.core.library import PackInfo
from sdm_app.i18n import (
    _,
    babel_locale_code,
    current_language,
    format_number,
    is_rtl,
    join_sentences,
    ngettext,
    pgettext,
)
from sdm_app.services.page_parts import (
    about_html,
    boxed_html,
    changes_html,
    content_html,
    notice_html,
    sources_html,
    ui_direction,
)


def certainty_label(certainty: str | None) -> str:
    labels = {
        "high": pgettext("evidence certainty", "high"),
        "moderate": pgettext("evidence certainty", "moderate"),
        "low": pgettext("evidence certainty", "low"),
        "very low": pgettext("evidence certainty", "very low"),
    }
    return labels.get(certainty or "", pgettext("evidence certainty", "not stated"))


def option_heading(option: Option) -> str:
    if option.no_action:
        return _("{title} (waiting or no treatment)").format(title=option.title)
    return option.title


def frequency_sentence(figure: OutcomeFigure) -> str:
    """The figure as a natural frequency ("54 out of 100 people, over 3 years."), or
    why there is none. The numbers are shown as written."""
    if figure.numerator is None:
        reason = figure.missing_reason or _("No figure is available.")
        return _("No figure: {reason}").format(reason=reason)
    return _("{numerator} out of {denominator} people, over {time_frame}.").format(
        numerator=format_number(figure.numerator),
        denominator=format_number(figure.denominator),
        time_frame=figure.time_frame,
    )


def certainty_sentence(figure: OutcomeFigure) -> str:
    """How certain the evidence is, and why; empty when there is no figure."""
    if figure.numerator is None:
        return ""
    certainty = certainty_label(figure.certainty)
    reason = (figure.certainty_reason or "").strip().rstrip(".").strip()
    if reason:
        return _("Certainty of the evidence: {certainty}. Why: {reason}.").format(
            certainty=certainty, reason=reason
        )
    return _("Certainty of the evidence: {certainty}.").format(certainty=certainty)


def figure_sentence(figure: OutcomeFigure) -> str:
    """One option's figure in words, with its certainty and why."""
    return join_sentences(frequency_sentence(figure), certainty_sentence(figure))


def difference_sentence(difference: float, denominator: int, comparator: str) -> str:
    """An absolute difference in words: "12 more in 100 than with chemotherapy."

    ``difference`` is one figure's numerator minus the comparator's, both out of
    ``denominator`` people over the same time: its sign is never guessed."""
    if difference == 0:
        return _("About the same as with {option}.").format(option=comparator)
    size = abs(difference)
    # A plural form for a whole count; a part of a person takes the form of its next one.
    count = math.ceil(size)
    values = {
        "count": format_number(size),
        "denominator": format_number(denominator),
        "option": comparator,
    }
    if difference > 0:
        # Translators: e.g. "12 more in 100 than with chemotherapy." (people with the outcome)
        text = ngettext(
            "{count} more in {denominator} than with {option}.",
            "{count} more in {denominator} than with {option}.",
            count,
        )
    else:
        # Translators: e.g. "3 fewer in 100 than with chemotherapy." (people with the outcome)
        text = ngettext(
            "{count} fewer in {denominator} than with {option}.",
            "{count} fewer in {denominator} than with {option}.",
            count,
        )
    return text.format(**values)


def comparison_sentences(aid: DecisionAid, outcome: Outcome, option_id: str) -> list[str]:
    """For an outcome with a comparator: the comparator's figure, to read beside
    ``option_id``'s, and the difference when the two can be compared. Empty for the
    comparator itself, for an outcome without one and for an option with no figure."""
    figure = outcome.figure_for(option_id)
    other = outcome.comparator_figure(option_id)
    if figure is None or other is None or figure.numerator is None:
        return []
    name = next((o.title for o in aid.options if o.id == other.option_id), other.option_id)
    if other.numerator is None:
        return [_("With {option}: no figure is available.").format(option=name)]
    sentences = [_("With {option}: {figure}").format(option=name, figure=frequency_sentence(other))]
    difference = outcome.difference(option_id)
    if difference is not None:
        sentences.append(difference_sentence(difference, figure.denominator, name))
    return sentences


def outcome_sentence(aid: DecisionAid, outcome: Outcome, figure: OutcomeFigure) -> str:
    """One option's figure in words: the natural frequency, the comparator's figure
    and the difference where the outcome has a comparator, then the certainty and why."""
    return join_sentences(
        frequency_sentence(figure),
        *comparison_sentences(aid, outcome, figure.option_id),
        certainty_sentence(figure),
    )


def _listing(items: tuple[str, ...]) -> str:
    from babel.lists import format_list

    return format_list(list(items), locale=babel_locale_code(current_language()))


def fit_notice(aid: AppliesTo, fit: AidFit) -> str:
    """A calm notice for an aid chosen in a consultation it was not written for;
    empty when it fits or when there is too little to tell."""
    if fit.fit is not Fit.OTHER:
        return ""
    if fit.other_conditions and fit.other_biomarkers:
        written = _(
            "This decision aid was written for other conditions and biomarkers: "
            "{conditions}; {biomarkers}."
        ).format(conditions=_listing(aid.conditions), biomarkers=_listing(aid.biomarkers))
    elif fit.other_conditions:
        written = _("This decision aid was written for other conditions: {conditions}.").format(
            conditions=_listing(aid.conditions)
        )
    else:
        written = _("This decision aid was written for other biomarkers: {biomarkers}.").format(
            biomarkers=_listing(aid.biomarkers)
        )
    return join_sentences(
        written,
        _("It may not fit this consultation. You can still use it; check with the care team."),
    )


def _source_ref(aid: DecisionAid, source_id: str | None) -> str:
    number = next((n for n, s in enumerate(aid.sources, 1) if s.id == source_id), None)
    if number is None:
        return ""
    return f' <sup><a href="source:{escape(source_id or "", quote=True)}">[{number}]</a></sup>'


def option_grid_html(aid: DecisionAid) -> str:
    """Options as columns, the questions patients ask as rows.

    In a right-to-left language the questions are the rightmost column and the
    options follow leftwards, as in the consultation's grid: Qt's rich text lays table
    columns out left to right whatever the direction, so the cells are written in
    mirrored order, and each keeps its own text direction."""
    rtl = is_rtl(aid.locale)

    def text(value: str) -> str:
        return escape(isolate_ltr_runs(value, rtl))

    def items(values: tuple[str, ...]) -> str:
        return "<ul>" + "".join(f"<li>{text(value)}</li>" for value in values) + "</ul>"

    def row(cells: list[str]) -> str:
        return "<tr>" + "".join(reversed(cells) if rtl else cells) + "</tr>"

    heading = _("Your options side by side")
    rows = [row(["<th></th>", *(f"<th>{text(option_heading(o))}</th>" for o in aid.options)])]
    for attribute in aid.attributes:
        unanswered = _("Not answered")
        cells = [f"<td>{text(o.answers.get(attribute.id, unanswered))}</td>" for o in aid.options]
        rows.append(row([f"<th>{text(attribute.question)}</th>", *cells]))
    benefits, harms = _("Possible benefits"), _("Possible harms")
    rows.append(
        row([f"<th>{text(benefits)}</th>", *(f"<td>{items(o.benefits)}</td>" for o in aid.options)])
    )
    rows.append(
        row([f"<th>{text(harms)}</th>", *(f"<td>{items(o.harms)}</td>" for o in aid.options)])
    )
    table = (
        '<table class="grid" border="1" cellspacing="0" cellpadding="6" width="100%">'
        + "".join(rows)
        + "</table>"
    )
    return f'<h2 dir="{ui_direction()}">{escape(heading)}</h2>' + content_html(aid.locale, table)


def outcomes_html(aid: DecisionAid) -> str:
    if not aid.outcomes:
        return ""
    heading = _("What the numbers say")
    parts = [f'<h2 dir="{ui_direction()}">{escape(heading)}</h2>']
    kinds = {"benefit": _("A possible benefit"), "harm": _("A possible harm")}
    for outcome in aid.outcomes:
        # Translators: kind is "A possible benefit" or "A possible harm".
        about = _("{kind}. Among: {population}").format(
            kind=kinds.get(outcome.kind, outcome.kind), population=outcome.population
        )
        parts.append(f"<h3>{escape(outcome.label)}</h3>")
        parts.append(f"<p><i>{escape(about)}</i></p>")
        items = []
        for option in aid.options:
            figure = outcome.figure_for(option.id)
            if figure is None:
                continue
            sentence = outcome_sentence(aid, outcome, figure)
            items.append(
                f"<li><b>{escape(option.title)}</b>: {escape(sentence)}"
                f"{_source_ref(aid, figure.source_id)}</li>"
            )
        parts.append("<ul>" + "".join(items) + "</ul>")
    return parts[0] + content_html(aid.locale, "".join(parts[1:]))


def values_html(aid: DecisionAid) -> str:
    if not aid.values:
        return ""
    heading = _("What may matter to you")
    intro = _(
        "How each option relates to things people often care about. There is no right answer."
    )
    ui = ui_direction()
    parts = [f'<h2 dir="{ui}">{escape(heading)}</h2><p dir="{ui}">{escape(intro)}</p>']
    titles = {o.id: o.title for o in aid.options}
    for value in aid.values:
        parts.append(f"<h3>{escape(value.statement)}</h3><ul>")
        for option in aid.options:
            relation = value.relates_to.get(option.id)
            if relation:
                parts.append(f"<li><b>{escape(titles[option.id])}</b>: {escape(relation)}</li>")
        parts.append("</ul>")
    return parts[0] + content_html(aid.locale, "".join(parts[1:]))


def disclosure_html(aid: DecisionAid) -> str:
    heading = _("Who made this decision aid")
    rows = (
        (_("Authors"), aid.disclosure.authors),
        (_("Funding"), aid.disclosure.funding),
        (_("Conflicts of interest"), aid.disclosure.conflicts_of_interest),
        (_("How the evidence was chosen"), aid.disclosure.evidence_method),
        (_("How it is kept up to date"), aid.disclosure.update_policy),
    )
    items = "".join(f"<li><b>{escape(label)}</b>: {escape(text)}</li>" for label, text in rows)
    return (
        f'<h2 dir="{ui_direction()}">{escape(heading)}</h2><ul dir="{ui_direction()}">{items}</ul>'
    )


def decision_aid_html(aid: DecisionAid, pack: PackInfo | None, today: date) -> str:
    question_label = _("The decision")
    parts = [
        f'<div dir="{ui_direction()}">',
        content_html(aid.locale, f"<h1>{escape(aid.title)}</h1>"),
        boxed_html(question_label, aid.question, aid.locale),
        notice_html(aid),
        content_html(aid.locale, aid.summary_html),
        option_grid_html(aid),
    ]
    if aid.no_action_reason:
        why = _("Why waiting is not offered here: {reason}").format(reason=aid.no_action_reason)
        parts.append(content_html(aid.locale, f"<p>{escape(why)}</p>"))
    parts += [
        outcomes_html(aid),
        values_html(aid),
        sources_html(aid.sources),
        disclosure_html(aid),
        about_html(aid.review, pack, today),
        changes_html(aid.changelog if aid.translation_of is None else (), aid.locale),
        "</div>",
    ]
    return "\n".join(parts)
