"""Step 6, summary: a preview of everything gathered in this consultation."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSignalBlocker
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sdm_app.i18n import N_, _
from sdm_app.ui.accessibility import HeadingLabel
from sdm_app.ui.consultation_model import ConsultationModel
from sdm_app.ui.controller import AppController
from sdm_app.ui.file_dialogs import save_file_name
from sdm_app.ui.flow_layout import FlowRow
from sdm_app.ui.messages import focus_returned, show_message
from sdm_app.ui.module_view import ModuleView
from sdm_app.ui.reflow import keep_lines
from sdm_app.ui.steps.base import StepPage, fit_combo, set_text_quietly


class SummaryStep(StepPage):
    def __init__(
        self, controller: AppController, model: ConsultationModel, parent: QWidget | None = None
    ) -> None:
        super().__init__(controller, model, parent)
        self.heading = HeadingLabel(self)
        self.preview = ModuleView(
            controller.library,
            self,
            accessible_name=N_("Summary preview"),
            empty_hint=N_("Open a consultation to see its summary."),
        )
        self.preview.setObjectName("summaryPreview")
        keep_lines(self.preview.browser, 8)  # in a short window the step scrolls instead
        self.notes_label = QLabel(self)
        self.notes_label.setWordWrap(True)
        self.notes = QPlainTextEdit(self)
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(self.fontMetrics().lineSpacing() * 5)
        self.notes_label.setBuddy(self.notes)
        self.language_label = QLabel(self)
        self.language = fit_combo(QComboBox(self))
        self.language.setObjectName("summaryLanguage")
        self.language_label.setBuddy(self.language)
        self.export_button = QPushButton(self)
        self.letter_button = QPushButton(self)
        # The language beside its label; the buttons go onto more rows when narrow.
        language = QWidget(self)
        language_layout = QHBoxLayout(language)
        language_layout.setContentsMargins(0, 0, 0, 0)
        language_layout.addWidget(self.language_label)
        language_layout.addWidget(self.language)
        actions = FlowRow()
        actions.addWidget(language)
        actions.addWidget(self.export_button)
        actions.addWidget(self.letter_button)
        # Why the family letter is not offered, as text the keyboard and screen readers
        # reach (a tooltip alone is seen only with a mouse).
        self.letter_reason = QLabel(self)
        self.letter_reason.setObjectName("familyLetterReason")
        self.letter_reason.setWordWrap(True)
        # The patient's own words to relatives, printed on the family letter as written.
        self.family_note_label = QLabel(self)
        self.family_note_label.setWordWrap(True)
        self.family_note = QPlainTextEdit(self)
        self.family_note.setObjectName("familyNote")
        self.family_note.setTabChangesFocus(True)
        self.family_note.setMaximumHeight(self.fontMetrics().lineSpacing() * 4)
        self.family_note_label.setBuddy(self.family_note)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(actions)
        layout.addWidget(self.letter_reason)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.family_note_label)
        layout.addWidget(self.family_note)
        layout.addWidget(self.notes_label)
        layout.addWidget(self.notes)
        # Tab in reading order: the export row sits above the preview.
        QWidget.setTabOrder(self.language, self.export_button)
        QWidget.setTabOrder(self.export_button, self.letter_button)
        QWidget.setTabOrder(self.letter_button, self.preview.browser)
        QWidget.setTabOrder(self.preview.browser, self.family_note)
        QWidget.setTabOrder(self.family_note, self.notes)
        self.preview.module_requested.connect(self.module_requested)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.letter_button.clicked.connect(self._on_letter_button_clicked)
        self._shown_id: int | None = None
        self._prepared: set[str] = set()  # languages whose PDF fonts are being loaded
        self.bind_text(self.notes, lambda text: model.update(clinician_notes=text))
        self.bind_text(self.family_note, lambda text: model.update(family_note=text))
        self.language.currentIndexChanged.connect(self._on_language_changed)
        self.retranslate_ui()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._prepare_export()

    def _on_language_changed(self, _index: int) -> None:
        if self.isVisible():
            self._prepare_export()
            self.refresh()  # the preview is the document in the language it prints in

    def _prepare_export(self) -> None:
        """Load what an export in the chosen language needs (PDFium, pikepdf, fonts) in
        the background while the reader looks at the summary, so that the first export
        does not wait for them."""
        name = self.language.currentText()
        if name in self._prepared:
            return
        self._prepared.add(name)
        threading.Thread(
            target=_load_for_export,
            args=(name,),
            name="pdf-export-preparation",
            daemon=True,
        ).start()

    def retranslate_ui(self) -> None:
        heading = _("Summary")
        self.heading.setText(f"<h2>{heading}</h2>")
        self.notes_label.setText(_("Clinician &notes (not in the patient view)"))
        self.notes.setAccessibleName(_("Clinician notes"))
        self.family_note_label.setText(
            _("Your note to &relatives, printed on the family letter as you write it")
        )
        self.family_note.setAccessibleName(_("Your note to relatives"))
        self.language_label.setText(_("&Language of the PDF"))
        self.language.setAccessibleName(_("Language of the PDF"))
        self.export_button.setText(_("&Export summary as PDF…"))
        self.letter_button.setText(_("Family le&tter as PDF…"))
        self._fill_languages()
        self.refresh()

    def _fill_languages(self) -> None:
        from sdm_app.i18n import available_languages, language_name

        with QSignalBlocker(self.language):
            current = self.language.currentData()
            self.language.clear()
            for code in available_languages():
                self.language.addItem(language_name(code), code)
            self.language.setCurrentIndex(max(self.language.findData(current), 0))

    def _ask_path(self, title: str, name: str) -> Path | None:
        folder = Path(self.model.store.folder("export") or Path.home())
        chosen = save_file_name(self, title, str(folder / name), _("PDF files (*.pdf)"))
        if not chosen:
            return None
        path = Path(chosen)
        self.model.store.remember_folder("export", str(path.parent))
        return path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")

    def _export(self, title: str, name: str, build: Callable[[str], bytes]) -> None:
        """Build the PDF, show its pages, and save it where the user says."""
        from sdm_app.services.pdf_document import PdfExportError, save_pdf, unprintable_notice
        from sdm_app.services.pdf_pages import PdfPages, PdfPreviewError
        from sdm_app.services.pdf_text import collect_missing
        from sdm_app.ui.pdf_preview import PdfPreviewDialog

        try:
            with collect_missing() as missing:
                data = build(str(self.language.currentData() or "en"))
            pages = PdfPages(data)  # the preview draws the pages it shows, when it shows them
        except (PdfPreviewError, ValueError) as error:  # ValueError: language, no letter
            show_message(self, QMessageBox.Icon.Warning, _("Not exported"), str(error))
            return
        preview = PdfPreviewDialog(title, pages, self)
        with focus_returned():
            accepted = preview.exec() == PdfPreviewDialog.DialogCode.Accepted
        preview.deleteLater()
        if not accepted:
            return
        path = self._ask_path(title, name)
        if path is None:
            return
        try:
            written = save_pdf(data, path, follow_link=True)  # the user chose it
        except PdfExportError as error:
            show_message(self, QMessageBox.Icon.Warning, _("Not exported"), str(error))
            return
        message = _("Saved as {path}").format(path=written)
        if missing:
            message += "\n\n" + unprintable_notice(missing)
        show_message(self, QMessageBox.Icon.Information, _("Exported"), message)

    def _on_export_button_clicked(self) -> None:
        from sdm_app.services.pdf_summary import build_summary_pdf

        consultation = self.model.consultation
        if consultation is None:
            return
        self._export(
            _("Consultation summary"),
            _("consultation-summary.pdf"),
            lambda language: build_summary_pdf(
                consultation,
                self.controller.library,
                language=language,
                patient_view=True,
                paper=self.controller.settings.paper,
                large_print=self.controller.settings.large_print,
            ),
        )

    def _on_letter_button_clicked(self) -> None:
        from sdm_app.services.family_letter import build_family_letter_pdf

        consultation = self.model.consultation
        if consultation is None:
            return
        self._export(
            _("Family letter"),
            _("family-letter.pdf"),
            lambda language: build_family_letter_pdf(
                consultation,
                self.controller.library.knowledge(language),
                language=language,
                genetics_service=self.controller.settings.genetics_service,
                paper=self.controller.settings.paper,
                large_print=self.controller.settings.large_print,
            ),
        )

    def refresh(self) -> None:
        consultation = self.model.consultation
        self.notes_label.setVisible(not self.patient_view)
        self.notes.setVisible(not self.patient_view)
        if consultation is None:
            self.preview.browser.setPlainText("")
            return
        set_text_quietly(self.notes, consultation.clinician_notes)
        set_text_quietly(self.family_note, consultation.family_note)
        from sdm_app.services.family_letter import family_letter_results

        knowledge = self.controller.library.knowledge(self.controller.content_locale())
        offered = bool(family_letter_results(consultation, knowledge))
        reason = (
            ""
            if offered
            else _(
                "A family letter is for pathogenic or likely pathogenic results that a "
                "germline test has confirmed as inherited. A change found by a tumour test "
                "needs a germline test first."
            )
        )
        self.letter_button.setEnabled(offered)
        self.letter_button.setToolTip(reason)
        self.letter_button.setAccessibleDescription(reason)
        self.letter_reason.setText(reason)
        self.letter_reason.setVisible(not offered)
        self.family_note_label.setVisible(offered)
        self.family_note.setVisible(offered)
        if consultation.id != self._shown_id:
            # A new consultation starts in its materials' language; later the
            # reader's own choice stays.
            self._shown_id = consultation.id
            materials = consultation.context.materials_locale or self.controller.language
            with QSignalBlocker(self.language):
                index = self.language.findData(materials)
                if index >= 0:
                    self.language.setCurrentIndex(index)
        from sdm_app.services.documents import html
        from sdm_app.services.documents.summary import summary_document
        from sdm_app.services.pdf_document import UnknownLanguageError, in_language

        language = str(self.language.currentData() or self.controller.language)
        try:
            with in_language(language) as chosen:
                document = summary_document(
                    consultation,
                    self.controller.library,
                    language=chosen,
                    today=date.today(),
                    patient_view=self.patient_view,
                )
                page = html.render(document)
        except UnknownLanguageError:  # only a language the list offers is ever chosen
            return
        self.preview.show_html(page, consultation.context.materials_locale or chosen)


def _load_for_export(language_name: str) -> None:
    """Import PDFium and pikepdf and register the PDF fonts for the script of
    ``language_name`` (the language's own name, written in its own script).

    Font registration is locked (``pdf_fonts``) and imports wait for each other, so
    an export started meanwhile waits for what it needs and loads nothing twice."""
    try:
        import pikepdf  # noqa: F401  (the tagging of every export)
        import pypdfium2  # noqa: F401  (the preview)

        from sdm_app.services import pdf_fonts

        for bold in (False, True):
            for family in {pdf_fonts.LATIN, *pdf_fonts.families_for(language_name, bold)}:
                pdf_fonts.font_name(family, bold)
    except Exception:  # the export itself reports what is wrong
        return
