"""Reading a module or a decision aid: the text, glossary definitions on hover
and on focus, and links that only ever go where the reader confirms."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt, QUrl, Signal
from PySide6.QtWidgets import QFrame, QLabel, QToolTip, QVBoxLayout, QWidget

from sdm_app.core.library import GlossaryTerm, Module, PackInfo
from sdm_app.i18n import N_, _
from sdm_app.storage.content_db import ContentLibrary
from sdm_app.ui.messages import show_message
from sdm_app.ui.safe_browser import SafeTextBrowser

if TYPE_CHECKING:
    from sdm_app.core.decision_aid import DecisionAid


class ModuleView(QWidget):
    module_requested = Signal(str)

    def __init__(
        self,
        library: ContentLibrary,
        parent: QWidget | None = None,
        *,
        accessible_name: str = N_("Module text"),
        empty_hint: str = N_("Choose a module from the list to read it."),
    ) -> None:
        super().__init__(parent)
        self._library = library
        self._module: Module | None = None
        self._aid: DecisionAid | None = None
        self._locale = library.source_locale()
        # Kept untranslated: translated again at each retranslate_ui().
        self._accessible_name, self._empty_hint = accessible_name, empty_hint

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

    @property
    def decision_aid(self) -> DecisionAid | None:
        return self._aid

    def retranslate_ui(self) -> None:
        self.browser.setAccessibleName(_(self._accessible_name))
        self.definition.setAccessibleName(_("Definition"))
        if self._module is None and self._aid is None:
            self.browser.setPlainText(_(self._empty_hint))

    def show_module(self, module_id: str, locale: str) -> bool:
        module = self._library.module(module_id, locale)
        if module is None:
            return False
        self._module, self._aid, self._locale = module, None, locale
        from sdm_app.services.module_page import module_html  # not needed at start-up

        self.browser.setHtml(module_html(module, self._pack(module.pack_id), date.today()))
        self.definition.hide()
        return True

    def show_decision_aid(self, aid_id: str, locale: str) -> bool:
        aid = self._library.decision_aid(aid_id, locale)
        if aid is None:
            return False
        self._module, self._aid, self._locale = None, aid, locale
        from sdm_app.services.decision_aid_page import decision_aid_html

        self.browser.setHtml(decision_aid_html(aid, self._pack(aid.pack_id), date.today()))
        self.definition.hide()
        return True

    def show_html(self, html: str, locale: str) -> None:
        """Show a page made elsewhere (an explanation card, a summary preview).

        ``html`` must already be escaped; links in it work as in modules.
        """
        self._module, self._aid, self._locale = None, None, locale
        self.browser.setHtml(html)
        self.definition.hide()

    def _pack(self, pack_id: str) -> PackInfo | None:
        return next((p for p in self._library.packs() if p.id == pack_id), None)

    def reload(self, locale: str) -> None:
        """Show the open text again in another language (after a language switch)."""
        if self._module is not None:
            self.show_module(self._module.id, locale)
        elif self._aid is not None:
            self.show_decision_aid(self._aid.id, locale)
        else:
            self._locale = locale
            self.retranslate_ui()

    def _term(self, term_id: str) -> GlossaryTerm | None:
        return self._library.term(term_id, self._locale)

    def _definition_html(self, term: GlossaryTerm) -> str:
        from html import escape

        from sdm_app.i18n import title_in_language
        from sdm_app.services.page_parts import ui_text

        # A term not yet translated says which language its definition is in.
        name = ui_text(title_in_language(term.term, term.locale, self._locale))
        return f"<b>{escape(name)}</b>: {escape(ui_text(term.definition))}"

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

        url = QUrl(address)
        # A user part ("trusted.org@other.example") hides the real site: refuse it.
        if url.scheme() != "https" or not url.host() or url.userInfo():
            show_message(
                self,
                QMessageBox.Icon.Warning,
                _("Link not opened"),
                _("This address cannot be opened safely:\n\n{address}").format(address=address),
            )
            return
        answer = show_message(
            self,
            QMessageBox.Icon.Question,
            _("Open web page?"),
            _(
                "This link opens a web page in your browser, outside this app.\n\n"
                "Site: {host}\nAddress: {address}\n\nOpen it?"
                # The site as the browser will reach it: a look-alike name ("аpple.com"
                # with a Cyrillic "а") shows its punycode form ("xn--pple-43d.com").
            ).format(
                host=url.host(QUrl.ComponentFormattingOption.EncodeUnicode),
                address=url.toString(QUrl.ComponentFormattingOption.FullyEncoded),
            ),
            QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Open:
            QDesktopServices.openUrl(url)
