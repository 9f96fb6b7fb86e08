"""The content database layout, shared by the build (writer) and the reader."""

from __future__ import annotations

# Raise when tables change; the reader refuses other versions and
# ensure_content_db rebuilds, because the version is part of the fingerprint.
SCHEMA_VERSION = 4
# Raise when the compiled output changes for the same content (e.g. rendering).
BUILDER_VERSION = "4"

FTS_TABLE = "modules_fts"
# The locale token for source rows, used when the app asks for a language no pack has.
SOURCE_TOKEN = "locsrc"

DDL = """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE packs (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    version TEXT NOT NULL,
    source_locale TEXT NOT NULL,
    locales TEXT NOT NULL,            -- JSON list, in pack.yaml order
    publisher TEXT
) WITHOUT ROWID;

CREATE TABLE topics (
    id TEXT NOT NULL,
    locale TEXT NOT NULL,
    pack_id TEXT NOT NULL,
    position INTEGER NOT NULL,        -- global order: packs, then as written
    is_source INTEGER NOT NULL,
    title TEXT NOT NULL,
    PRIMARY KEY (id, locale)
) WITHOUT ROWID;

CREATE TABLE modules (
    rowid INTEGER PRIMARY KEY,        -- also the rowid of modules_fts
    id TEXT NOT NULL,
    locale TEXT NOT NULL,
    is_source INTEGER NOT NULL,
    pack_id TEXT NOT NULL,
    pack_version TEXT NOT NULL,
    topic_id TEXT NOT NULL,
    audience TEXT NOT NULL,           -- JSON list
    title TEXT NOT NULL,
    key_message TEXT NOT NULL,
    body_html TEXT NOT NULL,          -- sanitised at build time
    body_text TEXT NOT NULL,          -- plain text, for snippets
    status TEXT NOT NULL,
    translation_of INTEGER,           -- NULL for the source
    source_version INTEGER NOT NULL,
    reviewed_on TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    next_review TEXT NOT NULL,
    review_status TEXT NOT NULL,
    changelog TEXT NOT NULL,          -- JSON list, the source's, newest first
    UNIQUE (id, locale)
);

CREATE TABLE sources (
    module_id TEXT NOT NULL,
    position INTEGER NOT NULL,        -- 1-based: the [n] shown in the text
    id TEXT NOT NULL,
    citation TEXT NOT NULL,
    date TEXT NOT NULL,
    doi TEXT,
    pmid TEXT,
    url TEXT,
    PRIMARY KEY (module_id, position)
) WITHOUT ROWID;

CREATE TABLE glossary (
    id TEXT NOT NULL,
    locale TEXT NOT NULL,
    pack_id TEXT NOT NULL,
    is_source INTEGER NOT NULL,
    term TEXT NOT NULL,
    definition TEXT NOT NULL,
    aliases TEXT NOT NULL,            -- JSON list
    status TEXT NOT NULL,
    version INTEGER,
    translation_of INTEGER,
    PRIMARY KEY (id, locale)
) WITHOUT ROWID;

-- One row per decision aid and language, complete: a translation's row is merged
-- with its source (figures, sources, review) at build time. The parts of the
-- comparison grid are JSON, read whole with the row.
CREATE TABLE decision_aids (
    id TEXT NOT NULL,
    locale TEXT NOT NULL,
    is_source INTEGER NOT NULL,
    pack_id TEXT NOT NULL,
    pack_version TEXT NOT NULL,
    title TEXT NOT NULL,
    question TEXT NOT NULL,
    audience TEXT NOT NULL,           -- JSON list
    conditions TEXT NOT NULL,         -- JSON list
    biomarkers TEXT NOT NULL,         -- JSON list
    summary_html TEXT NOT NULL,       -- sanitised at build time
    summary_text TEXT NOT NULL,
    status TEXT NOT NULL,
    translation_of INTEGER,           -- NULL for the source
    source_version INTEGER NOT NULL,
    reviewed_on TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    next_review TEXT NOT NULL,
    review_status TEXT NOT NULL,
    disclosure TEXT NOT NULL,         -- JSON object
    sources TEXT NOT NULL,            -- JSON list, in citation order
    attributes TEXT NOT NULL,         -- JSON list
    options TEXT NOT NULL,            -- JSON list; descriptions as sanitised HTML
    outcomes TEXT NOT NULL,           -- JSON list
    value_items TEXT NOT NULL,        -- JSON list
    no_action_reason TEXT,
    changelog TEXT NOT NULL,          -- JSON list, the source's, newest first
    PRIMARY KEY (id, locale)
) WITHOUT ROWID;

CREATE TABLE support_entries (
    locale TEXT NOT NULL,
    position INTEGER NOT NULL,        -- global order: packs, then as written
    id TEXT NOT NULL,
    pack_id TEXT NOT NULL,
    is_source INTEGER NOT NULL,
    name TEXT NOT NULL,
    url TEXT NOT NULL,                -- shown as text, never fetched
    biomarkers TEXT NOT NULL,         -- JSON list, as written ('any' for everyone)
    region TEXT NOT NULL,
    description TEXT NOT NULL,
    PRIMARY KEY (locale, position)
) WITHOUT ROWID;

-- The clinical knowledge of one pack as shown in one language: the JSON that
-- core.knowledge.Knowledge.from_mapping reads (texts translated where they are).
CREATE TABLE knowledge (
    pack_id TEXT NOT NULL,
    position INTEGER NOT NULL,        -- pack order: later packs override earlier rules
    locale TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (pack_id, locale)
) WITHOUT ROWID;

-- Folded text (core.text.fold, Chinese/Japanese split into characters);
-- contentless: snippets come from modules.body_text. 'visible' holds one token
-- per language in which the row is what the library shows.
CREATE VIRTUAL TABLE modules_fts USING fts5(
    title, key_message, body, visible,
    content = '',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);
"""

INDEXES = """
CREATE INDEX modules_by_locale ON modules (locale, is_source);
CREATE INDEX modules_sources ON modules (is_source, id);
"""


def locale_token(locale: str) -> str:
    """The token for a language in the 'visible' column: letters and digits only."""
    return "loc" + "".join(char for char in locale.lower() if char.isascii() and char.isalnum())
