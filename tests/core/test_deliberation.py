"""Written options and the Ottawa guide's deliberation as plain values: editing keeps
answers with their questions, numbers are read as typed, and the plain mappings (what
user.db and file exports store) round-trip and read leniently."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

import pytest

from sdm_app.core.consultation import Consultation, Step
from sdm_app.core.deliberation import (
    DecisionStage,
    OtherPerson,
    Reason,
    ReasonSide,
    others_from_mapping,
    others_to_mapping,
    parse_stage,
    reasons_for,
    reasons_from_mapping,
    reasons_to_mapping,
)
from sdm_app.core.written_options import (
    DEFAULT_QUESTIONS,
    MAX_OPTIONS,
    WRITTEN_OPTIONS,
    WrittenNumber,
    WrittenOption,
    WrittenOptions,
    add_option,
    add_question,
    default_questions,
    map_written_texts,
    parse_amount,
    parse_count,
    remove_option,
    remove_question,
    set_answer,
    start_written_options,
    written_options_from_mapping,
    written_options_to_mapping,
    written_texts,
)

WRITTEN = WrittenOptions(
    ("Q1", "Q2", "Q3"),
    (
        WrittenOption(
            "written:1",
            "A",
            ("a1", "a2", "a3"),
            (WrittenNumber("alive", "54", "100", "3 years", "Trial X", "moderate"),),
        ),
        WrittenOption("written:2", "B", ("b1", "b2", "b3")),
    ),
)


def test_a_new_set_has_the_default_questions_and_two_empty_options() -> None:
    started = start_written_options()
    assert started.questions == default_questions() == DEFAULT_QUESTIONS  # English
    assert [o.id for o in started.options] == ["written:1", "written:2"]
    assert all(o.answers == ("",) * len(started.questions) for o in started.options)
    assert not started.ready()  # no titles yet
    named = WrittenOptions(started.questions, (WRITTEN.options[0], WRITTEN.options[1]))
    assert named.ready()


def test_answers_stay_with_their_questions_when_questions_change() -> None:
    removed = remove_question(WRITTEN, 1)
    assert removed.questions == ("Q1", "Q3")
    assert [o.answers for o in removed.options] == [("a1", "a3"), ("b1", "b3")]
    added = add_question(removed, "Q4")
    assert [o.answers for o in added.options] == [("a1", "a3", ""), ("b1", "b3", "")]
    assert remove_question(WRITTEN, 7) == WRITTEN
    option = set_answer(WRITTEN.options[1], 2, "new", 3)
    assert option.answers == ("b1", "b2", "new")


def test_options_are_two_to_four_and_ids_are_never_reused() -> None:
    three = add_option(WRITTEN)
    assert [o.id for o in three.options] == ["written:1", "written:2", "written:3"]
    two = remove_option(three, "written:2")
    again = add_option(two)
    assert [o.id for o in again.options] == ["written:1", "written:3", "written:4"]
    assert len(add_option(add_option(again)).options) == MAX_OPTIONS
    assert remove_option(WRITTEN, "written:1") == WRITTEN  # two stay


@pytest.mark.parametrize(
    ("text", "amount", "count"),
    [
        ("12", Decimal(12), 12),
        ("2.5", Decimal("2.5"), None),
        ("2,5", Decimal("2.5"), None),
        ("1,000", Decimal(1000), 1000),
        ("1 000", Decimal(1000), 1000),
        ("١٢", Decimal(12), 12),  # Arabic-Indic digits
        ("٢٫٥", Decimal("2.5"), None),
        (" 7 ", Decimal(7), 7),
        ("12a", None, None),
        ("-3", None, None),
        ("", None, None),
        ("about 10", None, None),
    ],
)
def test_numbers_are_read_as_typed(text: str, amount: Decimal | None, count: int | None) -> None:
    assert parse_amount(text) == amount
    assert parse_count(text) == count


def test_a_number_is_drawn_only_when_it_makes_sense() -> None:
    assert WrittenNumber("x", "12", "100").counts() == (Decimal(12), 100)
    assert WrittenNumber("x", "120", "100").counts() is None  # more than all
    assert WrittenNumber("x", "1", "0").counts() is None
    assert WrittenNumber("x", "1", "2.5").counts() is None  # people are whole
    assert WrittenNumber("x", "", "100").counts() is None
    assert WrittenNumber().is_empty() and not WrittenNumber(source="a").is_empty()


def test_written_options_round_trip_through_json() -> None:
    text = json.dumps(written_options_to_mapping(WRITTEN), ensure_ascii=False)
    assert written_options_from_mapping(json.loads(text)) == WRITTEN
    assert written_options_from_mapping({}) == WrittenOptions()


def test_written_options_read_leniently() -> None:
    data = {
        "questions": ["Q1", 7, None],
        "options": [
            {"id": "written:1", "title": "A", "answers": ["x", 1], "numbers": [{"what": 3}, 5]},
            {"id": "written:1", "title": "again"},  # a repeated id
            {"title": "no id"},
            "nonsense",
            {"id": "written:2", "numbers": [{"certainty": "certain-ish"}]},
        ],
    }
    read = written_options_from_mapping(data)
    assert read.questions == ("Q1", "", "")
    assert [o.id for o in read.options] == ["written:1", "written:2"]
    assert read.options[0].answers == ("x", "")
    assert read.options[0].numbers == (WrittenNumber(),)
    assert read.options[1].numbers == (WrittenNumber(certainty="certain-ish"),)  # as stored
    assert written_options_from_mapping("not a mapping") == WrittenOptions()


def test_every_text_is_listed_and_mapped() -> None:
    listed = dict(written_texts(WRITTEN))
    assert listed["written_options.options[0].numbers[0].source"] == "Trial X"
    assert listed["written_options.questions[2]"] == "Q3"
    upper = map_written_texts(WRITTEN, str.upper)
    assert upper.options[0].numbers[0].source == "TRIAL X"
    assert upper.options[1].answers == ("B1", "B2", "B3")


def test_reasons_and_others_round_trip_and_read_leniently() -> None:
    reasons = (
        Reason("written:1", ReasonSide.FOR, "home", 5),
        Reason("targeted", ReasonSide.AGAINST, "rash", None),
        Reason("targeted", ReasonSide.FOR, "", 0),
    )
    others = (OtherPerson("wife", "written:1", True), OtherPerson())
    stored = json.loads(json.dumps([reasons_to_mapping(reasons), others_to_mapping(others)]))
    assert reasons_from_mapping(stored[0]) == reasons
    assert others_from_mapping(stored[1]) == others
    odd = [
        {"option_id": "a", "side": "for", "importance": 6},  # out of range: unrated
        {"option_id": "a", "side": "for", "importance": True},  # not a number
        {"option_id": "a", "side": "maybe"},  # unknown side: dropped
        {"side": "for"},  # no option: dropped
        "x",
    ]
    assert reasons_from_mapping(odd) == (
        Reason("a", ReasonSide.FOR, "", None),
        Reason("a", ReasonSide.FOR, "", None),
    )
    assert others_from_mapping([{"role": 1, "pressure": "yes"}, 3]) == (OtherPerson(),)
    assert reasons_from_mapping("x") == () == others_from_mapping(None)


def test_reasons_of_one_option_and_side_keep_their_order_and_place() -> None:
    reasons = (
        Reason("a", ReasonSide.FOR, "1"),
        Reason("b", ReasonSide.FOR, "2"),
        Reason("a", ReasonSide.AGAINST, "3"),
        Reason("a", ReasonSide.FOR, "4"),
    )
    assert [(n, r.text) for n, r in reasons_for(reasons, "a", ReasonSide.FOR)] == [
        (0, "1"),
        (3, "4"),
    ]


def test_the_options_step_is_done_with_two_named_written_options() -> None:
    now = datetime(2026, 1, 1)
    empty = Consultation(id=None, created_at=now, updated_at=now)
    written = Consultation(
        id=None,
        created_at=now,
        updated_at=now,
        decision_aid_id=WRITTEN_OPTIONS,
        written_options=start_written_options(),
    )
    assert not empty.step_done(Step.OPTIONS)
    assert written.uses_written_options and not written.step_done(Step.OPTIONS)
    from dataclasses import replace

    assert replace(written, written_options=WRITTEN).step_done(Step.OPTIONS)
    assert parse_stage("decided") is DecisionStage.DECIDED
    assert parse_stage("later") is None
