"""The PDF text layout: the fast path for plain left-to-right text gives the lines
of the general one (a font per character, the full bidi algorithm)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

import pytest

from sdm_app.services import pdf_text
from sdm_app.storage.content_db import ContentLibrary

WIDTHS = (40.0, 120.0, 250.0, 480.0)


def _same_lines(text: str, size: float, bold: bool, width: float) -> bool | None:
    """None when the fast path declines ``text``; else whether both paths agree."""
    cleaned = pdf_text.clean_text(text)
    fast = pdf_text._latin_lines(cleaned, size, bold, max(width, size))
    if fast is None:
        return None
    general, missing = pdf_text._general_lines(cleaned, size, bold, width, False)
    assert not missing
    return _drawn(fast) == _drawn(general)


def _drawn(lines: tuple[pdf_text.Line, ...]) -> list[tuple[str, set[str], float]]:
    """Each line's text left to right, fonts and width (the general path may cut a
    line into more pieces at an isolate's edge; what is drawn is the same)."""
    return [
        (
            "".join(str(piece.text) for piece in line.pieces),
            {piece.font for piece in line.pieces},
            round(line.width, 4),
        )
        for line in lines
    ]


def _summary_texts(library: ContentLibrary) -> list[str]:
    from sdm_app.services.demo import load_demo
    from sdm_app.services.documents.summary import summary_document

    consultation = replace(
        load_demo(),
        next_steps="Ask about the 2 options\non 2026-12-14 (18.9 months; 0.5 mg; 1,234).",
    )
    document = summary_document(consultation, library, language="en", today=date(2026, 12, 1))
    return list(document.texts())


def test_plain_text_takes_the_fast_path_with_the_same_lines(
    bundled_library: ContentLibrary,
) -> None:
    texts = _summary_texts(bundled_library)
    declined = []
    for text in texts:
        for width in WIDTHS:
            for bold in (False, True):
                same = _same_lines(text, 10.0, bold, width)
                if same is None:
                    if width == WIDTHS[-1]:
                        declined.append(text)
                else:
                    assert same, (text, width, bold)
    # An English summary is plain Latin text: on a page's width, all of it is fast but
    # for a web address too long for one line, which the general path cuts.
    assert len(texts) > 100
    assert all("https://" in text for text in declined), declined
    assert len(declined) < len(texts) / 20


def test_random_latin_mixtures_agree() -> None:
    rng = random.Random(20261208)
    alphabet = list("abcdefgh XYZ 0123456789.,;:%/-()[]\u2013\u2019\u201c\u201d\u00e9\u00fc\n ")
    alphabet += [
        "\u00a0",
        "  ",
        "p.(Leu858Arg)",
        "c.5946delT",
        "18.9%",
        "1,234",
        "verylongwordwithoutspaces",
    ]
    checked = 0
    for _ in range(600):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        width = rng.choice(WIDTHS)
        same = _same_lines(text, rng.choice((9.0, 10.0, 14.0)), rng.random() < 0.3, width)
        if same is not None:
            checked += 1
            assert same, (text, width)
    assert checked > 300


@pytest.mark.parametrize(
    "text",
    [
        "مرحبا 18.9",  # right-to-left letters
        "EGFR ١٢",  # Arabic-Indic digits
        "a‏b",  # a right-to-left mark
        "中文 text",  # a character of another font
        "a​b",  # an invisible character
        "ȩ́",  # combining marks NFC cannot compose
    ],
)
def test_other_text_takes_the_general_path(text: str) -> None:
    assert pdf_text._latin_lines(pdf_text.clean_text(text), 10.0, False, 200.0) is None


@pytest.mark.parametrize(
    "text", ["Take 0.5\u00a0mg twice a day", "\u0645\u0631\u062d\u0628\u0627 0.5\u00a0mg"]
)
def test_a_no_break_space_keeps_a_dose_on_one_line(text: str) -> None:
    style = pdf_text.TextStyle(size=10.0)
    for width in range(40, 200, 5):  # "0.5 mg" is about 30 points wide
        for rtl in (False, True):
            lines = pdf_text.layout(text, style, float(width), rtl)
            printed = [
                "".join(str(piece.actual or piece.text) for piece in line.pieces) for line in lines
            ]
            assert any("0.5" in line and "mg" in line for line in printed), (width, printed)
