"""The explanation cards against a suite of real report lines (scenarios/cards.yaml).

Each scenario names the card sections and phrases that must and must not appear,
with the clinical source for it. The expectations were written from the sources,
not from the engine's output. Spot checks run a subset in es, ar and zh.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from sdm_app.content.build import build_content_db
from sdm_app.content.readability import measure
from sdm_app.core.results import result_from_mapping
from sdm_app.services.cards import ExplanationCard, explain, patient_text
from sdm_app.services.cards import model as engine
from sdm_app.storage.content_db import ContentLibrary

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "scenarios" / "cards.yaml").read_text(encoding="utf-8")
)
SECTION_KEYS = {
    value
    for name, value in vars(engine).items()
    if name.isupper() and isinstance(value, str) and name not in ("FAMILY_MODULE",)
}
# The scenarios spot-checked in other languages.
SPOT_CHECKS = (
    "dpyd-germline-pathogenic",
    "brca2-tier-ia-tumour-only-origin-unknown",
    "msi-h-colorectal",
    "braf-v600e-colorectal",
    "tp53-low-vaf-ctdna",
    "no-finding-tissue",
    "egfr-wild-type-lung",
    "pik3ca-h1047r-escat-iiia-endometrial",
)
SPOT_LOCALES = ("es", "ar", "zh")


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ContentLibrary]:
    out = tmp_path_factory.mktemp("scenarios") / "content.db"
    build_content_db(ROOT / "content", out)
    with ContentLibrary.open(out) as opened:
        yield opened


def _card(scenario: dict[str, Any], library: ContentLibrary, locale: str) -> ExplanationCard:
    result = result_from_mapping(scenario["result"], 1)
    return explain(result, scenario.get("condition") or "", library, locale)


def _text(card: ExplanationCard) -> str:
    items = [item for section in card.sections for group in section.lists for item in group.items]
    return "\n".join((*patient_text(card), *items)).casefold()


def test_the_suite_is_large_unique_and_sourced() -> None:
    assert len(SCENARIOS) >= 80
    ids = [scenario["id"] for scenario in SCENARIOS]
    assert len(set(ids)) == len(ids)
    for scenario in SCENARIOS:
        assert str(scenario.get("source", "")).strip(), scenario["id"]
        named = {*scenario.get("sections", ()), *scenario.get("absent", ())}
        assert named <= SECTION_KEYS, (scenario["id"], named - SECTION_KEYS)
        # Every field is read back as written: a misspelt key would test nothing.
        result = result_from_mapping(scenario["result"], 1)
        for key, value in scenario["result"].items():
            read = getattr(result, key)
            if key == "partners":
                assert list(read) == value, scenario["id"]
            elif key != "therapies":
                assert str(read) == str(value), (scenario["id"], key)
    assert set(SPOT_CHECKS) <= set(ids)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["id"] for s in SCENARIOS])
def test_scenario(scenario: dict[str, Any], library: ContentLibrary) -> None:
    card = _card(scenario, library, "en")
    keys = {section.key for section in card.sections}
    missing = set(scenario.get("sections", ())) - keys
    unwanted = set(scenario.get("absent", ())) & keys
    assert not missing and not unwanted, (sorted(keys), scenario["source"])
    text = _text(card)
    for phrase in scenario.get("says", ()):
        assert phrase.casefold() in text, (phrase, scenario["source"])
    for phrase in scenario.get("never", ()):
        assert phrase.casefold() not in text, (phrase, scenario["source"])


def _own_words(card: ExplanationCard) -> tuple[str, ...]:
    """The card's own texts: not its heading (the gene name and the change) nor what
    kind of finding it is (the report's words quoted back)."""
    own = list(patient_text(card))
    for text in (card.heading, *card.finding):
        if text in own:
            own.remove(text)  # once: the same words may come again in the card's own texts
    return tuple(own)


def test_every_card_reads_at_grade_six_or_lower(library: ContentLibrary) -> None:
    # English is graded on the CMU dictionary's syllables (no textstat needed).
    grades: dict[str, float] = {}
    for scenario in SCENARIOS:
        card = _card(scenario, library, "en")
        own = _own_words(card)
        assert len(own) < len(patient_text(card)), scenario["id"]  # the heading is left out
        reading = measure(own, "en")
        assert reading.grade is not None
        grades[scenario["id"]] = reading.grade
    hardest = max(grades, key=grades.__getitem__)
    assert grades[hardest] <= 6, (hardest, grades[hardest])
    assert statistics.median(grades.values()) <= 5.5, statistics.median(grades.values())


@pytest.mark.parametrize("locale", SPOT_LOCALES)
@pytest.mark.parametrize("scenario_id", SPOT_CHECKS)
def test_spot_checks_in_other_languages(
    scenario_id: str, locale: str, library: ContentLibrary
) -> None:
    scenario = next(s for s in SCENARIOS if s["id"] == scenario_id)
    english = _card(scenario, library, "en")
    card = _card(scenario, library, locale)
    # The same parts, whatever the language.
    assert [s.key for s in card.sections] == [s.key for s in english.sections]
    knowledge = library.knowledge(locale)
    result = result_from_mapping(scenario["result"], 1)
    level = knowledge.level(result.scheme_id, result.class_code)
    if level is not None:
        # The level's plain meaning comes from the pack's translation, marked as such.
        assert level.text.locale == locale and level.text.status == "machine-assisted"
        assert level.text.text in card.class_meaning
        assert level.text.text not in english.class_meaning
    written = "\n".join(t.text.text for t in knowledge.contexts + tuple(knowledge.levels.values()))
    if any(t in "\n".join(patient_text(card)) for t in written.split("\n") if t):
        assert any("machine" in note for note in card.status_notes)
    # Numbers and names from the report are never altered on the way.
    for value in (result.gene, result.alteration, result.vaf):
        for token in re.findall(r"[A-Za-z0-9.+>_*]+", value):
            assert token in "\n".join((*patient_text(card), *card.facts))


# The engine holds no clinical knowledge --------------------------------------------

ENGINE_FILES = (
    *sorted((ROOT / "sdm_app" / "services" / "cards").glob("*.py")),
    ROOT / "sdm_app" / "core" / "knowledge.py",
)


def _gene_symbols(library: ContentLibrary) -> set[str]:
    """Every gene and biomarker name the knowledge and the scenarios use."""
    knowledge = library.knowledge("en")
    names: set[str] = set()
    for gene in knowledge.genes:
        names |= {gene.symbol, *gene.aliases, *gene.communities}
    for marker in knowledge.biomarkers:
        names |= {*marker.names, *marker.communities}
    for context in knowledge.contexts:
        names |= set(context.genes)
    for scenario in SCENARIOS:
        names |= {scenario["result"].get("gene", ""), *scenario["result"].get("partners", ())}
    return {name for name in names if len(name) >= 2 and not name.islower()}


def test_no_gene_or_biomarker_is_named_in_the_card_engine(library: ContentLibrary) -> None:
    symbols = _gene_symbols(library)
    assert {"BRCA2", "DPYD", "TP53", "MSI", "TMB", "BRAF"} <= symbols  # the check can fail
    assert len(ENGINE_FILES) >= 6
    for path in ENGINE_FILES:
        source = path.read_text(encoding="utf-8")
        found = sorted(
            name
            for name in symbols
            if re.search(rf"(?<![A-Za-z0-9]){re.escape(name)}(?![A-Za-z0-9])", source)
        )
        assert not found, (path.name, found)


def _inherited_pages(card: ExplanationCard, library: ContentLibrary) -> list[str]:
    pages = []
    for item in card.learn_more:
        module = library.module(item.module_id, "en")
        if module is not None and module.topic_id == "inherited":
            pages.append(item.module_id)
    return pages


@pytest.mark.parametrize(
    ("origin", "confirmation", "test_type", "offered"),
    [
        ("somatic", "not_germline", "tumour_normal", False),  # shown not to be inherited
        ("unknown", "not_assessed", "tumour_only", True),  # the card asks for a germline test
        ("germline", "confirmed", "germline", True),  # confirmed inherited
    ],
)
def test_pages_on_inherited_conditions_only_where_the_question_is_raised(
    origin: str, confirmation: str, test_type: str, offered: bool, library: ContentLibrary
) -> None:
    scenario = {
        "condition": "Metastatic HER2-negative breast cancer",
        "result": {
            "kind": "sequence_variant",
            "gene": "PALB2",
            "alteration": "c.1592del p.(Leu531Cysfs*30)",
            "origin": origin,
            "confirmation": confirmation,
            "test_type": test_type,
            "sample": "blood" if test_type == "germline" else "tissue",
            "scheme_id": "acmg-amp-2015",
            "class_code": "P",
        },
    }
    pages = _inherited_pages(_card(scenario, library, "en"), library)
    assert bool(pages) is offered, pages
    if offered:
        assert "hereditary-palb2" in pages
