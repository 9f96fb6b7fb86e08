"""Content as gettext PO catalogues, for translation platforms (Weblate, Crowdin, Pontoon).

``extract`` writes, for every module, decision aid, glossary and knowledge file of a
pack, one template and one catalogue per language::

    DIR/<pack id>/<kind>/<item id>/<item id>.pot
    DIR/<pack id>/<kind>/<item id>/<language>.po

Each message is one segment (``po_segments``): its context is the segment's key, its
reference the source file and line, and its notes name what must survive translation.
A catalogue that already exists is merged, the way msgmerge does it: a segment whose
source text is unchanged keeps its translation; one whose text changed keeps the old
translation marked fuzzy, with the old source text as ``#| msgid``. A language seen
for the first time takes its translations from the pack's translated file, segment by
segment; when that file was made from an older version of the source, its segments
are fuzzy.

Review states live in a translator comment on each message::

    # review: machine-assisted
    # review: translated
    # review: reviewed; by: Patient organisation X; on: 2026-12-08

(``by`` names a role or an organisation; ``fuzzy`` stays a flag of its own.)

PO files are read and written with Babel, which the app already uses for its UI
catalogues.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

from sdm_app.content.markdown import CITATION, TERM
from sdm_app.content.numbers import find_numbers
from sdm_app.content.po_segments import (
    LIST_SEPARATOR,
    ContentItem,
    Document,
    Segment,
    content_items,
    read_document,
)

REVIEW_STATES = ("machine-assisted", "translated", "reviewed", "draft")
# A file's status from its segments' states: the weakest one wins.
_STATUS_ORDER = ("draft", "machine-assisted", "translated", "reviewed")
_REVIEW_COMMENT = re.compile(r"review:\s*(?P<body>.*)", re.IGNORECASE)
LINK = re.compile(r"\]\(\s*<?([^\s)>]+)")
PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}|%(?:\([A-Za-z_]+\))?[sd]")
_DATE_HEADERS = re.compile(rb'^"(?:POT-Creation-Date|PO-Revision-Date): [^"]*"\n', re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Review:
    state: str  # one of REVIEW_STATES
    by: str | None = None  # a role or an organisation
    on: str | None = None  # YYYY-MM-DD

    def comment(self) -> str:
        parts = [f"review: {self.state}"]
        if self.by:
            parts.append(f"by: {self.by}")
        if self.on:
            parts.append(f"on: {self.on}")
        return "; ".join(parts)


def read_review(message: Message) -> Review | None:
    """The review state in a message's translator comments, or None."""
    for comment in message.user_comments:
        found = _REVIEW_COMMENT.match(comment.strip())
        if found is None:
            continue
        fields: dict[str, str] = {}
        state = ""
        for position, part in enumerate(found["body"].split(";")):
            if position == 0:
                state = part.strip().lower()
                continue
            name, _, value = part.partition(":")
            fields[name.strip().lower()] = value.strip()
        if state in REVIEW_STATES:
            return Review(state, fields.get("by") or None, fields.get("on") or None)
    return None


def set_review(message: Message, review: Review | None) -> None:
    kept = [c for c in message.user_comments if not _REVIEW_COMMENT.match(c.strip())]
    message.user_comments = [*kept, review.comment()] if review else kept


def review_for_status(status: str | None) -> Review:
    """The review state of segments taken from a translated file with ``status``."""
    if status in REVIEW_STATES:
        return Review(status)
    return Review("translated")


def status_for(reviews: Iterable[Review | None]) -> str:
    """A translated file's status from its segments' review states."""
    states = {review.state if review else "translated" for review in reviews}
    for state in _STATUS_ORDER:
        if state in states:
            return state
    return "translated"


# Notes for translators -------------------------------------------------------------


def must_survive(text: str) -> dict[str, list[str]]:
    """What a translation must repeat exactly: glossary marks (by term id), citations,
    link targets, placeholders and numbers."""
    return {
        "terms": sorted(match.group(1).strip() for match in TERM.finditer(text)),
        "citations": sorted(match.group(1) for match in CITATION.finditer(text)),
        "links": sorted(match.group(1) for match in LINK.finditer(text)),
        "placeholders": sorted(PLACEHOLDER.findall(text)),
        "numbers": sorted(number for _offset, number in find_numbers(_without_marks(text))),
    }


def _without_marks(text: str) -> str:
    """Text with term ids, citations and link targets taken out: digits in them
    ('[@li-2017]', 'module:gene-her2') are not figures."""
    text = TERM.sub(lambda m: m.group(2) or "", text)
    text = CITATION.sub("", text)
    return LINK.sub("](", text)


def notes_for(segment: Segment) -> list[str]:
    notes: list[str] = []
    if segment.form == "list":
        notes.append(
            "A list of words and phrases: write those of your language, separated by "
            f"'{LIST_SEPARATOR.strip()}'. They need not match the source one for one."
        )
        return notes
    found = must_survive(segment.text)
    if found["terms"]:
        marks = ", ".join(f"[[{term}|…]]" for term in dict.fromkeys(found["terms"]))
        notes.append(
            f"Glossary terms: keep each mark {marks} with its id; translate only the "
            "words after '|' (add them if the mark has none)."
        )
    if found["citations"]:
        cites = " ".join(f"[@{cite}]" for cite in dict.fromkeys(found["citations"]))
        notes.append(f"Citations to keep exactly as written: {cites}")
    if found["links"]:
        links = " ".join(f"({link})" for link in dict.fromkeys(found["links"]))
        notes.append(f"Links to keep: {links}; translate only the words in [ ].")
    if found["placeholders"]:
        notes.append("Placeholders to keep: " + " ".join(dict.fromkeys(found["placeholders"])))
    if found["numbers"]:
        notes.append(
            "Numbers that must stay the same, written with the same digits: "
            + ", ".join(dict.fromkeys(found["numbers"]))
        )
    if "/table[" in segment.key:
        notes.append("A table cell: do not use the '|' character.")
    return notes


# Building catalogues -------------------------------------------------------------


def _reference(path: Path, content_root: Path) -> str:
    try:
        relative = path.relative_to(content_root.parent)
    except ValueError:
        relative = path
    return relative.as_posix()


def _flags(segment: Segment) -> list[str]:
    # Weblate's flag: Markdown syntax highlighting and its link and syntax checks.
    return ["md-text"] if segment.form == "markdown" else []


_HEADER = """\
# {what} of the content pack's texts, one message per segment.
# Made by `sdm-app content po extract`; written back by `sdm-app content po apply`.
# The context of a message says where its segment sits; keep glossary marks
# [[id|words]], citations [@id], links and numbers as the notes say."""


def new_catalogue(locale: str | None, project: str, version: str | None) -> Catalog:
    what = f"{locale} translation" if locale else "Template"
    return Catalog(
        locale=locale,
        project=project,
        version=version or "",
        header_comment=_HEADER.format(what=what),
        msgid_bugs_address="",
        fuzzy=False,  # the header itself is not fuzzy
        charset="utf-8",
    )


def template_for(
    item: ContentItem, source: Document, content_root: Path, project: str, version: str | None
) -> Catalog:
    catalogue = new_catalogue(None, project, version)
    where = _reference(source.path, content_root)
    for segment in source.segments.values():
        catalogue[segment.text] = Message(
            segment.text,
            locations=[(where, segment.line)],
            flags=_flags(segment),
            auto_comments=notes_for(segment),
            context=segment.key,
        )
    return catalogue


def _stale(source: Document, translation: Document, group: str) -> bool:
    wanted = source.versions.get(group)
    made_from = translation.versions.get(group)
    if wanted is None:
        return False
    return made_from is None or made_from < wanted


def _misaligned_prefixes(source: Document, translation: Document) -> set[str]:
    """Markdown texts whose paragraphs do not line up with the source's one for one."""

    def shape(document: Document) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for segment in document.segments.values():
            if segment.form == "markdown":
                prefix, _, path = segment.key.partition("/")
                found.setdefault(prefix, set()).add(path)
        return found

    ours, theirs = shape(source), shape(translation)
    return {prefix for prefix in ours if prefix in theirs and ours[prefix] != theirs[prefix]}


def from_translation(
    template: Catalog,
    source: Document,
    translation: Document | None,
    locale: str,
    project: str,
    version: str | None,
) -> Catalog:
    """A language's catalogue filled from its translated file, where segments align."""
    catalogue = new_catalogue(locale, project, version)
    misaligned = _misaligned_prefixes(source, translation) if translation else set()
    review = review_for_status(translation.status) if translation else None
    for message in template:
        if not message.id:
            continue
        copy = _copy(message)
        segment = source.segments.get(str(message.context))
        found = translation.segments.get(str(message.context)) if translation else None
        if translation is not None and segment is not None and found is not None:
            copy.string = found.text
            set_review(copy, review)
            prefix = segment.key.partition("/")[0]
            if _stale(source, translation, segment.group):
                copy.flags.add("fuzzy")
            elif segment.form == "markdown" and prefix in misaligned:
                copy.flags.add("fuzzy")
                copy.user_comments.append(
                    "check: the translated file's paragraphs did not line up with the source's"
                )
            elif segment.form != "list" and must_survive(segment.text) != must_survive(found.text):
                copy.flags.add("fuzzy")
                copy.user_comments.append(
                    "check: numbers, marks, citations or links differ from the source"
                )
        catalogue[copy.id] = copy
    return catalogue


def _copy(message: Message) -> Message:
    return Message(
        message.id,
        "",
        locations=list(message.locations),
        flags=set(message.flags) - {"fuzzy"},
        auto_comments=list(message.auto_comments),
        context=message.context,
    )


def merge(
    template: Catalog, previous: Catalog, locale: str, project: str, version: str | None
) -> Catalog:
    """``previous`` brought up to ``template``: unchanged texts keep their translation,
    changed ones keep it as fuzzy with the old source text, others are new."""
    catalogue = new_catalogue(locale, project, version)
    old = [m for m in previous if m.id]
    by_text: dict[str, Message] = {}
    by_key: dict[str | None, Message] = {}
    for message in old:
        by_text.setdefault(str(message.id), message)
        by_key.setdefault(message.context, message)
    new_texts = {str(message.id) for message in template if message.id}
    used: set[int] = set()
    for message in template:
        if not message.id:
            continue
        copy = _copy(message)
        same = previous.get(message.id, context=message.context) or by_text.get(str(message.id))
        if same is not None and same.string:
            copy.string = same.string
            if same.fuzzy:
                copy.flags.add("fuzzy")
            copy.user_comments = list(same.user_comments)
            copy.previous_id = list(same.previous_id) if same.fuzzy else []
            used.add(id(same))
        else:
            before = by_key.get(message.context)
            if before is not None and before.string and str(before.id) not in new_texts:
                copy.string = before.string
                copy.user_comments = list(before.user_comments)
                used.add(id(before))
                if before.fuzzy and list(before.previous_id)[:1] == [str(message.id)]:
                    catalogue[copy.id] = copy  # the source went back to what was translated
                    continue
                copy.flags.add("fuzzy")
                copy.previous_id = [str(before.id)]
        catalogue[copy.id] = copy
    # Translations no segment uses any more stay as obsolete entries (#~), a memory.
    for message in old:
        if id(message) not in used and message.string and str(message.id) not in new_texts:
            catalogue.obsolete[str(message.id)] = Message(
                message.id, message.string, context=message.context
            )
    return catalogue


def write_catalogue(path: Path, catalogue: Catalog) -> bool:
    """Write ``path`` when its messages changed (dates alone do not count)."""
    buffer = io.BytesIO()
    write_po(buffer, catalogue, width=0, include_previous=False, sort_output=False)
    data = _with_previous_ids(buffer.getvalue(), catalogue)
    if path.is_file():
        old = path.read_bytes()
        if _DATE_HEADERS.sub(b"", old) == _DATE_HEADERS.sub(b"", data):
            return False
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(data)
    temporary.replace(path)
    return True


def _with_previous_ids(data: bytes, catalogue: Catalog) -> bytes:
    """``#| msgid "..."`` above each fuzzy message that has its old source text.

    Babel wraps a long previous msgid as comment text, which gettext tools cannot read
    back, so the line is written here, as one quoted string."""
    from babel.messages.pofile import escape

    previous = {
        f"msgctxt {escape(str(message.context))}": message.previous_id[0]
        for message in catalogue
        if message.id and message.fuzzy and message.previous_id and message.context
    }
    if not previous:
        return data
    lines = data.decode("utf-8").split("\n")
    out: list[str] = []
    for line in lines:
        if line in previous:
            out.append(f"#| msgid {escape(str(previous[line]))}")
        out.append(line)
    return "\n".join(out).encode("utf-8")


def read_catalogue(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        catalogue = read_po(handle, locale=locale)
    # Babel writes the previous source text (#| msgid) but does not read it back.
    previous = _previous_ids(path.read_text(encoding="utf-8", errors="replace"))
    for message in catalogue:
        found = previous.get(message.lineno or 0)
        if found is not None and message.fuzzy:
            message.previous_id = [found]
    return catalogue


def _previous_ids(text: str) -> dict[int, str]:
    """``#| msgid`` texts by the line of the msgctxt or msgid they stand above."""
    import ast
    import contextlib

    found: dict[int, str] = {}
    parts: list[str] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.startswith("#| msgid "):
            parts = [line[len("#| msgid ") :]]
        elif line.startswith('#| "') and parts:
            parts.append(line[3:])
        elif line.startswith(("msgctxt ", "msgid ")) and parts:
            with contextlib.suppress(ValueError, SyntaxError):
                found[number] = "".join(ast.literal_eval(part) for part in parts)
            if line.startswith("msgid "):
                parts = []
        elif not line.startswith("#"):
            parts = []
    return found


# The folder layout -------------------------------------------------------------


def item_folder(out: Path, pack_id: str, item: ContentItem) -> Path:
    return out / pack_id / item.kind / item.id


@dataclass(frozen=True, slots=True)
class Pack:
    folder: Path
    id: str
    version: str | None
    source_locale: str
    locales: tuple[str, ...]


def read_pack(folder: Path) -> Pack:
    from sdm_app.content.loader import PackLoader

    problems: list[object] = []
    doc = PackLoader(folder, folder, problems).load_pack()  # type: ignore[arg-type]
    if doc.id is None or doc.source_locale is None:
        raise ValueError(f"{folder / 'pack.yaml'}: the pack needs an id and a source_locale")
    return Pack(folder, doc.id, doc.version, doc.source_locale, doc.locales)


@dataclass(slots=True)
class ExtractReport:
    written: list[Path] = field(default_factory=list)
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)


def extract(pack: Pack, out: Path, locales: Iterable[str] = ()) -> ExtractReport:
    """Write the templates and catalogues of ``pack`` under ``out``."""
    report = ExtractReport()
    project = f"{pack.id} content"
    for item in content_items(pack.folder, pack.source_locale):
        try:
            source = read_document(item, item.source, pack.source_locale)
        except (OSError, ValueError) as error:
            report.problems.append(str(error))
            continue
        folder = item_folder(out, pack.id, item)
        template = template_for(item, source, pack.folder.parent, project, pack.version)
        _record(
            report, write_catalogue(folder / f"{item.id}.pot", template), folder / f"{item.id}.pot"
        )
        files = item.translations()
        wanted = set(files) | set(locales)
        wanted |= {p.stem for p in folder.glob("*.po")} if folder.is_dir() else set()
        wanted.discard(pack.source_locale)
        for locale in sorted(wanted):
            path = folder / f"{locale}.po"
            if path.is_file():
                catalogue = merge(
                    template, read_catalogue(path, locale), locale, project, pack.version
                )
            else:
                translation = None
                if locale in files:
                    try:
                        translation = read_document(item, files[locale], locale)
                    except (OSError, ValueError) as error:
                        report.problems.append(str(error))
                catalogue = from_translation(
                    template, source, translation, locale, project, pack.version
                )
            _record(report, write_catalogue(path, catalogue), path)
    return report


def _record(report: ExtractReport, written: bool, path: Path) -> None:
    if written:
        report.written.append(path)
    else:
        report.unchanged += 1


# Counting ------------------------------------------------------------------------


@dataclass(slots=True)
class SegmentCounts:
    translated: int = 0
    fuzzy: int = 0
    missing: int = 0
    not_reviewed: int = 0  # of the translated and fuzzy, those not marked reviewed
    machine_assisted: int = 0

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.missing

    def add(self, catalogue: Catalog) -> None:
        for message in catalogue:
            if not message.id:
                continue
            strings = (
                message.string if isinstance(message.string, tuple | list) else (message.string,)
            )
            if not all(strings):
                self.missing += 1
                continue
            if message.fuzzy:
                self.fuzzy += 1
            else:
                self.translated += 1
            review = read_review(message)
            if review is None or review.state != "reviewed":
                self.not_reviewed += 1
            if review is not None and review.state == "machine-assisted":
                self.machine_assisted += 1


def source_segment_count(pack: Pack) -> int:
    """How many segments the pack's source language has."""
    total = 0
    for item in content_items(pack.folder, pack.source_locale):
        try:
            total += len(read_document(item, item.source, pack.source_locale).segments)
        except (OSError, ValueError):
            continue
    return total


def segment_counts(
    pack: Pack, locales: Iterable[str], po_dir: Path | None = None
) -> dict[str, SegmentCounts]:
    """Segments per language, translated, fuzzy and missing: from the catalogues under
    ``po_dir`` where there is one, else from the pack's translated files."""
    counts = {locale: SegmentCounts() for locale in locales if locale != pack.source_locale}
    project = f"{pack.id} content"
    for item in content_items(pack.folder, pack.source_locale):
        try:
            source = read_document(item, item.source, pack.source_locale)
        except (OSError, ValueError):
            continue
        template = template_for(item, source, pack.folder.parent, project, pack.version)
        files = item.translations()
        for locale, figures in counts.items():
            path = item_folder(po_dir, pack.id, item) / f"{locale}.po" if po_dir else None
            if path is not None and path.is_file():
                catalogue = merge(
                    template, read_catalogue(path, locale), locale, project, pack.version
                )
            else:
                translation = None
                if locale in files:
                    try:
                        translation = read_document(item, files[locale], locale)
                    except (OSError, ValueError):
                        translation = None
                catalogue = from_translation(
                    template, source, translation, locale, project, pack.version
                )
            figures.add(catalogue)
    return counts
