"""Search hits as a list model, made at the first search (it costs start-up time).

A hit in another language than the one asked for (a module not yet translated) says
which; in a right-to-left language every left-to-right phrase of a title or snippet
is isolated, so an English snippet keeps its ellipses and full stops in place.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from sdm_app.core.bidi import isolate_ltr_runs_keeping
from sdm_app.core.library import SearchHit
from sdm_app.i18n import current_language, is_rtl, title_in_language
from sdm_app.ui.library_models import HTML_ROLE, MODULE_ID_ROLE

Index = QModelIndex | QPersistentModelIndex
Ranges = tuple[tuple[int, int], ...]


def shown_hit(hit: SearchHit, wanted_locale: str) -> tuple[str, Ranges, str, Ranges]:
    """The title and snippet as shown, with their highlighted ranges moved along."""
    title = title_in_language(hit.title, hit.locale, wanted_locale)
    at = title.find(hit.title) if title != hit.title else 0
    title_ranges = tuple((start + at, end + at) for start, end in hit.title_highlights)
    rtl = is_rtl(current_language())
    title, title_ranges = isolate_ltr_runs_keeping(title, title_ranges, rtl)
    snippet, snippet_ranges = isolate_ltr_runs_keeping(hit.snippet, hit.snippet_highlights, rtl)
    return title, title_ranges, snippet, snippet_ranges


class SearchResultsModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hits: list[SearchHit] = []
        self._locale = ""

    def set_hits(self, hits: list[SearchHit], locale: str = "") -> None:
        """``locale``: the language asked for; a hit in another one says so."""
        self.beginResetModel()
        self._hits = list(hits)
        self._locale = locale
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
            shown = shown_hit(hit, self._locale)
            return f"{shown[0]}. {shown[2]}"
        if role == HTML_ROLE:
            from sdm_app.services.module_page import highlighted_html  # first search only

            title, title_ranges, snippet, snippet_ranges = shown_hit(hit, self._locale)
            title = highlighted_html(title, title_ranges)
            snippet = highlighted_html(snippet, snippet_ranges)
            return f"<b>{title}</b><br>{snippet}"
        if role == MODULE_ID_ROLE:
            return hit.module_id
        return None
