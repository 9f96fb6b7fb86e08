"""The content check: every rule of content/README.md, reported with file and line.

``check_content`` also returns what it read, so the build compiles exactly what
was checked. Nothing here raises on bad input: every surprise becomes a Problem.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from sdm_app.content.changelog import check_changelog
from sdm_app.content.loader import PackLoader, is_hidden
from sdm_app.content.markdown import (
    BodyFacts,
    complexity_problems,
    is_allowed_link,
    link_scheme,
    module_size_problem,
    parse,
    scan_tokens,
)
from sdm_app.content.model import GlossaryDoc, LocatedText, ModuleDoc, PackContent, TermDoc
from sdm_app.content.numbers import find_numbers
from sdm_app.content.problems import (
    DUPLICATE_ID,
    NUMBER_MISMATCH,
    NUMBER_WITHOUT_SOURCE,
    ORPHAN_TRANSLATION,
    REQUIRED_FIELD,
    REVIEW_OVERDUE,
    SCHEMA,
    STALE_TRANSLATION,
    TOO_COMPLEX,
    UNKNOWN_GLOSSARY_TERM,
    UNKNOWN_MODULE_LINK,
    UNKNOWN_SOURCE,
    UNKNOWN_TOPIC,
    UNSAFE_LINK,
    Problem,
    ProblemLog,
    format_problem,
    sort_key,
    unique_ids,
)

__all__ = ["CheckedContent", "Problem", "check_content", "format_problem", "validate_path"]


@dataclass(slots=True)
class CheckedContent:
    packs: list[PackContent]
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.is_error]


def validate_path(path: Path, today: date | None = None) -> list[Problem]:
    """Check the packs under ``path`` (content/ or one pack folder); sorted problems."""
    return check_content(path, today).problems


def check_content(
    path: Path,
    today: date | None = None,
    *,
    render: bool = False,
    folders: Sequence[Path] | None = None,
    reading: bool = True,
) -> CheckedContent:
    """Read and check the packs under ``path``; with ``render``, also render each
    module body to HTML from the same parse (the build needs both).

    ``folders``, when given, are the pack folders to check together instead of
    those found under ``path`` (the build adds installed packs this way).
    Without ``reading``, reading grades are not measured: they are for authors, and
    the app building its content at start neither needs nor loads the libraries.
    """
    problems: list[Problem] = []
    packs: list[PackContent] = []
    try:
        for folder in find_packs(path, problems) if folders is None else folders:
            packs.append(PackLoader(folder, folder, problems).load())
        _Checker(packs, problems, today or date.today(), render, reading).run()
    except Exception as error:  # a bug in the check must not hide the other problems
        problems.append(Problem(str(path), 1, SCHEMA, f"the check failed unexpectedly: {error!r}"))
    unique = sorted(set(problems), key=sort_key)
    return CheckedContent(packs, unique)


def find_packs(path: Path, problems: list[Problem]) -> list[Path]:
    """The pack folders: ``path`` itself when it holds pack.yaml, else those under it."""
    if path.is_file() and path.name == "pack.yaml":
        return [path.parent]
    if not path.is_dir():
        problems.append(Problem(str(path), 1, REQUIRED_FIELD, "no such content folder"))
        return []
    if (path / "pack.yaml").is_file():
        return [path]
    found: list[Path] = []
    for pack_file in sorted(path.rglob("pack.yaml")):
        folder = pack_file.parent
        relative = folder.relative_to(path).parts
        if any(is_hidden(Path(part)) for part in relative):
            continue
        if any(folder.is_relative_to(other) for other in found):
            continue  # a pack inside a pack is part of the outer pack's files
        found.append(folder)
    if not found:
        problems.append(Problem(str(path), 1, REQUIRED_FIELD, "no pack.yaml found in this folder"))
    return found


@lru_cache(maxsize=64)
def _language_name(code: str) -> str:
    from babel import Locale

    try:
        return str(Locale.parse(code, sep="_").get_display_name("en"))
    except Exception:
        return code


class _Checker:
    def __init__(
        self,
        packs: list[PackContent],
        problems: list[Problem],
        today: date,
        render: bool,
        reading: bool = True,
    ) -> None:
        self.render = render
        self.reading = reading
        self.packs = packs
        self.problems = problems
        self.today = today
        self.module_ids: set[str] = set()
        self.topic_ids: set[str] = set()
        self.term_ids: set[str] = set()

    def log(self, file: str) -> ProblemLog:
        return ProblemLog(file, self.problems)

    def run(self) -> None:
        self._check_pack_ids()
        for content in self.packs:
            self._check_topics(content)
        self._collect_module_ids()
        for content in self.packs:
            self._check_glossaries(content)
        for content in self.packs:
            self._check_modules(content)
        from sdm_app.content.aidcheck import AidChecker
        from sdm_app.content.knowledgefile import check_knowledge

        aids = AidChecker(self)
        aids.collect_ids(self.packs)
        for content in self.packs:
            aids.check_pack(content)
            if self.reading:
                from sdm_app.content.plain import check_plain_language

                check_plain_language(content, self.problems)
        check_knowledge(self.packs, self.module_ids, self.problems, self.today, _language_name)

    def _check_pack_ids(self) -> None:
        seen: dict[str, str] = {}
        for content in self.packs:
            pack = content.pack
            if pack.id is None:
                continue
            if pack.id in seen:
                self.log(pack.file).error(
                    pack.id_line,
                    DUPLICATE_ID,
                    f"pack id '{pack.id}' is also used by {seen[pack.id]}",
                )
            else:
                seen[pack.id] = pack.file

    def _check_topics(self, content: PackContent) -> None:
        if content.topics_file is None:
            return
        log = self.log(content.topics_file)
        pack = content.pack
        for topic in content.topics:
            if topic.id in self.topic_ids:
                log.error(topic.line, DUPLICATE_ID, f"topic id '{topic.id}' is used twice")
                continue
            self.topic_ids.add(topic.id)
            if pack.source_locale and pack.source_locale not in topic.titles:
                log.error(
                    topic.line,
                    REQUIRED_FIELD,
                    f"topic '{topic.id}' has no title in the source language "
                    f"({pack.source_locale})",
                )
            missing = [code for code in pack.locales if code not in topic.titles]
            if missing and pack.source_locale in topic.titles:
                log.warning(
                    topic.line,
                    REQUIRED_FIELD,
                    f"topic '{topic.id}' has no title in: {', '.join(missing)}",
                )

    def _collect_module_ids(self) -> None:
        sources = (
            (module.id, module.file)
            for content in self.packs
            for module in content.modules
            if module.is_source
        )
        self.module_ids = unique_ids(sources, "module", self.log)

    # glossary ------------------------------------------------------------------

    def _check_glossaries(self, content: PackContent) -> None:
        source = next((g for g in content.glossaries if g.is_source), None)
        source_terms: dict[str, TermDoc] = {}
        if source is not None:
            log = self.log(source.file)
            for term in source.terms:
                if term.id in self.term_ids:
                    log.error(term.line, DUPLICATE_ID, f"term id '{term.id}' is used twice")
                    continue
                self.term_ids.add(term.id)
                source_terms[term.id] = term
                self._definition_numbers(term, log)
        for glossary in content.glossaries:
            if glossary is not source:
                self._check_translated_glossary(glossary, source, source_terms)

    def _definition_numbers(self, term: TermDoc, log: ProblemLog) -> None:
        if term.definition is None:
            return
        numbers = find_numbers(term.definition.text)
        if numbers:
            log.error(
                term.definition.line,
                NUMBER_WITHOUT_SOURCE,
                f"the definition of '{term.id}' has a number ({numbers[0][1]}); "
                "glossary definitions cannot cite sources, so write it without figures",
            )

    def _check_translated_glossary(
        self, glossary: GlossaryDoc, source: GlossaryDoc | None, source_terms: dict[str, TermDoc]
    ) -> None:
        log = self.log(glossary.file)
        if source is None:
            log.error(1, ORPHAN_TRANSLATION, "this pack has no glossary in its source language")
            return
        seen: set[str] = set()
        for term in glossary.terms:
            if term.id in seen:
                log.error(term.line, DUPLICATE_ID, f"term id '{term.id}' is used twice")
                continue
            seen.add(term.id)
            original = source_terms.get(term.id)
            if original is None:
                log.error(
                    term.line,
                    ORPHAN_TRANSLATION,
                    f"term '{term.id}' is not in the source glossary ({Path(source.file).name})",
                )
                continue
            self._check_versions(
                log, term.line, term.translation_of, original.version, source.locale
            )
            if term.definition is not None and original.definition is not None:
                self._compare_numbers(
                    log,
                    [(n, term.definition.line) for _o, n in find_numbers(term.definition.text)],
                    [(n, 0) for _o, n in find_numbers(original.definition.text)],
                    term.definition.line,
                    source.locale,
                )

    def _check_versions(
        self,
        log: ProblemLog,
        line: int,
        translation_of: int | None,
        version: int | None,
        source_locale: str,
    ) -> None:
        if translation_of is None or version is None:
            return
        language = _language_name(source_locale)
        if translation_of < version:
            # A warning: the translation still ships, with a notice, so that one
            # edit to a source text does not hold back the whole content update.
            log.warning(
                line,
                STALE_TRANSLATION,
                f"translated from version {translation_of}, "
                f"the {language} text is now version {version}",
            )
        elif translation_of > version:
            log.error(
                line,
                SCHEMA,
                f"translation_of is {translation_of} but the {language} text "
                f"is only at version {version}",
            )

    def _compare_numbers(
        self,
        log: ProblemLog,
        translated: list[tuple[str, int]],
        original: list[tuple[str, int]],
        fallback_line: int,
        source_locale: str,
    ) -> None:
        have = Counter(number for number, _line in translated)
        want = Counter(number for number, _line in original)
        if have == want:
            return
        missing = sorted((want - have).elements(), key=_numeric)
        extra = sorted((have - want).elements(), key=_numeric)
        extra_set = set(extra)
        line = next((at for number, at in translated if number in extra_set), fallback_line)
        parts = []
        if missing:
            parts.append(f"missing {', '.join(missing)}")
        if extra:
            parts.append(f"not in the source: {', '.join(extra)}")
        log.error(
            line,
            NUMBER_MISMATCH,
            f"the numbers differ from the {_language_name(source_locale)} text "
            f"({'; '.join(parts)})",
        )

    # modules -------------------------------------------------------------------

    def _check_modules(self, content: PackContent) -> None:
        pack = content.pack
        sources = {m.id: m for m in content.modules if m.is_source}
        facts: dict[str, BodyFacts] = {}
        for module in sorted(content.modules, key=lambda m: not m.is_source):
            if not module.readable:
                continue
            log = self.log(module.file)
            original = module if module.is_source else sources.get(module.id)
            if original is None:
                source_name = f"{module.id}.{pack.source_locale or '<source>'}.md"
                log.error(1, ORPHAN_TRANSLATION, f"there is no source file {source_name}")
                continue
            if module.is_source:
                self._check_source_header(module, log)
                check_changelog(
                    module.changelog, module.version, module.changelog_line, log, self.today
                )
            else:
                self._check_versions(
                    log,
                    module.translation_of_line,
                    module.translation_of,
                    original.version,
                    pack.source_locale or "",
                )
            too_complex = complexity_problems(module.body, module.body_line)
            for line, message in too_complex:
                log.error(line, TOO_COMPLEX, message)
            too_big = module_size_problem(module.body)
            if too_big is not None:
                # Still parsed (in linear time): its other problems are reported too.
                log.error(module.body_line, TOO_COMPLEX, too_big)
            # Not parsed when too complex: parsing it is what takes too long.
            tokens = parse(module.body) if not too_complex else []
            body = scan_tokens(tokens, module.body_line)
            facts[module.file] = body
            module.reading_blocks = reading_blocks(body)
            if self.render:
                from sdm_app.content.render import render_tokens  # deferred: nh3

                rendered = render_tokens(tokens, [source.id for source in original.sources])
                module.html, module.plain_text = rendered.html, rendered.text
            self._check_body(module, original, body, log)
            if not module.is_source and original.readable and original.file in facts:
                self._compare_numbers(
                    log,
                    _module_numbers(module, body),
                    _module_numbers(original, facts[original.file]),
                    module.body_line,
                    pack.source_locale or "",
                )

    def _check_source_header(self, module: ModuleDoc, log: ProblemLog) -> None:
        if module.topic is not None and module.topic not in self.topic_ids:
            log.error(
                module.topic_line,
                UNKNOWN_TOPIC,
                f"there is no topic '{module.topic}' in topics.yaml",
            )
        seen: set[str] = set()
        for source in module.sources:
            if source.id in seen:
                log.error(source.line, DUPLICATE_ID, f"source id '{source.id}' is used twice")
            seen.add(source.id)
        review = module.review
        if (
            review is not None
            and review.next_review is not None
            and review.next_review < self.today
        ):
            log.warning(
                review.next_review_line,
                REVIEW_OVERDUE,
                f"the review was due on {review.next_review.isoformat()}",
            )

    def _check_body(
        self, module: ModuleDoc, original: ModuleDoc, body: BodyFacts, log: ProblemLog
    ) -> None:
        self.check_facts(body, {source.id for source in original.sources}, log, "module")
        for line in body.images:
            log.error(line, UNSAFE_LINK, "pictures are not allowed in modules")

    def check_facts(
        self, body: BodyFacts, source_ids: set[str], log: ProblemLog, owner: str
    ) -> None:
        """The rules for Markdown text: terms, citations, links and numbers."""
        for term_id, line in body.terms:
            if term_id not in self.term_ids:
                log.error(line, UNKNOWN_GLOSSARY_TERM, f"the glossary has no term '{term_id}'")
        for source_id, line in body.citations:
            if source_id not in source_ids:
                log.error(line, UNKNOWN_SOURCE, f"the {owner} lists no source '{source_id}'")
        for href, line in body.links:
            if not is_allowed_link(href):
                log.error(
                    line,
                    UNSAFE_LINK,
                    f"the link '{href}' is not allowed; use https:// or module: links only",
                )
            elif link_scheme(href) == "module":
                target = href[len("module:") :]
                if target not in self.module_ids:
                    log.error(line, UNKNOWN_MODULE_LINK, f"there is no module '{target}'")
        if owner != "module":
            for line in body.images:
                log.error(line, UNSAFE_LINK, f"pictures are not allowed in a {owner}")
        for block in body.blocks:
            if block.numbers and not block.cites:
                number, line = block.numbers[0]
                log.error(
                    line,
                    NUMBER_WITHOUT_SOURCE,
                    f"this text has a number ({number}) but cites no source; add [@source-id]",
                )


def reading_blocks(body: BodyFacts) -> list[LocatedText]:
    found = [LocatedText(block.reading_text(), block.line) for block in body.blocks]
    return [located for located in found if located.text]


def _module_numbers(module: ModuleDoc, body: BodyFacts) -> list[tuple[str, int]]:
    numbers: list[tuple[str, int]] = []
    for located in (module.title, module.key_message):
        if located is not None:
            numbers.extend((number, located.line) for _offset, number in find_numbers(located.text))
    return numbers + body.numbers()


def _numeric(number: str) -> tuple[int, str]:
    return (len(number), number)
