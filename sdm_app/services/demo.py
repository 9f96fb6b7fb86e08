"""The bundled demo consultation (resources/demo/consultation.json).

Made-up data that shows every part of a consultation: for screenshots, the
documentation and ``sdm-app demo``. Value ratings are given by position so the
file keeps working when the decision aid's value ids change.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from sdm_app import paths
from sdm_app.core.consultation import Consultation, Context, Step
from sdm_app.core.decision_aid import DecisionAid
from sdm_app.core.deliberation import others_from_mapping, reasons_from_mapping
from sdm_app.core.results import result_from_mapping
from sdm_app.core.written_options import written_options_from_mapping

DEMO_FILE = Path("demo") / "consultation.json"
DEMO_CREATED = datetime(2026, 11, 12, 10, 30)


def demo_path() -> Path:
    return paths.resources_dir() / DEMO_FILE


def load_demo(aid: DecisionAid | None = None, path: Path | None = None) -> Consultation:
    """The demo consultation; ``aid`` (its decision aid) maps ratings to value ids."""
    data = json.loads((path or demo_path()).read_text(encoding="utf-8"))
    context = data.get("context", {})
    ratings: dict[str, int] = {}
    if aid is not None:
        for value, rating in zip(
            aid.values, data.get("value_ratings_by_position", ()), strict=False
        ):
            ratings[value.id] = int(rating)
    return Consultation(
        id=None,
        created_at=DEMO_CREATED,
        updated_at=DEMO_CREATED,
        patient_label=str(data.get("patient_label", "")),
        context=Context(
            condition=str(context.get("condition", "")),
            decision=str(context.get("decision", "")),
            present=str(context.get("present", "")),
            materials_locale=str(context.get("materials_locale", "")),
        ),
        results=tuple(
            result_from_mapping(r, n) for n, r in enumerate(data.get("results", ()), start=1)
        ),
        decision_aid_id=str(data.get("decision_aid_id", "")),
        value_ratings=ratings,
        sure={str(k): bool(v) for k, v in data.get("sure", {}).items()},
        bank_questions=tuple(str(q) for q in data.get("bank_questions", ())),
        own_questions=tuple(str(q) for q in data.get("own_questions", ())),
        leaning=str(data.get("leaning", "")),
        next_steps=str(data.get("next_steps", "")),
        involve=str(data.get("involve", "")),
        written_options=written_options_from_mapping(data.get("written_options", {})),
        reasons=reasons_from_mapping(data.get("reasons", [])),
        others=others_from_mapping(data.get("others", [])),
        decision_stage=str(data.get("decision_stage", "")),
        clinician_notes=str(data.get("clinician_notes", "")),
        current_step=Step(data.get("current_step", "visit")),
    )
