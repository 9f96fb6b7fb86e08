"""Figures about content packs, per language: ``sdm-app content stats``.

Counts of modules, decision aids and glossary terms, and the reading figures of
every patient-facing text (the same texts and formulas as the plain-language
rules, see ``plain``). Works on content with errors too: it counts what it can read.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sdm_app.content.knowledgefile import knowledge_counts
from sdm_app.content.model import PackContent
from sdm_app.content.plain import formula_name, patient_texts
from sdm_app.content.readability import formula_for, measure
from sdm_app.content.validate import check_content


def _new_locale(locale: str) -> dict[str, Any]:
    formula = formula_for(locale)
    return {
        "modules": 0,
        "decision_aids": 0,
        "glossary_terms": 0,
        "knowledge_rules": 0,
        "knowledge_texts": 0,
        "formula": formula_name(formula) if formula else None,
        "reading_grade": {},
        "texts": {},
    }


def content_stats(path: Path, today: date | None = None) -> dict[str, dict[str, Any]]:
    """An object keyed by language; see content/README.md for the fields.

    ``reading_grade`` maps each text id to its grade, or None where the language
    has no formula. ``texts`` gives words, sentences and average sentence length.
    """
    checked = check_content(path, today)
    locales: dict[str, dict[str, Any]] = {}

    def entry(locale: str) -> dict[str, Any]:
        if locale not in locales:
            locales[locale] = _new_locale(locale)
        return locales[locale]

    several = len(checked.packs) > 1
    for content in checked.packs:
        for code in content.pack.locales:
            entry(code)
        for module in content.modules:
            if module.readable:
                entry(module.locale)["modules"] += 1
        for aid in content.decision_aids:
            if aid.readable:
                entry(aid.locale)["decision_aids"] += 1
        for glossary in content.glossaries:
            entry(glossary.locale)["glossary_terms"] += len(glossary.terms)
        _count_knowledge(content, entry)
        for text in patient_texts(content):
            reading = measure(text.blocks, text.locale)
            text_id = text.id
            if several and text_id == "glossary":
                text_id = f"{content.pack.id or 'pack'}/glossary"  # one glossary per pack
            figures = entry(text.locale)
            figures["reading_grade"][text_id] = reading.grade
            figures["texts"][text_id] = {
                "file": text.file,
                "line": text.line,
                "words": reading.words,
                "sentences": reading.sentences,
                "sentence_words": reading.sentence_words,
                "grade": reading.grade,
            }
    for figures in locales.values():
        grades = [g for g in figures["reading_grade"].values() if g is not None]
        texts = figures["texts"].values()
        words = sum(t["words"] for t in texts)
        sentences = sum(t["sentences"] for t in texts if t["words"])
        figures["median_grade"] = round(statistics.median(grades), 1) if grades else None
        figures["max_grade"] = max(grades) if grades else None
        figures["words"] = words
        figures["average_sentence_words"] = round(words / sentences, 1) if sentences else None
    return dict(sorted(locales.items()))


def _count_knowledge(content: PackContent, entry: Callable[[str], dict[str, Any]]) -> None:
    """Clinical knowledge: rules by kind and review status in the source language,
    translated texts in each other language."""
    counts = knowledge_counts(content)
    if not counts:
        return
    source = entry(content.pack.source_locale or "")
    source["knowledge_rules"] += counts["rules_total"]
    source["knowledge_texts"] += counts["texts"]
    merged = source.setdefault("knowledge", {"rules": {}, "review_status": {}})
    for key in ("rules", "review_status"):
        for name, number in counts[key].items():
            merged[key][name] = merged[key].get(name, 0) + number
    for locale, figures in counts["translations"].items():
        entry(locale)["knowledge_texts"] += figures["texts"]
