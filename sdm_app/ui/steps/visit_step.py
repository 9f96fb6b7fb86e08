"""Step 1, about this visit: condition, the decision, who is present, language."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from sdm_app.i18n import _, language_name
from sdm_app.ui.accessibility import HeadingLabel
from sdm_app.ui.consultation_model import ConsultationModel, context_of
from sdm_app.ui.controller import AppController
from sdm_app.ui.reflow import wrap_rows_when_narrow
from sdm_app.ui.steps.base import StepPage, fit_combo, set_text_quietly


class VisitStep(StepPage):
    def __init__(
        self, controller: AppController, model: ConsultationModel, parent: QWidget | None = None
    ) -> None:
        super().__init__(controller, model, parent)
        self.heading = HeadingLabel(self)
        self.heading.setWordWrap(True)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.label_edit = QLineEdit(self)
        self.condition_edit = QLineEdit(self)
        self.decision_edit = QLineEdit(self)
        self.present_edit = QLineEdit(self)
        self.language_combo = fit_combo(QComboBox(self))
        self.labels = [QLabel(self) for _ in range(5)]
        fields = (
            self.label_edit,
            self.condition_edit,
            self.decision_edit,
            self.present_edit,
            self.language_combo,
        )
        form = QFormLayout()
        # The list as wide as the text boxes: its entries are not cut short.
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for label, field in zip(self.labels, fields, strict=True):
            label.setBuddy(field)
            label.setWordWrap(True)
            form.addRow(label, field)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        # Labels beside their fields when there is room, else above them: long or
        # translated labels wrap at full width instead of being squeezed and cut.
        wrap_rows_when_narrow(form, self)
        layout.addStretch(1)

        self.bind_line(self.label_edit, lambda text: model.update(patient_label=text))
        self.bind_line(self.condition_edit, lambda text: model.update_context(condition=text))
        self.bind_line(self.decision_edit, lambda text: model.update_context(decision=text))
        self.bind_line(self.present_edit, lambda text: model.update_context(present=text))
        self.language_combo.currentIndexChanged.connect(self._on_language_combo_changed)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        heading = _("About this visit")
        self.heading.setText(f"<h2>{heading}</h2>")
        self.intro.setText(_("A few words about today's visit. Everything is saved as you type."))
        texts = (
            _("Patient la&bel (optional, no real names)"),
            _("Condi&tion or cancer type"),
            _("The &decision to talk about"),
            _("&Who is present"),
            _("&Language of the patient's materials"),
        )
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        self.label_edit.setPlaceholderText(_("For example: Visit A"))
        self.condition_edit.setPlaceholderText(_("For example: lung cancer"))
        for label, field in zip(self.labels, self._fields(), strict=True):
            field.setAccessibleName(label.text().replace("&", ""))
        self._fill_languages()

    def _fields(self) -> tuple[QWidget, ...]:
        return (
            self.label_edit,
            self.condition_edit,
            self.decision_edit,
            self.present_edit,
            self.language_combo,
        )

    def _fill_languages(self) -> None:
        with QSignalBlocker(self.language_combo):
            self.language_combo.clear()
            self.language_combo.addItem(_("Same as the app"), "")
            for code in self.controller.library.locales():
                self.language_combo.addItem(language_name(code), code)
        self.refresh()

    def refresh(self) -> None:
        consultation = self.model.consultation
        context = context_of(consultation)
        set_text_quietly(self.label_edit, consultation.patient_label if consultation else "")
        set_text_quietly(self.condition_edit, context.condition)
        set_text_quietly(self.decision_edit, context.decision)
        set_text_quietly(self.present_edit, context.present)
        with QSignalBlocker(self.language_combo):
            index = self.language_combo.findData(context.materials_locale)
            self.language_combo.setCurrentIndex(max(index, 0))

    def _on_language_combo_changed(self, index: int) -> None:
        self.model.update_context(materials_locale=str(self.language_combo.itemData(index) or ""))
