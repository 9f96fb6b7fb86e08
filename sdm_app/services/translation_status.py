"""How far each language is translated: the UI catalogues and the content packs.

UI figures compare each ``.po`` with the template (``sdm_app.pot``): a string is
translated when every form is filled in and it is not marked fuzzy. Content
figures count modules and decision aids: a translation made from the source's
current version is translated, one made from an older version is stale. Segment
figures count the content's PO segments (paragraphs, list items, cells, answers; see
``sdm_app.content.po``) as UI strings are counted: translated, fuzzy or missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sdm_app import i18n


@dataclass(frozen=True, slots=True)
class UiCoverage:
    translated: int
    fuzzy: int
    missing: int
    total: int


@dataclass(frozen=True, slots=True)
class ContentCoverage:
    translated: int
    stale: int
    missing: int
    total: int
    machine_assisted: int  # of the translated and stale, those not yet reviewed
    missing_ids: tuple[str, ...] = field(default=())
    segments: SegmentCoverage | None = None  # None when segments cannot be counted


@dataclass(frozen=True, slots=True)
class SegmentCoverage:
    translated: int
    fuzzy: int
    missing: int
    total: int
    not_reviewed: int  # of the translated and fuzzy, those not marked reviewed
    machine_assisted: int

    def as_json(self) -> dict[str, int]:
        return {
            "translated": self.translated,
            "fuzzy": self.fuzzy,
            "missing": self.missing,
            "total": self.total,
            "not_reviewed": self.not_reviewed,
            "machine_assisted": self.machine_assisted,
        }


@dataclass(frozen=True, slots=True)
class LanguageStatus:
    language: str
    ui: UiCoverage
    content: ContentCoverage

    def as_json(self) -> dict[str, Any]:
        return {
            "ui": {
                "translated": self.ui.translated,
                "fuzzy": self.ui.fuzzy,
                "missing": self.ui.missing,
                "total": self.ui.total,
            },
            "content": {
                "translated": self.content.translated,
                "stale": self.content.stale,
                "missing": self.content.missing,
                "total": self.content.total,
                "machine_assisted": self.content.machine_assisted,
                "missing_ids": list(self.content.missing_ids),
                "segments": self.content.segments.as_json() if self.content.segments else None,
            },
        }


def _message_key(message: Any) -> tuple[str | None, str]:
    ident = message.id if isinstance(message.id, str) else message.id[0]
    return (message.context, ident)


def _template_keys(locales_root: Path) -> set[tuple[str | None, str]]:
    from babel.messages.pofile import read_po

    with (locales_root / f"{i18n.DOMAIN}.pot").open("rb") as handle:
        template = read_po(handle)
    return {_message_key(message) for message in template if message.id}


def ui_coverage(
    language: str, locales_root: Path, template: set[tuple[str | None, str]]
) -> UiCoverage:
    total = len(template)
    if language == i18n.SOURCE_LANGUAGE:
        return UiCoverage(total, 0, 0, total)
    from babel.messages.pofile import read_po

    po_path = locales_root / language / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
    if not po_path.is_file():
        return UiCoverage(0, 0, total, total)
    with po_path.open("rb") as handle:
        catalogue = read_po(handle, domain=i18n.DOMAIN)
    translated = fuzzy = 0
    for message in catalogue:
        if not message.id or _message_key(message) not in template:
            continue
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if not all(strings):
            continue
        if message.fuzzy:
            fuzzy += 1
        else:
            translated += 1
    return UiCoverage(translated, fuzzy, total - translated - fuzzy, total)


@dataclass(frozen=True, slots=True)
class _Source:
    key: str  # pack/kind/id
    version: int
    locale: str  # the pack's source language


@dataclass(frozen=True, slots=True)
class _Translation:
    version: int | None
    status: str | None


def _content_items(
    content_root: Path,
) -> tuple[list[_Source], dict[tuple[str, str], _Translation], set[str]]:
    """Source items, translations by (key, language), and the packs' languages."""
    from sdm_app.content.loader import PackLoader
    from sdm_app.content.model import DecisionAidDoc, ModuleDoc
    from sdm_app.content.problems import Problem
    from sdm_app.content.validate import find_packs

    problems: list[Problem] = []
    sources: list[_Source] = []
    translations: dict[tuple[str, str], _Translation] = {}
    languages: set[str] = set()
    for folder in find_packs(content_root, problems):
        content = PackLoader(folder, folder, problems).load()
        source_language = content.pack.source_locale or i18n.SOURCE_LANGUAGE
        languages.update(content.pack.locales)
        items: list[tuple[str, ModuleDoc | DecisionAidDoc]] = [
            ("module", doc) for doc in content.modules
        ]
        items += [("decision-aid", doc) for doc in content.decision_aids]
        for kind, doc in items:
            key = f"{content.pack.id}/{kind}/{doc.id}"
            if doc.locale == source_language:
                sources.append(_Source(key, doc.version or 0, source_language))
            else:
                translations[(key, doc.locale)] = _Translation(doc.translation_of, doc.status)
        # The clinical knowledge behind the explanation cards counts as one text.
        for knowledge in content.knowledge:
            key = f"{content.pack.id}/knowledge/knowledge"
            if knowledge.is_source:
                sources.append(_Source(key, knowledge.version or 0, source_language))
            else:
                translations[(key, knowledge.locale)] = _Translation(
                    knowledge.translation_of, knowledge.status
                )
    return sources, translations, languages


def content_coverage(
    language: str,
    sources: list[_Source],
    translations: dict[tuple[str, str], _Translation],
) -> ContentCoverage:
    translated = stale = machine = 0
    missing: list[str] = []
    for source in sources:
        if i18n.base_language(language) == i18n.base_language(source.locale):
            translated += 1
            continue
        found = translations.get((source.key, language))
        if found is None:
            missing.append(source.key)
            continue
        if found.version is not None and found.version >= source.version:
            translated += 1
        else:
            stale += 1
        if found.status != "reviewed":
            machine += 1
    return ContentCoverage(translated, stale, len(missing), len(sources), machine, tuple(missing))


def segment_coverage(
    content_root: Path, languages: list[str], po_dir: Path | None = None
) -> dict[str, SegmentCoverage] | None:
    """Content segments per language over every pack; None without the Markdown tool."""
    from sdm_app.content.po import (
        SegmentCounts,
        read_pack,
        segment_counts,
        source_segment_count,
    )
    from sdm_app.content.po_segments import MarkdownToolMissing
    from sdm_app.content.problems import Problem
    from sdm_app.content.validate import find_packs

    problems: list[Problem] = []
    totals = {language: SegmentCounts() for language in languages}
    try:
        for folder in find_packs(content_root, problems):
            try:
                pack = read_pack(folder)
            except ValueError:
                continue
            wanted = [
                language
                for language in languages
                if i18n.base_language(language) != i18n.base_language(pack.source_locale)
            ]
            # Content files are named by the pack's codes ('zh'), the UI's may differ.
            codes = {language: _pack_code(language, pack.locales) for language in wanted}
            counted = segment_counts(pack, set(codes.values()), po_dir)
            for language, code in codes.items():
                found, total = counted[code], totals[language]
                total.translated += found.translated
                total.fuzzy += found.fuzzy
                total.missing += found.missing
                total.not_reviewed += found.not_reviewed
                total.machine_assisted += found.machine_assisted
            if len(codes) < len(languages):  # the source language has every segment
                every = source_segment_count(pack)
                for language in set(languages) - set(codes):
                    totals[language].translated += every
    except MarkdownToolMissing:
        return None
    return {
        language: SegmentCoverage(
            c.translated, c.fuzzy, c.missing, c.total, c.not_reviewed, c.machine_assisted
        )
        for language, c in totals.items()
    }


def _pack_code(language: str, pack_locales: tuple[str, ...]) -> str:
    if language in pack_locales:
        return language
    for code in pack_locales:
        if i18n.base_language(code) == i18n.base_language(language):
            return code
    return language


def translation_status(
    locales_root: Path, content_root: Path, po_dir: Path | None = None
) -> list[LanguageStatus]:
    """One entry per language with a UI catalogue or content, the source first."""
    from dataclasses import replace

    template = _template_keys(locales_root)
    sources, translations, content_languages = _content_items(content_root)
    ui_languages = i18n.catalogue_languages(locales_root)
    languages = [*ui_languages, *sorted(content_languages - set(ui_languages))]
    segments = segment_coverage(content_root, languages, po_dir) or {}
    return [
        LanguageStatus(
            language,
            ui_coverage(language, locales_root, template),
            replace(
                content_coverage(language, sources, translations),
                segments=segments.get(language),
            ),
        )
        for language in languages
    ]
