"""Finding figures in text: '2', '4.5', '30%', '1 in 8' count; 'BRCA2', 'V600E',
'T790M', '5-FU' and 'COVID-19' are names, not numbers."""

from __future__ import annotations

import re
import unicodedata

# A number stands alone: no letter or digit touches it, and it is not joined by a
# dash to a letter on its left ('COVID-19') or to a capital on its right ('5-FU').
# Separators inside a number: '.', ',' and the spaces used between thousands.
NUMBER = re.compile(
    r"(?<![^\W_])(?<![^\W\d_]-)"
    r"\d+(?:[.,\u00a0\u202f\u2009'’]\d+)*"
    r"(?![^\W_])(?!-[A-Z])"
)


def normalise(number: str) -> str:
    """Digits only, in ASCII: '1,000', '1 000' and '١٠٠٠' all become '1000'."""
    return "".join(str(unicodedata.digit(char)) for char in number if char.isdecimal())


def find_numbers(text: str) -> list[tuple[int, str]]:
    """``(offset, normalised number)`` for each figure in ``text``."""
    return [(match.start(), normalise(match.group())) for match in NUMBER.finditer(text)]
