"""The form for one test result, quick to fill in from a laboratory report."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QDate, QSignalBlocker, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from sdm_app.core.classification import SCHEMES, scheme
from sdm_app.core.consultation import BiomarkerKind, Origin, Sample, TestResult
from sdm_app.i18n import _, pgettext
from sdm_app.ui.steps.base import fit_combo

KNOWN_GENES = (
    "ALK", "BRAF", "BRCA1", "BRCA2", "DPYD", "EGFR", "ERBB2", "HER2", "KRAS", "MET",
    "MLH1", "MSH2", "MSH6", "MSI", "NRAS", "NTRK1", "NTRK2", "NTRK3", "PD-L1", "PIK3CA",
    "PMS2", "RET", "ROS1", "TMB", "TP53",
)  # fmt: skip


def kind_labels() -> dict[BiomarkerKind, str]:
    return {
        BiomarkerKind.VARIANT: _("Gene variant"),
        BiomarkerKind.FUSION: _("Gene fusion"),
        BiomarkerKind.COPY_NUMBER: _("Extra or missing gene copies"),
        BiomarkerKind.EXPRESSION: _("Protein level (expression)"),
        BiomarkerKind.TMB: _("Tumour mutational burden (TMB)"),
        BiomarkerKind.MSI: _("Microsatellite instability (MSI) or mismatch repair"),
        BiomarkerKind.PD_L1: _("PD-L1"),
        BiomarkerKind.PHARMACOGENOMIC: _("Medicine-handling gene (pharmacogenomic)"),
        BiomarkerKind.NO_ACTIONABLE: _("No actionable finding"),
        BiomarkerKind.OTHER: _("Other"),
    }


def origin_labels() -> dict[Origin, str]:
    return {
        Origin.SOMATIC: _("Somatic (tumour only)"),
        Origin.GERMLINE: _("Germline (inherited)"),
        Origin.LIKELY_SOMATIC: _("Likely somatic"),
        Origin.LIKELY_GERMLINE: _("Likely germline"),
        Origin.UNKNOWN: _("Not known"),
    }


def sample_labels() -> dict[Sample, str]:
    return {
        Sample.TISSUE: _("Tissue (biopsy)"),
        Sample.BLOOD: _("Blood (liquid biopsy)"),
        Sample.UNKNOWN: pgettext("sample type", "Not known"),
    }


class ResultDialog(QDialog):
    def __init__(self, result: TestResult, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Test result") if result.id is None else _("Edit test result"))
        self._result = result
        self.kind = fit_combo(QComboBox(self))
        for kind, label in kind_labels().items():
            self.kind.addItem(label, kind.value)
        self.gene = QLineEdit(self)
        completer = QCompleter(list(KNOWN_GENES), self.gene)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.gene.setCompleter(completer)
        self.alteration = QLineEdit(self)
        self.origin = fit_combo(QComboBox(self))
        for origin, label in origin_labels().items():
            self.origin.addItem(label, origin.value)
        self.scheme = fit_combo(QComboBox(self))
        self.scheme.addItem(_("Not given on the report"), "")
        for item in SCHEMES:
            self.scheme.addItem(f"{_(item.name)} ({item.version})", item.id)
        self.class_code = fit_combo(QComboBox(self))
        self.sample = fit_combo(QComboBox(self))
        for sample, label in sample_labels().items():
            self.sample.addItem(label, sample.value)
        self.lab = QLineEdit(self)
        self.date_known = QCheckBox(_("Report date known"), self)
        self.date = QDateEdit(self)
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.therapies = QLineEdit(self)
        self.note = QLineEdit(self)

        rows = (
            (_("&Kind of finding"), self.kind),
            (_("&Gene or biomarker"), self.gene),
            (_("&Alteration (as on the report)"), self.alteration),
            (_("&Origin"), self.origin),
            (_("Classification &scheme"), self.scheme),
            (_("C&lass or tier"), self.class_code),
            (_("Sa&mple"), self.sample),
            (_("La&boratory"), self.lab),
            (_("&Report date"), self.date),
            (_("&Therapies named on the report (comma-separated)"), self.therapies),
            (_("Clinician &note (not shown to the patient)"), self.note),
        )
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for text, field in rows:
            row_label = QLabel(text, self)
            row_label.setBuddy(field)
            row_label.setWordWrap(True)
            field.setAccessibleName(text.replace("&", ""))
            if field is self.date:
                form.addRow("", self.date_known)
                self.date_known.setAccessibleName(_("Report date known"))
            form.addRow(row_label, field)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

        self.scheme.currentIndexChanged.connect(self._fill_classes)
        self.date_known.toggled.connect(self.date.setEnabled)
        self._load(result)

    def _load(self, result: TestResult) -> None:
        self.kind.setCurrentIndex(max(self.kind.findData(result.kind.value), 0))
        self.gene.setText(result.gene)
        self.alteration.setText(result.alteration)
        self.origin.setCurrentIndex(max(self.origin.findData(result.origin.value), 0))
        if result.scheme_id and self.scheme.findData(result.scheme_id) < 0:
            # A scheme the app does not know (e.g. imported) is kept as written.
            self.scheme.addItem(result.scheme_id, result.scheme_id)
        self.scheme.setCurrentIndex(max(self.scheme.findData(result.scheme_id), 0))
        self._fill_classes()
        if result.class_code:
            index = self.class_code.findData(result.class_code)
            if index < 0:  # a class the app does not know is kept as written
                self.class_code.addItem(result.class_code, result.class_code)
                index = self.class_code.count() - 1
            self.class_code.setCurrentIndex(index)
        self.sample.setCurrentIndex(max(self.sample.findData(result.sample.value), 0))
        self.lab.setText(result.lab)
        self.date_known.setChecked(result.reported_on is not None)
        self.date.setEnabled(result.reported_on is not None)
        reported = result.reported_on
        self.date.setDate(
            QDate(reported.year, reported.month, reported.day) if reported else QDate.currentDate()
        )
        self.therapies.setText(", ".join(result.therapies))
        self.note.setText(result.clinician_note)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Most reports are typed gene first; the kind above it rarely changes.
        self.gene.setFocus(Qt.FocusReason.OtherFocusReason)

    def _fill_classes(self) -> None:
        chosen = scheme(str(self.scheme.currentData() or ""))
        with QSignalBlocker(self.class_code):
            self.class_code.clear()
            self.class_code.addItem(_("Not given"), "")
            for item in chosen.classes if chosen else ():
                self.class_code.addItem(f"{item.code}: {_(item.label)}", item.code)
        self.class_code.setEnabled(chosen is not None)

    def test_result(self) -> TestResult:
        reported = self.date.date().toPython() if self.date_known.isChecked() else None
        therapies = tuple(part.strip() for part in self.therapies.text().split(",") if part.strip())
        return replace(
            self._result,
            kind=BiomarkerKind(str(self.kind.currentData())),
            gene=self.gene.text(),
            alteration=self.alteration.text(),
            origin=Origin(str(self.origin.currentData())),
            scheme_id=str(self.scheme.currentData() or ""),
            class_code=str(self.class_code.currentData() or ""),
            sample=Sample(str(self.sample.currentData())),
            lab=self.lab.text(),
            reported_on=reported,  # type: ignore[arg-type]
            therapies=therapies,
            clinician_note=self.note.text(),
        )
