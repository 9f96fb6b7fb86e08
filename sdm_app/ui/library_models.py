"""Item models of the library page: modules by topic, and search hits."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from sdm_app.core.library import ModuleSummary, SearchHit, Topic
from sdm_app.i18n import title_in_language


def plain_tooltip(text: str) -> str:
    """Tooltip text that Qt can never read as markup (it guesses rich text otherwise)."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"<p>{escaped}</p>"


MODULE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
HTML_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex


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
            topic_item = QStandardItem(topic.title)
            topic_item.setEditable(False)
            topic_item.setSelectable(False)
            for module in members:
                item = QStandardItem(title_in_language(module.title, module.locale, locale))
                item.setEditable(False)
                item.setData(module.id, MODULE_ID_ROLE)
                item.setToolTip(plain_tooltip(module.key_message))
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


class SearchResultsModel(QAbstractListModel):
    def __init__(self) -> None:
        super().__init__()
        self._hits: list[SearchHit] = []

    def set_hits(self, hits: list[SearchHit]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def hit(self, row: int) -> SearchHit:
        return self._hits[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt API)
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{hit.title}. {hit.snippet}"
        if role == HTML_ROLE:
            from sdm_app.services.module_page import highlighted_html  # first search only

            title = highlighted_html(hit.title, hit.title_highlights)
            snippet = highlighted_html(hit.snippet, hit.snippet_highlights)
            return f"<b>{title}</b><br>{snippet}"
        if role == MODULE_ID_ROLE:
            return hit.module_id
        return None
