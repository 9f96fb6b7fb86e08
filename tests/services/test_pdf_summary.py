"""The PDF consultation summary: content, languages, fonts, escaping, metadata."""

from __future__ import annotations

import json
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from sdm_app import i18n, paths
from sdm_app.core.consultation import Consultation
from sdm_app.storage.content_db import ContentLibrary
from tests.test_cli import sdm_app

ROOT = Path(__file__).resolve().parents[2]
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
    reason="poppler-utils (pdftotext, pdffonts) is not installed",
)
_BIDI_CONTROLS = dict.fromkeys(
    map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)


def normalise(text: str) -> str:
    """Text as compared after extraction: no whitespace, controls or format characters.

    Extraction gives Arabic presentation forms (NFKC folds them back), breaks lines
    anywhere and marks right-to-left runs with embedding controls.
    """
    text = unicodedata.normalize("NFKC", text.translate(_BIDI_CONTROLS))
    return "".join(
        char
        for char in text
        if not char.isspace() and unicodedata.category(char) not in ("Cc", "Cf", "Zs", "Zl", "Zp")
    )


def extracted_text(data: bytes) -> str:
    """The PDF's text as pdfium (Chrome's engine) reads it."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def _bare(text: str) -> str:
    """Without vowel marks and punctuation, which readers place by their own rules."""
    return "".join(c for c in text if unicodedata.category(c)[0] not in "MP")


def pdftotext(path: Path) -> str:
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
        timeout=120,
    )
    return result.stdout.decode("utf-8")


def fonts_of(path: Path) -> list[list[str]]:
    result = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True, timeout=60
    )
    return [line.split() for line in result.stdout.splitlines()[2:] if line.strip()]


def assert_all_fonts_embedded(path: Path) -> None:
    rows = fonts_of(path)
    assert rows, "no fonts at all"
    for row in rows:
        # name type [type2] encoding emb sub uni id gen: emb is the 5th field from the end.
        assert row[-5] == "yes", f"font not embedded: {' '.join(row)}"


@pytest.fixture
def library(shared_cache: Path) -> Iterator[ContentLibrary]:
    from sdm_app.content.freshness import ensure_content_db

    with ContentLibrary.open(ensure_content_db(paths.content_dir(), shared_cache)) as opened:
        yield opened


@pytest.fixture
def demo(library: ContentLibrary) -> Consultation:
    from sdm_app.services.demo import load_demo

    plain = load_demo()
    return load_demo(library.decision_aid(plain.decision_aid_id, "en"))


def demo_patient_strings() -> list[str]:
    data = json.loads((ROOT / "resources" / "demo" / "consultation.json").read_text("utf-8"))
    context = data["context"]
    strings = [
        data["patient_label"],
        context["condition"],
        context["decision"],
        context["present"],
        *data["own_questions"],
        data["next_steps"],
        data["involve"],
    ]
    for result in data["results"]:
        strings += [
            result["gene"],
            result["alteration"],
            result["lab"],
            *(t["name"] for t in result["therapies"]),
        ]
    return [s for s in strings if s]


def expected_headings(language: str) -> list[str]:
    with i18n_language(language):
        from sdm_app.i18n import _

        return [
            _("Consultation summary"),
            _("About this visit"),
            _("Test results"),
            _("Options considered"),
            _("What the numbers say"),
            _("What matters to you"),
            _("Ready to decide?"),
            _("Questions for your care team"),
            _("Next steps"),
            _("Who else to involve"),
            _("Sources"),
            _(
                "This summary is for education and to support your conversations with your "
                "care team. It is not medical advice."
            ),
        ]


def i18n_language(language: str):  # type: ignore[no-untyped-def]
    from sdm_app.services.pdf_document import in_language

    return in_language(language)


@needs_poppler
@pytest.mark.parametrize("language", i18n.available_languages())
def test_demo_in_every_language(language: str, tmp_path: Path) -> None:
    out = tmp_path / f"demo-{language}.pdf"
    result = sdm_app("demo", "--locale", language, "--out", str(out))
    assert result.returncode == 0, result.stderr
    text = normalise(pdftotext(out))
    if not i18n.is_rtl(language):
        for string in (*expected_headings(language), *demo_patient_strings()):
            assert normalise(string) in text, string
    else:
        # Readers put right-to-left text back in reading order by their own rules:
        # every word comes out whole, its vowel marks at one end of it (pdfium and
        # poppler) and a mixed-direction line's pieces in an order of their own.
        # pdfium also reverses the parts of a Latin phrase with figures in a
        # right-to-left line ("c.5946delT"): the figures test reads those.
        pdfium = _bare(normalise(extracted_text(out.read_bytes())))
        for string in (*expected_headings(language), *demo_patient_strings()):
            for word in string.split():
                assert _bare(normalise(word)) in _bare(text), (string, word)
                if not any(char.isdigit() for char in word):
                    assert _bare(normalise(word)) in pdfium, (string, word)
    assert normalise("Discussed trial options briefly.") not in text  # patient view
    assert normalise("PD-L1 result pending.") not in text
    assert_all_fonts_embedded(out)
    assert i18n.current_language() == i18n.SOURCE_LANGUAGE


def test_metadata_and_page_numbers(demo: Consultation, library: ContentLibrary) -> None:
    import io

    from pypdf import PdfReader

    from sdm_app.services.pdf_summary import build_summary_pdf

    i18n.set_language("es")
    data = build_summary_pdf(demo, library, language="ar")
    assert i18n.current_language() == "es", "the UI language must be restored"
    reader = PdfReader(io.BytesIO(data))
    with i18n_language("ar"):
        from sdm_app.i18n import _

        title = _("Consultation summary")
    assert reader.metadata is not None
    assert reader.metadata.title == title
    assert reader.metadata.author and reader.metadata.subject
    assert reader.trailer["/Root"]["/Lang"] == "ar"  # type: ignore[index]
    assert len(reader.pages) >= 2


@needs_poppler
def test_clinician_view_includes_notes(demo: Consultation, tmp_path: Path) -> None:
    from sdm_app.services.pdf_summary import export_summary_pdf

    out = export_summary_pdf(demo, None, tmp_path / "c.pdf", language="en", patient_view=False)
    text = normalise(pdftotext(out))
    assert normalise("Discussed trial options briefly.") in text
    assert normalise("PD-L1 result pending.") in text


def test_unknown_language_is_refused(demo: Consultation) -> None:
    from sdm_app.services.pdf_summary import UnknownLanguageError, build_summary_pdf

    with pytest.raises(UnknownLanguageError):
        build_summary_pdf(demo, None, language="xx")


@needs_poppler
def test_markup_in_user_strings_is_text(demo: Consultation, tmp_path: Path) -> None:
    from sdm_app.services.pdf_summary import export_summary_pdf

    image = ROOT / "resources" / "fonts" / "README.md"
    nasty = [
        "<b>unclosed",
        f'<img src="{image}" width="100" height="100"/>',
        '<font name="Helvetica" size="40">big</font>',
        "<para><a href='file:///etc/passwd'>link</a></para>",
        "&amp; &lt; &#x41; &nonsense; ]]>",
    ]
    consultation = replace(demo, own_questions=tuple(nasty), clinician_notes=nasty[1])
    out = export_summary_pdf(
        consultation, None, tmp_path / "m.pdf", language="en", patient_view=False
    )
    text = normalise(pdftotext(out))
    for string in nasty:
        assert normalise(string) in text
    raw = out.read_bytes()
    assert b"/Subtype /Image" not in raw and b"/URI" not in raw
    assert all("Helvetica" not in " ".join(row) for row in fonts_of(out))


def drawable(text: str) -> str:
    """The text less noncharacters and private-use characters (not text to compare)."""
    return "".join(char for char in text if unicodedata.category(char) not in ("Co", "Cn"))


def has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in text)


@needs_poppler
def test_blns_strings_survive(demo: Consultation, blns: list[str], tmp_path: Path) -> None:
    """Every naughty string, as a question and as a note, builds and comes back.

    Compared without whitespace (line breaks). Characters that no shipped font has
    (emoji, Deseret, Tibetan) draw nothing but come back through /ActualText.
    Right-to-left strings and strings with combining marks are compared as
    multisets of characters: extraction orders mixed-direction lines, and places
    stacked marks, its own way.
    """
    from collections import Counter

    from sdm_app.services.pdf_summary import export_summary_pdf

    strings = [s for s in blns if normalise(s)]
    consultation = replace(demo, own_questions=tuple(strings), clinician_notes="\n".join(strings))
    out = export_summary_pdf(
        consultation, None, tmp_path / "blns.pdf", language="en", patient_view=False
    )
    extracted = pdftotext(out)
    text = normalise(extracted)
    counts = Counter(text)
    missing = []
    for string in strings:
        # poppler reads U+10400 (UTF-16 D801 DC00) in /ActualText as U+1040; others are right.
        wanted = normalise(drawable(string)).replace("\U00010400", "\u1040")
        if Counter(wanted * 2) - counts or (
            # Once in one piece: pdftotext may read a wrapped line elsewhere in the page, and
            # joins a line ending in "-" with the next one (dehyphenation).
            not has_rtl(string)
            and not any(unicodedata.category(c)[0] == "M" for c in string)
            and wanted not in text
            and wanted.rstrip("-") not in text
        ):  # as a question and as a note
            missing.append(string)
    assert not missing, missing[:10]
    assert_all_fonts_embedded(out)


@needs_poppler
@pytest.mark.parametrize(
    "sample",
    [
        "نتيجة فحص BRCA2 إيجابية (c.5946delT) في عام 2026، اسأل فريقك.",
        "תוצאת הבדיקה BRCA2 חיובית, c.5946delT, בשנת 2026.",
        "中文测试：EGFR 基因检测结果 p.L858R 显示有突变，请询问医生。" * 3,
        "हिन्दी में EGFR परीक्षण का परिणाम p.L858R है। कृपया अपनी टीम से पूछें।",
        "Ελληνικά, Русский, English, العربية, עברית, 中文, हिन्दी: BRCA2 EGFR.",
    ],
)
def test_mixed_scripts_keep_every_character(
    sample: str, demo: Consultation, tmp_path: Path
) -> None:
    from collections import Counter

    from sdm_app.services.pdf_summary import export_summary_pdf

    consultation = replace(
        demo,
        results=(),
        decision_aid_id="",
        own_questions=(sample,),
        next_steps="",
        involve="",
        patient_label="",
        context=replace(demo.context, present=""),
    )
    out = export_summary_pdf(consultation, None, tmp_path / "mixed.pdf", language="en")
    text = Counter(normalise(pdftotext(out)))
    wanted = Counter(normalise(sample))
    assert not wanted - text, wanted - text
    assert_all_fonts_embedded(out)


def test_missing_library_still_builds(demo: Consultation) -> None:
    from sdm_app.services.pdf_summary import build_summary_pdf

    assert build_summary_pdf(demo, None, language="en").startswith(b"%PDF")


# Figures in right-to-left text ----------------------------------------------------


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize("language", ["ar", "he"])
def test_figures_come_out_of_the_pdf_as_written(language: str) -> None:
    """1,000 generated paragraphs mixing Arabic or Hebrew, Latin, numbers, dates, doses,
    HGVS names and addresses: each figure is in the PDF's text exactly as written, in
    the order the page is written (``pdftotext -raw``)."""
    import random

    from sdm_app.services.pdf_document import BODY, document_info, render_pdf
    from sdm_app.services.pdf_text import TextBlock

    words = {
        "ar": "المريض الجرعة نتيجة الفحص الورم الدواء يوميا شهرا تحليل الطبيب",
        "he": "המטופל מינון תוצאה בדיקה גידול תרופה יומי חודשים רופא",
        "en": "patient dose result test tumour medicine daily months doctor",
    }
    makers = (
        lambda r: f"{r.randint(0, 99)}.{r.randint(0, 9)}",
        lambda r: f"{r.randint(1, 9)},{r.randint(100, 999)}",
        lambda r: f"{r.randint(1, 9)}/{r.randint(2, 9)}",
        lambda r: f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}",
        lambda r: f"20{r.randint(10, 30)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}",
        lambda r: f"{r.randint(1, 99)}.{r.randint(0, 9)}%",
        lambda r: f"{r.randint(1, 900)} mg",
        lambda r: f"c.{r.randint(100, 9999)}{r.choice('ACGT')}>{r.choice('ACGT')}",
        lambda r: f"p.(Leu{r.randint(10, 999)}Arg)",
        lambda r: f"https://example.org/r{r.randint(1, 999)}?id={r.randint(1, 99)}",
    )
    rng = random.Random(language)
    paragraphs: list[tuple[str, list[str]]] = []
    for _ in range(1000):
        parts: list[str] = []
        figures: list[str] = []
        for _ in range(rng.randint(2, 6)):
            parts.append(rng.choice(words[rng.choice((language, language, "en"))].split()))
            if rng.random() < 0.6:
                figure = rng.choice(makers)(rng)
                figures.append(figure)
                parts.append(figure + rng.choice(("", "", ".", "،", ")")))
        paragraphs.append((" ".join(parts), figures))
    story = [TextBlock(text, BODY, True, auto=True) for text, _figures in paragraphs]
    info = document_info("Figures", "A test", "ar", date(2026, 12, 7))
    data = render_pdf(story, info, rtl=True)
    text = subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode("utf-8")
    missing = [f for _text, figures in paragraphs for f in figures if f not in text]
    assert sum(len(figures) for _text, figures in paragraphs) > 1000
    assert not missing, missing[:10]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_arabic_demo_prints_the_contents_numbers(
    demo: Consultation, library: ContentLibrary
) -> None:
    from sdm_app.services.pdf_summary import build_summary_pdf

    ar = replace(demo, context=replace(demo.context, materials_locale="ar"))
    data = build_summary_pdf(ar, library, language="ar", patient_view=True)
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode("utf-8")
    for number in ("18.9", "10.2"):
        assert number in text
    for reversed_number in ("9.18", "2.10"):
        assert reversed_number not in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_every_page_carries_the_label_and_the_visit_has_its_own_date(
    demo: Consultation, library: ContentLibrary
) -> None:
    from sdm_app.services.pdf_summary import build_summary_pdf

    data = build_summary_pdf(
        demo, library, language="en", today=date(2027, 3, 4), patient_view=True
    )
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode("utf-8")
    pages = [page for page in text.split("\f") if page.strip()]
    assert len(pages) > 1
    for page in pages:
        assert "Consultation summary · Demo visit · March 4, 2027" in page
    assert "Date: November 12, 2026" in text  # the consultation's date, not the export's


def test_paper_follows_the_region_unless_chosen() -> None:
    from sdm_app.i18n import default_paper
    from sdm_app.services.pdf_document import print_options

    assert default_paper("en_US") == "letter"
    assert default_paper("es_MX") == "letter"
    assert default_paper("de_DE") == "a4"
    assert default_paper("ar") == "a4"
    assert default_paper("") == "a4"
    with pytest.raises(ValueError, match="tabloid"), print_options("tabloid"):
        pass


@pytest.mark.parametrize(("paper", "size"), [("a4", (595, 842)), ("letter", (612, 792))])
def test_letter_or_a4_and_large_print(
    demo: Consultation, library: ContentLibrary, paper: str, size: tuple[int, int]
) -> None:
    import io
    import re

    from pypdf import PdfReader

    from sdm_app.services.pdf_summary import build_summary_pdf

    normal = build_summary_pdf(demo, library, language="en", paper=paper)
    large = build_summary_pdf(demo, library, language="en", paper=paper, large_print=True)
    for data in (normal, large):
        for page in PdfReader(io.BytesIO(data)).pages:
            box = page.mediabox
            assert (round(float(box.width)), round(float(box.height))) == size

    def body_sizes(data: bytes) -> set[float]:
        reader = PdfReader(io.BytesIO(data))
        found: set[float] = set()
        for page in reader.pages:
            stream = page.get_contents()
            assert stream is not None
            found |= {float(n) for n in re.findall(rb"/F\d+\+?\d* ([\d.]+) Tf", stream.get_data())}
        return found

    assert 10.0 in body_sizes(normal) and 14.0 not in body_sizes(normal)
    assert 14.0 in body_sizes(large)  # large print: body text at 14 pt


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_a_character_no_font_has_is_a_visible_box_and_reported(
    demo: Consultation, library: ContentLibrary
) -> None:
    from sdm_app.services.pdf_document import unprintable_notice
    from sdm_app.services.pdf_summary import build_summary_pdf
    from sdm_app.services.pdf_text import collect_missing

    noted = replace(demo, patient_label="Visit \U0001f9ec one")  # DNA emoji
    for _export in range(2):  # the second time from the kept layout: still reported
        with collect_missing() as missing:
            data = build_summary_pdf(noted, library, language="en", patient_view=True)
        assert missing == {"\U0001f9ec"}
    assert "U+1F9EC" in unprintable_notice(missing)
    raw = subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode("utf-8")
    assert "Visit \U0001f9ec one" in raw  # the text keeps it for copying and reading


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_a_general_explanation_is_printed_once(demo: Consultation, library: ContentLibrary) -> None:
    from sdm_app.services.pdf_summary import build_summary_pdf

    egfr = demo.results[0]
    others = tuple(replace(egfr, id=None, alteration=f"p.L{n}R") for n in (861, 858))
    many = replace(demo, results=(egfr, *others))
    data = build_summary_pdf(many, library, language="en", patient_view=True)
    text = " ".join(
        subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
        .stdout.decode("utf-8")
        .split()
    )
    general = "A target is a change in the tumour that a medicine can act on."
    assert text.count(general) == 1
    assert text.count("As explained above for EGFR p.L858R (exon 21)") == 2


def test_an_override_never_reverses_printed_text() -> None:
    from sdm_app.services.pdf_text import clean_text

    assert clean_text("TMB \u202e12.5 mut/Mb") == clean_text("TMB 12.5 mut/Mb")
    assert "\u200f" in clean_text("\u200fBRCA2")  # a direction mark only places a run
