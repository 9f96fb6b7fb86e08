"""The bidi algorithm against Unicode's conformance files, and the cases that once
changed numbers on paper."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from sdm_app.core.bidi import Bracket, Paragraph, line_levels, resolve, visual_order

UNICODE = Path("/usr/share/unicode")  # Debian's unicode-data; .ci/run installs it
needs_files = pytest.mark.skipif(
    not (UNICODE / "BidiCharacterTest.txt").is_file(),
    reason="unicode-data is not installed (apt-get install unicode-data)",
)


def _check(
    classes: list[str], base: int | None, brackets: list[Bracket | None] | None = None
) -> tuple[int, list[str], list[int]]:
    level, levels = resolve(classes, base, brackets)
    on_line = line_levels(classes, levels, level, 0, len(classes))
    shown = ["x" if value is None else str(value) for value in on_line]
    return level, shown, visual_order(on_line)


@needs_files
def test_every_line_of_bidi_test_passes() -> None:
    expected_levels: list[str] = []
    expected_order: list[int] = []
    failures: list[str] = []
    cases = 0
    for number, raw in enumerate(
        (UNICODE / "BidiTest.txt").read_text(encoding="utf-8").splitlines(), start=1
    ):
        line = raw.split("#")[0].strip()
        if not line:
            continue
        if line.startswith("@Levels:"):
            expected_levels = line.split(":", 1)[1].split()
            continue
        if line.startswith("@Reorder:"):
            expected_order = [int(n) for n in line.split(":", 1)[1].split()]
            continue
        if line.startswith("@"):
            continue
        data, bits = line.split(";")
        classes = data.split()
        for bit, base in ((1, None), (2, 0), (4, 1)):
            if int(bits) & bit:
                cases += 1
                _level, shown, order = _check(classes, base)
                if shown != expected_levels or order != expected_order:
                    failures.append(f"line {number}: {data} (base {base})")
    assert cases > 700_000
    assert not failures, failures[:10]


@lru_cache(maxsize=1)
def _character_data() -> tuple[dict[int, str], list[tuple[int, int, str]], dict[int, Bracket]]:
    """Bidi classes and brackets of the same Unicode version as the test file."""
    classes: dict[int, str] = {}
    ranges: list[tuple[int, int, str]] = []
    first = 0
    for row in (UNICODE / "UnicodeData.txt").read_text(encoding="utf-8").splitlines():
        fields = row.split(";")
        code = int(fields[0], 16)
        classes[code] = fields[4]
        if fields[1].endswith("First>"):
            first = code
        elif fields[1].endswith("Last>"):
            ranges.append((first, code, fields[4]))
    brackets: dict[int, Bracket] = {}
    canonical = {0x2329: 0x3008}
    for row in (UNICODE / "BidiBrackets.txt").read_text(encoding="utf-8").splitlines():
        row = row.split("#")[0].strip()
        if not row:
            continue
        point, pair, kind = (field.strip() for field in row.split(";"))
        opening = int(point, 16) if kind == "o" else int(pair, 16)
        brackets[int(point, 16)] = Bracket(kind == "o", chr(canonical.get(opening, opening)))
    return classes, ranges, brackets


def _class_of(code: int) -> str:
    classes, ranges, _brackets = _character_data()
    if code in classes:
        return classes[code]
    return next((kind for start, end, kind in ranges if start <= code <= end), "L")


@needs_files
def test_every_line_of_bidi_character_test_passes() -> None:
    _classes, _ranges, brackets = _character_data()
    failures: list[str] = []
    cases = 0
    text = (UNICODE / "BidiCharacterTest.txt").read_text(encoding="utf-8")
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#")[0].strip()
        if not line:
            continue
        fields = line.split(";")
        codes = [int(code, 16) for code in fields[0].split()]
        direction = int(fields[1])
        classes = [_class_of(code) for code in codes]
        cases += 1
        level, shown, order = _check(
            classes, None if direction == 2 else direction, [brackets.get(c) for c in codes]
        )
        expected = (int(fields[2]), fields[3].split(), [int(n) for n in fields[4].split()])
        if (level, shown, order) != expected:
            failures.append(f"line {number}: {fields[0]}")
    assert cases > 90_000
    assert not failures, failures[:10]


def _visual(text: str, rtl: bool) -> str:
    paragraph = Paragraph(text, 1 if rtl else 0)
    order, _levels = paragraph.line(0, len(text))
    return "".join(text[i] for i in order)


@pytest.mark.parametrize(
    ("text", "rtl", "kept"),
    [
        ("الوسيط 18.9 شهرًا", True, "18.9"),
        ("الجرعة 0.5 ملغ", True, "0.5"),
        ("العدد 1,234 مريضًا", True, "1,234"),
        ("نحو 3/4 المرضى", True, "3/4"),
        ("בערך 18.9% מהחולים", True, "18.9"),
        ("בשעה 10:30 בבוקר", True, "10:30"),
        ("VAF 23.5% ملاحظة", False, "VAF 23.5%"),
    ],
)
def test_numbers_keep_their_order(text: str, rtl: bool, kept: str) -> None:
    assert kept in _visual(text, rtl)


def test_a_paragraph_is_resolved_before_its_lines_are_reordered() -> None:
    # An Arabic paragraph: its second line starts with a Latin name and a number. Line
    # by line, that line would be read as left-to-right text and "12" as a European
    # number; as part of the paragraph it stays right to left, the number after Arabic.
    text = "عدد المرضى BRCA2 12 مريضًا"
    paragraph = Paragraph(text, None)
    assert paragraph.rtl
    cut = text.index("BRCA2")
    order, levels = paragraph.line(cut, len(text))
    by_index = dict(zip(order, levels, strict=True))
    assert by_index[text.index("12")] == 2  # an Arabic number (W2) inside the RTL paragraph
    assert by_index[text.index("مريضًا")] == 1
    assert "".join(text[i] for i in order).startswith("مريضًا"[::-1])


def test_the_left_to_right_shortcut_gives_the_full_algorithms_levels() -> None:
    """A left-to-right paragraph with nothing of right-to-left in it skips the full
    algorithm; on every such mix of letters, digits, marks, spaces, punctuation,
    joiners and controls it must give what the algorithm gives."""
    import random

    from sdm_app.core.bidi import bracket_of, classes_of

    pool = "abcXYZ 0123456789.,:;%+-/()[]{}éñ\u0301\u200d\u200c\u00ad\t\u00a0€$#中文हि"
    rng = random.Random(15)
    for _ in range(3000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(1, 40)))
        for base in (None, 0):
            fast = Paragraph(text, base)
            assert fast.simple
            brackets = [bracket_of(char) for char in text]
            assert (fast.base_level, fast.levels) == resolve(classes_of(text), base, brackets)
            order, levels = fast.line(0, len(text))
            assert order == [i for i, level in enumerate(fast.levels) if level is not None]
            assert set(levels) <= {0}
    assert not Paragraph("abc \u05d0", 0).simple and not Paragraph("abc", 1).simple
