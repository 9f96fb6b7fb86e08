"""Write the options on the spot, when no decision aid fits: two to four options,
each answering the same questions, with numbers if there are any.

Everything typed is saved as it is typed (``save`` is called shortly after typing
pauses, and at once when a field is left or the form closed); there is nothing to
confirm. The form says throughout that these are not a reviewed decision aid.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from sdm_app.core.decision_aid import CERTAINTIES
from sdm_app.core.written_options import (
    MAX_NUMBERS,
    MAX_OPTIONS,
    MAX_QUESTIONS,
    MIN_OPTIONS,
    WrittenNumber,
    WrittenOption,
    WrittenOptions,
    add_option,
    add_question,
    remove_option,
    remove_question,
)
from sdm_app.i18n import _
from sdm_app.services.decision_aid_page import certainty_label
from sdm_app.services.deliberation_words import written_explanation
from sdm_app.services.page_parts import ui_text
from sdm_app.ui.accessibility import HeadingLabel
from sdm_app.ui.consultation_model import DebouncedSave
from sdm_app.ui.reflow import wrap_rows_when_narrow
from sdm_app.ui.steps.base import fit_combo

# The parts of a number, in the order of the form: (field, label).
NUMBER_FIELDS = ("what", "numerator", "denominator", "time_frame", "source")


def _number_labels() -> dict[str, str]:
    return {
        "what": _("What is counted"),
        "numerator": _("How many"),
        "denominator": _("Out of how many"),
        "time_frame": _("Over what time"),
        "source": _("Where the number comes from"),
    }


def notice_label(text: str, parent: QWidget) -> QLabel:
    """A boxed notice, as the Options step shows an aid that may not fit."""
    label = QLabel(parent)
    label.setObjectName("writtenOptionsNotice")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setFrameShape(QFrame.Shape.StyledPanel)
    label.setMargin(6)
    label.setAutoFillBackground(True)
    label.setBackgroundRole(QPalette.ColorRole.AlternateBase)
    label.setText(ui_text(text))
    return label


class _NumberForm(QFrame):
    def __init__(
        self,
        dialog: WrittenOptionsDialog,
        option_number: int,
        number: WrittenNumber,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        labels = _number_labels()
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout(self)
        wrap_rows_when_narrow(form, self)
        for name in NUMBER_FIELDS:
            edit = QLineEdit(self)
            edit.setText(getattr(number, name))
            edit.setAccessibleName(
                _("Option {number}: {field}").format(number=option_number, field=labels[name])
            )
            dialog.watch(edit)
            label = QLabel(labels[name], self)
            label.setBuddy(edit)
            form.addRow(label, edit)
            self.edits[name] = edit
        self.edits["numerator"].setPlaceholderText(_("For example: 12"))
        self.edits["denominator"].setPlaceholderText(_("For example: 100"))
        self.edits["source"].setPlaceholderText(_("As you would cite it"))
        self.certainty = fit_combo(QComboBox(self))
        self.certainty.addItem(certainty_label(None), "")
        for certainty in CERTAINTIES:
            self.certainty.addItem(certainty_label(certainty), certainty)
        self.certainty.setCurrentIndex(max(self.certainty.findData(number.certainty), 0))
        self.certainty.setAccessibleName(
            _("Option {number}: how certain the number is").format(number=option_number)
        )
        self.certainty.currentIndexChanged.connect(lambda _i: dialog.save_now())
        certainty_label_ = QLabel(_("How certain"), self)
        certainty_label_.setBuddy(self.certainty)
        form.addRow(certainty_label_, self.certainty)
        self.remove = QPushButton(_("Remove this number"), self)
        self.remove.setAccessibleName(
            _("Option {number}: remove this number").format(number=option_number)
        )
        remove_row = QHBoxLayout()
        remove_row.addWidget(self.remove)
        remove_row.addStretch(1)
        form.addRow("", remove_row)

    def number(self) -> WrittenNumber:
        text = {name: self.edits[name].text() for name in NUMBER_FIELDS}
        return WrittenNumber(
            what=text["what"],
            numerator=text["numerator"],
            denominator=text["denominator"],
            time_frame=text["time_frame"],
            source=text["source"],
            certainty=str(self.certainty.currentData() or ""),
        )


class _OptionForm(QGroupBox):
    def __init__(
        self,
        dialog: WrittenOptionsDialog,
        position: int,
        option: WrittenOption,
        questions: tuple[str, ...],
    ) -> None:
        super().__init__()
        self.option_id = option.id
        number = position + 1
        self.setTitle(_("Option {number}").format(number=number))
        form = QFormLayout()
        wrap_rows_when_narrow(form, self)
        self.title_edit = QLineEdit(self)
        self.title_edit.setText(option.title)
        self.title_edit.setAccessibleName(_("Option {number}: its name").format(number=number))
        self.title_edit.setPlaceholderText(_("For example: a lower dose"))
        dialog.watch(self.title_edit)
        title_label = QLabel(_("Name of the option"), self)
        title_label.setBuddy(self.title_edit)
        form.addRow(title_label, self.title_edit)
        self.answers: list[QLineEdit] = []
        for index, question in enumerate(questions):
            edit = QLineEdit(self)
            edit.setText(option.answer(index))
            shown = question.strip() or _("Question {number}").format(number=index + 1)
            edit.setAccessibleName(
                _("Option {number}: {question}").format(number=number, question=shown)
            )
            dialog.watch(edit)
            label = QLabel(shown, self)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            label.setBuddy(edit)
            form.addRow(label, edit)
            self.answers.append(edit)
        numbers_label = QLabel(_("Numbers (optional)"), self)
        font = numbers_label.font()
        font.setBold(True)
        numbers_label.setFont(font)
        self.numbers = [_NumberForm(dialog, number, n, self) for n in option.numbers]
        self.add_number = QPushButton(_("Add a number"), self)
        self.add_number.setAccessibleName(_("Option {number}: add a number").format(number=number))
        self.add_number.setEnabled(len(self.numbers) < MAX_NUMBERS)
        self.remove = QPushButton(_("Remove this option"), self)
        self.remove.setAccessibleName(_("Remove option {number}").format(number=number))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(numbers_label)
        for form_widget in self.numbers:
            layout.addWidget(form_widget)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_number)
        buttons.addWidget(self.remove)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def option(self) -> WrittenOption:
        return WrittenOption(
            self.option_id,
            self.title_edit.text(),
            tuple(edit.text() for edit in self.answers),
            tuple(form.number() for form in self.numbers),
        )


class WrittenOptionsDialog(QDialog):
    """The form for written options; ``save`` receives every change."""

    def __init__(
        self,
        written: WrittenOptions,
        save: Callable[[WrittenOptions], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("writtenOptionsDialog")
        self.setWindowTitle(_("Write the options"))
        self._save = save
        self._written = written
        self._saver = DebouncedSave(self._save_from_fields, parent=self)
        self.heading = HeadingLabel(self)
        heading = _("Options written in this consultation")
        self.heading.setText(f"<h2>{heading}</h2>")
        self.notice = notice_label(written_explanation(), self)
        self.help = QLabel(self)
        self.help.setWordWrap(True)
        self.help.setText(
            _(
                "Write two to four options and answer the same questions for each, with "
                "their benefits and their harms. If you add a number, say where it comes from."
            )
        )
        self.body = QWidget()
        self._body = QVBoxLayout(self.body)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(self.body)
        self.scroll_area.setAccessibleName(_("The options and their answers"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.notice)
        layout.addWidget(self.help)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(self.buttons)
        self.questions_box: QGroupBox | None = None
        self.question_edits: list[QLineEdit] = []
        self.remove_question_buttons: list[QPushButton] = []
        self.add_question_button: QPushButton | None = None
        self.option_forms: list[_OptionForm] = []
        self.add_option_button: QPushButton | None = None
        self._build()
        self.resize(720, 640)

    def written_options(self) -> WrittenOptions:
        return self._written

    def watch(self, edit: QLineEdit) -> None:
        """Save ``edit``'s typing as it is typed."""
        edit.textEdited.connect(lambda _text: self._saver.touch())
        edit.editingFinished.connect(self._saver.flush)

    def save_now(self) -> None:
        self._saver.touch()
        self._saver.flush()

    def _from_fields(self) -> WrittenOptions:
        return WrittenOptions(
            tuple(edit.text() for edit in self.question_edits),
            tuple(form.option() for form in self.option_forms),
        )

    def _save_from_fields(self) -> None:
        written = self._from_fields()
        if written != self._written:
            self._written = written
            self._save(written)

    def _change(self, change: Callable[[WrittenOptions], WrittenOptions]) -> None:
        """A change of structure (a question, an option or a number added or removed):
        saved at once and the form laid out again."""
        self._saver.flush()
        self._written = self._from_fields()
        changed = change(self._written)
        if changed != self._written:
            self._written = changed
            self._save(changed)
        self._build()

    def done(self, result: int) -> None:
        self._saver.flush()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._saver.flush()
        super().closeEvent(event)

    def _build(self) -> None:
        while self._body.count():
            item = self._body.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        written = self._written
        questions = QGroupBox(_("Questions answered for every option"), self.body)
        questions_layout = QVBoxLayout(questions)
        self.question_edits = []
        self.remove_question_buttons = []
        for index, question in enumerate(written.questions):
            row = QHBoxLayout()
            edit = QLineEdit(questions)
            edit.setText(question)
            edit.setAccessibleName(_("Question {number}").format(number=index + 1))
            self.watch(edit)
            remove = QPushButton(_("Remove question"), questions)
            remove.setAccessibleName(_("Remove question {number}").format(number=index + 1))
            remove.clicked.connect(
                lambda _checked=False, i=index: self._change(lambda w: remove_question(w, i))
            )
            row.addWidget(edit, 1)
            row.addWidget(remove)
            questions_layout.addLayout(row)
            self.question_edits.append(edit)
            self.remove_question_buttons.append(remove)
        self.add_question_button = QPushButton(_("Add &question"), questions)
        self.add_question_button.setEnabled(len(written.questions) < MAX_QUESTIONS)
        self.add_question_button.clicked.connect(self._on_add_question_clicked)
        questions_layout.addWidget(self.add_question_button, 0, Qt.AlignmentFlag.AlignLeading)
        self._body.addWidget(questions)
        self.questions_box = questions
        self.option_forms = []
        for position, option in enumerate(written.options):
            form = _OptionForm(self, position, option, written.questions)
            form.setParent(self.body)
            form.remove.setEnabled(len(written.options) > MIN_OPTIONS)
            form.remove.clicked.connect(
                lambda _checked=False, o=option.id: self._on_remove_option_clicked(o)
            )
            form.add_number.clicked.connect(
                lambda _checked=False, o=option.id: self._on_add_number_clicked(o)
            )
            for number_index, number_form in enumerate(form.numbers):
                number_form.remove.clicked.connect(
                    lambda _checked=False, o=option.id, n=number_index: self._remove_number(o, n)
                )
            self._body.addWidget(form)
            self.option_forms.append(form)
        self.add_option_button = QPushButton(_("Add &option"), self.body)
        self.add_option_button.setEnabled(len(written.options) < MAX_OPTIONS)
        self.add_option_button.clicked.connect(self._on_add_option_clicked)
        self._body.addWidget(self.add_option_button, 0, Qt.AlignmentFlag.AlignLeading)
        self._body.addStretch(1)
        self._order_tabs()

    def _order_tabs(self) -> None:
        previous: QWidget = self.scroll_area
        for widget in self.body.findChildren(QWidget):
            if widget.window() is not self:  # a drop-down list's own pop-up
                continue
            if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isEnabled():
                QWidget.setTabOrder(previous, widget)
                previous = widget
        QWidget.setTabOrder(previous, self.buttons)

    def focus_first_field(self) -> None:
        first = self.option_forms[0].title_edit if self.option_forms else self.add_option_button
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_add_question_clicked(self) -> None:
        self._change(add_question)
        if self.question_edits:
            self.question_edits[-1].setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_add_option_clicked(self) -> None:
        self._change(add_option)
        if self.option_forms:
            self.option_forms[-1].title_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_remove_option_clicked(self, option_id: str) -> None:
        self._change(lambda written: remove_option(written, option_id))
        if self.add_option_button is not None:
            self.add_option_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_add_number_clicked(self, option_id: str) -> None:
        def add(written: WrittenOptions) -> WrittenOptions:
            return _with_numbers(written, option_id, lambda numbers: (*numbers, WrittenNumber()))

        self._change(add)
        form = self._form(option_id)
        if form is not None and form.numbers:
            form.numbers[-1].edits["what"].setFocus(Qt.FocusReason.OtherFocusReason)

    def _remove_number(self, option_id: str, index: int) -> None:
        def remove(written: WrittenOptions) -> WrittenOptions:
            return _with_numbers(
                written, option_id, lambda numbers: numbers[:index] + numbers[index + 1 :]
            )

        self._change(remove)
        form = self._form(option_id)
        if form is not None:
            form.add_number.setFocus(Qt.FocusReason.OtherFocusReason)

    def _form(self, option_id: str) -> _OptionForm | None:
        return next((f for f in self.option_forms if f.option_id == option_id), None)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.focus_first_field()


def _with_numbers(
    written: WrittenOptions,
    option_id: str,
    change: Callable[[tuple[WrittenNumber, ...]], tuple[WrittenNumber, ...]],
) -> WrittenOptions:
    options = tuple(
        replace(option, numbers=change(option.numbers)[:MAX_NUMBERS])
        if option.id == option_id
        else option
        for option in written.options
    )
    return replace(written, options=options)
