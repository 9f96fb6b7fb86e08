"""Step 2, test results: the list, the form, and a plain explanation of each."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sdm_app.core.classification import scheme
from sdm_app.core.consultation import TestResult
from sdm_app.i18n import N_, _
from sdm_app.ui.consultation_model import ConsultationModel, context_of
from sdm_app.ui.controller import AppController
from sdm_app.ui.messages import show_message
from sdm_app.ui.module_view import ModuleView
from sdm_app.ui.steps.base import StepPage
from sdm_app.ui.steps.result_dialog import ResultDialog, origin_labels

RESULT_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class ResultsStep(StepPage):
    def __init__(
        self, controller: AppController, model: ConsultationModel, parent: QWidget | None = None
    ) -> None:
        super().__init__(controller, model, parent)
        self.heading = QLabel(self)
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("resultsTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.add_button = QPushButton(self)
        self.edit_button = QPushButton(self)
        self.remove_button = QPushButton(self)
        self.card = ModuleView(
            controller.library,
            self,
            accessible_name=N_("Explanation of the selected result"),
            empty_hint=N_("Add a result from the report to see a plain explanation of it."),
        )
        self.card.setObjectName("explanationCard")

        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(left)
        splitter.addWidget(self.card)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(splitter, 1)

        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.table.currentCellChanged.connect(lambda *_cells: self._show_card())
        self.table.itemActivated.connect(
            lambda _item: None if self.patient_view else self._on_edit_button_clicked()
        )
        self.card.module_requested.connect(self.module_requested)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        heading = _("Test results")
        self.heading.setText(f"<h2>{heading}</h2>")
        self.table.setHorizontalHeaderLabels(
            [_("Gene or biomarker"), _("Alteration"), _("Origin"), _("Class or tier")]
        )
        self.table.setAccessibleName(_("Test results"))
        self.add_button.setText(_("&Add result…"))
        self.edit_button.setText(_("&Edit…"))
        self.remove_button.setText(_("&Remove"))
        self.card.retranslate_ui()
        self.refresh()

    def _results(self) -> tuple[TestResult, ...]:
        consultation = self.model.consultation
        return consultation.results if consultation else ()

    def refresh(self) -> None:
        results = self._results()
        selected = self._selected_id()
        origins = origin_labels()
        with QSignalBlocker(self.table):
            self.table.setRowCount(len(results))
            for row, result in enumerate(results):
                known = scheme(result.scheme_id)
                found = known.find(result.class_code) if known and result.class_code else None
                cells = (
                    result.gene or _("(no gene)"),
                    result.alteration,
                    origins[result.origin],
                    _(found.label) if found else result.class_code,
                )
                for column, text in enumerate(cells):
                    item = QTableWidgetItem(text)
                    item.setData(RESULT_ID_ROLE, result.id)
                    self.table.setItem(row, column, item)
            self.table.resizeColumnsToContents()
            self.table.resizeRowsToContents()
        if results:
            row = next((r for r, x in enumerate(results) if x.id == selected), 0)
            self.table.selectRow(row)
        self._show_card()
        has = bool(results)
        self.edit_button.setEnabled(has)
        self.remove_button.setEnabled(has)
        # The form holds clinician-only notes: the patient view reads, it does not edit.
        for button in (self.add_button, self.edit_button, self.remove_button):
            button.setVisible(not self.patient_view)

    def _selected_id(self) -> int | None:
        item = self.table.item(self.table.currentRow(), 0)
        value = item.data(RESULT_ID_ROLE) if item is not None else None
        return int(value) if value is not None else None

    def _selected(self) -> TestResult | None:
        wanted = self._selected_id()
        return next((r for r in self._results() if r.id == wanted), None)

    def _show_card(self) -> None:
        from sdm_app.services.explain import card_html, explain

        result = self._selected()
        if result is None:
            self.card.browser.setPlainText(
                _("Add a result from the report to see a plain explanation of it.")
            )
            return
        locale = self.controller.content_locale()
        card = explain(
            result, context_of(self.model.consultation).condition, self.controller.library, locale
        )
        self.card.show_html(card_html(card), locale)

    def _on_add_button_clicked(self) -> None:
        dialog = ResultDialog(TestResult(id=None), self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        if accepted:
            self.model.update(results=(*self._results(), dialog.test_result()))
            self.table.selectRow(self.table.rowCount() - 1)
        self._return_focus(self.add_button)

    def _on_edit_button_clicked(self) -> None:
        result = self._selected()
        if result is None:
            return
        dialog = ResultDialog(result, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            edited = dialog.test_result()
            self.model.update(
                results=tuple(edited if r.id == result.id else r for r in self._results())
            )
        self._return_focus(self.table)

    def _return_focus(self, widget: QWidget) -> None:
        # Keyboard users carry on where they were once the form closes.
        self.window().activateWindow()
        widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_remove_button_clicked(self) -> None:
        result = self._selected()
        if result is None:
            return
        answer = show_message(
            self,
            QMessageBox.Icon.Question,
            _("Remove result?"),
            _("Remove the result {gene} {alteration}?").format(
                gene=result.gene, alteration=result.alteration
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.model.update(results=tuple(r for r in self._results() if r.id != result.id))
