"""The Ottawa Personal Decision Guide's deliberation, as parts of the consultation's
steps: the patient's reasons for and against each option with how much each
matters (What matters to you), the decision stage and the others involved (Ready to
decide?).

Each panel is rebuilt only when what it lists changes (an option, a reason or a
person added or removed); a typed word or a rating only updates the value, so the
keyboard stays where it is. Every answer is saved as it is given.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from sdm_app.core.consultation import NOT_SURE, Consultation
from sdm_app.core.deliberation import (
    DECISION_STAGES,
    MAX_IMPORTANCE,
    OtherPerson,
    Reason,
    ReasonSide,
    parse_stage,
    reasons_for,
)
from sdm_app.i18n import _
from sdm_app.services.deliberation_words import (
    ConsideredOption,
    importance_labels,
    option_name,
    stage_labels,
    stage_question,
    written_option_label,
)
from sdm_app.ui.accessibility import HeadingLabel
from sdm_app.ui.consultation_model import ConsultationModel, DebouncedSave
from sdm_app.ui.flow_layout import FlowRow, flow_policy
from sdm_app.ui.reflow import WrappingComboBox, wrap_rows_when_narrow
from sdm_app.ui.steps.base import fit_combo, set_text_quietly, tab_to_checked

YES, NO = 1, 0


def _clear(layout: QVBoxLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            # Off screen at once: deleteLater alone leaves it drawn until then.
            widget.hide()
            widget.setParent(None)
            widget.deleteLater()


def _wrapped(text: str, parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setText(text)
    return label


def option_title(option: ConsideredOption) -> str:
    return written_option_label(option.title) if option.written else option.title


def stars(importance: int) -> str:
    """A rating drawn as stars; 0 as a digit (no star)."""
    return "★" * importance if importance else "0"


def _chain(previous: QWidget, widgets: list[QWidget]) -> QWidget:
    """Put ``widgets`` after ``previous`` in Tab order; the last of them."""
    for widget in widgets:
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus or isinstance(widget, QRadioButton):
            QWidget.setTabOrder(previous, widget)
            previous = widget
    return previous


class _ReasonRow(QFrame):
    def __init__(
        self,
        panel: ReasonsPanel,
        index: int,
        reason: Reason,
        option: str,
        number: int,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.index = index
        for_it = reason.side is ReasonSide.FOR
        # Named by option, side and number: each row's controls have names of their own.
        which = (
            _("{option}, reason {number} to choose it")
            if for_it
            else _("{option}, reason {number} to avoid it")
        ).format(option=option, number=number)
        self.edit = QLineEdit(self)
        self.edit.setText(reason.text)
        self.edit.setAccessibleName(which)
        self.edit.setPlaceholderText(_("In the patient's own words"))
        choices = QWidget(self)
        row = FlowRow(choices)
        flow_policy(choices)
        self.group = QButtonGroup(choices)
        row.addWidget(QLabel(_("How much it matters:"), choices))
        words = importance_labels()
        for level in range(MAX_IMPORTANCE + 1):
            button = QRadioButton(stars(level), choices)
            button.setToolTip(words[level])
            button.setAccessibleName(
                _("{reason}: matters {stars} of {most} stars, {words}").format(
                    reason=which, stars=level, most=MAX_IMPORTANCE, words=words[level]
                )
            )
            self.group.addButton(button, level)
            row.addWidget(button)
        self.remove = QPushButton(_("Remove reason"), self)
        self.remove.setAccessibleName(_("Remove {reason}").format(reason=which))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        top = QHBoxLayout()
        top.addWidget(self.edit, 1)
        top.addWidget(self.remove)
        layout.addLayout(top)
        layout.addWidget(choices)
        self.saver = DebouncedSave(
            lambda: panel.save_text(self.index, self.edit.text()), parent=self
        )
        self.edit.textEdited.connect(lambda _text: self.saver.touch())
        self.edit.editingFinished.connect(self.saver.flush)
        self.group.idToggled.connect(self._on_rating_toggled)
        self.remove.clicked.connect(lambda: panel.remove_reason(self.index))
        self._panel = panel
        self.show_reason(reason)

    def show_reason(self, reason: Reason) -> None:
        if not self.edit.hasFocus():
            set_text_quietly(self.edit, reason.text)
        with QSignalBlocker(self.group):
            for button in self.group.buttons():
                button.setChecked(self.group.id(button) == reason.importance)
        tab_to_checked(self.group)

    def widgets(self) -> list[QWidget]:
        return [self.edit, *self.group.buttons(), self.remove]

    def _on_rating_toggled(self, level: int, checked: bool) -> None:
        tab_to_checked(self.group)
        if checked:
            self._panel.save_importance(self.index, level)


class ReasonsPanel(QWidget):
    """For each option, the patient's reasons to choose it and to avoid it, each with
    how much it matters (0 to 5 stars). Never added up or compared."""

    def __init__(self, model: ConsultationModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reasonsPanel")
        self.model = model
        self.heading = HeadingLabel(self)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.body = QWidget(self)
        self._body = QVBoxLayout(self.body)
        self._body.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addWidget(self.body)
        self._key: object = None
        self._options: list[ConsideredOption] = []
        self.rows: dict[int, _ReasonRow] = {}  # position in consultation.reasons -> its row
        self.add_buttons: dict[tuple[str, ReasonSide], QPushButton] = {}
        self._anchor: QWidget | None = None
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        heading = _("Your reasons for and against each option")
        self.heading.setText(f"<h3>{heading}</h3>")
        self.intro.setText(
            _(
                "For each option, write down what makes you want it and what makes you "
                "want to avoid it. Then say how much each reason matters to you, from 0 "
                "(not at all) to 5 stars (a lot)."
            )
        )
        self._key = None  # rebuilt in the new language

    def follow(self, anchor: QWidget) -> None:
        """Tab reaches this panel's controls after ``anchor``."""
        self._anchor = anchor

    def flush(self) -> None:
        for row in list(self.rows.values()):
            row.saver.flush()

    def show_options(self, options: list[ConsideredOption]) -> None:
        self.flush()
        consultation = self.model.consultation
        reasons = consultation.reasons if consultation else ()
        key = (
            tuple(options),
            tuple((r.option_id, r.side) for r in reasons),
            consultation.id if consultation else None,
        )
        if key != self._key:
            self._key = key
            self._options = list(options)
            self._build(reasons)
            return
        for index, row in self.rows.items():
            if index < len(reasons):
                row.show_reason(reasons[index])

    def _build(self, reasons: tuple[Reason, ...]) -> None:
        _clear(self._body)
        self.rows = {}
        self.add_buttons = {}
        widgets: list[QWidget] = []
        if not self._options:
            self._body.addWidget(
                _wrapped(
                    _("Choose a decision aid or write the options in the Options step first."),
                    self.body,
                )
            )
            return
        for option in self._options:
            title = option_title(option)
            box = QGroupBox(self.body)
            box.setTitle(title.replace("&", "&&"))
            box_layout = QVBoxLayout(box)
            for side in (ReasonSide.FOR, ReasonSide.AGAINST):
                lead = (
                    _("Reasons to choose this option")
                    if side is ReasonSide.FOR
                    else _("Reasons to avoid this option")
                )
                label = _wrapped(lead, box)
                font = label.font()
                font.setBold(True)
                label.setFont(font)
                box_layout.addWidget(label)
                for number, (index, reason) in enumerate(
                    reasons_for(reasons, option.id, side), start=1
                ):
                    row = _ReasonRow(self, index, reason, option.title, number, box)
                    self.rows[index] = row
                    box_layout.addWidget(row)
                    widgets += row.widgets()
                add = QPushButton(box)
                if side is ReasonSide.FOR:
                    add.setText(_("Add a reason to choose it"))
                    add.setAccessibleName(
                        _("Add a reason to choose {option}").format(option=option.title)
                    )
                else:
                    add.setText(_("Add a reason to avoid it"))
                    add.setAccessibleName(
                        _("Add a reason to avoid {option}").format(option=option.title)
                    )
                add.clicked.connect(
                    lambda _checked=False, o=option.id, s=side: self.add_reason(o, s)
                )
                box_layout.addWidget(add, 0, Qt.AlignmentFlag.AlignLeading)
                self.add_buttons[(option.id, side)] = add
                widgets.append(add)
            self._body.addWidget(box)
        if self._anchor is not None:
            _chain(self._anchor, widgets)

    def _reasons(self) -> tuple[Reason, ...]:
        consultation = self.model.consultation
        return consultation.reasons if consultation else ()

    def add_reason(self, option_id: str, side: ReasonSide) -> None:
        if self.model.consultation is None:
            return
        self.flush()
        reasons = (*self._reasons(), Reason(option_id, side))
        self.model.update(reasons=reasons)
        row = self.rows.get(len(reasons) - 1)
        if row is not None:
            row.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def remove_reason(self, index: int) -> None:
        reasons = list(self._reasons())
        if not 0 <= index < len(reasons):
            return
        row = self.rows.get(index)
        if row is not None:
            row.saver.flush()
            reasons = list(self._reasons())
        removed = reasons.pop(index)
        self.model.update(reasons=tuple(reasons))
        button = self.add_buttons.get((removed.option_id, removed.side))
        if button is not None:
            button.setFocus(Qt.FocusReason.OtherFocusReason)

    def save_text(self, index: int, text: str) -> None:
        self._change(index, lambda reason: replace(reason, text=text))

    def save_importance(self, index: int, importance: int) -> None:
        self._change(index, lambda reason: replace(reason, importance=importance))

    def _change(self, index: int, change: Callable[[Reason], Reason]) -> None:
        reasons = list(self._reasons())
        if not 0 <= index < len(reasons):
            return
        changed = change(reasons[index])
        if changed != reasons[index]:
            reasons[index] = changed
            self.model.update(reasons=tuple(reasons))


class StagePanel(QGroupBox):
    """The Ottawa guide's "Where are you with making a choice?"."""

    def __init__(self, model: ConsultationModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("decisionStage")
        self.model = model
        self.group = QButtonGroup(self)
        layout = QVBoxLayout(self)
        self.buttons: dict[str, QRadioButton] = {}
        for number, stage in enumerate(DECISION_STAGES):
            button = QRadioButton(self)
            self.group.addButton(button, number)
            self.buttons[stage.value] = button
            layout.addWidget(button)
        self.group.idToggled.connect(self._on_toggled)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setTitle(stage_question())
        labels = stage_labels()
        for stage in DECISION_STAGES:
            self.buttons[stage.value].setText(labels[stage])

    def radio_buttons(self) -> list[QRadioButton]:
        return list(self.buttons.values())

    def refresh(self, consultation: Consultation | None) -> None:
        stage = parse_stage(consultation.decision_stage) if consultation else None
        with QSignalBlocker(self.group):
            self.group.setExclusive(False)
            for value, button in self.buttons.items():
                button.setChecked(stage is not None and stage.value == value)
            self.group.setExclusive(True)
        tab_to_checked(self.group)

    def _on_toggled(self, number: int, checked: bool) -> None:
        tab_to_checked(self.group)
        if checked and self.model.consultation is not None:
            self.model.update(decision_stage=DECISION_STAGES[number].value)


class _PersonRow(QFrame):
    def __init__(self, panel: OthersPanel, index: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.index = index
        self.setFrameShape(QFrame.Shape.StyledPanel)
        number = index + 1
        self.role = QLineEdit(self)
        self.role.setAccessibleName(_("Person {number}: who they are").format(number=number))
        self.role.setPlaceholderText(_("For example: my daughter, my family doctor"))
        self.preferred = fit_combo(WrappingComboBox(self))  # a long title wraps
        self.preferred.setAccessibleName(
            _("Person {number}: the option they prefer").format(number=number)
        )
        pressure = QWidget(self)
        pressure_row = QHBoxLayout(pressure)
        pressure_row.setContentsMargins(0, 0, 0, 0)
        self.yes = QRadioButton(_("Yes"), pressure)
        self.no = QRadioButton(_("No"), pressure)
        self.yes.setAccessibleName(
            _("Person {number}: does it feel like pressure? Yes").format(number=number)
        )
        self.no.setAccessibleName(
            _("Person {number}: does it feel like pressure? No").format(number=number)
        )
        self.group = QButtonGroup(pressure)
        self.group.addButton(self.yes, YES)
        self.group.addButton(self.no, NO)
        pressure_row.addWidget(self.yes)
        pressure_row.addWidget(self.no)
        pressure_row.addStretch(1)
        self.remove = QPushButton(_("Remove person"), self)
        self.remove.setAccessibleName(_("Remove person {number}").format(number=number))
        form = QFormLayout(self)
        wrap_rows_when_narrow(form, self)
        role_label = QLabel(_("Who is it?"), self)
        role_label.setBuddy(self.role)
        preferred_label = QLabel(_("Which option do they prefer?"), self)
        preferred_label.setBuddy(self.preferred)
        form.addRow(role_label, self.role)
        form.addRow(preferred_label, self.preferred)
        form.addRow(_wrapped(_("Does it feel like pressure from them?"), self), pressure)
        remove_row = QHBoxLayout()
        remove_row.addWidget(self.remove)
        remove_row.addStretch(1)
        form.addRow(remove_row)  # the whole width: its words are never cut
        self.saver = DebouncedSave(
            lambda: panel.save_role(self.index, self.role.text()), parent=self
        )
        self.role.textEdited.connect(lambda _text: self.saver.touch())
        self.role.editingFinished.connect(self.saver.flush)
        self.preferred.currentIndexChanged.connect(
            lambda i: panel.save_preferred(self.index, str(self.preferred.itemData(i) or ""))
        )
        self.group.idToggled.connect(self._on_pressure_toggled)
        self.remove.clicked.connect(lambda: panel.remove_person(self.index))
        self._panel = panel

    def show_person(
        self, person: OtherPerson, options: list[ConsideredOption], unknown: str
    ) -> None:
        # Each choice says whose it is: a screen reader on Linux names a drop-down list
        # by its text, and two people (or the leaning) may prefer the same option.
        who = person.role.strip() or _("Person {number}").format(number=self.index + 1)
        choices = [
            ("", _("{person}: not known").format(person=who)),
            (NOT_SURE, _("{person}: not sure yet").format(person=who)),
        ] + [
            (
                option.id,
                _("{person} prefers: {option}").format(person=who, option=option_title(option)),
            )
            for option in options
        ]
        if not self.role.hasFocus():
            set_text_quietly(self.role, person.role)
        with QSignalBlocker(self.preferred):
            if [
                (self.preferred.itemData(i), self.preferred.itemText(i))
                for i in range(self.preferred.count())
            ] != choices:
                self.preferred.clear()
                for data, text in choices:
                    self.preferred.addItem(text, data)
            index = self.preferred.findData(person.preferred)
            if index < 0:  # an option no longer offered: said, not lost
                self.preferred.addItem(
                    _("{person} prefers: {option}").format(person=who, option=unknown),
                    person.preferred,
                )
                index = self.preferred.count() - 1
            self.preferred.setCurrentIndex(index)
        with QSignalBlocker(self.group):
            self.group.setExclusive(False)
            self.yes.setChecked(person.pressure is True)
            self.no.setChecked(person.pressure is False)
            self.group.setExclusive(True)
        tab_to_checked(self.group)

    def widgets(self) -> list[QWidget]:
        return [self.role, self.preferred, self.yes, self.no, self.remove]

    def _on_pressure_toggled(self, answer: int, checked: bool) -> None:
        tab_to_checked(self.group)
        if checked:
            self._panel.save_pressure(self.index, answer == YES)


class OthersPanel(QGroupBox):
    """Others involved in the decision: who, which option they prefer, and whether
    that feels like pressure (the Ottawa guide's "Support")."""

    def __init__(self, model: ConsultationModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("othersInvolved")
        self.model = model
        self.rows: list[_PersonRow] = []
        self.rows_host = QWidget(self)
        self._rows = QVBoxLayout(self.rows_host)
        self._rows.setContentsMargins(0, 0, 0, 0)
        self.add_button = QPushButton(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.rows_host)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeading)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self._key: object = None
        self._anchor: QWidget | None = None
        self._options: list[ConsideredOption] = []
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setTitle(_("Others involved in the decision"))
        self.add_button.setText(_("Add some&body"))
        self._key = None

    def follow(self, anchor: QWidget) -> None:
        self._anchor = anchor

    def flush(self) -> None:
        for row in list(self.rows):
            row.saver.flush()

    def _others(self) -> tuple[OtherPerson, ...]:
        consultation = self.model.consultation
        return consultation.others if consultation else ()

    def show_options(self, options: list[ConsideredOption]) -> None:
        self.flush()
        consultation = self.model.consultation
        others = self._others()
        self._options = list(options)
        key = (len(others), consultation.id if consultation else None)
        if key != self._key:
            self._key = key
            self._build(len(others))
        for row, person in zip(self.rows, others, strict=False):
            unknown = (
                option_name(person.preferred, consultation, None)
                if consultation is not None
                else ""
            )
            row.show_person(person, self._options, unknown)

    def _build(self, count: int) -> None:
        _clear(self._rows)
        self.rows = [_PersonRow(self, index, self.rows_host) for index in range(count)]
        widgets: list[QWidget] = []
        for row in self.rows:
            self._rows.addWidget(row)
            widgets += row.widgets()
        widgets.append(self.add_button)
        if self._anchor is not None:
            _chain(self._anchor, widgets)

    def _on_add_button_clicked(self) -> None:
        if self.model.consultation is None:
            return
        self.flush()
        self.model.update(others=(*self._others(), OtherPerson()))
        if self.rows:
            self.rows[-1].role.setFocus(Qt.FocusReason.OtherFocusReason)

    def remove_person(self, index: int) -> None:
        self.flush()
        others = list(self._others())
        if 0 <= index < len(others):
            del others[index]
            self.model.update(others=tuple(others))
        self.add_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def save_role(self, index: int, text: str) -> None:
        self._change(index, lambda person: replace(person, role=text))

    def save_preferred(self, index: int, option_id: str) -> None:
        self._change(index, lambda person: replace(person, preferred=option_id))

    def save_pressure(self, index: int, pressure: bool) -> None:
        self._change(index, lambda person: replace(person, pressure=pressure))

    def _change(self, index: int, change: Callable[[OtherPerson], OtherPerson]) -> None:
        others = list(self._others())
        if not 0 <= index < len(others):
            return
        changed = change(others[index])
        if changed != others[index]:
            others[index] = changed
            self.model.update(others=tuple(others))
