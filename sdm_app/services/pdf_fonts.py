"""The shipped TrueType fonts for PDFs, and which font draws which character.

reportlab embeds only TrueType (glyf) fonts, and a font that lacks a glyph draws
nothing or a box, so every character is given a font that has it: text is split
into runs, one font each (PITFALLS: "BRCA2" inside Arabic). Fonts are registered
on first use, so an English document never parses the 4 MB Chinese font.
"""

from __future__ import annotations

import functools
import threading
import unicodedata
from array import array
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple, overload

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from sdm_app import paths

LATIN = "latin"  # Latin, Greek, Cyrillic and most symbols
ARABIC = "arabic"
HEBREW = "hebrew"
DEVANAGARI = "devanagari"
CJK = "cjk"

# Families whose text needs shaping (joining, reordering, conjuncts) by HarfBuzz.
SHAPED_FAMILIES = frozenset({ARABIC, HEBREW, DEVANAGARI})


class FontFiles(NamedTuple):
    regular: str
    bold: str  # the same file when the family has no bold


FAMILIES: dict[str, FontFiles] = {
    LATIN: FontFiles("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    ARABIC: FontFiles("NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"),
    HEBREW: FontFiles("NotoSansHebrew-Regular.ttf", "NotoSansHebrew-Bold.ttf"),
    DEVANAGARI: FontFiles("NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf"),
    CJK: FontFiles("DroidSansFallbackFull.ttf", "DroidSansFallbackFull.ttf"),
}

# Tried in this order for a character no script range claims.
_FALLBACK_ORDER = (LATIN, CJK, ARABIC, HEBREW, DEVANAGARI)

_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0590, 0x05FF, HEBREW),
    (0xFB1D, 0xFB4F, HEBREW),
    (0x0600, 0x08FF, ARABIC),
    (0xFB50, 0xFDFF, ARABIC),
    (0xFE70, 0xFEFF, ARABIC),
    (0x0900, 0x097F, DEVANAGARI),
    (0xA8E0, 0xA8FF, DEVANAGARI),
    (0x1CD0, 0x1CFF, DEVANAGARI),
    (0x2E80, 0x2FDF, CJK),
    (0x3000, 0x9FFF, CJK),
    (0xAC00, 0xD7AF, CJK),
    (0xF900, 0xFAFF, CJK),
    (0xFE30, 0xFE4F, CJK),
    (0xFF00, 0xFFEF, CJK),
    (0x20000, 0x2FFFF, CJK),
)

_lock = threading.Lock()
_registered: dict[str, TTFont] = {}
_cmaps: dict[tuple[str, bool], dict[int, int]] = {}


class FontError(Exception):
    """A shipped font file is missing or unreadable."""


def font_name(family: str, bold: bool = False) -> str:
    """The reportlab name of a family's face, registered now if needed."""
    files = FAMILIES[family]
    file_name = files.bold if bold else files.regular
    name = "Sdm-" + file_name.removesuffix(".ttf")
    with _lock:
        if name not in _registered:
            path = paths.fonts_dir() / file_name
            try:
                font = TTFont(name, str(path))
            except Exception as error:  # reportlab raises TTFError, OSError and others
                raise FontError(f"{path}: {error}") from error
            _compact(font.face, shaped=family in SHAPED_FAMILIES)
            pdfmetrics.registerFont(font)
            _registered[name] = font
    return name


class _Pairs(Sequence[tuple[float, float]]):
    """reportlab's per-glyph (advance, side bearing) pairs, held in two arrays
    (reportlab reads them as numbers it rounds: ``int(aw)``)."""

    __slots__ = ("_first", "_second")

    def __init__(self, pairs: Iterable[tuple[float, float]]) -> None:
        listed = list(pairs)
        self._first = array("d", (pair[0] for pair in listed))
        self._second = array("d", (pair[1] for pair in listed))

    def __len__(self) -> int:
        return len(self._first)

    @overload
    def __getitem__(self, index: int) -> tuple[float, float]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[float, float]]: ...
    def __getitem__(self, index: int | slice) -> tuple[float, float] | list[tuple[float, float]]:
        if isinstance(index, slice):
            return list(zip(self._first[index], self._second[index], strict=True))
        return self._first[index], self._second[index]


def _compact(face: Any, *, shaped: bool) -> None:
    """Hold reportlab's per-glyph tables in arrays: as Python lists of tuples and
    integers, the 49,000 glyphs of the Chinese font took about 9 MB more. The map
    from glyphs to characters serves only HarfBuzz shaping, so unshaped fonts drop it."""
    face.hmetrics = _Pairs(face.hmetrics)
    face.glyphPos = array("q", face.glyphPos)
    if not shaped:
        face.glyphToChar = {}


def has_glyph(family: str, char: str, bold: bool = False) -> bool:
    cmap = _cmaps.get((family, bold))
    if cmap is None:
        cmap = _cmaps[(family, bold)] = _registered[font_name(family, bold)].face.charToGlyph
    return ord(char) in cmap


@functools.lru_cache(maxsize=8192)
def range_family(char: str) -> str | None:
    # Asked for every character of every line: a text uses few distinct ones.
    code = ord(char)
    for start, end, family in _RANGES:
        if start <= code <= end:
            return family
    return None


def is_strong(char: str) -> bool:
    """Letters decide the font of a run; spaces, digits and punctuation follow them."""
    return unicodedata.category(char)[0] == "L"


def is_invisible(char: str) -> bool:
    """Controls and format characters: nothing to draw when no font has them."""
    return unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")


def families_for(text: str, bold: bool = False) -> list[str]:
    """The family that draws each character of ``text``.

    Letters choose by script (then by which font has the glyph); spaces, digits,
    punctuation and combining marks stay with the letters around them when that
    font has them, so a run is not broken (Arabic joining) without need.
    """
    if all(
        range_family(char) in (None, LATIN) and has_glyph(LATIN, char, bold) for char in set(text)
    ):
        # The Latin font draws every character (most text): what the rules below give.
        return [LATIN] * len(text)
    result: list[str | None] = [None] * len(text)
    for index, char in enumerate(text):
        if is_strong(char):
            result[index] = _best_family(char, bold)
    following_strong: list[str | None] = [None] * len(text)
    after: str | None = None
    for index in range(len(text) - 1, -1, -1):
        following_strong[index] = after
        after = result[index] or after
    previous: str | None = None
    for index, char in enumerate(text):
        family = result[index]
        if family is not None:
            previous = family
            continue
        following = following_strong[index]
        candidates = [f for f in (previous, following) if f is not None]
        chosen = next((f for f in candidates if has_glyph(f, char, bold)), None)
        if chosen is None:
            chosen = _best_family(char, bold, preferred=previous or following)
        result[index] = chosen
        # A neutral does not start a new run for the next neutral.
        previous = previous or chosen
    return [family or LATIN for family in result]


def _best_family(char: str, bold: bool, preferred: str | None = None) -> str:
    order: list[str] = []
    by_range = range_family(char)
    for family in (by_range, preferred, *_FALLBACK_ORDER):
        if family is not None and family not in order:
            order.append(family)
    for family in order:
        # Only load a big font for a character in its own ranges or not found elsewhere.
        if has_glyph(family, char, bold):
            return family
    return by_range or preferred or LATIN
