"""The form for one test result: what the report says, quick to type by keyboard alone.

The form has four groups (the test, the finding, origin and classification, the
treatments the report names) and a clinician note. The finding shows only the fields
of the chosen kind of finding. Every value typed is kept as text exactly as typed.
"""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date
from itertools import pairwise

from PySide6.QtCore import QDate, QRect, QSignalBlocker, QSize, Qt
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from sdm_app.core.classification import RESISTANCE, SCHEMES, scheme
from sdm_app.core.results import (
    BiomarkerKind,
    Confirmation,
    CopyNumberChange,
    Direction,
    Origin,
    Sample,
    TestResult,
    TestType,
    Therapy,
    Zygosity,
    default_confirmation,
)
from sdm_app.i18n import _, pgettext
from sdm_app.ui.reflow import WrappingComboBox, wrap_rows_when_narrow
from sdm_app.ui.steps.base import fit_combo, widen_combo

KNOWN_GENES = (
    "ALK", "BRAF", "BRCA1", "BRCA2", "CYP2C19", "CYP2D6", "DPYD", "EGFR", "EML4", "ERBB2",
    "FGFR2", "FGFR3", "HER2", "HRD", "IDH1", "KRAS", "MET", "MLH1", "MSH2", "MSH6", "MSI",
    "NRAS", "NRG1", "NTRK1", "NTRK2", "NTRK3", "NUDT15", "PD-L1", "PIK3CA", "PMS2", "RET",
    "ROS1", "TMB", "TP53", "TPMT", "UGT1A1",
)  # fmt: skip
GENOME_BUILDS = ("GRCh38", "GRCh37")
PHARMACOGENOMIC_SCHEME = "cpic-2017"
LABEL_CHARACTERS = 24  # labels longer than this wrap

# The result fields each kind of finding has. On saving, every field in
# KIND_SPECIFIC_FIELDS that the chosen kind does not have is reset to empty, so a
# result saved as a fusion never keeps HGVS text typed before the kind was changed.
KIND_FIELDS: dict[BiomarkerKind, frozenset[str]] = {
    BiomarkerKind.SEQUENCE_VARIANT: frozenset(
        {
            "gene",
            "alteration",
            "hgvs_c",
            "transcript",
            "hgvs_p",
            "hgvs_g",
            "genome_build",
            "zygosity",
            "vaf",
        }
    ),
    BiomarkerKind.COPY_NUMBER: frozenset(
        {"gene", "alteration", "copy_number_change", "copy_number"}
    ),
    BiomarkerKind.FUSION: frozenset({"partners", "alteration"}),
    BiomarkerKind.EXPRESSION: frozenset({"gene", "alteration", "measure", "value", "unit"}),
    BiomarkerKind.SIGNATURE: frozenset({"gene", "alteration", "value", "unit"}),
    BiomarkerKind.PHARMACOGENOMIC: frozenset({"gene", "alteration", "diplotype", "activity_score"}),
    BiomarkerKind.NO_FINDING: frozenset({"gene"}),
    BiomarkerKind.OTHER: frozenset({"gene", "alteration"}),
}
KIND_SPECIFIC_FIELDS: frozenset[str] = frozenset().union(*KIND_FIELDS.values())
_DEFAULTS = {
    field.name: field.default for field in fields(TestResult) if field.name in KIND_SPECIFIC_FIELDS
}


def kind_labels() -> dict[BiomarkerKind, str]:
    return {
        BiomarkerKind.SEQUENCE_VARIANT: _("Gene variant"),
        BiomarkerKind.FUSION: _("Gene fusion"),
        BiomarkerKind.COPY_NUMBER: _("Extra or missing gene copies"),
        BiomarkerKind.EXPRESSION: _("Protein level (expression)"),
        BiomarkerKind.SIGNATURE: _("Tumour signature (TMB, MSI, HRD)"),
        BiomarkerKind.PHARMACOGENOMIC: _("Medicine-handling gene (pharmacogenomic)"),
        BiomarkerKind.NO_FINDING: _("No finding"),
        BiomarkerKind.OTHER: _("Other"),
    }


def origin_labels() -> dict[Origin, str]:
    return {
        Origin.SOMATIC: _("Somatic (tumour only)"),
        # As the report states it: only a germline test confirms it is inherited.
        Origin.GERMLINE: _("Germline, as the report states"),
        Origin.LIKELY_SOMATIC: _("Likely somatic"),
        Origin.LIKELY_GERMLINE: _("Likely germline"),
        Origin.UNKNOWN: _("Not known"),
    }


def sample_labels() -> dict[Sample, str]:
    return {
        Sample.TISSUE: _("Tissue (biopsy)"),
        # A germline test is on blood too: the test type says whether it was ctDNA.
        Sample.BLOOD: pgettext("sample type", "Blood"),
        Sample.UNKNOWN: pgettext("sample type", "Not known"),
    }


def type_of_test_labels() -> dict[TestType, str]:
    return {
        TestType.GERMLINE: _("Germline test (blood or saliva)"),
        TestType.TUMOUR_ONLY: _("Tumour only"),
        TestType.TUMOUR_NORMAL: _("Paired tumour–normal"),
        TestType.CTDNA: _("Blood ctDNA (liquid biopsy)"),
        TestType.UNKNOWN: pgettext("test type", "Not known"),
    }


def confirmation_labels() -> dict[Confirmation, str]:
    return {
        Confirmation.NOT_ASSESSED: _("Not assessed"),
        Confirmation.RECOMMENDED: _("Germline test recommended"),
        Confirmation.CONFIRMED: _("Confirmed germline (a germline test found it)"),
        Confirmation.NOT_GERMLINE: _("Shown not germline (germline test negative)"),
    }


def zygosity_labels() -> dict[Zygosity, str]:
    return {
        Zygosity.HETEROZYGOUS: _("Heterozygous (one copy)"),
        Zygosity.HOMOZYGOUS: _("Homozygous (both copies)"),
        Zygosity.HEMIZYGOUS: _("Hemizygous (the only copy)"),
        Zygosity.UNKNOWN: pgettext("zygosity", "Not given"),
    }


def copy_number_labels() -> dict[CopyNumberChange, str]:
    return {
        CopyNumberChange.GAIN: _("Gain"),
        CopyNumberChange.AMPLIFICATION: _("Amplification"),
        CopyNumberChange.LOSS: _("Loss"),
        CopyNumberChange.DEEP_DELETION: _("Deep deletion (both copies lost)"),
        CopyNumberChange.UNKNOWN: pgettext("copy number change", "Not given"),
    }


def direction_labels() -> dict[Direction, str]:
    return {
        Direction.SENSITIVE: _("Expected to work"),
        Direction.RESISTANT: _("Expected NOT to work"),
        Direction.OTHER: _("Other or not stated"),
    }


def _gene_label(kind: BiomarkerKind) -> str:
    """The gene field is the marker or the signature for some kinds; same mnemonic."""
    if kind is BiomarkerKind.EXPRESSION:
        return _("&Gene or protein measured")
    if kind is BiomarkerKind.SIGNATURE:
        return _("Si&gnature (TMB, MSI, HRD)")
    if kind is BiomarkerKind.NO_FINDING:
        return _("&Gene or genes looked at")
    return _("&Gene")


def _combo(parent: QWidget, labels: dict, wide: bool = True) -> QComboBox:  # type: ignore[type-arg]
    # A long entry (a class's meaning, a translation) wraps rather than being cut.
    combo = widen_combo(WrappingComboBox(parent)) if wide else fit_combo(WrappingComboBox(parent))
    for value, label in labels.items():
        combo.addItem(label, value.value)
    return combo


def _select(combo: QComboBox, data: object) -> None:
    combo.setCurrentIndex(max(combo.findData(data), 0))


def _qdate(value: date | None) -> QDate:
    return QDate(value.year, value.month, value.day) if value else QDate.currentDate()


class _DateEdit(QDateEdit):
    """Tab leaves the date, as it leaves every other field; arrows move within it."""

    def focusNextPrevChild(self, next: bool) -> bool:
        return QWidget.focusNextPrevChild(self, next)


class DateField(QWidget):
    """A date that may be unknown: a "known" tick box, then the date itself."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.known = QCheckBox(_("Known"), self)
        self.edit = _DateEdit(self)
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd")  # as written on most reports
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.known)
        layout.addWidget(self.edit, 1)
        self.known.toggled.connect(self.edit.setEnabled)

    def set_value(self, value: date | None) -> None:
        self.known.setChecked(value is not None)
        self.edit.setEnabled(value is not None)
        self.edit.setDate(_qdate(value))

    def value(self) -> date | None:
        return self.edit.date().toPython() if self.known.isChecked() else None  # type: ignore[return-value]

    def set_names(self, name: str) -> None:
        self.known.setAccessibleName(_("{date}: known").format(date=name))
        self.edit.setAccessibleName(name)


class TherapyRow:
    """One treatment the report names: name, direction, evidence level, cancer type."""

    def __init__(self, parent: QWidget, therapy: Therapy) -> None:
        self.name = QLineEdit(therapy.name, parent)
        self.direction = _combo(parent, direction_labels())
        _select(self.direction, therapy.direction.value)
        self.level = QLineEdit(therapy.level, parent)
        self.tumour_type = QLineEdit(therapy.tumour_type, parent)
        self.remove = QPushButton(_("Remove"), parent)
        self.remove.setAutoDefault(False)

    def widgets(self) -> tuple[QWidget, ...]:
        return (self.name, self.direction, self.level, self.tumour_type, self.remove)

    def number(self, number: int) -> None:
        """Names that say which treatment a field belongs to."""
        self.name.setAccessibleName(_("Treatment {number}: name").format(number=number))
        self.direction.setAccessibleName(
            _("Treatment {number}: expected to work?").format(number=number)
        )
        self.level.setAccessibleName(_("Treatment {number}: evidence level").format(number=number))
        self.tumour_type.setAccessibleName(
            _("Treatment {number}: the cancer the evidence is for").format(number=number)
        )
        self.remove.setAccessibleName(_("Remove treatment {number}").format(number=number))

    def therapy(self) -> Therapy:
        return Therapy(
            self.name.text(),
            Direction(str(self.direction.currentData())),
            self.level.text(),
            self.tumour_type.text(),
        )


class ResultDialog(QDialog):
    def __init__(self, result: TestResult, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Test result") if result.id is None else _("Edit test result"))
        self._result = result
        self._kind_fields = dict(KIND_FIELDS)
        if result.kind is BiomarkerKind.FUSION and result.gene.strip():
            # A fusion stored before partners existed names one gene: keep showing it.
            self._kind_fields[BiomarkerKind.FUSION] |= {"gene"}
        self._confirmation_touched = False
        self.therapy_rows: list[TherapyRow] = []

        self._content = QWidget(self)
        self._build_test_group()
        self._build_finding_group()
        self._build_origin_group()
        self._build_therapy_group()
        self.note = QPlainTextEdit(self._content)
        self.note.setTabChangesFocus(True)  # Tab moves on, as in every other field
        self.note.setFixedHeight(self.note.fontMetrics().lineSpacing() * 4)
        note_label = self._label(_("Clinician note (not sho&wn to the patient)"), self.note)
        self.note.setAccessibleName(note_label.text().replace("&", ""))
        note_box = QWidget(self._content)
        note_layout = QVBoxLayout(note_box)
        note_layout.setContentsMargins(0, 0, 0, 0)
        note_layout.addWidget(note_label)
        note_layout.addWidget(self.note)

        content_layout = QVBoxLayout(self._content)
        for group in (
            self.test_group,
            self.finding_group,
            self.origin_group,
            self.therapy_group,
            note_box,
        ):
            content_layout.addWidget(group)
        content_layout.addStretch(1)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(self._content)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the fields take the focus

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setDefault(True)  # Enter in a field saves the result, as in any dialog
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._layout = QVBoxLayout(self)
        self._layout.addWidget(self.scroll_area, 1)
        self._layout.addWidget(self.buttons)

        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        self.test_type.currentIndexChanged.connect(self._on_test_type_changed)
        self.origin.currentIndexChanged.connect(self._on_origin_changed)
        self.confirmation.activated.connect(self._on_confirmation_activated)
        self.scheme.currentIndexChanged.connect(self._on_scheme_changed)
        self.add_therapy.clicked.connect(self._on_add_therapy_clicked)
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._on_app_focus_changed)
        # One label column for the three forms, so the fields line up; labels go above
        # their fields when the form is narrow.
        forms = [
            group.layout() for group in (self.test_group, self.finding_group, self.origin_group)
        ]
        self._form_rows = wrap_rows_when_narrow(
            [form for form in forms if isinstance(form, QFormLayout)],
            self.test_group,
            LABEL_CHARACTERS,
        )
        self._load(result)
        self._fitted = False

    # Building -------------------------------------------------------------------------

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self._content)
        label.setWordWrap(True)
        label.setBuddy(buddy)
        return label

    def _form(self, group: QGroupBox) -> QFormLayout:
        form = QFormLayout(group)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
        return form

    def _add_row(self, form: QFormLayout, text: str, field: QWidget) -> QLabel:
        # The label is the buddy of the first focusable part of the field.
        buddy = field.known if isinstance(field, DateField) else field
        label = self._label(text, buddy)
        name = label.text().replace("&", "")
        if isinstance(field, DateField):
            field.set_names(name)
        else:
            field.setAccessibleName(name)
        form.addRow(label, field)
        return label

    def _line(self, placeholder: str = "", completions: tuple[str, ...] = ()) -> QLineEdit:
        edit = QLineEdit(self._content)
        edit.setPlaceholderText(placeholder)
        if completions:
            completer = QCompleter(list(completions), edit)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            edit.setCompleter(completer)
        return edit

    def _build_test_group(self) -> None:
        parent = self._content
        self.test_group = QGroupBox(_("The test"), parent)
        self.test_type = _combo(parent, type_of_test_labels())
        self.test_name = self._line(_("e.g. FoundationOne CDx"))
        self.test_method = self._line(_("e.g. NGS, hybrid capture; IHC"))
        self.genes_covered = self._line(_("the panel, or the genes it looked at"))
        self.specimen = self._line(_("e.g. FFPE lung biopsy"))
        self.sample = _combo(parent, sample_labels())
        self.lab = self._line()
        self.accession = self._line()
        self.collected_on = DateField(parent)
        self.reported_on = DateField(parent)
        form = self._form(self.test_group)
        for text, field in (
            (_("Test t&ype"), self.test_type),
            (_("Test &name"), self.test_name),
            (_("Method"), self.test_method),
            (_("Genes or &panel covered"), self.genes_covered),
            (_("&Specimen"), self.specimen),
            (_("Sample (tissue or &blood)"), self.sample),
            (_("&Laboratory"), self.lab),
            (_("Lab reference (accession)"), self.accession),
            (_("Collection &date"), self.collected_on),
            (_("&Report date"), self.reported_on),
        ):
            self._add_row(form, text, field)

    def _build_finding_group(self) -> None:
        parent = self._content
        self.finding_group = QGroupBox(_("The finding"), parent)
        self.kind = _combo(parent, kind_labels())
        self.gene = self._line(completions=KNOWN_GENES)
        self.partner_5 = self._line(_("e.g. EML4"), KNOWN_GENES)
        self.partner_3 = self._line(_("e.g. ALK"), KNOWN_GENES)
        self.alteration = self._line()
        self.hgvs_c = self._line(_("e.g. c.2573T>G"))
        self.transcript = self._line(_("e.g. NM_005228.5"))
        self.hgvs_p = self._line(_("e.g. p.Leu858Arg"))
        self.hgvs_g = self._line(_("e.g. g.55191822T>G"))
        self.genome_build = self._line(_("e.g. GRCh38"), GENOME_BUILDS)
        self.zygosity = _combo(parent, zygosity_labels())
        self.vaf = self._line(_("as written, e.g. 23.5"))
        self.copy_number_change = _combo(parent, copy_number_labels())
        self.copy_number = self._line(_("as written, e.g. 18"))
        self.measure = self._line(_("e.g. TPS, CPS, IHC score"))
        self.value = self._line(_("as written, e.g. 60, 2+, MSI-H"))
        self.unit = self._line(_("e.g. %, mut/Mb"))
        self.diplotype = self._line(_("e.g. *1/*2A"))
        self.activity_score = self._line(_("as written, e.g. 1.0"))
        self.tumour_fraction = self._line(_("as written, e.g. 40"))
        form = self._form(self.finding_group)
        self._finding_form = form
        self.kind_label = self._add_row(form, _("&Kind of finding"), self.kind)
        self.gene_label = self._add_row(form, _("&Gene"), self.gene)
        # Each row, with the result field that decides when it is shown.
        self.finding_rows: list[tuple[str, QWidget]] = [("gene", self.gene)]
        for name, text, field in (
            ("partners", _("&5′ partner gene"), self.partner_5),
            ("partners", _("&3′ partner gene"), self.partner_3),
            ("alteration", _("Alt&eration, as on the report"), self.alteration),
            ("hgvs_c", _("HGVS &c. (coding DNA)"), self.hgvs_c),
            ("transcript", _("Transcript (reference se&quence)"), self.transcript),
            ("hgvs_p", _("HGVS p. (protein ch&ange)"), self.hgvs_p),
            ("hgvs_g", _("HGVS g. (geno&mic)"), self.hgvs_g),
            ("genome_build", _("Genome b&uild"), self.genome_build),
            ("zygosity", _("&Zygosity"), self.zygosity),
            ("vaf", _("&VAF, variant allele fraction (%)"), self.vaf),
            ("copy_number_change", _("Copy number &change"), self.copy_number_change),
            ("copy_number", _("Copy n&umber (copies)"), self.copy_number),
            ("measure", _("Me&asure"), self.measure),
            ("value", _("&Value"), self.value),
            ("unit", _("&Unit"), self.unit),
            ("diplotype", _("Diplotype (both gene &copies)"), self.diplotype),
            ("activity_score", _("&Activity score"), self.activity_score),
        ):
            self._add_row(form, text, field)
            self.finding_rows.append((name, field))
        self._add_row(form, _("Tumour &fraction (%)"), self.tumour_fraction)

    def _build_origin_group(self) -> None:
        parent = self._content
        self.origin_group = QGroupBox(_("Origin and classification"), parent)
        self.origin = _combo(parent, origin_labels())
        self.confirmation = _combo(parent, confirmation_labels())
        self.scheme = widen_combo(WrappingComboBox(parent))
        self.scheme.addItem(_("Not given on the report"), "")
        for item in SCHEMES:
            self.scheme.addItem(f"{_(item.name)} ({item.version})", item.id)
        self.class_code = widen_combo(WrappingComboBox(parent))
        form = self._form(self.origin_group)
        for text, field in (
            (_("&Origin"), self.origin),
            (_("Germl&ine confirmation"), self.confirmation),
            (_("Classification sc&heme"), self.scheme),
            (_("Class or &tier"), self.class_code),
        ):
            self._add_row(form, text, field)

    def _build_therapy_group(self) -> None:
        parent = self._content
        self.therapy_group = QGroupBox(_("Treatments on the report"), parent)
        self.therapy_grid = QGridLayout()
        self._therapy_headers = [
            QLabel(text, parent)
            for text in (
                _("Treatment"),
                _("Expected to work?"),
                _("Evidence level"),
                _("Cancer the evidence is for"),
            )
        ]
        for column, header in enumerate(self._therapy_headers):
            header.setWordWrap(True)
            header.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignBottom)
            self.therapy_grid.addWidget(header, 0, column)
        # The direction keeps its natural width; the typed columns share the rest.
        for column, stretch in enumerate((3, 0, 1, 2, 0)):
            self.therapy_grid.setColumnStretch(column, stretch)
        self.no_therapies = QLabel(_("None yet."), parent)
        self.no_therapies.setWordWrap(True)
        self.add_therapy = QPushButton(_("Add treatment"), parent)
        self.add_therapy.setAutoDefault(False)
        self.add_therapy.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        layout = QVBoxLayout(self.therapy_group)
        layout.addLayout(self.therapy_grid)
        layout.addWidget(self.no_therapies)
        layout.addWidget(self.add_therapy, 0, Qt.AlignmentFlag.AlignLeading)

    # Treatments -----------------------------------------------------------------------

    def _lay_out_therapies(self) -> None:
        """Put the rows back in the grid, numbered, and in tab order after the headers."""
        for row in self.therapy_rows:
            for widget in row.widgets():
                self.therapy_grid.removeWidget(widget)
        for number, row in enumerate(self.therapy_rows, start=1):
            for column, widget in enumerate(row.widgets()):
                self.therapy_grid.addWidget(widget, number, column)
                widget.show()  # now, not later: an added row takes the focus at once
            row.number(number)
        has = bool(self.therapy_rows)
        for header in self._therapy_headers:
            header.setVisible(has)
        self.no_therapies.setVisible(not has)
        self._fix_tab_order()

    def add_therapy_row(self, therapy: Therapy) -> TherapyRow:
        row = TherapyRow(self._content, therapy)
        row.remove.clicked.connect(lambda: self._on_remove_therapy_clicked(row))
        self.therapy_rows.append(row)
        self._lay_out_therapies()
        return row

    def _new_therapy_direction(self) -> Direction:
        """A therapy added under a resistance level (e.g. OncoKB R1) is one that is not
        expected to work; otherwise the direction is left for the user to say."""
        chosen = scheme(str(self.scheme.currentData() or ""))
        found = chosen.find(str(self.class_code.currentData() or "")) if chosen else None
        return Direction.RESISTANT if found and found.meaning == RESISTANCE else Direction.OTHER

    def _on_add_therapy_clicked(self) -> None:
        row = self.add_therapy_row(Therapy("", self._new_therapy_direction()))
        row.name.setFocus(Qt.FocusReason.OtherFocusReason)
        self.scroll_area.ensureWidgetVisible(row.remove)

    def _on_remove_therapy_clicked(self, row: TherapyRow) -> None:
        index = self.therapy_rows.index(row)
        self.therapy_rows.remove(row)
        for widget in row.widgets():
            self.therapy_grid.removeWidget(widget)
            widget.hide()
            widget.deleteLater()
        self._lay_out_therapies()
        # Keyboard users carry on at the next treatment, else at the add button.
        if self.therapy_rows:
            following = self.therapy_rows[min(index, len(self.therapy_rows) - 1)]
            following.name.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.add_therapy.setFocus(Qt.FocusReason.OtherFocusReason)

    # Tab order ------------------------------------------------------------------------

    def focus_order(self) -> list[QWidget]:
        """Every field and button of the form in reading order (hidden ones too)."""
        order: list[QWidget] = [self.test_type, self.test_name, self.test_method]
        order += [self.genes_covered, self.specimen, self.sample, self.lab, self.accession]
        for date_field in (self.collected_on, self.reported_on):
            order += [date_field.known, date_field.edit]
        order += [self.kind]
        order += [field for _name, field in self.finding_rows]
        order += [self.tumour_fraction, self.origin, self.confirmation, self.scheme]
        order += [self.class_code]
        for row in self.therapy_rows:
            order += row.widgets()
        order += [self.add_therapy, self.note]
        order += self.buttons.buttons()
        return order

    def _fix_tab_order(self) -> None:
        order = self.focus_order()
        for before, after in pairwise(order):
            QWidget.setTabOrder(before, after)

    def _on_app_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        # A mnemonic may jump to a field scrolled out of sight: bring it into view.
        if new is not None and self._content.isAncestorOf(new):
            self.scroll_area.ensureWidgetVisible(new)

    # Showing the fields of the chosen kind --------------------------------------------

    def chosen_kind(self) -> BiomarkerKind:
        return BiomarkerKind(str(self.kind.currentData()))

    def _show_kind_fields(self) -> None:
        kind = self.chosen_kind()
        wanted = self._kind_fields[kind]
        for name, field in self.finding_rows:
            self._finding_form.setRowVisible(field, name in wanted)
        self.gene_label.setText(_gene_label(kind))
        self.gene.setAccessibleName(self.gene_label.text().replace("&", ""))

    def _on_kind_changed(self) -> None:
        self._show_kind_fields()
        if (
            self.chosen_kind() is BiomarkerKind.PHARMACOGENOMIC
            and not self.scheme.currentData()
            and self.scheme.findData(PHARMACOGENOMIC_SCHEME) >= 0
        ):
            # A phenotype is a class in CPIC's terms.
            self.scheme.setCurrentIndex(self.scheme.findData(PHARMACOGENOMIC_SCHEME))

    # Germline confirmation --------------------------------------------------------------

    def _preset_confirmation(self) -> None:
        """What the test and origin already settle, until the user says otherwise."""
        if self._confirmation_touched:
            return
        settled = default_confirmation(
            TestType(str(self.test_type.currentData())), Origin(str(self.origin.currentData()))
        )
        _select(self.confirmation, settled.value)

    def _on_test_type_changed(self) -> None:
        self._preset_confirmation()

    def _on_origin_changed(self) -> None:
        self._preset_confirmation()

    def _on_confirmation_activated(self) -> None:
        self._confirmation_touched = True

    # Classification ---------------------------------------------------------------------

    def _on_scheme_changed(self) -> None:
        chosen = scheme(str(self.scheme.currentData() or ""))
        with QSignalBlocker(self.class_code):
            self.class_code.clear()
            self.class_code.addItem(pgettext("class", "Not given"), "")
            for item in chosen.classes if chosen else ():
                self.class_code.addItem(f"{item.code}: {_(item.label)}", item.code)
        self.class_code.setEnabled(chosen is not None)
        self._grow_to_fit()

    # Loading and saving -------------------------------------------------------------------

    def _load(self, result: TestResult) -> None:
        _select(self.test_type, result.test_type.value)
        self.test_name.setText(result.test_name)
        self.test_method.setText(result.test_method)
        self.genes_covered.setText(result.genes_covered)
        self.specimen.setText(result.specimen)
        _select(self.sample, result.sample.value)
        self.lab.setText(result.lab)
        self.accession.setText(result.accession)
        self.collected_on.set_value(result.collected_on)
        self.reported_on.set_value(result.reported_on)

        with QSignalBlocker(self.kind):
            _select(self.kind, result.kind.value)
        self.gene.setText(result.gene)
        # More than two partners (rare) share the 3′ field, joined as GENE2::GENE3.
        self.partner_5.setText(result.partners[0] if result.partners else "")
        self.partner_3.setText("::".join(result.partners[1:]))
        texts: dict[str, QLineEdit] = {
            "alteration": self.alteration,
            "hgvs_c": self.hgvs_c,
            "transcript": self.transcript,
            "hgvs_p": self.hgvs_p,
            "hgvs_g": self.hgvs_g,
            "genome_build": self.genome_build,
            "vaf": self.vaf,
            "copy_number": self.copy_number,
            "measure": self.measure,
            "value": self.value,
            "unit": self.unit,
            "diplotype": self.diplotype,
            "activity_score": self.activity_score,
            "tumour_fraction": self.tumour_fraction,
        }
        for name, edit in texts.items():
            edit.setText(getattr(result, name))
        _select(self.zygosity, result.zygosity.value)
        _select(self.copy_number_change, result.copy_number_change.value)

        with QSignalBlocker(self.origin):
            _select(self.origin, result.origin.value)
        _select(self.confirmation, result.confirmation.value)
        # A stored confirmation the test and origin do not imply was chosen by someone.
        implied = default_confirmation(result.test_type, result.origin)
        self._confirmation_touched = result.confirmation not in (
            implied,
            Confirmation.NOT_ASSESSED,
        )
        if result.scheme_id and self.scheme.findData(result.scheme_id) < 0:
            # A scheme the app does not know (e.g. imported) is kept as written.
            self.scheme.addItem(result.scheme_id, result.scheme_id)
        with QSignalBlocker(self.scheme):
            _select(self.scheme, result.scheme_id)
        self._on_scheme_changed()
        if result.class_code:
            index = self.class_code.findData(result.class_code)
            if index < 0:  # a class the app does not know is kept as written
                self.class_code.addItem(result.class_code, result.class_code)
                self.class_code.setEnabled(True)
                index = self.class_code.count() - 1
            self.class_code.setCurrentIndex(index)
        for therapy in result.therapies:
            self.add_therapy_row(therapy)
        self.note.setPlainText(result.clinician_note)
        self._show_kind_fields()
        self._lay_out_therapies()

    def test_result(self) -> TestResult:
        kind = self.chosen_kind()
        # A blank 5′ partner stays in place, so a lone 3′ partner stays the 3′ one.
        typed_partners = [self.partner_5.text(), *self.partner_3.text().split("::")]
        while typed_partners and not typed_partners[-1].strip():
            typed_partners.pop()
        partners = tuple(typed_partners)
        entered: dict[str, object] = {
            "gene": self.gene.text(),
            "alteration": self.alteration.text(),
            "hgvs_c": self.hgvs_c.text(),
            "transcript": self.transcript.text(),
            "hgvs_p": self.hgvs_p.text(),
            "hgvs_g": self.hgvs_g.text(),
            "genome_build": self.genome_build.text(),
            "zygosity": Zygosity(str(self.zygosity.currentData())),
            "vaf": self.vaf.text(),
            "copy_number_change": CopyNumberChange(str(self.copy_number_change.currentData())),
            "copy_number": self.copy_number.text(),
            "partners": partners,
            "measure": self.measure.text(),
            "value": self.value.text(),
            "unit": self.unit.text(),
            "diplotype": self.diplotype.text(),
            "activity_score": self.activity_score.text(),
        }
        # Fields of other kinds are cleared (see KIND_FIELDS): what was typed before
        # the kind was changed is not saved unseen.
        wanted = self._kind_fields[kind]
        finding = {
            name: value if name in wanted else _DEFAULTS[name] for name, value in entered.items()
        }
        therapies = tuple(row.therapy() for row in self.therapy_rows if row.name.text().strip())
        return replace(
            self._result,
            kind=kind,
            test_type=TestType(str(self.test_type.currentData())),
            test_name=self.test_name.text(),
            test_method=self.test_method.text(),
            genes_covered=self.genes_covered.text(),
            specimen=self.specimen.text(),
            sample=Sample(str(self.sample.currentData())),
            lab=self.lab.text(),
            accession=self.accession.text(),
            collected_on=self.collected_on.value(),  # type: ignore[arg-type]
            reported_on=self.reported_on.value(),  # type: ignore[arg-type]
            tumour_fraction=self.tumour_fraction.text(),
            origin=Origin(str(self.origin.currentData())),
            confirmation=Confirmation(str(self.confirmation.currentData())),
            scheme_id=str(self.scheme.currentData() or ""),
            class_code=str(self.class_code.currentData() or ""),
            therapies=therapies,
            clinician_note=self.note.toPlainText(),
            **finding,  # type: ignore[arg-type]
        )

    # Size ---------------------------------------------------------------------------------

    def _wanted_size(self) -> QSize:
        """The whole form without scrolling, with the buttons below it."""
        with self._form_rows.labels_beside():  # as wide as that, if the screen allows
            content = self._content.sizeHint()
        scrollbar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        layout = self._layout
        margins = layout.contentsMargins()
        width = content.width() + margins.left() + margins.right() + scrollbar + 2
        height = content.height() + margins.top() + margins.bottom() + layout.spacing()
        return QSize(width, height + self.buttons.sizeHint().height() + 2)

    def _available(self) -> QRect:
        screen = self.screen() or QGuiApplication.primaryScreen()
        return screen.availableGeometry()

    def fit_to(self, available: QRect) -> None:
        """As wide as the form wants and as tall as it can be, within ``available``
        (a screen's free area); what does not fit scrolls."""
        wanted = self._wanted_size()
        self.resize(
            min(wanted.width(), available.width()), min(wanted.height(), available.height())
        )
        frame = self.frameGeometry()
        frame.moveCenter(available.center())
        self.move(frame.topLeft())

    def _grow_to_fit(self) -> None:
        """Wider when a longer list of classes is chosen, as far as the screen allows."""
        wanted = min(self._wanted_size().width(), self._available().width())
        if self.isVisible() and wanted > self.width():
            self.resize(wanted, self.height())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._fitted:
            self._fitted = True
            self.fit_to(self._available())
            # The form reads from the top: the test first, then the finding.
            self.test_type.setFocus(Qt.FocusReason.OtherFocusReason)
