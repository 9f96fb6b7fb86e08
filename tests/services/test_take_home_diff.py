"""What changed in the copy the patient brought back, in plain words, and what is
stored when the clinician accepts it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from sdm_app.core.bidi import without_controls
from sdm_app.core.consultation import Consultation
from sdm_app.core.deliberation import OtherPerson, Reason, ReasonSide
from sdm_app.services.take_home import ContentVersions, ItemVersion, PackVersion, make_copy
from sdm_app.services.take_home_diff import accept_copy, content_notes, copy_changes
from sdm_app.storage.consultations import ConsultationConflictError, ConsultationStore
from sdm_app.storage.content_db import ContentLibrary
from sdm_app.storage.user_db import UserDatabase
from tests.services.test_take_home import CONTENT, DEMO_AID, consultation


def _at_home(stored: Consultation) -> Consultation:
    """What a patient might change after talking with family."""
    returned = make_copy(stored, CONTENT).consultation
    return replace(
        returned,
        value_ratings={"avoid-side-effects": 1, "live-longer": 4, "new-one": 2},
        sure={"sure_of_best": True, "knows_benefits_risks": True, "clear_values": True},
        own_questions=("Can I keep working?", "Who pays for the trial drug?"),
        bank_questions=("options-all",),
        leaning="written:1",
        reasons=(
            Reason("written:1", ReasonSide.FOR, "It might work", 2),
            Reason("written:2", ReasonSide.AGAINST, "Waiting worries me", None),
            Reason("written:2", ReasonSide.FOR, "Time with family", 5),
        ),
        others=(OtherPerson("My daughter", "written:2", False), OtherPerson("My GP")),
        decision_stage="close-to-deciding",
        family_note="Please get tested soon.",
    )


def _sentences(stored: Consultation, returned: Consultation, **options: object) -> list[str]:
    return [
        f"{change.area} | {without_controls(change.text)}"
        for change in copy_changes(stored, returned, **options)  # type: ignore[arg-type]
    ]


def test_the_changes_are_listed_in_plain_words() -> None:
    stored = consultation()
    assert _sentences(stored, _at_home(stored)) == [
        "What matters | “avoid-side-effects”: rating changed from 3 to 1 out of 4.",
        "What matters | “new-one”: rated 2 out of 4 (not rated before).",
        "What matters | A reason to choose “A trial drug”, “It might work”: how much it matters "
        "changed from 4 out of 5 to 2 out of 5.",
        "What matters | A reason to choose “Wait and scan” was added: “Time with family” "
        "(5 out of 5).",
        "Ready to decide? | “Do you feel sure about the best choice for you?”: the answer "
        "changed from No to Yes.",
        "Ready to decide? | “Are you clear about which benefits and risks matter most to "
        "you?”: answered Yes.",
        "Ready to decide? | Question removed: “Does this result matter for my blood relatives?”",
        "Ready to decide? | Question removed: “هل يمكنني السفر؟”",
        "Ready to decide? | Question added: “Who pays for the trial drug?”",
        "Ready to decide? | The option leaned toward changed from Not sure yet to “A trial drug”.",
        "Ready to decide? | How far along the decision is changed from “I am considering "
        "the options” to “I am close to choosing an option”.",
        "Ready to decide? | “My daughter” now prefers “Wait and scan” (before: “A trial drug”).",
        "Ready to decide? | “My daughter”: does it feel like pressure? No (before: Yes).",
        "Ready to decide? | “My GP” was added to the people involved.",
        "Summary | Note to relatives changed from “Please get tested.” to “Please get tested "
        "soon.”.",
    ]


def test_an_unchanged_copy_has_no_changes() -> None:
    stored = consultation()
    assert copy_changes(stored, make_copy(stored, CONTENT).consultation) == []
    # With the notes in the copy, they are compared too, and they match.
    with_notes = make_copy(stored, CONTENT, include_clinician_notes=True).consultation
    assert copy_changes(stored, with_notes, clinician_notes_included=True) == []


def test_values_and_options_are_named_from_the_decision_aid(
    bundled_library: ContentLibrary,
) -> None:
    aid = bundled_library.decision_aid(DEMO_AID, "en")
    assert aid is not None
    first, second = aid.values[0], aid.options[1]
    stored = replace(consultation(), decision_aid_id=DEMO_AID, value_ratings={first.id: 2})
    returned = replace(stored, value_ratings={first.id: 4}, leaning=second.id)
    assert _sentences(stored, returned, aid=aid) == [
        f"What matters | “{first.statement}”: rating changed from 2 to 4 out of 4.",
        f"Ready to decide? | The option leaned toward changed from Not sure yet to "
        f"“{second.title}”.",
    ]


def test_visit_results_written_options_and_notes() -> None:
    stored = consultation()
    first, second = stored.results[0], stored.results[1]
    written = stored.written_options
    renamed = replace(written.options[1], title="Wait, with scans")
    returned = replace(
        stored,
        patient_label="P-18",
        context=replace(stored.context, condition="Lung cancer", materials_locale="ar"),
        results=(replace(first, vaf="32"), replace(first, gene="KRAS", alteration="p.G12C")),
        written_options=replace(written, options=(written.options[0], renamed)),
        next_steps="See the trial nurse",
        clinician_notes="Changed at home",
    )
    assert second.gene == "BRCA2"
    lines = _sentences(stored, returned, clinician_notes_included=True)
    assert lines[:4] == [
        "About this visit | The label changed from “Demo visit” to “P-18”.",
        "About this visit | Condition or cancer type changed from “Non-small cell lung cancer, "
        "advanced” to “Lung cancer”.",
        "About this visit | The language of the patient's materials changed from the app's "
        "language to العربية.",
        f"Test results | The result EGFR {first.alteration} was changed.",
    ]
    assert f"Test results | The result BRCA2 {second.alteration} was removed." in lines
    assert "Test results | A result was added: KRAS p.G12C." in lines
    assert "Options | The option “Wait and scan” was renamed “Wait, with scans”." in lines
    assert (
        f"Ready to decide? | Next steps changed from “{stored.next_steps}” to “See the trial "
        "nurse”." in lines
    )
    assert (
        "Summary | Clinician notes changed from “Discussed trial eligibility; check creatinine.”"
        " to “Changed at home”." in lines
    )
    # A copy without notes says nothing of them (they stayed at the clinic).
    assert not any("Clinician notes" in line for line in _sentences(stored, returned))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ConsultationStore]:
    database = UserDatabase(tmp_path / "user.db")
    yield ConsultationStore(database)
    database.close()


def test_accepting_stores_the_copy_and_keeps_what_stayed_at_the_clinic(
    store: ConsultationStore,
) -> None:
    stored = store.save(replace(consultation(), id=None, revision=""))
    copy = make_copy(stored, CONTENT)
    copy = replace(copy, consultation=_at_home(stored))
    merged = accept_copy(stored, copy)
    assert (merged.id, merged.created_at, merged.revision, merged.current_step) == (
        stored.id,
        stored.created_at,
        stored.revision,
        stored.current_step,
    )
    assert merged.clinician_notes == stored.clinician_notes
    assert merged.results == stored.results  # the same results: ids and notes kept
    saved = store.save(merged)
    loaded = store.load(saved.id or 0)
    assert loaded is not None
    assert loaded.value_ratings == copy.consultation.value_ratings
    assert loaded.reasons == copy.consultation.reasons
    assert loaded.others == copy.consultation.others
    assert loaded.own_questions == copy.consultation.own_questions
    assert loaded.results == stored.results
    assert copy_changes(loaded, copy.consultation) == []
    # Accepting over a consultation changed meanwhile is refused; nothing is written.
    with pytest.raises(ConsultationConflictError):
        store.save(accept_copy(stored, copy))
    assert store.load(saved.id or 0) == loaded


def test_a_changed_result_comes_back_as_changed_with_the_notes_kept_elsewhere(
    store: ConsultationStore,
) -> None:
    stored = store.save(replace(consultation(), id=None, revision=""))
    returned = make_copy(stored, CONTENT).consultation
    returned = replace(returned, results=(replace(returned.results[0], vaf="30"),))
    merged = accept_copy(stored, replace(make_copy(stored, CONTENT), consultation=returned))
    assert [r.vaf for r in merged.results] == ["30"]
    assert merged.results[0].id is None  # a changed result is stored as a new one
    assert merged.clinician_notes == stored.clinician_notes


def test_content_notes_say_where_the_content_differs() -> None:
    here = ContentVersions(
        (PackVersion("core", "Core content", "2026.2"),),
        ItemVersion(DEMO_AID, 4, "core", "2026.2"),
    )
    notes = [without_controls(note) for note in content_notes(CONTENT, here)]
    assert notes == [
        "The copy was made with version 2026.1 of the content pack “Core content”; this app "
        "has version 2026.2.",
        "The copy was made with version 3 of the decision aid; this app shows version 4.",
    ]
    assert content_notes(CONTENT, CONTENT) == []
    assert [without_controls(n) for n in content_notes(CONTENT, ContentVersions())] == [
        "The copy was made with the content pack “Core content”, which this app lacks.",
        "The copy's decision aid is not in this app's content.",
    ]
