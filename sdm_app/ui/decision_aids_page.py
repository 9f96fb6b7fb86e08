"""Decision aids: the list of decisions, and the chosen aid to read."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QSplitter, QVBoxLayout, QWidget

from sdm_app.i18n import N_, _, title_in_language
from sdm_app.services.page_parts import ui_text
from sdm_app.ui.controller import AppController
from sdm_app.ui.library_models import plain_tooltip
from sdm_app.ui.module_view import ModuleView

AID_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class DecisionAidsPage(QWidget):
    module_requested = Signal(str)

    def __init__(self, controller: AppController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self.list_label = QLabel(self)
        self.list_label.setWordWrap(True)
        self.aid_list = QListWidget(self)
        self.aid_list.setObjectName("decisionAidList")
        self.aid_list.setWordWrap(True)
        self.list_label.setBuddy(self.aid_list)
        self.view = ModuleView(
            controller.library,
            self,
            accessible_name=N_("Decision aid text"),
            empty_hint=N_("Choose a decision from the list to compare its options."),
        )

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.list_label)
        left_layout.addWidget(self.aid_list, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(self.view)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.aid_list.currentItemChanged.connect(self._on_aid_list_current_changed)
        self.view.module_requested.connect(self.module_requested)
        controller.language_changed.connect(self._on_controller_language_changed)
        self.reload()
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.list_label.setText(_("&Decisions"))
        self.aid_list.setAccessibleName(_("Decisions"))
        self.view.retranslate_ui()

    def reload(self) -> None:
        locale = self._controller.content_locale()
        current = self.view.decision_aid.id if self.view.decision_aid else None
        with QSignalBlocker(self.aid_list):
            self.aid_list.clear()
            for aid in self._controller.library.decision_aids(locale):
                # An aid not yet translated says which language it opens in.
                item = QListWidgetItem(ui_text(title_in_language(aid.title, aid.locale, locale)))
                item.setData(AID_ID_ROLE, aid.id)
                item.setToolTip(plain_tooltip(ui_text(aid.question)))
                self.aid_list.addItem(item)
                if aid.id == current:
                    self.aid_list.setCurrentItem(item)
        self.view.reload(locale)

    def open_decision_aid(self, aid_id: str) -> bool:
        for row in range(self.aid_list.count()):
            if self.aid_list.item(row).data(AID_ID_ROLE) == aid_id:
                self.aid_list.setCurrentRow(row)
                return True
        return False

    def _on_aid_list_current_changed(
        self, current: QListWidgetItem | None, _previous: QListWidgetItem | None
    ) -> None:
        if current is not None:
            self.view.show_decision_aid(
                str(current.data(AID_ID_ROLE)), self._controller.content_locale()
            )

    def _on_controller_language_changed(self, _language: str) -> None:
        self.reload()
        self.retranslate_ui()
