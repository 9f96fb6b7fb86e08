"""A plain explanation of one test result, as a card: what kind of finding it is,
what its class or level means, what it means in this type of cancer, what a
"target" means here and what it does not, what it means for relatives and for
medicines, where to learn more, and the patient communities for the biomarker.

The card engine holds no clinical knowledge of its own: which genes are
hereditary cancer genes or pharmacogenes, what each level means, what a finding
means in one type of cancer and which words mean "nothing found" all come from
the content packs' knowledge files (``core.knowledge``), with their sources and
review. No gene or biomarker is named in this package, and a test keeps it so.

The app never computes a class: it explains the one written on the report. It
never recommends a treatment: therapies are named exactly as the report wrote
them. Anything it does not know gives a plain "ask your care team" sentence
instead of an empty card or an error.

Qt-free. The card's frame follows the UI language (``_``); knowledge texts,
module titles and community entries come from the content library in the
requested ``locale``, each marked when it is not in that language, machine-assisted
or not yet clinically reviewed. ``card_html`` escapes every string.
"""

from sdm_app.services.cards.engine import explain, patient_text
from sdm_app.services.cards.html import card_html, citation_text, communities_notice
from sdm_app.services.cards.model import (
    BIOMARKER,
    CLONAL,
    CONFIRM_GERMLINE,
    EARLY_EVIDENCE,
    GENE,
    GENERAL,
    HEREDITARY_CHECK,
    MEDICINES,
    NEGATIVE,
    NEGATIVE_BLOOD,
    NO_ACTIONABLE,
    RELATIVES,
    SPECIFIC,
    TARGET,
    THERAPIES,
    TUMOUR_CONTEXT,
    UNCERTAIN_RESULT,
    CardSection,
    ContentSource,
    ExplanationCard,
    ItemList,
    LearnMore,
)
from sdm_app.services.cards.sections import germline_test_first, therapy_lists

__all__ = [
    "BIOMARKER",
    "CLONAL",
    "CONFIRM_GERMLINE",
    "EARLY_EVIDENCE",
    "GENE",
    "GENERAL",
    "HEREDITARY_CHECK",
    "MEDICINES",
    "NEGATIVE",
    "NEGATIVE_BLOOD",
    "NO_ACTIONABLE",
    "RELATIVES",
    "SPECIFIC",
    "TARGET",
    "THERAPIES",
    "TUMOUR_CONTEXT",
    "UNCERTAIN_RESULT",
    "CardSection",
    "ContentSource",
    "ExplanationCard",
    "ItemList",
    "LearnMore",
    "card_html",
    "citation_text",
    "communities_notice",
    "explain",
    "germline_test_first",
    "patient_text",
    "therapy_lists",
]
