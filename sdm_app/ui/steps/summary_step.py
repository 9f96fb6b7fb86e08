"""Step 6, summary: a preview of everything gathered in this consultation."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from sdm_app.i18n import _
from sdm_app.services.summary_page import summary_html
from sdm_app.ui.consultation_model import ConsultationModel
from sdm_app.ui.controller import AppController
from sdm_app.ui.module_view import ModuleView
from sdm_app.ui.steps.base import StepPage, set_text_quietly
from sdm_app.ui.steps.ready_step import sure_questions


class SummaryStep(StepPage):
    def __init__(
        self, controller: AppController, model: ConsultationModel, parent: QWidget | None = None
    ) -> None:
        super().__init__(controller, model, parent)
        self.heading = QLabel(self)
        self.preview = ModuleView(controller.library, self)
        self.preview.setObjectName("summaryPreview")
        self.notes_label = QLabel(self)
        self.notes_label.setWordWrap(True)
        self.notes = QPlainTextEdit(self)
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(self.fontMetrics().lineSpacing() * 5)
        self.notes_label.setBuddy(self.notes)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.notes_label)
        layout.addWidget(self.notes)
        self.preview.module_requested.connect(self.module_requested)
        self.bind_text(self.notes, lambda text: model.update(clinician_notes=text))
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        heading = _("Summary")
        self.heading.setText(f"<h2>{heading}</h2>")
        self.notes_label.setText(_("Clinician &notes (not in the patient view)"))
        self.notes.setAccessibleName(_("Clinician notes"))
        self.preview.browser.setAccessibleName(_("Summary preview"))
        self.refresh()

    def refresh(self) -> None:
        consultation = self.model.consultation
        self.notes_label.setVisible(not self.patient_view)
        self.notes.setVisible(not self.patient_view)
        if consultation is None:
            self.preview.browser.setPlainText("")
            return
        set_text_quietly(self.notes, consultation.clinician_notes)
        locale = consultation.context.materials_locale or self.controller.content_locale()
        aid = (
            self.controller.library.decision_aid(consultation.decision_aid_id, locale)
            if consultation.decision_aid_id
            else None
        )
        html = summary_html(
            consultation, aid, sure_questions(), date.today(), patient_view=self.patient_view
        )
        self.preview.show_html(html, locale)
