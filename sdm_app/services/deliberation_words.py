"""The words for written options and the patient's deliberation, shared by the
consultation's steps and the summary (screen and PDF), so both say the same.

Qt-free. Written options are always named as written in the consultation, never
as a decision aid or as evidence; their numbers are repeated as typed, with the
source as typed. Nothing here ranks the options or adds up the reasons.
"""

from __future__ import annotations

from typing import NamedTuple

from sdm_app.core.consultation import NOT_SURE, Consultation
from sdm_app.core.decision_aid import DecisionAid
from sdm_app.core.deliberation import MAX_IMPORTANCE, DecisionStage, OtherPerson, Reason
from sdm_app.core.written_options import WrittenNumber, is_written_option
from sdm_app.i18n import _, format_number, join_sentences
from sdm_app.services.decision_aid_page import certainty_label


def team_talk() -> str:
    """Option Talk's "team talk": the decision is shared, and there is a choice."""
    return _(
        "There is more than one reasonable choice here. We will go through the options "
        "together, and what matters to you will help decide."
    )


def written_marker() -> str:
    return _("Written in this consultation, not a reviewed decision aid.")


def written_explanation() -> str:
    return join_sentences(
        written_marker(),
        _(
            "These options were written during the visit and have not been checked like a "
            "decision aid. Any numbers are shown as they were typed, with their source as "
            "it was written."
        ),
    )


def written_option_label(title: str) -> str:
    """A written option's title where it stands alone (the leaning, a preference)."""
    return _("{title} (written in this consultation)").format(title=title)


def stage_labels() -> dict[DecisionStage, str]:
    """The Ottawa guide's question "Where are you with making a choice?"."""
    return {
        DecisionStage.NOT_THOUGHT: _("I have not thought about it yet"),
        DecisionStage.CONSIDERING: _("I am considering the options"),
        DecisionStage.CLOSE: _("I am close to choosing an option"),
        DecisionStage.DECIDED: _("I have already made a choice"),
    }


def stage_question() -> str:
    return _("Where are you with making a choice?")


def importance_labels() -> tuple[str, ...]:
    """How much a reason matters, 0 to ``MAX_IMPORTANCE`` stars, in words."""
    return (
        _("Not at all"),
        _("A little"),
        _("Somewhat"),
        _("Quite a lot"),
        _("A lot"),
        _("Very much"),
    )


def importance_sentence(importance: int | None) -> str:
    if importance is None:
        return _("how much it matters: not rated yet")
    words = importance_labels()[importance]
    return _("how much it matters: {stars} of {most} stars ({words})").format(
        stars=format_number(importance), most=format_number(MAX_IMPORTANCE), words=words
    )


def reason_line(reason: Reason) -> str:
    return _("{reason} — {importance}").format(
        reason=reason.text, importance=importance_sentence(reason.importance)
    )


class ConsideredOption(NamedTuple):
    id: str
    title: str
    written: bool  # written in this consultation, not from a decision aid


def considered_options(
    consultation: Consultation, aid: DecisionAid | None
) -> list[ConsideredOption]:
    """The options this consultation talks about: its written ones when it uses
    them (those with a title), else its decision aid's."""
    if consultation.uses_written_options:
        return [
            ConsideredOption(option.id, option.title, True)
            for option in consultation.written_options.named_options()
        ]
    if aid is None:
        return []
    return [ConsideredOption(option.id, option.title, False) for option in aid.options]


def option_name(option_id: str, consultation: Consultation, aid: DecisionAid | None) -> str:
    """An option's name wherever it was chosen (a leaning, a preference, a reason)."""
    if option_id == NOT_SURE:
        return _("Not sure yet")
    if is_written_option(option_id):
        written = consultation.written_options.option(option_id)
        if written is not None and written.title.strip():
            return written_option_label(written.title)
        return _("An option no longer written down")
    found = next((o for o in aid.options if o.id == option_id), None) if aid else None
    return found.title if found else _("An option of another decision aid")


def pressure_sentence(pressure: bool | None) -> str:
    if pressure is None:
        return _("Feels like pressure: not asked")
    return _("Feels like pressure: yes") if pressure else _("Feels like pressure: no")


def other_line(person: OtherPerson, consultation: Consultation, aid: DecisionAid | None) -> str:
    role = person.role.strip() or _("Someone")
    pressure = pressure_sentence(person.pressure)
    if person.preferred == NOT_SURE:
        return _("{person}: not sure which option they prefer. {pressure}.").format(
            person=role, pressure=pressure
        )
    if not person.preferred:
        return _("{person}: the option they prefer is not known. {pressure}.").format(
            person=role, pressure=pressure
        )
    return _("{person}: prefers {option}. {pressure}.").format(
        person=role, option=option_name(person.preferred, consultation, aid), pressure=pressure
    )


def written_number_sentence(number: WrittenNumber) -> str:
    """A written number in words, every part as typed, with its source and certainty."""
    numerator, denominator = number.numerator.strip(), number.denominator.strip()
    if numerator and denominator:
        figure = _("{numerator} out of {denominator}").format(
            numerator=numerator, denominator=denominator
        )
    else:
        figure = _("no number given")
    what = number.what.strip()
    if what:
        # Translators: what is counted, as typed, then "12 out of 100".
        figure = _("{what}: {figure}").format(what=what, figure=figure)
    time_frame = number.time_frame.strip()
    if time_frame:
        sentence = _("{figure}, over {time_frame}.").format(figure=figure, time_frame=time_frame)
    else:
        # Translators: a sentence's full stop after a number, as the language writes it.
        sentence = _("{figure}.").format(figure=figure)
    parts = [sentence]
    if numerator and denominator and number.counts() is None:
        parts.append(_("These numbers cannot be drawn as a picture; check them."))
    source = number.source.strip()
    parts.append(
        _("Source, as written: {source}.").format(source=source.rstrip("."))
        if source
        else _("No source was written down.")
    )
    parts.append(
        _("Certainty, as written: {certainty}.").format(certainty=certainty_label(number.certainty))
    )
    return join_sentences(*parts)


def group_numbers(
    options: list[tuple[str, tuple[WrittenNumber, ...]]],
) -> list[tuple[str, list[tuple[str, WrittenNumber]]]]:
    """Numbers of several options under what they count (spaces and case aside),
    first seen first, so the same outcome is read option after option.
    ``options`` is (an option's id, its numbers); the groups hold (id, number)."""
    groups: dict[str, tuple[str, list[tuple[str, WrittenNumber]]]] = {}
    for option_id, numbers in options:
        for number in numbers:
            if number.is_empty():
                continue
            label = " ".join(number.what.split())
            key = label.casefold()
            groups.setdefault(key, (label, []))[1].append((option_id, number))
    return list(groups.values())
