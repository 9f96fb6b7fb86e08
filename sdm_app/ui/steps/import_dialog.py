"""The preview of an import: each result found in the file, what it will become,
and what was left out and why. Nothing is added until the user confirms."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sdm_app.core.classification import scheme
from sdm_app.core.results import TestResult
from sdm_app.i18n import _, join_sentences, ngettext
from sdm_app.services.result_import import Finding, ImportReport, finding_details
from sdm_app.ui.steps.base import bidi_isolated
from sdm_app.ui.steps.result_dialog import kind_labels, origin_labels

ADD, GENE, KIND, ALTERATION, ORIGIN, CLASS, THERAPIES = range(7)
COLUMNS = 7


def _same_result(finding: Finding, result: TestResult) -> bool:
    return (
        finding.kind == result.kind
        and finding.gene.strip().casefold() == result.gene.strip().casefold()
        and finding.alteration.strip().casefold() == result.alteration.strip().casefold()
    )


class ImportPreviewDialog(QDialog):
    def __init__(
        self,
        report: ImportReport,
        existing: Sequence[TestResult] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.report = report
        self.setWindowTitle(_("Import results from a file"))
        self.summary = QLabel(self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)  # file names are not markup
        self.summary.setWordWrap(True)
        self.table = QTableWidget(len(report.findings), COLUMNS, self)
        self.table.setObjectName("importTable")
        self.table.setAccessibleName(_("Results found in the file"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.installEventFilter(self)
        self.details_label = QLabel(_("&Details, and the clinician note:"), self)
        self.details_label.setWordWrap(True)
        self.details = QPlainTextEdit(self)
        self.details.setObjectName("importDetails")
        self.details.setReadOnly(True)
        self.details.setAccessibleName(_("Clinician note of the selected result"))
        self.details.setTabChangesFocus(True)
        self.details_label.setBuddy(self.details)
        self.skipped_label = QLabel(self)
        self.skipped_label.setWordWrap(True)
        self.skipped_list = QListWidget(self)
        self.skipped_list.setObjectName("importSkipped")
        self.skipped_list.setAccessibleName(_("Parts of the file not imported"))
        self.skipped_list.setWordWrap(True)
        self.skipped_label.setBuddy(self.skipped_list)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        # Not the standard OK button: Qt would put back its own text on a language change.
        self.add_button = QPushButton(self)
        self.add_button.setDefault(True)
        self.buttons.addButton(self.add_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.details_label)
        layout.addWidget(self.details, 1)
        layout.addWidget(self.skipped_label)
        layout.addWidget(self.skipped_list, 1)
        layout.addWidget(self.buttons)

        self._fill(existing)
        self.table.itemChanged.connect(lambda _item: self._update_add_button())
        self.table.currentCellChanged.connect(lambda *_cells: self._show_details())
        self._update_add_button()
        self.resize(1040, 580)

    def _fill(self, existing: Sequence[TestResult]) -> None:
        report = self.report
        count = len(report.findings)
        found = ngettext(
            "{count} result found in {file} ({format}).",
            "{count} results found in {file} ({format}).",
            count,
        ).format(count=count, file=report.file_name, format=report.format_name())
        advice = _(
            "Each ticked row is added as a new result. Results already entered are not "
            "changed. Check the rows against the signed report."
        )
        self.summary.setText(join_sentences(found, advice))
        self.table.setHorizontalHeaderLabels(
            [
                _("Add"),
                _("Gene or biomarker"),
                _("Kind of finding"),
                _("Alteration"),
                _("Origin"),
                _("Class or tier"),
                _("Therapies named on the report"),
            ]
        )
        kinds, origins = kind_labels(), origin_labels()
        for row, finding in enumerate(report.findings):
            duplicate = any(_same_result(finding, result) for result in existing)
            status = _("Already entered") if duplicate else _("New result")
            check = QTableWidgetItem(status)
            check.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsUserCheckable
            )
            check.setCheckState(Qt.CheckState.Unchecked if duplicate else Qt.CheckState.Checked)
            described = f"{finding.gene} {finding.alteration}".strip()
            check.setData(
                Qt.ItemDataRole.AccessibleTextRole,
                _("{result}: {status}").format(result=described, status=status),
            )
            self.table.setItem(row, ADD, check)
            cells = {
                GENE: finding.gene or _("(no gene)"),
                KIND: kinds[finding.kind],
                ALTERATION: finding.alteration,
                ORIGIN: origins[finding.origin],
                CLASS: _class_text(finding),
                THERAPIES: "\n".join(therapy.as_text() for therapy in finding.therapies),
            }
            for column, text in cells.items():
                shown = bidi_isolated(text) if column in (GENE, ALTERATION, THERAPIES) else text
                item = QTableWidgetItem(shown)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                item.setToolTip(text)
                item.setData(Qt.ItemDataRole.AccessibleTextRole, text)
                self.table.setItem(row, column, item)
        for column in range(COLUMNS):
            self.table.resizeColumnToContents(column)
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 170))
        self.table.resizeRowsToContents()
        if report.findings:
            self.table.setCurrentCell(0, ADD)
        self._show_details()

        skipped = report.skipped
        if skipped:
            self.skipped_label.setText(
                ngettext(
                    "&Not imported ({count}), and why:",
                    "&Not imported ({count}), and why:",
                    len(skipped),
                ).format(count=len(skipped))
            )
            for part in skipped:
                self.skipped_list.addItem(
                    _("{where}: {reason}").format(where=part.where, reason=part.reason)
                )
        else:
            self.skipped_label.setText(_("Nothing in the file was left out."))
        self.skipped_list.setVisible(bool(skipped))

    def _show_details(self) -> None:
        row = self.table.currentRow()
        findings = self.report.findings
        if 0 <= row < len(findings):
            finding = findings[row]
            note = finding.clinician_note()
            details = finding_details(finding)
            # The values with fields of their own first, then the note kept with the result.
            self.details.setPlainText(f"{details}\n\n{note}" if details else note)
        else:
            self.details.setPlainText("")

    def _ticked_rows(self) -> list[int]:
        return [
            row
            for row in range(self.table.rowCount())
            if (item := self.table.item(row, ADD)) is not None
            and item.checkState() == Qt.CheckState.Checked
        ]

    def _update_add_button(self) -> None:
        count = len(self._ticked_rows())
        self.add_button.setText(
            ngettext("&Add {count} result", "&Add {count} results", count).format(count=count)
        )
        self.add_button.setEnabled(count > 0)

    def chosen_results(self) -> tuple[TestResult, ...]:
        """The ticked findings as new results (no id yet), in the file's order."""
        return tuple(self.report.findings[row].to_test_result() for row in self._ticked_rows())

    def set_ticked(self, row: int, ticked: bool) -> None:
        item = self.table.item(row, ADD)
        if item is not None:
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Space ticks or unticks the current row, whichever cell of it has focus.
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Space
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
            and self.table.currentRow() >= 0
        ):
            item = self.table.item(self.table.currentRow(), ADD)
            if item is not None:
                ticked = item.checkState() == Qt.CheckState.Checked
                self.set_ticked(self.table.currentRow(), not ticked)
            return True
        return super().eventFilter(watched, event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.report.findings:
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
            if cancel is not None:
                cancel.setFocus(Qt.FocusReason.OtherFocusReason)


def _class_text(finding: Finding) -> str:
    known = scheme(finding.scheme_id)
    found = known.find(finding.class_code) if known and finding.class_code else None
    if found is not None:
        return f"{_(found.label)} ({found.code})"
    return finding.classification_text or finding.class_code
