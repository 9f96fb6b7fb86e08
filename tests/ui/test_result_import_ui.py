"""Importing results in the Results step: file, preview, confirm; nothing before."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from sdm_app.app import Session
from sdm_app.core.classification import scheme
from sdm_app.core.consultation import Step
from sdm_app.core.results import BiomarkerKind, Direction, Origin, TestType, Therapy, Zygosity
from sdm_app.core.results import TestResult as ReportResult
from sdm_app.services.result_import import read_import_file
from sdm_app.services.result_words import direction_name
from sdm_app.ui.steps import results_step
from sdm_app.ui.steps.import_dialog import (
    ADD,
    ALTERATION,
    CLASS,
    GENE,
    ORIGIN,
    THERAPIES,
    ImportPreviewDialog,
)
from sdm_app.ui.steps.result_dialog import origin_labels
from sdm_app.ui.steps.results_step import ResultsStep
from tests.services.fhir_expected import BUNDLES

FHIR = Path(__file__).resolve().parent.parent / "fixtures" / "fhir"
CG = FHIR / "Bundle-bundle-cgexample.json"
EGFR = ReportResult(id=None, gene="EGFR", alteration="p.L858R", origin=Origin.SOMATIC)


def cell(dialog: ImportPreviewDialog, row: int, column: int) -> str:
    item = dialog.table.item(row, column)
    assert item is not None
    return item.text().replace("\u2068", "").replace("\u2069", "")  # drop bidi isolates


def results_page(session: Session) -> ResultsStep:
    page = session.window.consultations_page
    session.window.show_page("consultations")
    page.new_button.click()
    page.show_step(Step.RESULTS)
    step = page.steps[Step.RESULTS]
    assert isinstance(step, ResultsStep)
    return step


def run_import(
    qtbot: QtBot, step: ResultsStep, path: Path, answer: Callable[[ImportPreviewDialog], None]
) -> list[ImportPreviewDialog]:
    """Click Import with ``path`` chosen; ``answer`` handles the preview when it opens."""
    step.choose_import_file = lambda: path  # type: ignore[method-assign]
    seen: list[ImportPreviewDialog] = []
    failures: list[BaseException] = []

    def handle() -> None:
        dialog = QApplication.activeModalWidget()
        try:
            assert isinstance(dialog, ImportPreviewDialog), dialog
            seen.append(dialog)
            answer(dialog)
        except BaseException as error:  # close the dialog, or the test would hang
            failures.append(error)
            if isinstance(dialog, QDialog):
                dialog.reject()

    QTimer.singleShot(0, handle)
    step.import_button.click()
    if failures:
        raise failures[0]
    return seen


@pytest.mark.parametrize("name", sorted(BUNDLES))
def test_the_preview_shows_genes_origins_classes_and_therapies(session: Session, name: str) -> None:
    expected = BUNDLES[name]
    dialog = ImportPreviewDialog(read_import_file(FHIR / name), (), session.window)
    try:
        assert dialog.table.rowCount() == len(expected.findings)
        origins = origin_labels()
        for row, wanted in enumerate(expected.findings):
            assert cell(dialog, row, GENE) == wanted.gene
            assert cell(dialog, row, ORIGIN) == origins[wanted.origin]
            if wanted.classification is None:
                assert cell(dialog, row, CLASS) == ""
            else:
                scheme_id, code = wanted.classification
                known = scheme(scheme_id)
                assert known is not None
                klass = known.find(code)
                assert klass is not None
                assert cell(dialog, row, CLASS) == f"{klass.label} ({code})"
            therapies = cell(dialog, row, THERAPIES)
            for therapy in wanted.therapies:
                assert therapy.name in therapies
                if therapy.direction is not Direction.OTHER:
                    assert f"{therapy.name} ({direction_name(therapy.direction)}" in therapies
                if therapy.level:
                    assert f"level {therapy.level}" in therapies
            for part in wanted.alteration_has:
                assert part in cell(dialog, row, ALTERATION)
            assert dialog.table.item(row, ADD).checkState() == Qt.CheckState.Checked  # type: ignore[union-attr]
        skipped = [dialog.skipped_list.item(i).text() for i in range(dialog.skipped_list.count())]
        assert [text.split(":")[0] for text in skipped] == list(expected.skipped)
        assert dialog.skipped_list.isVisibleTo(dialog) == bool(expected.skipped)
        assert len(dialog.chosen_results()) == len(expected.findings)
    finally:
        dialog.deleteLater()


def test_import_appends_after_confirming_and_keeps_what_was_entered(
    session: Session, qtbot: QtBot
) -> None:
    step = results_page(session)
    step.model.update(results=(EGFR,))
    before = step.model.consultation
    assert before is not None
    entered = before.results

    def confirm(dialog: ImportPreviewDialog) -> None:
        assert step.model.consultation is not None
        assert step.model.consultation.results == entered  # nothing added yet
        assert dialog.add_button.isEnabled()
        dialog.add_button.click()

    assert len(run_import(qtbot, step, CG, confirm)) == 1
    after = step.model.consultation
    assert after is not None and after.id is not None
    assert after.results[:1] == entered  # untouched, same id
    assert [(r.gene, r.origin, r.class_code) for r in after.results[1:]] == [
        ("ACAD9", Origin.GERMLINE, "P"),
        ("CYP2D6", Origin.UNKNOWN, "P"),
        ("CYP2C9", Origin.UNKNOWN, "RM"),
    ]
    acad9 = after.results[1]
    assert (acad9.vaf, acad9.zygosity, acad9.test_type) == (
        "47",
        Zygosity.HETEROZYGOUS,
        TestType.GERMLINE,
    )
    assert after.results[3].therapies == (Therapy("Warfarin", Direction.RESISTANT),)
    assert all(r.id is not None for r in after.results)
    stored = step.model.store.load(after.id)
    assert stored is not None and stored.results == after.results
    assert step.table.rowCount() == 4
    assert step.table.currentRow() == 1  # the first imported result is selected
    # Keyboard users carry on where they were once the preview closes.
    qtbot.waitUntil(lambda: QApplication.focusWidget() is step.import_button)


def test_cancelling_the_preview_adds_nothing(session: Session, qtbot: QtBot) -> None:
    step = results_page(session)
    step.model.update(results=(EGFR,))
    before = step.model.consultation
    run_import(qtbot, step, CG, lambda dialog: dialog.reject())
    assert step.model.consultation == before


def test_a_broken_file_says_why_and_adds_nothing(
    session: Session, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    step = results_page(session)
    step.model.update(results=(EGFR,))
    before = step.model.consultation
    broken = tmp_path / "broken.json"
    broken.write_text(CG.read_text(encoding="utf-8").replace('"entry":[', '"entry":[7,', 1))
    messages: list[str] = []
    monkeypatch.setattr(
        results_step,
        "show_message",
        lambda _parent, _icon, _title, text, *_a: messages.append(text),
    )
    opened = run_import(qtbot, step, broken, lambda dialog: dialog.accept())
    assert opened == []
    assert len(messages) == 1
    assert messages[0].startswith("broken.json: Bundle.entry[0]: expected an object")
    assert "Nothing was added." in messages[0]
    assert step.model.consultation == before


def test_a_result_already_entered_is_unticked(session: Session) -> None:
    report = read_import_file(CG)
    first = report.findings[0]
    same = ReportResult(id=5, gene=first.gene.lower(), alteration=first.alteration, kind=first.kind)
    dialog = ImportPreviewDialog(report, (same,), session.window)
    try:
        assert dialog.table.item(0, ADD).checkState() == Qt.CheckState.Unchecked  # type: ignore[union-attr]
        assert cell(dialog, 0, ADD) == "Already entered"
        assert [r.gene for r in dialog.chosen_results()] == ["CYP2D6", "CYP2C9"]
        assert dialog.add_button.text().replace("&", "") == "Add 2 results"
    finally:
        dialog.deleteLater()


def test_the_preview_works_with_the_keyboard(session: Session, qtbot: QtBot) -> None:
    step = results_page(session)

    def keyboard(dialog: ImportPreviewDialog) -> None:
        qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.table)
        qtbot.keyClick(dialog.table, Qt.Key.Key_Space)  # untick the first row
        qtbot.keyClick(dialog.table, Qt.Key.Key_Down)
        qtbot.keyClick(dialog.table, Qt.Key.Key_Right)  # any cell of the row will do
        qtbot.keyClick(dialog.table, Qt.Key.Key_Space)  # untick the second
        qtbot.keyClick(dialog.table, Qt.Key.Key_Space)  # and tick it again
        assert "Imported from" in dialog.details.toPlainText()
        assert "Observation/complex-variant" in dialog.details.toPlainText()
        assert dialog.add_button.text().replace("&", "") == "Add 2 results"
        for _ in range(6):
            focus = QApplication.focusWidget()
            if focus is dialog.add_button:
                break
            assert focus is not None
            qtbot.keyClick(focus, Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is dialog.add_button
        qtbot.keyClick(dialog.add_button, Qt.Key.Key_Return)

    run_import(qtbot, step, CG, keyboard)
    assert step.model.consultation is not None
    assert [r.gene for r in step.model.consultation.results] == ["CYP2D6", "CYP2C9"]


def test_the_details_show_the_fields_of_the_selected_result(session: Session) -> None:
    dialog = ImportPreviewDialog(read_import_file(CG), (), session.window)
    try:
        dialog.table.setCurrentCell(0, ADD)
        text = dialog.details.toPlainText()
        assert text.startswith(
            "heterozygous (one copy), VAF 47 %, copy number 1, germline test (blood or saliva)"
        )
        assert "Imported from" in text
        dialog.table.setCurrentCell(2, ADD)
        assert "diplotype *2/*5" in dialog.details.toPlainText()
        assert cell(dialog, 2, THERAPIES) == "Warfarin (expected not to work)"
    finally:
        dialog.deleteLater()


def test_nothing_ticked_means_nothing_to_add(session: Session) -> None:
    dialog = ImportPreviewDialog(read_import_file(CG), (), session.window)
    try:
        for row in range(dialog.table.rowCount()):
            dialog.set_ticked(row, False)
        assert not dialog.add_button.isEnabled()
        assert dialog.chosen_results() == ()
    finally:
        dialog.deleteLater()


def test_every_focusable_widget_of_the_preview_has_a_name(session: Session, qtbot: QtBot) -> None:
    dialog = ImportPreviewDialog(read_import_file(CG), (), session.window)
    qtbot.addWidget(dialog)
    dialog.show()
    unnamed = [
        f"{type(widget).__name__} {widget.objectName()}"
        for widget in dialog.findChildren(QWidget)
        if widget.isVisibleTo(dialog)
        and widget.focusPolicy() != Qt.FocusPolicy.NoFocus
        and not (isinstance(widget, QAbstractButton) and widget.text())
        and not widget.accessibleName()
        and type(widget).__name__ not in ("QScrollBar", "QWidget")
    ]
    assert unnamed == []
    item = dialog.table.item(0, ADD)
    assert item is not None
    assert "ACAD9" in str(item.data(Qt.ItemDataRole.AccessibleTextRole))


def test_the_preview_is_right_to_left_in_arabic(session: Session, qtbot: QtBot) -> None:
    session.controller.apply_language("ar")
    step = results_page(session)
    assert step.import_button.isVisibleTo(step)
    assert step.import_button.layoutDirection() == Qt.LayoutDirection.RightToLeft

    def check(dialog: ImportPreviewDialog) -> None:
        assert dialog.layoutDirection() == Qt.LayoutDirection.RightToLeft
        assert dialog.table.isRightToLeft()
        # Text from the file keeps its own direction inside the right-to-left table.
        item = dialog.table.item(0, ALTERATION)
        assert item is not None and item.text().startswith("\u2068")
        dialog.add_button.click()

    run_import(qtbot, step, FHIR / "Bundle-bundle-oncologyexamples-r4.json", check)
    assert step.model.consultation is not None
    tmb = step.model.consultation.results[3]
    assert (tmb.kind, tmb.value, tmb.unit) == (BiomarkerKind.SIGNATURE, "25", "mut/Mb")


def test_patient_view_hides_the_import_button(session: Session) -> None:
    step = results_page(session)
    page = session.window.consultations_page
    assert step.import_button.isVisibleTo(page)
    page.patient_view.setChecked(True)
    assert not step.import_button.isVisibleTo(page)
    page.patient_view.setChecked(False)
