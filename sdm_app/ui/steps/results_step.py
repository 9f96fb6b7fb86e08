"""Step 2, test results: the list, the form, and a plain explanation of each."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QSignalBlocker, Qt
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sdm_app.core.classification import scheme
from sdm_app.core.results import (
    BiomarkerKind,
    CopyNumberChange,
    Origin,
    TestResult,
    germline_confirmed,
    germline_question_open,
)
from sdm_app.i18n import N_, _
from sdm_app.ui.accessibility import HeadingLabel
from sdm_app.ui.consultation_model import ConsultationModel, context_of
from sdm_app.ui.controller import AppController
from sdm_app.ui.file_dialogs import open_file_name
from sdm_app.ui.flow_layout import FlowRow
from sdm_app.ui.messages import show_message
from sdm_app.ui.module_view import ModuleView
from sdm_app.ui.reflow import fit_columns, keep_lines
from sdm_app.ui.steps.base import StepPage, bidi_isolated
from sdm_app.ui.steps.import_dialog import ImportPreviewDialog
from sdm_app.ui.steps.result_dialog import (
    ResultDialog,
    copy_number_labels,
    kind_labels,
    origin_labels,
)

RESULT_ID_ROLE = Qt.ItemDataRole.UserRole + 1


def result_name(result: TestResult) -> str:
    """What a result is about: a fusion as GENE1::GENE2, else the gene or biomarker."""
    if result.kind is BiomarkerKind.FUSION and result.fusion_name:
        return result.fusion_name
    return result.gene.strip()


def alteration_text(result: TestResult) -> str:
    """The alteration as on the report, or, when none was typed, the values of the
    result's kind put side by side exactly as typed."""
    if result.alteration.strip():
        return result.alteration
    kind = result.kind
    if kind is BiomarkerKind.SEQUENCE_VARIANT:
        return result.hgvs_p or result.hgvs_c or result.hgvs_g
    if kind is BiomarkerKind.COPY_NUMBER:
        change = result.copy_number_change
        named = "" if change is CopyNumberChange.UNKNOWN else copy_number_labels()[change]
        return " ".join(part for part in (named, result.copy_number) if part.strip())
    if kind in (BiomarkerKind.EXPRESSION, BiomarkerKind.SIGNATURE):
        return " ".join(
            part for part in (result.measure, result.value, result.unit) if part.strip()
        )
    if kind is BiomarkerKind.PHARMACOGENOMIC:
        return result.diplotype
    return ""


def origin_text(result: TestResult, origins: dict[Origin, str]) -> str:
    """The origin with what a germline test has settled: never "inherited" before it."""
    if germline_confirmed(result):
        return _("Germline, confirmed by a germline test")
    if germline_question_open(result):
        return _("May be germline, not yet confirmed")
    return origins[result.origin]


class ResultsStep(StepPage):
    def __init__(
        self, controller: AppController, model: ConsultationModel, parent: QWidget | None = None
    ) -> None:
        super().__init__(controller, model, parent)
        self.heading = HeadingLabel(self)
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("resultsTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        # Cells wrap when the columns do not fit side by side (a large text size or
        # the patient view), and the table scrolls sideways only when words do not.
        fit_columns(self.table, wrap=True)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.add_button = QPushButton(self)
        self.import_button = QPushButton(self)
        self._import_folder = ""
        self.edit_button = QPushButton(self)
        self.remove_button = QPushButton(self)
        self.card = ModuleView(
            controller.library,
            self,
            accessible_name=N_("Explanation of the selected result"),
            empty_hint=N_("Add a result from the report to see a plain explanation of it."),
        )
        self.card.setObjectName("explanationCard")
        # A short window scrolls the step rather than squeeze the list or the card.
        keep_lines(self.table, 4, above=self.table.horizontalHeader())
        keep_lines(self.card.browser, 6)

        buttons = FlowRow()  # onto more rows in a narrow window
        for button in (self.add_button, self.import_button, self.edit_button, self.remove_button):
            buttons.addWidget(button)
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
        self.import_button.clicked.connect(self._on_import_button_clicked)
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
            [
                _("Gene or biomarker"),
                _("Kind of finding"),
                _("Alteration"),
                _("Origin"),
                _("Class or tier"),
            ]
        )
        self.table.setAccessibleName(_("Test results"))
        self.add_button.setText(_("A&dd result…"))
        self.import_button.setText(_("&Import from file…"))
        self.edit_button.setText(_("&Edit…"))
        self.remove_button.setText(_("&Remove"))
        self.card.retranslate_ui()
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # Rows were sized for the old text size: a larger one would cut them off.
        if event.type() == QEvent.Type.FontChange:
            self.table.resizeRowsToContents()

    def _select_row(self, row: int) -> None:
        # Not selectRow(): in a right-to-left layout it picks the column at the viewport's
        # far edge, which is no column when the table is wider than its columns, and then
        # nothing is selected or explained.
        self.table.setCurrentCell(row, 0)

    def _results(self) -> tuple[TestResult, ...]:
        consultation = self.model.consultation
        return consultation.results if consultation else ()

    def refresh(self) -> None:
        results = self._results()
        selected = self._selected_id()
        origins, kinds = origin_labels(), kind_labels()
        with QSignalBlocker(self.table):
            self.table.setRowCount(len(results))
            for row, result in enumerate(results):
                known = scheme(result.scheme_id)
                found = known.find(result.class_code) if known and result.class_code else None
                name = result_name(result)
                cells = (
                    bidi_isolated(name) if name else _("(no gene)"),
                    kinds[result.kind],
                    bidi_isolated(alteration_text(result)),
                    origin_text(result, origins),
                    _(found.label) if found else bidi_isolated(result.class_code),
                )
                for column, text in enumerate(cells):
                    item = QTableWidgetItem(text)
                    item.setData(RESULT_ID_ROLE, result.id)
                    self.table.setItem(row, column, item)
            self.table.resizeRowsToContents()
        if results:
            row = next((r for r, x in enumerate(results) if x.id == selected), 0)
            self._select_row(row)
        self._show_card()
        has = bool(results)
        self.edit_button.setEnabled(has)
        self.remove_button.setEnabled(has)
        # The form holds clinician-only notes: the patient view reads, it does not edit.
        for button in (self.add_button, self.import_button, self.edit_button, self.remove_button):
            button.setVisible(not self.patient_view)

    def _selected_id(self) -> int | None:
        item = self.table.item(self.table.currentRow(), 0)
        value = item.data(RESULT_ID_ROLE) if item is not None else None
        return int(value) if value is not None else None

    def _selected(self) -> TestResult | None:
        wanted = self._selected_id()
        return next((r for r in self._results() if r.id == wanted), None)

    def _show_card(self) -> None:
        from sdm_app.services.cards import card_html, explain

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
        self.card.show_html(card_html(card, clinician=not self.patient_view), locale)

    def _on_add_button_clicked(self) -> None:
        dialog = ResultDialog(TestResult(id=None), self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        added = dialog.test_result() if accepted else None
        dialog.deleteLater()
        if added is not None:
            self.model.update(results=(*self._results(), added))
            self._select_row(self.table.rowCount() - 1)
        self._return_focus(self.add_button)

    def choose_import_file(self) -> Path | None:
        """Ask which file to import (a separate method, so tests can answer for the user)."""
        chosen = open_file_name(
            self,
            _("Import results from a file"),
            self._import_folder or self.model.store.folder("import"),
            _("Result files (*.json *.csv);;All files (*)"),
        )
        if not chosen:
            return None
        path = Path(chosen)
        self._import_folder = str(path.parent)
        self.model.store.remember_folder("import", self._import_folder)
        return path

    def _on_import_button_clicked(self) -> None:
        from sdm_app.services.result_import import ResultImportError, read_import_file

        path = self.choose_import_file()
        if path is None:
            self._return_focus(self.import_button)
            return
        QApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
        try:
            report = read_import_file(path)
        except ResultImportError as error:
            QApplication.restoreOverrideCursor()
            show_message(
                self,
                QMessageBox.Icon.Warning,
                _("File not imported"),
                _("{problem}\n\nNothing was added.").format(problem=error),
            )
            self._return_focus(self.import_button)
            return
        except BaseException:
            QApplication.restoreOverrideCursor()
            raise
        QApplication.restoreOverrideCursor()
        existing = self._results()
        dialog = ImportPreviewDialog(report, existing, self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        chosen = dialog.chosen_results() if accepted else ()
        dialog.deleteLater()
        if chosen:
            # Appended in one save: results already entered stay as they are.
            self.model.update(results=(*existing, *chosen))
            self._select_row(len(existing))
        self._return_focus(self.import_button)

    def _on_edit_button_clicked(self) -> None:
        result = self._selected()
        if result is None:
            return
        dialog = ResultDialog(result, self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        edited = dialog.test_result() if accepted else None
        dialog.deleteLater()
        if edited is not None:
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
                gene=result_name(result), alteration=alteration_text(result)
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.model.update(results=tuple(r for r in self._results() if r.id != result.id))
            if not self.remove_button.isEnabled():  # the last one: adding is what is left
                self._return_focus(self.add_button)
