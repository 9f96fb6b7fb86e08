"""Start the desktop app: prepare data, choose the language, show the window."""

from __future__ import annotations

import gc
import logging
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from sdm_app import APP_NAME, i18n, paths
from sdm_app.branding import current_branding
from sdm_app.content.freshness import CONTENT_DB_NAME, ensure_content_db
from sdm_app.content.problems import ContentBuildError
from sdm_app.storage.content_db import ContentDatabaseError, ContentLibrary
from sdm_app.storage.encryption import EncryptionError
from sdm_app.storage.settings import SettingsStore, read_plain_settings
from sdm_app.storage.user_db import (
    DATABASE_ERRORS,
    UserDatabase,
    UserDatabaseError,
    backup_if_due,
    migrate,
)

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QWidget

    from sdm_app.services.unlocking import KeyPrompts
    from sdm_app.ui.controller import AppController
    from sdm_app.ui.main_window import MainWindow


log = logging.getLogger(__name__)
# What opening, migrating or backing up user.db may raise.
_OPEN_ERRORS: tuple[type[Exception], ...] = (UserDatabaseError, OSError, *DATABASE_ERRORS)
_UNLOCK_ERRORS: tuple[type[Exception], ...] = (EncryptionError, *_OPEN_ERRORS)


class StartupProblem(NamedTuple):
    title: str
    message: str


def ensure_app_content_db(cache_dir: Path) -> Path:
    """The bundled packs with the user's verified ones, compiled into ``cache_dir``
    when they changed (ensure_content_db's errors pass through)."""
    return ensure_content_db(
        paths.content_dir(),
        cache_dir,
        installed_root=paths.installed_packs_dir(),
        keys_dir=paths.trusted_keys_dir(),
    )


def open_content() -> tuple[ContentLibrary | None, StartupProblem | None]:
    """The content database, rebuilt when the packs changed.

    A pack that fails validation keeps the last good database in use and the
    problem is reported; with no database at all the app cannot show content.
    """
    from os import environ

    from sdm_app.i18n import _

    override = environ.get(paths.ENV_CONTENT_DB)
    problem: StartupProblem | None = None
    if override:
        db_path = Path(override)
    else:
        cache_dir = paths.user_cache_dir()
        try:
            db_path = ensure_app_content_db(cache_dir)
        except (OSError, sqlite3.Error) as error:
            # A cache folder that cannot be written (full disk, a file in the way).
            problem = StartupProblem(
                _("Content problem"),
                _("The content could not be prepared in {folder}: {reason}").format(
                    folder=cache_dir, reason=error
                ),
            )
            db_path = cache_dir / CONTENT_DB_NAME
        except ContentBuildError as error:
            # The last good build (if any) stays in place and is used meanwhile.
            problem = StartupProblem(
                _("Content problem"),
                _("The content could not be updated; the previous version is shown.")
                + "\n\n"
                + str(error),
            )
            db_path = cache_dir / CONTENT_DB_NAME
        if problem is None:
            problem = skipped_packs_problem(db_path)
    try:
        return ContentLibrary.open(db_path), problem
    except ContentDatabaseError as error:
        detail = f"{problem.message}\n\n{error}" if problem else str(error)
        return None, StartupProblem(_("Content problem"), detail)


def skipped_packs_problem(db_path: Path) -> StartupProblem | None:
    """A notice naming each installed pack the content was built without, and why."""
    from sdm_app.content.freshness import skipped_packs
    from sdm_app.i18n import _

    skipped = skipped_packs(db_path)
    if not skipped:
        return None
    details = "\n\n".join(f"{folder}:\n{reason}" for folder, reason in skipped)
    return StartupProblem(
        _("Content pack not loaded"),
        _("These installed content packs failed their checks and are not shown:")
        + "\n\n"
        + details
        + "\n\n"
        + _("Install a newer signed version of the pack, or remove its folder."),
    )


def initial_language(stored: str | None) -> str:
    """The saved choice, else a branded build's default, else the system language
    when the app has it, else English."""
    available = i18n.available_languages()
    if stored in available:
        return stored
    branding = current_branding()
    if branding is not None and branding.default_locale in available:
        return branding.default_locale
    system = i18n.system_language()
    for candidate in (system, i18n.base_language(system)):
        if candidate in available:
            return candidate
    return i18n.SOURCE_LANGUAGE


def create_application(argv: Sequence[str] | None = None) -> QApplication:
    from PySide6.QtWidgets import QApplication

    from sdm_app.ui.accessibility import install_accessibility
    from sdm_app.ui.theme import apply_palette, load_bundled_fonts

    existing = QApplication.instance()
    app = (
        existing if isinstance(existing, QApplication) else QApplication(list(argv or sys.argv[:1]))
    )
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    branding = current_branding()
    if branding is not None and branding.logo is not None:
        from PySide6.QtGui import QIcon

        app.setWindowIcon(QIcon(str(branding.logo)))
    load_bundled_fonts(app)
    # The style and normal colours are set before any widget exists (cheaper than after).
    apply_palette(app, high_contrast=False)
    install_accessibility()
    return app


class Session(NamedTuple):
    """What a running app holds open; closed together at exit."""

    window: MainWindow
    controller: AppController
    library: ContentLibrary
    database: UserDatabase
    warning: StartupProblem | None

    def close(self) -> None:
        # Pages must not react to app-wide changes once their content is closed.
        self.controller.blockSignals(True)
        self.window.close()
        self.library.close()
        self.database.close()


def start_session(
    app: QApplication, language: str | None = None, *, prompts: KeyPrompts | None = None
) -> Session | StartupProblem | None:
    """Unlock and open the user's data and the content, and build the main window.

    ``language`` overrides the saved language (screenshots use it). ``prompts`` ask
    for the passphrase (by default the app's dialogs). None when the person cancels
    unlocking.
    """
    from sdm_app.i18n import _
    from sdm_app.ui.controller import AppController
    from sdm_app.ui.main_window import MainWindow
    from sdm_app.ui.theme import apply_palette

    try:
        db_path = paths.user_db_path()
    except OSError as error:  # the data folder is a file, or cannot be made
        reason = f"{error.filename}: {error.strerror}"
        return StartupProblem(_("Cannot open your saved data"), reason)
    if db_path.exists() and not db_path.is_file():  # a pipe would make start-up wait forever
        return StartupProblem(
            _("Cannot open your saved data"),
            _("{path} is not a regular file (a folder, device or pipe).").format(path=db_path),
        )
    database = UserDatabase(db_path)
    database.lock_out()  # nothing reads or writes it before the key is had
    try:
        holder = database.lock()
    except OSError as error:
        return StartupProblem(
            _("Cannot open your saved data"), f"{error.filename}: {error.strerror}"
        )
    if holder is not None:
        return StartupProblem(
            _("Already open"),
            _(
                "Your saved data is open in another copy of the app ({holder}). Use that "
                "copy, or close it and start again."
            ).format(holder=holder),
        )
    # Language, text size and contrast are known before unlocking: the passphrase is
    # asked in the person's language and at their text size.
    before_unlock = read_plain_settings(db_path)
    i18n.set_language(language or initial_language(before_unlock.get("language")))
    key, problem = _unlock(app, db_path, prompts, before_unlock)
    if problem is not None or key is None:
        database.close()
        return problem
    database.unlock(key)
    try:
        migrate(database.path, key)
    except _OPEN_ERRORS as error:
        database.close()
        return StartupProblem(_("Cannot open your saved data"), str(error))
    try:
        backup_if_due(database.path, key=key)
    except _OPEN_ERRORS as error:
        # A backup that cannot be made must not keep the user from their data.
        log.warning("daily backup not made: %s", type(error).__name__)
    settings = SettingsStore(database)
    i18n.set_language(language or initial_language(settings.settings.language))

    library, problem = open_content()
    if library is None:
        assert problem is not None
        database.close()
        return problem

    controller = AppController(library, settings, database)
    controller.apply_language(i18n.current_language())
    if settings.settings.text_scale != 100:
        controller.apply_text_scale(settings.settings.text_scale)
    if settings.settings.high_contrast or current_branding() is not None:
        apply_palette(app, settings.settings.high_contrast)
    window = MainWindow(controller)
    window.restore_consultation()
    return Session(window, controller, library, database, problem)


def _unlock(
    app: QApplication,
    db_path: Path,
    prompts: KeyPrompts | None,
    before_unlock: dict[str, str],
) -> tuple[bytes | None, StartupProblem | None]:
    """The key of user.db, or the problem that kept it from being had (neither: the
    person cancelled)."""
    from sdm_app.i18n import _
    from sdm_app.services.unlocking import open_key

    if prompts is None:
        from sdm_app.ui.passphrase_dialog import DialogPrompts

        prompts = DialogPrompts(app, before_unlock)
    try:
        return open_key(db_path, prompts), None
    except _UNLOCK_ERRORS as error:
        return None, StartupProblem(_("Cannot unlock your saved data"), _error_text(error))


def _error_text(error: BaseException) -> str:
    from sdm_app.storage.errors import storage_reason

    if isinstance(error, (OSError, *DATABASE_ERRORS)):
        return storage_reason(error)
    return str(error)


def _report_ready_and_quit(app: QApplication, window: MainWindow) -> None:
    """Runs once the event loop turns: the window is shown and answers input."""
    import time

    print(f"ready {time.time():.6f}", flush=True)
    print(f"window {window.windowTitle()}", flush=True)  # checks of branded builds read it
    app.quit()


def _show_startup_problem(
    parent: QWidget | None, problem: StartupProblem, *, critical: bool
) -> None:
    # Message box classes load only when there is something to say.
    from PySide6.QtWidgets import QMessageBox

    from sdm_app.ui.messages import show_message

    icon = QMessageBox.Icon.Critical if critical else QMessageBox.Icon.Warning
    show_message(parent, icon, problem.title, problem.message)


def run(argv: Sequence[str] | None = None, *, quit_after_show: bool = False) -> int:
    # Start-up makes tens of thousands of objects that live as long as the app
    # (Qt's enums, modules, widgets); the cyclic collector would walk them dozens of
    # times for nothing. It is paused until the window shows or a message must.
    gc.disable()
    try:
        return _run(argv, quit_after_show)
    finally:
        gc.enable()


def _run(argv: Sequence[str] | None, quit_after_show: bool) -> int:
    from PySide6.QtCore import QTimer

    app = create_application(argv)
    session = start_session(app)
    if session is None:  # unlocking was cancelled: nothing to report
        return 0
    if isinstance(session, StartupProblem):
        gc.enable()
        _show_startup_problem(None, session, critical=True)
        return 1
    session.window.show()
    if session.warning is not None:
        gc.enable()
        _show_startup_problem(session.window, session.warning, critical=False)
    QTimer.singleShot(0, gc.enable)
    if quit_after_show:
        QTimer.singleShot(0, lambda: _report_ready_and_quit(app, session.window))
    from sdm_app.ui.theme import load_remaining_fonts

    # Once the window is up: content or materials in another script may follow.
    QTimer.singleShot(0, load_remaining_fonts)
    code = app.exec()
    session.close()
    return code
