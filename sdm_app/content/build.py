"""Compiling packs into the read-only content database.

The parsing libraries (PyYAML, markdown-it, nh3) are imported only when a build
really runs; ``freshness.ensure_content_db`` decides when that is.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sdm_app.content.changelog import changelog_json
from sdm_app.content.freshness import content_fingerprint
from sdm_app.content.problems import ContentBuildError, Problem
from sdm_app.core.text import fold, index_words, segment_cjk
from sdm_app.storage.content_schema import (
    BUILDER_VERSION,
    DDL,
    FTS_TABLE,
    INDEXES,
    SCHEMA_VERSION,
    SOURCE_TOKEN,
    locale_token,
)

if TYPE_CHECKING:
    from sdm_app.content.model import ModuleDoc, PackContent
    from sdm_app.content.packstore import InstalledPack, Selection, SkippedPack
    from sdm_app.content.validate import CheckedContent

log = logging.getLogger(__name__)
_REPORTED_PROBLEMS = 5  # content errors quoted for an installed pack that is skipped


@dataclass(frozen=True, slots=True)
class BuildReport:
    path: Path
    fingerprint: str
    packs: int
    topics: int
    modules: int  # distinct module ids
    module_texts: int  # one per module and language
    terms: int  # one per term and language
    warnings: tuple[Problem, ...]
    seconds: float
    decision_aids: int = 0  # distinct decision aid ids
    decision_aid_texts: int = 0  # one per decision aid and language
    support_entries: int = 0  # one per entry and language
    knowledge_rules: int = 0  # rules of the clinical knowledge, all packs
    installed: tuple[str, ...] = ()  # "id version" of each installed pack included
    skipped: tuple[SkippedPack, ...] = ()  # installed packs left out, and why


# The build ----------------------------------------------------------------------


def build_content_db(
    content_root: Path,
    out: Path,
    *,
    fingerprint: str | None = None,
    installed_root: Path | None = None,
    trusted_keys_dir: Path | None = None,
    today: date | None = None,
    reading: bool = True,
) -> BuildReport:
    """Check the packs under ``content_root`` and compile them into ``out``.

    With ``installed_root``, the packs installed there are included when they
    verify against the keys in ``trusted_keys_dir`` and pass the content check;
    the others are left out and listed in the report and the database.

    Without ``reading``, reading grades are not checked (see ``check_content``).

    Raises ContentBuildError (nothing written) when the check finds errors.
    The file appears atomically: a temporary file in the same folder, then a rename.
    """
    from sdm_app.content.validate import check_content  # deferred: parsing libraries

    started = time.perf_counter()
    # Taken before reading, so a change during the build triggers another one.
    fingerprint = fingerprint or content_fingerprint(content_root, installed_root, trusted_keys_dir)
    selection: Selection | None = None
    if installed_root is None:
        checked = check_content(content_root, render=True, reading=reading)
    else:
        checked, selection = _check_with_installed(
            content_root, installed_root, trusted_keys_dir, today, reading
        )
    if checked.errors:
        raise ContentBuildError(checked.problems)
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=".content-", suffix=".db.tmp", dir=out.parent)
    os.close(handle)
    temp_path = Path(temp_name)
    try:
        counts = _write(temp_path, checked.packs, fingerprint, _installed_meta(selection))
        with open(temp_path, "rb") as written:
            os.fsync(written.fileno())  # on disk before the rename makes it current
        os.replace(temp_path, out)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp_path.unlink()
    return BuildReport(
        path=out,
        fingerprint=fingerprint,
        packs=len(checked.packs),
        topics=counts["topics"],
        modules=counts["modules"],
        module_texts=counts["module_texts"],
        terms=counts["terms"],
        warnings=tuple(checked.problems),
        seconds=time.perf_counter() - started,
        decision_aids=counts["decision_aids"],
        decision_aid_texts=counts["decision_aid_texts"],
        support_entries=counts["support_entries"],
        knowledge_rules=counts["knowledge_rules"],
        installed=tuple(f"{p.pack_id} {p.version}" for p in selection.packs) if selection else (),
        skipped=tuple(selection.skipped) if selection else (),
    )


def _check_with_installed(
    content_root: Path,
    installed_root: Path,
    keys_dir: Path | None,
    today: date | None,
    reading: bool,
) -> tuple[CheckedContent, Selection]:
    """Check the bundled packs with the installed packs that verify.

    An installed pack with content errors is left out (and the rest checked
    again), so a bad download never stops the bundled content from loading.
    """
    from sdm_app.content.packstore import Selection, bundled_headers, select_installed
    from sdm_app.content.problems import format_problem
    from sdm_app.content.signing import TrustedKeys, load_trusted_keys
    from sdm_app.content.validate import CheckedContent, check_content, find_packs

    problems: list[Problem] = []
    bundled = find_packs(content_root, problems)
    if problems:
        return CheckedContent([], problems), Selection()
    trusted = load_trusted_keys(keys_dir) if keys_dir is not None else TrustedKeys()
    for problem in trusted.problems:
        log.warning("trusted key ignored: %s", problem)
    selection = select_installed(installed_root, trusted, bundled_headers(bundled), today=today)
    while True:
        replaced = set(selection.replaces.values())
        folders = [folder for folder in bundled if folder not in replaced]
        folders.extend(pack.folder for pack in selection.packs)
        checked = check_content(content_root, render=True, folders=folders, reading=reading)
        failing = False
        for pack in list(selection.packs):
            prefix = str(pack.folder)
            errors = [
                format_problem(problem)
                for problem in checked.errors
                if problem.file == prefix or problem.file.startswith(prefix + os.sep)
            ]
            if not errors:
                continue
            failing = True
            _skip(selection, pack, errors)
        if not failing and selection.packs and checked.errors:
            # The errors are in other packs' files, yet appear only with the installed
            # packs (a replaced pack lacks a module another links to): the installed
            # packs never stop the bundled content from loading, so leave them out.
            outside = [format_problem(problem) for problem in checked.errors]
            for pack in list(selection.packs):
                _skip(selection, pack, outside)
            continue
        if not failing:
            return checked, selection


def _skip(selection: Selection, pack: InstalledPack, errors: list[str]) -> None:
    """Leave ``pack`` out of this build, recording why (the first few errors)."""
    from sdm_app.content.packstore import SkippedPack

    selection.packs.remove(pack)
    selection.replaces.pop(pack.pack_id, None)
    lines = errors[:_REPORTED_PROBLEMS]
    if len(errors) > _REPORTED_PROBLEMS:
        lines.append(f"... (+{len(errors) - _REPORTED_PROBLEMS})")
    skipped = SkippedPack(str(pack.folder), "\n".join(lines))
    log.warning("content pack skipped: %s", skipped.describe())
    selection.skipped.append(skipped)


def _installed_meta(selection: Selection | None) -> dict[str, str]:
    if selection is None:
        return {}
    expiries = [pack.expires for pack in selection.packs if pack.expires is not None]
    return {
        "installed_packs": json.dumps(
            [
                {"id": pack.pack_id, "version": pack.version, "folder": str(pack.folder)}
                for pack in selection.packs
            ],
            ensure_ascii=False,
        ),
        "skipped_packs": json.dumps(
            [{"folder": skipped.folder, "reason": skipped.reason} for skipped in selection.skipped],
            ensure_ascii=False,
        ),
        # The day after which the database must be rebuilt: a pack has expired.
        "valid_until": min(expiries).isoformat() if expiries else "",
    }


def _index_text(text: str) -> str:
    return index_words(segment_cjk(fold(text)))


def _write(
    path: Path, packs: list[PackContent], fingerprint: str, extra_meta: dict[str, str]
) -> dict[str, int]:
    connection = sqlite3.connect(path)
    try:
        # A throw-away file until renamed: no journal needed.
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        connection.executescript(DDL)
        with connection:
            counts = _Writer(connection, packs).write()
            _write_meta(connection, packs, fingerprint, extra_meta)
        connection.executescript(INDEXES)
        connection.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")
        connection.commit()
        connection.execute("VACUUM")
    finally:
        connection.close()
    return counts


def _write_meta(
    connection: sqlite3.Connection,
    packs: list[PackContent],
    fingerprint: str,
    extra_meta: dict[str, str],
) -> None:
    locales: list[str] = []
    for content in packs:
        locales.extend(code for code in content.pack.locales if code not in locales)
    meta = {
        "schema_version": str(SCHEMA_VERSION),
        "builder_version": BUILDER_VERSION,
        "content_fingerprint": fingerprint,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "source_locale": packs[0].pack.source_locale or "" if packs else "",
        "locales": json.dumps(locales),
        **extra_meta,
    }
    connection.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", meta.items())


class _Writer:
    def __init__(self, connection: sqlite3.Connection, packs: list[PackContent]) -> None:
        self.db = connection
        self.packs = packs
        self.all_locales: list[str] = []
        for content in packs:
            self.all_locales.extend(c for c in content.pack.locales if c not in self.all_locales)

    def write(self) -> dict[str, int]:
        from sdm_app.content.aidbuild import AidWriter

        aids = AidWriter(self.db, self.packs)
        counts = {
            "topics": 0,
            "modules": 0,
            "module_texts": 0,
            "terms": 0,
            "decision_aids": 0,
            "decision_aid_texts": 0,
            "support_entries": 0,
            "knowledge_rules": 0,
        }
        topic_position = 0
        for position, content in enumerate(self.packs):
            pack = content.pack
            self.db.execute(
                "INSERT INTO packs VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    pack.id,
                    position,
                    pack.name,
                    pack.version,
                    pack.source_locale,
                    json.dumps(list(pack.locales)),
                    pack.publisher,
                ),
            )
            for topic in content.topics:
                self.db.executemany(
                    "INSERT INTO topics VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        (topic.id, code, pack.id, topic_position, code == pack.source_locale, title)
                        for code, title in topic.titles.items()
                    ],
                )
                topic_position += 1
                counts["topics"] += 1
            counts["terms"] += self._write_glossary(content)
            sources = {module.id: module for module in content.modules if module.is_source}
            translated: dict[str, set[str]] = {}
            for module in content.modules:
                if not module.is_source:
                    translated.setdefault(module.id, set()).add(module.locale)
            module_rows = []
            fts_rows = []
            for module in sorted(content.modules, key=lambda m: (m.id, not m.is_source, m.locale)):
                original = sources[module.id]
                html, text = module.html or "", module.plain_text or ""
                visible = self._visible(module, translated.get(module.id, set()))
                row = self._module_row(content, module, original, html, text)
                module_rows.append(row)
                fts_rows.append(
                    (
                        _index_text(module.title.text if module.title else ""),
                        _index_text(module.key_message.text if module.key_message else ""),
                        _index_text(text),
                        " ".join(visible),
                    )
                )
                if module.is_source:
                    counts["modules"] += 1
                    self._write_sources(module)
            cursor = self.db.execute("SELECT coalesce(max(rowid), 0) FROM modules")
            first_rowid = int(cursor.fetchone()[0]) + 1
            self.db.executemany(
                f"INSERT INTO modules VALUES ({', '.join('?' * 20)})",
                [(first_rowid + i, *row) for i, row in enumerate(module_rows)],
            )
            self.db.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, title, key_message, body, visible) "
                "VALUES (?, ?, ?, ?, ?)",
                [(first_rowid + i, *row) for i, row in enumerate(fts_rows)],
            )
            counts["module_texts"] += len(module_rows)
            counts["knowledge_rules"] += self._write_knowledge(content, position)
            aid_ids, aid_texts, entries = aids.write(content)
            counts["decision_aids"] += aid_ids
            counts["decision_aid_texts"] += aid_texts
            counts["support_entries"] += entries
        return counts

    def _write_knowledge(self, content: PackContent, position: int) -> int:
        """One row per language of the pack; returns the number of rules."""
        from sdm_app.content.knowledgefile import stored_knowledge

        rules = 0
        for code in content.pack.locales:
            stored = stored_knowledge(content, code)
            if stored is None:
                return 0
            rules = sum(
                len(stored[key])
                for key in ("meanings", "levels", "genes", "biomarkers", "contexts")
            )
            self.db.execute(
                "INSERT INTO knowledge VALUES (?, ?, ?, ?)",
                (content.pack.id, position, code, json.dumps(stored, ensure_ascii=False)),
            )
        return rules

    def _visible(self, module: ModuleDoc, translations: set[str]) -> list[str]:
        """The languages in which the library shows this text."""
        if not module.is_source:
            return [locale_token(module.locale)]
        shown_in = [code for code in self.all_locales if code not in translations]
        return [SOURCE_TOKEN, *(locale_token(code) for code in shown_in)]

    def _module_row(
        self, content: PackContent, module: ModuleDoc, original: ModuleDoc, html: str, text: str
    ) -> tuple[object, ...]:
        review = original.review
        # The check guarantees these are present; the fallbacks only satisfy typing.
        assert review is not None and review.reviewed_on and review.next_review
        return (
            module.id,
            module.locale,
            module.is_source,
            content.pack.id,
            content.pack.version,
            original.topic,
            json.dumps(list(original.audience)),
            module.title.text if module.title else module.id,
            module.key_message.text if module.key_message else "",
            html,
            text,
            module.status,
            None if module.is_source else module.translation_of,
            original.version,
            review.reviewed_on.isoformat(),
            review.reviewer,
            review.next_review.isoformat(),
            review.status,
            changelog_json(original.changelog),
        )

    def _write_sources(self, module: ModuleDoc) -> None:
        self.db.executemany(
            "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    module.id,
                    position,
                    source.id,
                    source.citation,
                    source.date.isoformat() if source.date else "",
                    source.doi,
                    source.pmid,
                    source.url,
                )
                for position, source in enumerate(module.sources, start=1)
            ],
        )

    def _write_glossary(self, content: PackContent) -> int:
        rows = []
        for glossary in content.glossaries:
            for term in glossary.terms:
                rows.append(
                    (
                        term.id,
                        glossary.locale,
                        content.pack.id,
                        glossary.is_source,
                        term.term,
                        term.definition.text if term.definition else "",
                        json.dumps(list(term.aliases)),
                        glossary.status,
                        term.version,
                        term.translation_of,
                    )
                )
        self.db.executemany("INSERT INTO glossary VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        return len(rows)
