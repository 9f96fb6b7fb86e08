"""Step 4, what matters: rate each consideration, then see how options relate.

The view lists every option for each highly rated consideration, in the authors'
order: it never ranks, scores or recommends an option.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QLabel,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from sdm_app.core.decision_aid import DecisionAid
from sdm_app.core.deliberation import ReasonSide
from sdm_app.i18n import _
from sdm_app.services.deliberation_words import considered_options, written_option_label
from sdm_app.ui.accessibility import HeadingLabel
from sdm_app.ui.consultation_model import ConsultationModel
from sdm_app.ui.controller import AppController
from sdm_app.ui.flow_layout import FlowRow, flow_policy
from sdm_app.ui.safe_browser import SafeTextBrowser
from sdm_app.ui.steps.base import StepPage, tab_to_checked
from sdm_app.ui.steps.deliberation_panels import ReasonsPanel

SCALE = (0, 1, 2, 3, 4)
HIGH = 3  # ratings from here up count as "matters a lot"
HIGH_REASON = 4  # a reason's stars (0..5) from here up count as "matters a lot"


def scale_labels() -> tuple[str, ...]:
    return (
        _("Not at all"),
        _("A little"),
        _("Somewhat"),
        _("A lot"),
        _("Very much"),
    )


class ValuesStep(StepPage):
    def __init__(
        self, controller: AppController, model: ConsultationModel, parent: QWidget | None = None
    ) -> None:
        super().__init__(controller, model, parent)
        self.heading = HeadingLabel(self)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.rows_host = QWidget()
        self.rows = QGridLayout(self.rows_host)
        self.scroll_area = scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.rows_host)
        self.relations = SafeTextBrowser(self)
        self.relations.setObjectName("valuesRelations")
        # The Ottawa guide's reasons for and against each option, after the ratings.
        self.reasons = ReasonsPanel(model)
        self.reasons.follow(self.relations)
        self.reasons_scroll = QScrollArea(self)
        self.reasons_scroll.setObjectName("reasonsScrollArea")
        self.reasons_scroll.setWidgetResizable(True)
        self.reasons_scroll.setWidget(self.reasons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addWidget(scroll, 3)
        layout.addWidget(self.relations, 2)
        layout.addWidget(self.reasons_scroll, 3)
        self._groups: dict[str, QButtonGroup] = {}
        self._aid: DecisionAid | None = None
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        heading = _("What matters to you")
        self.heading.setText(f"<h2>{heading}</h2>")
        self._show_intro()
        self.relations.setAccessibleName(_("How the options relate to what matters to you"))
        self.scroll_area.setAccessibleName(_("What matters to you"))
        self.reasons_scroll.setAccessibleName(_("Your reasons for and against each option"))
        self.reasons.retranslate_ui()
        self.refresh()

    def _show_intro(self) -> None:
        consultation = self.model.consultation
        written = consultation is not None and consultation.uses_written_options
        # Written options come with no list of values: their reasons take the room.
        self.scroll_area.setVisible(not written)
        if written:
            self.intro.setText(
                _(
                    "Options written in this consultation have no list of things that may "
                    "matter. Write your reasons for and against each option below."
                )
            )
        else:
            self.intro.setText(
                _("How much does each of these matter to you? There are no right or wrong answers.")
            )

    def refresh(self) -> None:
        self._show_intro()
        consultation = self.model.consultation
        aid_id = consultation.decision_aid_id if consultation else ""
        locale = self.controller.content_locale()
        aid = self.controller.library.decision_aid(aid_id, locale) if aid_id else None
        if aid != self._aid or not self._groups:
            self._aid = aid
            self._build_rows()
        ratings = consultation.value_ratings if consultation else {}
        for value_id, group in self._groups.items():
            with QSignalBlocker(group):
                rating = ratings.get(value_id)
                for button in group.buttons():
                    button.setChecked(group.id(button) == rating)
            tab_to_checked(group)
        self._show_relations()
        self.reasons.show_options(
            considered_options(consultation, aid) if consultation is not None else []
        )

    def flush(self) -> None:
        super().flush()
        self.reasons.flush()

    def _build_rows(self) -> None:
        while self.rows.count():
            item = self.rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                # Off screen at once: deleteLater alone leaves it drawn until then.
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        self._groups = {}
        if self._aid is None:
            note = QLabel(_("Choose a decision aid in the Options step first."), self.rows_host)
            note.setWordWrap(True)
            self.rows.addWidget(note, 0, 0)
            return
        labels = scale_labels()
        for row, value in enumerate(self._aid.values):
            statement = QLabel(self.rows_host)
            statement.setTextFormat(Qt.TextFormat.PlainText)
            statement.setWordWrap(True)
            statement.setText(value.statement)
            choices = QWidget(self.rows_host)
            choices_layout = FlowRow(choices)
            flow_policy(choices)
            group = QButtonGroup(choices)
            for level in SCALE:
                button = QRadioButton(labels[level], choices)
                button.setAccessibleName(
                    _("{statement}: {level}").format(statement=value.statement, level=labels[level])
                )
                group.addButton(button, level)
                choices_layout.addWidget(button)
            choices_layout.addStretch(1)
            group.idToggled.connect(
                lambda level, checked, value_id=value.id: self._on_rating_toggled(
                    value_id, level, checked
                )
            )
            group.idToggled.connect(lambda _level, _checked, group=group: tab_to_checked(group))
            self._groups[value.id] = group
            # The statement above its choices: both get the full width to wrap in.
            self.rows.addWidget(statement, 2 * row, 0)
            self.rows.addWidget(choices, 2 * row + 1, 0)
        self.rows.setRowStretch(2 * len(self._aid.values), 1)
        # Rows are made after the view below them: put Tab back in reading order.
        previous: QWidget = self.scroll_area
        for group in self._groups.values():
            for choice in group.buttons():
                QWidget.setTabOrder(previous, choice)
                previous = choice
        QWidget.setTabOrder(previous, self.relations)

    def _on_rating_toggled(self, value_id: str, level: int, checked: bool) -> None:
        consultation = self.model.consultation
        if not checked or consultation is None:
            return
        ratings = dict(consultation.value_ratings)
        ratings[value_id] = level
        self.model.update(value_ratings=ratings)

    def _show_relations(self) -> None:
        aid = self._aid
        consultation = self.model.consultation
        if aid is None and consultation is not None and consultation.uses_written_options:
            self._show_written_relations()
            return
        if aid is None or consultation is None:
            self.relations.setPlainText("")
            return
        rated = [v for v in aid.values if consultation.value_ratings.get(v.id, -1) >= HIGH]
        heading = _("How the options relate to what matters most to you")
        parts = [f"<h3>{escape(heading)}</h3>"]
        if not rated:
            hint = _("Rate what matters to you above; the things that matter a lot appear here.")
            parts.append(f"<p>{escape(hint)}</p>")
        for value in rated:
            parts.append(f"<p><b>{escape(value.statement)}</b></p><ul>")
            for option in aid.options:
                relation = value.relates_to.get(option.id, _("Not described."))
                parts.append(f"<li><b>{escape(option.title)}</b>: {escape(relation)}</li>")
            parts.append("</ul>")
        note = _("This view does not rank the options. Talk it over with your care team.")
        parts.append(f"<p><i>{escape(note)}</i></p>")
        self.relations.setHtml("".join(parts))

    def _show_written_relations(self) -> None:
        """For written options: the patient's own reasons that matter most (4 or 5
        stars), option by option, in the order the options were written."""
        consultation = self.model.consultation
        assert consultation is not None
        heading = _("The reasons that matter most to you")
        parts = [f"<h3>{escape(heading)}</h3>"]
        found = False
        for option in consultation.written_options.named_options():
            lines = []
            for reason in consultation.reasons:
                if reason.option_id != option.id or not reason.text.strip():
                    continue
                if (reason.importance or 0) < HIGH_REASON:
                    continue
                side = (
                    _("For: {reason}") if reason.side is ReasonSide.FOR else _("Against: {reason}")
                ).format(reason=reason.text)
                lines.append(f"<li>{escape(side)}</li>")
            if lines:
                found = True
                title = written_option_label(option.title)
                parts.append(f"<p><b>{escape(title)}</b></p><ul>{''.join(lines)}</ul>")
        if not found:
            hint = _("Rate your reasons below; those that matter a lot appear here.")
            parts.append(f"<p>{escape(hint)}</p>")
        note = _("This view does not rank the options. Talk it over with your care team.")
        parts.append(f"<p><i>{escape(note)}</i></p>")
        self.relations.setHtml("".join(parts))
