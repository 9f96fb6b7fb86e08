"""Options written during a consultation, when no decision aid fits.

A clinician may write two to four options on the spot, each answering the same
questions (Option Grid's rule: the same facts for every option), with optional
numbers. They are the clinician's own words, never a reviewed decision aid: every
view that shows them says so, and a number is shown with its source as typed.

The consultation uses them when its ``decision_aid_id`` is ``WRITTEN_OPTIONS`` (a
value no content id can take: ids have no colon). Answers are held by position,
one per question; the editing helpers below keep them aligned when a question is
added or removed.

The default questions are interface strings (``default_questions``): the content
format has no place for a set that belongs to no decision aid. A consultation
stores its questions as text, so edited or not, they print as they were written.

Plain mappings (``written_options_to_mapping`` and its inverse) are what user.db
and any file export store.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal

from sdm_app.i18n import N_, _

# The decision_aid_id of a consultation whose options are written in it.
WRITTEN_OPTIONS = "written:this-consultation"
OPTION_ID_PREFIX = "written:"  # a written option's id: "written:1", "written:2" ...
MIN_OPTIONS = 2
MAX_OPTIONS = 4
MAX_QUESTIONS = 8
MAX_NUMBERS = 4  # per option

# The questions a new set of written options starts with, answered for every
# option; the clinician may reword, add or remove them. Balanced on purpose: a
# benefit question and a harm question.
DEFAULT_QUESTIONS: tuple[str, ...] = (
    N_("What does it involve?"),
    N_("What are the possible benefits?"),
    N_("What are the possible harms and side effects?"),
    N_("How might it affect daily life?"),
    N_("What happens after, and can I change my mind?"),
)


def default_questions() -> tuple[str, ...]:
    """The default questions in the current language."""
    return tuple(_(question) for question in DEFAULT_QUESTIONS)


_DECIMAL_MARKS = str.maketrans({",": ".", "\u066b": "."})  # comma, Arabic decimal mark
_GROUPING = re.compile(r"(?<=\d)[\s,.'\u00a0\u202f\u066c](?=\d{3}(?:\D|$))")
_WHOLE = re.compile(r"\d+")
_DECIMAL = re.compile(r"\d+(?:[.,\u066b]\d+)?")


def parse_count(text: str) -> int | None:
    """A whole number of people as typed ("100", "1,000", "1 000", "١٠٠"), or None."""
    plain = _GROUPING.sub("", text.strip())
    if not _WHOLE.fullmatch(plain):
        return None
    return int(plain)


def parse_amount(text: str) -> Decimal | None:
    """A number of people as typed, a decimal mark allowed ("12", "2.5", "2,5"), or
    None. A mark followed by exactly three digits groups thousands ("1,000")."""
    plain = _GROUPING.sub("", text.strip())
    if not _DECIMAL.fullmatch(plain):
        return None
    # Any script's digits, read one by one; the decimal mark made a point.
    whole, _mark, part = plain.translate(_DECIMAL_MARKS).partition(".")
    digits = str(int(whole)) + ("." + "".join(str(int(d)) for d in part) if part else "")
    return Decimal(digits)


@dataclass(frozen=True, slots=True)
class WrittenNumber:
    """A number for one option, every part as typed: "``numerator`` out of
    ``denominator``: ``what``, over ``time_frame``", with its source and certainty."""

    what: str = ""  # what is counted ("tumours that shrink")
    numerator: str = ""
    denominator: str = ""
    time_frame: str = ""
    source: str = ""  # where the number comes from, as typed
    certainty: str = ""  # one of decision_aid.CERTAINTIES, or "" when not stated

    def is_empty(self) -> bool:
        return not any(text.strip() for text in _number_texts(self))

    def counts(self) -> tuple[Decimal, int] | None:
        """The numbers to draw, or None when they are not a whole, positive
        denominator and a numerator from 0 up to it."""
        numerator = parse_amount(self.numerator)
        denominator = parse_count(self.denominator)
        if numerator is None or denominator is None or denominator <= 0:
            return None
        if numerator > denominator:
            return None
        return numerator, denominator


def _number_texts(number: WrittenNumber) -> tuple[str, ...]:
    return (
        number.what,
        number.numerator,
        number.denominator,
        number.time_frame,
        number.source,
    )


@dataclass(frozen=True, slots=True)
class WrittenOption:
    id: str  # "written:<n>", never reused within a consultation
    title: str = ""
    answers: tuple[str, ...] = ()  # by position, one per question
    numbers: tuple[WrittenNumber, ...] = ()

    def answer(self, index: int) -> str:
        return self.answers[index] if 0 <= index < len(self.answers) else ""


@dataclass(frozen=True, slots=True)
class WrittenOptions:
    questions: tuple[str, ...] = ()
    options: tuple[WrittenOption, ...] = ()

    def is_empty(self) -> bool:
        return not self.questions and not self.options

    def option(self, option_id: str) -> WrittenOption | None:
        return next((o for o in self.options if o.id == option_id), None)

    def named_options(self) -> tuple[WrittenOption, ...]:
        """The options with a title: the ones shown, chosen and printed."""
        return tuple(o for o in self.options if o.title.strip())

    def ready(self) -> bool:
        """At least two options have a title."""
        return len(self.named_options()) >= MIN_OPTIONS


def is_written_option(option_id: str) -> bool:
    return option_id.startswith(OPTION_ID_PREFIX)


def start_written_options(questions: tuple[str, ...] | None = None) -> WrittenOptions:
    """A new set: the default questions (current language) and two empty options."""
    asked = default_questions() if questions is None else questions
    blank = ("",) * len(asked)
    return WrittenOptions(
        asked,
        (
            WrittenOption(f"{OPTION_ID_PREFIX}1", answers=blank),
            WrittenOption(f"{OPTION_ID_PREFIX}2", answers=blank),
        ),
    )


def _next_id(written: WrittenOptions) -> str:
    used = [
        int(option.id[len(OPTION_ID_PREFIX) :])
        for option in written.options
        if option.id[len(OPTION_ID_PREFIX) :].isdigit()
    ]
    return f"{OPTION_ID_PREFIX}{max(used, default=0) + 1}"


def add_option(written: WrittenOptions) -> WrittenOptions:
    if len(written.options) >= MAX_OPTIONS:
        return written
    new = WrittenOption(_next_id(written), answers=("",) * len(written.questions))
    return replace(written, options=(*written.options, new))


def remove_option(written: WrittenOptions, option_id: str) -> WrittenOptions:
    if len(written.options) <= MIN_OPTIONS:
        return written
    return replace(written, options=tuple(o for o in written.options if o.id != option_id))


def _padded(answers: tuple[str, ...], count: int) -> tuple[str, ...]:
    return (answers + ("",) * count)[:count]


def add_question(written: WrittenOptions, text: str = "") -> WrittenOptions:
    if len(written.questions) >= MAX_QUESTIONS:
        return written
    count = len(written.questions)
    return WrittenOptions(
        (*written.questions, text),
        tuple(replace(o, answers=(*_padded(o.answers, count), "")) for o in written.options),
    )


def remove_question(written: WrittenOptions, index: int) -> WrittenOptions:
    if not 0 <= index < len(written.questions):
        return written
    count = len(written.questions)

    def without(answers: tuple[str, ...]) -> tuple[str, ...]:
        kept = _padded(answers, count)
        return kept[:index] + kept[index + 1 :]

    questions = written.questions[:index] + written.questions[index + 1 :]
    return WrittenOptions(
        questions, tuple(replace(o, answers=without(o.answers)) for o in written.options)
    )


def set_question(written: WrittenOptions, index: int, text: str) -> WrittenOptions:
    if not 0 <= index < len(written.questions):
        return written
    questions = list(written.questions)
    questions[index] = text
    return replace(written, questions=tuple(questions))


def replace_option(written: WrittenOptions, option: WrittenOption) -> WrittenOptions:
    return replace(
        written, options=tuple(option if o.id == option.id else o for o in written.options)
    )


def set_answer(option: WrittenOption, index: int, text: str, count: int) -> WrittenOption:
    answers = list(_padded(option.answers, max(count, index + 1)))
    answers[index] = text
    return replace(option, answers=tuple(answers))


# Plain mappings (for JSON files and user.db) -------------------------------------


def written_number_to_mapping(number: WrittenNumber) -> dict[str, str]:
    return {
        "what": number.what,
        "numerator": number.numerator,
        "denominator": number.denominator,
        "time_frame": number.time_frame,
        "source": number.source,
        "certainty": number.certainty,
    }


def written_options_to_mapping(written: WrittenOptions) -> dict[str, object]:
    """``{"questions": [text], "options": [{"id", "title", "answers": [text],
    "numbers": [{"what", "numerator", "denominator", "time_frame", "source",
    "certainty"}]}]}``; every text as typed."""
    return {
        "questions": list(written.questions),
        "options": [
            {
                "id": option.id,
                "title": option.title,
                "answers": list(option.answers),
                "numbers": [written_number_to_mapping(n) for n in option.numbers],
            }
            for option in written.options
        ],
    }


def _text(data: dict[object, object], key: str) -> str:
    value = data.get(key, "")
    return value if isinstance(value, str) else ""


def _texts(value: object) -> tuple[str, ...]:
    items = value if isinstance(value, list | tuple) else ()
    return tuple(item if isinstance(item, str) else "" for item in items)


def written_number_from_mapping(data: object) -> WrittenNumber | None:
    if not isinstance(data, dict):
        return None
    return WrittenNumber(
        what=_text(data, "what"),
        numerator=_text(data, "numerator"),
        denominator=_text(data, "denominator"),
        time_frame=_text(data, "time_frame"),
        source=_text(data, "source"),
        # Kept as stored: a certainty this version does not know is shown as not stated.
        certainty=_text(data, "certainty"),
    )


def written_options_from_mapping(data: object) -> WrittenOptions:
    """The inverse of ``written_options_to_mapping``, lenient: a value of the wrong
    type is left out, an option without an id (or with a repeated one) is skipped."""
    if not isinstance(data, dict):
        return WrittenOptions()
    options: list[WrittenOption] = []
    seen: set[str] = set()
    items = data.get("options", ())
    for item in items if isinstance(items, list | tuple) else ():
        if not isinstance(item, dict):
            continue
        option_id = _text(item, "id")
        if not option_id or option_id in seen:
            continue
        seen.add(option_id)
        raw_numbers = item.get("numbers", ())
        numbers = (
            written_number_from_mapping(n)
            for n in (raw_numbers if isinstance(raw_numbers, list | tuple) else ())
        )
        options.append(
            WrittenOption(
                option_id,
                _text(item, "title"),
                _texts(item.get("answers")),
                tuple(n for n in numbers if n is not None),
            )
        )
    return WrittenOptions(_texts(data.get("questions")), tuple(options))


def written_texts(written: WrittenOptions) -> Iterator[tuple[str, str]]:
    """(where, text) for every text, to check before storing."""
    for index, question in enumerate(written.questions):
        yield f"written_options.questions[{index}]", question
    for index, option in enumerate(written.options):
        where = f"written_options.options[{index}]"
        yield f"{where}.id", option.id
        yield f"{where}.title", option.title
        for number, answer in enumerate(option.answers):
            yield f"{where}.answers[{number}]", answer
        for number, figure in enumerate(option.numbers):
            for name, text in written_number_to_mapping(figure).items():
                yield f"{where}.numbers[{number}].{name}", text


def map_written_texts(written: WrittenOptions, change: Callable[[str], str]) -> WrittenOptions:
    """Every text of ``written`` passed through ``change``."""

    def number(figure: WrittenNumber) -> WrittenNumber:
        return WrittenNumber(
            what=change(figure.what),
            numerator=change(figure.numerator),
            denominator=change(figure.denominator),
            time_frame=change(figure.time_frame),
            source=change(figure.source),
            certainty=change(figure.certainty),
        )

    return WrittenOptions(
        tuple(change(q) for q in written.questions),
        tuple(
            WrittenOption(
                change(option.id),
                change(option.title),
                tuple(change(a) for a in option.answers),
                tuple(number(n) for n in option.numbers),
            )
            for option in written.options
        ),
    )
