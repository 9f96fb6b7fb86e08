"""The one window: a navigation list beside a stack of pages."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from sdm_app import __version__
from sdm_app.branding import current_branding
from sdm_app.i18n import _, current_language, language_name
from sdm_app.storage.settings import TEXT_SCALE_STEP, read_plain_settings
from sdm_app.storage.user_db import OPEN_CONSULTATION_KEY, read_settings_snapshot
from sdm_app.ui.controller import AppController
from sdm_app.ui.library_page import LibraryPage
from sdm_app.ui.lock_screen import IdleWatcher, LockScreen
from sdm_app.ui.navigation_list import NavigationList
from sdm_app.ui.theme import apply_palette

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

    from sdm_app.ui.consultations_page import ConsultationsPage
    from sdm_app.ui.decision_aids_page import DecisionAidsPage
    from sdm_app.ui.settings_page import SettingsPage
    from sdm_app.ui.start_page import StartPage
    from sdm_app.ui.take_home_dialogs import TakeHomeFlows


def app_display_name() -> str:
    """The organisation's name for the app in a branded build, else ours."""
    branding = current_branding()
    if branding is not None:
        return branding.app_name(current_language())
    return _("Precision Medicine Guide")


class MainWindow(QMainWindow):
    PAGES = ("start", "consultations", "library", "decision_aids", "settings")

    def __init__(self, controller: AppController) -> None:
        super().__init__()
        self._controller = controller
        self.setObjectName("mainWindow")
        self.resize(QSize(1100, 760))

        self.library_page = LibraryPage(controller, self)
        self._settings_page: SettingsPage | None = None
        self._decision_aids_page: DecisionAidsPage | None = None
        self._consultations_page: ConsultationsPage | None = None
        self._start_page: StartPage | None = None
        self._take_home: TakeHomeFlows | None = None

        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.library_page)
        self.nav = NavigationList(self)
        self.nav.setObjectName("navigation")
        for name in self.PAGES:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self._on_nav_current_row_changed)

        self.content_area = QWidget(self)
        layout = QHBoxLayout(self.content_area)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        # The content, or while the app is locked, the lock screen alone.
        self.screens = QStackedWidget(self)
        self.screens.addWidget(self.content_area)
        self._lock_screen: LockScreen | None = None
        self.setCentralWidget(self.screens)
        self.idle_watcher = IdleWatcher(self)
        self.idle_watcher.idle.connect(self.lock)
        self.idle_watcher.set_interval_ms(controller.settings.auto_lock_minutes * 60_000)
        controller.auto_lock_changed.connect(
            lambda minutes: self.idle_watcher.set_interval_ms(minutes * 60_000)
        )

        self._build_menus()
        controller.language_changed.connect(lambda _language: self.retranslate_ui())
        controller.high_contrast_changed.connect(self._on_controller_high_contrast_changed)
        controller.settings_not_saved.connect(self._on_controller_settings_not_saved)
        self.retranslate_ui()
        if self._first_start():
            # Nothing saved yet: say what the app is for and where to begin.
            self.show_page("start")
            self.start_page.new_button.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.show_page("library")

    @property
    def settings_page(self) -> SettingsPage:
        # Built on first use: keeps start-up fast.
        if self._settings_page is None:
            from sdm_app.ui.settings_page import SettingsPage

            self._settings_page = SettingsPage(self._controller, self)
            self.stack.addWidget(self._settings_page)
        return self._settings_page

    @property
    def decision_aids_page(self) -> DecisionAidsPage:
        if self._decision_aids_page is None:
            from sdm_app.ui.decision_aids_page import DecisionAidsPage

            self._decision_aids_page = DecisionAidsPage(self._controller, self)
            self._decision_aids_page.module_requested.connect(self._on_module_requested)
            self.stack.addWidget(self._decision_aids_page)
        return self._decision_aids_page

    @property
    def consultations_page(self) -> ConsultationsPage:
        if self._consultations_page is None:
            from sdm_app.storage.consultations import ConsultationStore
            from sdm_app.ui.consultations_page import ConsultationsPage

            page = ConsultationsPage(
                self._controller, ConsultationStore(self._controller.database), self
            )
            page.module_requested.connect(self._on_module_requested)
            page.decision_aid_requested.connect(self._on_decision_aid_requested)
            page.model.save_failed.connect(self._on_model_save_failed)
            page.model.load_failed.connect(self._on_model_load_failed)
            self.stack.addWidget(page)
            self._consultations_page = page
        return self._consultations_page

    @property
    def take_home(self) -> TakeHomeFlows:
        """Giving, opening and importing take-home copies (built on first use)."""
        if self._take_home is None:
            from sdm_app.ui.take_home_dialogs import TakeHomeFlows

            self._take_home = TakeHomeFlows(self, self._controller)
        return self._take_home

    @property
    def start_page(self) -> StartPage:
        if self._start_page is None:
            from sdm_app.ui.start_page import StartPage

            page = StartPage(self._controller, self)
            page.new_consultation_requested.connect(self._on_start_new_consultation_requested)
            page.consultation_requested.connect(self._on_start_consultation_requested)
            page.library_requested.connect(self._on_start_library_requested)
            self.stack.addWidget(page)
            self._start_page = page
        return self._start_page

    def _first_start(self) -> bool:
        """Nothing is saved yet: no setting chosen and no consultation left open."""
        database = self._controller.database
        return not read_settings_snapshot(database.path, database.key) and not (
            read_plain_settings(database.path)
        )

    def _on_start_new_consultation_requested(self) -> None:
        self.show_page("consultations")
        self.consultations_page.new_consultation()

    def _on_start_consultation_requested(self, consultation_id: int) -> None:
        self.show_page("consultations")
        page = self.consultations_page
        if page.open_consultation(consultation_id):
            page.step_list.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_start_library_requested(self) -> None:
        self.show_page("library")
        self.library_page.tree.setFocus(Qt.FocusReason.OtherFocusReason)

    def page(self, name: str) -> QWidget:
        pages = {
            "start": lambda: self.start_page,
            "library": lambda: self.library_page,
            "decision_aids": lambda: self.decision_aids_page,
            "consultations": lambda: self.consultations_page,
            "settings": lambda: self.settings_page,
        }
        return pages[name]()

    def restore_consultation(self) -> bool:
        """Reopen the consultation (and its step) that was open at the last exit."""
        database = self._controller.database
        if OPEN_CONSULTATION_KEY not in read_settings_snapshot(database.path, database.key):
            return False  # nothing to restore: keep start-up light
        if self.consultations_page.restore_open():
            self.show_page("consultations")
            return True
        return False

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._consultations_page is not None:
            self._consultations_page.flush()  # typing not yet saved
        self.idle_watcher.detach()
        super().closeEvent(event)

    # -- locking ------------------------------------------------------------

    @property
    def locked(self) -> bool:
        return self._controller.database.locked

    @property
    def lock_screen(self) -> LockScreen:
        if self._lock_screen is None:
            self._lock_screen = LockScreen(self)
            self._lock_screen.unlock_requested.connect(self._on_lock_screen_unlock_requested)
            self._lock_screen.keychain_requested.connect(self._on_lock_screen_keychain_requested)
            self._controller.language_changed.connect(self._lock_screen.on_language_changed)
            self.screens.addWidget(self._lock_screen)
        return self._lock_screen

    def lock(self) -> None:
        """Save, close the data and drop its key, and show nothing but the lock screen."""
        if self.locked:
            return
        self.idle_watcher.stop()
        page = self._consultations_page
        if page is not None:
            page.flush()  # typing not yet saved
        # Dialogs over the window (a result being edited, a message) may show data.
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()
        self.show_page("library")
        if page is not None:
            # Destroyed, not hidden: nothing of a consultation stays on screen or in a
            # widget; it is rebuilt from the database after unlocking.
            self._consultations_page = None
            with contextlib.suppress(RuntimeError, TypeError):
                self._controller.language_changed.disconnect(page._on_controller_language_changed)
            self.stack.removeWidget(page)
            page.setParent(None)
            page.deleteLater()
        self._controller.database.lock_out()
        self._set_actions_enabled(False)
        self.screens.setCurrentWidget(self.lock_screen)
        self.lock_screen.prepare(keychain=self._keychain_remembered())

    def unlock(self, key: bytes) -> None:
        self._controller.database.unlock(key)
        self._set_actions_enabled(True)
        self.screens.setCurrentWidget(self.content_area)
        self.restore_consultation()
        self.idle_watcher.restart()

    def _keychain_remembered(self) -> bool:
        from sdm_app.storage.encryption import EncryptionError, read_record

        try:
            record = read_record(self._controller.database.path)
        except EncryptionError:
            return False
        return record is not None and record.keychain

    def _set_actions_enabled(self, enabled: bool) -> None:
        for action in (
            self.find_action,
            self.lock_action,
            *self.copy_actions,
            *self.page_actions.values(),
        ):
            action.setEnabled(enabled)

    def _on_lock_screen_unlock_requested(self, passphrase: str) -> None:
        from sdm_app.services.unlocking import unlock_with_passphrase
        from sdm_app.storage.encryption import EncryptionError, WrongPassphraseError

        try:
            key = unlock_with_passphrase(self._controller.database.path, passphrase)
        except WrongPassphraseError:
            self.lock_screen.show_error(_("Wrong passphrase. Try again."))
            return
        except EncryptionError as error:
            self.lock_screen.show_error(str(error))
            return
        self.unlock(key)

    def _on_lock_screen_keychain_requested(self) -> None:
        from sdm_app.services.unlocking import key_from_keychain

        key = key_from_keychain(self._controller.database.path)
        if key is None:
            self.lock_screen.show_error(
                _("The keychain did not give the key. Type your passphrase.")
            )
            return
        self.unlock(key)

    def show_page(self, name: str) -> None:
        self.stack.setCurrentWidget(self.page(name))
        row = self.PAGES.index(name)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)

    def current_page(self) -> str:
        current = self.stack.currentWidget()
        return next(
            name
            for name in self.PAGES
            if (name != "start" or self._start_page is not None) and self.page(name) is current
        )

    def _on_module_requested(self, module_id: str) -> None:
        self.show_page("library")
        self.library_page.open_module(module_id)

    def _on_decision_aid_requested(self, aid_id: str) -> None:
        self.show_page("decision_aids")
        self.decision_aids_page.open_decision_aid(aid_id)

    def _build_menus(self) -> None:
        self.file_menu = self.menuBar().addMenu("")
        self.quit_action = QAction(self)
        # Some platforms bind no standard Quit key: Ctrl+Q always works.
        quit_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Quit)
        if QKeySequence("Ctrl+Q") not in quit_keys:
            quit_keys.append(QKeySequence("Ctrl+Q"))
        self.quit_action.setShortcuts(quit_keys)
        self.quit_action.triggered.connect(self.close)
        self.lock_action = QAction(self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock)
        # The take-home copy: given at the clinic, opened and saved back at home,
        # imported at the next visit (ui/take_home_dialogs.py).
        self.give_copy_action = QAction(self)
        self.give_copy_action.triggered.connect(lambda: self.take_home.give_copy())
        self.return_copy_action = QAction(self)
        self.return_copy_action.triggered.connect(lambda: self.take_home.give_copy(for_clinic=True))
        self.open_copy_action = QAction(self)
        self.open_copy_action.triggered.connect(lambda: self.take_home.open_copy())
        self.import_copy_action = QAction(self)
        self.import_copy_action.triggered.connect(lambda: self.take_home.import_copy())
        self.copy_actions = (
            self.give_copy_action,
            self.import_copy_action,
            self.open_copy_action,
            self.return_copy_action,
        )
        self.file_menu.addActions(list(self.copy_actions))
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.lock_action)
        self.file_menu.addAction(self.quit_action)

        self.view_menu = self.menuBar().addMenu("")
        self.find_action = QAction(self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self._on_find_action_triggered)
        self.larger_action = QAction(self)
        self.larger_action.setShortcuts(
            [QKeySequence(QKeySequence.StandardKey.ZoomIn), QKeySequence("Ctrl+=")]
        )
        self.larger_action.triggered.connect(lambda: self._step_text_scale(TEXT_SCALE_STEP))
        self.smaller_action = QAction(self)
        self.smaller_action.setShortcut(QKeySequence.StandardKey.ZoomOut)
        self.smaller_action.triggered.connect(lambda: self._step_text_scale(-TEXT_SCALE_STEP))
        self.view_menu.addActions([self.find_action, self.larger_action, self.smaller_action])
        self.view_menu.addSeparator()
        # Alt+Home goes to the start page (as to a browser's home page), Ctrl+1 ...
        # Ctrl+4 to each other page, in the order of the page list.
        self.page_actions: dict[str, QAction] = {}
        for number, name in enumerate(self.PAGES):
            action = QAction(self)
            action.setShortcut(QKeySequence("Alt+Home" if name == "start" else f"Ctrl+{number}"))
            action.triggered.connect(lambda _checked=False, page=name: self._go_to(page))
            self.view_menu.addAction(action)
            self.page_actions[name] = action

        self.language_menu = self.menuBar().addMenu("")
        self.language_group = QActionGroup(self)
        # Language names come from CLDR data: loaded when the menu first opens.
        self.language_menu.aboutToShow.connect(self._fill_language_menu)
        self.language_group.triggered.connect(
            lambda action: self._controller.set_language(str(action.data()))
        )

        self.help_menu = self.menuBar().addMenu("")
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self._on_about_action_triggered)
        self.help_menu.addAction(self.about_action)

    def _fill_language_menu(self) -> None:
        if not self.language_group.actions():
            for code in self._controller.available_languages():
                action = QAction(language_name(code), self, checkable=True)
                action.setData(code)
                self.language_group.addAction(action)
                self.language_menu.addAction(action)
        for action in self.language_group.actions():
            action.setChecked(action.data() == self._controller.language)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(app_display_name())
        labels = {
            "start": _("Start"),
            "consultations": _("Consultations"),
            "library": _("Library"),
            "decision_aids": _("Decision aids"),
            "settings": _("Settings"),
        }
        for row, name in enumerate(self.PAGES):
            self.nav.item(row).setText(labels[name])
            self.page_actions[name].setText(
                _("Go to {page}").format(page=labels[name]).replace("&", "&&")
            )
        self.nav.setAccessibleName(_("Pages"))
        self.file_menu.setTitle(_("&File"))
        self.quit_action.setText(_("&Quit"))
        self.lock_action.setText(_("&Lock"))
        self.give_copy_action.setText(_("&Give the patient a copy…"))
        self.import_copy_action.setText(_("&Import the patient's copy…"))
        self.open_copy_action.setText(_("&Open a copy from the clinic…"))
        self.return_copy_action.setText(_("Save a copy for the &clinic…"))
        self.view_menu.setTitle(_("&View"))
        self.find_action.setText(_("&Search the library"))
        self.larger_action.setText(_("&Larger text"))
        self.smaller_action.setText(_("S&maller text"))
        self.language_menu.setTitle(_("L&anguage"))
        self.help_menu.setTitle(_("&Help"))
        self.about_action.setText(_("&About"))
        self.nav.updateGeometry()

    def _go_to(self, name: str) -> None:
        self.show_page(name)
        self.nav.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _step_text_scale(self, step: int) -> None:
        self._controller.set_text_scale(self._controller.settings.text_scale + step)

    def _on_nav_current_row_changed(self, row: int) -> None:
        if 0 <= row < len(self.PAGES):
            self.show_page(self.PAGES[row])

    def _on_find_action_triggered(self) -> None:
        self.show_page("library")
        self.library_page.search_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.library_page.search_field.selectAll()

    def _on_about_action_triggered(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from sdm_app.ui.messages import show_message

        show_message(
            self,
            QMessageBox.Icon.Information,
            _("About"),
            _(
                "{name}, version {version}.\n\nEducation to support conversations with your care "
                "team. It is not medical advice. It works without any network connection and keeps "
                "your data on this computer."
            ).format(name=app_display_name(), version=__version__)
            + _organisation_lines(),
        )

    def _on_controller_settings_not_saved(self, message: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        from sdm_app.ui.messages import show_message

        show_message(self, QMessageBox.Icon.Warning, _("Setting not saved"), message)

    def _on_model_save_failed(self, message: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        from sdm_app.ui.messages import show_message

        show_message(self, QMessageBox.Icon.Warning, _("Consultation not saved"), message)

    def _on_model_load_failed(self, message: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        from sdm_app.ui.messages import show_message

        show_message(self, QMessageBox.Icon.Warning, _("Consultation not opened"), message)

    def _on_controller_high_contrast_changed(self, enabled: bool) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_palette(app, enabled)


def _organisation_lines() -> str:
    lines = organisation_lines()
    return "\n\n" + "\n".join(lines) if lines else ""


def organisation_lines() -> list[str]:
    """How to reach the organisation that distributes this build (none for ours)."""
    from sdm_app.ui.steps.base import bidi_isolated

    branding = current_branding()
    if branding is None:
        return []
    # Each name and address in its own direction: in Arabic, "Example Alliance." keeps
    # its full stop after the name, and a telephone number its order.
    organisation = bidi_isolated(branding.organisation)
    lines = [_("Distributed by {organisation}.").format(organisation=organisation)]
    for label, value in (
        (_("Website: {value}"), branding.website),
        (_("Email: {value}"), branding.email),
        (_("Telephone: {value}"), branding.phone),
    ):
        if value:
            lines.append(label.format(value=bidi_isolated(value)))
    return lines
