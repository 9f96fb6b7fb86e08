"""Content cut into translation segments: one per paragraph, heading, list item, table
cell or short text (an option's answer, an outcome's label, a glossary definition).

Each segment has a *key* that says where it sits in its item (``title``,
``body/h2[1]/p[2]``, ``options.wait.answers.family``). Keys do not depend on the
language, so a translated file's segments line up with the source's by key.

Markdown (module bodies, a decision aid's summary and option descriptions) is cut and
put back together by translate-toolkit's Markdown store, the converter Weblate itself
uses (on the mistletoe parser): it keeps links, term marks and citations inside the
segment text, gives each segment its line and a structural path (``h2[1]/li[3]/p[1]``),
and renders a document back from the source with each segment replaced. It is
imported only here, only when content is cut or rebuilt: the app never needs it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from sdm_app.content.files import read_text, split_front_matter
from sdm_app.content.yamlnodes import YMap, YNode, YScalar, YSeq, parse_yaml

Kind = Literal["modules", "decision-aids", "glossary", "knowledge"]
KINDS: tuple[Kind, ...] = ("modules", "decision-aids", "glossary", "knowledge")
SegmentForm = Literal["text", "markdown", "list"]

# A list segment (aliases, tumour words) is written as one text, items joined by this.
LIST_SEPARATOR = "; "
DISCLOSURE_FIELDS = (
    "authors",
    "funding",
    "conflicts_of_interest",
    "evidence_method",
    "update_policy",
)
_MODULE_NAME = re.compile(r"(?P<id>[^.]+)\.(?P<locale>[^.]+)\.md")
_AID_NAME = re.compile(r"(?P<id>[^.]+)\.(?P<locale>[^.]+)\.yaml")
_KNOWLEDGE_NAME = re.compile(r"knowledge\.(?P<locale>[^.]+)\.yaml")
_GLOSSARY_NAME = re.compile(r"(?P<locale>[^.]+)\.yaml")
# translate-toolkit's front-matter detection runs on every text; an empty header in
# front of a text keeps a leading '---' rule or '...' line from being taken for one.
_EMPTY_FRONT_MATTER = "---\n---\n"


class MarkdownToolMissing(RuntimeError):
    """translate-toolkit is not installed (it comes with the project's 'authoring' extra)."""


@dataclass(frozen=True, slots=True)
class Segment:
    key: str
    text: str
    line: int  # file line the segment starts on
    form: SegmentForm = "text"
    group: str = ""  # the glossary term it belongs to ("" for the whole file)


@dataclass(slots=True)
class Document:
    """One file's segments, by key, with its version data."""

    path: Path
    locale: str
    segments: dict[str, Segment] = field(default_factory=dict)
    # Source: version per group ("" is the whole file). Translation: translation_of.
    versions: dict[str, int] = field(default_factory=dict)
    status: str | None = None
    readable: bool = True

    def add(self, segment: Segment) -> None:
        if segment.text.strip() and segment.key not in self.segments:
            self.segments[segment.key] = segment


@dataclass(frozen=True, slots=True)
class ContentItem:
    """A module, decision aid, glossary or knowledge file in the source language,
    and where its translations live."""

    kind: Kind
    id: str
    source: Path
    source_locale: str

    def translation_path(self, locale: str) -> Path:
        if self.kind == "modules":
            return self.source.with_name(f"{self.id}.{locale}.md")
        if self.kind == "decision-aids":
            return self.source.with_name(f"{self.id}.{locale}.yaml")
        if self.kind == "glossary":
            return self.source.with_name(f"{locale}.yaml")
        return self.source.with_name(f"knowledge.{locale}.yaml")

    def translations(self) -> dict[str, Path]:
        """Existing translation files by language code."""
        found: dict[str, Path] = {}
        pattern = {
            "modules": _MODULE_NAME,
            "decision-aids": _AID_NAME,
            "glossary": _GLOSSARY_NAME,
            "knowledge": _KNOWLEDGE_NAME,
        }[self.kind]
        for path in sorted(self.source.parent.iterdir()):
            match = pattern.fullmatch(path.name)
            if match is None or not path.is_file():
                continue
            if self.kind in ("modules", "decision-aids") and match["id"] != self.id:
                continue
            locale = match["locale"]
            if locale != self.source_locale:
                found[locale] = path
        return found


def content_items(pack: Path, source_locale: str) -> list[ContentItem]:
    """Every source-language item of a pack folder, in a stable order."""
    items: list[ContentItem] = []
    modules = pack / "modules"
    for path in sorted(modules.rglob(f"*.{source_locale}.md")) if modules.is_dir() else ():
        match = _MODULE_NAME.fullmatch(path.name)
        if match and match["locale"] == source_locale and not _hidden(path):
            items.append(ContentItem("modules", match["id"], path, source_locale))
    aids = pack / "decision-aids"
    for path in sorted(aids.rglob(f"*.{source_locale}.yaml")) if aids.is_dir() else ():
        match = _AID_NAME.fullmatch(path.name)
        if match and match["locale"] == source_locale and not _hidden(path):
            items.append(ContentItem("decision-aids", match["id"], path, source_locale))
    glossary = pack / "glossary" / f"{source_locale}.yaml"
    if glossary.is_file():
        items.append(ContentItem("glossary", "glossary", glossary, source_locale))
    knowledge = pack / "knowledge" / f"knowledge.{source_locale}.yaml"
    if knowledge.is_file():
        items.append(ContentItem("knowledge", "knowledge", knowledge, source_locale))
    return items


def _hidden(path: Path) -> bool:
    return path.name.startswith((".", "~")) or path.name.endswith("~")


# Markdown ----------------------------------------------------------------------


def _markdown_store(callback: Callable[[str], str]) -> object:
    try:
        from translate.storage.markdown import MarkdownFile
    except ImportError as error:  # pragma: no cover - the lock installs it
        raise MarkdownToolMissing(
            "translate-toolkit is needed to cut Markdown into segments: install the "
            "project with its 'authoring' extra (python3 packaging/dev.py sets it up)"
        ) from error
    # no_placeholders: links stay as written ('[words](module:id)'), not '{1}'.
    return MarkdownFile(callback=callback, no_placeholders=True, extract_frontmatter=False)


def _run_markdown(text: str, callback: Callable[[object, str], str]) -> tuple[list[object], str]:
    """Parse ``text``; ``callback(store, source)`` gives each segment's output."""
    holder: list[object] = []

    def each(source: str) -> str:
        return callback(holder[0], source)

    store = _markdown_store(each)
    holder.append(store)
    store.parse((_EMPTY_FRONT_MATTER + text).encode("utf-8"))  # type: ignore[attr-defined]
    rendered: str = store.filesrc  # type: ignore[attr-defined]
    return list(store.units), rendered.removeprefix(_EMPTY_FRONT_MATTER)  # type: ignore[attr-defined]


def _skipped_blank_lines(text: str) -> int:
    """Lines of ``text`` the parser treats as part of the (empty) front matter."""
    first = text.split("\n", 1)[0]
    return 1 if not first.strip() else 0


def markdown_segments(text: str, first_line: int, prefix: str, group: str = "") -> list[Segment]:
    """The segments of a Markdown text whose first line is file line ``first_line``."""
    units, _rendered = _run_markdown(text, lambda _store, source: source)
    offset = first_line - 1 + _skipped_blank_lines(text)
    segments: list[Segment] = []
    for unit in units:
        location = unit.getlocations()[0]  # type: ignore[attr-defined]
        line = int(location.rsplit(":", 1)[1]) + offset
        path = unit.getdocpath()  # type: ignore[attr-defined]
        segments.append(
            Segment(f"{prefix}/{path}", unit.source, line, "markdown", group)  # type: ignore[attr-defined]
        )
    return segments


def render_markdown(text: str, prefix: str, translate: Callable[[str, str], str]) -> str:
    """``text`` with each segment replaced by ``translate(key, source)``."""

    def each(store: object, source: str) -> str:
        unit = store.units[-1]  # type: ignore[attr-defined]  # the segment being rendered
        return translate(f"{prefix}/{unit.getdocpath()}", source)

    _units, rendered = _run_markdown(text, each)
    return rendered


# Reading files -----------------------------------------------------------------


def _scalar_text(node: YNode | None) -> str | None:
    if isinstance(node, YScalar) and isinstance(node.value, str) and node.value.strip():
        return node.value.strip()
    return None


def _block_line(node: YScalar) -> int:
    """The file line a scalar's text starts on (block text starts below its key)."""
    line = node.line + (1 if node.style in ("|", ">") else 0)
    return line + node.raw[: len(node.raw) - len(node.raw.lstrip())].count("\n")


def _entry(node: YNode | None, key: str) -> YNode | None:
    if isinstance(node, YMap) and key in node.entries:
        return node.entries[key][1]
    return None


def _items(node: YNode | None, key: str) -> Iterator[tuple[str, YMap]]:
    """The mappings of a list that have an id, with that id (``id`` or ``symbol``)."""
    sequence = _entry(node, key)
    if not isinstance(sequence, YSeq):
        return
    for item in sequence.items:
        if isinstance(item, YMap):
            ident = _scalar_text(_entry(item, "id")) or _scalar_text(_entry(item, "symbol"))
            if ident:
                yield ident, item


def _integer(node: YNode | None) -> int | None:
    if (
        isinstance(node, YScalar)
        and isinstance(node.value, int)
        and not isinstance(node.value, bool)
    ):
        return node.value
    return None


class _Collector:
    def __init__(self, document: Document) -> None:
        self.document = document

    def text(self, node: YNode | None, name: str, key: str, group: str = "") -> None:
        value = _entry(node, name)
        text = _scalar_text(value)
        if text is not None and isinstance(value, YScalar):
            self.document.add(Segment(key, text, _block_line(value), "text", group))

    def markdown(self, node: YNode | None, name: str, key: str) -> None:
        value = _entry(node, name)
        text = _scalar_text(value)
        if text is not None and isinstance(value, YScalar):
            for segment in markdown_segments(text, _block_line(value), key):
                self.document.add(segment)

    def words(self, node: YNode | None, name: str, key: str, group: str = "") -> None:
        value = _entry(node, name)
        if not isinstance(value, YSeq):
            return
        words = [text for item in value.items if (text := _scalar_text(item))]
        if words:
            joined = LIST_SEPARATOR.join(words)
            self.document.add(Segment(key, joined, value.line, "list", group))

    def mapping(self, node: YNode | None, name: str, key: str) -> None:
        value = _entry(node, name)
        if isinstance(value, YMap):
            for sub in value.entries:
                self.text(value, sub, f"{key}.{sub}")

    def sequence(self, node: YNode | None, name: str, key: str) -> None:
        value = _entry(node, name)
        if isinstance(value, YSeq):
            for position, item in enumerate(value.items):
                text = _scalar_text(item)
                if text is not None and isinstance(item, YScalar):
                    self.document.add(Segment(f"{key}.{position}", text, item.line))


def read_document(item: ContentItem, path: Path, locale: str) -> Document:
    """The segments of ``path`` (the item's source file or one of its translations).

    Raises OSError or ValueError (a file that is not UTF-8 text or not YAML); the
    content check reports those problems in detail.
    """
    from sdm_app.content.files import MissingHeader, UnreadableFile
    from sdm_app.content.yamlnodes import YamlError

    document = Document(path, locale)
    is_source = locale == item.source_locale
    try:
        text = read_text(path)
        if item.kind == "modules":
            split = split_front_matter(text)
            root = parse_yaml(split.header, split.header_line)
        else:
            root = parse_yaml(text)
    except (UnreadableFile, MissingHeader, YamlError) as error:
        raise ValueError(f"{path}: {error}") from None
    collect = _Collector(document)
    document.status = _scalar_text(_entry(root, "status"))
    file_version = _integer(_entry(root, "version" if is_source else "translation_of"))
    if file_version is not None:
        document.versions[""] = file_version
    if item.kind == "modules":
        collect.text(root, "title", "title")
        collect.text(root, "key_message", "key_message")
        for segment in markdown_segments(split.body, split.body_line, "body"):
            document.add(segment)
    elif item.kind == "decision-aids":
        _aid(root, collect)
    elif item.kind == "glossary":
        for term_id, term in _items(root, "terms"):
            number = _integer(_entry(term, "version" if is_source else "translation_of"))
            if number is not None:
                document.versions[term_id] = number
            collect.text(term, "term", f"terms.{term_id}.term", term_id)
            collect.text(term, "definition", f"terms.{term_id}.definition", term_id)
            collect.words(term, "aliases", f"terms.{term_id}.aliases", term_id)
    else:
        _knowledge(root, collect, is_source)
    return document


def _aid(root: YNode | None, collect: _Collector) -> None:
    collect.text(root, "title", "title")
    collect.text(root, "question", "question")
    collect.markdown(root, "summary", "summary")
    disclosure = _entry(root, "disclosure")
    for name in DISCLOSURE_FIELDS:
        collect.text(disclosure, name, f"disclosure.{name}")
    collect.text(root, "no_action_reason", "no_action_reason")
    for attribute_id, attribute in _items(root, "attributes"):
        collect.text(attribute, "question", f"attributes.{attribute_id}.question")
    for option_id, option in _items(root, "options"):
        key = f"options.{option_id}"
        collect.text(option, "title", f"{key}.title")
        collect.markdown(option, "description", f"{key}.description")
        collect.mapping(option, "answers", f"{key}.answers")
        collect.sequence(option, "benefits", f"{key}.benefits")
        collect.sequence(option, "harms", f"{key}.harms")
    for outcome_id, outcome in _items(root, "outcomes"):
        key = f"outcomes.{outcome_id}"
        collect.text(outcome, "label", f"{key}.label")
        collect.text(outcome, "population", f"{key}.population")
        per_option = _entry(outcome, "per_option")
        if isinstance(per_option, YMap):
            for option_id, (_line, figure) in per_option.entries.items():
                for name in ("time_frame", "missing_reason", "certainty_reason"):
                    collect.text(figure, name, f"{key}.per_option.{option_id}.{name}")
    for value_id, value in _items(root, "values"):
        key = f"values.{value_id}"
        collect.text(value, "statement", f"{key}.statement")
        collect.mapping(value, "relates_to", f"{key}.relates_to")


# The texts of the source knowledge file, by the keys translations use
# (content/README.md, "Clinical knowledge").
_KNOWLEDGE_TEXTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("meanings", ("text",)),
    ("genes", ("condition",)),
    ("biomarkers", ("about", "when_positive", "when_negative", "hereditary_check")),
    ("contexts", ("text",)),
)


def _knowledge(root: YNode | None, collect: _Collector, is_source: bool) -> None:
    if not is_source:
        texts = _entry(root, "texts")
        if isinstance(texts, YMap):
            for key in texts.entries:
                collect.text(texts, key, f"texts.{key}")
        for name in ("tumour_terms", "drugs"):
            words = _entry(root, name)
            if isinstance(words, YMap):
                for key in words.entries:
                    collect.words(words, key, f"{name}.{key}")
        collect.words(root, "negative_results", "negative_results")
        return
    for section, names in _KNOWLEDGE_TEXTS:
        for ident, rule in _items(root, section):
            for name in names:
                # A meaning's or context's text is keyed by its id alone.
                key = f"{section}.{ident}" if name == "text" else f"{section}.{ident}.{name}"
                collect.text(rule, name, f"texts.{key}")
    levels = _entry(root, "levels")
    for scheme in levels.items if isinstance(levels, YSeq) else ():
        scheme_id = _scalar_text(_entry(scheme, "scheme"))
        classes = _entry(scheme, "levels")
        for level in classes.items if isinstance(classes, YSeq) else ():
            code = _scalar_text(_entry(level, "code"))
            if scheme_id and code:
                collect.text(level, "text", f"texts.levels.{scheme_id}.{code.upper()}")
    for type_id, tumour_type in _items(root, "tumour_types"):
        collect.words(tumour_type, "terms", f"tumour_terms.{type_id}")
    for symbol, gene in _items(root, "genes"):
        collect.words(gene, "drugs", f"drugs.{symbol}")
    collect.words(root, "negative_results", "negative_results")
