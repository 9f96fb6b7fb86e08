from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "content"))

from aidfactory import aid_files
from packfactory import valid_files, write_pack

from sdm_app.content.build import build_content_db
from sdm_app.storage.content_db import ContentDatabaseError, ContentLibrary


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("content")
    files: dict[str, str | bytes] = dict(valid_files())
    files.update(aid_files())
    write_pack(root / "core", files)
    out = root.parent / f"{root.name}.db"
    build_content_db(root, out)
    return out


@pytest.fixture
def library(db_path: Path) -> Iterator[ContentLibrary]:
    with ContentLibrary.open(db_path) as opened:
        yield opened


def ids(hits: list) -> list[str]:
    return [hit.module_id for hit in hits]


def test_open_missing_and_corrupt(tmp_path: Path) -> None:
    with pytest.raises(ContentDatabaseError, match="does not exist"):
        ContentLibrary.open(tmp_path / "missing.db")
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ContentDatabaseError, match="damaged"):
        ContentLibrary.open(bad)
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).execute("CREATE TABLE x (y)").connection.commit()
    with pytest.raises(ContentDatabaseError):
        ContentLibrary.open(empty)


def test_read_only(library: ContentLibrary) -> None:
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        library._db.execute("DELETE FROM modules")
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        library._db.execute("CREATE TABLE evil (x)")


def test_packs_locales_topics(library: ContentLibrary) -> None:
    assert [p.id for p in library.packs()] == ["test"]
    assert library.locales() == ("en", "es", "ar", "zh_Hans")
    assert library.source_locale() == "en"
    assert [t.title for t in library.topics("es")] == ["Lo básico"]
    assert [t.title for t in library.topics("de")] == ["The basics"]


def test_modules_fall_back_to_source(library: ContentLibrary) -> None:
    by_id = {m.id: m for m in library.modules("zh_Hans")}
    assert by_id["germline"].locale == "zh_Hans"
    assert by_id["biomarker-testing"].locale == "en"
    assert len(library.modules("de")) == 2
    module = library.module("biomarker-testing", "zh_Hans")
    assert module is not None and module.locale == "en" and module.requested_locale == "zh_Hans"
    assert module.is_fallback and module.status == "source"
    translated = library.module("biomarker-testing", "es")
    assert translated is not None and not translated.is_fallback
    assert translated.translation_of == 3 and translated.source_version == 3
    assert [s.id for s in translated.sources] == ["nci", "mosele-2020"]
    assert translated.review.reviewer == "Clinical content group"
    assert '<a href="term:target">diana</a>' in translated.body_html
    assert library.module("nothing", "en") is None


def test_terms_fall_back_to_source(library: ContentLibrary) -> None:
    dna = library.term("dna", "es")
    assert dna is not None and dna.term == "ADN" and dna.locale == "es"
    target = library.term("target", "es")
    assert target is not None and target.locale == "en" and target.aliases == ("goal",)
    assert library.term("nothing", "es") is None
    assert [t.id for t in library.terms("es")] == ["dna", "target"]


def test_search_accents_both_ways(library: ContentLibrary) -> None:
    hits = library.search("medicacion", "es")
    assert "biomarker-testing" in ids(hits)  # text says 'medicación'
    hit = next(h for h in hits if h.module_id == "biomarker-testing")
    assert [hit.snippet[a:b] for a, b in hit.snippet_highlights] == ["medicación"]
    assert "germline" in ids(library.search("Medicación", "es"))  # text says 'medicacion'


def test_search_arabic_with_and_without_harakat(library: ContentLibrary) -> None:
    hits = library.search("الجينات", "ar")  # the text has 'الجِينَات'
    assert ids(hits) == ["biomarker-testing"]
    start, end = hits[0].snippet_highlights[0]
    assert hits[0].snippet[start:end] == "الجِينَات"
    assert ids(library.search("الْعَرَبِيَّة", "ar")) == ["germline"]  # the text has 'العربية'
    assert ids(library.search("العـــربية", "ar")) == ["germline"]  # tatweel


def test_search_arabic_with_and_without_joined_prefixes(library: ContentLibrary) -> None:
    # The text has 'الجِينَات' ("the genes") and 'والحمض' is not in it: 'و' + 'ال'
    # joined to a word must not stop a search, in the text or in the query.
    for query in ("جينات", "الجينات", "والجينات", "بالجينات", "جين"):
        hits = library.search(query, "ar")
        assert ids(hits) == ["biomarker-testing"], query
        start, end = hits[0].snippet_highlights[0]
        assert hits[0].snippet[start:end].endswith("جِين") or "جِين" in hits[0].snippet[start:end]
    assert ids(library.search("عينة", "ar")) == ["biomarker-testing"]
    assert ids(library.search("بعينة", "ar")) == ["biomarker-testing"]


def test_arabic_stem_keeps_short_words_and_other_scripts() -> None:
    from sdm_app.core.text import arabic_stem

    assert arabic_stem("والوراثة") == "راثة"
    assert arabic_stem("الوراثة") == arabic_stem("وراثة")
    assert arabic_stem("ال") == "ال"
    assert arabic_stem("ورم") == "ورم"  # three letters stay
    assert arabic_stem("BRCA2") == "BRCA2"


def test_search_prefix_and_locale(library: ContentLibrary) -> None:
    assert ids(library.search("biomark", "en")) == ["biomarker-testing"]
    assert ids(library.search("biomarc", "es")) == ["biomarker-testing"]
    # Spanish shows the Spanish text, not the English source
    assert ids(library.search("biomark", "es")) == []
    # an untranslated module is searched in its source language
    hits = library.search("biomark", "zh_Hans")
    assert ids(hits) == ["biomarker-testing"] and hits[0].locale == "en"
    assert ids(library.search("遗传", "zh_Hans")) == ["germline"]
    assert ids(library.search("inherited par", "en")) == ["germline"]
    assert library.search("inherit parent", "en") == []  # only the last word is a prefix


def test_search_title_highlights_and_snippet(library: ContentLibrary) -> None:
    hit = library.search("test", "en")[0]
    assert hit.module_id == "biomarker-testing"
    assert [hit.title[a:b] for a, b in hit.title_highlights] == ["test"]
    assert "<" not in hit.snippet and len(hit.snippet) <= 170


def test_search_empty_and_strange_queries(library: ContentLibrary) -> None:
    for query in (
        "",
        "   ",
        "\n\t",
        '"',
        "*",
        "-",
        "AND",
        "NEAR(",
        "{title}:x",
        "^",
        "' OR 1=1 --",
    ):
        assert isinstance(library.search(query, "en"), list)
    assert library.search("", "en") == []
    assert library.search("   ", "en") == []


def test_search_naughty_queries(library: ContentLibrary, blns: list[str]) -> None:
    for query in blns:
        for locale in ("en", "ar", "xx"):
            library.search(query, locale)
            library.search(query[:3], locale)


def test_naughty_bodies_search(tmp_path: Path, blns: list[str]) -> None:
    from test_build import naughty_pack

    content = naughty_pack(tmp_path / "content", blns)
    out = tmp_path / "naughty.db"
    build_content_db(content, out)
    with ContentLibrary.open(out) as library:
        found = 0
        for query in blns:
            hits = library.search(query, "en")
            for hit in hits:
                for start, end in (*hit.snippet_highlights,):
                    assert 0 <= start < end <= len(hit.snippet)
            found += bool(hits)
        assert found > len(blns) // 4
        assert library.module("biomarker-testing", "en") is not None


def test_decision_aids_list_falls_back_to_source(library: ContentLibrary) -> None:
    (spanish,) = library.decision_aids("es")
    assert spanish.id == "first-treatment" and spanish.locale == "es"
    assert spanish.title == "Elegir un primer tratamiento" and spanish.status == "machine-assisted"
    assert spanish.biomarkers == ("EGFR",) and spanish.conditions == ("lung cancer",)
    (arabic,) = library.decision_aids("ar")
    assert arabic.locale == "en" and arabic.status == "source"


def test_decision_aid_round_trip(library: ContentLibrary) -> None:
    aid = library.decision_aid("first-treatment", "en")
    assert aid is not None and not aid.is_fallback and not aid.is_stale
    assert (aid.pack_id, aid.source_version, aid.translation_of) == ("test", 2, None)
    assert aid.question == "Which first treatment fits you best?"
    assert aid.audience == ("patient", "clinician")
    assert '<a href="term:target">target</a>' in aid.summary_html
    assert '<a href="source:trial-2020">[1]</a>' in aid.summary_html
    assert '<a href="module:germline">' in aid.summary_html
    assert aid.review.reviewer == "Content team" and aid.review.next_review.year == 2099
    assert aid.disclosure.funding == "No external funding"
    assert [s.id for s in aid.sources] == ["trial-2020"] and aid.source("trial-2020") is not None
    assert [a.id for a in aid.attributes] == ["how-given", "how-often"]
    tablets, wait = aid.options
    assert (tablets.id, tablets.no_action, wait.id, wait.no_action) == (
        "tablets",
        False,
        "wait",
        True,
    )
    assert tablets.description_html == "<p>A tablet taken at home every day.</p>\n"
    assert tablets.answers == {
        "how-given": "A tablet by mouth.",
        "how-often": "About once a month for check-ups [1].",
    }
    assert tablets.benefits[1] == "The tumour shrank in 54 of 100 people [1]."
    assert wait.harms == ("The cancer may grow.",)
    outcome, harm = aid.outcomes
    assert (outcome.kind, outcome.label) == ("benefit", "People alive after 3 years")
    figure = outcome.figure_for("tablets")
    assert figure is not None
    assert (figure.numerator, figure.denominator, figure.time_frame) == (54, 100, "3 years")
    assert (figure.certainty, figure.source_id, figure.missing_reason) == (
        "moderate",
        "trial-2020",
        None,
    )
    missing = outcome.figure_for("wait")
    assert missing is not None and missing.numerator is None
    assert missing.missing_reason == "No trial compared waiting with treatment."
    assert figure.certainty_reason == "One large randomised trial"
    assert outcome.comparator is None and missing.certainty_reason is None
    assert (harm.kind, harm.comparator) == ("harm", "wait")
    with_tablets, waiting = harm.figures
    assert (with_tablets.numerator, waiting.numerator) == (18, 6)
    assert waiting.certainty_reason == "One small trial; open-label"
    (value,) = aid.values
    assert value.relates_to["wait"] == "Does not treat the cancer for now."
    assert aid.no_action_reason is None


def test_translated_decision_aid_keeps_source_figures(library: ContentLibrary) -> None:
    aid = library.decision_aid("first-treatment", "es")
    assert aid is not None and aid.locale == "es" and aid.translation_of == 2
    assert aid.options[0].title == "Pastillas dirigidas"
    assert '<a href="term:target">diana</a>' in aid.summary_html
    assert aid.disclosure.funding == "Sin financiación externa"
    figure = aid.outcomes[0].figure_for("tablets")
    assert figure is not None and figure.time_frame == "3 años"
    assert (figure.numerator, figure.denominator, figure.source_id) == (54, 100, "trial-2020")
    assert aid.options[1].no_action  # from the source file
    # The certainty's reason is a word a translation gives; the comparator is the source's.
    assert figure.certainty_reason == "Un ensayo aleatorizado grande"
    harm = aid.outcomes[1]
    assert harm.comparator == "wait" and harm.label == "Personas con un efecto secundario grave"
    waiting = harm.figure_for("wait")
    assert waiting is not None and waiting.certainty_reason == "One small trial; open-label"
    assert aid.review.reviewer == "Content team" and [s.id for s in aid.sources] == ["trial-2020"]


def test_decision_aid_fallback_and_unknown(library: ContentLibrary) -> None:
    aid = library.decision_aid("first-treatment", "ar")
    assert aid is not None and aid.locale == "en" and aid.requested_locale == "ar"
    assert aid.is_fallback
    assert library.decision_aid("nothing", "en") is None


def test_support_entries_by_biomarker(library: ContentLibrary) -> None:
    assert [e.id for e in library.support_entries("en")] == ["egfr-group", "everyone", "alk-group"]
    assert [e.id for e in library.support_entries("en", "egfr")] == ["egfr-group", "everyone"]
    assert [e.id for e in library.support_entries("en", "ALK")] == ["everyone", "alk-group"]
    assert [e.id for e in library.support_entries("en", "KRAS")] == ["everyone"]
    spanish = library.support_entries("es", "EGFR")
    assert [e.id for e in spanish] == ["grupo-egfr"] and spanish[0].locale == "es"
    # no directory in Arabic: the source language's
    arabic = library.support_entries("ar", "ALK")
    assert [e.id for e in arabic] == ["everyone", "alk-group"] and arabic[0].locale == "en"
    entry = library.support_entries("en", "EGFR")[0]
    assert entry.url == "https://example.org/egfr" and entry.region == "International"
    assert entry.biomarkers == ("EGFR",)


def test_naughty_decision_aid_builds_and_reads(tmp_path: Path, blns: list[str]) -> None:
    from test_decision_aids import naughty_aid

    from sdm_app.content.validate import validate_path

    files: dict[str, str | bytes] = dict(valid_files())
    files.update(aid_files())
    files.pop("decision-aids/first-treatment.es.yaml")
    text = naughty_aid(blns)
    for _attempt in range(5):
        files["decision-aids/first-treatment.en.yaml"] = text
        content = write_pack(tmp_path / "content" / "core", files).parent
        errors = [p for p in validate_path(content) if p.is_error]
        if not errors:
            break
        bad = {p.line for p in errors}
        text = "\n".join(line for n, line in enumerate(text.split("\n"), 1) if n not in bad)
    else:
        raise AssertionError("naughty decision aid never became valid")
    out = tmp_path / "naughty.db"
    report = build_content_db(content, out)
    assert report.decision_aids == 1 and report.support_entries == 4
    with ContentLibrary.open(out) as library:
        aid = library.decision_aid("first-treatment", "en")
        assert aid is not None and len(aid.options[0].benefits) > len(blns) // 2
