"""The Unicode Bidirectional Algorithm (UAX #9): resolved levels and visual order.

Why not a library: python-bidi (the Rust ``unicode-bidi`` core) returns only a
reordered string for one line, and GNU FriBidi is a C library to bundle. A PDF
needs the levels of a whole paragraph, resolved before its lines are broken and
reordered line by line after (rules L1-L2), so the algorithm is written out here
from the standard, rule by rule, and checked against Unicode's own conformance
files (BidiTest.txt and BidiCharacterTest.txt) by the test suite.

``resolve`` works on bidi classes, so it can be given the classes of any Unicode
version; ``Paragraph`` reads them from Python's ``unicodedata`` for real text.
Qt-free and pure: the same text always gives the same order.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

MAX_DEPTH = 125
_MAX_BRACKET_PAIRS = 63

_STRONG = frozenset({"L", "R", "AL"})
_ISOLATE_INITIATORS = frozenset({"LRI", "RLI", "FSI"})
_EMBEDDINGS = frozenset({"LRE", "RLE", "LRO", "RLO"})
_REMOVED = frozenset({"LRE", "RLE", "LRO", "RLO", "PDF", "BN"})  # rule X9
_NEUTRAL_OR_ISOLATE = frozenset({"B", "S", "WS", "ON", "LRI", "RLI", "FSI", "PDI"})
_TRAILING = frozenset({"WS", "LRI", "RLI", "FSI", "PDI"})  # reset by rule L1

# Bidi_Paired_Bracket for the brackets of BidiBrackets.txt (Unicode 14 and 15).
_OPENING_BRACKETS: dict[str, str] = {
    "(": ")", "[": "]", "{": "}", "\u0f3a": "\u0f3b", "\u0f3c": "\u0f3d", "\u169b": "\u169c",
    "\u2045": "\u2046", "\u207d": "\u207e", "\u208d": "\u208e", "\u2308": "\u2309",
    "\u230a": "\u230b", "\u2329": "\u232a", "\u2768": "\u2769", "\u276a": "\u276b",
    "\u276c": "\u276d", "\u276e": "\u276f", "\u2770": "\u2771", "\u2772": "\u2773",
    "\u2774": "\u2775", "\u27c5": "\u27c6", "\u27e6": "\u27e7", "\u27e8": "\u27e9",
    "\u27ea": "\u27eb", "\u27ec": "\u27ed", "\u27ee": "\u27ef", "\u2983": "\u2984",
    "\u2985": "\u2986", "\u2987": "\u2988", "\u2989": "\u298a", "\u298b": "\u298c",
    "\u298d": "\u2990", "\u298f": "\u298e", "\u2991": "\u2992", "\u2993": "\u2994",
    "\u2995": "\u2996", "\u2997": "\u2998", "\u29d8": "\u29d9", "\u29da": "\u29db",
    "\u29fc": "\u29fd", "\u2e22": "\u2e23", "\u2e24": "\u2e25", "\u2e26": "\u2e27",
    "\u2e28": "\u2e29", "\u2e55": "\u2e56", "\u2e57": "\u2e58", "\u2e59": "\u2e5a",
    "\u2e5b": "\u2e5c", "\u3008": "\u3009", "\u300a": "\u300b", "\u300c": "\u300d",
    "\u300e": "\u300f", "\u3010": "\u3011", "\u3014": "\u3015", "\u3016": "\u3017",
    "\u3018": "\u3019", "\u301a": "\u301b", "\ufe59": "\ufe5a", "\ufe5b": "\ufe5c",
    "\ufe5d": "\ufe5e", "\uff08": "\uff09", "\uff3b": "\uff3d", "\uff5b": "\uff5d",
    "\uff5f": "\uff60", "\uff62": "\uff63",
}  # fmt: skip
# Brackets compared as their canonical equivalents (BD16).
_CANONICAL = {"\u2329": "\u3008", "\u232a": "\u3009"}


class Bracket(NamedTuple):
    """A paired bracket: ``pair`` identifies the pair (its opening character, canonical)."""

    opening: bool
    pair: str


_CLOSING_TO_OPENING = {closing: opening for opening, closing in _OPENING_BRACKETS.items()}


def bracket_of(char: str) -> Bracket | None:
    if char in _OPENING_BRACKETS:
        return Bracket(True, _CANONICAL.get(char, char))
    opening = _CLOSING_TO_OPENING.get(char)
    if opening is not None:
        return Bracket(False, _CANONICAL.get(opening, opening))
    return None


def _direction(level: int) -> str:
    return "R" if level % 2 else "L"


def _matching_pdi(classes: Sequence[str], start: int, end: int) -> int:
    """The index of the PDI closing the isolate initiator at ``start``, or ``end``."""
    depth = 1
    for index in range(start + 1, end):
        kind = classes[index]
        if kind in _ISOLATE_INITIATORS:
            depth += 1
        elif kind == "PDI":
            depth -= 1
            if depth == 0:
                return index
        elif kind == "B":
            return end
    return end


def first_strong_level(
    classes: Sequence[str], start: int = 0, end: int | None = None
) -> int | None:
    """Rules P2-P3: 1 or 0 from the first strong class, skipping isolates; None if none."""
    stop = len(classes) if end is None else end
    index = start
    while index < stop:
        kind = classes[index]
        if kind in ("R", "AL"):
            return 1
        if kind == "L":
            return 0
        if kind in _ISOLATE_INITIATORS:
            index = _matching_pdi(classes, index, stop)
        elif kind == "B":
            return None
        index += 1
    return None


@dataclass(slots=True)
class _Status:
    level: int
    override: str  # "", "L" or "R"
    isolate: bool


def _explicit(classes: Sequence[str], base: int) -> tuple[list[int], list[str]]:
    """Rules X1-X8: the embedding level and class of every character."""
    size = len(classes)
    levels = [base] * size
    types = list(classes)
    stack = [_Status(base, "", False)]
    overflow_isolates = overflow_embeddings = valid_isolates = 0
    for index, kind in enumerate(classes):
        top = stack[-1]
        if kind in _EMBEDDINGS or kind in _ISOLATE_INITIATORS:
            isolate = kind in _ISOLATE_INITIATORS
            if isolate:
                levels[index] = top.level
                if top.override:
                    types[index] = top.override
            rtl = kind in ("RLE", "RLO", "RLI")
            if kind == "FSI":
                rtl = (
                    first_strong_level(classes, index + 1, _matching_pdi(classes, index, size)) == 1
                )
            new_level = (top.level + 1) | 1 if rtl else (top.level + 2) & ~1
            if new_level <= MAX_DEPTH and overflow_isolates == 0 and overflow_embeddings == 0:
                if isolate:
                    valid_isolates += 1
                override = {"LRO": "L", "RLO": "R"}.get(kind, "")
                stack.append(_Status(new_level, override, isolate))
            elif isolate:
                overflow_isolates += 1
            elif overflow_isolates == 0:
                overflow_embeddings += 1
            if not isolate:
                levels[index] = top.level  # removed by X9; kept for its neighbours
        elif kind == "PDI":
            if overflow_isolates > 0:
                overflow_isolates -= 1
            elif valid_isolates > 0:
                overflow_embeddings = 0
                while not stack[-1].isolate:
                    stack.pop()
                stack.pop()
                valid_isolates -= 1
            top = stack[-1]
            levels[index] = top.level
            if top.override:
                types[index] = top.override
        elif kind == "PDF":
            if overflow_isolates > 0:
                pass
            elif overflow_embeddings > 0:
                overflow_embeddings -= 1
            elif not top.isolate and len(stack) >= 2:
                stack.pop()
            levels[index] = top.level
        elif kind == "B":
            levels[index] = base
        elif kind == "BN":
            levels[index] = top.level
        else:
            levels[index] = top.level
            if top.override:
                types[index] = top.override
    return levels, types


def _run_sequences(
    classes: Sequence[str], levels: Sequence[int], kept: Sequence[int]
) -> list[list[int]]:
    """Rule BD13 and X10: isolating run sequences, as lists of indices (X9 removed)."""
    runs: list[list[int]] = []
    for index in kept:
        if runs and levels[runs[-1][-1]] == levels[index]:
            runs[-1].append(index)
        else:
            runs.append([index])
    size = len(classes)
    by_start = {run[0]: run for run in runs}
    sequences: list[list[int]] = []
    for run in runs:
        first = run[0]
        if classes[first] == "PDI" and _opens_here(classes, first):
            continue  # continues the sequence of its isolate initiator
        sequence = list(run)
        while classes[sequence[-1]] in _ISOLATE_INITIATORS:
            closing = _matching_pdi(classes, sequence[-1], size)
            if closing >= size or closing not in by_start:
                break
            sequence.extend(by_start[closing])
        sequences.append(sequence)
    return sequences


def _opens_here(classes: Sequence[str], pdi: int) -> bool:
    """Whether the PDI at ``pdi`` matches an isolate initiator before it."""
    depth = 0
    for index in range(pdi - 1, -1, -1):
        kind = classes[index]
        if kind == "PDI":
            depth += 1
        elif kind in _ISOLATE_INITIATORS:
            if depth == 0:
                return True
            depth -= 1
        elif kind == "B":
            return False
    return False


def _strong_of(kind: str) -> str | None:
    if kind == "L":
        return "L"
    if kind in ("R", "AL", "EN", "AN"):
        return "R"
    return None


def _resolve_sequence(
    sequence: list[int],
    original: Sequence[str],
    types: list[str],
    levels: list[int],
    sos: str,
    eos: str,
    brackets: Sequence[Bracket | None],
) -> None:
    """Rules W1-W7, N0-N2 and I1-I2 on one isolating run sequence."""
    kinds = [types[i] for i in sequence]
    size = len(kinds)
    # W1
    previous = sos
    for n in range(size):
        if kinds[n] == "NSM":
            kinds[n] = "ON" if previous in _ISOLATE_INITIATORS or previous == "PDI" else previous
        previous = kinds[n]
    # W2, W3
    last_strong = sos
    for n in range(size):
        kind = kinds[n]
        if kind in _STRONG:
            last_strong = kind
        elif kind == "EN" and last_strong == "AL":
            kinds[n] = "AN"
    for n in range(size):
        if kinds[n] == "AL":
            kinds[n] = "R"
    # W4
    for n in range(1, size - 1):
        if kinds[n] == "ES" and kinds[n - 1] == "EN" and kinds[n + 1] == "EN":
            kinds[n] = "EN"
        elif kinds[n] == "CS" and kinds[n - 1] == kinds[n + 1] and kinds[n - 1] in ("EN", "AN"):
            kinds[n] = kinds[n - 1]
    # W5
    n = 0
    while n < size:
        if kinds[n] != "ET":
            n += 1
            continue
        stop = n
        while stop < size and kinds[stop] == "ET":
            stop += 1
        if (n > 0 and kinds[n - 1] == "EN") or (stop < size and kinds[stop] == "EN"):
            for m in range(n, stop):
                kinds[m] = "EN"
        n = stop
    # W6
    for n in range(size):
        if kinds[n] in ("ET", "ES", "CS"):
            kinds[n] = "ON"
    # W7
    last_strong = sos
    for n in range(size):
        kind = kinds[n]
        if kind in ("L", "R"):
            last_strong = kind
        elif kind == "EN" and last_strong == "L":
            kinds[n] = "L"
    embedding = _direction(levels[sequence[0]])
    _pair_brackets(sequence, original, kinds, brackets, sos, embedding)
    # N1, N2
    n = 0
    while n < size:
        if kinds[n] not in _NEUTRAL_OR_ISOLATE:
            n += 1
            continue
        stop = n
        while stop < size and kinds[stop] in _NEUTRAL_OR_ISOLATE:
            stop += 1
        before = _strong_of(kinds[n - 1]) if n > 0 else sos
        after = _strong_of(kinds[stop]) if stop < size else eos
        fill = before if before == after and before is not None else embedding
        for m in range(n, stop):
            kinds[m] = fill
        n = stop
    # I1, I2
    for n, index in enumerate(sequence):
        level = levels[index]
        kind = kinds[n]
        if level % 2 == 0:
            if kind == "R":
                levels[index] = level + 1
            elif kind in ("AN", "EN"):
                levels[index] = level + 2
        elif kind in ("L", "EN", "AN"):
            levels[index] = level + 1


def _pair_brackets(
    sequence: list[int],
    original: Sequence[str],
    kinds: list[str],
    brackets: Sequence[Bracket | None],
    sos: str,
    embedding: str,
) -> None:
    """Rule N0: a bracket pair takes the direction of what it encloses."""
    stack: list[tuple[str, int]] = []
    pairs: list[tuple[int, int]] = []
    for n, index in enumerate(sequence):
        bracket = brackets[index]
        if bracket is None or kinds[n] != "ON":
            continue
        if bracket.opening:
            if len(stack) == _MAX_BRACKET_PAIRS:
                break  # BD16: stop looking in this sequence
            stack.append((bracket.pair, n))
            continue
        for depth in range(len(stack) - 1, -1, -1):
            if stack[depth][0] == bracket.pair:
                pairs.append((stack[depth][1], n))
                del stack[depth:]
                break
    opposite = "R" if embedding == "L" else "L"
    for opening, closing in sorted(pairs):
        inside = {_strong_of(kinds[m]) for m in range(opening + 1, closing)} - {None}
        if embedding in inside:
            chosen = embedding
        elif opposite in inside:
            context = sos
            for m in range(opening - 1, -1, -1):
                found = _strong_of(kinds[m])
                if found is not None:
                    context = found
                    break
            chosen = opposite if context == opposite else embedding
        else:
            continue
        for position in (opening, closing):
            kinds[position] = chosen
            # NSMs after a bracket follow it (W1 had made them ON).
            m = position + 1
            while m < len(kinds) and original[sequence[m]] == "NSM":
                kinds[m] = chosen
                m += 1


def resolve(
    classes: Sequence[str],
    base_level: int | None = None,
    brackets: Sequence[Bracket | None] | None = None,
) -> tuple[int, list[int | None]]:
    """The paragraph level and each character's resolved level (None where rule X9
    removes the character). ``base_level`` None: from the text (rules P2-P3)."""
    size = len(classes)
    if base_level is None:
        base_level = first_strong_level(classes) or 0
    brackets = brackets if brackets is not None else [None] * size
    levels, types = _explicit(classes, base_level)
    kept = [i for i in range(size) if classes[i] not in _REMOVED]
    position = {index: n for n, index in enumerate(kept)}
    embedding = list(levels)  # sos and eos compare embedding levels, not resolved ones
    for sequence in _run_sequences(classes, levels, kept):
        first, last = position[sequence[0]], position[sequence[-1]]
        level = embedding[sequence[0]]
        before = embedding[kept[first - 1]] if first > 0 else base_level
        if classes[sequence[-1]] in _ISOLATE_INITIATORS or last + 1 >= len(kept):
            after = base_level
        else:
            after = embedding[kept[last + 1]]
        sos = _direction(max(level, before))
        eos = _direction(max(level, after))
        _resolve_sequence(sequence, classes, types, levels, sos, eos, brackets)
    resolved: list[int | None] = [None] * size
    for index in kept:
        resolved[index] = levels[index]
    return base_level, resolved


def line_levels(
    classes: Sequence[str], levels: Sequence[int | None], base_level: int, start: int, end: int
) -> list[int | None]:
    """Rule L1 for the line ``start..end``: separators, and white space before them or at
    the end of the line, go back to the paragraph level."""
    result = list(levels[start:end])
    trailing = True
    for offset in range(end - start - 1, -1, -1):
        kind = classes[start + offset]
        if kind in ("S", "B"):
            result[offset] = base_level
            trailing = True
        elif trailing and (kind in _TRAILING or kind in _REMOVED):
            if result[offset] is not None:
                result[offset] = base_level
        else:
            trailing = False
    return result


def visual_order(levels: Sequence[int | None]) -> list[int]:
    """Rule L2: the indices of the kept characters, left to right."""
    order = [i for i, level in enumerate(levels) if level is not None]
    if not order:
        return []
    kept = [levels[i] for i in order]
    numbers = [level for level in kept if level is not None]
    highest = max(numbers)
    lowest_odd = min((level for level in numbers if level % 2), default=highest + 1)
    for level in range(highest, lowest_odd - 1, -1):
        n = 0
        while n < len(order):
            if (kept[n] or 0) < level:
                n += 1
                continue
            stop = n
            while stop < len(order) and (kept[stop] or 0) >= level:
                stop += 1
            order[n:stop] = order[n:stop][::-1]
            kept[n:stop] = kept[n:stop][::-1]
            n = stop
    return order


def classes_of(text: str) -> list[str]:
    return [unicodedata.bidirectional(char) or "L" for char in text]


# Classes that can give a character a level above 0 in a left-to-right paragraph.
_NOT_SIMPLE = frozenset(
    {"R", "AL", "AN", "RLE", "RLO", "RLI", "LRE", "LRO", "LRI", "FSI", "PDF", "PDI"}
)


class Paragraph:
    """One paragraph of text with its levels resolved as a whole (before line breaks)."""

    def __init__(self, text: str, base_level: int | None = None) -> None:
        self.text = text
        self.classes = classes_of(text)
        self.simple = base_level != 1 and _NOT_SIMPLE.isdisjoint(self.classes)
        if self.simple:
            # Left to right with nothing that could raise a level: every level is 0
            # (what the full algorithm gives, checked by a test), much faster.
            self.base_level = 0
            self.levels = [None if kind == "BN" else 0 for kind in self.classes]
            return
        brackets = [bracket_of(char) for char in text]
        self.base_level, self.levels = resolve(self.classes, base_level, brackets)

    @property
    def rtl(self) -> bool:
        return self.base_level % 2 == 1

    def line(self, start: int, end: int) -> tuple[list[int], list[int]]:
        """Visual order of ``start..end`` (indices into the paragraph, characters removed
        by X9 left out) and the level of each, after rule L1."""
        if self.simple:
            kept = [i for i in range(start, end) if self.levels[i] is not None]
            return kept, [0] * len(kept)
        levels = line_levels(self.classes, self.levels, self.base_level, start, end)
        order = visual_order(levels)
        return [start + i for i in order], [levels[i] or 0 for i in order]


def first_strong_is_rtl(text: str, default: bool) -> bool:
    """Whether ``text`` is right-to-left by its first strong character (P2-P3), as
    HTML's dir="auto": for a person's own words."""
    level = first_strong_level(classes_of(text))
    return default if level is None else level == 1


def block_is_rtl(text: str, document_rtl: bool) -> bool:
    """The app's own words: the document's direction, unless ``text`` has letters only
    of the other one (an English sentence not yet translated into Arabic)."""
    kinds = {unicodedata.bidirectional(char) for char in text}
    has_rtl, has_ltr = bool(kinds & {"R", "AL"}), "L" in kinds
    if document_rtl:
        return has_rtl or not has_ltr
    return has_rtl and not has_ltr


# A phrase with no right-to-left letter (Latin words, numbers, punctuation between
# spaces), such as "BRCA2 c.5946delT", "0.5 mg" or "EGFR p.(Leu858Arg)".
_NOT_RTL = r"[^\s\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]"
_PHRASE = re.compile(rf"{_NOT_RTL}+(?:[ \u00a0]+{_NOT_RTL}+)*")
_TRAILING_STOPS = ".,;:!?\u060c\u061b\u061f\u06d4"
_LEADING_STOPS = ",;:!?\u060c\u061b\u061f\u06d4"  # belong to the words before


def _unmatched(word: str) -> set[int]:
    """Positions of the brackets in ``word`` that have no partner in it."""
    partners = {")": "(", "]": "[", "}": "{"}
    stack: list[int] = []
    alone: set[int] = set()
    for index, char in enumerate(word):
        if char in "([{":
            stack.append(index)
        elif char in partners:
            if stack and word[stack[-1]] == partners[char]:
                stack.pop()
            else:
                alone.add(index)
    return alone | set(stack)


def isolate_figures(text: str) -> str:
    """Wrap each left-to-right phrase with a figure in it in a left-to-right isolate
    (LRI ... PDI), so it reads exactly as written inside right-to-left text:
    "2026-11-02", "18.9%", "0.5 mg", "BRCA2 c.5946del" and "3/4" keep their order on
    paper and in extracted text. Sentence stops after it, and brackets around it
    that have no partner inside, stay outside."""

    def wrap(match: re.Match[str]) -> str:
        word = match.group()
        start, end = 0, len(word)
        alone = _unmatched(word)
        while True:
            if end > start and (word[end - 1] in _TRAILING_STOPS or end - 1 in alone):
                end -= 1
            elif start < end and (
                start in alone or word[start] in _LEADING_STOPS or word[start].isspace()
            ):
                start += 1
            else:
                break
        core = word[start:end]
        if not any(char.isdigit() for char in core):
            return word
        return f"{word[:start]}\u2066{core}\u2069{word[end:]}"

    if not any(char.isdigit() for char in text):
        return text
    return _PHRASE.sub(wrap, text)


# Isolates for text shown on screen ---------------------------------------------

LRI = "\u2066"  # left-to-right isolate
RLI = "\u2067"  # right-to-left isolate
FSI = "\u2068"  # first-strong isolate: the direction of its first strong letter
PDI = "\u2069"  # pop directional isolate: closes any of the three
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)

# A left-to-right phrase for the screen: as ``_PHRASE``, but bidi controls end it
# (a value isolated already is left whole) and line breaks are not joined.
_NOT_RTL_OR_CONTROL = (
    r"[^\s\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
_SCREEN_PHRASE = re.compile(rf"{_NOT_RTL_OR_CONTROL}+(?:[ \u00a0]+{_NOT_RTL_OR_CONTROL}+)*")
# Around a phrase inside right-to-left words, these belong to the sentence, not to it:
# the full stop after "EGFR." and the ellipsis of a search snippet cut in Arabic.
_SENTENCE_TRAILING = _TRAILING_STOPS + "\u2026"
_SENTENCE_LEADING = _LEADING_STOPS + "\u2026"
# Quotation marks and their partners (either way round: »German« and «French»).
_QUOTE_PARTNERS = {
    '"': '"', "'": "'", "\u00ab": "\u00bb", "\u00bb": "\u00ab", "\u2018": "\u2019",
    "\u2019": "\u2018", "\u201c": "\u201d", "\u201d": "\u201c", "\u2039": "\u203a",
    "\u203a": "\u2039",
}  # fmt: skip
_RTL_CLASSES = frozenset({"R", "AL"})


def _has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(char) in _RTL_CLASSES for char in text)


def _needs_isolate(text: str) -> bool:
    """A letter written left to right, or a figure: what Arabic around it could move."""
    return any(unicodedata.bidirectional(char) in ("L", "EN") for char in text)


def isolate(text: str) -> str:
    """``text`` as one value in its own direction, taken from its first strong letter,
    whatever the direction around it: each line in a first-strong isolate (FSI ... PDI).
    For values typed or imported as they are ("p.V617F (c.1849G>T)", "25 mut/Mb")."""
    return "\n".join(f"{FSI}{line}{PDI}" if line else line for line in text.split("\n"))


def _outer_quote(part: str, at_end: bool) -> bool:
    """Whether the quotation mark at the start (or end) of ``part`` belongs to the
    sentence around it, which sets its direction: it and its partner enclose the whole
    part ('no actionable finding' inside Arabic), or it has no partner in the part.
    A quotation closed inside the phrase stays with it."""
    char = part[-1] if at_end else part[0]
    partner = _QUOTE_PARTNERS.get(char)
    if partner is None:
        return False
    if len(part) > 1 and (part[0] if at_end else part[-1]) == partner:
        return True
    rest = range(len(part) - 1) if at_end else range(1, len(part))
    return not any(part[i] == partner and not _apostrophe(part, i) for i in rest)


def _apostrophe(text: str, index: int) -> bool:
    """A mark between two letters or digits ("it's"), not a quotation mark."""
    return 0 < index < len(text) - 1 and text[index - 1].isalnum() and text[index + 1].isalnum()


def _ltr_insertions(line: str) -> list[tuple[int, str]]:
    """Where isolates go in one line of right-to-left text: (offset, control) pairs,
    in order, each LRI before the PDI that closes it."""
    if not _has_rtl(line):
        # No right-to-left letter at all (an English title or snippet in the Arabic
        # interface): the whole line reads left to right, its full stops and ellipses
        # where it put them.
        return [(0, FSI), (len(line), PDI)] if _needs_isolate(line) else []
    found: list[tuple[int, str]] = []
    for match in _SCREEN_PHRASE.finditer(line):
        word = match.group()
        start, end = 0, len(word)
        alone = _unmatched(word)
        while end > start:
            last, first = word[end - 1], word[start]
            if (
                last in _SENTENCE_TRAILING
                or end - 1 in alone
                or last.isspace()
                or _outer_quote(word[start:end], at_end=True)
            ):
                end -= 1
            elif (
                start in alone
                or first in _SENTENCE_LEADING
                or first.isspace()
                or _outer_quote(word[start:end], at_end=False)
            ):
                start += 1
            else:
                break
        if start < end and _needs_isolate(word[start:end]):
            found += [(match.start() + start, LRI), (match.start() + end, PDI)]
    return found


def _insertions(text: str) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    offset = 0
    for line in text.split("\n"):
        found += [(offset + at, control) for at, control in _ltr_insertions(line)]
        offset += len(line) + 1
    return found


def _apply(text: str, insertions: Sequence[tuple[int, str]]) -> str:
    parts: list[str] = []
    position = 0
    for at, control in insertions:
        parts.append(text[position:at])
        parts.append(control)
        position = at
    parts.append(text[position:])
    return "".join(parts)


def isolate_ltr_runs(text: str, rtl: bool = True) -> str:
    """``text`` as it is to be shown in a right-to-left paragraph (``rtl``): every
    left-to-right phrase in it ("BRCA2", "EGFR exon 19 deletion p.(E746_A750del)",
    "0.5 mg", a title in another language) in a left-to-right isolate (LRI ... PDI),
    and a line with no right-to-left letter at all isolated whole (FSI ... PDI), so
    that its brackets, full stops and ellipses stay where it wrote them. Stops and
    unpaired brackets at a phrase's edge belong to the sentence around it and stay
    outside. A left-to-right paragraph (``rtl`` False) gets the text unchanged.

    Only what the bidi algorithm would treat the same either way is added: the text
    without the controls is the text given."""
    if not rtl:
        return text
    return _apply(text, _insertions(text))


def isolate_ltr_runs_keeping(
    text: str, ranges: Sequence[tuple[int, int]], rtl: bool = True
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """``isolate_ltr_runs`` for text with marked character ranges (search matches):
    the new text, and each ``(start, end)`` moved to cover the same characters."""
    if not rtl:
        return text, tuple(ranges)
    insertions = _insertions(text)
    if not insertions:
        return text, tuple(ranges)
    points = [at for at, _control in insertions]

    def moved(start: int, end: int) -> tuple[int, int]:
        # A control at a range's start goes before it; one at its end goes after it.
        before_start = sum(1 for at in points if at <= start)
        before_end = sum(1 for at in points if at < end)
        return start + before_start, max(start + before_start, end + before_end)

    return _apply(text, insertions), tuple(moved(start, end) for start, end in ranges)


def without_controls(text: str) -> str:
    """``text`` with its bidi controls taken out (what was there before isolating)."""
    return "".join(char for char in text if char not in BIDI_CONTROLS)
