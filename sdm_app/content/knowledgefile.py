"""Clinical knowledge files: ``knowledge/knowledge.<locale>.yaml`` in a pack.

The source file holds the rules (genes, levels, biomarkers, tumour contexts,
negative-result words) with their sources and review; a translation holds only
the texts, by key, and extra matching words. ``KnowledgeLoader`` reads a file and
reports what one file can get wrong; ``check_knowledge`` compares the files of
all packs; ``stored_knowledge`` gives what the build stores for one language,
in the form ``core.knowledge.Knowledge.from_mapping`` reads.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sdm_app.content.fields import Fields, expect_mapping
from sdm_app.content.model import ReviewDoc, SourceDoc
from sdm_app.content.numbers import find_numbers
from sdm_app.content.problems import (
    DUPLICATE_ID,
    NUMBER_MISMATCH,
    ORPHAN_TRANSLATION,
    REQUIRED_FIELD,
    REVIEW_OVERDUE,
    SCHEMA,
    STALE_TRANSLATION,
    UNKNOWN_MODULE_LINK,
    UNKNOWN_SOURCE,
    Problem,
    ProblemLog,
)
from sdm_app.content.yamlnodes import YMap, YScalar, YSeq
from sdm_app.core.classification import SCHEMES, scheme
from sdm_app.core.knowledge import EFFECTS, FOLLOW_UPS, INHERITANCES
from sdm_app.core.results import BiomarkerKind

if TYPE_CHECKING:
    from sdm_app.content.loader import PackLoader
    from sdm_app.content.model import PackContent, PackDoc

_FILE_NAME = re.compile(r"knowledge\.(?P<locale>[^.]+)\.yaml")
_KINDS = tuple(kind.value for kind in BiomarkerKind)
_BIOMARKER_TEXTS = ("about", "when_positive", "when_negative", "hereditary_check")


@dataclass(slots=True)
class KText:
    text: str
    line: int


@dataclass(slots=True)
class Rule:
    """One rule of the source file: its fields, texts (by key) and provenance."""

    section: str  # "meanings", "levels", "genes", ...
    id: str
    line: int
    data: dict[str, Any]
    texts: dict[str, KText] = field(default_factory=dict)  # key -> text
    sources: list[tuple[str, int]] = field(default_factory=list)
    review: ReviewDoc | None = None


@dataclass(slots=True)
class KnowledgeDoc:
    file: str
    locale: str
    is_source: bool
    line: int = 1
    status: str | None = None
    version: int | None = None
    translation_of: int | None = None
    review: ReviewDoc | None = None
    sources: list[SourceDoc] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    tumour_terms: dict[str, list[str]] = field(default_factory=dict)
    negative_results: list[str] = field(default_factory=list)
    clonal: Rule | None = None
    # Translations: texts by key, extra words, drug names by gene symbol.
    texts: dict[str, KText] = field(default_factory=dict)
    drugs: dict[str, list[str]] = field(default_factory=dict)

    def all_texts(self) -> dict[str, KText]:
        if not self.is_source:
            return self.texts
        return {key: text for rule in self.rules for key, text in rule.texts.items()}


def knowledge_file_name(path: Path) -> str | None:
    """The language code of a knowledge file's name, or None."""
    match = _FILE_NAME.fullmatch(path.name)
    return match["locale"] if match else None


class KnowledgeLoader:
    def __init__(self, loader: PackLoader) -> None:
        self.loader = loader

    def load_into(self, content: PackContent) -> None:
        folder = self.loader.folder / "knowledge"
        if not folder.is_dir():
            return
        from sdm_app.content.loader import is_hidden

        for path in sorted(folder.iterdir()):
            if path.is_file() and not is_hidden(path):
                doc = self.load(path, content.pack)
                if doc is not None:
                    content.knowledge.append(doc)

    def load(self, path: Path, pack: PackDoc) -> KnowledgeDoc | None:
        file = self.loader.show(path)
        log = ProblemLog(file, self.loader.problems)
        code = knowledge_file_name(path)
        if code is None:
            if path.suffix in (".yaml", ".yml"):
                log.error(1, SCHEMA, "a knowledge file must be named knowledge.<language>.yaml")
            return None
        if not self.loader.check_locale(code, pack, log, 1):
            return None
        doc = KnowledgeDoc(file, code, is_source=code == pack.source_locale)
        readable, document = self.loader._read_yaml(path, log)
        node = expect_mapping(document, log, 1, "the knowledge file") if readable else None
        if node is None:
            return doc
        fields = Fields(node, log, "the knowledge file")
        doc.status = self.loader._status(fields, doc.is_source, log)
        if doc.is_source:
            _SourceReader(self.loader, doc, fields, log).read()
        else:
            _TranslationReader(doc, fields, log).read()
        fields.finish()
        return doc


def _items(fields: Fields, key: str, log: ProblemLog, what: str) -> Iterable[Fields]:
    node = fields.sequence(key, required=False)
    for position, item in enumerate(node.items if node else (), start=1):
        mapping = expect_mapping(item, log, item.line, f"{what} {position}")
        if mapping is not None:
            yield Fields(mapping, log, f"{what} {position}")


def _words(fields: Fields, key: str, required: bool = False) -> list[str]:
    return [text for text, _line in fields.text_list(key, required) or ()]


class _SourceReader:
    def __init__(self, loader: PackLoader, doc: KnowledgeDoc, fields: Fields, log: ProblemLog):
        self.loader = loader
        self.doc = doc
        self.fields = fields
        self.log = log

    def read(self) -> None:
        doc, fields = self.doc, self.fields
        doc.version = fields.integer("version")
        review = fields.mapping("review")
        if review is not None:
            doc.review = self.loader._review(Fields(review, self.log, "'review'"), self.log)
        for source_fields in _items(fields, "sources", self.log, "source"):
            source = self.loader._source(source_fields, self.log)
            if source is not None:
                doc.sources.append(source)
        if not doc.sources:
            self.log.error(fields.line_of("sources"), REQUIRED_FIELD, "the file lists no sources")
        self._meanings()
        self._levels()
        self._genes()
        self._biomarkers()
        self._tumour_types()
        self._contexts()
        doc.negative_results = _words(fields, "negative_results")
        clonal = fields.mapping("clonal_haematopoiesis", required=False)
        if clonal is not None:
            clonal_fields = Fields(clonal, self.log, "'clonal_haematopoiesis'")
            rule = Rule("clonal_haematopoiesis", "clonal_haematopoiesis", clonal.line, {})
            rule.data["low_vaf_percent"] = clonal_fields.number("low_vaf_percent")
            self._provenance(rule, clonal_fields)
            clonal_fields.finish()
            doc.clonal = rule

    def _provenance(self, rule: Rule, fields: Fields) -> None:
        node = fields.sequence("sources", required=False)
        for item in node.items if node else ():
            if isinstance(item, YScalar) and item.raw.strip():
                rule.sources.append((item.raw.strip(), item.line))
            else:
                self.log.error(item.line, SCHEMA, "each entry of 'sources' must be a source id")
        review = fields.mapping("review", required=False)
        if review is not None:
            rule.review = self.loader._review(Fields(review, self.log, "'review'"), self.log)

    def _text(self, rule: Rule, fields: Fields, name: str, key: str, required: bool) -> None:
        found = fields.text_node(name, required)
        if found is not None:
            rule.texts[key] = KText(found[0], found[1])

    def _meanings(self) -> None:
        for fields in _items(self.fields, "meanings", self.log, "meaning"):
            meaning_id = fields.identifier("id")
            effect = fields.text("effect")
            if effect is not None and effect not in EFFECTS:
                self.log.error(
                    fields.line_of("effect"),
                    SCHEMA,
                    f"effect '{effect}' must be one of: {', '.join(EFFECTS)}",
                )
                effect = None
            rule = Rule("meanings", meaning_id or "", fields.node.line, {"effect": effect})
            self._text(rule, fields, "text", f"meanings.{meaning_id}", True)
            self._provenance(rule, fields)
            fields.finish()
            if meaning_id and effect:
                self.doc.rules.append(rule)

    def _levels(self) -> None:
        for group in _items(self.fields, "levels", self.log, "scheme"):
            scheme_id = group.text("scheme")
            found = scheme(scheme_id) if scheme_id else None
            if scheme_id and found is None:
                known = ", ".join(s.id for s in SCHEMES)
                self.log.error(
                    group.line_of("scheme"),
                    SCHEMA,
                    f"the app knows no scheme '{scheme_id}' (known: {known})",
                )
            shared = Rule("levels", "", group.node.line, {})
            self._provenance(shared, group)
            for fields in _items(group, "levels", self.log, "level"):
                code = fields.text("code")
                meaning = fields.identifier("meaning")
                if found is not None and code is not None and found.find(code) is None:
                    self.log.error(
                        fields.line_of("code"),
                        SCHEMA,
                        f"the {found.id} scheme has no class '{code}'",
                    )
                    code = None
                rule_id = f"{scheme_id}.{code.upper()}" if code else ""
                rule = Rule("levels", rule_id, fields.node.line, {"meaning": meaning})
                rule.data.update(scheme=scheme_id, code=code)
                self._text(rule, fields, "text", f"levels.{rule_id}", True)
                self._provenance(rule, fields)
                if not rule.sources:
                    rule.sources = list(shared.sources)
                rule.review = rule.review or shared.review
                rule.data["meaning_line"] = fields.line_of("meaning")
                fields.finish()
                if found is not None and code and meaning:
                    self.doc.rules.append(rule)
            group.finish()

    def _genes(self) -> None:
        for fields in _items(self.fields, "genes", self.log, "gene"):
            symbol = fields.text("symbol")
            follow_up = fields.text("germline_follow_up", required=False)
            if follow_up is not None and follow_up not in FOLLOW_UPS:
                self.log.error(
                    fields.line_of("germline_follow_up"),
                    SCHEMA,
                    f"germline_follow_up '{follow_up}' must be one of: {', '.join(FOLLOW_UPS)}",
                )
                follow_up = None
            rule = Rule(
                "genes",
                symbol or "",
                fields.node.line,
                {
                    "aliases": _words(fields, "aliases"),
                    "modules": fields.text_list("modules", required=False) or [],
                    "communities": _words(fields, "communities"),
                    "follow_up": follow_up or "",
                    "drugs": _words(fields, "drugs"),
                    "clonal_haematopoiesis": bool(
                        fields.boolean("clonal_haematopoiesis", required=False)
                    ),
                    "inheritance": self._inheritance(fields),
                },
            )
            self._text(rule, fields, "condition", f"genes.{symbol}.condition", False)
            self._provenance(rule, fields)
            fields.finish()
            if symbol:
                self.doc.rules.append(rule)

    def _inheritance(self, fields: Fields) -> str:
        found = fields.text("inheritance", required=False)
        if found is not None and found not in INHERITANCES:
            self.log.error(
                fields.line_of("inheritance"),
                SCHEMA,
                f"inheritance '{found}' must be one of: {', '.join(INHERITANCES)}",
            )
            return ""
        return found or ""

    def _biomarkers(self) -> None:
        for fields in _items(self.fields, "biomarkers", self.log, "biomarker"):
            biomarker_id = fields.identifier("id")
            rule = Rule(
                "biomarkers",
                biomarker_id or "",
                fields.node.line,
                {
                    "names": _words(fields, "names", required=True),
                    "modules": fields.text_list("modules", required=False) or [],
                    "communities": _words(fields, "communities"),
                    "positive": _words(fields, "positive"),
                    "negative": _words(fields, "negative"),
                },
            )
            for name in _BIOMARKER_TEXTS:
                key = f"biomarkers.{biomarker_id}.{name}"
                self._text(rule, fields, name, key, name == "about")
            self._provenance(rule, fields)
            fields.finish()
            if biomarker_id:
                self.doc.rules.append(rule)

    def _tumour_types(self) -> None:
        for fields in _items(self.fields, "tumour_types", self.log, "tumour type"):
            type_id = fields.identifier("id")
            terms = _words(fields, "terms", required=True)
            fields.finish()
            if type_id is None:
                continue
            if type_id in self.doc.tumour_terms:
                self.log.error(
                    fields.node.line, DUPLICATE_ID, f"tumour type '{type_id}' is listed twice"
                )
            self.doc.tumour_terms[type_id] = terms

    def _contexts(self) -> None:
        for fields in _items(self.fields, "contexts", self.log, "context"):
            context_id = fields.identifier("id")
            kinds = fields.text_list("kinds", required=False) or []
            for kind, line in kinds:
                if kind not in _KINDS:
                    self.log.error(
                        line, SCHEMA, f"kind '{kind}' must be one of: {', '.join(_KINDS)}"
                    )
            rule = Rule(
                "contexts",
                context_id or "",
                fields.node.line,
                {
                    "genes": _words(fields, "genes", required=True),
                    "alterations": _words(fields, "alterations"),
                    "kinds": [kind for kind, _line in kinds if kind in _KINDS],
                    "tumour_types": fields.text_list("tumour_types") or [],
                },
            )
            self._text(rule, fields, "text", f"contexts.{context_id}", True)
            self._provenance(rule, fields)
            fields.finish()
            if context_id:
                self.doc.rules.append(rule)


class _TranslationReader:
    def __init__(self, doc: KnowledgeDoc, fields: Fields, log: ProblemLog) -> None:
        self.doc = doc
        self.fields = fields
        self.log = log

    def read(self) -> None:
        doc, fields = self.doc, self.fields
        doc.translation_of = fields.integer("translation_of")
        doc.line = fields.line_of("translation_of")
        texts = fields.mapping("texts", required=False)
        for key, (line, node) in (texts.entries if texts else {}).items():
            if isinstance(node, YScalar) and node.raw.strip():
                doc.texts[key] = KText(node.raw.strip(), node.line or line)
            else:
                self.log.error(line, SCHEMA, f"the text '{key}' must be text")
        doc.negative_results = _words(fields, "negative_results")
        terms = fields.mapping("tumour_terms", required=False)
        doc.tumour_terms = self._lists(terms)
        doc.drugs = self._lists(fields.mapping("drugs", required=False))

    def _lists(self, node: YMap | None) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for key, (line, value) in (node.entries if node else {}).items():
            if not isinstance(value, YSeq):
                self.log.error(line, SCHEMA, f"'{key}' must be a list")
                continue
            words = [item.raw.strip() for item in value.items if isinstance(item, YScalar)]
            found[key] = [word for word in words if word]
        return found


# Checks across files -------------------------------------------------------------


def check_knowledge(
    packs: list[PackContent],
    module_ids: set[str],
    problems: list[Problem],
    today: date,
    language_name: Callable[[str], str],
) -> None:
    """Rules that compare files: references, completeness, translations."""
    sources = [doc for content in packs for doc in content.knowledge if doc.is_source]
    if not sources:
        return
    meanings: set[str] = set()
    levels: set[tuple[str, str]] = set()
    seen: dict[tuple[str, str], str] = {}
    for doc in sources:
        log = ProblemLog(doc.file, problems)
        source_ids = {source.id for source in doc.sources}
        _check_review(doc.review, log, today)
        own_meanings = {rule.id for rule in doc.rules if rule.section == "meanings"}
        for rule in doc.rules:
            key = (rule.section, rule.id)
            if key in seen and seen[key] == doc.file:
                log.error(rule.line, DUPLICATE_ID, f"'{rule.id}' is listed twice in {rule.section}")
            seen[key] = doc.file
            if rule.section == "meanings":
                meanings.add(rule.id)
            if rule.section == "levels":
                levels.add((rule.data["scheme"], rule.data["code"].upper()))
                if rule.data["meaning"] not in own_meanings | meanings:
                    log.error(
                        rule.data["meaning_line"],
                        SCHEMA,
                        f"no meaning '{rule.data['meaning']}' is listed under 'meanings'",
                    )
            _check_rule_sources(rule, source_ids, log)
            _check_review(rule.review, log, today)
            for module_id, line in rule.data.get("modules", ()):
                if module_id not in module_ids:
                    log.error(line, UNKNOWN_MODULE_LINK, f"there is no module '{module_id}'")
            for type_id, line in rule.data.get("tumour_types", ()):
                if type_id not in doc.tumour_terms:
                    log.error(line, SCHEMA, f"no tumour type '{type_id}' is listed")
        if doc.clonal is not None:
            _check_rule_sources(doc.clonal, source_ids, log)
    # The packs together must explain every class of every scheme the app knows.
    first = sources[0]
    for known in SCHEMES:
        for klass in known.classes:
            if (known.id, klass.code.upper()) not in levels:
                ProblemLog(first.file, problems).error(
                    1,
                    REQUIRED_FIELD,
                    f"no plain meaning is given for class '{klass.code}' of {known.id}",
                )
    for content in packs:
        source = next((doc for doc in content.knowledge if doc.is_source), None)
        for doc in content.knowledge:
            if not doc.is_source:
                _check_translation(doc, source, problems, language_name)


def _check_rule_sources(rule: Rule, source_ids: set[str], log: ProblemLog) -> None:
    if not rule.sources:
        log.error(rule.line, REQUIRED_FIELD, f"'{rule.id}' gives no sources")
    for source_id, line in rule.sources:
        if source_id not in source_ids:
            log.error(line, UNKNOWN_SOURCE, f"the file lists no source '{source_id}'")


def _check_review(review: ReviewDoc | None, log: ProblemLog, today: date) -> None:
    if review is not None and review.next_review is not None and review.next_review < today:
        log.warning(
            review.next_review_line,
            REVIEW_OVERDUE,
            f"the review was due on {review.next_review.isoformat()}",
        )


def _check_translation(
    doc: KnowledgeDoc,
    source: KnowledgeDoc | None,
    problems: list[Problem],
    language_name: Callable[[str], str],
) -> None:
    log = ProblemLog(doc.file, problems)
    if source is None:
        log.error(1, ORPHAN_TRANSLATION, "the pack has no knowledge file in its source language")
        return
    if doc.translation_of is not None and source.version is not None:
        if doc.translation_of < source.version:
            log.warning(
                doc.line,
                STALE_TRANSLATION,
                f"translated from version {doc.translation_of}, the "
                f"{language_name(source.locale)} text is now version {source.version}",
            )
        elif doc.translation_of > source.version:
            log.error(
                doc.line,
                SCHEMA,
                f"translation_of is {doc.translation_of} but the source is only at version "
                f"{source.version}",
            )
    originals = source.all_texts()
    for key, text in doc.texts.items():
        original = originals.get(key)
        if original is None:
            log.error(text.line, SCHEMA, f"the source has no text '{key}'")
            continue
        have = Counter(number for _at, number in find_numbers(text.text))
        want = Counter(number for _at, number in find_numbers(original.text))
        if have != want:
            log.error(
                text.line,
                NUMBER_MISMATCH,
                f"the numbers of '{key}' differ from the {language_name(source.locale)} text",
            )
    for type_id in doc.tumour_terms:
        if type_id not in source.tumour_terms:
            log.error(doc.line, SCHEMA, f"the source has no tumour type '{type_id}'")
    symbols = {rule.id for rule in source.rules if rule.section == "genes"}
    for symbol in doc.drugs:
        if symbol not in symbols:
            log.error(doc.line, SCHEMA, f"the source has no gene '{symbol}'")


# What the build stores -------------------------------------------------------------


def _citation(source: SourceDoc) -> dict[str, str]:
    return {
        "id": source.id,
        "citation": source.citation or "",
        "date": source.date.isoformat() if source.date else "",
        "doi": source.doi or "",
        "pmid": source.pmid or "",
        "url": source.url or "",
    }


def stored_knowledge(content: PackContent, locale: str) -> dict[str, Any] | None:
    """The pack's knowledge as shown in ``locale`` (texts translated where they are),
    or None when the pack has none."""
    source = next((doc for doc in content.knowledge if doc.is_source), None)
    if source is None:
        return None
    translations = [doc for doc in content.knowledge if not doc.is_source]
    wanted = next((doc for doc in translations if doc.locale == locale), None)
    citations = {s.id: _citation(s) for s in source.sources}

    def text(key: str, original: KText | None) -> dict[str, str] | None:
        if original is None:
            return None
        if wanted is not None and key in wanted.texts:
            return {
                "text": wanted.texts[key].text,
                "locale": wanted.locale,
                "status": wanted.status or "draft",
            }
        return {"text": original.text, "locale": source.locale, "status": "source"}

    def provenance(rule: Rule) -> dict[str, Any]:
        review = rule.review or source.review
        return {
            "sources": [citations[s] for s, _line in rule.sources if s in citations],
            "reviewed_on": review.reviewed_on.isoformat() if review and review.reviewed_on else "",
            "next_review": review.next_review.isoformat() if review and review.next_review else "",
            "reviewer": review.reviewer or "" if review else "",
            "review_status": review.status or "" if review else "",
        }

    def every_language(words: dict[str, list[str]], key: str) -> list[str]:
        found = list(words.get(key, ()))
        for doc in translations:
            found += doc.tumour_terms.get(key, [])
        return list(dict.fromkeys(found))

    stored: dict[str, Any] = {
        "meanings": [],
        "levels": [],
        "genes": [],
        "biomarkers": [],
        "contexts": [],
        "negative_results": list(
            dict.fromkeys(
                [*source.negative_results, *(w for d in translations for w in d.negative_results)]
            )
        ),
    }
    for rule in source.rules:
        if rule.section == "meanings":
            stored["meanings"].append(
                {
                    "id": rule.id,
                    "effect": rule.data["effect"],
                    "text": text(f"meanings.{rule.id}", rule.texts.get(f"meanings.{rule.id}")),
                    "provenance": provenance(rule),
                }
            )
        elif rule.section == "levels":
            key = f"levels.{rule.id}"
            stored["levels"].append(
                {
                    "scheme": rule.data["scheme"],
                    "code": rule.data["code"],
                    "meaning": rule.data["meaning"],
                    "text": text(key, rule.texts.get(key)),
                    "provenance": provenance(rule),
                }
            )
        elif rule.section == "genes":
            drugs = rule.data["drugs"]
            if wanted is not None and wanted.drugs.get(rule.id):
                drugs = wanted.drugs[rule.id]
            stored["genes"].append(
                {
                    "symbol": rule.id,
                    "aliases": rule.data["aliases"],
                    "modules": [module for module, _line in rule.data["modules"]],
                    "communities": rule.data["communities"],
                    "follow_up": rule.data["follow_up"],
                    "drugs": drugs,
                    "clonal_haematopoiesis": rule.data["clonal_haematopoiesis"],
                    "inheritance": rule.data["inheritance"],
                    "condition": text(
                        f"genes.{rule.id}.condition", rule.texts.get(f"genes.{rule.id}.condition")
                    ),
                    "provenance": provenance(rule),
                }
            )
        elif rule.section == "biomarkers":
            entry: dict[str, Any] = {
                "id": rule.id,
                **{k: rule.data[k] for k in ("names", "communities", "positive", "negative")},
                "modules": [module for module, _line in rule.data["modules"]],
                "provenance": provenance(rule),
            }
            for name in _BIOMARKER_TEXTS:
                key = f"biomarkers.{rule.id}.{name}"
                entry[name] = text(key, rule.texts.get(key))
            stored["biomarkers"].append(entry)
        elif rule.section == "contexts":
            key = f"contexts.{rule.id}"
            terms = [
                term
                for type_id, _line in rule.data["tumour_types"]
                for term in every_language(source.tumour_terms, type_id)
            ]
            stored["contexts"].append(
                {
                    "id": rule.id,
                    "genes": rule.data["genes"],
                    "alterations": rule.data["alterations"],
                    "kinds": rule.data["kinds"],
                    "tumour_terms": terms,
                    "text": text(key, rule.texts.get(key)),
                    "provenance": provenance(rule),
                }
            )
    if source.clonal is not None and source.clonal.data.get("low_vaf_percent") is not None:
        stored["clonal_haematopoiesis"] = {
            "low_vaf_percent": source.clonal.data["low_vaf_percent"],
            "provenance": provenance(source.clonal),
        }
    return stored


def knowledge_counts(content: PackContent) -> dict[str, Any]:
    """Rules by kind and by review status, and texts per language: for ``content stats``."""
    source = next((doc for doc in content.knowledge if doc.is_source), None)
    if source is None:
        return {}
    by_section = Counter(rule.section for rule in source.rules)
    statuses: Counter[str] = Counter()
    for rule in source.rules:
        review = rule.review or source.review
        statuses[review.status if review and review.status else "unknown"] += 1
    texts = len(source.all_texts())
    languages = {
        doc.locale: {"texts": len(doc.texts), "of": texts, "status": doc.status}
        for doc in content.knowledge
        if not doc.is_source
    }
    return {
        "version": source.version,
        "rules": dict(sorted(by_section.items())),
        "rules_total": sum(by_section.values()),
        "review_status": dict(sorted(statuses.items())),
        "sources": len(source.sources),
        "texts": texts,
        "translations": languages,
    }
