"""The app's shared state for the UI: content, settings, language and text size.

Pages never talk to each other; they listen to this object's signals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QObject, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from sdm_app import i18n, paths
from sdm_app.i18n import _
from sdm_app.storage.content_db import ContentLibrary
from sdm_app.storage.settings import Settings, SettingsNotSavedError, SettingsStore
from sdm_app.storage.user_db import UserDatabase
from sdm_app.ui.theme import load_fonts_for

if TYPE_CHECKING:
    from PySide6.QtCore import QTranslator

BASE_POINT_SIZE = 10.0


class AppController(QObject):
    language_changed = Signal(str)
    settings_not_saved = Signal(str)  # a message naming user.db and the reason
    text_scale_changed = Signal(int)
    high_contrast_changed = Signal(bool)
    auto_lock_changed = Signal(int)  # minutes without use before locking; 0: never

    def __init__(
        self, library: ContentLibrary, settings: SettingsStore, database: UserDatabase
    ) -> None:
        super().__init__()
        self.library = library
        self.settings_store = settings
        self.database = database
        self._qt_translator: QTranslator | None = None
        self._text_scale_floor = 0
        self._base_font = QFont(QApplication.font())
        self._base_font.setPointSizeF(BASE_POINT_SIZE)

    @property
    def settings(self) -> Settings:
        return self.settings_store.settings

    @property
    def language(self) -> str:
        return i18n.current_language()

    def content_locale(self) -> str:
        """The content language matching the UI. A language no pack has is still asked
        for: each text then comes in its source language and says it is not yet
        translated, instead of appearing in English without a word."""
        language = i18n.current_language()
        locales = self.library.locales()
        if language in locales:
            return language
        base = i18n.base_language(language)
        return base if base in locales else language

    def available_languages(self) -> list[str]:
        return i18n.available_languages()

    def apply_language(self, language: str) -> None:
        """Switch gettext, Qt's own translations and the layout direction."""
        used = i18n.set_language(language)
        load_fonts_for(used)
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        if self._qt_translator is not None:
            app.removeTranslator(self._qt_translator)
            self._qt_translator.deleteLater()
            self._qt_translator = None
        # By QLocale, so that zh finds qtbase_zh_CN and pt finds qtbase_pt_BR.
        qt_locale = QLocale(i18n.babel_locale_code(used))
        if i18n.base_language(used) != i18n.SOURCE_LANGUAGE:  # Qt's own words are English
            self._qt_translator = _install_qt_translator(app, qt_locale)
        QLocale.setDefault(qt_locale)
        direction = (
            Qt.LayoutDirection.RightToLeft if i18n.is_rtl(used) else Qt.LayoutDirection.LeftToRight
        )
        app.setLayoutDirection(direction)
        self.language_changed.emit(used)

    def set_language(self, language: str) -> None:
        if language == i18n.current_language():
            return
        self.apply_language(language)
        self._store(language=i18n.current_language())

    def set_text_scale_floor(self, floor: int) -> None:
        """A smallest text size for now (the patient view), whatever the setting."""
        self._text_scale_floor = floor
        self.apply_text_scale(self.settings.text_scale)

    def apply_text_scale(self, scale: int) -> None:
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        scale = max(scale, self._text_scale_floor)
        font = QFont(self._base_font)
        font.setPointSizeF(BASE_POINT_SIZE * scale / 100)
        app.setFont(font)
        self.text_scale_changed.emit(scale)

    def set_text_scale(self, scale: int) -> None:
        if scale == self.settings.text_scale:
            return
        self._store(text_scale=scale)
        self.apply_text_scale(self.settings.text_scale)

    def set_high_contrast(self, enabled: bool) -> None:
        if enabled == self.settings.high_contrast:
            return
        self._store(high_contrast=enabled)
        self.high_contrast_changed.emit(enabled)

    def set_printing(
        self,
        *,
        paper: str | None = None,
        large_print: bool | None = None,
        genetics_service: str | None = None,
    ) -> None:
        """How summaries and family letters are printed; used at the next export."""
        self._store(paper=paper, large_print=large_print, genetics_service=genetics_service)

    def set_auto_lock_minutes(self, minutes: int) -> None:
        if minutes == self.settings.auto_lock_minutes:
            return
        self._store(auto_lock_minutes=minutes)
        self.auto_lock_changed.emit(self.settings.auto_lock_minutes)

    def _store(
        self,
        *,
        language: str | None = None,
        text_scale: int | None = None,
        high_contrast: bool | None = None,
        paper: str | None = None,
        large_print: bool | None = None,
        genetics_service: str | None = None,
        auto_lock_minutes: int | None = None,
    ) -> None:
        try:
            self.settings_store.update(
                language=language,
                text_scale=text_scale,
                high_contrast=high_contrast,
                paper=paper,
                large_print=large_print,
                genetics_service=genetics_service,
                auto_lock_minutes=auto_lock_minutes,
            )
        except SettingsNotSavedError as error:
            self.settings_not_saved.emit(
                _("Your setting applies now but could not be saved for next time.") + f"\n\n{error}"
            )


def _install_qt_translator(app: QApplication, locale: QLocale) -> QTranslator | None:
    """Qt's translation of its own dialog buttons and menus, when there is one."""
    from PySide6.QtCore import QLibraryInfo, QTranslator

    translator = QTranslator(app)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for folder in (qt_dir, str(paths.locales_dir() / "qt")):
        if translator.load(locale, "qtbase", "_", folder):
            app.installTranslator(translator)
            return translator
    translator.deleteLater()
    return None
