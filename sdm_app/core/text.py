"""Text folding for search: diacritics- and case-insensitive matching.

The content index stores folded text and the search folds the query the same way,
so 'medicacion' finds 'medicación' and Arabic without harakat finds Arabic with them.
``fold_with_map`` also says where each folded character came from, so ranges found
in folded text can be highlighted in the original text.
"""

from __future__ import annotations

import re
import unicodedata

_TATWEEL = 0x0640
# Combining marks (accents, Arabic harakat, Hebrew points) and invisible format
# characters (soft hyphen, zero-width joiners, bidi marks) carry no search meaning.
_DROPPED_CATEGORIES = frozenset({"Mn", "Me", "Cf"})


class _DropTable(dict[int, int | None]):
    """A str.translate table filled on demand: building it for all of Unicode up
    front costs about 0.3 s, which would land on the app's start-up."""

    def __missing__(self, codepoint: int) -> int | None:
        drop = codepoint == _TATWEEL or unicodedata.category(chr(codepoint)) in (
            _DROPPED_CATEGORIES
        )
        value = None if drop else codepoint
        self[codepoint] = value
        return value


_DROP = _DropTable()


def fold(text: str) -> str:
    """Fold ``text`` for matching: no diacritics, no tatweel, case-folded, NFC."""
    if text.isascii():
        return text.lower()  # the same result, without the Unicode passes
    decomposed = unicodedata.normalize("NFKD", text).translate(_DROP)
    # casefold can produce new combining marks (e.g. 'İ'), so drop them again.
    folded = decomposed.casefold().translate(_DROP)
    return unicodedata.normalize("NFC", folded)


_CHAR_FOLDS: dict[str, str] = {}


def _fold_char(char: str) -> str:
    # A plain dict: this runs for every character of every snippet.
    piece = _CHAR_FOLDS.get(char)
    if piece is None:
        if len(_CHAR_FOLDS) > 50_000:
            _CHAR_FOLDS.clear()
        piece = _CHAR_FOLDS[char] = fold(char)
    return piece


_WORD_SPLIT = re.compile(r"(\s+)")


def fold_with_map(text: str) -> tuple[str, tuple[int, ...]]:
    """Return ``(fold(text), index)`` where ``index[i]`` is the position in ``text``
    of the character that produced folded character ``i``.

    Folding goes character by character; where a character folds differently in
    context (rare: NFC composing across characters, such as conjoining Hangul
    jamo), the word is mapped proportionally so the result always equals
    ``fold(text)`` exactly.
    """
    target = fold(text)
    if text.isascii():
        return target, tuple(range(len(text)))  # ASCII folds one to one (lower case)
    pieces: list[str] = []
    index: list[int] = []
    for position, char in enumerate(text):
        piece = _fold_char(char)
        if piece:
            pieces.append(piece)
            index.extend([position] * len(piece))
    if "".join(pieces) == target:
        return target, tuple(index)
    return target, _word_map(text, target)


def _word_map(text: str, target: str) -> tuple[int, ...]:
    # Whitespace never composes with its neighbours, so words fold independently.
    index: list[int] = []
    folded_parts: list[str] = []
    start = 0
    for part in _WORD_SPLIT.split(text):
        folded = fold(part)
        folded_parts.append(folded)
        for k in range(len(folded)):
            index.append(start + min(k * len(part) // max(len(folded), 1), len(part) - 1))
        start += len(part)
    if "".join(folded_parts) == target:
        return tuple(index)
    # Last resort: spread the folded text evenly over the original.
    if not text:
        return ()
    scale = len(text) / max(len(target), 1)
    return tuple(min(int(k * scale), len(text) - 1) for k in range(len(target)))


def original_range(text: str, index: tuple[int, ...], start: int, end: int) -> tuple[int, int]:
    """Map the folded range ``[start, end)`` (from ``fold_with_map(text)``) back to
    a range of ``text``."""
    if start >= end or end > len(index):
        return (0, 0)
    first = index[start]
    last = index[end - 1] + 1
    # Keep the marks that were folded away (e.g. a decomposed accent) with their
    # letter, so a highlight never splits a letter from its accent.
    while last < len(text) and not _fold_char(text[last]):
        last += 1
    return (first, last)


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return (
        0x3040 <= code <= 0x30FF  # hiragana, katakana
        or 0x3400 <= code <= 0x4DBF  # CJK extension A
        or 0x4E00 <= code <= 0x9FFF  # CJK unified ideographs
        or 0xF900 <= code <= 0xFAFF  # compatibility ideographs
        or 0x20000 <= code <= 0x3FFFF  # supplementary ideographs
    )


def is_cjk(char: str) -> bool:
    """True for characters of scripts written without spaces between words."""
    return _is_cjk(char)


def segment_cjk(text: str) -> str:
    """Put spaces around each Chinese or Japanese character.

    SQLite's unicode61 tokenizer treats a run of ideographs as one word, so a word
    inside a Chinese sentence could never be found; indexing single characters and
    searching for them as a phrase finds any substring instead.
    """
    if not any(_is_cjk(char) for char in text):
        return text
    return "".join(f" {char} " if _is_cjk(char) else char for char in text)


# Arabic writes "and", "the", "with", "for" and "like" onto the next word
# (والوراثة = "and the heredity"). Light stemming strips them on both sides of
# the index, so a word is found with or without them.
_ARABIC_PREFIXES = ("وال", "فال", "بال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك")
_ARABIC_WORD_PREFIXES = frozenset(
    {"و", "ف", "ب", "ل", "ك", "ال", "وال", "فال", "بال", "كال", "لل", "ولل", "وب", "ول", "فب", "فل"}
)


def _is_arabic(char: str) -> bool:
    return "\u0600" <= char <= "\u06ff" or "\u0750" <= char <= "\u077f"


def arabic_stem(token: str) -> str:
    """``token`` without the clitics Arabic joins to the front of a word.

    Strips repeatedly (و + ال + word), keeping at least three letters; other
    scripts come back unchanged.
    """
    if not token or not _is_arabic(token[0]):
        return token
    changed = True
    while changed:
        changed = False
        for prefix in _ARABIC_PREFIXES:
            keep = 2 if len(prefix) > 1 else 3
            if token.startswith(prefix) and len(token) - len(prefix) >= keep:
                token = token[len(prefix) :]
                changed = True
                break
    return token


def index_words(folded: str) -> str:
    """Folded text as stored in the index: Arabic words also under their stem."""
    if not any(_is_arabic(char) for char in folded):
        return folded
    extra = {
        stem
        for token in re.split(r"[\W_]+", folded)
        if token and (stem := arabic_stem(token)) != token
    }
    return folded + (" " + " ".join(sorted(extra)) if extra else "")


def search_tokens(folded: str) -> list[str]:
    """The words of folded text as the index sees them (letters and digits)."""
    return [token for token in re.split(r"[\W_]+", segment_cjk(folded)) if token]


def _starts_word(folded: str, position: int, token: str) -> bool:
    # Chinese and Japanese have no word boundaries; elsewhere a hit starts a word,
    # or, in Arabic, follows only the clitics joined to the front of the word.
    if position == 0 or _is_cjk(token[0]) or not folded[position - 1].isalnum():
        return True
    if not _is_arabic(token[0]):
        return False
    start = position
    while start > 0 and folded[start - 1].isalnum():
        start -= 1
    return folded[start:position] in _ARABIC_WORD_PREFIXES


def _first_hit(folded: str, tokens: list[str]) -> int | None:
    best: int | None = None
    for token in tokens:
        position = folded.find(token)
        while position != -1 and not _starts_word(folded, position, token):
            position = folded.find(token, position + 1)
        if position != -1 and (best is None or position < best):
            best = position
    return best


def find_highlights(text: str, tokens: list[str]) -> tuple[tuple[int, int], ...]:
    """Ranges of ``text`` where a word starts with one of the folded ``tokens``."""
    tokens = [token for token in tokens if token]
    if not tokens or not text:
        return ()
    folded, index = fold_with_map(text)
    ranges: list[tuple[int, int]] = []
    for token in tokens:
        position = folded.find(token)
        while position != -1:
            if _starts_word(folded, position, token):
                ranges.append(original_range(text, index, position, position + len(token)))
            position = folded.find(token, position + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        elif end > start:
            merged.append((start, end))
    return tuple(merged)


def make_snippet(
    text: str, tokens: list[str], width: int = 160
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """About ``width`` characters of ``text`` around the first hit, with highlights.

    Plain text in, plain text out; '…' marks where the text was cut.
    """
    if not text:
        return "", ()
    folded = fold(text)
    hit = _first_hit(folded, [token for token in tokens if token])
    start = 0
    if hit is not None and len(text) > width:
        # Folding rarely changes lengths much: estimate, then check and correct.
        estimate = int(hit * len(text) / max(len(folded), 1))
        start = _window_start(text, estimate, width)
        snippet, highlights = _cut(text, start, width, tokens)
        if highlights:
            return snippet, highlights
        # The estimate missed (folding changed lengths a lot): map exactly.
        _folded, index = fold_with_map(text)
        start = _window_start(text, index[hit] if hit < len(index) else estimate, width)
    return _cut(text, start, width, tokens)


def _cut(
    text: str, start: int, width: int, tokens: list[str]
) -> tuple[str, tuple[tuple[int, int], ...]]:
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start + width // 2, end)
        end = space if space != -1 else end
    snippet = text[start:end].strip()
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    snippet = f"{prefix}{snippet}{suffix}"
    return snippet, find_highlights(snippet, tokens)


def _window_start(text: str, hit: int, width: int) -> int:
    start = max(0, min(hit - width // 3, len(text) - width))
    if start > 0:
        # Begin at a word: after the nearest space before the hit, if close by.
        space = text.find(" ", start, hit)
        if space != -1 and space - start < 20:
            start = space + 1
    return start


def terminal_safe(message: str) -> str:
    """``message`` without control characters (escape codes taken from a file or a
    name could recolour, retitle or clear the user's terminal); lines are kept."""
    return "".join(
        char if char in "\n\t" or not (ord(char) < 32 or 127 <= ord(char) < 160) else "\ufffd"
        for char in message
    )
