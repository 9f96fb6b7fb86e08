"""Language, text size and contrast, applied as soon as they change; and how
summaries and family letters are printed."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from sdm_app.i18n import _, default_paper, format_percent, language_name
from sdm_app.storage.settings import (
    GENETICS_SERVICE_MAX,
    PAPERS,
    TEXT_SCALE_MAX,
    TEXT_SCALE_MIN,
    TEXT_SCALE_STEP,
)
from sdm_app.ui.controller import AppController


class SettingsPage(QWidget):
    def __init__(self, controller: AppController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._controller = controller

        self.heading = QLabel(self)
        self.heading.setObjectName("pageHeading")
        self.heading.setWordWrap(True)

        self.language_label = QLabel(self)
        self.language_combo = QComboBox(self)
        self.language_combo.setObjectName("languageCombo")
        self.language_label.setBuddy(self.language_combo)
        for code in controller.available_languages():
            self.language_combo.addItem(language_name(code), code)

        self.text_size_label = QLabel(self)
        self.text_size_slider = QSlider(Qt.Orientation.Horizontal, self)
        self.text_size_slider.setObjectName("textSizeSlider")
        self.text_size_slider.setRange(TEXT_SCALE_MIN, TEXT_SCALE_MAX)
        self.text_size_slider.setSingleStep(TEXT_SCALE_STEP)
        self.text_size_slider.setPageStep(TEXT_SCALE_STEP)
        self.text_size_slider.setTickInterval(TEXT_SCALE_STEP)
        self.text_size_slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.text_size_label.setBuddy(self.text_size_slider)
        self.text_size_value = QLabel(self)

        self.contrast_check = QCheckBox(self)
        self.contrast_check.setObjectName("highContrastCheck")

        # Printing: paper, large print, and the genetics service the family letter names.
        self.paper_label = QLabel(self)
        self.paper_combo = QComboBox(self)
        self.paper_combo.setObjectName("paperCombo")
        self.paper_label.setBuddy(self.paper_combo)
        self.large_print_check = QCheckBox(self)
        self.large_print_check.setObjectName("largePrintCheck")
        self.service_label = QLabel(self)
        self.service_label.setWordWrap(True)
        self.service_edit = QLineEdit(self)
        self.service_edit.setObjectName("geneticsServiceEdit")
        self.service_edit.setMaxLength(GENETICS_SERVICE_MAX)
        self.service_label.setBuddy(self.service_edit)

        self.sample = QLabel(self)
        self.sample.setWordWrap(True)

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.language_label, self.language_combo)
        form.addRow(self.text_size_label, self.text_size_slider)
        form.addRow("", self.text_size_value)
        form.addRow("", self.contrast_check)
        form.addRow(self.paper_label, self.paper_combo)
        form.addRow("", self.large_print_check)
        form.addRow(self.service_label, self.service_edit)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addWidget(self.sample)
        layout.addStretch(1)

        self.language_combo.currentIndexChanged.connect(self._on_language_combo_changed)
        self.text_size_slider.valueChanged.connect(self._on_text_size_slider_changed)
        self.contrast_check.toggled.connect(self._on_contrast_check_toggled)
        self.paper_combo.currentIndexChanged.connect(self._on_paper_combo_changed)
        self.large_print_check.toggled.connect(self._on_large_print_check_toggled)
        self.service_edit.editingFinished.connect(self._on_service_edit_finished)
        controller.language_changed.connect(lambda _language: self.retranslate_ui())
        controller.text_scale_changed.connect(lambda _scale: self._sync_from_settings())
        self._sync_from_settings()
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        heading = _("Settings")
        self.heading.setText(f"<h2>{escape(heading)}</h2>")
        self.language_label.setText(_("&Language"))
        self.text_size_label.setText(_("&Text size"))
        self.text_size_slider.setAccessibleName(_("Text size"))
        self.contrast_check.setText(_("&High contrast"))
        self.paper_label.setText(_("Pape&r for printing"))
        default = _("A4") if default_paper() == "a4" else _("US Letter")
        names = {
            "auto": _("The usual paper here ({paper})").format(paper=default),
            "a4": _("A4"),
            "letter": _("US Letter"),
        }
        with QSignalBlocker(self.paper_combo):
            self.paper_combo.clear()
            for code in PAPERS:
                self.paper_combo.addItem(names[code], code)
        self.large_print_check.setText(_("Lar&ge print on paper (body text 14 pt)"))
        self.service_label.setText(_("Genetics ser&vice for the family letter"))
        self.service_edit.setPlaceholderText(_("Name and telephone number"))
        self.sample.setText(
            _("Changes apply at once and are remembered the next time you open the app.")
        )
        self._sync_from_settings()

    def _sync_from_settings(self) -> None:
        settings = self._controller.settings
        with QSignalBlocker(self.language_combo):
            index = self.language_combo.findData(self._controller.language)
            if index >= 0:
                self.language_combo.setCurrentIndex(index)
        with QSignalBlocker(self.text_size_slider):
            self.text_size_slider.setValue(settings.text_scale)
        with QSignalBlocker(self.contrast_check):
            self.contrast_check.setChecked(settings.high_contrast)
        with QSignalBlocker(self.paper_combo):
            self.paper_combo.setCurrentIndex(max(self.paper_combo.findData(settings.paper), 0))
        with QSignalBlocker(self.large_print_check):
            self.large_print_check.setChecked(settings.large_print)
        if not self.service_edit.hasFocus():
            self.service_edit.setText(settings.genetics_service)
        self.text_size_value.setText(format_percent(settings.text_scale / 100))
        self.text_size_slider.setAccessibleDescription(format_percent(settings.text_scale / 100))

    def _on_language_combo_changed(self, index: int) -> None:
        code = self.language_combo.itemData(index)
        if code:
            self._controller.set_language(str(code))

    def _on_text_size_slider_changed(self, value: int) -> None:
        snapped = round(value / TEXT_SCALE_STEP) * TEXT_SCALE_STEP
        self._controller.set_text_scale(snapped)

    def _on_contrast_check_toggled(self, checked: bool) -> None:
        self._controller.set_high_contrast(checked)

    def _on_paper_combo_changed(self, index: int) -> None:
        code = self.paper_combo.itemData(index)
        if code:
            self._controller.set_printing(paper=str(code))

    def _on_large_print_check_toggled(self, checked: bool) -> None:
        self._controller.set_printing(large_print=checked)

    def _on_service_edit_finished(self) -> None:
        text = self.service_edit.text()
        if text.strip() != self._controller.settings.genetics_service:
            self._controller.set_printing(genetics_service=text)
