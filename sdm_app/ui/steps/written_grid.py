"""Options written in the consultation, laid out in the Options step's grid as a
decision aid's are: options as columns, the questions as rows, then each number as
a row with its icon array, said as typed with the source as typed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from sdm_app.core.written_options import WrittenOptions
from sdm_app.i18n import _
from sdm_app.services.deliberation_words import (
    group_numbers,
    written_number_sentence,
    written_option_label,
)
from sdm_app.services.page_parts import ui_text
from sdm_app.ui.icon_array import IconArray


def _cell(text: str, parent: QWidget, bold: bool = False) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setText(ui_text(text))  # Latin phrases isolated in right-to-left text
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeading)
    if bold:
        font = label.font()
        font.setBold(True)
        label.setFont(font)
    return label


def _place(option: str, row: str) -> str:
    return _("{option}: {row}").format(option=written_option_label(option), row=row)


def fill_written_grid(grid: QGridLayout, host: QWidget, written: WrittenOptions) -> list[IconArray]:
    """Fill ``grid`` (empty) with the named options of ``written``; their icon arrays."""
    options = written.named_options()
    arrays: list[IconArray] = []
    for column, option in enumerate(options, start=1):
        heading = _cell(option.title, host, bold=True)
        heading.setAccessibleDescription(written_option_label(option.title))
        grid.addWidget(heading, 0, column)
    row = 1
    for index, question in enumerate(written.questions):
        if not question.strip():
            continue
        grid.addWidget(_cell(question, host, bold=True), row, 0)
        for column, option in enumerate(options, start=1):
            answer = option.answer(index)
            cell = _cell(answer if answer.strip() else _("Not answered"), host)
            cell.setAccessibleDescription(_place(option.title, question))
            grid.addWidget(cell, row, column)
        row += 1
    columns = {option.id: column for column, option in enumerate(options, start=1)}
    titles = {option.id: option.title for option in options}
    for label, entries in group_numbers([(o.id, o.numbers) for o in options]):
        shown = label or _("A number written for an option")
        grid.addWidget(_cell(shown, host, bold=True), row, 0)
        cells: dict[str, QVBoxLayout] = {}
        for option_id, number in entries:
            title = titles[option_id]
            if option_id not in cells:  # an option's numbers for one outcome, one cell
                box = QWidget(host)
                cells[option_id] = QVBoxLayout(box)
                cells[option_id].setContentsMargins(0, 0, 0, 0)
                grid.addWidget(box, row, columns[option_id])
            cell_layout = cells[option_id]
            parent = cell_layout.parentWidget() or host
            counts = number.counts()
            if counts is not None:
                array = IconArray(parent)
                array.set_figure(
                    float(counts[0]), counts[1], number.time_frame, shown, subject=title
                )
                arrays.append(array)
                cell_layout.addWidget(array)
            sentence = _cell(written_number_sentence(number), parent)
            sentence.setObjectName("writtenNumber")
            sentence.setAccessibleDescription(_place(title, shown))
            cell_layout.addWidget(sentence)
        for cell_layout in cells.values():
            cell_layout.addStretch(1)
        row += 1
    for column in range(len(options) + 1):
        grid.setColumnStretch(column, 1)
    grid.setRowStretch(row, 1)
    return arrays
