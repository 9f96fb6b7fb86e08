"""Search hits as a list model, made at the first search (it costs start-up time)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from sdm_app.core.library import SearchHit
from sdm_app.ui.library_models import HTML_ROLE, MODULE_ID_ROLE

Index = QModelIndex | QPersistentModelIndex


class SearchResultsModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
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
