"""The take-home copy in the window: give the patient a copy, open a copy from the
clinic at home, and import the patient's copy back after seeing what changed.

The file itself, its encryption and the list of changes are Qt-free
(``services.take_home``, ``services.take_home_diff``); this module asks for the
passphrase and the file, shows the changes, and stores what is accepted.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sdm_app.i18n import _, format_date
from sdm_app.services.take_home import (
    SUFFIX,
    CopyError,
    TakeHomeCopy,
    content_versions,
    decode_copy,
    make_copy,
    read_copy_file,
    read_header,
    save_as_new,
    source_in,
    write_copy,
)
from sdm_app.services.take_home_diff import CopyChange, accept_copy, content_notes, copy_changes
from sdm_app.storage.consultations import ConsultationStoreError
from sdm_app.ui.accessibility import HeadingLabel
from sdm_app.ui.file_dialogs import open_file_name, save_file_name
from sdm_app.ui.messages import focus_returned, show_message
from sdm_app.ui.passphrase_dialog import PassphraseDialog

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sdm_app.core.consultation import Consultation
    from sdm_app.services.take_home import ContentVersions
    from sdm_app.ui.consultations_page import ConsultationsPage
    from sdm_app.ui.controller import AppController
    from sdm_app.ui.main_window import MainWindow

Purpose = Literal["give", "return", "open"]
FOLDER_KIND = "copy"  # the folder last used for copies, kept in user.db


class CopyPassphraseDialog(PassphraseDialog):
    """The passphrase of a take-home copy: chosen twice, with the app's strength hint,
    to give a copy ("give": the clinician; "return": the patient, for the clinic), or
    typed once to open one ("open"; ``attempt`` reads the copy with it)."""

    def __init__(
        self,
        purpose: Purpose,
        *,
        attempt: object = None,
        parent: QWidget | None = None,
    ) -> None:
        self.purpose = purpose
        self.notes_check: QCheckBox | None = None
        super().__init__(
            "unlock" if purpose == "open" else "new",
            keychain=False,
            attempt=attempt,  # type: ignore[arg-type]
            parent=parent,
        )
        self.setObjectName("copyPassphraseDialog")
        self.no_keychain.hide()  # about user.db's key: nothing to do with a copy
        if purpose == "give":
            # Off unless ticked: clinician notes stay at the clinic.
            self.notes_check = QCheckBox(self)
            self.notes_check.setObjectName("includeClinicianNotesCheck")
            layout = self.layout()
            assert isinstance(layout, QVBoxLayout)
            layout.insertWidget(layout.indexOf(self.warning), self.notes_check)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        if not hasattr(self, "notes_check"):
            return  # still being built by the passphrase dialog
        titles = {
            "give": _("Give the patient a copy"),
            "return": _("Save a copy for your care team"),
            "open": _("Open a consultation copy"),
        }
        explanations = {
            "give": _(
                "The copy holds this consultation and the versions of the content it "
                "refers to, nothing about other patients. It is encrypted: the patient "
                "needs this passphrase to open it in their own copy of the app."
            ),
            "return": _(
                "The copy holds this consultation with your changes. It is encrypted: "
                "choose a passphrase and tell it to your care team."
            ),
            "open": _("Type the passphrase that came with this copy."),
        }
        title = titles[self.purpose]
        self.setWindowTitle(title)
        self.heading.setText("<h3>" + _escape(title) + "</h3>")
        self.explanation.setText(explanations[self.purpose])
        self.warning.setText(
            _(
                "Give the passphrase separately from the file: say it, or write it on paper. "
                "If it is forgotten, nobody can open the copy."
            )
        )
        self.ok_button.setText(_("Open") if self.purpose == "open" else _("Choose where to save…"))
        self.cancel_button.setText(_("Cancel"))
        if self.notes_check is not None:
            self.notes_check.setText(_("Include &clinician notes"))

    def include_clinician_notes(self) -> bool:
        return self.notes_check is not None and self.notes_check.isChecked()


class CopyChangesDialog(QDialog):
    """What the patient changed in their copy, before the clinician accepts it."""

    def __init__(
        self,
        changes: list[CopyChange],
        notes: list[str],
        copy: TakeHomeCopy,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("copyChangesDialog")
        self.setModal(True)
        title = _("Changes in the patient's copy")
        self.setWindowTitle(title)
        self.heading = HeadingLabel(self)
        self.heading.setText("<h3>" + _escape(title) + "</h3>")
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        made = format_date(copy.made_at.date(), length="medium")
        if changes:
            intro = _(
                "The copy made on {date} was changed. Check each change; accepting saves "
                "them all in this consultation."
            )
        else:
            intro = _("The copy made on {date} holds no changes.")
        self.intro.setText(intro.format(date=made))
        self.changes = QListWidget(self)
        self.changes.setObjectName("copyChangesList")
        self.changes.setAccessibleName(_("Changes"))
        self.changes.setWordWrap(True)
        area = None
        for change in changes:
            if change.area != area:  # a heading for each step, not selectable
                area = change.area
                heading = QListWidgetItem(area)
                heading.setFlags(Qt.ItemFlag.ItemIsEnabled)
                font = heading.font()
                font.setBold(True)
                heading.setFont(font)
                self.changes.addItem(heading)
            item = QListWidgetItem(change.text)
            # Read with its step, as each change is reached on its own.
            spoken = _("{area}: {change}").format(area=change.area, change=change.text)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, spoken)
            item.setData(Qt.ItemDataRole.UserRole, spoken)
            self.changes.addItem(item)
        first = next((row for row in range(self.changes.count()) if self._is_change(row)), None)
        if first is not None:
            self.changes.setCurrentRow(first)
        self.changes.setVisible(bool(changes))
        lines = list(notes)
        if not copy.clinician_notes_included:
            lines.append(_("Clinician notes were not in the copy; the ones saved here are kept."))
        self.notes = QLabel("\n".join(lines), self)
        self.notes.setObjectName("copyContentNotes")
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        # Not a QDialogButtonBox: it makes Accept the default button, and Enter alone
        # must never accept; the clinician reaches Accept on purpose (Alt+A, or Tab).
        self.accept_button = QPushButton(_("&Accept changes"), self)
        self.accept_button.setObjectName("acceptCopyButton")
        self.cancel_button = QPushButton(_("Cancel"), self)
        for button in (self.accept_button, self.cancel_button):
            button.setAutoDefault(False)
        self.accept_button.setEnabled(bool(changes))
        self.accept_button.clicked.connect(self.accept)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addWidget(self.changes, 1)
        layout.addWidget(self.notes)
        layout.addLayout(buttons)
        (self.changes if changes else self.cancel_button).setFocus(Qt.FocusReason.OtherFocusReason)
        self.resize(max(self.sizeHint().width(), 560), max(self.sizeHint().height(), 420))

    def _is_change(self, row: int) -> bool:
        return bool(self.changes.item(row).flags() & Qt.ItemFlag.ItemIsSelectable)

    def change_texts(self) -> list[str]:
        """Each change with its step, as a screen reader reads it."""
        return [
            str(self.changes.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.changes.count())
            if self._is_change(row)
        ]


class TakeHomeFlows:
    """The three File menu actions of the take-home copy, for one main window."""

    def __init__(self, window: MainWindow, controller: AppController) -> None:
        self._window = window
        self._controller = controller

    @property
    def _page(self) -> ConsultationsPage:
        return self._window.consultations_page

    # -- giving a copy ---------------------------------------------------------

    def give_copy(self, *, for_clinic: bool = False) -> Path | None:
        """Ask a passphrase and a file, and write the open consultation's copy there."""
        window = self._window
        page = self._page
        page.flush()  # typing not yet saved goes into the copy
        consultation = page.model.consultation
        if consultation is None:
            show_message(
                window,
                QMessageBox.Icon.Information,
                _("No consultation open"),
                _("Open a consultation first, then save a copy of it."),
            )
            return None
        dialog = CopyPassphraseDialog("return" if for_clinic else "give", parent=window)
        title = dialog.windowTitle()
        try:
            with focus_returned():
                if dialog.exec() != QDialog.DialogCode.Accepted:
                    return None
            passphrase = dialog.passphrase()
            include_notes = dialog.include_clinician_notes()
        finally:
            dialog.clear_secrets()
            dialog.deleteLater()
        suggested = _("copy-for-the-clinic.sdmc") if for_clinic else _("consultation-copy.sdmc")
        path = self.choose_save_path(title, suggested)
        if path is None:
            return None
        try:
            with _waiting():
                versions = self._versions(consultation)
                copy = make_copy(consultation, versions, include_clinician_notes=include_notes)
                written = write_copy(path, copy, passphrase)
        except CopyError as error:
            show_message(window, QMessageBox.Icon.Warning, _("Copy not saved"), str(error))
            return None
        show_message(
            window,
            QMessageBox.Icon.Information,
            _("Copy saved"),
            _("Saved as {path}. Give the passphrase separately from the file.").format(
                path=written
            ),
        )
        return written

    def choose_save_path(self, title: str, suggested: str) -> Path | None:
        store = self._page.model.store
        folder = Path(store.folder(FOLDER_KIND) or Path.home())
        chosen = save_file_name(self._window, title, str(folder / suggested), _file_filter())
        if not chosen:
            return None
        path = Path(chosen)
        store.remember_folder(FOLDER_KIND, str(path.parent))
        return path if path.suffix.lower() == SUFFIX else path.with_name(path.name + SUFFIX)

    def choose_open_path(self, title: str) -> Path | None:
        store = self._page.model.store
        folder = store.folder(FOLDER_KIND) or str(Path.home())
        chosen = open_file_name(self._window, title, folder, _file_filter())
        if not chosen:
            return None
        path = Path(chosen)
        store.remember_folder(FOLDER_KIND, str(path.parent))
        return path

    # -- opening a copy at home --------------------------------------------------

    def open_copy(self) -> int | None:
        """Open a copy from the clinic as a new consultation of this app's own store."""
        path = self.choose_open_path(_("Open a copy from the clinic"))
        copy = self._unlock(path) if path is not None else None
        if copy is None:
            return None
        window, page = self._window, self._page
        page.flush()
        try:
            saved = save_as_new(page.model.store, copy)
        except ConsultationStoreError as error:
            show_message(
                window,
                QMessageBox.Icon.Warning,
                _("Copy not opened"),
                _("The copy could not be saved in this app.") + f"\n\n{error}",
            )
            return None
        assert saved.id is not None
        window.show_page("consultations")
        page.open_consultation(saved.id)
        notes = content_notes(copy.content, self._versions(saved))
        if notes:
            show_message(
                window,
                QMessageBox.Icon.Information,
                _("Copy opened"),
                _("The copy is open as a new consultation.") + "\n\n" + "\n".join(notes),
            )
        return saved.id

    # -- importing the patient's copy ------------------------------------------

    def import_copy(self) -> bool:
        """Show what the patient changed and, once accepted, store it in the
        consultation the copy was made from. True when something was stored."""
        path = self.choose_open_path(_("Import the patient's copy"))
        copy = self._unlock(path) if path is not None else None
        if copy is None:
            return False
        window, page = self._window, self._page
        page.flush()
        store = page.model.store
        try:
            source = source_in(store, copy)
            stored = store.load(source) if source is not None else None
        except ConsultationStoreError as error:
            show_message(window, QMessageBox.Icon.Warning, _("Copy not imported"), str(error))
            return False
        if stored is None:
            return self._import_as_new(copy)
        controller = self._controller
        locale = stored.context.materials_locale or controller.content_locale()
        aid = controller.library.decision_aid(stored.decision_aid_id, locale)
        changes = copy_changes(
            stored,
            copy.consultation,
            aid,
            clinician_notes_included=copy.clinician_notes_included,
        )
        notes = content_notes(copy.content, self._versions(stored))
        dialog = CopyChangesDialog(changes, notes, copy, window)
        try:
            with focus_returned():
                if dialog.exec() != QDialog.DialogCode.Accepted:
                    return False
        finally:
            dialog.deleteLater()
        try:
            saved = store.save(accept_copy(stored, copy))
        except ConsultationStoreError as error:
            show_message(
                window,
                QMessageBox.Icon.Warning,
                _("Copy not imported"),
                _("Nothing was changed.") + f"\n\n{error}",
            )
            return False
        assert saved.id is not None
        window.show_page("consultations")
        page.open_consultation(saved.id)  # read again: its revision is the new one
        return True

    def _import_as_new(self, copy: TakeHomeCopy) -> bool:
        answer = show_message(
            self._window,
            QMessageBox.Icon.Question,
            _("Import the patient's copy"),
            _(
                "No consultation saved here was the source of this copy. Add it as a new "
                "consultation?"
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            saved = save_as_new(self._page.model.store, copy)
        except ConsultationStoreError as error:
            show_message(self._window, QMessageBox.Icon.Warning, _("Copy not imported"), str(error))
            return False
        assert saved.id is not None
        self._window.show_page("consultations")
        self._page.open_consultation(saved.id)
        return True

    # -- helpers -----------------------------------------------------------------

    def _unlock(self, path: Path) -> TakeHomeCopy | None:
        """The copy at ``path``, once its passphrase is typed; None (and a message
        when something is wrong with the file) otherwise. Nothing is changed."""
        try:
            data = read_copy_file(path)
            read_header(data, path.name)  # damaged, or newer: said before any passphrase
        except CopyError as error:
            show_message(self._window, QMessageBox.Icon.Warning, _("Copy not opened"), str(error))
            return None
        opened: list[TakeHomeCopy] = []

        def attempt(passphrase: str) -> bytes:  # the dialog shows the wait cursor
            opened.append(decode_copy(data, passphrase, path.name))
            return b""

        dialog = CopyPassphraseDialog("open", attempt=attempt, parent=self._window)
        try:
            with focus_returned():
                accepted = dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.clear_secrets()
            dialog.deleteLater()
        return opened[-1] if accepted and opened else None

    def _versions(self, consultation: Consultation) -> ContentVersions:
        controller = self._controller
        locale = consultation.context.materials_locale or controller.content_locale()
        return content_versions(consultation, controller.library, locale)


def _file_filter() -> str:
    return _("Consultation copies (*{suffix})").format(suffix=SUFFIX)


@contextmanager
def _waiting() -> Iterator[None]:
    """The wait cursor while the key is made (Argon2id takes a moment)."""
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QGuiApplication.restoreOverrideCursor()


def _escape(text: str) -> str:
    from html import escape

    return escape(text)
