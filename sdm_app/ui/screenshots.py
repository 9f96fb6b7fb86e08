"""Pictures of every page, offscreen, for translators' review and documentation.

Runs against a throw-away data folder so a user's own settings are never read
or changed.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from sdm_app.core.consultation import STEPS

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from sdm_app.core.consultation import Consultation
    from sdm_app.storage.consultations import ConsultationStore
    from sdm_app.ui.controller import AppController

WINDOW_SIZE = (1100, 760)


def _search_word(title: str) -> str:
    """A word from a module title, typed as a reader would (first letters only)."""
    words: list[str] = [word for word in re.findall(r"\w+", title) if len(word) >= 5] or [title]
    return words[0][: max(4, len(words[0]) - 2)]


def save_screenshots(
    language: str, out_dir: Path, text_scale: int = 100, *, high_contrast: bool = False
) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sdm-shots-") as data_dir:
        previous = os.environ.get("SDM_APP_DATA_DIR")
        os.environ["SDM_APP_DATA_DIR"] = data_dir
        try:
            return _capture(language, out_dir, text_scale, high_contrast)
        finally:
            if previous is None:
                os.environ.pop("SDM_APP_DATA_DIR", None)
            else:
                os.environ["SDM_APP_DATA_DIR"] = previous


def _capture(language: str, out_dir: Path, text_scale: int, high_contrast: bool) -> list[Path]:

    from sdm_app.app import StartupProblem, create_application, start_session
    from sdm_app.services.unlocking import ThrowawayPrompts

    app = create_application()
    session = start_session(app, language=language, prompts=ThrowawayPrompts())
    if session is None or isinstance(session, StartupProblem):
        problem = session or StartupProblem("", "cancelled")
        raise RuntimeError(f"{problem.title}: {problem.message}")
    window, controller = session.window, session.controller
    controller.set_text_scale(text_scale)
    controller.set_high_contrast(high_contrast)
    window.resize(*WINDOW_SIZE)
    window.show()
    library_page = window.library_page
    modules = controller.library.modules(controller.content_locale())
    written: list[Path] = []

    def shoot(name: str, prepare: Callable[[], None]) -> None:
        prepare()
        written.append(_grab(window, out_dir / f"{name}.png"))

    def library() -> None:
        window.show_page("library")
        library_page.search_field.clear()
        library_page.tree.setFocus()

    def module() -> None:
        window.show_page("library")
        if modules:
            library_page.open_module(modules[0].id)

    def search() -> None:
        window.show_page("library")
        if modules:
            library_page.search(_search_word(modules[-1].title))
            library_page.results.setCurrentIndex(library_page.results_model.index(0, 0))

    def decision_aid() -> None:
        window.show_page("decision_aids")
        page = window.decision_aids_page
        if page.aid_list.count():
            page.aid_list.setCurrentRow(0)

    def settings() -> None:
        window.show_page("settings")

    shoot("start", lambda: window.show_page("start"))
    shoot("library", library)
    shoot("module", module)
    shoot("search", search)
    shoot("decision-aid", decision_aid)
    shoot("settings", settings)

    # The consultation steps, filled with the bundled demo consultation.
    consultations = window.consultations_page
    window.show_page("consultations")
    shoot("consultations", lambda: None)
    demo = _store_demo(consultations.model.store, controller)
    consultations.open_consultation(demo)
    for step in STEPS:
        shoot(f"consultation-{step.value}", partial(consultations.show_step, step))
    shoot("consultation-patient-view", lambda: consultations.patient_view.setChecked(True))
    consultations.patient_view.setChecked(False)
    written += _dialog_shots(window, controller, consultations.model.consultation, out_dir)
    session.close()
    return written


def _dialog_shots(
    window: QWidget, controller: AppController, consultation: Consultation | None, out_dir: Path
) -> list[Path]:
    """The import preview (with the example lab file) and the PDF export preview."""
    from PySide6.QtWidgets import QDialog

    from sdm_app import paths
    from sdm_app.i18n import _
    from sdm_app.services.pdf_pages import PdfPages
    from sdm_app.services.pdf_summary import build_summary_pdf
    from sdm_app.services.result_import import read_import_file
    from sdm_app.ui.pdf_preview import PdfPreviewDialog
    from sdm_app.ui.steps.import_dialog import ImportPreviewDialog

    dialogs: list[tuple[str, QDialog]] = []
    example = paths.resources_dir() / "import" / "results-example.json"
    existing = consultation.results if consultation else ()
    dialogs.append(
        ("import-preview", ImportPreviewDialog(read_import_file(example), existing, window))
    )
    if consultation is not None:
        data = build_summary_pdf(
            consultation, controller.library, language=controller.language, patient_view=True
        )
        preview = PdfPreviewDialog(_("Consultation summary"), PdfPages(data), window)
        dialogs.append(("pdf-preview", preview))
    written: list[Path] = []
    for name, dialog in dialogs:
        dialog.show()
        written.append(_grab(dialog, out_dir / f"{name}.png"))
        dialog.close()
        dialog.deleteLater()
    return written


def _grab(widget: QWidget, path: Path) -> Path:
    from PySide6.QtWidgets import QApplication

    # Each level of nested layouts reacts to the previous one's posted request.
    for _turn in range(10):
        QApplication.processEvents()
    widget.grab().save(str(path))
    return path


def _store_demo(store: ConsultationStore, controller: AppController) -> int:
    from sdm_app.services.demo import load_demo

    locale = controller.content_locale()
    aid_id = "egfr-alk-nsclc-first-treatment"
    demo = load_demo(controller.library.decision_aid(aid_id, locale))
    # Stored as new: the store gives the results their own ids.
    stored = store.save(replace(demo, results=tuple(replace(r, id=None) for r in demo.results)))
    assert stored.id is not None
    return stored.id
