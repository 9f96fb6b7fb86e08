"""The library: modules by topic, search as you type, and the reading view."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QSignalBlocker, QSize, Qt, Signal
from PySide6.QtGui import QAction, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QLineEdit,
    QSplitter,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from sdm_app.i18n import _, format_number, ngettext
from sdm_app.ui.controller import AppController
from sdm_app.ui.library_models import MODULE_ID_ROLE, LibraryTreeModel
from sdm_app.ui.topic_tree import TopicTreeView

if TYPE_CHECKING:
    from PySide6.QtGui import QKeyEvent, QResizeEvent
    from PySide6.QtWidgets import QListView

    from sdm_app.ui.module_view import ModuleView
    from sdm_app.ui.search_results import SearchResultsModel

SEARCH_LIMIT = 50
LEFT_PANE_CHARS = 20
LEFT_PANE_SHARE = 0.3


class SearchField(QLineEdit):
    """A search box that hands the Down key to the results list.

    Its clear button is made when there is first text to clear (Qt shows it only
    then): making it with the box costs start-up time.
    """

    move_to_results = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.textChanged.connect(self._on_text_changed)

    def _on_text_changed(self, text: str) -> None:
        if text and not self.isClearButtonEnabled():
            self.setClearButtonEnabled(True)
            self.retranslate_ui()

    def retranslate_ui(self) -> None:
        # The clear button's action gives the button its accessible name.
        for action in self.findChildren(QAction, "_q_qlineeditclearaction"):
            action.setText(_("Clear the search"))
        self.updateGeometry()  # the hint, in the new language, decides the width

    def minimumSizeHint(self) -> QSize:
        # Never so narrow that the hint shown in the empty box is cut short.
        hint = super().minimumSizeHint()
        margins = self.textMargins()
        frame = self.style().pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth, None, self)
        needed = (
            self.fontMetrics().horizontalAdvance(self.placeholderText())
            + margins.left()
            + margins.right()
            + 2 * frame
            + 4  # the box's own margins around its text
        )
        return QSize(max(hint.width(), needed), hint.height())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down:
            self.move_to_results.emit()
            return
        super().keyPressEvent(event)


class LibraryPage(QWidget):
    module_opened = Signal(str)

    def __init__(self, controller: AppController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._library = controller.library

        self.search_label = QLabel(self)
        self.search_label.setWordWrap(True)  # a long translation in a narrow pane
        self.search_field = SearchField(self)
        self.search_field.setObjectName("searchField")
        self.search_label.setBuddy(self.search_field)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("searchStatus")
        self.status_label.setWordWrap(True)

        self.tree_model = LibraryTreeModel(self)
        self.tree = TopicTreeView(self)
        self.tree.setObjectName("topicTree")
        self.tree.setModel(self.tree_model)

        self._results_model: SearchResultsModel | None = None
        self._results: QListView | None = None

        self.lists = QStackedWidget(self)
        self.lists.addWidget(self.tree)

        left = QWidget(self)
        self._left_pane = left
        self._split_done = False
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.search_label)
        left_layout.addWidget(self.search_field)
        left_layout.addWidget(self.status_label)
        left_layout.addWidget(self.lists, 1)

        # The reading view is built when the first module opens (it costs start-up
        # time); until then a hint that looks the same stands in its place.
        self._module_view: ModuleView | None = None
        self.reading_hint: QLabel | None = QLabel(self)
        self.reading_hint.setObjectName("readingHint")
        self.reading_hint.setWordWrap(True)
        self.reading_hint.setTextFormat(Qt.TextFormat.PlainText)
        self.reading_hint.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignTop)
        self.reading_hint.setFrameShape(QFrame.Shape.StyledPanel)
        self.reading_hint.setMargin(6)
        self.reading_hint.setAutoFillBackground(True)
        self.reading_hint.setBackgroundRole(QPalette.ColorRole.Base)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.reading_hint)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        self._page_layout = layout

        self.search_field.textChanged.connect(self._on_search_field_text_changed)
        self.search_field.returnPressed.connect(self._on_search_field_return_pressed)
        self.search_field.move_to_results.connect(self._on_search_field_move_to_results)
        self.tree.selectionModel().currentChanged.connect(self._on_tree_current_changed)
        controller.language_changed.connect(self._on_controller_language_changed)

        self._fit_left_pane()
        self.reload_library()
        self.retranslate_ui()

    # -- public -----------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_left_pane()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self._split_done and event.size().width() > 0:
            self._split_done = True  # later, the reader's own dragging of the splitter wins
            # The splitter may not be laid out yet: share the page's own width.
            margins = self._page_layout.contentsMargins()
            self._fit_left_pane(event.size().width() - margins.left() - margins.right())

    def _fit_left_pane(self, width: int = 0) -> None:
        # Wide enough for a search word and short titles at any text size, while
        # the reading pane keeps most of the room.
        minimum = self._left_pane_minimum()
        self._left_pane.setMinimumWidth(minimum)
        total = width or sum(self.splitter.sizes())
        if total > 0:
            left = max(minimum, int(total * LEFT_PANE_SHARE))
            self.splitter.setSizes([left, total - left])

    def _left_pane_minimum(self) -> int:
        # The search box's hint is not cut short in a long translation either.
        chars = self.fontMetrics().averageCharWidth() * LEFT_PANE_CHARS
        return max(chars, self.search_field.minimumSizeHint().width())

    @property
    def module_view(self) -> ModuleView:
        """The reading view, built in the hint's place the first time it is needed."""
        if self._module_view is None:
            from sdm_app.ui.module_view import ModuleView

            view = ModuleView(self._library, self)
            view.module_requested.connect(self.open_module)
            sizes = self.splitter.sizes()
            if self.reading_hint is not None:
                self.splitter.replaceWidget(self.splitter.indexOf(self.reading_hint), view)
                self.reading_hint.deleteLater()
                self.reading_hint = None
            self.splitter.setSizes(sizes)
            self._module_view = view
        return self._module_view

    @property
    def results_model(self) -> SearchResultsModel:
        """The search hits, made at the first search."""
        if self._results_model is None:
            from sdm_app.ui.search_results import SearchResultsModel

            self._results_model = SearchResultsModel(self)
        return self._results_model

    @property
    def results(self) -> QListView:
        """The search results list, built at the first search (keeps start-up fast)."""
        if self._results is None:
            from PySide6.QtWidgets import QAbstractItemView, QListView

            from sdm_app.ui.highlight_delegate import HighlightDelegate

            results = QListView(self)
            results.setObjectName("searchResults")
            results.setModel(self.results_model)
            results.setItemDelegate(HighlightDelegate(results))
            results.setWordWrap(True)
            results.setResizeMode(QListView.ResizeMode.Adjust)
            results.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
            results.setAccessibleName(_("Search results"))
            results.selectionModel().currentChanged.connect(self._on_results_current_changed)
            results.activated.connect(self._on_results_activated)
            self.lists.addWidget(results)
            self._results = results
        return self._results

    def retranslate_ui(self) -> None:
        self.search_label.setText(_("&Search the library"))
        self.search_field.setPlaceholderText(_("For example: BRCA2"))
        self.search_field.setAccessibleName(_("Search the library"))
        self.search_field.retranslate_ui()
        self._left_pane.setMinimumWidth(self._left_pane_minimum())
        self.tree.setAccessibleName(_("Modules by topic"))
        if self._results is not None:
            self._results.setAccessibleName(_("Search results"))
        if self._module_view is not None:
            self._module_view.retranslate_ui()
        elif self.reading_hint is not None:
            self.reading_hint.setText(_("Choose a module from the list to read it."))
        self._update_status()

    def reload_library(self) -> None:
        locale = self._controller.content_locale()
        view = self._module_view
        open_id = view.module.id if view is not None and view.module else None
        with QSignalBlocker(self.tree.selectionModel()):
            self.tree_model.set_library(
                self._library.topics(locale), self._library.modules(locale), locale
            )
        self.tree.show_topics()
        if open_id:
            self.module_view.reload(locale)
            self._select_in_tree(open_id)
        if self.search_field.text().strip():
            self._run_search(self.search_field.text())

    def open_module(self, module_id: str) -> None:
        if self.module_view.show_module(module_id, self._controller.content_locale()):
            self._select_in_tree(module_id)
            self.module_opened.emit(module_id)

    def search(self, text: str) -> None:
        self.search_field.setText(text)

    # -- slots ------------------------------------------------------------

    def _on_controller_language_changed(self, _language: str) -> None:
        self._fit_left_pane()
        self.reload_library()
        self.retranslate_ui()

    def _on_search_field_text_changed(self, text: str) -> None:
        self._run_search(text)

    def _on_search_field_return_pressed(self) -> None:
        if self.results_model.rowCount() > 0:
            self._open_hit(0)

    def _on_search_field_move_to_results(self) -> None:
        widget = self.results if self.lists.currentWidget() is self._results else self.tree
        widget.setFocus(Qt.FocusReason.TabFocusReason)
        if not widget.currentIndex().isValid() and widget.model().rowCount() > 0:
            widget.setCurrentIndex(widget.model().index(0, 0))

    def _on_tree_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        module_id = current.data(MODULE_ID_ROLE)
        if module_id:
            self.module_view.show_module(str(module_id), self._controller.content_locale())
            self.module_opened.emit(str(module_id))

    def _on_results_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._open_hit(current.row())

    def _on_results_activated(self, index: QModelIndex) -> None:
        self._open_hit(index.row())
        self.module_view.browser.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- helpers ----------------------------------------------------------

    def _run_search(self, text: str) -> None:
        if not text.strip():
            self.results_model.set_hits([])
            self.lists.setCurrentWidget(self.tree)
        else:
            locale = self._controller.content_locale()
            hits = self._library.search(text, locale, SEARCH_LIMIT)
            self.results_model.set_hits(hits, locale)
            self.lists.setCurrentWidget(self.results)
        self._update_status()

    def _update_status(self) -> None:
        if self.lists.currentWidget() is not self._results:
            self.status_label.setText(_("Browse by topic, or search."))
            return
        count = self.results_model.rowCount()
        if count == 0:
            self.status_label.setText(_("No modules match your search."))
        elif count >= SEARCH_LIMIT:
            self.status_label.setText(
                _("Showing the {count} best matches. Type more to narrow the search.").format(
                    count=format_number(count)
                )
            )
        else:
            self.status_label.setText(
                ngettext("{count} module found", "{count} modules found", count).format(
                    count=format_number(count)
                )
            )

    def _open_hit(self, row: int) -> None:
        hit = self.results_model.hit(row)
        self.module_view.show_module(hit.module_id, self._controller.content_locale())
        self.module_opened.emit(hit.module_id)

    def _select_in_tree(self, module_id: str) -> None:
        index = self.tree_model.index_of_module(module_id)
        if index.isValid():
            with QSignalBlocker(self.tree.selectionModel()):
                self.tree.setCurrentIndex(index)
