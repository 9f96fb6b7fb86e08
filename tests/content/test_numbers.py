from __future__ import annotations

import pytest

from sdm_app.content.numbers import find_numbers


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("1 in 8 women", ["1", "8"]),
        ("BRCA2, V600E, T790M, 5-FU and COVID-19", []),
        ("about 1,000 people", ["1000"]),
        ("大约5%到10%是遗传的", ["5", "10"]),  # Chinese: figures touch the characters
        ("通常需要2到4周", ["2", "4"]),
        ("约１０%", ["10"]),
        ("٣ سنوات", ["3"]),
        ("ب80% و10 أشخاص", ["80", "10"]),  # Arabic joins one-letter words to a figure
    ],
)
def test_figures_are_found_and_names_are_not(text: str, numbers: list[str]) -> None:
    assert [number for _offset, number in find_numbers(text)] == numbers
