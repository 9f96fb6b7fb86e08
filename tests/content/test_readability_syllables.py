"""The English syllable counter behind the Flesch-Kincaid grade.

``syllables.tsv`` holds 200 medical and everyday words with their syllables as
usually said in American English, written from pronunciation, not from the
counter. Four of them (capecitabine, fluorouracil, deruxtecan, oophorectomy) are
also in the counter's own short list (``LIBRARY_WORDS``), because the dictionary
lacks them and the estimate gets them wrong; every other word is answered by the
CMU Pronouncing Dictionary, an American form of a British spelling, two dictionary
words written as one, or the estimate from the spelling.
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sdm_app.content import readability_syllables as counter
from sdm_app.content.readability_syllables import (
    LIBRARY_WORDS,
    pronouncing_dictionary,
    syllables_of,
    syllables_with_origin,
)

FIXTURE = Path(__file__).parent / "syllables.tsv"
# Where the dictionary's first pronunciation has another count than the usual one.
# The counter follows the dictionary; these stay listed so a change is noticed.
DICTIONARY_DISAGREES = {
    "allele": 3,  # CMUdict AH0 L EH1 L IY0; usually "uh-LEEL", two
    "dementia": 4,  # CMUdict D IH0 M EH1 N SH IY0 AH0; usually "dih-MEN-shuh", three
}


def _fixture() -> dict[str, int]:
    words: dict[str, int] = {}
    for line in FIXTURE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            word, count = line.split("\t")
            assert word not in words, f"{word} is listed twice"
            words[word] = int(count)
    return words


def test_the_fixture_has_200_words() -> None:
    assert len(_fixture()) == 200


def test_200_words_have_their_known_syllables() -> None:
    wrong = {}
    for word, expected in _fixture().items():
        got = syllables_of(word)
        if got != DICTIONARY_DISAGREES.get(word, expected):
            wrong[word] = (expected, got, syllables_with_origin(word)[1])
    assert wrong == {}, "word: (expected, counted, from)"
    assert set(DICTIONARY_DISAGREES) <= set(_fixture())


def test_the_words_textstat_miscounted() -> None:
    # textstat 0.7.4 (pyphen) gave 1, 1, 1 and 3.
    expected = {"capecitabine": 5, "medicine": 3, "menopause": 3, "chemotherapy": 5}
    assert {word: syllables_of(word) for word in expected} == expected


def test_most_fixture_words_come_from_the_dictionary_not_the_short_list() -> None:
    origins = [syllables_with_origin(word)[1] for word in _fixture()]
    assert origins.count("library") == 4
    assert origins.count("dictionary") >= 150


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("tumour", 2),  # American "tumor"
        ("oestrogen", 3),
        ("haemoglobin", 4),
        ("randomised", 3),
        ("counselling", 3),
        ("germline", 2),  # germ + line
        ("biomarkers", 4),
        ("insertions", 3),  # plural of a dictionary word
        ("EGFR", 4),  # letter by letter
        ("dMMR", 4),
        ("ctDNA", 5),
        ("KRAS", 2),  # "kay-ras", not the dictionary's surname
        ("FLAURA", 2),  # a trial's name, said as a word
        ("BRCA1", 3),  # "brack-a one"
        ("HER2", 2),
        ("V600E", 5),  # V six hundred E
        ("IV", 1),  # stage four
        ("30", 2),
        ("2.5", 3),  # two point five
        ("30%", 4),  # thirty percent
        ("1,000", 3),
        ("2024", 5),  # twenty twenty-four
        ("2nd", 2),
        ("patient's", 2),
        ("Lynch's", 2),
        ("self-care", 2),
        ("and/or", 2),
        ("(chemotherapy),", 5),
        ("glioma", 3),  # estimate, with "io" said as two
        ("naïve", 2),
    ],
)
def test_tokens_as_printed(token: str, expected: int) -> None:
    assert syllables_of(token) == expected


def test_the_estimate_agrees_with_the_dictionary_on_most_words() -> None:
    """The fallback, tried on dictionary words as if it had never seen them: it
    must be right on most and within one syllable on nearly all."""
    import syllapy

    words = sorted(
        word
        for word in pronouncing_dictionary()
        if re.fullmatch(r"[a-z]{4,}", word) and word not in syllapy.WORD_DICT
    )
    sample = random.Random(17).sample(words, 4000)
    dictionary = pronouncing_dictionary()
    exact = sum(counter._estimate(word) == dictionary[word] for word in sample)
    close = sum(abs(counter._estimate(word) - dictionary[word]) <= 1 for word in sample)
    assert exact / len(sample) > 0.8
    assert close / len(sample) > 0.98


def test_the_short_list_holds_only_words_it_needs() -> None:
    """Each entry is a word the dictionary lacks, or says otherwise than the
    library's readers do (KRAS the gene, not the surname)."""
    dictionary = pronouncing_dictionary()
    for word, count in LIBRARY_WORDS.items():
        assert word == word.lower() and count >= 1
        assert word not in dictionary or dictionary[word] != count, word


def test_the_dictionary_is_read_once_and_only_when_needed() -> None:
    code = (
        "import sys\n"
        "import sdm_app.content.readability, sdm_app.content.stats\n"
        "assert 'cmudict' not in sys.modules, 'read at import'\n"
        "from sdm_app.content.readability_syllables import pronouncing_dictionary\n"
        "assert pronouncing_dictionary() is pronouncing_dictionary()\n"
        "assert len(pronouncing_dictionary()) > 100000\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr


def test_naughty_strings_never_stop_the_count(blns: list[str]) -> None:
    from sdm_app.content.readability import measure

    for text in blns:
        for locale in ("en", "zh", "zh_Hant"):
            reading = measure([text], locale)
            assert reading.syllables >= 0 and reading.characters >= 0
