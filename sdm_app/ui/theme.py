"""Bundled fonts and the colour scheme (normal or high contrast)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from sdm_app import paths
from sdm_app.branding import current_branding

UI_FAMILIES = ["Noto Sans", "Noto Sans Arabic"]
# Underlined as well as coloured, so hits show without colour; not bold, because a
# change of font inside a word would break the joining of Arabic letters.
HIGHLIGHT_CSS = ".hit { background-color: #ffe08a; color: #000000; text-decoration: underline; }"

# High contrast: white on black, yellow for focus and selection. Qt's styles draw
# frames and check marks from shades of the button colour, which on black are black,
# so every control's edge is drawn here: white borders (21:1 on black, WCAG 1.4.11
# asks 3:1), a yellow fill for a chosen box or circle (its shape unchanged), a yellow
# border for the focused control.
HC_BACKGROUND = "#000000"
HC_FOREGROUND = "#ffffff"
HC_ACCENT = "#ffff00"
HC_DISABLED = "#a6a6a6"  # 8.7:1 on black
HIGH_CONTRAST_CSS = f"""
QLineEdit, QPlainTextEdit, QTextEdit, QTextBrowser, QComboBox, QDateEdit, QSpinBox,
QListView, QTreeView, QTableView {{
    border: 1px solid {HC_FOREGROUND};
}}
QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus, QTextBrowser:focus, QComboBox:focus,
QDateEdit:focus, QSpinBox:focus, QListView:focus, QTreeView:focus, QTableView:focus {{
    border: 2px solid {HC_ACCENT};
}}
QPushButton {{
    border: 2px solid {HC_FOREGROUND};
    padding: 0.2em 0.8em;
    background: {HC_BACKGROUND};
    color: {HC_FOREGROUND};
}}
QPushButton:focus {{ border-color: {HC_ACCENT}; }}
QPushButton:disabled {{ border-color: {HC_DISABLED}; color: {HC_DISABLED}; }}
QCheckBox::indicator, QRadioButton::indicator {{
    width: 0.9em;
    height: 0.9em;
    border: 2px solid {HC_FOREGROUND};
    background: {HC_BACKGROUND};
}}
QRadioButton::indicator {{ border-radius: 0.55em; }}
QCheckBox::indicator:checked, QRadioButton::indicator:checked {{ background: {HC_ACCENT}; }}
QCheckBox::indicator:disabled, QRadioButton::indicator:disabled {{ border-color: {HC_DISABLED}; }}
QCheckBox:focus, QRadioButton:focus {{ color: {HC_ACCENT}; }}
QSlider::groove:horizontal {{ height: 0.35em; background: {HC_FOREGROUND}; }}
QSlider::handle:horizontal {{
    width: 1em;
    margin: -0.4em 0;
    background: {HC_ACCENT};
    border: 2px solid {HC_FOREGROUND};
}}
QHeaderView::section {{
    background: {HC_BACKGROUND};
    color: {HC_FOREGROUND};
    border: 1px solid {HC_FOREGROUND};
    padding: 0.1em 0.3em;
}}
"""


# Fonts of scripts the UI may not need are registered at start only for a UI in
# that script, otherwise just after the window shows (the Chinese one is 4 MB).
# Font file name prefixes, each with the languages that need it at once.
_LATE_FONTS = {
    "DroidSansFallbackFull": frozenset({"zh", "ja"}),
    "NotoSansDevanagari-": frozenset({"hi", "mr", "ne"}),
    "NotoSansHebrew-": frozenset({"he", "yi"}),
}
_registered: set[str] = set()


def load_bundled_fonts(app: QApplication) -> None:
    """Register the shipped fonts so every script renders without system fonts."""
    _register(name for name in _font_names() if not name.startswith(tuple(_LATE_FONTS)))
    font = QFont(app.font())
    font.setFamilies(UI_FAMILIES)
    app.setFont(font)


def load_fonts_for(language: str) -> None:
    """Register the fonts a UI language needs before its first paint."""
    base = language.replace("-", "_").split("_")[0]
    prefixes = tuple(prefix for prefix, languages in _LATE_FONTS.items() if base in languages)
    if prefixes:
        _register(name for name in _font_names() if name.startswith(prefixes))


def load_remaining_fonts() -> None:
    _register(_font_names())


def _font_names() -> list[str]:
    return sorted(path.name for path in paths.fonts_dir().glob("*.ttf"))


def _register(names: Iterable[str]) -> None:
    for name in names:
        if name not in _registered:
            _registered.add(name)
            QFontDatabase.addApplicationFont(str(paths.fonts_dir() / name))


def apply_palette(app: QApplication, high_contrast: bool) -> None:
    from PySide6.QtGui import QColor, QPalette  # only when the user asks for it

    if high_contrast or app.styleSheet():
        app.setStyleSheet(HIGH_CONTRAST_CSS if high_contrast else "")
    if not high_contrast:
        palette = app.style().standardPalette()
        branding = current_branding()
        if branding is not None and QColor.isValidColorName(branding.accent):
            # An organisation's colour marks selection and links; the build checked
            # that white text on it is readable.
            accent = QColor(branding.accent)
            palette.setColor(QPalette.ColorRole.Highlight, accent)
            palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
            palette.setColor(QPalette.ColorRole.Link, accent)
        app.setPalette(palette)
        return
    palette = QPalette()
    black, white, yellow = QColor(HC_BACKGROUND), QColor(HC_FOREGROUND), QColor(HC_ACCENT)
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base, QPalette.ColorRole.Button):
        palette.setColor(role, black)
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
        QPalette.ColorRole.ToolTipText,
    ):
        palette.setColor(role, white)
    palette.setColor(QPalette.ColorRole.ToolTipBase, black)
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor("#202020"))
    palette.setColor(QPalette.ColorRole.Highlight, yellow)
    palette.setColor(QPalette.ColorRole.HighlightedText, black)
    palette.setColor(QPalette.ColorRole.Link, yellow)
    palette.setColor(QPalette.ColorRole.LinkVisited, yellow)
    palette.setColor(QPalette.ColorRole.PlaceholderText, QColor(HC_DISABLED))
    for group in (QPalette.ColorGroup.Disabled,):
        for role in (
            QPalette.ColorRole.WindowText,
            QPalette.ColorRole.Text,
            QPalette.ColorRole.ButtonText,
        ):
            palette.setColor(group, role, QColor(HC_DISABLED))
    app.setPalette(palette)
