"""Consultations: start, resume or delete one, then walk its steps in any order."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sdm_app.core.consultation import STEPS, Step
from sdm_app.i18n import _, format_date
from sdm_app.storage.consultations import ConsultationStore, ConsultationStoreError
from sdm_app.ui.accessibility import HeadingLabel
from sdm_app.ui.consultation_model import ConsultationModel
from sdm_app.ui.controller import AppController
from sdm_app.ui.messages import show_message
from sdm_app.ui.steps.base import StepPage
from sdm_app.ui.steps.options_step import OptionsStep
from sdm_app.ui.steps.ready_step import ReadyStep
from sdm_app.ui.steps.results_step import ResultsStep
from sdm_app.ui.steps.summary_step import SummaryStep
from sdm_app.ui.steps.values_step import ValuesStep
from sdm_app.ui.steps.visit_step import VisitStep

ID_ROLE = Qt.ItemDataRole.UserRole + 1
PATIENT_VIEW_SCALE = 140
STEP_LIST_CHARS = 14  # the patient view reads larger, whatever the setting


def step_titles() -> dict[Step, str]:
    return {
        Step.VISIT: _("About this visit"),
        Step.RESULTS: _("Test results"),
        Step.OPTIONS: _("Options"),
        Step.VALUES: _("What matters"),
        Step.READY: _("Ready to decide?"),
        Step.SUMMARY: _("Summary"),
    }


class ConsultationsPage(QWidget):
    module_requested = Signal(str)
    decision_aid_requested = Signal(str)

    def __init__(
        self, controller: AppController, store: ConsultationStore, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.model = ConsultationModel(store, self)
        self.stack = QStackedWidget(self)

        # The list of saved consultations.
        self.list_page = QWidget(self)
        self.list_heading = HeadingLabel(self.list_page)
        self.list_hint = QLabel(self.list_page)
        self.list_hint.setWordWrap(True)
        self.table = QTableWidget(0, 4, self.list_page)
        self.table.setObjectName("consultationList")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        # Columns as wide as their header or contents: translated headers are not cut.
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().hide()
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.new_button = QPushButton(self.list_page)
        self.open_button = QPushButton(self.list_page)
        self.delete_button = QPushButton(self.list_page)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.open_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        list_layout = QVBoxLayout(self.list_page)
        list_layout.addWidget(self.list_heading)
        list_layout.addWidget(self.list_hint)
        list_layout.addWidget(self.table, 1)
        list_layout.addLayout(buttons)

        # The journey through one consultation.
        self.journey = QWidget(self)
        self.title = QLabel(self.journey)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)
        self.patient_view = QCheckBox(self.journey)
        self.patient_view.setObjectName("patientViewCheck")
        self.back_button = QPushButton(self.journey)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.patient_view)
        header.addWidget(self.back_button)
        self.step_list = QListWidget(self.journey)
        # Step names wrap rather than push the window wider at large text sizes.
        self.step_list.setWordWrap(True)
        self.step_list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.step_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._fit_step_list()
        self.step_list.setObjectName("stepList")
        self.steps_stack = QStackedWidget(self.journey)
        self.steps: dict[Step, StepPage] = {
            Step.VISIT: VisitStep(controller, self.model, self.journey),
            Step.RESULTS: ResultsStep(controller, self.model, self.journey),
            Step.OPTIONS: OptionsStep(controller, self.model, self.journey),
            Step.VALUES: ValuesStep(controller, self.model, self.journey),
            Step.READY: ReadyStep(controller, self.model, self.journey),
            Step.SUMMARY: SummaryStep(controller, self.model, self.journey),
        }
        for step in STEPS:
            self.steps_stack.addWidget(self.steps[step])
            self.step_list.addItem(QListWidgetItem())
            self.steps[step].module_requested.connect(self.module_requested)
        options = self.steps[Step.OPTIONS]
        assert isinstance(options, OptionsStep)
        options.decision_aid_requested.connect(self.decision_aid_requested)
        splitter = QSplitter(Qt.Orientation.Horizontal, self.journey)
        splitter.addWidget(self.step_list)
        splitter.addWidget(self.steps_stack)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 4)
        splitter.setChildrenCollapsible(False)
        self._splitter = splitter
        journey_layout = QVBoxLayout(self.journey)
        journey_layout.addLayout(header)
        journey_layout.addWidget(splitter, 1)

        # Ctrl+Page Down / Page Up move between steps from anywhere in the journey.
        for keys, delta in (("Ctrl+PgDown", 1), ("Ctrl+PgUp", -1)):
            shortcut = QShortcut(QKeySequence(keys), self.journey)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda delta=delta: self._move_step(delta))
        self.stack.addWidget(self.list_page)
        self.stack.addWidget(self.journey)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.table.itemActivated.connect(lambda _item: self._on_open_button_clicked())
        self.back_button.clicked.connect(self._on_back_button_clicked)
        self.step_list.currentRowChanged.connect(self._on_step_list_row_changed)
        self.patient_view.toggled.connect(self._on_patient_view_toggled)
        self.model.changed.connect(self._on_model_changed)
        # A bound method, not a lambda: the connection ends when the page is destroyed
        # (the main window destroys it when the app locks).
        controller.language_changed.connect(self._on_controller_language_changed)
        self.retranslate_ui()
        self._show_list()

    # -- public -----------------------------------------------------------

    def _on_controller_language_changed(self, _language: str) -> None:
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        heading = _("Consultations")
        self.list_heading.setText(f"<h2>{heading}</h2>")
        self.list_hint.setText(
            _(
                "Start a new consultation or continue a saved one. Everything is saved on this "
                "computer as you go. Use a label, not the patient's name."
            )
        )
        self.table.setHorizontalHeaderLabels(
            [_("Last changed"), _("Label"), _("Condition"), _("Decision")]
        )
        self.table.setAccessibleName(_("Saved consultations"))
        self.new_button.setText(_("&New consultation"))
        self.open_button.setText(_("&Open"))
        self.delete_button.setText(_("&Delete…"))
        self.patient_view.setText(_("&Patient view"))
        self.back_button.setText(_("All &consultations"))
        self.step_list.setAccessibleName(_("Steps"))
        for step in STEPS:
            self.steps[step].retranslate_ui()
        self._refresh_list()
        self._refresh_journey()

    def open_consultation(self, consultation_id: int) -> bool:
        if not self.model.open(consultation_id):
            return False
        consultation = self.model.consultation
        assert consultation is not None
        self.stack.setCurrentWidget(self.journey)
        self.show_step(consultation.current_step)
        return True

    def show_step(self, step: Step) -> None:
        self.flush()
        self.step_list.setCurrentRow(STEPS.index(step))

    def _move_step(self, delta: int) -> None:
        row = min(max(self.step_list.currentRow() + delta, 0), len(STEPS) - 1)
        self.show_step(STEPS[row])

    def current_step(self) -> Step:
        return STEPS[self.steps_stack.currentIndex()]

    def flush(self) -> None:
        for page in self.steps.values():
            page.flush()

    def restore_open(self) -> bool:
        """Reopen the consultation that was open when the app last closed."""
        consultation_id = self.model.store.open_consultation_id()
        return consultation_id is not None and self.open_consultation(consultation_id)

    # -- slots ------------------------------------------------------------

    def new_consultation(self) -> bool:
        """Start a new consultation, at its first field."""
        created = self.model.new()
        if created is None or created.id is None or not self.open_consultation(created.id):
            return False
        # A new consultation starts at its first field, not on the header's controls.
        self.steps[Step.VISIT].focus_first()
        return True

    def _on_new_button_clicked(self) -> None:
        self.new_consultation()

    def _selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return int(rows[0].data(ID_ROLE)) if rows else None

    def _on_open_button_clicked(self) -> None:
        consultation_id = self._selected_id()
        if consultation_id is not None:
            self.open_consultation(consultation_id)

    def _on_delete_button_clicked(self) -> None:
        consultation_id = self._selected_id()
        if consultation_id is None:
            return
        answer = show_message(
            self,
            QMessageBox.Icon.Warning,
            _("Delete consultation?"),
            _("Delete this consultation and everything saved in it? This cannot be undone."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.model.delete(consultation_id)

    def _on_back_button_clicked(self) -> None:
        self.flush()
        self.patient_view.setChecked(False)
        self.model.close()
        self._show_list()

    def _on_step_list_row_changed(self, row: int) -> None:
        if not 0 <= row < len(STEPS):
            return
        self.flush()
        step = STEPS[row]
        self.steps_stack.setCurrentIndex(row)
        self.steps[step].refresh()
        self.model.set_step(step)
        focus = QApplication.focusWidget()
        if focus is None or not focus.isVisible():
            # The field that had focus left with its step (Ctrl+Page Down): carry
            # on in the new step rather than nowhere.
            self.steps[step].focus_first()

    def _on_patient_view_toggled(self, enabled: bool) -> None:
        for page in self.steps.values():
            page.set_patient_view(enabled)
        self.controller.set_text_scale_floor(PATIENT_VIEW_SCALE if enabled else 0)

    def _on_model_changed(self) -> None:
        if self.model.consultation is None:
            self._refresh_list()
            return
        self._refresh_journey()
        current = self.steps_stack.currentWidget()
        if isinstance(current, StepPage):
            current.refresh()

    # -- helpers ----------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_step_list()

    def _fit_step_list(self) -> None:
        # Wide enough for a short step name on one line at any text size.
        self.step_list.setMinimumWidth(self.fontMetrics().averageCharWidth() * STEP_LIST_CHARS)

    def _show_list(self) -> None:
        self.stack.setCurrentWidget(self.list_page)
        self._refresh_list()

    def _refresh_list(self) -> None:
        try:
            listing = self.model.store.listing()
        except ConsultationStoreError as error:
            listing = []
            self.model.load_failed.emit(
                _("The list of consultations could not be read.") + f"\n\n{error}"
            )
        with QSignalBlocker(self.table):
            self.table.setRowCount(len(listing))
            for row, entry in enumerate(listing):
                when = (
                    _("date unreadable")
                    if entry.damaged
                    else format_date(entry.updated_at.date(), length="medium")
                )
                cells = (
                    when,
                    entry.patient_label or _("(no label)"),
                    entry.condition,
                    entry.decision,
                )
                for column, text in enumerate(cells):
                    item = QTableWidgetItem(text)
                    item.setData(ID_ROLE, entry.id)
                    self.table.setItem(row, column, item)
        if listing:
            # Not selectRow(): right to left, it can land on no column and select nothing.
            self.table.setCurrentCell(0, 0)
        self.open_button.setEnabled(bool(listing))
        self.delete_button.setEnabled(bool(listing))

    def _refresh_journey(self) -> None:
        consultation = self.model.consultation
        if consultation is None:
            return
        label = consultation.patient_label or _("Consultation")
        self.title.setText(label)
        titles = step_titles()
        for row, step in enumerate(STEPS):
            done = consultation.step_done(step)
            text = (_("{number}. {title} (done)") if done else _("{number}. {title}")).format(
                number=row + 1, title=titles[step]
            )
            item = self.step_list.item(row)
            # The check mark shows "done" on screen; screen readers hear the words.
            shown = _("{number}. {title}").format(number=row + 1, title=titles[step])
            item.setText(("✓ " if done else "    ") + shown)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, text)
