"""The consultation summary as a PDF (DESIGN.md section 8, issue 4).

Qt-free. The summary's language is chosen on export and may differ from the
UI's: it is built inside ``in_language``, which restores the UI's language
afterwards. The patient view (the default) leaves out clinician notes. What the
summary says is the document model of ``documents.summary``, the same the
Summary step shows on screen.

    data = build_summary_pdf(consultation, library, language="ar")
    export_summary_pdf(consultation, library, Path("summary.pdf"), language="ar")
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sdm_app.core.consultation import Consultation
from sdm_app.services import pdf_document as doc
from sdm_app.services.documents import pdf
from sdm_app.services.documents.summary import SummaryContent, disclaimer, summary_document
from sdm_app.services.pdf_document import PdfExportError, UnknownLanguageError, in_language

__all__ = [
    "PdfExportError",
    "SummaryContent",
    "UnknownLanguageError",
    "build_summary_pdf",
    "disclaimer",
    "export_summary_pdf",
]


def build_summary_pdf(
    consultation: Consultation,
    library: SummaryContent | None,
    *,
    language: str,
    today: date | None = None,
    patient_view: bool = True,
    paper: str = "auto",
    large_print: bool = False,
) -> bytes:
    """The summary as PDF bytes in ``language`` (an app language, e.g. "en", "ar").

    ``library`` may be None (no content database): results then say what the app
    could not explain. Raises UnknownLanguageError for a language the app lacks.
    """
    day = today or date.today()
    with in_language(language) as chosen, doc.print_options(paper, large_print=large_print):
        document = summary_document(
            consultation,
            library,
            language=chosen,
            today=day,
            patient_view=patient_view,
            # Side by side, large type leaves columns too narrow.
            options_one_by_one=large_print,
        )
        return pdf.render(document)


def export_summary_pdf(
    consultation: Consultation,
    library: SummaryContent | None,
    path: Path,
    *,
    language: str,
    today: date | None = None,
    patient_view: bool = True,
    paper: str = "auto",
    large_print: bool = False,
) -> Path:
    """Build the summary and write it atomically to ``path``.

    Raises PdfExportError (the message names the path) when it cannot be written,
    UnknownLanguageError for a language the app lacks.
    """
    data = build_summary_pdf(
        consultation,
        library,
        language=language,
        today=today,
        patient_view=patient_view,
        paper=paper,
        large_print=large_print,
    )
    return doc.save_pdf(data, path)
