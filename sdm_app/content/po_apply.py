"""Writing translations from PO catalogues back into a pack's language files.

For each catalogue ``DIR/<pack id>/<kind>/<item id>/<language>.po`` the language file
beside the source is written anew from the *source* file's structure, each segment
replaced by its translation: a module's ``.xx.md``, a decision aid's ``.xx.yaml``, the
glossary's ``xx.yaml`` and ``knowledge.xx.yaml``.

Headers follow the segments:

- ``status`` is the weakest review state of the file's segments (draft, then
  machine-assisted, then translated, then reviewed);
- ``translation_of`` is the source's version when every segment is translated and
  none is fuzzy. Otherwise the file keeps the ``translation_of`` it had, so the app
  says the original has changed; a language with no file yet is not written until it
  is complete (a glossary term likewise).

A fuzzy translation is written (it is what the file said before); a missing one leaves
the source text where the file needs words, and is left out where the source text is
shown anyway (an option's answer, a knowledge text).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sdm_app.content.files import read_text, split_front_matter
from sdm_app.content.po import (
    Pack,
    Review,
    item_folder,
    read_catalogue,
    read_review,
    status_for,
)
from sdm_app.content.po_segments import (
    DISCLOSURE_FIELDS,
    LIST_SEPARATOR,
    ContentItem,
    Document,
    content_items,
    read_document,
    render_markdown,
)
from sdm_app.content.yamlnodes import YMap, YNode, YScalar, YSeq, parse_yaml


@dataclass(frozen=True, slots=True)
class Translated:
    text: str
    fuzzy: bool
    review: Review | None


@dataclass(slots=True)
class Translations:
    """One catalogue's translations by segment key, and which keys went unused."""

    found: dict[str, Translated]
    keys: set[str]  # every key of the source
    used: dict[str, Translated] = field(default_factory=dict)
    missing: set[str] = field(default_factory=set)

    def get(self, key: str) -> str | None:
        entry = self.found.get(key)
        if entry is None:
            self.missing.add(key)
            return None
        self.used[key] = entry
        return entry.text

    def get_or(self, key: str, source: str) -> str:
        found = self.get(key)
        return source if found is None else found

    def complete(self, keys: set[str] | None = None) -> bool:
        wanted = self.keys if keys is None else keys
        return all(key in self.found and not self.found[key].fuzzy for key in wanted)


@dataclass(slots=True)
class ApplyReport:
    written: list[Path] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)  # why a file was not written


def _translations(path: Path, locale: str, source: Document) -> Translations:
    found: dict[str, Translated] = {}
    for message in read_catalogue(path, locale):
        if not message.id or message.context is None:
            continue
        string = message.string[0] if isinstance(message.string, tuple | list) else message.string
        if string and str(message.context) in source.segments:
            found[str(message.context)] = Translated(string, message.fuzzy, read_review(message))
    return Translations(found, set(source.segments))


def apply(pack: Pack, po_dir: Path) -> ApplyReport:
    """Write every catalogue under ``po_dir/<pack id>`` into ``pack``'s files."""
    report = ApplyReport()
    new_locales: set[str] = set()
    for item in content_items(pack.folder, pack.source_locale):
        folder = item_folder(po_dir, pack.id, item)
        if not folder.is_dir():
            continue
        source = read_document(item, item.source, pack.source_locale)
        for catalogue in sorted(folder.glob("*.po")):
            locale = catalogue.stem
            if locale == pack.source_locale:
                continue
            translations = _translations(catalogue, locale, source)
            if not translations.found:
                continue
            target = item.translation_path(locale)
            previous = read_document(item, target, locale) if target.is_file() else None
            writer = _WRITERS[item.kind]
            text, why_not = writer(item, source, translations, previous, locale)
            if text is None:
                report.skipped.append(f"{catalogue}: {why_not}")
                continue
            if _write(target, text):
                report.written.append(target)
            else:
                report.unchanged += 1
            if locale not in pack.locales:
                new_locales.add(locale)
    if new_locales and _add_locales(pack, new_locales):
        report.written.append(pack.folder / "pack.yaml")
    return report


def _write(path: Path, text: str) -> bool:
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8", newline="\n")
    os.replace(temporary, path)
    return True


def _add_locales(pack: Pack, locales: set[str]) -> bool:
    """List new languages in pack.yaml's one-line ``locales: [...]``."""
    path = pack.folder / "pack.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    for position, line in enumerate(lines):
        if line.startswith("locales:") and line.rstrip().endswith("]"):
            codes = [*pack.locales, *sorted(locales - set(pack.locales))]
            lines[position] = f"locales: [{', '.join(codes)}]"
            _write(path, "\n".join(lines))
            return True
    return False


def _translation_of(
    source: Document, previous: Document | None, complete: bool, group: str = ""
) -> int | None:
    """The version a translation is made from, or None when it cannot be said."""
    version = source.versions.get(group)
    if complete:
        return version
    if previous is not None and group in previous.versions:
        return previous.versions[group]
    return None


def _status(translations: Translations) -> str:
    return status_for(entry.review for entry in translations.used.values())


# YAML output ---------------------------------------------------------------------


class _Flow(list[str]):
    """A list written on one line: [a, b, c]."""


class _Dumper(yaml.SafeDumper):
    pass


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    if "\n" in text:
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", text)


def _represent_flow(dumper: yaml.SafeDumper, words: _Flow) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", list(words), flow_style=True)


_Dumper.add_representer(str, _represent_text)
_Dumper.add_representer(_Flow, _represent_flow)


def _yaml(data: dict[str, Any]) -> str:
    text = yaml.dump(
        data,
        Dumper=_IndentedDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=10**9,
        indent=2,
    )
    return str(text)


class _IndentedDumper(_Dumper):
    """Block lists indented under their key, as the pack's files are written."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _leading_comments(path: Path | None) -> str:
    if path is None or not path.is_file():
        return ""
    lines = []
    for line in read_text(path).split("\n"):
        if not line.startswith("#"):
            break
        lines.append(line)
    return "".join(f"{line}\n" for line in lines)


def _words(text: str) -> _Flow:
    return _Flow(word.strip() for word in text.split(LIST_SEPARATOR.strip()) if word.strip())


# Modules -------------------------------------------------------------------------

Writer = Callable[
    [ContentItem, Document, Translations, Document | None, str], tuple[str | None, str]
]


def _module(
    item: ContentItem,
    source: Document,
    translations: Translations,
    previous: Document | None,
    locale: str,
) -> tuple[str | None, str]:
    split = split_front_matter(read_text(item.source))
    body = render_markdown(split.body, "body", translations.get_or)
    title = translations.get_or("title", source.segments["title"].text)
    key_message = translations.get_or("key_message", source.segments["key_message"].text)
    translation_of = _translation_of(source, previous, translations.complete())
    if translation_of is None:
        return None, _incomplete(translations)
    header = {
        "id": item.id,
        "status": _status(translations),
        "translation_of": translation_of,
        "title": title,
        "key_message": key_message,
    }
    return f"---\n{_yaml(header)}---\n{body}", ""


def _incomplete(translations: Translations) -> str:
    missing = len(translations.keys - set(translations.found))
    fuzzy = sum(1 for entry in translations.found.values() if entry.fuzzy)
    return (
        f"not written: {missing} segment(s) untranslated and {fuzzy} fuzzy, and there is no "
        "earlier translation to keep (a new translation is written when it is complete)"
    )


# Decision aids -------------------------------------------------------------------


def _text(node: YNode | None) -> str | None:
    if isinstance(node, YScalar) and isinstance(node.value, str) and node.value.strip():
        return node.value.strip()
    return None


def _get(node: YNode | None, key: str) -> YNode | None:
    if isinstance(node, YMap) and key in node.entries:
        return node.entries[key][1]
    return None


def _listed(node: YNode | None, key: str) -> list[YMap]:
    value = _get(node, key)
    if not isinstance(value, YSeq):
        return []
    return [entry for entry in value.items if isinstance(entry, YMap)]


def _aid(
    item: ContentItem,
    source: Document,
    translations: Translations,
    previous: Document | None,
    locale: str,
) -> tuple[str | None, str]:
    root = parse_yaml(read_text(item.source))
    t = translations

    def required(node: YNode | None, name: str, key: str) -> str | None:
        text = _text(_get(node, name))
        return None if text is None else t.get_or(key, text)

    def markdown(node: YNode | None, name: str, key: str) -> str | None:
        text = _text(_get(node, name))
        if text is None:
            return None
        return render_markdown(text, key, t.get_or).strip() + "\n"

    out: dict[str, Any] = {"id": item.id, "translation_of": 0, "status": ""}
    for name in ("title", "question"):
        out[name] = required(root, name, name)
    out["summary"] = markdown(root, "summary", "summary")
    disclosure = _get(root, "disclosure")
    if any(f"disclosure.{name}" in t.found for name in DISCLOSURE_FIELDS):
        out["disclosure"] = {
            name: required(disclosure, name, f"disclosure.{name}")
            for name in DISCLOSURE_FIELDS
            if _text(_get(disclosure, name))
        }
    out["attributes"] = [
        {"id": ident, "question": required(entry, "question", f"attributes.{ident}.question")}
        for entry in _listed(root, "attributes")
        if (ident := _text(_get(entry, "id")))
    ]
    out["options"] = [_option(entry, t, required, markdown) for entry in _listed(root, "options")]
    out["outcomes"] = [_outcome(entry, t, required) for entry in _listed(root, "outcomes")]
    out["values"] = [_value(entry, t, required) for entry in _listed(root, "values")]
    if _text(_get(root, "no_action_reason")) and t.get("no_action_reason") is not None:
        out["no_action_reason"] = t.get("no_action_reason")
    translation_of = _translation_of(source, previous, t.complete())
    if translation_of is None:
        return None, _incomplete(t)
    out["translation_of"] = translation_of
    out["status"] = _status(t)
    return _leading_comments(previous.path if previous else None) + _yaml(_drop_none(out)), ""


def _option(
    entry: YMap,
    t: Translations,
    required: Callable[[YNode | None, str, str], str | None],
    markdown: Callable[[YNode | None, str, str], str | None],
) -> dict[str, Any]:
    ident = _text(_get(entry, "id")) or ""
    key = f"options.{ident}"
    option: dict[str, Any] = {"id": ident, "title": required(entry, "title", f"{key}.title")}
    if _get(entry, "no_action") is not None and isinstance(_get(entry, "no_action"), YScalar):
        no_action = _get(entry, "no_action")
        if isinstance(no_action, YScalar) and no_action.value is True:
            option["no_action"] = True
    option["description"] = markdown(entry, "description", f"{key}.description")
    answers = _get(entry, "answers")
    if isinstance(answers, YMap):
        found = {
            name: text
            for name in answers.entries
            if (text := t.get(f"{key}.answers.{name}")) is not None
        }
        if found:
            option["answers"] = found
    for name in ("benefits", "harms"):
        items = _get(entry, name)
        if not isinstance(items, YSeq):
            continue
        texts = [_text(value) or "" for value in items.items]
        keys = [f"{key}.{name}.{position}" for position in range(len(texts))]
        if any(k in t.found for k in keys):
            option[name] = [t.get_or(k, text) for k, text in zip(keys, texts, strict=True)]
    return option


def _outcome(
    entry: YMap, t: Translations, required: Callable[[YNode | None, str, str], str | None]
) -> dict[str, Any]:
    ident = _text(_get(entry, "id")) or ""
    key = f"outcomes.{ident}"
    outcome: dict[str, Any] = {
        "id": ident,
        "label": required(entry, "label", f"{key}.label"),
        "population": required(entry, "population", f"{key}.population"),
    }
    per_option = _get(entry, "per_option")
    figures: dict[str, Any] = {}
    for option_id, (_line, figure) in (
        per_option.entries if isinstance(per_option, YMap) else {}
    ).items():
        words: dict[str, str] = {}
        for name in ("time_frame", "missing_reason", "certainty_reason"):
            text = _text(_get(figure, name))
            if text is None:
                continue
            found = t.get(f"{key}.per_option.{option_id}.{name}")
            if found is not None:
                words[name] = found
            elif name == "time_frame":
                words[name] = text
        figures[option_id] = words
    outcome["per_option"] = figures
    return outcome


def _value(
    entry: YMap, t: Translations, required: Callable[[YNode | None, str, str], str | None]
) -> dict[str, Any]:
    ident = _text(_get(entry, "id")) or ""
    key = f"values.{ident}"
    value: dict[str, Any] = {
        "id": ident,
        "statement": required(entry, "statement", f"{key}.statement"),
    }
    relates = _get(entry, "relates_to")
    if isinstance(relates, YMap):
        value["relates_to"] = {
            name: required(relates, name, f"{key}.relates_to.{name}") for name in relates.entries
        }
    return value


def _drop_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, _Flow):
        return value
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value


# Glossary ------------------------------------------------------------------------


def _glossary(
    item: ContentItem,
    source: Document,
    translations: Translations,
    previous: Document | None,
    locale: str,
) -> tuple[str | None, str]:
    root = parse_yaml(read_text(item.source))
    old_root = parse_yaml(read_text(previous.path)) if previous else None
    old_aliases = {
        ident: words
        for entry in _listed(old_root, "terms")
        if (ident := _text(_get(entry, "id")))
        and isinstance(_get(entry, "aliases"), YSeq)
        and (words := [w for v in _get(entry, "aliases").items if (w := _text(v))])  # type: ignore[union-attr]
    }
    terms: list[dict[str, Any]] = []
    left_out = 0
    for entry in _listed(root, "terms"):
        ident = _text(_get(entry, "id"))
        if not ident:
            continue
        key = f"terms.{ident}"
        keys = {k for k in translations.keys if k.startswith(f"{key}.")}
        term = translations.get(f"{key}.term")
        definition = translations.get(f"{key}.definition")
        complete = translations.complete(keys)
        version = _translation_of(source, previous, complete, ident)
        if term is None or definition is None or version is None:
            left_out += 1
            continue
        written: dict[str, Any] = {"id": ident, "translation_of": version, "term": term}
        aliases = translations.get(f"{key}.aliases")
        if aliases is not None:
            written["aliases"] = _words(aliases)
        elif ident in old_aliases:
            written["aliases"] = _Flow(old_aliases[ident])
        written["definition"] = definition
        terms.append(written)
    if not terms:
        return None, f"not written: none of the {left_out} terms is complete"
    header = {"locale": locale, "status": _status(translations), "terms": terms}
    return _leading_comments(previous.path if previous else None) + _yaml(header), ""


# Knowledge -----------------------------------------------------------------------


def _knowledge(
    item: ContentItem,
    source: Document,
    translations: Translations,
    previous: Document | None,
    locale: str,
) -> tuple[str | None, str]:
    old = previous.segments if previous else {}
    texts: dict[str, str] = {}
    lists: dict[str, dict[str, _Flow]] = {"tumour_terms": {}, "drugs": {}}
    negative: _Flow | None = None
    for key, segment in source.segments.items():
        if segment.form != "list":
            found = translations.get(key)
            if found is not None:
                texts[key.removeprefix("texts.")] = found
            continue
        words = translations.get(key)
        if words is None and key in old:
            words = old[key].text
        if words is None:
            continue
        if key == "negative_results":
            negative = _words(words)
        else:
            section, _, name = key.partition(".")
            lists[section][name] = _words(words)
    translation_of = _translation_of(source, previous, translations.complete())
    if translation_of is None:
        return None, _incomplete(translations)
    out: dict[str, Any] = {
        "status": _status(translations),
        "translation_of": translation_of,
        "texts": texts,
    }
    if lists["tumour_terms"]:
        out["tumour_terms"] = lists["tumour_terms"]
    if negative:
        out["negative_results"] = negative
    if lists["drugs"]:
        out["drugs"] = lists["drugs"]
    return _leading_comments(previous.path if previous else None) + _yaml(out), ""


_WRITERS: dict[str, Writer] = {
    "modules": _module,
    "decision-aids": _aid,
    "glossary": _glossary,
    "knowledge": _knowledge,
}
