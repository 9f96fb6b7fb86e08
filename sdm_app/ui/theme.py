"""Bundled fonts and the colour scheme (normal or high contrast)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import QApplication

from sdm_app import paths
from sdm_app.branding import current_branding

UI_FAMILIES = ["Noto Sans", "Noto Sans Arabic"]
# Underlined as well as coloured, so hits show without colour; not bold, because a
# change of font inside a word would break the joining of Arabic letters.
HIGHLIGHT_CSS = ".hit { background-color: #ffe08a; color: #000000; text-decoration: underline; }"

# The colours of both themes. Text meets WCAG 2.2's enhanced ratio in high contrast
# (7:1) and the minimum one in the normal theme (4.5:1); every control's edge, focus
# ring and chosen indicator is at least 3:1 against what surrounds it (SC 1.4.11).
# Edges use the palette's Dark role and the focus ring its Highlight role (see
# ``style.py``). tests/ui/test_high_contrast.py computes every ratio.
NORMAL_EDGE = "#6e6e6e"  # 4.4:1 on the window colour, 5.1:1 on white
NORMAL_DISABLED_EDGE = "#a8a8a8"
NORMAL_HIGHLIGHT = "#2767a8"  # white text on it 5.9:1; 5.1:1 on the window colour
NORMAL_PLACEHOLDER = "#6e6e6e"  # 5.1:1 on white (Fusion's grey is 3.9:1)
NORMAL_LINK_VISITED = "#6a1b9a"  # 9.4:1 on white (Fusion's magenta is 3.1:1)

# High contrast: white on black, yellow for focus and selection.
HC_BACKGROUND = "#000000"
HC_FOREGROUND = "#ffffff"
HC_ACCENT = "#ffff00"  # 19.6:1 on black
HC_DISABLED = "#a6a6a6"  # 8.7:1 on black
HC_ALTERNATE = "#1f1f1f"  # alternate rows and notices; white on it 16.6:1


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


def install_style(app: QApplication) -> None:
    """Fusion with visible edges, indicators and focus rings, on every platform."""
    from sdm_app.ui.style import AccessibleStyle

    if not isinstance(app.style(), AccessibleStyle):
        app.setStyle(AccessibleStyle())


def apply_palette(app: QApplication, high_contrast: bool) -> None:
    """The app's style and the colours of the normal or high-contrast theme."""
    install_style(app)
    if app.styleSheet():  # an older version's high-contrast style sheet
        app.setStyleSheet("")
    app.setPalette(theme_palette(app.style().standardPalette(), high_contrast))


def theme_palette(standard: QPalette, high_contrast: bool) -> QPalette:
    """The palette of a theme, from the style's standard one."""
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    if not high_contrast:
        palette = QPalette(standard)
        palette.setColor(role.Dark, QColor(NORMAL_EDGE))
        palette.setColor(group.Disabled, role.Dark, QColor(NORMAL_DISABLED_EDGE))
        palette.setColor(role.Highlight, QColor(NORMAL_HIGHLIGHT))
        palette.setColor(role.HighlightedText, QColor("#ffffff"))
        palette.setColor(role.PlaceholderText, QColor(NORMAL_PLACEHOLDER))
        palette.setColor(role.LinkVisited, QColor(NORMAL_LINK_VISITED))
        branding = current_branding()
        if branding is not None and QColor.isValidColorName(branding.accent):
            # An organisation's colour marks selection, focus and links. The build
            # checked that white text on it is readable (4.5:1); links also need
            # 4.5:1 on the window colour, which a light accent may not have.
            white = QColor("#ffffff")
            accent = readable(QColor(branding.accent), (white,), 4.5)
            palette.setColor(role.Highlight, accent)
            window = palette.color(role.Window)
            palette.setColor(role.Link, readable(accent, (window, white), 4.5))
        return palette
    palette = QPalette(standard)
    black, white, yellow = QColor(HC_BACKGROUND), QColor(HC_FOREGROUND), QColor(HC_ACCENT)
    grey = QColor(HC_DISABLED)
    for colour, roles in (
        (black, (role.Window, role.Base, role.Button, role.ToolTipBase, role.Shadow)),
        (
            white,
            (
                role.WindowText,
                role.Text,
                role.ButtonText,
                role.ToolTipText,
                role.BrightText,
                # Edges and 3D lines: Fusion and other styles draw frames from these.
                role.Light,
                role.Midlight,
                role.Dark,
            ),
        ),
        (grey, (role.Mid, role.PlaceholderText)),
        (yellow, (role.Highlight, role.Link, role.LinkVisited, role.Accent)),
        (QColor(HC_ALTERNATE), (role.AlternateBase,)),
    ):
        for each in roles:
            palette.setColor(each, colour)
    palette.setColor(role.HighlightedText, black)
    for each in (role.WindowText, role.Text, role.ButtonText, role.Dark):
        palette.setColor(group.Disabled, each, grey)
    palette.setColor(group.Disabled, role.Highlight, grey)
    return palette


def contrast_ratio(first: QColor, second: QColor) -> float:
    """WCAG 2.2's contrast ratio of two colours, from 1 to 21."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def readable(colour: QColor, backgrounds: Iterable[QColor], minimum: float) -> QColor:
    """``colour``, darkened step by step until it has ``minimum`` against every one
    of the (light) ``backgrounds``."""
    backgrounds = tuple(backgrounds)
    for _step in range(60):
        if all(contrast_ratio(colour, background) >= minimum for background in backgrounds):
            break
        colour = colour.darker(110)
    return colour
