"""Bundled fonts and the colour scheme (normal or high contrast)."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from sdm_app import paths

UI_FAMILIES = ["Noto Sans", "Noto Sans Arabic"]
# Underlined as well as coloured, so hits show without colour; not bold, because a
# change of font inside a word would break the joining of Arabic letters.
HIGHLIGHT_CSS = ".hit { background-color: #ffe08a; color: #000000; text-decoration: underline; }"


def load_bundled_fonts(app: QApplication) -> None:
    """Register the shipped fonts so every script renders without system fonts."""
    for font_file in sorted(paths.fonts_dir().glob("*.ttf")):
        QFontDatabase.addApplicationFont(str(font_file))
    font = QFont(app.font())
    font.setFamilies(UI_FAMILIES)
    app.setFont(font)


def apply_palette(app: QApplication, high_contrast: bool) -> None:
    from PySide6.QtGui import QColor, QPalette  # only when the user asks for it

    if not high_contrast:
        app.setPalette(app.style().standardPalette())
        return
    palette = QPalette()
    black, white, yellow = QColor("#000000"), QColor("#ffffff"), QColor("#ffff00")
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
    app.setPalette(palette)
