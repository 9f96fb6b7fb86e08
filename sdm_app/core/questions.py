"""The question bank: questions patients often want to ask, by topic.

Marked for translation with ``N_`` and translated where shown; each question has
a stable id so a consultation keeps its choices across languages.
"""

from __future__ import annotations

from typing import NamedTuple

from sdm_app.i18n import N_


class BankQuestion(NamedTuple):
    id: str
    topic: str  # untranslated topic label
    text: str  # untranslated question


RESULTS = N_("About my results")
OPTIONS = N_("About my options")
DAILY_LIFE = N_("About daily life")
FAMILY = N_("About my family")
SUPPORT = N_("About support")

QUESTION_BANK: tuple[BankQuestion, ...] = (
    BankQuestion("results-mean", RESULTS, N_("What do my results mean for me?")),
    BankQuestion("results-certain", RESULTS, N_("How sure are we about these results?")),
    BankQuestion("results-retest", RESULTS, N_("Will I need another test later, and why?")),
    BankQuestion("options-all", OPTIONS, N_("What are all my options, including waiting?")),
    BankQuestion(
        "options-benefit", OPTIONS, N_("How likely is each option to help someone like me?")
    ),
    BankQuestion(
        "options-harms", OPTIONS, N_("What side effects are common, and which are serious?")
    ),
    BankQuestion("options-trial", OPTIONS, N_("Is there a clinical trial that could suit me?")),
    BankQuestion("options-time", OPTIONS, N_("How much time do I have to decide?")),
    BankQuestion(
        "life-work", DAILY_LIFE, N_("How would each option affect my work and daily life?")
    ),
    BankQuestion("life-visits", DAILY_LIFE, N_("How often would I need to come to hospital?")),
    BankQuestion("family-risk", FAMILY, N_("Does this result matter for my blood relatives?")),
    BankQuestion("family-tell", FAMILY, N_("How can I tell my family, and who can help me?")),
    BankQuestion("support-who", SUPPORT, N_("Who can I call if I have questions at home?")),
    BankQuestion(
        "support-groups", SUPPORT, N_("Are there patient groups for people with my result?")
    ),
)


def bank_question(question_id: str) -> BankQuestion | None:
    return next((q for q in QUESTION_BANK if q.id == question_id), None)
