"""Step 5, ready to decide? The SURE test, questions, leaning and next steps."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from sdm_app.core.consultation import NOT_SURE, SURE_ITEMS
from sdm_app.core.decision_aid import DecisionAid
from sdm_app.core.questions import QUESTION_BANK
from sdm_app.core.written_options import is_written_option
from sdm_app.i18n import _
from sdm_app.services.deliberation_words import (
    considered_options,
    option_name,
    written_option_label,
)
from sdm_app.services.documents.summary import sure_questions
from sdm_app.ui.accessibility import HeadingLabel
from sdm_app.ui.consultation_model import ConsultationModel
from sdm_app.ui.controller import AppController
from sdm_app.ui.reflow import WrappingComboBox, wrap_rows_when_narrow
from sdm_app.ui.steps.base import StepPage, fit_combo, set_text_quietly, tab_to_checked
from sdm_app.ui.steps.deliberation_panels import OthersPanel, StagePanel

QUESTION_ID_ROLE = Qt.ItemDataRole.UserRole + 1
YES, NO = 1, 0


class ReadyStep(StepPage):
    def __init__(
        self, controller: AppController, model: ConsultationModel, parent: QWidget | None = None
    ) -> None:
        super().__init__(controller, model, parent)
        self.heading = HeadingLabel(self)
        self.sure_box = QGroupBox(self)
        sure_grid = QGridLayout(self.sure_box)
        self.sure_labels: dict[str, QLabel] = {}
        self.sure_groups: dict[str, QButtonGroup] = {}
        self.sure_buttons: dict[str, tuple[QRadioButton, QRadioButton]] = {}
        for row, item in enumerate(SURE_ITEMS):
            label = QLabel(self.sure_box)
            label.setWordWrap(True)
            yes, no = QRadioButton(self.sure_box), QRadioButton(self.sure_box)
            group = QButtonGroup(self.sure_box)
            group.addButton(yes, YES)
            group.addButton(no, NO)
            group.idToggled.connect(
                lambda answer, checked, item=item: self._on_sure_toggled(item, answer, checked)
            )
            group.idToggled.connect(lambda _answer, _checked, group=group: tab_to_checked(group))
            sure_grid.addWidget(label, row, 0)
            sure_grid.addWidget(yes, row, 1)
            sure_grid.addWidget(no, row, 2)
            sure_grid.setColumnStretch(0, 1)
            self.sure_labels[item], self.sure_groups[item] = label, group
            self.sure_buttons[item] = (yes, no)
        self.sure_result = QLabel(self.sure_box)
        self.sure_result.setWordWrap(True)
        sure_grid.addWidget(self.sure_result, len(SURE_ITEMS), 0, 1, 3)

        self.questions_box = QGroupBox(self)
        self.bank = QListWidget(self.questions_box)
        self.bank.setObjectName("questionBank")
        self.own_label = QLabel(self.questions_box)
        self.own_edit = QLineEdit(self.questions_box)
        self.own_label.setBuddy(self.own_edit)
        self.add_question = QPushButton(self.questions_box)
        self.own_list = QListWidget(self.questions_box)
        self.own_list.setObjectName("ownQuestions")
        self.remove_question = QPushButton(self.questions_box)
        own_row = QHBoxLayout()
        own_row.addWidget(self.own_edit, 1)
        own_row.addWidget(self.add_question)
        questions_layout = QVBoxLayout(self.questions_box)
        questions_layout.addWidget(self.bank, 2)
        questions_layout.addWidget(self.own_label)
        questions_layout.addLayout(own_row)
        questions_layout.addWidget(self.own_list, 1)
        questions_layout.addWidget(self.remove_question, 0, Qt.AlignmentFlag.AlignLeading)

        # The Ottawa guide: how far along the decision is, and who else is involved.
        self.stage = StagePanel(model, self)
        self.leaning_label = QLabel(self)
        self.leaning = fit_combo(WrappingComboBox(self))  # a long option's title wraps
        self.leaning.setObjectName("leaningCombo")
        self.leaning_label.setBuddy(self.leaning)
        self.next_label = QLabel(self)
        self.next_steps = QPlainTextEdit(self)
        self.next_steps.setTabChangesFocus(True)
        self.next_label.setBuddy(self.next_steps)
        self.involve_label = QLabel(self)
        self.involve = QLineEdit(self)
        self.involve_label.setBuddy(self.involve)
        self.others = OthersPanel(model, self)
        self.others.follow(self.involve)
        form = QFormLayout()
        form.addRow(self.leaning_label, self.leaning)
        form.addRow(self.next_label, self.next_steps)
        form.addRow(self.involve_label, self.involve)

        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.addWidget(self.sure_box)
        body_layout.addWidget(self.questions_box)
        body_layout.addWidget(self.stage)
        body_layout.addLayout(form)
        body_layout.addWidget(self.others)
        wrap_rows_when_narrow(form, body)
        self.scroll_area = scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(scroll, 1)

        self.bank.itemChanged.connect(self._on_bank_item_changed)
        self.add_question.clicked.connect(self._on_add_question_clicked)
        self.own_edit.returnPressed.connect(self._on_add_question_clicked)
        self.remove_question.clicked.connect(self._on_remove_question_clicked)
        self.leaning.currentIndexChanged.connect(self._on_leaning_changed)
        self._shown_id: int | None = None
        self.bind_text(self.next_steps, lambda text: model.update(next_steps=text))
        self.bind_line(self.involve, lambda text: model.update(involve=text))
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.bank.clear()  # rebuilt in the new language by refresh()
        heading = _("Ready to decide?")
        self.heading.setText(f"<h2>{heading}</h2>")
        self.sure_box.setTitle(_("The SURE test"))
        self.scroll_area.setAccessibleName(_("Ready to decide?"))
        for item, text in sure_questions().items():
            self.sure_labels[item].setText(text)
            yes, no = self.sure_buttons[item]
            yes.setText(_("Yes"))
            no.setText(_("No"))
            yes.setAccessibleName(_("{question} Yes").format(question=text))
            no.setAccessibleName(_("{question} No").format(question=text))
        self.questions_box.setTitle(_("Questions for your care team"))
        self.bank.setAccessibleName(_("Question bank: tick the questions to ask"))
        self.own_label.setText(_("Your own &question"))
        self.own_edit.setAccessibleName(_("Your own question"))
        self.add_question.setText(_("A&dd"))
        self.own_list.setAccessibleName(_("Your own questions"))
        self.remove_question.setText(_("Re&move question"))
        self.leaning_label.setText(_("The option you &lean toward"))
        self.leaning.setAccessibleName(_("The option you lean toward"))
        self.next_label.setText(_("&Next steps"))
        self.next_steps.setAccessibleName(_("Next steps"))
        self.involve_label.setText(_("Who else to &involve"))
        self.involve.setAccessibleName(_("Who else to involve"))
        self.stage.retranslate_ui()
        self.others.retranslate_ui()
        self.refresh()

    def refresh(self) -> None:
        consultation = self.model.consultation
        opened = consultation.id if consultation else None
        if opened != self._shown_id:
            # Another consultation: a half-typed question belongs to the previous one.
            self._shown_id = opened
            self.own_edit.clear()
        sure = consultation.sure if consultation else {}
        for item, group in self.sure_groups.items():
            with QSignalBlocker(group):
                yes, no = self.sure_buttons[item]
                group.setExclusive(False)
                yes.setChecked(sure.get(item) is True)
                no.setChecked(sure.get(item) is False)
                group.setExclusive(True)
            tab_to_checked(group)
        self._show_score()
        self._fill_bank()
        with QSignalBlocker(self.own_list):
            self.own_list.clear()
            for question in consultation.own_questions if consultation else ():
                self.own_list.addItem(QListWidgetItem(question))
        self._fill_leaning()
        set_text_quietly(self.next_steps, consultation.next_steps if consultation else "")
        set_text_quietly(self.involve, consultation.involve if consultation else "")
        self.stage.refresh(consultation)
        self.others.show_options(
            considered_options(consultation, self._leaning_aid()) if consultation else []
        )

    def flush(self) -> None:
        super().flush()
        self.others.flush()

    def _leaning_aid(self) -> DecisionAid | None:
        consultation = self.model.consultation
        aid_id = consultation.decision_aid_id if consultation else ""
        if not aid_id or (consultation is not None and consultation.uses_written_options):
            return None
        return self.controller.library.decision_aid(aid_id, self.controller.content_locale())

    def _show_score(self) -> None:
        consultation = self.model.consultation
        score = consultation.sure_score() if consultation else None
        if score is None:
            self.sure_result.setText(_("Answer all four questions to see the result."))
        elif score < len(SURE_ITEMS):
            self.sure_result.setText(
                _(
                    "Score {score} out of 4. A score under 4 can mean you are not ready to "
                    "decide yet. Talk with your care team about what is unclear."
                ).format(score=score)
            )
        else:
            self.sure_result.setText(
                _("Score 4 out of 4: you feel ready to take part in this decision.")
            )

    def _fill_bank(self) -> None:
        consultation = self.model.consultation
        chosen = set(consultation.bank_questions) if consultation else set()
        if self.bank.count():
            # Only the ticks change: keep the reader's place in the list.
            with QSignalBlocker(self.bank):
                for row in range(self.bank.count()):
                    item = self.bank.item(row)
                    question_id = item.data(QUESTION_ID_ROLE)
                    if question_id:
                        ticked = question_id in chosen
                        state = Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
                        item.setCheckState(state)
            return
        self._build_bank(chosen)

    def _build_bank(self, chosen: set[str]) -> None:
        with QSignalBlocker(self.bank):
            self.bank.clear()
            topic = None
            for question in QUESTION_BANK:
                if question.topic != topic:
                    topic = question.topic
                    header = QListWidgetItem(_(topic))
                    header.setFlags(Qt.ItemFlag.ItemIsEnabled)  # a heading: not ticked
                    font = header.font()
                    font.setBold(True)
                    header.setFont(font)
                    self.bank.addItem(header)
                item = QListWidgetItem(_(question.text))
                item.setData(QUESTION_ID_ROLE, question.id)
                item.setFlags(
                    Qt.ItemFlag.ItemIsEnabled
                    | Qt.ItemFlag.ItemIsSelectable
                    | Qt.ItemFlag.ItemIsUserCheckable
                )
                checked = question.id in chosen
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
                self.bank.addItem(item)

    def _fill_leaning(self) -> None:
        consultation = self.model.consultation
        aid = self._leaning_aid()
        with QSignalBlocker(self.leaning):
            self.leaning.clear()
            self.leaning.addItem(_("Not asked yet"), "")
            self.leaning.addItem(_("Not sure yet"), NOT_SURE)
            for option in considered_options(consultation, aid) if consultation else ():
                title = written_option_label(option.title) if option.written else option.title
                self.leaning.addItem(title, option.id)
            current = consultation.leaning if consultation else ""
            index = self.leaning.findData(current)
            if index < 0 and current:  # an option no longer shown
                self.leaning.addItem(
                    option_name(current, consultation, aid)
                    if consultation is not None and is_written_option(current)
                    else _("An option of another decision aid"),
                    current,
                )
                index = self.leaning.count() - 1
            self.leaning.setCurrentIndex(max(index, 0))

    def _on_sure_toggled(self, item: str, answer: int, checked: bool) -> None:
        consultation = self.model.consultation
        if not checked or consultation is None:
            return
        sure = dict(consultation.sure)
        sure[item] = answer == YES
        self.model.update(sure=sure)

    def _on_bank_item_changed(self, item: QListWidgetItem) -> None:
        consultation = self.model.consultation
        question_id = item.data(QUESTION_ID_ROLE)
        if consultation is None or not question_id:
            return
        chosen = [q for q in consultation.bank_questions if q != question_id]
        if item.checkState() == Qt.CheckState.Checked:
            chosen.append(str(question_id))
        self.model.update(bank_questions=tuple(chosen))

    def _on_add_question_clicked(self) -> None:
        consultation = self.model.consultation
        text = self.own_edit.text().strip()
        if consultation is None or not text:
            return
        self.model.update(own_questions=(*consultation.own_questions, text))
        self.own_edit.clear()
        self.own_edit.setFocus()

    def _on_remove_question_clicked(self) -> None:
        consultation = self.model.consultation
        row = self.own_list.currentRow()
        if consultation is None or row < 0:
            return
        questions = list(consultation.own_questions)
        del questions[row]
        self.model.update(own_questions=tuple(questions))

    def _on_leaning_changed(self, index: int) -> None:
        self.model.update(leaning=str(self.leaning.itemData(index) or ""))
