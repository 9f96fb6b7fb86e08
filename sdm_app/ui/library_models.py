"""The library page's tree of modules by topic, and the roles its lists share."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from sdm_app.core.library import ModuleSummary, Topic
from sdm_app.i18n import title_in_language
from sdm_app.services.page_parts import ui_text


def plain_tooltip(text: str) -> str:
    """Tooltip text that Qt can never read as markup (it guesses rich text otherwise)."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"<p>{escaped}</p>"


MODULE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
HTML_ROLE = Qt.ItemDataRole.UserRole + 2


class LibraryTreeModel(QStandardItemModel):
    """Topics as top-level rows, their modules as children, in the pack's order."""

    def set_library(
        self, topics: list[Topic], modules: list[ModuleSummary], locale: str = ""
    ) -> None:
        """``locale`` is the language asked for: a module shown in another (not yet
        translated) says which language it opens in."""
        self.clear()
        by_topic: dict[str, list[ModuleSummary]] = {}
        for module in modules:
            by_topic.setdefault(module.topic_id, []).append(module)
        for topic in sorted(topics, key=lambda t: t.position):
            members = by_topic.get(topic.id, [])
            if not members:
                continue
            topic_item = QStandardItem(
                ui_text(title_in_language(topic.title, topic.locale, locale))
            )
            topic_item.setEditable(False)
            topic_item.setSelectable(False)
            for module in members:
                item = QStandardItem(
                    ui_text(title_in_language(module.title, module.locale, locale))
                )
                item.setEditable(False)
                item.setData(module.id, MODULE_ID_ROLE)
                item.setToolTip(plain_tooltip(ui_text(module.key_message)))
                topic_item.appendRow(item)
            self.appendRow(topic_item)

    def index_of_module(self, module_id: str) -> QModelIndex:
        for row in range(self.rowCount()):
            topic = self.item(row)
            for child_row in range(topic.rowCount()):
                child = topic.child(child_row)
                if child.data(MODULE_ID_ROLE) == module_id:
                    return child.index()
        return QModelIndex()
