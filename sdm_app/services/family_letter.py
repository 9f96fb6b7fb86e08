"""A letter a patient can give to blood relatives after a germline pathogenic or
likely pathogenic result (issue 4, item 6): what was found, what it may mean for
relatives, who could consider testing, and how to reach a genetics service.

Qt-free; one or two printed pages; in any app language. The variant is copied
exactly as written on the report: the app never rewrites or interprets it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sdm_app.core.classification import PATHOGENIC, scheme
from sdm_app.core.consultation import Consultation
from sdm_app.core.knowledge import Knowledge
from sdm_app.core.results import TestResult, germline_confirmed
from sdm_app.i18n import _
from sdm_app.services import pdf_document as doc
from sdm_app.services.documents import pdf
from sdm_app.services.documents.letter import letter_document
from sdm_app.services.pdf_document import PdfExportError, UnknownLanguageError, in_language

__all__ = [
    "NoFamilyLetterError",
    "PdfExportError",
    "UnknownLanguageError",
    "build_family_letter_pdf",
    "export_family_letter_pdf",
    "family_letter_results",
]


class NoFamilyLetterError(ValueError):
    """The consultation has no germline pathogenic or likely pathogenic result."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "This consultation has no pathogenic or likely pathogenic result that a germline "
                "test has confirmed as inherited, so there is no family letter to make."
            )
        )


def family_letter_results(
    consultation: Consultation, knowledge: Knowledge
) -> tuple[TestResult, ...]:
    """The results a family letter is about: classed P or LP in a germline scheme, and
    confirmed as inherited by a germline test. A change a tumour test calls (likely)
    germline is not enough: relatives are told only once a germline test confirms it.

    A change in a pharmacogene (``knowledge``) is left out: the letter speaks of the
    risk of illness, and such a change matters only for some medicines. Without the
    content's gene rules (a damaged library) no letter is offered: a medicine gene
    could not be told apart."""
    if knowledge.empty:
        return ()
    found = []
    for result in consultation.results:
        genes = [knowledge.gene(name) for name in result.genes]
        if any(g is not None and g.pharmacogene and not g.hereditary for g in genes):
            continue
        known = scheme(result.scheme_id)
        klass = known.find(result.class_code) if known and result.class_code else None
        if (
            klass is not None
            and klass.meaning == PATHOGENIC
            and known is not None
            and known.origin == "germline"
            and germline_confirmed(result)
        ):
            found.append(result)
    return tuple(found)


def build_family_letter_pdf(
    consultation: Consultation,
    knowledge: Knowledge,
    *,
    language: str,
    today: date | None = None,
    genetics_service: str = "",
    paper: str = "auto",
    large_print: bool = False,
) -> bytes:
    """The letter as PDF bytes in ``language``.

    ``genetics_service`` is how to reach the patient's genetics service (name,
    telephone), printed as written; when empty the letter says how to find one.
    The consultation's ``family_note`` (the patient's own words) is printed as written.
    Raises NoFamilyLetterError when no result qualifies, UnknownLanguageError for
    a language the app lacks.
    """
    day = today or date.today()
    with in_language(language) as chosen, doc.print_options(paper, large_print=large_print):
        results = family_letter_results(consultation, knowledge)
        if not results:
            raise NoFamilyLetterError()
        document = letter_document(
            results,
            knowledge,
            language=chosen,
            today=day,
            genetics_service=genetics_service,
            note=consultation.family_note,
        )
        return pdf.render(document)


def export_family_letter_pdf(
    consultation: Consultation,
    knowledge: Knowledge,
    path: Path,
    *,
    language: str,
    today: date | None = None,
    genetics_service: str = "",
    paper: str = "auto",
    large_print: bool = False,
) -> Path:
    """Build the letter and write it atomically to ``path`` (PdfExportError names the path)."""
    data = build_family_letter_pdf(
        consultation,
        knowledge,
        language=language,
        today=today,
        genetics_service=genetics_service,
        paper=paper,
        large_print=large_print,
    )
    return doc.save_pdf(data, path)
