"""Finding figures in text: '2', '4.5', '30%', '1 in 8' count; 'BRCA2', 'V600E',
'T790M', '5-FU' and 'COVID-19' are names, not numbers."""

from __future__ import annotations

import re
import unicodedata

# Scripts whose letters may touch a figure: Chinese and Japanese have no spaces
# ('大约5%'), and Arabic and Hebrew join one-letter words to it ('ب80%'). Gene and
# drug names are never written in them.
_UNSPACED = (
    "\u0590-\u06ff\u0750-\u077f\ufb1d-\ufdff\ufe70-\ufeff"
    "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
)
# A number stands alone: no letter or digit touches it, and it is not joined by a
# dash to a letter on its left ('COVID-19') or to a capital on its right ('5-FU').
# Separators inside a number: '.', ',' and the spaces used between thousands.
NUMBER = re.compile(
    rf"(?<![^\W_{_UNSPACED}])(?<![^\W\d_]-)"
    r"\d+(?:[.,\u00a0\u202f\u2009'’]\d+)*"
    rf"(?![^\W_{_UNSPACED}])(?!-[A-Z])"
)


def normalise(number: str) -> str:
    """Digits only, in ASCII: '1,000', '1 000' and '١٠٠٠' all become '1000'."""
    return "".join(str(unicodedata.digit(char)) for char in number if char.isdecimal())


def find_numbers(text: str) -> list[tuple[int, str]]:
    """``(offset, normalised number)`` for each figure in ``text``."""
    return [(match.start(), normalise(match.group())) for match in NUMBER.finditer(text)]
