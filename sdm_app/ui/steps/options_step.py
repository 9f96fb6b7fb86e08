"""Step 3, options: the chosen decision aid as a grid, with icon arrays.

Options are columns in the authors' order and the questions patients ask are
rows; every outcome uses the same denominator and time frame for each option.
Each figure shows its certainty and why, and, where the outcome has a comparator,
the comparator's figure and the difference. The aids written for the consultation's
condition or biomarkers are offered first; choosing another one shows a notice.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QPalette, QStandardItemModel
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGridLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from sdm_app.core.aid_fit import AidFit, Fit, order_aids
from sdm_app.core.decision_aid import DecisionAid, DecisionAidSummary, Outcome, OutcomeFigure
from sdm_app.core.written_options import WRITTEN_OPTIONS, start_written_options
from sdm_app.i18n import _, join_sentences, title_in_language
from sdm_app.services.decision_aid_page import (
    certainty_label,
    certainty_sentence,
    comparison_sentences,
    fit_notice,
    option_heading,
)
from sdm_app.services.deliberation_words import team_talk, written_explanation
from sdm_app.services.page_parts import translation_notice, ui_text
from sdm_app.ui.accessibility import HeadingLabel
from sdm_app.ui.consultation_model import ConsultationModel
from sdm_app.ui.controller import AppController
from sdm_app.ui.icon_array import IconArray
from sdm_app.ui.messages import show_message
from sdm_app.ui.reflow import WrappingComboBox, keep_lines, wrap_rows_when_narrow
from sdm_app.ui.steps.base import StepPage, fit_combo
from sdm_app.ui.steps.written_grid import fill_written_grid
from sdm_app.ui.steps.written_options_dialog import WrittenOptionsDialog, notice_label


def _cell(text: str, parent: QWidget, bold: bool = False) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setText(ui_text(text))
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeading)
    if bold:
        font = label.font()
        font.setBold(True)
        label.setFont(font)
    return label


def _grid_place(option: str, row: str) -> str:
    return _("{option}: {row}").format(option=option, row=row)


class OptionsStep(StepPage):
    decision_aid_requested = Signal(str)

    def __init__(
        self, controller: AppController, model: ConsultationModel, parent: QWidget | None = None
    ) -> None:
        super().__init__(controller, model, parent)
        self.heading = HeadingLabel(self)
        # Option Talk's "team talk": the choice is shared, and there is one to make.
        self.team_talk = QLabel(self)
        self.team_talk.setObjectName("teamTalk")
        self.team_talk.setWordWrap(True)
        self.aid_label = QLabel(self)
        self.aid_combo = fit_combo(WrappingComboBox(self))  # a long title wraps
        self.aid_combo.setObjectName("decisionAidCombo")
        self.aid_label.setBuddy(self.aid_combo)
        # Shown when the chosen aid was written for another condition or biomarker.
        self.fit_notice = QLabel(self)
        self.fit_notice.setObjectName("aidFitNotice")
        self.fit_notice.setWordWrap(True)
        self.fit_notice.setTextFormat(Qt.TextFormat.PlainText)
        self.fit_notice.setFrameShape(QFrame.Shape.StyledPanel)
        self.fit_notice.setMargin(6)
        self.fit_notice.setAutoFillBackground(True)
        self.fit_notice.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self.fit_notice.hide()
        self.question = QLabel(self)
        self.question.setWordWrap(True)
        self.question.setTextFormat(Qt.TextFormat.PlainText)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(self.grid_host)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        keep_lines(self.scroll_area, 10)  # in a short window the step scrolls instead
        self.full_button = QPushButton(self)
        # With no fitting aid, the options are written here (not a decision aid).
        self.write_button = QPushButton(self)
        self.write_button.setObjectName("writeOptionsButton")
        self.written_notice = notice_label("", self)
        self.written_notice.hide()
        QWidget.setTabOrder(self.aid_combo, self.write_button)
        self._aid: DecisionAid | None = None
        self.icon_arrays: list[IconArray] = []
        self._summaries: list[DecisionAidSummary] = []
        self._fits: dict[str, tuple[DecisionAidSummary, AidFit]] = {}
        self._order: tuple[tuple[str, Fit], ...] | None = None

        form = QFormLayout()
        form.addRow(self.aid_label, self.aid_combo)
        wrap_rows_when_narrow(form, self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.team_talk)
        layout.addLayout(form)
        layout.addWidget(self.write_button, 0, Qt.AlignmentFlag.AlignLeading)
        layout.addWidget(self.fit_notice)
        layout.addWidget(self.written_notice)
        layout.addWidget(self.question)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(self.full_button, 0, Qt.AlignmentFlag.AlignLeading)
        self.aid_combo.currentIndexChanged.connect(self._on_aid_combo_changed)
        self.full_button.clicked.connect(self._on_full_button_clicked)
        self.write_button.clicked.connect(self._on_write_button_clicked)
        self.retranslate_ui()

    @property
    def decision_aid(self) -> DecisionAid | None:
        return self._aid

    def retranslate_ui(self) -> None:
        heading = _("Your options")
        self.heading.setText(f"<h2>{heading}</h2>")
        self.aid_label.setText(_("&Decision aid"))
        self.aid_combo.setAccessibleName(_("Decision aid"))
        self.full_button.setText(_("Read the &whole decision aid"))
        self.team_talk.setText(team_talk())
        self.write_button.setText(_("W&rite options…"))
        self.write_button.setToolTip(
            _("When no decision aid fits: write two to four options on the spot.")
        )
        self.written_notice.setText(written_explanation())
        self.scroll_area.setAccessibleName(_("Your options side by side"))
        self._fill_aids()

    def _fill_aids(self) -> None:
        self._summaries = self.controller.library.decision_aids(self.controller.content_locale())
        self._order = None  # titles and headers in the new language
        self.refresh()

    def _order_aids(self) -> None:
        """The aids that fit the consultation first, under headers when some do not."""
        consultation = self.model.consultation
        ordered = (
            order_aids(self._summaries, consultation)
            if consultation is not None
            else [(aid, AidFit(Fit.UNKNOWN)) for aid in self._summaries]
        )
        order = tuple((aid.id, fit.fit) for aid, fit in ordered)
        if order == self._order:
            return  # unchanged: the list is not rebuilt under the user's keys
        self._order = order
        self._fits = {aid.id: (aid, fit) for aid, fit in ordered}
        fitting = [aid for aid, fit in ordered if fit.fit is Fit.FITS]
        others = [aid for aid, fit in ordered if fit.fit is not Fit.FITS]
        with QSignalBlocker(self.aid_combo):
            self.aid_combo.clear()
            self.aid_combo.addItem(_("Choose a decision aid"), "")
            if fitting and others:
                self._add_header(_("Written for this consultation"))
                for aid in fitting:
                    self._add_aid(aid)
                self._add_header(_("Other decision aids"))
                for aid in others:
                    self._add_aid(aid)
            else:
                for aid in fitting + others:
                    self._add_aid(aid)
            self._add_header(_("Without a decision aid"))
            self.aid_combo.addItem(
                ui_text(_("Options written in this consultation")), WRITTEN_OPTIONS
            )

    def _add_aid(self, aid: DecisionAidSummary) -> None:
        # An aid not yet translated says which language it opens in.
        wanted = self.controller.content_locale()
        self.aid_combo.addItem(ui_text(title_in_language(aid.title, aid.locale, wanted)), aid.id)

    def _add_header(self, text: str) -> None:
        """A heading in the list that cannot be chosen."""
        self.aid_combo.addItem(ui_text(text), None)
        model = self.aid_combo.model()
        if isinstance(model, QStandardItemModel):
            item = model.item(self.aid_combo.count() - 1)
            item.setFlags(
                item.flags() & ~(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            )
            font = item.font()
            font.setBold(True)
            item.setFont(font)

    def aid_fit(self, aid_id: str) -> AidFit | None:
        """How the aid fits the open consultation (None for an unknown aid)."""
        found = self._fits.get(aid_id)
        return found[1] if found else None

    def refresh(self) -> None:
        consultation = self.model.consultation
        aid_id = consultation.decision_aid_id if consultation else ""
        self._order_aids()
        with QSignalBlocker(self.aid_combo):
            self.aid_combo.setCurrentIndex(max(self.aid_combo.findData(aid_id), 0))
        self._aid = (
            self.controller.library.decision_aid(aid_id, self.controller.content_locale())
            if aid_id and aid_id != WRITTEN_OPTIONS
            else None
        )
        self._show_fit_notice(aid_id)
        self._build_grid()

    def _show_fit_notice(self, aid_id: str) -> None:
        found = self._fits.get(aid_id) if aid_id else None
        notice = fit_notice(*found) if found else ""
        self.fit_notice.setText(notice)
        self.fit_notice.setVisible(bool(notice))
        # Read out with the list, for those who do not see the notice appear.
        self.aid_combo.setAccessibleDescription(notice)

    def _on_aid_combo_changed(self, index: int) -> None:
        self.model.update(decision_aid_id=str(self.aid_combo.itemData(index) or ""))

    def _on_write_button_clicked(self) -> None:
        """Write (or go on writing) the options; they are used from now on."""
        consultation = self.model.consultation
        if consultation is None:
            return
        written = consultation.written_options
        if written.is_empty():
            written = start_written_options()
        if not consultation.uses_written_options or written != consultation.written_options:
            self.model.update(decision_aid_id=WRITTEN_OPTIONS, written_options=written)
        dialog = WrittenOptionsDialog(
            written, lambda changed: self.model.update(written_options=changed), self
        )
        dialog.exec()
        dialog.deleteLater()
        # Keyboard users carry on where they were once the form closes.
        self.window().activateWindow()
        self.write_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_full_button_clicked(self) -> None:
        if self._aid is not None:
            self.decision_aid_requested.emit(self._aid.id)

    def _clear_grid(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                # Off screen at once: deleteLater alone leaves it drawn until then.
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        self.icon_arrays = []

    def _build_grid(self) -> None:
        self._clear_grid()
        aid = self._aid
        self.full_button.setEnabled(aid is not None)
        consultation = self.model.consultation
        written = consultation is not None and consultation.uses_written_options
        self.written_notice.setVisible(written)
        self.full_button.setVisible(not written)
        if consultation is not None and written:
            self._build_written_grid(consultation.context.decision)
            return
        if aid is None:
            self.question.setText(
                _("Choose the decision aid for the decision you are talking about.")
            )
            return
        notice = translation_notice(aid)
        question = f"{aid.question}\n{notice}" if notice else aid.question
        self.question.setText(ui_text(question))
        host = self.grid_host
        for column, option in enumerate(aid.options, start=1):
            self.grid.addWidget(_cell(option_heading(option), host, bold=True), 0, column)
        row = 1
        for attribute in aid.attributes:
            self.grid.addWidget(_cell(attribute.question, host, bold=True), row, 0)
            for column, option in enumerate(aid.options, start=1):
                answer = option.answers.get(attribute.id, _("Not answered"))
                cell = _cell(answer, host)
                # A screen reader reading one cell hears its column and row too.
                cell.setAccessibleDescription(_grid_place(option.title, attribute.question))
                self.grid.addWidget(cell, row, column)
            row += 1
        for title, pick in ((_("Possible benefits"), "benefits"), (_("Possible harms"), "harms")):
            self.grid.addWidget(_cell(title, host, bold=True), row, 0)
            for column, option in enumerate(aid.options, start=1):
                items = option.benefits if pick == "benefits" else option.harms
                cell = _cell("\n".join(f"• {i}" for i in items), host)
                cell.setAccessibleDescription(_grid_place(option.title, title))
                self.grid.addWidget(cell, row, column)
            row += 1
        for outcome in aid.outcomes:
            self._add_outcome_row(aid, outcome, row)
            row += 1
        for column in range(len(aid.options) + 1):
            self.grid.setColumnStretch(column, 1)
        self.grid.setRowStretch(row, 1)
        self._order_tabs()

    def _build_written_grid(self, decision: str) -> None:
        consultation = self.model.consultation
        assert consultation is not None
        written = consultation.written_options
        if not written.named_options():
            self.question.setText(ui_text(_("Write the options with the button above.")))
            return
        self.question.setText(
            ui_text(decision if decision.strip() else _("Options written in this consultation"))
        )
        self.icon_arrays = fill_written_grid(self.grid, self.grid_host, written)
        self._order_tabs()

    def _order_tabs(self) -> None:
        # Grid cells are made after the button below the grid: put Tab back in
        # reading order, row by row, option by option.
        previous: QWidget = self.scroll_area
        for row in range(self.grid.rowCount()):
            for column in range(self.grid.columnCount()):
                item = self.grid.itemAtPosition(row, column)
                cell = item.widget() if item is not None else None
                if cell is None:
                    continue
                for widget in (cell, *cell.findChildren(QWidget)):
                    if widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
                        QWidget.setTabOrder(previous, widget)
                        previous = widget
        QWidget.setTabOrder(previous, self.full_button)

    def _add_outcome_row(self, aid: DecisionAid, outcome: Outcome, row: int) -> None:
        host = self.grid_host
        heading = _("{label} ({population})").format(
            label=outcome.label, population=outcome.population
        )
        kinds = {"benefit": _("A possible benefit"), "harm": _("A possible harm")}
        heading_cell = QWidget(host)
        heading_layout = QVBoxLayout(heading_cell)
        heading_layout.setContentsMargins(0, 0, 0, 0)
        heading_layout.addWidget(_cell(heading, heading_cell, bold=True))
        heading_layout.addWidget(_cell(kinds.get(outcome.kind, outcome.kind), heading_cell))
        heading_layout.addStretch(1)
        self.grid.addWidget(heading_cell, row, 0)
        for column, option in enumerate(aid.options, start=1):
            figure = outcome.figure_for(option.id)
            cell = QWidget(host)
            cell_layout = QVBoxLayout(cell)
            cell_layout.setContentsMargins(0, 0, 0, 0)
            array = IconArray(cell)
            if figure is None:
                array.set_figure(None, 100, "", outcome.label, subject=option.title)
            else:
                array.set_figure(
                    figure.numerator,
                    figure.denominator,
                    figure.time_frame,
                    outcome.label,
                    subject=option.title,
                )
            self.icon_arrays.append(array)
            cell_layout.addWidget(array)
            compared = comparison_sentences(aid, outcome, option.id)
            if compared:
                comparison = _cell(join_sentences(*compared), cell)
                comparison.setObjectName("outcomeComparison")
                cell_layout.addWidget(comparison)
            if figure is not None and figure.numerator is not None:
                evidence = QPushButton(
                    _("Evidence: {certainty}").format(certainty=certainty_label(figure.certainty)),
                    cell,
                )
                evidence.setAccessibleName(
                    _("Evidence for {option}, {outcome}: {certainty}").format(
                        option=option.title,
                        outcome=outcome.label,
                        certainty=certainty_label(figure.certainty),
                    )
                )
                evidence.clicked.connect(
                    lambda _checked=False, f=figure, o=option.title: self._show_evidence(aid, o, f)
                )
                cell_layout.addWidget(evidence)
                if figure.certainty_reason:
                    why = _cell(
                        _("Why this certainty: {reason}").format(reason=figure.certainty_reason),
                        cell,
                    )
                    why.setObjectName("certaintyReason")
                    cell_layout.addWidget(why)
            elif figure is not None and figure.missing_reason:
                cell_layout.addWidget(_cell(figure.missing_reason, cell))
            self.grid.addWidget(cell, row, column)

    def _show_evidence(self, aid: DecisionAid, option_title: str, figure: OutcomeFigure) -> None:
        source = aid.source(figure.source_id or "")
        citation = source.citation if source else _("No source is named.")
        where = source.identifier() if source else ""
        show_message(
            self,
            QMessageBox.Icon.Information,
            _("Where this number comes from"),
            _("{option}\n{certainty}\n\nSource: {citation}\n{where}").format(
                option=option_title,
                certainty=certainty_sentence(figure),
                citation=citation,
                where=where,
            ),
        )
