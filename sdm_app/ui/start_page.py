"""The start page: what the app is for, and the ways in.

Shown at the first start (and from the page list at any time): start a consultation,
continue the last one, open the library, choose the language and text size (the
settings page's own controls), and, in a branded build, how to reach the organisation
that distributes it.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QHideEvent, QPixmap, QShowEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from sdm_app.branding import current_branding
from sdm_app.i18n import _, format_date
from sdm_app.ui.accessibility import HeadingLabel
from sdm_app.ui.controller import AppController
from sdm_app.ui.main_window import app_display_name, organisation_lines
from sdm_app.ui.settings_page import LanguageAndTextSize
from sdm_app.ui.steps.base import bidi_isolated

COLUMN_CHARS = 72  # the page reads as one column about this many characters wide
LOGO_LINES = 4  # the organisation's logo is as tall as this many lines of text


def _heading(text: str) -> str:
    return f"<h2>{escape(text)}</h2>"


def _paragraph(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return label


class StartPage(QWidget):
    new_consultation_requested = Signal()
    consultation_requested = Signal(int)  # the id of the consultation to continue
    library_requested = Signal()

    def __init__(self, controller: AppController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("startPage")
        self._controller = controller
        self._last_id: int | None = None
        body = QWidget(self)
        body.setObjectName("startBody")
        self._body = body

        self.logo = QLabel(body)
        self.logo.setObjectName("organisationLogo")
        self.logo.hide()
        self.heading = HeadingLabel(body)
        self.heading.setObjectName("pageHeading")
        self.heading.setWordWrap(True)
        self.intro = _paragraph(body)
        self.intro.setObjectName("startIntro")
        self.not_advice = _paragraph(body)

        self.actions_heading = HeadingLabel(body)
        self.new_button = QPushButton(body)
        self.new_button.setObjectName("startNewConsultation")
        self.new_button.setDefault(True)
        self.new_note = _paragraph(body)
        self.continue_button = QPushButton(body)
        self.continue_button.setObjectName("startContinueConsultation")
        self.continue_note = _paragraph(body)
        self.continue_note.setObjectName("lastConsultation")
        self.library_button = QPushButton(body)
        self.library_button.setObjectName("startOpenLibrary")
        self.library_note = _paragraph(body)
        actions = QGridLayout()
        actions.setColumnStretch(1, 1)
        for row, (button, note) in enumerate(
            (
                (self.new_button, self.new_note),
                (self.continue_button, self.continue_note),
                (self.library_button, self.library_note),
            )
        ):
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            actions.addWidget(button, row, 0, Qt.AlignmentFlag.AlignTop)
            actions.addWidget(note, row, 1, Qt.AlignmentFlag.AlignTop)

        # The settings page's own controls: one place decides what a choice does.
        self.display_heading = HeadingLabel(body)
        self.display = LanguageAndTextSize(controller, body)
        display = QFormLayout()
        display.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        display.addRow(self.display.language_label, self.display.language_combo)
        display.addRow(self.display.text_size_label, self.display.text_size_slider)
        display.addRow("", self.display.text_size_value)

        self.organisation_heading = HeadingLabel(body)
        self.organisation_heading.setObjectName("organisationHeading")
        self.organisation = _paragraph(body)
        self.organisation.setObjectName("organisationContacts")
        self.organisation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        column = QVBoxLayout(body)
        column.addWidget(self.logo, 0, Qt.AlignmentFlag.AlignLeading)
        column.addWidget(self.heading)
        column.addWidget(self.intro)
        column.addWidget(self.not_advice)
        column.addSpacing(self.fontMetrics().lineSpacing() // 2)
        column.addWidget(self.actions_heading)
        column.addLayout(actions)
        column.addSpacing(self.fontMetrics().lineSpacing() // 2)
        column.addWidget(self.display_heading)
        column.addLayout(display)
        column.addWidget(self.organisation_heading)
        column.addWidget(self.organisation)
        column.addStretch(1)

        # One readable column, in the middle of a wide window; the page scrolls when
        # large text makes it taller than the window.
        centred = QWidget(self)
        centring = QHBoxLayout(centred)
        centring.addStretch(1)
        centring.addWidget(body, 100)
        centring.addStretch(1)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(centred)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll_area)

        self.new_button.clicked.connect(self.new_consultation_requested)
        self.continue_button.clicked.connect(self._on_continue_button_clicked)
        self.library_button.clicked.connect(self.library_requested)
        controller.language_changed.connect(self._on_controller_language_changed)
        self._fit_column()
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.heading.setText(f"<h1>{escape(app_display_name())}</h1>")
        self.scroll_area.setAccessibleName(app_display_name())
        self.intro.setText(
            _(
                "This app helps you talk with your care team about the results of genetic "
                "and molecular tests, and about the choices that follow. It explains the "
                "results in plain words, shows the options side by side with their numbers, "
                "and helps you say what matters to you. It is for clinicians and genetic "
                "counsellors during a visit, and for patients and families at home."
            )
        )
        self.not_advice.setText(
            _(
                "It is education, not medical advice: it never recommends a treatment. It "
                "works without a network connection and keeps your data on this computer."
            )
        )
        self.actions_heading.setText(_heading(_("Where to start")))
        self.new_button.setText(_("Start a &new consultation"))
        self.new_note.setText(
            _(
                "Go through a visit step by step: the test results, the options, what "
                "matters to the patient, and a summary to print."
            )
        )
        self.continue_button.setText(_("&Continue the last consultation"))
        self.library_button.setText(_("&Open the library"))
        self.library_note.setText(
            _("Plain explanations of test results and treatments, by topic, with a glossary.")
        )
        self.display_heading.setText(_heading(_("Language and text size")))
        self._show_organisation()
        self._show_last_consultation()

    def refresh(self) -> None:
        """Show the consultation to continue as it is now."""
        self._show_last_consultation()

    # -- events -------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        self._show_last_consultation()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        # Nothing of a consultation stays in a page no one sees (the app may lock).
        self._forget_last_consultation()
        super().hideEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_column()
            self._show_organisation()  # the logo is sized by the text

    # -- helpers ------------------------------------------------------------

    def _fit_column(self) -> None:
        self._body.setMaximumWidth(self.fontMetrics().averageCharWidth() * COLUMN_CHARS)

    def _on_controller_language_changed(self, _language: str) -> None:
        self.retranslate_ui()

    def _on_continue_button_clicked(self) -> None:
        if self._last_id is not None:
            self.consultation_requested.emit(self._last_id)

    def _show_last_consultation(self) -> None:
        if not self.isVisible():
            return  # read when shown: the list costs a query, and may be locked away
        from sdm_app.storage.consultations import ConsultationStore, ConsultationStoreError

        try:
            listing = ConsultationStore(self._controller.database).listing()
        except ConsultationStoreError:
            listing = []
        last = listing[0] if listing else None
        if last is None:
            self._forget_last_consultation()
            return
        self._last_id = last.id
        # The label and the date each in their own direction, whatever the sentence's.
        label = bidi_isolated(last.patient_label) if last.patient_label else _("(no label)")
        changed = bidi_isolated(format_date(last.updated_at.date(), length="long"))
        self.continue_note.setText(
            label
            if last.damaged
            else _("{label}, last changed {date}.").format(label=label, date=changed)
        )
        self.continue_button.setAccessibleDescription(self.continue_note.text())
        self.continue_button.show()
        self.continue_note.show()

    def _forget_last_consultation(self) -> None:
        self._last_id = None
        self.continue_note.clear()
        self.continue_button.setAccessibleDescription("")
        self.continue_button.hide()
        self.continue_note.hide()

    def _show_organisation(self) -> None:
        branding = current_branding()
        lines = organisation_lines()
        self.organisation_heading.setVisible(bool(lines))
        self.organisation.setVisible(bool(lines))
        if lines and branding is not None:
            self.organisation_heading.setText(_heading(_("Contact")))
            self.organisation.setText("\n".join(lines))
        logo = QPixmap(str(branding.logo)) if branding and branding.logo else QPixmap()
        if logo.isNull() or branding is None:
            self.logo.hide()
            return
        height = self.fontMetrics().lineSpacing() * LOGO_LINES
        self.logo.setPixmap(logo.scaledToHeight(height, Qt.TransformationMode.SmoothTransformation))
        self.logo.setAccessibleName(branding.organisation)
        self.logo.show()
