"""The open consultation, shared by its step pages: every change is saved at once.

Steps never write to the database themselves; they call ``update`` and listen to
``changed``. A failed save keeps the change on screen and says why.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from sdm_app.core.consultation import Consultation, Context, Step
from sdm_app.i18n import _
from sdm_app.storage.consultations import ConsultationStore, ConsultationStoreError


class ConsultationModel(QObject):
    changed = Signal()  # any field of the open consultation (or which one is open)
    save_failed = Signal(str)  # a change could not be written; the message says why
    load_failed = Signal(str)  # a consultation could not be opened

    def __init__(self, store: ConsultationStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._consultation: Consultation | None = None

    @property
    def consultation(self) -> Consultation | None:
        return self._consultation

    def open(self, consultation_id: int) -> bool:
        try:
            loaded = self.store.load(consultation_id)
        except ConsultationStoreError as error:
            self.load_failed.emit(
                _("This consultation could not be opened. The others are not affected.")
                + f"\n\n{error}"
            )
            return False
        if loaded is None:
            return False
        self._consultation = loaded
        self._remember(consultation_id)
        self.changed.emit()
        return True

    def new(self) -> Consultation | None:
        """A new consultation, opened; None (and ``save_failed``) when it cannot be stored."""
        try:
            created = self.store.create()
        except ConsultationStoreError as error:
            self.save_failed.emit(_("A new consultation could not be started.") + f"\n\n{error}")
            return None
        self._consultation = created
        self._remember(created.id)
        self.changed.emit()
        return created

    def close(self) -> None:
        self._consultation = None
        self._remember(None)
        self.changed.emit()

    def delete(self, consultation_id: int) -> None:
        try:
            self.store.delete(consultation_id)
        except ConsultationStoreError as error:
            self.save_failed.emit(_("The consultation could not be deleted.") + f"\n\n{error}")
            return
        if self._consultation is not None and self._consultation.id == consultation_id:
            self._consultation = None
            self._remember(None)
        self.changed.emit()

    def update(self, **fields: Any) -> None:
        """Change fields of the open consultation and write them in one transaction."""
        if self._consultation is None:
            return
        self._save(replace(self._consultation, **fields))

    def update_context(self, **fields: str) -> None:
        if self._consultation is not None:
            self.update(context=replace(self._consultation.context, **fields))

    def set_step(self, step: Step) -> None:
        if self._consultation is not None and self._consultation.current_step != step:
            self.update(current_step=step)

    def _save(self, consultation: Consultation) -> None:
        self._consultation = consultation
        try:
            self._consultation = self.store.save(consultation)
        except ConsultationStoreError as error:
            self.save_failed.emit(
                _("This change is on screen but could not be saved.") + f"\n\n{error}"
            )
        self.changed.emit()

    def _remember(self, consultation_id: int | None) -> None:
        try:
            self.store.remember_open(consultation_id)
        except ConsultationStoreError as error:
            self.save_failed.emit(str(error))


class DebouncedSave(QObject):
    """Saves a text field shortly after typing pauses, and at once when focus leaves.

    A crash loses at most the last ``delay_ms`` of typing.
    """

    def __init__(self, save: Any, delay_ms: int = 300, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._save = save
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.flush)
        self._pending = False

    def touch(self) -> None:
        self._pending = True
        self._timer.start()

    def flush(self) -> None:
        self._timer.stop()
        if self._pending:
            self._pending = False
            self._save()


def context_of(consultation: Consultation | None) -> Context:
    return consultation.context if consultation is not None else Context()
