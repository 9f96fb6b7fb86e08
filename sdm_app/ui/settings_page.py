"""Language, text size and contrast, applied as soon as they change; and how
summaries and family letters are printed."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from sdm_app.i18n import _, default_paper, format_number, format_percent, language_name, ngettext
from sdm_app.storage.encryption import EncryptionError, keychain_available, read_record
from sdm_app.storage.settings import (
    AUTO_LOCK_MAX,
    GENETICS_SERVICE_MAX,
    PAPERS,
    TEXT_SCALE_MAX,
    TEXT_SCALE_MIN,
    TEXT_SCALE_STEP,
)
from sdm_app.ui.accessibility import HeadingLabel
from sdm_app.ui.controller import AppController
from sdm_app.ui.reflow import WrappingCheckBox, wrap_rows_when_narrow


class LanguageAndTextSize(QObject):
    """The language list and the text size slider, with their labels, as the settings
    page shows them; the start page shows the same controls. A choice applies at once
    (through the controller) and the controls follow a change made anywhere else."""

    def __init__(self, controller: AppController, parent: QWidget) -> None:
        super().__init__(parent)
        self._controller = controller
        self.language_label = QLabel(parent)
        self.language_combo = QComboBox(parent)
        self.language_combo.setObjectName("languageCombo")
        self.language_label.setBuddy(self.language_combo)
        for code in controller.available_languages():
            self.language_combo.addItem(language_name(code), code)

        self.text_size_label = QLabel(parent)
        self.text_size_slider = QSlider(Qt.Orientation.Horizontal, parent)
        self.text_size_slider.setObjectName("textSizeSlider")
        self.text_size_slider.setRange(TEXT_SCALE_MIN, TEXT_SCALE_MAX)
        self.text_size_slider.setSingleStep(TEXT_SCALE_STEP)
        self.text_size_slider.setPageStep(TEXT_SCALE_STEP)
        self.text_size_slider.setTickInterval(TEXT_SCALE_STEP)
        self.text_size_slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.text_size_label.setBuddy(self.text_size_slider)
        self.text_size_value = QLabel(parent)

        self.language_combo.currentIndexChanged.connect(self._on_language_combo_changed)
        self.text_size_slider.valueChanged.connect(self._on_text_size_slider_changed)
        controller.language_changed.connect(self._on_controller_language_changed)
        controller.text_scale_changed.connect(self._on_controller_text_scale_changed)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.language_label.setText(_("&Language"))
        self.text_size_label.setText(_("&Text size"))
        self.text_size_slider.setAccessibleName(_("Text size"))
        self.sync()

    def sync(self) -> None:
        """Show the language and text size in use."""
        with QSignalBlocker(self.language_combo):
            index = self.language_combo.findData(self._controller.language)
            if index >= 0:
                self.language_combo.setCurrentIndex(index)
        scale = self._controller.settings.text_scale
        with QSignalBlocker(self.text_size_slider):
            self.text_size_slider.setValue(scale)
        self.text_size_value.setText(format_percent(scale / 100))
        self.text_size_slider.setAccessibleDescription(format_percent(scale / 100))

    def _on_controller_language_changed(self, _language: str) -> None:
        self.retranslate_ui()

    def _on_controller_text_scale_changed(self, _scale: int) -> None:
        self.sync()

    def _on_language_combo_changed(self, index: int) -> None:
        code = self.language_combo.itemData(index)
        if code:
            self._controller.set_language(str(code))

    def _on_text_size_slider_changed(self, value: int) -> None:
        snapped = round(value / TEXT_SCALE_STEP) * TEXT_SCALE_STEP
        self._controller.set_text_scale(snapped)


class SettingsPage(QWidget):
    def __init__(self, controller: AppController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        # Asked once: on Linux it is a question to the session's D-Bus.
        # Asked when the page is first shown: loading the keychain's libraries costs
        # memory and time at start for a page many sessions never open.
        self._keychain: bool | None = None

        self.heading = HeadingLabel(self)
        self.heading.setObjectName("pageHeading")
        self.heading.setWordWrap(True)

        self.display = LanguageAndTextSize(controller, self)
        self.language_label = self.display.language_label
        self.language_combo = self.display.language_combo
        self.text_size_label = self.display.text_size_label
        self.text_size_slider = self.display.text_size_slider
        self.text_size_value = self.display.text_size_value

        self.contrast_check = QCheckBox(self)
        self.contrast_check.setObjectName("highContrastCheck")

        # Printing: paper, large print, and the genetics service the family letter names.
        self.paper_label = QLabel(self)
        self.paper_combo = QComboBox(self)
        self.paper_combo.setObjectName("paperCombo")
        # As wide as its longest entry in the language shown, not the first one.
        self.paper_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.paper_label.setBuddy(self.paper_combo)
        self.large_print_check = WrappingCheckBox(self)  # long in some languages
        self.large_print_check.setObjectName("largePrintCheck")
        self.service_label = QLabel(self)
        self.service_label.setWordWrap(True)
        self.service_edit = QLineEdit(self)
        self.service_edit.setObjectName("geneticsServiceEdit")
        self.service_edit.setMaxLength(GENETICS_SERVICE_MAX)
        self.service_label.setBuddy(self.service_edit)

        # Privacy: when the app locks itself, the keychain, the passphrase.
        self.security_heading = HeadingLabel(self)
        self.auto_lock_label = QLabel(self)
        self.auto_lock_label.setWordWrap(True)
        self.auto_lock_spin = QSpinBox(self)
        self.auto_lock_spin.setObjectName("autoLockSpin")
        self.auto_lock_spin.setRange(0, AUTO_LOCK_MAX)
        self.auto_lock_label.setBuddy(self.auto_lock_spin)
        self.remember_check = WrappingCheckBox(self)
        self.remember_check.setObjectName("rememberKeyCheck")
        self.remember_note = QLabel(self)
        self.remember_note.setWordWrap(True)
        self.change_passphrase_button = QPushButton(self)
        self.change_passphrase_button.setObjectName("changePassphraseButton")

        self.sample = QLabel(self)
        self.sample.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.language_label, self.language_combo)
        form.addRow(self.text_size_label, self.text_size_slider)
        form.addRow("", self.text_size_value)
        form.addRow("", self.contrast_check)
        form.addRow(self.paper_label, self.paper_combo)
        form.addRow("", self.large_print_check)
        form.addRow(self.service_label, self.service_edit)

        security = QFormLayout()
        security.addRow(self.auto_lock_label, self.auto_lock_spin)
        security.addRow("", self.remember_check)
        security.addRow("", self.remember_note)
        security.addRow("", self.change_passphrase_button)

        # Scrolls when large text makes the settings taller than the window.
        body = QWidget(self)
        body.setObjectName("settingsBody")
        scroll = self.scroll_area = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        layout = QVBoxLayout(body)
        self._body_layout = layout
        # Never squeezed below what its rows need: the page scrolls instead.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addWidget(self.security_heading)
        layout.addLayout(security)
        layout.addWidget(self.sample)
        layout.addStretch(1)
        scroll.setWidget(body)
        # Labels beside their fields when there is room, else above them.
        wrap_rows_when_narrow([form, security], body)

        self.contrast_check.toggled.connect(self._on_contrast_check_toggled)
        self.paper_combo.currentIndexChanged.connect(self._on_paper_combo_changed)
        self.large_print_check.toggled.connect(self._on_large_print_check_toggled)
        self.service_edit.editingFinished.connect(self._on_service_edit_finished)
        self.auto_lock_spin.valueChanged.connect(self._on_auto_lock_spin_changed)
        self.remember_check.toggled.connect(self._on_remember_check_toggled)
        self.change_passphrase_button.clicked.connect(self._on_change_passphrase_clicked)
        controller.language_changed.connect(self._on_controller_language_changed)
        controller.text_scale_changed.connect(self._on_controller_text_scale_changed)
        self._sync_from_settings()
        self.retranslate_ui()

    def _on_controller_language_changed(self, _language: str) -> None:
        self.retranslate_ui()

    def _on_controller_text_scale_changed(self, _scale: int) -> None:
        self._sync_from_settings()

    def retranslate_ui(self) -> None:
        heading = _("Settings")
        self.heading.setText(f"<h2>{escape(heading)}</h2>")
        self.scroll_area.setAccessibleName(heading)
        self.contrast_check.setText(_("High &contrast"))
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
        self.service_label.setText(_("Genetics &service for the family letter"))
        self.service_edit.setPlaceholderText(_("Name and telephone number"))
        privacy = _("Privacy")
        self.security_heading.setText(f"<h3>{escape(privacy)}</h3>")
        self.auto_lock_label.setText(_("Lock the app after this many minutes &without use"))
        self.auto_lock_spin.setSpecialValueText(_("Never"))
        self.auto_lock_spin.setAccessibleDescription(_("0 means never"))
        self.remember_check.setText(_("Re&member the key on this computer (system keychain)"))
        if self._keychain is None:
            self.remember_note.setText("")
        else:
            self.remember_note.setText(
                _(
                    "Anyone who can use this computer's account can then open the data "
                    "without the passphrase."
                )
                if self._keychain
                else _("No keychain is available on this computer.")
            )
        self.change_passphrase_button.setText(_("Change the &passphrase…"))
        self.sample.setText(
            _("Changes apply at once and are remembered the next time you open the app.")
        )
        QTimer.singleShot(0, self, self._remeasure)
        self._sync_from_settings()

    def showEvent(self, event: QShowEvent) -> None:
        if self._keychain is None:
            self._keychain = keychain_available()
            self.retranslate_ui()
        super().showEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        # A new script's font or a mirrored layout changes every row's height; the
        # scrolled body must measure itself again rather than keep the old sizes.
        if event.type() in (
            QEvent.Type.FontChange,
            QEvent.Type.LayoutDirectionChange,
            QEvent.Type.LanguageChange,
        ):
            QTimer.singleShot(0, self, self._remeasure)
        super().changeEvent(event)

    def _remeasure(self) -> None:
        self._body_layout.invalidate()
        self._body_layout.activate()

    def _sync_from_settings(self) -> None:
        settings = self._controller.settings
        with QSignalBlocker(self.contrast_check):
            self.contrast_check.setChecked(settings.high_contrast)
        with QSignalBlocker(self.paper_combo):
            self.paper_combo.setCurrentIndex(max(self.paper_combo.findData(settings.paper), 0))
        with QSignalBlocker(self.large_print_check):
            self.large_print_check.setChecked(settings.large_print)
        if not self.service_edit.hasFocus():
            self.service_edit.setText(settings.genetics_service)
        with QSignalBlocker(self.auto_lock_spin):
            self.auto_lock_spin.setValue(settings.auto_lock_minutes)
        with QSignalBlocker(self.remember_check):
            self.remember_check.setEnabled(bool(self._keychain))
            self.remember_check.setChecked(self._key_remembered())

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

    def _on_auto_lock_spin_changed(self, minutes: int) -> None:
        self._controller.set_auto_lock_minutes(minutes)

    def _key_remembered(self) -> bool:
        try:
            record = read_record(self._controller.database.path)
        except EncryptionError:
            return False
        return record is not None and record.keychain

    def _on_remember_check_toggled(self, checked: bool) -> None:
        from sdm_app.services.unlocking import set_remembered

        database = self._controller.database
        try:
            key = database.key
            if key is None:
                raise EncryptionError(_("Your saved data is not encrypted yet."))
            set_remembered(database.path, key, checked)
        except (EncryptionError, OSError) as error:
            with QSignalBlocker(self.remember_check):
                self.remember_check.setChecked(not checked)
            self._message(QMessageBox.Icon.Warning, _("Keychain"), str(error))

    def _on_change_passphrase_clicked(self) -> None:
        from sdm_app.services.unlocking import change_passphrase, unlock_with_passphrase
        from sdm_app.storage.user_db import DATABASE_ERRORS, UserDatabaseError
        from sdm_app.ui.messages import focus_returned
        from sdm_app.ui.passphrase_dialog import PassphraseDialog

        database = self._controller.database
        dialog = PassphraseDialog(
            "change",
            attempt=lambda passphrase: unlock_with_passphrase(database.path, passphrase),
            parent=self,
        )
        try:
            with focus_returned():
                accepted = dialog.exec() == PassphraseDialog.DialogCode.Accepted
            if not accepted:
                return
            new_passphrase = dialog.passphrase()
        finally:
            dialog.clear_secrets()
            dialog.deleteLater()
        errors: tuple[type[Exception], ...] = (
            EncryptionError,
            UserDatabaseError,
            OSError,
            *DATABASE_ERRORS,
        )
        try:
            left = change_passphrase(database, new_passphrase)
        except errors as error:
            from sdm_app.storage.errors import storage_reason

            reason = str(error) if isinstance(error, EncryptionError) else storage_reason(error)
            self._message(
                QMessageBox.Icon.Warning,
                _("Passphrase not changed"),
                _("The passphrase was not changed; the old one still opens your data.")
                + f"\n\n{reason}",
            )
            return
        message = _("The passphrase is changed. Your data and its backups use the new one.")
        if left:
            message += "\n\n" + ngettext(
                "{count} damaged backup could not be encrypted again; it still needs the "
                "old passphrase.",
                "{count} damaged backups could not be encrypted again; they still need the "
                "old passphrase.",
                len(left),
            ).format(count=format_number(len(left)))
        self._message(QMessageBox.Icon.Information, _("Passphrase changed"), message)

    def _message(self, icon: QMessageBox.Icon, title: str, text: str) -> None:
        from sdm_app.ui.messages import show_message

        show_message(self, icon, title, text)
