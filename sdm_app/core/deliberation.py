"""The patient's own deliberation, as the Ottawa Personal Decision Guide asks it.

- Reasons: for each option, the patient's reasons to choose it and to avoid it,
  each with how much it matters to them (0 to 5 stars, ``MAX_IMPORTANCE``).
- Others involved: who else takes part, which option they prefer, and whether
  that feels like pressure.
- The decision stage: how far along the patient is.

Source: O'Connor AM, Stacey D, Jacobsen MJ. Ottawa Personal Decision Guide.
Ottawa Hospital Research Institute and University of Ottawa; 2015.

Reasons and preferences name an option by its id: a decision aid's option, a
written option (``written_options``), or ``NOT_SURE``. Nothing here weighs the
reasons into a choice: the ratings are the patient's, shown as given.

Plain mappings (``*_to_mapping`` and their inverses) are what user.db and any file
export store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum

MAX_IMPORTANCE = 5  # stars: 0 "not at all" to 5 "a lot"


class DecisionStage(StrEnum):
    NOT_THOUGHT = "not-thought-about"
    CONSIDERING = "considering"
    CLOSE = "close-to-deciding"
    DECIDED = "decided"


DECISION_STAGES: tuple[DecisionStage, ...] = tuple(DecisionStage)


class ReasonSide(StrEnum):
    FOR = "for"  # a reason to choose the option
    AGAINST = "against"  # a reason to avoid it


@dataclass(frozen=True, slots=True)
class Reason:
    option_id: str
    side: ReasonSide
    text: str = ""
    importance: int | None = None  # 0..MAX_IMPORTANCE; None until rated


@dataclass(frozen=True, slots=True)
class OtherPerson:
    role: str = ""  # in the patient's words: "my daughter", "my GP"
    preferred: str = ""  # an option id, NOT_SURE, or "" when not known
    pressure: bool | None = None  # does it feel like pressure? None: not asked


def parse_stage(text: str) -> DecisionStage | None:
    try:
        return DecisionStage(text)
    except ValueError:
        return None


def reasons_for(
    reasons: tuple[Reason, ...], option_id: str, side: ReasonSide
) -> list[tuple[int, Reason]]:
    """(position in ``reasons``, reason) for one option and side, in the order given."""
    return [
        (index, reason)
        for index, reason in enumerate(reasons)
        if reason.option_id == option_id and reason.side is side
    ]


# Plain mappings (for JSON files and user.db) -------------------------------------


def reason_to_mapping(reason: Reason) -> dict[str, object]:
    return {
        "option_id": reason.option_id,
        "side": str(reason.side),
        "text": reason.text,
        "importance": reason.importance,
    }


def reason_from_mapping(data: object) -> Reason | None:
    """Lenient: an unknown side or a rating out of range is dropped, not fatal."""
    if not isinstance(data, dict) or not isinstance(data.get("option_id"), str):
        return None
    try:
        side = ReasonSide(str(data.get("side", "")))
    except ValueError:
        return None
    text = data.get("text", "")
    importance = data.get("importance")
    rated = (
        importance
        if isinstance(importance, int)
        and not isinstance(importance, bool)
        and 0 <= importance <= MAX_IMPORTANCE
        else None
    )
    return Reason(data["option_id"], side, text if isinstance(text, str) else "", rated)


def other_to_mapping(person: OtherPerson) -> dict[str, object]:
    return {"role": person.role, "preferred": person.preferred, "pressure": person.pressure}


def other_from_mapping(data: object) -> OtherPerson | None:
    if not isinstance(data, dict):
        return None
    role, preferred, pressure = data.get("role"), data.get("preferred"), data.get("pressure")
    return OtherPerson(
        role if isinstance(role, str) else "",
        preferred if isinstance(preferred, str) else "",
        pressure if isinstance(pressure, bool) else None,
    )


def reasons_to_mapping(reasons: tuple[Reason, ...]) -> list[dict[str, object]]:
    return [reason_to_mapping(reason) for reason in reasons]


def reasons_from_mapping(data: object) -> tuple[Reason, ...]:
    items = data if isinstance(data, list | tuple) else ()
    found = (reason_from_mapping(item) for item in items)
    return tuple(reason for reason in found if reason is not None)


def others_to_mapping(others: tuple[OtherPerson, ...]) -> list[dict[str, object]]:
    return [other_to_mapping(person) for person in others]


def others_from_mapping(data: object) -> tuple[OtherPerson, ...]:
    items = data if isinstance(data, list | tuple) else ()
    found = (other_from_mapping(item) for item in items)
    return tuple(person for person in found if person is not None)


def deliberation_texts(
    reasons: tuple[Reason, ...], others: tuple[OtherPerson, ...]
) -> Iterator[tuple[str, str]]:
    """(where, text) for every text, to check before storing."""
    for index, reason in enumerate(reasons):
        yield f"reasons[{index}].option_id", reason.option_id
        yield f"reasons[{index}].text", reason.text
    for index, person in enumerate(others):
        yield f"others[{index}].role", person.role
        yield f"others[{index}].preferred", person.preferred


def map_reason_texts(
    reasons: tuple[Reason, ...], change: Callable[[str], str]
) -> tuple[Reason, ...]:
    return tuple(Reason(change(r.option_id), r.side, change(r.text), r.importance) for r in reasons)


def map_other_texts(
    others: tuple[OtherPerson, ...], change: Callable[[str], str]
) -> tuple[OtherPerson, ...]:
    return tuple(OtherPerson(change(p.role), change(p.preferred), p.pressure) for p in others)
