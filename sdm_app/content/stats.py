"""Figures about content packs, per language: ``sdm-app content stats``.

Counts of modules, decision aids and glossary terms, and the reading figures of
every patient-facing text: the whole texts the plain-language rules grade (see
``plain``), and each patient-facing field on its own (see ``readability_fields``).
Works on content with errors too: it counts what it can read.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from sdm_app.content.aidcheck import options_without_harm_figure
from sdm_app.content.knowledgefile import knowledge_counts
from sdm_app.content.model import PackContent
from sdm_app.content.plain import formula_name, patient_texts
from sdm_app.content.readability import (
    CHINESE_CHARACTERS,
    Reading,
    formula_for,
    measure,
    measure_for,
)
from sdm_app.content.readability_fields import FIELD_KINDS, patient_fields
from sdm_app.content.validate import check_content
from sdm_app.i18n import _, format_percent


def _new_locale(locale: str) -> dict[str, Any]:
    formula = formula_for(locale)
    return {
        "modules": 0,
        "decision_aids": 0,
        "glossary_terms": 0,
        "knowledge_rules": 0,
        "knowledge_texts": 0,
        "formula": formula_name(formula) if formula else None,
        "measure": measure_for(locale),
        "reading_grade": {},
        "texts": {},
        "fields": [],
        # IPDAS on numbers: each aid's options with no harm figure nor a stated reason
        # for its absence (rule 'option-without-harm-figure'); empty when all have one.
        "options_without_harm_figure": {},
    }


def _figures(reading: Reading) -> dict[str, Any]:
    """What a text or a field reports: words and sentences, the grade where the
    language has a formula, and for Chinese its characters."""
    figures: dict[str, Any] = {
        "words": reading.words,
        "sentences": reading.sentences,
        "sentence_words": reading.sentence_words,
        "grade": reading.grade,
    }
    if reading.syllables:
        figures["syllables"] = reading.syllables
    if reading.characters:
        figures["characters"] = reading.characters
        figures["sentence_characters"] = reading.sentence_characters
        figures["common_share"] = reading.common_share
    return figures


def content_stats(path: Path, today: date | None = None) -> dict[str, dict[str, Any]]:
    """An object keyed by language; see content/README.md for the fields.

    ``reading_grade`` maps each text id to its grade, or None where the language
    has no formula. ``texts`` gives words, sentences and average sentence length;
    ``fields`` the same for every patient-facing field, with its file and line.
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
            if aid.readable and aid.is_source:
                lacking = [option.id for option in options_without_harm_figure(aid)]
                if lacking:
                    entry(aid.locale)["options_without_harm_figure"][aid.id] = lacking
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
            figures["texts"][text_id] = {"file": text.file, "line": text.line, **_figures(reading)}
        for field in patient_fields(content):
            reading = measure(field.blocks, field.locale)
            entry(field.locale)["fields"].append(
                {
                    "kind": field.kind,
                    "where": field.where,
                    "document": field.document,
                    "file": field.file,
                    "line": field.line,
                    **_figures(reading),
                }
            )
    for figures in locales.values():
        _summarise(figures)
    return dict(sorted(locales.items()))


def _summarise(figures: dict[str, Any]) -> None:
    grades = [g for g in figures["reading_grade"].values() if g is not None]
    texts = list(figures["texts"].values())
    words = sum(t["words"] for t in texts)
    sentences = sum(t["sentences"] for t in texts if t["words"])
    figures["median_grade"] = _median(grades)
    figures["max_grade"] = max(grades) if grades else None
    figures["words"] = words
    figures["average_sentence_words"] = round(words / sentences, 1) if sentences else None
    fields = figures["fields"]
    kinds = Counter(field["kind"] for field in fields)
    figures["field_kinds"] = {kind: kinds[kind] for kind in FIELD_KINDS if kinds[kind]}
    field_grades = [f["grade"] for f in fields if f["grade"] is not None]
    figures["fields_graded"] = len(field_grades)
    figures["fields_median_grade"] = _median(field_grades)
    figures["fields_max_grade"] = max(field_grades) if field_grades else None
    if figures["measure"] == CHINESE_CHARACTERS or any("characters" in t for t in texts):
        characters = sum(t.get("characters", 0) for t in texts)
        sentences = sum(t["sentences"] for t in texts if t.get("characters"))
        common = [t for t in texts if t.get("common_share") is not None]
        in_common = sum(t["common_share"] * t["characters"] for t in common)
        figures["characters"] = characters
        figures["average_sentence_characters"] = (
            round(characters / sentences, 1) if sentences else None
        )
        figures["common_share"] = (
            round(in_common / sum(t["characters"] for t in common), 3) if common else None
        )
        figures["fields_median_sentence_characters"] = _median(
            [f["sentence_characters"] for f in fields if f.get("sentence_characters")]
        )


def _median(values: Iterable[float]) -> float | None:
    values = list(values)
    return round(statistics.median(values), 1) if values else None


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


# The report as text --------------------------------------------------------------


def stats_lines(figures: dict[str, dict[str, Any]]) -> list[str]:
    """``content_stats`` as lines of text, per language: counts, the whole texts,
    then every patient-facing field with its file and line."""
    lines: list[str] = []
    for locale, data in figures.items():
        lines.append(
            _("{locale}: {modules} modules, {aids} decision aids, {terms} glossary terms").format(
                locale=locale,
                modules=data["modules"],
                aids=data["decision_aids"],
                terms=data["glossary_terms"],
            )
        )
        lines.extend(_knowledge_lines(data))
        lines.extend(_text_lines(data))
        lines.extend(_field_lines(data))
    return lines


def _knowledge_lines(data: dict[str, Any]) -> list[str]:
    if data.get("knowledge_rules"):
        review = ", ".join(
            f"{status}: {number}" for status, number in data["knowledge"]["review_status"].items()
        )
        return [
            _("  clinical knowledge: {rules} rules ({review}), {texts} texts").format(
                rules=data["knowledge_rules"], review=review, texts=data["knowledge_texts"]
            )
        ]
    if data.get("knowledge_texts"):
        return [
            _("  clinical knowledge: {texts} texts translated").format(
                texts=data["knowledge_texts"]
            )
        ]
    return []


def _text_lines(data: dict[str, Any]) -> list[str]:
    median = data["median_grade"]
    average = "-" if data["average_sentence_words"] is None else data["average_sentence_words"]
    if data.get("characters"):
        lines = [
            _(
                "  Chinese characters: {characters} a sentence on average;"
                " {common} of them among the 2,500 common characters"
            ).format(
                characters=_or_dash(data["average_sentence_characters"]),
                common=_share(data["common_share"]),
            )
        ]
    elif median is None:
        summary = _("  not graded (no formula for this language); {words} words a sentence")
        lines = [summary.format(words=average)]
    else:
        summary = _("  reading grade ({formula}): median {median}; {words} words a sentence")
        lines = [summary.format(formula=data["formula"], median=f"{median:g}", words=average)]
    for text_id, text in data["texts"].items():
        lines.append(_item_line(text_id, text))
    return lines


def _field_lines(data: dict[str, Any]) -> list[str]:
    fields = data["fields"]
    if not fields:
        return []
    count = len(fields)
    if data.get("fields_median_sentence_characters") is not None:
        summary = _(
            "  every patient-facing field ({count}): median {characters} characters a sentence"
        ).format(count=count, characters=data["fields_median_sentence_characters"])
    elif data["fields_median_grade"] is None:
        summary = _(
            "  every patient-facing field ({count}): not graded (no formula for this language)"
        ).format(count=count)
    else:
        summary = _(
            "  every patient-facing field ({count}): median grade {median}, highest {highest}"
        ).format(
            count=count,
            median=f"{data['fields_median_grade']:g}",
            highest=f"{data['fields_max_grade']:g}",
        )
    lines = [summary]
    for field in fields:
        lines.append(_item_line(f"{field['file']}:{field['line']}: {field['where']}", field))
    return lines


def _item_line(label: str, figures: dict[str, Any]) -> str:
    if figures.get("characters"):
        line = _(
            "    {text}: {characters} characters, {sentence} characters a sentence, {common} common"
        )
        return line.format(
            text=label,
            characters=figures["characters"],
            sentence=_or_dash(figures["sentence_characters"]),
            common=_share(figures.get("common_share")),
        )
    grade = figures["grade"]
    if grade is None:
        line = _("    {text}: not graded, {words} words, {sentence} words a sentence")
    else:
        line = _("    {text}: grade {grade}, {words} words, {sentence} words a sentence")
    return line.format(
        text=label,
        grade="" if grade is None else f"{grade:g}",
        words=figures["words"],
        sentence=_or_dash(figures["sentence_words"]),
    )


def _or_dash(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def _share(value: float | None) -> str:
    return "-" if value is None else format_percent(value)
