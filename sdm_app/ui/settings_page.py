"""Language, text size and contrast, applied as soon as they change."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from sdm_app.i18n import _, format_percent, language_name
from sdm_app.storage.settings import TEXT_SCALE_MAX, TEXT_SCALE_MIN, TEXT_SCALE_STEP
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

        self.sample = QLabel(self)
        self.sample.setWordWrap(True)

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.language_label, self.language_combo)
        form.addRow(self.text_size_label, self.text_size_slider)
        form.addRow("", self.text_size_value)
        form.addRow("", self.contrast_check)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addWidget(self.sample)
        layout.addStretch(1)

        self.language_combo.currentIndexChanged.connect(self._on_language_combo_changed)
        self.text_size_slider.valueChanged.connect(self._on_text_size_slider_changed)
        self.contrast_check.toggled.connect(self._on_contrast_check_toggled)
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
