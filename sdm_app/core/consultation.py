"""A consultation and its test results: plain values, no Qt, no database.

A consultation moves through the steps of DESIGN.md section 3 in any order.
Values are immutable; a change makes a new value (``dataclasses.replace``), and
the store writes each change as it is made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sdm_app.core.deliberation import OtherPerson, Reason
from sdm_app.core.results import TestResult
from sdm_app.core.written_options import WRITTEN_OPTIONS, WrittenOptions


class Step(StrEnum):
    VISIT = "visit"
    RESULTS = "results"
    OPTIONS = "options"
    VALUES = "values"
    READY = "ready"
    SUMMARY = "summary"


STEPS: tuple[Step, ...] = tuple(Step)


NOT_SURE = "not-sure"  # the leaning when the patient does not lean yet
SURE_ITEMS = ("sure_of_best", "knows_benefits_risks", "clear_values", "enough_support")


@dataclass(frozen=True, slots=True)
class Context:
    condition: str = ""  # condition or cancer type
    decision: str = ""  # the decision to talk about, in words
    present: str = ""  # who is present
    materials_locale: str = ""  # language of the patient's materials ("" = the UI's)


@dataclass(frozen=True, slots=True)
class Consultation:
    id: int | None
    created_at: datetime
    updated_at: datetime
    patient_label: str = ""  # optional and pseudonymous
    context: Context = field(default_factory=Context)
    results: tuple[TestResult, ...] = ()
    decision_aid_id: str = ""
    value_ratings: dict[str, int] = field(default_factory=dict)  # value id -> 0..4
    sure: dict[str, bool] = field(default_factory=dict)  # SURE item -> yes/no
    bank_questions: tuple[str, ...] = ()  # ids of questions picked from the bank
    own_questions: tuple[str, ...] = ()
    leaning: str = ""  # an option id, NOT_SURE, or "" when not asked yet
    next_steps: str = ""
    involve: str = ""  # who else to involve
    family_note: str = ""  # the patient's own words, printed on the family letter
    # Options written during the consultation; in use when decision_aid_id is
    # WRITTEN_OPTIONS, kept (not shown) while a decision aid is chosen instead.
    written_options: WrittenOptions = field(default_factory=WrittenOptions)
    # The Ottawa Personal Decision Guide's deliberation (core.deliberation).
    reasons: tuple[Reason, ...] = ()
    others: tuple[OtherPerson, ...] = ()  # others involved
    decision_stage: str = ""  # a DecisionStage value, or "" when not asked yet
    clinician_notes: str = ""  # not shown in the patient view
    current_step: Step = Step.VISIT
    # The stored version this copy was read or saved as: a save from an older copy is
    # refused rather than applied over newer changes. "" (not from storage) skips it.
    revision: str = field(default="", compare=False)

    @property
    def uses_written_options(self) -> bool:
        """The options are written in this consultation, not taken from a decision aid."""
        return self.decision_aid_id == WRITTEN_OPTIONS

    def sure_score(self) -> int | None:
        """Number of SURE items answered yes, or None until all four are answered."""
        if any(item not in self.sure for item in SURE_ITEMS):
            return None
        return sum(1 for item in SURE_ITEMS if self.sure[item])

    def step_done(self, step: Step) -> bool:
        """Whether a step has what it needs; steps can be visited in any order."""
        if step is Step.VISIT:
            return bool(self.context.condition.strip() and self.context.decision.strip())
        if step is Step.RESULTS:
            return bool(self.results)
        if step is Step.OPTIONS:
            if self.uses_written_options:
                return self.written_options.ready()
            return bool(self.decision_aid_id)
        if step is Step.VALUES:
            return bool(self.value_ratings)
        if step is Step.READY:
            return self.sure_score() is not None and bool(self.leaning)
        return all(self.step_done(other) for other in STEPS if other is not Step.SUMMARY)
