from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sdm_app.content.build import build_content_db
from sdm_app.core.classification import SCHEMES, scheme
from sdm_app.core.decision_aid import SupportEntry
from sdm_app.core.knowledge import Knowledge
from sdm_app.core.library import Module, ReviewInfo
from sdm_app.core.results import (
    BiomarkerKind,
    Confirmation,
    CopyNumberChange,
    Direction,
    Origin,
    Sample,
    TestType,
    Therapy,
)
from sdm_app.core.results import TestResult as Result
from sdm_app.i18n import title_in_language
from sdm_app.services.cards import (
    CONFIRM_GERMLINE,
    GENE,
    GENERAL,
    MEDICINES,
    NEGATIVE_BLOOD,
    NO_ACTIONABLE,
    RELATIVES,
    SPECIFIC,
    TARGET,
    UNCERTAIN_RESULT,
    ExplanationCard,
    card_html,
    explain,
)
from sdm_app.storage.content_db import ContentLibrary
from tests.bundled_knowledge import bundled_knowledge

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ContentLibrary]:
    out = tmp_path_factory.mktemp("explain") / "content.db"
    build_content_db(ROOT / "content", out)
    with ContentLibrary.open(out) as opened:
        yield opened


def _result(**changes: object) -> Result:
    values: dict[str, object] = {"id": None}
    values.update(changes)
    return Result(**values)  # type: ignore[arg-type]


def _all_text(card: ExplanationCard) -> str:
    parts = [card.heading, *card.finding, *card.class_meaning, *card.notes]
    for section in card.sections:
        parts += [section.heading, *section.paragraphs]
        for group in section.lists:
            parts += [group.lead, *group.items]
    return "\n".join(parts)


def _assert_not_empty(card: ExplanationCard) -> None:
    assert card.heading.strip()
    assert card.finding and all(text.strip() for text in card.finding)
    assert card.class_meaning and all(text.strip() for text in card.class_meaning)
    assert "What its class or tier means" in card_html(card)


# Every class of every scheme ---------------------------------------------------

ALL_CLASSES = [(s.id, c.code) for s in SCHEMES for c in s.classes]


@pytest.mark.parametrize(
    ("scheme_id", "code"), ALL_CLASSES, ids=[f"{s}:{c}" for s, c in ALL_CLASSES]
)
def test_every_class_has_a_meaning_and_a_bundled_explainer(
    library: ContentLibrary, scheme_id: str, code: str
) -> None:
    found = scheme(scheme_id)
    assert found is not None
    klass = found.find(code)
    assert klass is not None
    origin = Origin.GERMLINE if found.origin == "germline" else Origin.SOMATIC
    card = explain(
        _result(
            gene="EGFR", alteration="c.1A>G", origin=origin, scheme_id=scheme_id, class_code=code
        ),
        "Lung cancer",
        library,
        "en",
    )
    _assert_not_empty(card)
    assert card.class_known
    assert len(card.class_meaning) >= 2  # the label, then what it means
    assert klass.label in card.class_meaning[0] and klass.code in card.class_meaning[0]
    assert found.version in card.scheme_line
    assert card.scheme_source == found.citation
    assert card.explainer is not None
    assert card.explainer.module_id == klass.explainer
    assert card.explainer.title
    assert library.module(klass.explainer, "en") is not None
    assert f'href="module:{klass.explainer}"' in card_html(card)
    assert not card.notes


def test_class_codes_are_matched_as_written_in_any_case(library: ContentLibrary) -> None:
    card = explain(
        _result(gene="BRCA1", origin=Origin.GERMLINE, scheme_id="acmg-amp-2015", class_code=" lp "),
        "",
        library,
        "en",
    )
    assert card.class_known
    assert "Likely pathogenic" in card.class_meaning[0]


# The cases a patient meets -----------------------------------------------------


def test_germline_likely_pathogenic_speaks_about_relatives(library: ContentLibrary) -> None:
    card = explain(
        _result(
            gene="BRCA2",
            alteration="c.5946delT",
            origin=Origin.GERMLINE,
            confirmation=Confirmation.CONFIRMED,
            test_type=TestType.GERMLINE,
            scheme_id="acmg-amp-2015",
            class_code="LP",
            sample=Sample.BLOOD,
        ),
        "Breast cancer",
        library,
        "en",
    )
    assert card.heading == "BRCA2 c.5946delT: inherited (germline)"
    relatives = card.section(RELATIVES)
    assert relatives is not None
    text = " ".join(relatives.paragraphs)
    assert "Blood relatives" in text and "cascade testing" in text
    assert "genetic counsellor" in text
    assert [link.module_id for link in relatives.links] == ["family-and-cascade-testing"]
    assert "family-and-cascade-testing" in [item.module_id for item in card.learn_more]
    assert card.section(TARGET) is None
    assert card.section(NEGATIVE_BLOOD) is None  # a positive blood test has no such caveat
    assert 'href="module:family-and-cascade-testing"' in card_html(card)


def test_pathogenic_in_the_tumour_only_does_not_speak_about_relatives(
    library: ContentLibrary,
) -> None:
    card = explain(
        _result(gene="BRCA2", origin=Origin.SOMATIC, scheme_id="acmg-amp-2015", class_code="P"),
        "",
        library,
        "en",
    )
    assert card.section(RELATIVES) is None


def test_pathogenic_of_unknown_origin_asks_for_a_germline_test_first(
    library: ContentLibrary,
) -> None:
    card = explain(
        _result(gene="MLH1", origin=Origin.UNKNOWN, scheme_id="acmg-amp-2015", class_code="P"),
        "",
        library,
        "en",
    )
    assert card.section(RELATIVES) is None
    first = card.section(CONFIRM_GERMLINE)
    assert first is not None
    assert "germline test" in first.paragraphs[0]
    assert "inherited" not in card.heading


def test_an_unconfirmed_tumour_only_finding_is_never_called_inherited(
    library: ContentLibrary,
) -> None:
    # BRCA2 LP on a tumour-only test, "likely germline", not yet confirmed on blood.
    result = _result(
        gene="BRCA2",
        alteration="c.5946del",
        origin=Origin.LIKELY_GERMLINE,
        confirmation=Confirmation.RECOMMENDED,
        test_type=TestType.TUMOUR_ONLY,
        scheme_id="acmg-amp-2015",
        class_code="LP",
        sample=Sample.TISSUE,
    )
    card = explain(result, "Breast cancer", library, "en")
    assert card.section(RELATIVES) is None
    first = card.section(CONFIRM_GERMLINE)
    assert first is not None
    assert "before relatives are told" in first.paragraphs[0]
    assert card.heading == "BRCA2 c.5946del: may be inherited, not yet confirmed"
    text = _all_text(card)
    assert "was inherited" not in text and "cascade testing" not in text
    assert "cannot tell an inherited change" in text
    confirmed = explain(
        replace(result, confirmation=Confirmation.CONFIRMED), "Breast cancer", library, "en"
    )
    assert confirmed.section(RELATIVES) is not None
    assert confirmed.section(CONFIRM_GERMLINE) is None


def test_a_change_a_germline_test_did_not_find_has_no_relatives_text(
    library: ContentLibrary,
) -> None:
    card = explain(
        _result(
            gene="BRCA2",
            origin=Origin.SOMATIC,
            confirmation=Confirmation.NOT_GERMLINE,
            test_type=TestType.TUMOUR_NORMAL,
            scheme_id="acmg-amp-2015",
            class_code="P",
        ),
        "",
        library,
        "en",
    )
    assert card.section(RELATIVES) is None and card.section(CONFIRM_GERMLINE) is None
    assert "not inherited" in " ".join(card.finding)


def test_vus_should_not_change_care_on_its_own(library: ContentLibrary) -> None:
    card = explain(
        _result(gene="BRCA1", origin=Origin.GERMLINE, scheme_id="acmg-amp-2015", class_code="VUS"),
        "Breast cancer",
        library,
        "en",
    )
    uncertain = card.section(UNCERTAIN_RESULT)
    assert uncertain is not None
    assert "should not change your care on its own" in uncertain.paragraphs[0]
    assert any("not usually offered testing" in p for p in uncertain.paragraphs)
    assert card.section(RELATIVES) is None
    ids = [item.module_id for item in card.learn_more]
    assert "living-with-uncertainty" in ids
    assert card.explainer is not None
    assert card.explainer.module_id == "vus-and-no-actionable-finding"


def test_somatic_tier_three_is_uncertain_too(library: ContentLibrary) -> None:
    card = explain(
        _result(
            gene="KRAS", origin=Origin.SOMATIC, scheme_id="amp-asco-cap-2017", class_code="III"
        ),
        "",
        library,
        "en",
    )
    uncertain = card.section(UNCERTAIN_RESULT)
    assert uncertain is not None and "should not change" in uncertain.paragraphs[0]
    assert not any("not usually offered testing" in p for p in uncertain.paragraphs)


def test_somatic_tier_ia_names_the_reports_therapies_and_the_tumour_type_caution(
    library: ContentLibrary,
) -> None:
    therapies = ("osimertinib", "Gefitinib (250 mg)")
    card = explain(
        _result(
            gene="EGFR",
            alteration="p.L858R",
            origin=Origin.SOMATIC,
            scheme_id="amp-asco-cap-2017",
            class_code="IA",
            therapies=(*(Therapy(name) for name in therapies), Therapy("  ")),
        ),
        "Non-small cell lung cancer",
        library,
        "en",
    )
    target = card.section(TARGET)
    assert target is not None
    (group,) = target.lists
    assert group.items == therapies  # as written on the report, blanks left out
    text = " ".join(target.paragraphs)
    assert "different types of cancer" in text
    assert "Non-small cell lung cancer" in text
    assert "does not recommend" in text
    assert "as written on the report" in group.lead
    ids = [item.module_id for item in card.learn_more]
    assert ids[0] == "gene-egfr"
    assert "targets-and-tumour-type" in ids
    assert [entry.name for entry in card.communities] == ["EGFR Resisters"]
    html = card_html(card)
    assert "<li>osimertinib</li>" in html and "<li>Gefitinib (250 mg)</li>" in html
    assert html.index("as written on the report") < html.index("osimertinib")


def test_actionable_without_therapies_or_condition(library: ContentLibrary) -> None:
    card = explain(
        _result(gene="BRAF", origin=Origin.SOMATIC, scheme_id="oncokb", class_code="3B"),
        "",
        library,
        "en",
    )
    target = card.section(TARGET)
    assert target is not None and target.lists == ()
    assert "does not name a treatment" in target.paragraphs[-1]
    assert any("apply to your type of cancer" in p for p in target.paragraphs)


def test_resistance_names_the_therapies_without_recommending(library: ContentLibrary) -> None:
    card = explain(
        _result(
            gene="KRAS",
            alteration="G12D",
            origin=Origin.SOMATIC,
            scheme_id="oncokb",
            class_code="R1",
            therapies=(
                Therapy("cetuximab", Direction.RESISTANT, "R1", "colorectal cancer"),
                Therapy("panitumumab", Direction.RESISTANT, "R1"),
            ),
        ),
        "Bowel cancer",
        library,
        "en",
    )
    target = card.section(TARGET)
    assert target is not None
    (group,) = target.lists
    assert group.direction is Direction.RESISTANT
    assert "expected not to work" in group.lead
    assert group.items == ("cetuximab (level R1; colorectal cancer)", "panitumumab (level R1)")
    assert "expected not to work" in target.paragraphs[0]
    assert "resistance-and-retesting" in [item.module_id for item in card.learn_more]


def test_no_actionable_finding_on_blood_gives_the_limits_of_a_negative_test(
    library: ContentLibrary,
) -> None:
    card = explain(
        _result(kind=BiomarkerKind.NO_FINDING, origin=Origin.SOMATIC, sample=Sample.BLOOD),
        "Lung cancer",
        library,
        "en",
    )
    _assert_not_empty(card)
    no_target = card.section(NO_ACTIONABLE)
    assert no_target is not None
    assert any("does not mean there is no treatment" in p for p in no_target.paragraphs)
    blood = card.section(NEGATIVE_BLOOD)
    assert blood is not None
    assert any("does not rule out a change in the tumour" in p for p in blood.paragraphs)
    assert any("tissue" in p for p in blood.paragraphs)
    assert card.heading == "No change found"
    assert not card.notes  # no gene is expected for this kind
    assert "vus-and-no-actionable-finding" in [item.module_id for item in card.learn_more]


def test_no_actionable_finding_on_tissue_has_no_blood_caveat(library: ContentLibrary) -> None:
    card = explain(_result(kind=BiomarkerKind.NO_FINDING, sample=Sample.TISSUE), "", library, "en")
    assert card.section(NO_ACTIONABLE) is not None
    assert card.section(NEGATIVE_BLOOD) is None


def test_a_negative_gene_result_on_blood_gives_the_limits_too(library: ContentLibrary) -> None:
    card = explain(
        _result(gene="EGFR", alteration="Not detected", sample=Sample.BLOOD), "", library, "en"
    )
    assert card.section(NEGATIVE_BLOOD) is not None
    assert card.section(NO_ACTIONABLE) is None


def test_pharmacogenomic_result_speaks_about_doses(library: ContentLibrary) -> None:
    card = explain(
        _result(
            kind=BiomarkerKind.PHARMACOGENOMIC,
            gene="DPYD",
            alteration="c.1905+1G>A",
            origin=Origin.GERMLINE,
        ),
        "Bowel cancer",
        library,
        "en",
    )
    medicines = card.section(MEDICINES)
    assert medicines is not None
    text = " ".join(medicines.paragraphs)
    assert "dose" in text and "Do not change how you take any medicine" in text
    ids = [item.module_id for item in card.learn_more]
    assert ids.index("gene-dpyd") < ids.index("pharmacogenomics-dpyd")
    assert card.section(TARGET) is None


@pytest.mark.parametrize(
    ("gene", "kind", "module_id"),
    [
        ("BRCA1", BiomarkerKind.SEQUENCE_VARIANT, "gene-brca"),
        ("brca2", BiomarkerKind.SEQUENCE_VARIANT, "gene-brca"),
        ("MSH6", BiomarkerKind.SEQUENCE_VARIANT, "gene-mmr-msi"),
        ("EPCAM", BiomarkerKind.SEQUENCE_VARIANT, "gene-mmr-msi"),
        ("dMMR", BiomarkerKind.SIGNATURE, "gene-mmr-msi"),
        ("MSI", BiomarkerKind.SIGNATURE, "gene-mmr-msi"),
        ("NTRK3", BiomarkerKind.FUSION, "gene-ntrk"),
        ("ERBB2", BiomarkerKind.COPY_NUMBER, "gene-her2"),
        ("HER2", BiomarkerKind.EXPRESSION, "gene-her2"),
        ("TMB", BiomarkerKind.SIGNATURE, "immunotherapy-biomarkers"),
        ("PD-L1", BiomarkerKind.EXPRESSION, "immunotherapy-biomarkers"),
        ("ALK", BiomarkerKind.FUSION, "gene-alk"),
        ("ros1", BiomarkerKind.FUSION, "gene-ros1"),
    ],
)
def test_gene_aliases_find_the_gene_module(
    library: ContentLibrary, gene: str, kind: BiomarkerKind, module_id: str
) -> None:
    card = explain(_result(gene=gene, kind=kind), "", library, "en")
    gene_level = [item.module_id for item in card.learn_more if item.level == GENE]
    assert gene_level and gene_level[0] == module_id
    assert not card.notes


def test_communities_are_those_of_the_biomarker_only(library: ContentLibrary) -> None:
    card = explain(_result(gene="BRCA2", origin=Origin.GERMLINE), "", library, "en")
    names = [entry.name for entry in card.communities]
    assert "Basser Center for BRCA" in names
    assert "Lung Cancer Europe" not in names  # open to everyone, not a BRCA community
    msi = explain(
        _result(kind=BiomarkerKind.SIGNATURE, gene="MSI", alteration="MSI-high"), "", library, "en"
    )
    assert "Lynch Syndrome International" in [entry.name for entry in msi.communities]
    html = card_html(card)
    assert "https://www.basser.org/" in html
    assert 'href="https://' not in html  # addresses are text, never links


# Fallbacks -------------------------------------------------------------------


def test_unknown_scheme_gives_a_safe_fallback(library: ContentLibrary) -> None:
    card = explain(
        _result(gene="EGFR", scheme_id="lab-private-2030", class_code="Q7"), "", library, "en"
    )
    _assert_not_empty(card)
    assert not card.class_known
    assert card.explainer is None and card.scheme_line == ""
    assert "'Q7'" in card.class_meaning[0] and "'lab-private-2030'" in card.class_meaning[0]
    assert "not one the app knows" in card.class_meaning[0]
    assert "Ask your care team" in card.class_meaning[0]
    assert "classification-schemes" in [item.module_id for item in card.learn_more]


def test_unknown_class_in_a_known_scheme_gives_a_safe_fallback(library: ContentLibrary) -> None:
    card = explain(
        _result(gene="EGFR", origin=Origin.SOMATIC, scheme_id="oncokb", class_code="5Z"),
        "",
        library,
        "en",
    )
    _assert_not_empty(card)
    assert not card.class_known
    assert card.class_meaning == (
        "The report's classification '5Z' is not one the app knows in the OncoKB therapeutic "
        "levels. Ask your care team what it means.",
    )
    assert card.section(TARGET) is None
    assert "version 2024" in card.scheme_line


@pytest.mark.parametrize(
    ("scheme_id", "code", "expected"),
    [
        ("", "IA", "entered without its scheme"),
        ("oncokb", "", "gives no class"),
        ("nope", "", "scheme 'nope' is not one the app knows"),
        ("", "", "gives no class or tier"),
    ],
)
def test_missing_scheme_or_class(
    library: ContentLibrary, scheme_id: str, code: str, expected: str
) -> None:
    card = explain(_result(gene="EGFR", scheme_id=scheme_id, class_code=code), "", library, "en")
    _assert_not_empty(card)
    assert expected in card.class_meaning[0]
    assert not card.class_known


def test_empty_gene_gives_a_note(library: ContentLibrary) -> None:
    card = explain(
        _result(origin=Origin.SOMATIC, scheme_id="oncokb", class_code="1"), "", library, "en"
    )
    _assert_not_empty(card)
    assert card.heading == "Variant: in the tumour only (somatic)"
    assert any("gene or biomarker name was not entered" in note for note in card.notes)
    assert all(item.level == GENERAL for item in card.learn_more)


def test_unknown_gene_gives_a_note(library: ContentLibrary) -> None:
    card = explain(
        _result(
            gene="ZZZ9",
            alteration="p.X1Y",
            origin=Origin.SOMATIC,
            scheme_id="oncokb",
            class_code="4",
        ),
        "",
        library,
        "en",
    )
    _assert_not_empty(card)
    assert card.class_known
    assert any("no page about ZZZ9" in note for note in card.notes)
    assert card.learn_more and all(item.level == GENERAL for item in card.learn_more)


# Learn more, with a small fake library ---------------------------------------


class FakeLibrary:
    """Only the modules named exist; every module is in English. The clinical
    knowledge is the bundled pack's."""

    def __init__(self, ids: set[str], entries: list[SupportEntry] | None = None) -> None:
        self.ids = ids
        self.entries = entries or []
        self.asked: list[str] = []

    def knowledge(self, locale: str) -> Knowledge:
        return bundled_knowledge()

    def module(self, module_id: str, locale: str) -> Module | None:
        self.asked.append(module_id)
        if module_id not in self.ids:
            return None
        return Module(
            id=module_id,
            pack_id="fake",
            pack_version="1",
            topic_id="t",
            audience=("patient",),
            title=f"Title of {module_id}",
            key_message="",
            body_html="",
            locale="en",
            requested_locale=locale,
            status="source",
            source_version=1,
            translation_of=None,
            sources=(),
            review=ReviewInfo(date(2026, 1, 1), "R", date(2027, 1, 1), "reviewed"),
        )

    def support_entries(self, locale: str, biomarker: str | None = None) -> list[SupportEntry]:
        wanted = (biomarker or "").casefold()
        return [
            e
            for e in self.entries
            if wanted in {m.casefold() for m in e.biomarkers} or "any" in e.biomarkers
        ]


def test_learn_more_goes_from_gene_and_tumour_to_gene_to_general() -> None:
    fake = FakeLibrary(
        {
            "germline-vs-somatic",
            "targets-and-tumour-type",
            "tiers-and-levels",
            "gene-egfr",
            "gene-egfr-lung-cancer",
            "gene-egfr-breast-cancer",
        }
    )
    card = explain(
        _result(gene="EGFR", origin=Origin.SOMATIC, scheme_id="amp-asco-cap-2017", class_code="IB"),
        "Lung cancer",
        fake,
        "es",
    )
    assert [(item.module_id, item.level) for item in card.learn_more] == [
        ("gene-egfr-lung-cancer", SPECIFIC),
        ("gene-egfr", GENE),
        ("targets-and-tumour-type", GENERAL),
        ("germline-vs-somatic", GENERAL),
    ]
    # The explainer is shown once, as the explainer.
    assert card.explainer is not None and card.explainer.module_id == "tiers-and-levels"
    assert card.learn_more[0].title == "Title of gene-egfr-lung-cancer"


def test_gene_and_tumour_module_is_found_through_an_alias() -> None:
    fake = FakeLibrary({"gene-brca", "gene-brca-ovarian-cancer", "gene-brca-breast"})
    card = explain(_result(gene="BRCA2"), "Ovarian cancer", fake, "en")
    assert [item.module_id for item in card.learn_more] == ["gene-brca-ovarian-cancer", "gene-brca"]
    card = explain(_result(gene="BRCA1"), "Breast cancer", fake, "en")
    assert [item.module_id for item in card.learn_more] == ["gene-brca-breast", "gene-brca"]


def test_missing_modules_give_notes_not_errors() -> None:
    card = explain(
        _result(gene="EGFR", origin=Origin.SOMATIC, scheme_id="oncokb", class_code="1"),
        "Lung cancer",
        FakeLibrary(set()),
        "en",
    )
    _assert_not_empty(card)
    assert card.explainer is None and card.learn_more == ()
    assert any("not in the library on this computer" in note for note in card.notes)
    assert any("no page about EGFR" in note for note in card.notes)
    assert "module:" not in card_html(card)


def test_a_failing_library_still_gives_a_card() -> None:
    class Broken(FakeLibrary):
        def module(self, module_id: str, locale: str) -> Module | None:
            raise sqlite3.DatabaseError("disk image is malformed")

        def support_entries(self, locale: str, biomarker: str | None = None) -> list[SupportEntry]:
            raise sqlite3.DatabaseError("disk image is malformed")

    card = explain(
        _result(
            gene="BRCA1",
            origin=Origin.GERMLINE,
            confirmation=Confirmation.CONFIRMED,
            scheme_id="acmg-amp-2015",
            class_code="P",
        ),
        "",
        Broken(set()),
        "en",
    )
    _assert_not_empty(card)
    assert card.section(RELATIVES) is not None
    assert card.communities == ()


def test_general_groups_are_not_shown_as_the_biomarkers_community() -> None:
    entries = [
        SupportEntry("a", "Any group", "https://a.example/", ("any",), "X", "", "en"),
        SupportEntry("b", "ALK group", "https://b.example/", ("ALK",), "X", "", "en"),
    ]
    card = explain(_result(gene="alk"), "", FakeLibrary(set(), entries), "en")
    assert [entry.id for entry in card.communities] == ["b"]
    card = explain(_result(gene="any"), "", FakeLibrary(set(), entries), "en")
    assert card.communities == ()


# HTML ------------------------------------------------------------------------


def test_content_titles_keep_their_own_direction(library: ContentLibrary) -> None:
    card = explain(
        _result(gene="BRCA2", origin=Origin.GERMLINE, scheme_id="acmg-amp-2015", class_code="P"),
        "",
        library,
        "ar",
    )
    assert card.explainer is not None and card.explainer.locale == "ar"
    html = card_html(card)
    assert html.startswith('<div class="explanation" dir="ltr">')  # the interface is English
    title = escape(card.explainer.title)
    assert f'<a href="module:variant-classes"><span dir="rtl">{title}</span></a>' in html
    english = [item for item in card.learn_more if item.locale == "en"]
    assert english  # untranslated modules fall back to English, left to right, and say so
    shown = escape(title_in_language(english[0].title, "en", "ar"))
    assert shown != escape(english[0].title)
    assert f'<span dir="ltr">{shown}</span>' in html


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


ALLOWED_TAGS = {"div", "h2", "h3", "p", "ul", "li", "a", "span", "b", "i", "br"}


def _assert_safe(html: str, card: ExplanationCard) -> None:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    links = {f"module:{item.module_id}" for item in card.learn_more}
    if card.explainer:
        links.add(f"module:{card.explainer.module_id}")
    for tag, attrs in parser.tags:
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs:
            if name == "dir":
                assert value in ("ltr", "rtl")
            elif name == "class":
                assert value in ("explanation", "notice")
            else:
                assert (tag, name) == ("a", "href") and value in links, (tag, name, value)


def test_naughty_strings_never_become_markup(library: ContentLibrary, blns: list[str]) -> None:
    for naughty in blns:
        result = _result(
            gene=naughty,
            alteration=naughty,
            origin=Origin.SOMATIC,
            scheme_id="oncokb",
            class_code="1",
            therapies=(Therapy(naughty), Therapy("osimertinib")),
            sample=Sample.BLOOD,
        )
        card = explain(result, naughty, library, "en")
        html = card_html(card)
        _assert_safe(html, card)
        if naughty.strip():
            assert f"<li>{escape(naughty.strip())}</li>" in html
        # Unknown schemes and classes written as naughty strings are quoted, not run.
        odd = explain(
            _result(
                gene=naughty, scheme_id=naughty, class_code=naughty, therapies=(Therapy(naughty),)
            ),
            naughty,
            library,
            "en",
        )
        _assert_not_empty(odd)
        _assert_safe(card_html(odd), odd)


def test_clinicians_see_the_reports_facts_and_patients_do_not(library: ContentLibrary) -> None:
    card = explain(
        _result(
            gene="EGFR",
            alteration="p.L858R",
            origin=Origin.SOMATIC,
            hgvs_c="c.2573T>G",
            transcript="NM_005228.5",
            vaf="23.50",
            test_type=TestType.TUMOUR_ONLY,
        ),
        "",
        library,
        "en",
    )
    assert "Variant allele fraction: 23.50%" in card.facts
    assert "Transcript: NM_005228.5; genome build: -" in card.facts
    clinician = card_html(card, clinician=True)
    patient = card_html(card)
    assert "23.50%" in clinician and "NM_005228.5" in clinician
    assert "23.50" not in patient and "NM_005228.5" not in patient


@pytest.mark.parametrize(
    ("result", "words"),
    [
        (
            {"kind": BiomarkerKind.FUSION, "partners": ("EML4", "ALK")},
            ["part of the EML4 gene has joined part of the ALK gene (EML4::ALK)"],
        ),
        (
            {
                "kind": BiomarkerKind.COPY_NUMBER,
                "gene": "CDKN2A",
                "copy_number_change": CopyNumberChange.LOSS,
                "copy_number": "1",
            },
            ["lost a copy of CDKN2A: a copy number loss", "Copies counted on the report: 1."],
        ),
        (
            {
                "kind": BiomarkerKind.COPY_NUMBER,
                "gene": "ERBB2",
                "copy_number_change": CopyNumberChange.AMPLIFICATION,
            },
            ["many extra copies of ERBB2: an amplification"],
        ),
        (
            {
                "kind": BiomarkerKind.PHARMACOGENOMIC,
                "gene": "DPYD",
                "diplotype": "c.[1905+1G>A];[=]",
                "activity_score": "1.0",
                "scheme_id": "cpic-2017",
                "class_code": "IM",
                "origin": Origin.GERMLINE,
                "confirmation": Confirmation.CONFIRMED,
            },
            [
                "activity score of 1.0",
                "“Intermediate metabolizer” (IM)",
                "breaks down some medicines more slowly",
            ],
        ),
        (
            {"kind": BiomarkerKind.SIGNATURE, "gene": "TMB", "value": "12.30", "unit": "mut/Mb"},
            ["Tumour mutational burden", "The report gives: 12.30 mut/Mb."],
        ),
    ],
)
def test_each_kind_is_named_in_plain_words(
    library: ContentLibrary, result: dict[str, object], words: list[str]
) -> None:
    card = explain(_result(**result), "", library, "en")
    text = _all_text(card)
    for expected in words:
        assert expected in text


def test_a_pharmacogenomic_phenotype_never_speaks_of_cancer_risk_or_relatives(
    library: ContentLibrary,
) -> None:
    card = explain(
        _result(
            kind=BiomarkerKind.PHARMACOGENOMIC,
            gene="DPYD",
            origin=Origin.GERMLINE,
            confirmation=Confirmation.CONFIRMED,
            scheme_id="cpic-2017",
            class_code="PM",
        ),
        "Bowel cancer",
        library,
        "en",
    )
    text = _all_text(card)
    assert "risk of cancer" not in text
    assert card.section(RELATIVES) is None and card.section(MEDICINES) is not None
