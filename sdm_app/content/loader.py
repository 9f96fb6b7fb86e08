"""Reads one pack folder into PackContent, logging what cannot be read.

Only the checks that need a single file live here (syntax, field kinds, required
fields, language codes); rules that compare files are in ``validate``.
"""

from __future__ import annotations

import re
from pathlib import Path

from sdm_app.content.fields import ID_PATTERN, Fields, expect_mapping
from sdm_app.content.files import MissingHeader, UnreadableFile, read_text, split_front_matter
from sdm_app.content.locales import locale_error
from sdm_app.content.model import (
    ChangeDoc,
    GlossaryDoc,
    LocatedText,
    ModuleDoc,
    PackContent,
    PackDoc,
    ReviewDoc,
    SourceDoc,
    TermDoc,
    TopicDoc,
)
from sdm_app.content.problems import (
    ENCODING,
    INVALID_LOCALE,
    REQUIRED_FIELD,
    SCHEMA,
    UNSAFE_LINK,
    YAML_SYNTAX,
    Problem,
    ProblemLog,
)
from sdm_app.content.yamlnodes import YamlError, YNode, parse_yaml
from sdm_app.core.library import AUDIENCES, REVIEW_STATUSES, TRANSLATION_STATUSES

_MODULE_NAME = re.compile(r"(?P<id>[^.]+)\.(?P<locale>[^.]+)\.md")
_TRANSLATED_STATUSES = tuple(s for s in TRANSLATION_STATUSES if s != "source")


def is_hidden(path: Path) -> bool:
    return path.name.startswith((".", "~")) or path.name.endswith("~")


class PackLoader:
    def __init__(self, folder: Path, display: Path, problems: list[Problem]) -> None:
        self.folder = folder
        self.display = display  # the folder as the author named it, for messages
        self.problems = problems

    def show(self, path: Path) -> str:
        return str(self.display / path.relative_to(self.folder))

    def _read_yaml(self, path: Path, log: ProblemLog) -> tuple[bool, YNode | None]:
        """``(readable, document)``; the document is None when the file is empty."""
        try:
            text = read_text(path)
        except UnreadableFile as error:
            log.error(1, ENCODING, str(error))
            return False, None
        except OSError as error:
            log.error(1, ENCODING, f"cannot read the file ({error.strerror})")
            return False, None
        try:
            return True, parse_yaml(text)
        except YamlError as error:
            log.error(error.line, YAML_SYNTAX, error.message)
            return False, None

    def load(self) -> PackContent:
        content = PackContent(self.load_pack())
        content.topics, content.topics_file = self.load_topics(content.pack)
        glossary_dir = self.folder / "glossary"
        if glossary_dir.is_dir():
            for path in sorted(glossary_dir.iterdir()):
                if path.is_file() and not is_hidden(path):
                    glossary = self.load_glossary(path, content.pack)
                    if glossary is not None:
                        content.glossaries.append(glossary)
        modules_dir = self.folder / "modules"
        if modules_dir.is_dir():
            for path in sorted(modules_dir.rglob("*")):
                if path.is_file() and not is_hidden(path):
                    module = self.load_module(path, content.pack)
                    if module is not None:
                        content.modules.append(module)
        from sdm_app.content.aidloader import AidLoader  # it builds on this class
        from sdm_app.content.knowledgefile import KnowledgeLoader

        AidLoader(self).load_into(content)
        KnowledgeLoader(self).load_into(content)
        return content

    # pack.yaml ---------------------------------------------------------------

    def load_pack(self) -> PackDoc:
        path = self.folder / "pack.yaml"
        pack = PackDoc(self.folder, self.show(path))
        log = ProblemLog(pack.file, self.problems)
        readable, document = self._read_yaml(path, log)
        if not readable:
            return pack
        node = expect_mapping(document, log, 1, "pack.yaml")
        if node is None:
            return pack
        fields = Fields(node, log, "pack.yaml")
        pack.id = fields.identifier("id")
        pack.id_line = fields.line_of("id")
        pack.name = fields.text("name")
        pack.version = fields.text("version")
        pack.publisher = fields.text("publisher", required=False)
        pack.reading_grade_max = fields.number("reading_grade_max", required=False)
        pack.reading_grade_max_line = fields.line_of("reading_grade_max")
        pack.sentence_words_max = fields.number("sentence_words_max", required=False)
        pack.sentence_words_max_line = fields.line_of("sentence_words_max")
        pack.source_locale = fields.text("source_locale")
        pack.source_locale_line = fields.line_of("source_locale")
        codes = fields.text_list("locales") or []
        for code, line in codes:
            problem = locale_error(code)
            if problem:
                log.error(line, INVALID_LOCALE, problem)
            elif code in pack.locale_lines:
                log.error(line, SCHEMA, f"'{code}' is listed twice in 'locales'")
            else:
                pack.locale_lines[code] = line
        pack.locales = tuple(pack.locale_lines)
        if pack.source_locale is not None:
            problem = locale_error(pack.source_locale)
            if problem:
                log.error(pack.source_locale_line, INVALID_LOCALE, problem)
                pack.source_locale = None
            elif codes and pack.source_locale not in pack.locale_lines:
                log.error(
                    pack.source_locale_line,
                    INVALID_LOCALE,
                    f"the source language '{pack.source_locale}' is not listed in 'locales'",
                )
        fields.finish()
        return pack

    def check_locale(self, code: str, pack: PackDoc, log: ProblemLog, line: int) -> bool:
        problem = locale_error(code)
        if problem is None and pack.locales and code not in pack.locales:
            problem = f"'{code}' is not listed in the 'locales' of pack.yaml"
        if problem:
            log.error(line, INVALID_LOCALE, problem)
            return False
        return True

    # topics.yaml -------------------------------------------------------------

    def load_topics(self, pack: PackDoc) -> tuple[list[TopicDoc], str | None]:
        path = self.folder / "topics.yaml"
        if not path.is_file():
            log = ProblemLog(self.show(self.folder / "pack.yaml"), self.problems)
            log.error(1, REQUIRED_FIELD, "the pack has no topics.yaml")
            return [], None
        file = self.show(path)
        log = ProblemLog(file, self.problems)
        readable, document = self._read_yaml(path, log)
        if not readable:
            return [], file
        node = expect_mapping(document, log, 1, "topics.yaml")
        if node is None:
            return [], file
        fields = Fields(node, log, "topics.yaml")
        sequence = fields.sequence("topics")
        fields.finish()
        topics: list[TopicDoc] = []
        for position, item in enumerate(sequence.items if sequence else ()):
            entry = expect_mapping(item, log, item.line, f"topic {position + 1}")
            if entry is None:
                continue
            topic_fields = Fields(entry, log, f"topic {position + 1}")
            topic_id = topic_fields.identifier("id")
            titles_node = topic_fields.mapping("title")
            topic_fields.finish()
            titles: dict[str, str] = {}
            if titles_node is not None:
                title_fields = Fields(titles_node, log, f"the title of topic '{topic_id}'")
                for code in titles_node.entries:
                    line = title_fields.line_of(code)
                    text = title_fields.text(code)
                    if text is not None and self.check_locale(code, pack, log, line):
                        titles[code] = text
            if topic_id is not None:
                topics.append(TopicDoc(topic_id, entry.line, titles))
        return topics, file

    # glossary/<locale>.yaml --------------------------------------------------

    def load_glossary(self, path: Path, pack: PackDoc) -> GlossaryDoc | None:
        file = self.show(path)
        log = ProblemLog(file, self.problems)
        if path.suffix != ".yaml":
            log.error(1, SCHEMA, "a glossary file must be named <language code>.yaml")
            return None
        code = path.stem
        if not self.check_locale(code, pack, log, 1):
            return None
        glossary = GlossaryDoc(file, code, is_source=code == pack.source_locale)
        readable, document = self._read_yaml(path, log)
        if not readable:
            return glossary
        node = expect_mapping(document, log, 1, "the glossary")
        if node is None:
            return glossary
        fields = Fields(node, log, "the glossary")
        declared = fields.text("locale")
        if declared is not None and declared != code:
            log.error(
                fields.line_of("locale"),
                SCHEMA,
                f"'locale: {declared}' does not match the file name ({code}.yaml)",
            )
        glossary.status = self._status(fields, glossary.is_source, log)
        terms = fields.sequence("terms")
        fields.finish()
        for position, item in enumerate(terms.items if terms else ()):
            entry = expect_mapping(item, log, item.line, f"term {position + 1}")
            if entry is None:
                continue
            term = self._term(Fields(entry, log, f"term {position + 1}"), glossary.is_source)
            if term is not None:
                glossary.terms.append(term)
        return glossary

    def _term(self, fields: Fields, is_source: bool) -> TermDoc | None:
        term_id = fields.identifier("id")
        version = fields.integer("version") if is_source else None
        translation_of = None if is_source else fields.integer("translation_of")
        term = fields.text("term")
        aliases = tuple(text for text, _line in fields.text_list("aliases", required=False) or ())
        definition = fields.text_node("definition")
        fields.finish()
        if term_id is None:
            return None
        return TermDoc(
            term_id,
            fields.node.line,
            version,
            translation_of,
            term,
            aliases,
            LocatedText(*definition) if definition else None,
        )

    def _status(self, fields: Fields, is_source: bool, log: ProblemLog) -> str | None:
        status = fields.text("status")
        if status is None:
            return None
        allowed = ("source",) if is_source else _TRANSLATED_STATUSES
        if status not in allowed:
            where = "the source language" if is_source else "a translation"
            log.error(
                fields.line_of("status"),
                SCHEMA,
                f"status '{status}' is not allowed in {where}; use one of: {', '.join(allowed)}",
            )
            return None
        return status

    # modules/<id>.<locale>.md ------------------------------------------------

    def load_module(self, path: Path, pack: PackDoc) -> ModuleDoc | None:
        file = self.show(path)
        log = ProblemLog(file, self.problems)
        match = _MODULE_NAME.fullmatch(path.name)
        if match is None:
            if path.suffix == ".md":
                log.error(1, SCHEMA, "a module file must be named <module id>.<language code>.md")
            return None
        module_id, code = match["id"], match["locale"]
        if not ID_PATTERN.fullmatch(module_id):
            log.error(
                1,
                SCHEMA,
                f"'{module_id}' is not a valid module id (use letters, digits and dashes)",
            )
            return None
        if not self.check_locale(code, pack, log, 1):
            return None
        module = ModuleDoc(file, module_id, code, is_source=code == pack.source_locale)
        try:
            text = read_text(path)
        except UnreadableFile as error:
            log.error(1, ENCODING, str(error))
            module.readable = False
            return module
        except OSError as error:
            log.error(1, ENCODING, f"cannot read the file ({error.strerror})")
            module.readable = False
            return module
        try:
            split = split_front_matter(text)
        except MissingHeader as error:
            log.error(error.line, YAML_SYNTAX, error.message)
            module.readable = False
            return module
        module.body, module.body_line = split.body, split.body_line
        try:
            document = parse_yaml(split.header, split.header_line)
        except YamlError as error:
            log.error(error.line, YAML_SYNTAX, error.message)
            module.readable = False
            return module
        node = expect_mapping(document, log, 1, "the header")
        if node is None:
            module.readable = False
            return module
        self._module_header(module, Fields(node, log, "the header"), log)
        return module

    def _module_header(self, module: ModuleDoc, fields: Fields, log: ProblemLog) -> None:
        declared = fields.text("id")
        if declared is not None and declared != module.id:
            log.error(
                fields.line_of("id"),
                SCHEMA,
                f"'id: {declared}' does not match the file name ({module.id}.{module.locale}.md)",
            )
        module.status = self._status(fields, module.is_source, log)
        title = fields.text_node("title")
        module.title = LocatedText(*title) if title else None
        key_message = fields.text_node("key_message")
        module.key_message = LocatedText(*key_message) if key_message else None
        if not module.is_source:
            module.translation_of = fields.integer("translation_of")
            module.translation_of_line = fields.line_of("translation_of")
            fields.finish()
            return
        module.version = fields.integer("version")
        module.topic = fields.identifier("topic")
        module.topic_line = fields.line_of("topic")
        audience: list[str] = []
        for value, line in fields.text_list("audience") or ():
            if value in AUDIENCES:
                audience.append(value)
            else:
                log.error(
                    line, SCHEMA, f"unknown audience '{value}'; use any of: {', '.join(AUDIENCES)}"
                )
        module.audience = tuple(audience)
        review = fields.mapping("review")
        if review is not None:
            module.review = self._review(Fields(review, log, "'review'"), log)
        sources = fields.sequence("sources")
        for position, item in enumerate(sources.items if sources else ()):
            entry = expect_mapping(item, log, item.line, f"source {position + 1}")
            if entry is not None:
                source = self._source(Fields(entry, log, f"source {position + 1}"), log)
                if source is not None:
                    module.sources.append(source)
        module.changelog = self._changelog(fields, log)
        module.changelog_line = fields.line_of("changelog")
        fields.finish()

    def _changelog(self, fields: Fields, log: ProblemLog) -> list[ChangeDoc]:
        """The optional ``changelog``: what changed in each version, for readers and
        translators (a translation follows its source's)."""
        entries = fields.sequence("changelog", required=False)
        changes: list[ChangeDoc] = []
        for position, item in enumerate(entries.items if entries else ()):
            entry = expect_mapping(item, log, item.line, f"changelog entry {position + 1}")
            if entry is None:
                continue
            entry_fields = Fields(entry, log, f"changelog entry {position + 1}")
            version = entry_fields.integer("version")
            day = entry_fields.day("date")
            text = entry_fields.text("change")
            entry_fields.finish()
            changes.append(ChangeDoc(entry.line, version, day, text))
        return changes

    def _review(self, fields: Fields, log: ProblemLog) -> ReviewDoc:
        reviewed_on = fields.day("reviewed_on")
        reviewer = fields.text("reviewer")
        next_review = fields.day("next_review")
        status = fields.text("status")
        if status is not None and status not in REVIEW_STATUSES:
            log.error(
                fields.line_of("status"),
                SCHEMA,
                f"review status '{status}' must be one of: {', '.join(REVIEW_STATUSES)}",
            )
            status = None
        fields.finish()
        return ReviewDoc(reviewed_on, reviewer, next_review, fields.line_of("next_review"), status)

    def _source(self, fields: Fields, log: ProblemLog) -> SourceDoc | None:
        source_id = fields.identifier("id")
        citation = fields.text("citation")
        day = fields.day("date")
        doi = fields.text("doi", required=False)
        pmid = fields.text("pmid", required=False)
        url = fields.text("url", required=False)
        fields.finish()
        if doi is not None and not re.fullmatch(r"10\.\d{4,9}/\S+", doi):
            log.error(fields.line_of("doi"), SCHEMA, f"'{doi}' is not a DOI (it starts with 10.)")
            doi = None
        if pmid is not None and not re.fullmatch(r"[0-9]{1,9}", pmid):
            log.error(fields.line_of("pmid"), SCHEMA, f"'{pmid}' is not a PubMed id (digits)")
            pmid = None
        if url is not None and not re.fullmatch(r"https://[^\s/]+\S*", url):
            log.error(
                fields.line_of("url"), UNSAFE_LINK, f"the address '{url}' must start with https://"
            )
            url = None
        if not (doi or pmid or url) and not any(
            key in fields.node.entries for key in ("doi", "pmid", "url")
        ):
            log.error(
                fields.node.line, REQUIRED_FIELD, "a source needs a 'doi', a 'pmid' or a 'url'"
            )
        if source_id is None:
            return None
        return SourceDoc(source_id, fields.node.line, citation, day, doi, pmid, url)
