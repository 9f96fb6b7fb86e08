"""What changed between the clinic's consultation and the patient's copy brought back,
in plain words, and the consultation to store once the clinician accepts it.

Qt-free. The changes are listed for the clinician before anything is stored; the
words name what the patient sees (a value's statement, an option's title, a question
as written), never internal ids where a name is known. Text the patient typed is
isolated in its own direction (``core.bidi.isolate``).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import NamedTuple

from sdm_app.core.bidi import isolate
from sdm_app.core.consultation import NOT_SURE, SURE_ITEMS, Consultation
from sdm_app.core.decision_aid import DecisionAid
from sdm_app.core.deliberation import OtherPerson, Reason, ReasonSide, parse_stage
from sdm_app.core.questions import bank_question
from sdm_app.core.results import TestResult
from sdm_app.core.written_options import WrittenOptions
from sdm_app.i18n import _, format_number, language_name
from sdm_app.services.deliberation_words import stage_labels
from sdm_app.services.result_words import finding_name
from sdm_app.services.take_home import ContentVersions, TakeHomeCopy

# Fields that belong to the copy of the app holding the consultation, not to what the
# patient changed.
_NOT_COMPARED = frozenset({"id", "created_at", "updated_at", "revision", "current_step"})


class CopyChange(NamedTuple):
    area: str  # the step it belongs to, in words ("What matters")
    text: str  # one sentence


def copy_changes(
    stored: Consultation,
    returned: Consultation,
    aid: DecisionAid | None = None,
    *,
    clinician_notes_included: bool = False,
) -> list[CopyChange]:
    """Every difference from ``stored`` (the clinic's) to ``returned`` (the copy), in
    the order of the steps. ``aid`` (the consultation's decision aid) names values
    and options. Clinician notes are compared only when the copy carries them."""
    words = _Words(stored, returned, aid)
    found: list[CopyChange] = []
    handled: set[str] = set()

    def add(area: str, texts: Iterator[str], *fields: str) -> None:
        found.extend(CopyChange(area, text) for text in texts)
        handled.update(fields)

    visit = _("About this visit")
    add(visit, _label(stored, returned), "patient_label")
    add(visit, _context(stored, returned), "context")
    add(
        _("Test results"),
        _results(stored.results, returned.results, clinician_notes_included),
        "results",
    )
    add(_("Options"), _decision_aid(stored, returned), "decision_aid_id")
    add(_("Options"), _written(stored.written_options, returned.written_options), "written_options")
    add(_("What matters"), _ratings(stored, returned, words), "value_ratings")
    add(_("What matters"), _reasons(stored.reasons, returned.reasons, words), "reasons")
    ready = _("Ready to decide?")
    add(ready, _sure(stored, returned), "sure")
    add(ready, _questions(stored, returned), "bank_questions", "own_questions")
    add(ready, _leaning(stored, returned, words), "leaning")
    add(ready, _stage(stored.decision_stage, returned.decision_stage), "decision_stage")
    add(ready, _others(stored.others, returned.others, words), "others")
    add(ready, _own_words(_("Next steps"), stored.next_steps, returned.next_steps), "next_steps")
    add(ready, _own_words(_("Who else to involve"), stored.involve, returned.involve), "involve")
    summary = _("Summary")
    add(
        summary,
        _own_words(_("Note to relatives"), stored.family_note, returned.family_note),
        "family_note",
    )
    if clinician_notes_included:
        add(
            summary,
            _own_words(_("Clinician notes"), stored.clinician_notes, returned.clinician_notes),
        )
    handled.add("clinician_notes")
    # A field added to the consultation later and not named above is still reported.
    for field in dataclasses.fields(Consultation):
        name = field.name
        if name in handled or name in _NOT_COMPARED:
            continue
        if getattr(stored, name) != getattr(returned, name):
            found.append(
                CopyChange(_("Other"), _("“{field}” changed.").format(field=name.replace("_", " ")))
            )
    return found


def accept_copy(stored: Consultation, copy: TakeHomeCopy) -> Consultation:
    """The consultation to save once the clinician accepts ``copy``: everything the
    copy holds, on the stored consultation's id, dates, revision (a save over a newer
    stored version is refused) and current step. Without clinician notes in the copy,
    the stored notes are kept, the results' too."""
    incoming = copy.consultation
    notes = copy.clinician_notes_included
    merged = replace(
        incoming,
        id=stored.id,
        created_at=stored.created_at,
        updated_at=stored.updated_at,
        revision=stored.revision,
        current_step=stored.current_step,
        results=_matched_results(stored.results, incoming.results, notes),
    )
    if not notes:
        merged = replace(merged, clinician_notes=stored.clinician_notes)
    return merged


def content_notes(copy: ContentVersions, here: ContentVersions) -> list[str]:
    """Where the content the copy was made with differs from this app's."""
    notes: list[str] = []
    packs = {pack.id: pack for pack in here.packs}
    for pack in copy.packs:
        mine = packs.get(pack.id)
        if mine is None:
            notes.append(
                _("The copy was made with the content pack “{name}”, which this app lacks.").format(
                    name=isolate(pack.name)
                )
            )
        elif mine.version != pack.version:
            notes.append(
                _(
                    "The copy was made with version {old} of the content pack “{name}”; this "
                    "app has version {new}."
                ).format(old=pack.version, name=isolate(pack.name), new=mine.version)
            )
    aid = copy.decision_aid
    if aid is not None:
        if here.decision_aid is None or here.decision_aid.id != aid.id:
            notes.append(_("The copy's decision aid is not in this app's content."))
        elif here.decision_aid.version != aid.version:
            notes.append(
                _(
                    "The copy was made with version {old} of the decision aid; this app "
                    "shows version {new}."
                ).format(old=aid.version, new=here.decision_aid.version)
            )
    return notes


# -- the parts ---------------------------------------------------------------------


class _Words:
    """Names of values and options, from the aid and both consultations' written
    options (an option renamed at home is named as it was and as it is)."""

    def __init__(
        self, stored: Consultation, returned: Consultation, aid: DecisionAid | None
    ) -> None:
        self.values = {value.id: value.statement for value in aid.values} if aid else {}
        self.options: dict[str, str] = {o.id: o.title for o in aid.options} if aid else {}
        for consultation in (stored, returned):
            for option in consultation.written_options.named_options():
                self.options.setdefault(option.id, option.title)

    def value(self, value_id: str) -> str:
        return self.values.get(value_id) or isolate(value_id)

    def option(self, option_id: str) -> str:
        if option_id == NOT_SURE:
            return _("Not sure yet")
        if not option_id:
            return _("none chosen")
        return _quoted(self.options.get(option_id) or option_id)


def _quoted(text: str) -> str:
    return _("“{text}”").format(text=isolate(text)) if text.strip() else _("(empty)")


def _label(stored: Consultation, returned: Consultation) -> Iterator[str]:
    if stored.patient_label != returned.patient_label:
        yield _("The label changed from {old} to {new}.").format(
            old=_quoted(stored.patient_label), new=_quoted(returned.patient_label)
        )


def _context(stored: Consultation, returned: Consultation) -> Iterator[str]:
    before, after = stored.context, returned.context
    for label, old, new in (
        (_("Condition or cancer type"), before.condition, after.condition),
        (_("Decision to talk about"), before.decision, after.decision),
        (_("Who is present"), before.present, after.present),
    ):
        if old != new:
            yield _("{what} changed from {old} to {new}.").format(
                what=label, old=_quoted(old), new=_quoted(new)
            )
    if before.materials_locale != after.materials_locale:

        def name(code: str) -> str:
            return language_name(code) if code else _("the app's language")

        yield _("The language of the patient's materials changed from {old} to {new}.").format(
            old=name(before.materials_locale), new=name(after.materials_locale)
        )


def _comparable(result: TestResult, notes: bool) -> TestResult:
    return replace(result, id=None) if notes else replace(result, id=None, clinician_note="")


def _results(
    stored: Sequence[TestResult], returned: Sequence[TestResult], notes: bool
) -> Iterator[str]:
    before = Counter(_comparable(result, notes) for result in stored)
    after = Counter(_comparable(result, notes) for result in returned)
    removed = list((before - after).elements())
    added = list((after - before).elements())
    for result in list(added):
        name = finding_name(result)
        same = next((old for old in removed if finding_name(old) == name), None)
        if same is not None:
            removed.remove(same)
            added.remove(result)
            yield _("The result {finding} was changed.").format(finding=isolate(name))
    for result in removed:
        yield _("The result {finding} was removed.").format(finding=isolate(finding_name(result)))
    for result in added:
        yield _("A result was added: {finding}.").format(finding=isolate(finding_name(result)))


def _decision_aid(stored: Consultation, returned: Consultation) -> Iterator[str]:
    if stored.decision_aid_id != returned.decision_aid_id:
        yield _("A different decision aid or set of options was chosen.")


def _written(before: WrittenOptions, after: WrittenOptions) -> Iterator[str]:
    if before == after:
        return
    if before.questions != after.questions:
        yield _("The questions of the written options changed.")
    old = {option.id: option for option in before.options}
    new = {option.id: option for option in after.options}
    for option_id, option in old.items():
        if option_id not in new:
            yield _("The option {title} was removed.").format(title=_quoted(option.title))
    for option_id, option in new.items():
        previous = old.get(option_id)
        if previous is None:
            yield _("An option was added: {title}.").format(title=_quoted(option.title))
            continue
        if previous.title != option.title:
            yield _("The option {old} was renamed {new}.").format(
                old=_quoted(previous.title), new=_quoted(option.title)
            )
        if (previous.answers, previous.numbers) != (option.answers, option.numbers):
            yield _("The answers or numbers for the option {title} changed.").format(
                title=_quoted(option.title)
            )


def _ratings(stored: Consultation, returned: Consultation, words: _Words) -> Iterator[str]:
    before, after = stored.value_ratings, returned.value_ratings
    for value_id in [*before, *(key for key in after if key not in before)]:
        old, new = before.get(value_id), after.get(value_id)
        if old == new:
            continue
        value = words.value(value_id)
        if old is None and new is not None:
            yield _("“{value}”: rated {new} out of 4 (not rated before).").format(
                value=value, new=format_number(new)
            )
        elif new is None and old is not None:
            yield _("“{value}”: the rating ({old} out of 4) was removed.").format(
                value=value, old=format_number(old)
            )
        elif old is not None and new is not None:
            yield _("“{value}”: rating changed from {old} to {new} out of 4.").format(
                value=value, old=format_number(old), new=format_number(new)
            )


def _side(reason: Reason, words: _Words) -> str:
    option = words.option(reason.option_id)
    if reason.side is ReasonSide.FOR:
        return _("A reason to choose {option}").format(option=option)
    return _("A reason to avoid {option}").format(option=option)


def _importance(importance: int | None) -> str:
    if importance is None:
        return _("not rated")
    return _("{stars} out of 5").format(stars=format_number(importance))


def _reasons(before: Sequence[Reason], after: Sequence[Reason], words: _Words) -> Iterator[str]:
    old = Counter(before)
    new = Counter(after)
    removed = list((old - new).elements())
    added = list((new - old).elements())
    for reason in list(added):
        same = next(
            (
                r
                for r in removed
                if (r.option_id, r.side, r.text) == (reason.option_id, reason.side, reason.text)
            ),
            None,
        )
        if same is None:
            continue
        removed.remove(same)
        added.remove(reason)
        yield _("{reason}, {text}: how much it matters changed from {old} to {new}.").format(
            reason=_side(reason, words),
            text=_quoted(reason.text),
            old=_importance(same.importance),
            new=_importance(reason.importance),
        )
    for reason in removed:
        yield _("{reason} was removed: {text}.").format(
            reason=_side(reason, words), text=_quoted(reason.text)
        )
    for reason in added:
        yield _("{reason} was added: {text} ({importance}).").format(
            reason=_side(reason, words),
            text=_quoted(reason.text),
            importance=_importance(reason.importance),
        )


def _yes_no(answer: bool | None) -> str:
    if answer is None:
        return _("not answered")
    return _("Yes") if answer else _("No")


def _sure(stored: Consultation, returned: Consultation) -> Iterator[str]:
    from sdm_app.services.documents.summary import sure_questions

    questions = sure_questions()
    for item in SURE_ITEMS:
        old, new = stored.sure.get(item), returned.sure.get(item)
        if old == new:
            continue
        if old is None:
            yield _("“{question}”: answered {new}.").format(
                question=questions[item], new=_yes_no(new)
            )
        elif new is None:
            yield _("“{question}”: the answer ({old}) was removed.").format(
                question=questions[item], old=_yes_no(old)
            )
        else:
            yield _("“{question}”: the answer changed from {old} to {new}.").format(
                question=questions[item], old=_yes_no(old), new=_yes_no(new)
            )


def _questions(stored: Consultation, returned: Consultation) -> Iterator[str]:
    def bank_text(question_id: str) -> str:
        question = bank_question(question_id)
        return _(question.text) if question is not None else question_id

    for question_id in stored.bank_questions:
        if question_id not in returned.bank_questions:
            yield _("Question removed: “{question}”").format(question=bank_text(question_id))
    for question_id in returned.bank_questions:
        if question_id not in stored.bank_questions:
            yield _("Question added: “{question}”").format(question=bank_text(question_id))
    before, after = Counter(stored.own_questions), Counter(returned.own_questions)
    for text in (before - after).elements():
        yield _("Question removed: {question}").format(question=_quoted(text))
    for text in (after - before).elements():
        yield _("Question added: {question}").format(question=_quoted(text))


def _leaning(stored: Consultation, returned: Consultation, words: _Words) -> Iterator[str]:
    if stored.leaning != returned.leaning:
        yield _("The option leaned toward changed from {old} to {new}.").format(
            old=words.option(stored.leaning), new=words.option(returned.leaning)
        )


def _stage(before: str, after: str) -> Iterator[str]:
    if before == after:
        return
    stages = stage_labels()

    def name(stage: str) -> str:
        known = parse_stage(stage)
        return stages[known] if known is not None else _("not asked")

    if not before:
        yield _("How far along the decision is: “{new}” (not asked before).").format(
            new=name(after)
        )
    else:
        yield _("How far along the decision is changed from “{old}” to “{new}”.").format(
            old=name(before), new=name(after)
        )


def _others(
    before: Sequence[OtherPerson], after: Sequence[OtherPerson], words: _Words
) -> Iterator[str]:
    old = Counter(before)
    new = Counter(after)
    removed = list((old - new).elements())
    added = list((new - old).elements())
    for person in list(added):
        same = next((p for p in removed if p.role == person.role), None)
        if same is None:
            continue
        removed.remove(same)
        added.remove(person)
        if same.preferred != person.preferred:
            yield _("{person} now prefers {new} (before: {old}).").format(
                person=_quoted(person.role),
                new=words.option(person.preferred),
                old=words.option(same.preferred),
            )
        if same.pressure != person.pressure:
            yield _("{person}: does it feel like pressure? {new} (before: {old}).").format(
                person=_quoted(person.role),
                new=_yes_no(person.pressure),
                old=_yes_no(same.pressure),
            )
    for person in removed:
        yield _("{person} is no longer listed as involved.").format(person=_quoted(person.role))
    for person in added:
        if person.preferred:
            yield _("{person} was added to the people involved (prefers {option}).").format(
                person=_quoted(person.role), option=words.option(person.preferred)
            )
        else:
            yield _("{person} was added to the people involved.").format(
                person=_quoted(person.role)
            )


def _own_words(what: str, old: str, new: str) -> Iterator[str]:
    if old != new:
        yield _("{what} changed from {old} to {new}.").format(
            what=what, old=_quoted(old), new=_quoted(new)
        )


def _matched_results(
    stored: Sequence[TestResult], incoming: Sequence[TestResult], notes: bool
) -> tuple[TestResult, ...]:
    """The copy's results, each that is unchanged taken as stored (its id, and its
    clinician note when the copy had none)."""
    unused = list(stored)
    kept: list[TestResult] = []
    for result in incoming:
        wanted = _comparable(result, notes)
        same = next((old for old in unused if _comparable(old, notes) == wanted), None)
        if same is None:
            kept.append(replace(result, id=None))
            continue
        unused.remove(same)
        kept.append(same if not notes else replace(result, id=same.id))
    return tuple(kept)
