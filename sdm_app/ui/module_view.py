"""Reading one module: the text, glossary definitions on hover and on focus,
and links that only ever go where the reader confirms."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QPoint, Qt, QUrl, Signal
from PySide6.QtWidgets import QFrame, QLabel, QToolTip, QVBoxLayout, QWidget

from sdm_app.core.library import GlossaryTerm, Module
from sdm_app.i18n import _
from sdm_app.storage.content_db import ContentLibrary
from sdm_app.ui.safe_browser import SafeTextBrowser


class ModuleView(QWidget):
    module_requested = Signal(str)

    def __init__(self, library: ContentLibrary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self._module: Module | None = None
        self._locale = library.source_locale()

        self.browser = SafeTextBrowser(self)
        self.browser.setObjectName("moduleText")
        self.definition = QLabel(self)
        self.definition.setObjectName("termDefinition")
        self.definition.setWordWrap(True)
        self.definition.setTextFormat(Qt.TextFormat.RichText)
        self.definition.setFrameShape(QFrame.Shape.StyledPanel)
        self.definition.setMargin(8)
        self.definition.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser, 1)
        layout.addWidget(self.definition)

        self.browser.link_activated.connect(self._on_browser_link_activated)
        self.browser.term_hovered.connect(self._on_browser_term_hovered)
        self.browser.link_focused.connect(self._on_browser_link_focused)
        self.retranslate_ui()

    @property
    def module(self) -> Module | None:
        return self._module

    def retranslate_ui(self) -> None:
        self.browser.setAccessibleName(_("Module text"))
        self.definition.setAccessibleName(_("Definition"))
        if self._module is None:
            hint = _("Choose a module from the list to read it.")
            self.browser.setPlainText(hint)

    def show_module(self, module_id: str, locale: str) -> bool:
        module = self._library.module(module_id, locale)
        if module is None:
            return False
        self._module, self._locale = module, locale
        pack = next((p for p in self._library.packs() if p.id == module.pack_id), None)
        from sdm_app.services.module_page import module_html  # not needed at start-up

        self.browser.setHtml(module_html(module, pack, date.today()))
        self.definition.hide()
        return True

    def reload(self, locale: str) -> None:
        """Show the open module again in another language (after a language switch)."""
        if self._module is not None:
            self.show_module(self._module.id, locale)
        else:
            self._locale = locale
            self.retranslate_ui()

    def _term(self, term_id: str) -> GlossaryTerm | None:
        return self._library.term(term_id, self._locale)

    def _definition_html(self, term: GlossaryTerm) -> str:
        from html import escape

        return f"<b>{escape(term.term)}</b>: {escape(term.definition)}"

    def _on_browser_term_hovered(self, term_id: str, position: QPoint) -> None:
        term = self._term(term_id) if term_id else None
        if term is None:
            return
        QToolTip.showText(position, self._definition_html(term), self.browser)

    def _on_browser_link_focused(self, href: str) -> None:
        if href.startswith("term:"):
            self._show_definition(href[len("term:") :])
        else:
            self.definition.hide()

    def _show_definition(self, term_id: str) -> None:
        term = self._term(term_id)
        if term is None:
            self.definition.hide()
            return
        self.definition.setText(self._definition_html(term))
        self.definition.show()
        cursor_rect = self.browser.cursorRect(self.browser.textCursor())
        QToolTip.showText(
            self.browser.viewport().mapToGlobal(cursor_rect.bottomLeft()),
            self._definition_html(term),
            self.browser,
        )

    def _on_browser_link_activated(self, scheme: str, target: str) -> None:
        if scheme == "module":
            self.module_requested.emit(target)
        elif scheme == "source":
            self.browser.scrollToAnchor(f"source-{target}")
        elif scheme == "term":
            self._show_definition(target)
        elif scheme == "https":
            self._confirm_and_open(target)

    def _confirm_and_open(self, address: str) -> None:
        from PySide6.QtGui import QDesktopServices
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(
            self,
            _("Open web page?"),
            _(
                "This link opens a web page in your browser, outside this app:\n\n"
                "{address}\n\nOpen it?"
            ).format(address=address),
            QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Open:
            QDesktopServices.openUrl(QUrl(address))
