"""The summary (screen and PDF) shows options written in the consultation as a decision
aid's options are shown, marked as not one, with their numbers as typed; and the
Ottawa guide's deliberation: reasons with how much each matters, others involved, the
decision stage, and the team-talk sentence."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from html import escape

from sdm_app.core.consultation import Consultation, Context
from sdm_app.core.deliberation import DecisionStage, OtherPerson, Reason, ReasonSide
from sdm_app.core.written_options import (
    WRITTEN_OPTIONS,
    WrittenNumber,
    WrittenOption,
    WrittenOptions,
)
from sdm_app.services.documents import html, pdf
from sdm_app.services.documents.model import Document, Group, Pictograph, Section, Table
from sdm_app.services.documents.summary import summary_document
from sdm_app.storage.content_db import ContentLibrary
from tests.services.test_summary_document import _pdf_text

NOW = datetime(2026, 12, 1, 10, 0)
SOURCE = "DPYD guideline 2022, table 2 (as I recall)"
WRITTEN = WrittenOptions(
    ("What does it involve?", "What are the possible harms and side effects?"),
    (
        WrittenOption(
            "written:1",
            "Capecitabine at half dose",
            ("Tablets twice a day", "Diarrhoea, sore hands and feet"),
            (
                WrittenNumber(
                    "Severe side effects", "12", "100", "the first 3 months", SOURCE, "moderate"
                ),
            ),
        ),
        WrittenOption(
            "written:2",
            "A different chemotherapy",
            ("A drip every 3 weeks", ""),
            (WrittenNumber("severe side effects ", "2,5", "1 000"),),  # no source given
        ),
        WrittenOption("written:3", ""),  # no title yet: not shown
    ),
)


def _consultation(**changes: object) -> Consultation:
    base = Consultation(
        id=1,
        created_at=NOW,
        updated_at=NOW,
        context=Context("Bowel cancer", "Which chemotherapy with a DPYD result"),
        decision_aid_id=WRITTEN_OPTIONS,
        written_options=WRITTEN,
        reasons=(
            Reason("written:1", ReasonSide.FOR, "I can take it at home", 5),
            Reason("written:1", ReasonSide.AGAINST, "I worry about my hands", 2),
            Reason("written:2", ReasonSide.AGAINST, "More hospital visits", None),
            Reason("written:2", ReasonSide.FOR, "", 3),  # nothing written: left out
        ),
        others=(
            OtherPerson("My husband", "written:2", True),
            OtherPerson("My oncologist", "not-sure", False),
        ),
        decision_stage=DecisionStage.CLOSE.value,
        leaning="written:1",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def _document(consultation: Consultation, library: ContentLibrary | None = None) -> Document:
    return summary_document(consultation, library, language="en", today=date(2026, 12, 1))


def _section(document: Document, title: str) -> Section:
    (found,) = [b for b in document.blocks if isinstance(b, Section) and b.title == title]
    return found


def test_written_options_print_marked_with_their_numbers_and_the_deliberation() -> None:
    document = _document(_consultation())
    page = html.render(document)
    printed = " ".join(_pdf_text(pdf.render(document)).split())
    expected = [
        "There is more than one reasonable choice here.",
        "Options written in this consultation",
        "Written in this consultation, not a reviewed decision aid.",
        "The decision: Which chemotherapy with a DPYD result",
        "Capecitabine at half dose",
        "A different chemotherapy",
        "Tablets twice a day",
        "A drip every 3 weeks",
        # The numbers as typed, with the source as typed.
        "Severe side effects: 12 out of 100, over the first 3 months.",
        f"Source, as written: {SOURCE}.",
        "Certainty, as written: moderate.",
        "severe side effects: 2,5 out of 1 000.",
        "No source was written down.",
        # The deliberation.
        "Reasons to choose this option",
        "I can take it at home — how much it matters: 5 of 5 stars (Very much)",
        "I worry about my hands — how much it matters: 2 of 5 stars (Somewhat)",
        "More hospital visits — how much it matters: not rated yet",
        "Where are you with making a choice? I am close to choosing an option",
        "My husband: prefers A different chemotherapy (written in this consultation). "
        "Feels like pressure: yes.",
        "My oncologist: not sure which option they prefer. Feels like pressure: no.",
        "Capecitabine at half dose (written in this consultation)",
    ]
    for text in expected:
        assert escape(text) in page, text
        assert " ".join(text.split()) in printed, text
    assert "Not answered" in page  # the empty answer says so
    assert "Evidence" not in page  # never presented as evidence
    assert "Reasons to avoid this option" in page
    # The option without a title is not shown, and a reason without words is not either.
    assert page.count("(written in this consultation)") >= 3
    # The marker is at the options, at the numbers and in "About this summary".
    assert page.count(escape("Written in this consultation, not a reviewed decision aid.")) == 3


def test_one_outcome_is_read_option_after_option_with_pictographs() -> None:
    numbers = _section(_document(_consultation()), "What the numbers say")
    groups = [b for b in numbers.blocks if isinstance(b, Group)]
    assert len(groups) == 1  # the same words (spaces and case aside): one outcome
    table = groups[0].blocks[-1]
    assert isinstance(table, Table)
    pictures = [
        block
        for row in table.rows
        for cell in row
        for block in cell.blocks
        if isinstance(block, Pictograph)
    ]
    # 12 of 100 drawn; 2.5 of 1,000 drawn with each figure standing for 10 people.
    assert [(p.filled, p.count, p.per_figure) for p in pictures] == [(12, 100, 1), (0, 100, 10)]


def test_numbers_that_cannot_be_drawn_are_shown_as_typed_and_not_drawn() -> None:
    odd = replace(
        WRITTEN.options[0], numbers=(WrittenNumber("Side effects", "120", "100", "", "", ""),)
    )
    written = replace(WRITTEN, options=(odd, WRITTEN.options[1]))
    document = _document(_consultation(written_options=written))
    page = html.render(document)
    assert "Side effects: 120 out of 100." in page
    assert "These numbers cannot be drawn as a picture; check them." in page
    assert "Certainty, as written: not stated." in page


def test_large_print_lists_written_options_one_after_another() -> None:
    document = summary_document(
        _consultation(), None, language="en", today=date(2026, 12, 1), options_one_by_one=True
    )
    options = _section(document, "Options considered")
    assert not any(isinstance(b, Table) for b in options.blocks)
    page = html.render(document)
    assert "What does it involve? Tablets twice a day" in page


def test_a_decision_aid_keeps_its_options_and_the_written_ones_stay_off_the_page(
    bundled_library: ContentLibrary,
) -> None:
    aid_id = "egfr-alk-nsclc-first-treatment"
    aid = bundled_library.decision_aid(aid_id, "en")
    assert aid is not None
    first = aid.options[0]
    consultation = _consultation(
        decision_aid_id=aid_id,
        reasons=(Reason(first.id, ReasonSide.FOR, "Tablets at home", 4),),
        others=(OtherPerson("My sister", first.id, None),),
        leaning=first.id,
    )
    document = _document(consultation, bundled_library)
    page = html.render(document)
    assert "There is more than one reasonable choice here." in page
    assert escape("Tablets at home — how much it matters: 4 of 5 stars (A lot)") in page
    assert escape(f"My sister: prefers {first.title}. Feels like pressure: not asked.") in page
    assert "Capecitabine at half dose" not in page  # written options kept, not shown
    assert "not a reviewed decision aid" not in page


def test_an_empty_deliberation_adds_no_sections() -> None:
    plain = Consultation(id=1, created_at=NOW, updated_at=NOW)
    titles = [b.title for b in _document(plain).blocks if isinstance(b, Section)]
    page = html.render(_document(plain))
    assert "Your reasons for and against each option" not in page
    assert "Others involved in the decision" not in page
    assert "Options considered" not in titles
    assert "more than one reasonable" not in page


def test_arabic_summary_with_written_options_renders_to_pdf() -> None:
    from sdm_app.i18n import current_language, set_language

    before = current_language()
    set_language("ar")
    try:
        arabic = replace(
            WRITTEN,
            options=(
                replace(WRITTEN.options[0], title="كابيسيتابين بنصف الجرعة"),
                replace(WRITTEN.options[1], title="علاج كيميائي آخر"),
            ),
        )
        document = summary_document(
            _consultation(written_options=arabic), None, language="ar", today=date(2026, 12, 1)
        )
        data = pdf.render(document)
    finally:
        set_language(before)
    assert data.startswith(b"%PDF")
    printed = "".join(_pdf_text(data).split())
    assert "12" in printed and "100" in printed
