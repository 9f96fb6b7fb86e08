"""Walks the app through what a person can see: every page of the main window (each
consultation step filled with the demo consultation, with and without the patient
view, and the lock screen) and every dialog the main window opens.

Tests that must hold everywhere (mnemonics, radio groups) check each state."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from sdm_app import paths
from sdm_app.app import Session
from sdm_app.core.consultation import STEPS
from sdm_app.core.results import BiomarkerKind

DEMO_AID = "egfr-alk-nsclc-first-treatment"


def settle() -> None:
    # Each level of nested layouts reacts to the previous one's posted request.
    for _turn in range(5):
        QApplication.processEvents()


def store_demo(session: Session) -> int:
    """The bundled demo consultation, saved as a new one; its id."""
    from sdm_app.services.demo import load_demo

    controller = session.controller
    store = session.window.consultations_page.model.store
    demo = load_demo(controller.library.decision_aid(DEMO_AID, controller.content_locale()))
    stored = store.save(replace(demo, results=tuple(replace(r, id=None) for r in demo.results)))
    assert stored.id is not None
    return stored.id


def main_window_states(session: Session, demo_id: int) -> Iterator[str]:
    """Puts the main window in each state in turn and names it (the window is shown)."""
    window = session.window
    for name in window.PAGES:
        window.show_page(name)
        settle()
        yield f"page {name}"
    library = window.library_page
    window.show_page("library")
    modules = session.controller.library.modules(session.controller.content_locale())
    library.open_module(modules[0].id)
    settle()
    yield "library, a module open"
    library.search("gene")
    settle()
    yield "library, searching"
    library.search("")
    aids = window.decision_aids_page
    window.show_page("decision_aids")
    aids.aid_list.setCurrentRow(0)
    settle()
    yield "decision aids, an aid open"

    page = window.consultations_page
    window.show_page("consultations")
    page._on_back_button_clicked()  # the list, whatever was open
    settle()
    yield "consultations, the list"
    assert page.open_consultation(demo_id)
    for patient_view in (False, True):
        page.patient_view.setChecked(patient_view)
        for step in STEPS:
            page.show_step(step)
            settle()
            yield f"consultation step {step.value}" + (", patient view" if patient_view else "")
    page.patient_view.setChecked(False)


def locked_state(session: Session) -> Iterator[str]:
    """The lock screen; unlocked again afterwards."""
    window = session.window
    key = session.database.key
    assert key is not None
    window.lock()
    settle()
    try:
        yield "lock screen"
    finally:
        window.unlock(key)
        settle()


@contextmanager
def shown(dialog: QWidget) -> Iterator[QWidget]:
    dialog.show()
    settle()
    try:
        yield dialog
    finally:
        dialog.close()
        dialog.deleteLater()


def dialog_states(session: Session, demo_id: int) -> Iterator[tuple[str, QWidget]]:
    """Each dialog the main window opens, shown in turn (closed when the caller moves on)."""
    from sdm_app.services.result_import import Skipped, read_import_file
    from sdm_app.ui.passphrase_dialog import PassphraseDialog
    from sdm_app.ui.steps.import_dialog import ImportPreviewDialog
    from sdm_app.ui.steps.result_dialog import ResultDialog
    from tests.ui.test_result_dialog import EXAMPLES

    window = session.window
    for kind in BiomarkerKind:
        form = ResultDialog(EXAMPLES[kind], window)
        if not form.therapy_rows:
            form.add_therapy.click()  # a therapy row's own buttons too
        with shown(form):
            yield f"result dialog, {kind.value}", form
    report = read_import_file(paths.resources_dir() / "import" / "results-example.json")
    report = replace(report, skipped=(Skipped("line 9", "not a result"),))
    with shown(ImportPreviewDialog(report, (), window)) as preview:
        yield "import preview", preview
    yield from _pdf_preview(session)
    with shown(_written_options_dialog(window)) as written:
        yield "written options", written
    for mode in ("new", "plaintext", "unlock", "change"):
        for keychain in (False, True):
            passphrase = PassphraseDialog(mode, keychain=keychain, parent=window)  # type: ignore[arg-type]
            with shown(passphrase):
                yield f"passphrase dialog, {mode}, keychain {keychain}", passphrase
    yield from _take_home_dialogs(session, demo_id)
    buttons = QMessageBox.StandardButton
    for choice in (
        buttons.Ok,
        buttons.Yes | buttons.No,
        buttons.Open | buttons.Cancel,
    ):
        box = QMessageBox(QMessageBox.Icon.Question, "title", "text", choice, window)
        with shown(box):
            yield f"message with {choice!r}", box


def _take_home_dialogs(session: Session, demo_id: int) -> Iterator[tuple[str, QWidget]]:
    from sdm_app.services.take_home import ContentVersions, make_copy
    from sdm_app.services.take_home_diff import copy_changes
    from sdm_app.ui.take_home_dialogs import CopyChangesDialog, CopyPassphraseDialog

    window = session.window
    for purpose in ("give", "return", "open"):
        dialog = CopyPassphraseDialog(purpose, parent=window)  # type: ignore[arg-type]
        with shown(dialog):
            yield f"take-home copy passphrase, {purpose}", dialog
    stored = window.consultations_page.model.store.load(demo_id)
    assert stored is not None
    copy = make_copy(stored, ContentVersions())
    returned = replace(
        copy.consultation,
        own_questions=(*stored.own_questions, "A question from home"),
        leaning="",
    )
    changes = copy_changes(stored, returned)
    for listed in (changes, []):
        with shown(CopyChangesDialog(listed, [], copy, window)) as review:
            yield f"take-home copy changes, {len(listed)} listed", review


def _written_options_dialog(parent: QWidget) -> QDialog:
    from sdm_app.core.written_options import WrittenNumber, add_option, start_written_options
    from sdm_app.ui.steps.written_options_dialog import WrittenOptionsDialog

    written = add_option(start_written_options())
    first = replace(
        written.options[0],
        title="A lower dose",
        numbers=(WrittenNumber("Severe side effects", "12", "100", "3 months", "A guideline"),),
    )
    written = replace(written, options=(first, *written.options[1:]))
    return WrittenOptionsDialog(written, lambda _changed: None, parent)


def _pdf_preview(session: Session) -> Iterator[tuple[str, QDialog]]:
    from io import BytesIO

    from reportlab.pdfgen.canvas import Canvas

    from sdm_app.services.pdf_pages import PdfPages
    from sdm_app.ui.pdf_preview import PdfPreviewDialog

    # The dialog's own controls are what is checked: a plain two-page PDF will do.
    out = BytesIO()
    canvas = Canvas(out)
    for number in (1, 2):
        canvas.drawString(72, 720, f"Page {number}")
        canvas.showPage()
    canvas.save()
    with shown(PdfPreviewDialog("summary", PdfPages(out.getvalue()), session.window)) as dialog:
        assert isinstance(dialog, QDialog)
        yield "PDF preview", dialog
