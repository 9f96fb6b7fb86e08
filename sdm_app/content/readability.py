"""Plain-language figures: reading grade and sentence length, per language.

English uses the Flesch-Kincaid grade, on syllables as the words are said (the CMU
Pronouncing Dictionary, see ``readability_syllables``): hyphenation dictionaries
count "medicine" or "menopause" as one syllable and grade English about one grade
too low.

Spanish uses the Crawford formula (years of schooling) and other languages with a
pyphen dictionary the Flesch-Kincaid formula on their syllables, both from textstat
0.7.4 exactly. Later textstat versions fetch NLTK data from the network when used,
so any other installed version is refused (those languages are not graded) rather
than run.

Chinese is measured in characters: characters per sentence and the share of common
characters (``readability_zh``), with no grade. Other languages without a formula
(Arabic ...) are counted, not graded.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sdm_app.content import readability_zh
from sdm_app.content.readability_syllables import syllables_of

TEXTSTAT_VERSION = "0.7.4"
FLESCH_KINCAID = "flesch-kincaid"
CRAWFORD = "crawford"
# Not a grade: characters per sentence and the share of common characters.
CHINESE_CHARACTERS = "chinese-characters"

# Scripts written without spaces between words: words cannot be counted by spaces.
_NO_SPACES = frozenset({"zh", "ja", "th", "lo", "km", "my", "bo"})
_STOPS = ".!?…:;。！？؟"
_SENTENCE_END = re.compile(r"[.!?…。！？؟]+(?=[\s\"'”’)\]]|$)|[。！？]")
_WORD = re.compile(r"\w")


@dataclass(frozen=True, slots=True)
class Reading:
    words: int
    sentences: int
    grade: float | None  # None: no formula for the language, or no words
    formula: str | None
    syllables: int = 0  # English only: the syllables the grade was computed from
    characters: int = 0  # Chinese only: Chinese characters (no punctuation or Latin)
    common_characters: int = 0  # ... of which among the 2,500 common ones

    @property
    def sentence_words(self) -> float | None:
        """Average words per sentence; None where words are not separated by spaces."""
        if not self.sentences or not self.words:
            return None
        return round(self.words / self.sentences, 1)

    @property
    def sentence_characters(self) -> float | None:
        """Chinese: average characters per sentence; None for other languages."""
        if not self.sentences or not self.characters:
            return None
        return round(self.characters / self.sentences, 1)

    @property
    def common_share(self) -> float | None:
        """Chinese (simplified): the share of characters that are common, 0 to 1."""
        if not self.characters or self.formula != CHINESE_CHARACTERS:
            return None
        return round(self.common_characters / self.characters, 3)


def _base(locale: str) -> str:
    return locale.replace("-", "_").split("_")[0].lower()


@lru_cache(maxsize=1)
def textstat_available() -> bool:
    """True only when the pinned textstat is installed (never a networked one)."""
    from importlib import metadata

    try:
        if metadata.version("textstat") != TEXTSTAT_VERSION:
            return False
    except metadata.PackageNotFoundError:
        return False
    try:
        _import_textstatistics()
    except ImportError:  # installed but broken, e.g. pkg_resources missing
        return False
    return True


def _import_textstatistics() -> Any:
    with warnings.catch_warnings():
        # textstat 0.7.4 imports pkg_resources, which newer setuptools deprecate.
        warnings.simplefilter("ignore")
        from textstat.textstat import textstatistics
    return textstatistics


@lru_cache(maxsize=32)
def _pyphen_language(locale: str) -> str | None:
    try:
        import pyphen
    except ImportError:
        return None
    found = pyphen.language_fallback(locale) or pyphen.language_fallback(_base(locale))
    return str(found) if found else None


def formula_for(locale: str) -> str | None:
    """The grade formula used for ``locale``, or None when it is counted but not graded."""
    base = _base(locale)
    if base == "en":
        return FLESCH_KINCAID
    if not textstat_available():
        return None
    if base == "es":
        return CRAWFORD if _pyphen_language("es") else None
    if _pyphen_language(locale):
        return FLESCH_KINCAID
    return None


def measure_for(locale: str) -> str | None:
    """What ``locale`` is measured with: its grade formula, or for Chinese the
    character measure (no grade); None when it is only counted."""
    if readability_zh.is_chinese(locale):
        return CHINESE_CHARACTERS
    return formula_for(locale)


@lru_cache(maxsize=32)
def _statistics(locale: str) -> Any:
    """A textstat instance of its own per language (set_lang is per instance)."""
    statistics = _import_textstatistics()()
    statistics.set_rounding(False)  # round once, at the end, not every step
    base = _base(locale)
    statistics.set_lang("en_US" if base == "en" else _pyphen_language(locale) or "en_US")
    return statistics


def joined(blocks: Sequence[str]) -> str:
    """Blocks (paragraphs, headings, list items, benefits ...) as one text, each
    ending a sentence, as readers take a heading or a list item."""
    parts = []
    for block in blocks:
        text = " ".join(block.split())
        if not text or not _WORD.search(text):
            continue
        parts.append(text if text[-1] in _STOPS else f"{text}.")
    return " ".join(parts)


def count_sentences(text: str, locale: str) -> tuple[int, int]:
    """``(words, sentences)``; words are 0 for scripts without spaces between words."""
    sentences = [part for part in _SENTENCE_END.split(text) if _WORD.search(part)]
    if _base(locale) in _NO_SPACES:
        return 0, len(sentences)
    words = sum(1 for token in text.split() if _WORD.search(token))
    return words, len(sentences)


def english_syllables(text: str) -> int:
    """The syllables of the words ``count_sentences`` counts, as they are said."""
    return sum(syllables_of(token) for token in text.split() if _WORD.search(token))


def flesch_kincaid(words: int, sentences: int, syllables: int) -> float:
    """The Flesch-Kincaid grade (Kincaid et al. 1975), unrounded."""
    return 0.39 * words / sentences + 11.8 * syllables / words - 15.59


def measure(blocks: Sequence[str], locale: str) -> Reading:
    """Reading figures for one text, given as its blocks of plain text."""
    text = joined(blocks)
    words, sentences = count_sentences(text, locale)
    if readability_zh.is_chinese(locale):
        return _chinese(text, locale, sentences)
    formula = formula_for(locale)
    grade: float | None = None
    syllables = 0
    if formula is not None and words and _base(locale) == "en":
        try:
            syllables = english_syllables(text)
            grade = round(flesch_kincaid(words, max(sentences, 1), syllables), 1)
        except (ImportError, OSError):  # the dictionary or its data missing (a frozen build)
            syllables, grade = 0, None
    elif formula is not None and words:
        try:
            statistics = _statistics(locale)
            if formula == CRAWFORD:
                value = float(statistics.crawford(text))
            else:
                value = float(statistics.flesch_kincaid_grade(text))
            grade = round(value, 1)
        except Exception:  # a counting library must never stop the check
            grade = None
    return Reading(words, sentences, grade, formula if grade is not None else None, syllables)


def _chinese(text: str, locale: str, sentences: int) -> Reading:
    characters = readability_zh.han_characters(text)
    if not readability_zh.is_simplified(locale):
        return Reading(0, sentences, None, None, characters=len(characters))
    common = readability_zh.count_common(characters)
    formula = CHINESE_CHARACTERS if characters else None
    return Reading(
        0, sentences, None, formula, characters=len(characters), common_characters=common
    )
