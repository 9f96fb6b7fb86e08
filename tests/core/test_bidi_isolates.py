"""Isolates for text on screen: a Latin phrase inside right-to-left text keeps its order
and its brackets, full stops and ellipses their place, as the bidi algorithm lays the
line out (read back in visual order with the conformance-tested ``core.bidi``)."""

from __future__ import annotations

import pytest

from sdm_app.core.bidi import (
    FSI,
    LRI,
    PDI,
    Paragraph,
    isolate,
    isolate_ltr_runs,
    isolate_ltr_runs_keeping,
    without_controls,
)

ARABIC_HEADING = "EGFR exon 19 deletion p.(E746_A750del): في الورم فقط (جسدي)"
ARABIC_TITLE = "Tiers and levels up close (اللغة: English)"
ENGLISH_SNIPPET = "…a tissue test may still be needed. An example: EGFR"
MIRRORED = str.maketrans("()[]{}", ")(][}{")


def visual(text: str) -> str:
    """What a right-to-left paragraph shows, left to right, as a reader sees it:
    controls left out, brackets at right-to-left levels mirrored."""
    paragraph = Paragraph(text, base_level=1)
    order, levels = paragraph.line(0, len(text))
    shown = []
    for index, level in zip(order, levels, strict=True):
        char = text[index]
        if char in (LRI, FSI, PDI):
            continue
        shown.append(char.translate(MIRRORED) if level % 2 else char)
    return "".join(shown)


def reversed_rtl(text: str) -> str:
    """Arabic words as they appear left to right: the letters of a word reversed."""
    return text[::-1].translate(MIRRORED)


def test_a_variant_in_an_arabic_heading_reads_as_written() -> None:
    shown = isolate_ltr_runs(ARABIC_HEADING)
    assert shown == f"{LRI}EGFR exon 19 deletion p.(E746_A750del){PDI}: في الورم فقط (جسدي)"
    seen = visual(shown)
    # The variant whole, at the right (where an Arabic line starts), then the Arabic.
    assert seen.endswith("EGFR exon 19 deletion p.(E746_A750del)")
    assert seen.startswith(reversed_rtl(" في الورم فقط (جسدي)").strip())


def test_a_title_in_another_language_and_its_note_are_isolated_apart() -> None:
    shown = isolate_ltr_runs(ARABIC_TITLE)
    assert shown == f"{LRI}Tiers and levels up close{PDI} (اللغة: {LRI}English{PDI})"
    seen = visual(shown)
    assert seen.endswith("Tiers and levels up close")
    assert "English" in seen
    # The note reads "(language: English)" from the right: its opening bracket nearest
    # the title, English last, at the far left.
    assert seen.index("English") < seen.index("Tiers")
    assert seen.startswith("(English")


def test_an_english_snippet_keeps_its_ellipses_at_its_own_ends() -> None:
    plain = visual(ENGLISH_SNIPPET)
    assert not plain.startswith("…")  # unisolated, the ellipsis moves to the other end
    shown = isolate_ltr_runs(ENGLISH_SNIPPET)
    assert shown == f"{FSI}{ENGLISH_SNIPPET}{PDI}"
    assert visual(shown) == ENGLISH_SNIPPET


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A full stop after a gene ends the Arabic sentence, not the gene.
        ("تُسمى EGFR. ثم", f"تُسمى {LRI}EGFR{PDI}. ثم"),
        # Quotation marks around a phrase follow the sentence; one closed inside it
        # stays with it.
        ("قال 'no actionable finding' هنا", f"قال '{LRI}no actionable finding{PDI}' هنا"),
        ("قال «BRCA» هنا", f"قال «{LRI}BRCA{PDI}» هنا"),
        (
            'Results and "no actionable finding" (اللغة: English)',
            f'{LRI}Results and "no actionable finding"{PDI} (اللغة: {LRI}English{PDI})',
        ),
        ("كلمة it's BRCA2'", f"كلمة {LRI}it's BRCA2{PDI}'"),
        # A figure with its unit, and a list of genes, each as one phrase.
        ("جرعة 0.5 mg يوميًا", f"جرعة {LRI}0.5 mg{PDI} يوميًا"),
        ("تغيّر في EGFR, ALK أو", f"تغيّر في {LRI}EGFR, ALK{PDI} أو"),
        # An ellipsis cutting an Arabic snippet stays with the Arabic.
        ("…يوقف BRAF…", f"…يوقف {LRI}BRAF{PDI}…"),
        # Brackets around a gene belong to it; an unpaired one to the sentence.
        ("الحمض النووي (DNA) لجين", f"الحمض النووي {LRI}(DNA){PDI} لجين"),
        ("(أي BRCA2)", f"(أي {LRI}BRCA2{PDI})"),
    ],
)
def test_phrases_inside_arabic(text: str, expected: str) -> None:
    assert isolate_ltr_runs(text) == expected


def test_each_line_is_isolated_on_its_own() -> None:
    text = "First line.\nسطر مع BRCA1\n\nLast."
    assert isolate_ltr_runs(text) == (
        f"{FSI}First line.{PDI}\nسطر مع {LRI}BRCA1{PDI}\n\n{FSI}Last.{PDI}"
    )


@pytest.mark.parametrize("text", ["", "فحص المؤشرات الحيوية", "، ؟", "   "])
def test_text_with_nothing_to_isolate_is_unchanged(text: str) -> None:
    assert isolate_ltr_runs(text) == text


def test_a_left_to_right_paragraph_gets_its_text_unchanged() -> None:
    assert isolate_ltr_runs(ARABIC_HEADING, rtl=False) == ARABIC_HEADING
    assert isolate_ltr_runs(ENGLISH_SNIPPET, rtl=False) == ENGLISH_SNIPPET


def test_a_value_isolated_already_is_not_split() -> None:
    value = isolate("p.V617F (c.1849G>T)")
    assert value == f"{FSI}p.V617F (c.1849G>T){PDI}"
    shown = isolate_ltr_runs(f"التغيّر {value}: جسدي")
    assert f"{LRI}p.V617F (c.1849G>T){PDI}" in shown
    assert without_controls(shown) == "التغيّر p.V617F (c.1849G>T): جسدي"


def test_isolate_takes_each_line_apart() -> None:
    assert isolate("25 mut/Mb\n\nTMB") == f"{FSI}25 mut/Mb{PDI}\n\n{FSI}TMB{PDI}"
    assert isolate("") == ""


def test_only_controls_are_added_and_they_pair(blns: list[str]) -> None:
    samples = [ARABIC_HEADING, ARABIC_TITLE, ENGLISH_SNIPPET, *blns]
    for text in samples:
        shown = isolate_ltr_runs(text)
        assert without_controls(shown) == without_controls(text), text
        opened = sum(shown.count(c) for c in (LRI, FSI)) - sum(text.count(c) for c in (LRI, FSI))
        closed = shown.count(PDI) - text.count(PDI)
        assert opened == closed, text


def test_marked_ranges_follow_their_characters() -> None:
    text = "…تُسمى EGFR. ثم EGFR و KRAS"
    ranges = ((7, 11), (16, 20), (23, 27))
    assert [text[a:b] for a, b in ranges] == ["EGFR", "EGFR", "KRAS"]
    shown, moved = isolate_ltr_runs_keeping(text, ranges)
    assert shown == isolate_ltr_runs(text)
    assert [shown[a:b] for a, b in moved] == ["EGFR", "EGFR", "KRAS"]
    english = "…the EGFR gene…"
    shown, moved = isolate_ltr_runs_keeping(english, ((5, 9),))
    assert shown == f"{FSI}{english}{PDI}" and shown[moved[0][0] : moved[0][1]] == "EGFR"
    assert isolate_ltr_runs_keeping(english, ((5, 9),), rtl=False) == (english, ((5, 9),))
