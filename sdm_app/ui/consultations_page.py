"""Consultations: start, resume or delete one, then walk its steps in any order."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QBoxLayout,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
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
from sdm_app.ui.flow_layout import FlowRow
from sdm_app.ui.messages import show_message
from sdm_app.ui.navigation_list import StepList
from sdm_app.ui.reflow import fit_columns
from sdm_app.ui.steps.base import StepPage
from sdm_app.ui.steps.options_step import OptionsStep
from sdm_app.ui.steps.ready_step import ReadyStep
from sdm_app.ui.steps.results_step import ResultsStep
from sdm_app.ui.steps.summary_step import SummaryStep
from sdm_app.ui.steps.values_step import ValuesStep
from sdm_app.ui.steps.visit_step import VisitStep

ID_ROLE = Qt.ItemDataRole.UserRole + 1
PATIENT_VIEW_SCALE = 140  # the patient view reads larger, whatever the setting
# Narrower than this many average characters beside the list of steps, a step leaves
# too little room for its lines: the list becomes a bar above it.
STEP_CHARS = 60


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
        # Columns as wide as their header or contents: translated headers are not cut,
        # and a narrow window scrolls the table sideways.
        fit_columns(self.table)
        self.table.verticalHeader().hide()
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.new_button = QPushButton(self.list_page)
        self.open_button = QPushButton(self.list_page)
        self.delete_button = QPushButton(self.list_page)
        buttons = FlowRow()  # onto more rows in a narrow window
        for button in (self.new_button, self.open_button, self.delete_button):
            buttons.addWidget(button)
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
        bold = QFont()  # bold, at the app's text size whatever it becomes
        bold.setBold(True)
        self.title.setFont(bold)
        self.patient_view = QCheckBox(self.journey)
        self.patient_view.setObjectName("patientViewCheck")
        self.back_button = QPushButton(self.journey)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.patient_view)
        header.addWidget(self.back_button)
        # A column beside the step, or a bar above it in a narrow window.
        self.step_list = StepList(self.journey)
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
            # Each step scrolls up and down on its own when the window is too short for
            # it; its grids, tables and texts scroll inside it.
            scroll = QScrollArea(self.steps_stack)
            scroll.setObjectName("stepScrollArea")
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the step's fields take the focus
            scroll.setWidget(self.steps[step])
            # The journey's own margins frame the step: its edges are the list's.
            layout = self.steps[step].layout()
            if layout is not None:
                layout.setContentsMargins(0, 0, 0, 0)
            self.steps_stack.addWidget(scroll)
            self.step_list.addItem(QListWidgetItem())
            self.steps[step].module_requested.connect(self.module_requested)
        options = self.steps[Step.OPTIONS]
        assert isinstance(options, OptionsStep)
        options.decision_aid_requested.connect(self.decision_aid_requested)
        # The steps beside the step shown, or above it as a bar (_arrange_steps); the
        # step takes what the window gains or loses.
        self._steps_box = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._steps_box.addWidget(self.step_list)
        self._steps_box.addWidget(self.steps_stack, 1)
        journey_layout = QVBoxLayout(self.journey)
        journey_layout.addLayout(header)
        journey_layout.addLayout(self._steps_box, 1)
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._on_app_focus_changed)

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
        self.steps[self.current_step()].refresh()

    # -- helpers ----------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._arrange_steps()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange_steps()

    def _arrange_steps(self) -> None:
        """The steps beside the step shown while it keeps room for lines of
        STEP_CHARS characters; above it, as a bar, in a narrower window."""
        column = self.step_list.column_width()
        bar = self.width() - column < self.fontMetrics().averageCharWidth() * STEP_CHARS
        if bar == self.step_list.bar:
            return
        self.step_list.set_bar(bar)
        self._steps_box.setDirection(
            QBoxLayout.Direction.TopToBottom if bar else QBoxLayout.Direction.LeftToRight
        )

    def _on_app_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        # A mnemonic may jump to a field scrolled out of sight: bring it into view.
        scroll = self.steps_stack.currentWidget()
        if new is not None and isinstance(scroll, QScrollArea) and scroll.isAncestorOf(new):
            scroll.ensureWidgetVisible(new)

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
        names, numbers = [], []
        for row, step in enumerate(STEPS):
            done = consultation.step_done(step)
            text = (_("{number}. {title} (done)") if done else _("{number}. {title}")).format(
                number=row + 1, title=titles[step]
            )
            item = self.step_list.item(row)
            # The check mark shows "done" on screen; screen readers hear the words.
            shown = _("{number}. {title}").format(number=row + 1, title=titles[step])
            names.append(("✓ " if done else "    ") + shown)
            numbers.append(("✓ " if done else "") + str(row + 1))
            item.setData(Qt.ItemDataRole.AccessibleTextRole, text)
        self.step_list.set_step_texts(names, numbers)
        self._arrange_steps()
