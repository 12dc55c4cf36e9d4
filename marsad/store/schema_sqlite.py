"""The SQLite schema as an ordered list of migrations; ``PRAGMA user_version`` = migrations applied.

Append a new migration for every change (never edit a shipped one): a store opened by a newer Marsad is
upgraded in place, inside one transaction per step. The SQL lives in Python so it ships in every install.

Layout: ``documents`` holds one row per distinct content (small columns only, so scans stay cheap);
``contents`` its raw text, full analysis JSON and the raw offsets of every indexed body term; ``copies``
every (source, record) the content was seen at; ``doc_fts`` the FTS5 index over normalised, clitic-split
terms (title, body) — its rowid is ``documents.pk``. Analysis layers get one table each, keyed by document.
"""

from __future__ import annotations

#: Characters FTS5's unicode61 tokenizer must treat as part of a term. Terms are already normalised and
#: space-joined, so only the space may separate them; keeping marks (Mn/Mc) inside terms makes the FTS
#: term count equal ours, which the snippet code relies on.
FTS_TOKENIZE = "unicode61 remove_diacritics 0 categories 'L* N* M* Co'"

V1 = f"""
CREATE TABLE documents (
    pk INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,              -- Document.id: first 16 hex digits of sha256
    sha256 TEXT NOT NULL UNIQUE,
    title TEXT,
    published TEXT,                       -- as given by the source
    published_day TEXT,                   -- YYYY-MM-DD when ``published`` starts with one (date filters)
    site TEXT,
    url TEXT,
    source TEXT NOT NULL,                 -- provenance source it was first stored from
    origin TEXT NOT NULL,                 -- site, else the file or folder it came from (stats per source)
    format TEXT NOT NULL,
    language TEXT,
    ingested_at TEXT NOT NULL,
    n_terms INTEGER NOT NULL
);
CREATE INDEX documents_published ON documents(published_day);
CREATE INDEX documents_site ON documents(site);
CREATE INDEX documents_url ON documents(url);
CREATE INDEX documents_origin ON documents(origin);

CREATE TABLE contents (
    doc INTEGER PRIMARY KEY REFERENCES documents(pk) ON DELETE CASCADE,
    text TEXT NOT NULL,                   -- raw text exactly as received
    analysis TEXT NOT NULL,               -- Analysis.to_dict() JSON
    term_offsets BLOB NOT NULL            -- uint32 (start, end) per body term, into text
);

CREATE TABLE copies (
    doc INTEGER NOT NULL REFERENCES documents(pk) ON DELETE CASCADE,
    source TEXT NOT NULL,
    record TEXT NOT NULL DEFAULT '',
    format TEXT NOT NULL,
    byte_start INTEGER,
    byte_end INTEGER,
    encoding TEXT,
    url TEXT,
    ingested_at TEXT NOT NULL,
    PRIMARY KEY (doc, source, record)
) WITHOUT ROWID;
CREATE INDEX copies_source ON copies(source);

CREATE TABLE paragraphs (
    doc INTEGER NOT NULL REFERENCES documents(pk) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    duplicate_of INTEGER,
    PRIMARY KEY (doc, idx)
) WITHOUT ROWID;

CREATE TABLE mentions (
    doc INTEGER NOT NULL REFERENCES documents(pk) ON DELETE CASCADE,
    i INTEGER NOT NULL,
    type TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL,
    paragraph INTEGER, normalized TEXT, confidence REAL, source TEXT, value REAL, currency TEXT,
    unit TEXT, resolved TEXT, entity_id TEXT, canonical TEXT, role TEXT,
    PRIMARY KEY (doc, i)
) WITHOUT ROWID;
CREATE INDEX mentions_type ON mentions(type, normalized);

CREATE TABLE entities (
    doc INTEGER NOT NULL REFERENCES documents(pk) ON DELETE CASCADE,
    i INTEGER NOT NULL,
    id TEXT NOT NULL,
    type TEXT NOT NULL, canonical TEXT NOT NULL, latin TEXT, country TEXT, lat REAL, lon REAL,
    mentions TEXT, variants TEXT, roles TEXT,  -- JSON lists
    PRIMARY KEY (doc, i)
) WITHOUT ROWID;
CREATE INDEX entities_type ON entities(type, canonical);
CREATE INDEX entities_canonical ON entities(canonical);
CREATE INDEX entities_id ON entities(id);

CREATE TABLE events (
    doc INTEGER NOT NULL REFERENCES documents(pk) ON DELETE CASCADE,
    i INTEGER NOT NULL,
    type TEXT NOT NULL, cameo TEXT, trigger TEXT NOT NULL, trigger_start INTEGER, trigger_end INTEGER,
    paragraph INTEGER, sentence_start INTEGER, sentence_end INTEGER, "when" TEXT, when_resolved TEXT,
    "where" TEXT, modality TEXT, attributed_to TEXT, status TEXT, confidence REAL,
    PRIMARY KEY (doc, i)
) WITHOUT ROWID;
CREATE INDEX events_type ON events(type, when_resolved);

CREATE TABLE event_arguments (
    doc INTEGER NOT NULL REFERENCES documents(pk) ON DELETE CASCADE,
    event INTEGER NOT NULL,
    i INTEGER NOT NULL,
    role TEXT NOT NULL, text TEXT NOT NULL, start INTEGER, "end" INTEGER, entity_id TEXT,
    PRIMARY KEY (doc, event, i)
) WITHOUT ROWID;
CREATE INDEX event_arguments_entity ON event_arguments(entity_id, role);
CREATE INDEX event_arguments_text ON event_arguments(text, role);

CREATE TABLE quotes (
    doc INTEGER NOT NULL REFERENCES documents(pk) ON DELETE CASCADE,
    i INTEGER NOT NULL,
    text TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, paragraph INTEGER,
    speaker TEXT, speaker_entity_id TEXT, verb TEXT, channel TEXT, confidence REAL,
    PRIMARY KEY (doc, i)
) WITHOUT ROWID;
CREATE INDEX quotes_speaker ON quotes(speaker);

CREATE VIRTUAL TABLE doc_fts USING fts5(title, body, tokenize="{FTS_TOKENIZE}");
INSERT INTO doc_fts(doc_fts, rank) VALUES ('rank', 'bm25(4.0, 1.0)');
"""

#: Per-document layer counts, so a half-written article is detectable in SQL (crash checks, ``verify``).
V2 = """
ALTER TABLE documents ADD COLUMN n_paragraphs INTEGER NOT NULL DEFAULT 0;
ALTER TABLE documents ADD COLUMN n_mentions INTEGER NOT NULL DEFAULT 0;
ALTER TABLE documents ADD COLUMN n_entities INTEGER NOT NULL DEFAULT 0;
ALTER TABLE documents ADD COLUMN n_events INTEGER NOT NULL DEFAULT 0;
ALTER TABLE documents ADD COLUMN n_quotes INTEGER NOT NULL DEFAULT 0;
UPDATE documents SET
    n_paragraphs = (SELECT count(*) FROM paragraphs WHERE doc = pk),
    n_mentions = (SELECT count(*) FROM mentions WHERE doc = pk),
    n_entities = (SELECT count(*) FROM entities WHERE doc = pk),
    n_events = (SELECT count(*) FROM events WHERE doc = pk),
    n_quotes = (SELECT count(*) FROM quotes WHERE doc = pk);
"""

#: Ingest-time tracking (``marsad.store.tracking``): per document its MinHash and observation order, the
#: canonical article it nearly repeats, its story; the story clusterer's state as plain rows (no pickle),
#: so the in-memory tracker is rebuilt from them after a restart. And the user's entity corrections.
V3 = """
CREATE TABLE doc_signatures (
    doc INTEGER PRIMARY KEY REFERENCES documents(pk) ON DELETE CASCADE,
    seq INTEGER NOT NULL UNIQUE,          -- observation (arrival) order
    size INTEGER NOT NULL,                -- shingle count
    digest TEXT NOT NULL,                 -- exact digest of the shingle set
    sig BLOB                              -- MinHash hash values (uint32 bytes); NULL below MIN_SHINGLES
);
CREATE TABLE near_duplicates (
    doc INTEGER PRIMARY KEY REFERENCES documents(pk) ON DELETE CASCADE,
    canonical INTEGER NOT NULL REFERENCES documents(pk) ON DELETE CASCADE,  -- first original
    nearest INTEGER NOT NULL REFERENCES documents(pk) ON DELETE CASCADE,    -- best earlier match
    jaccard REAL NOT NULL,
    containment REAL NOT NULL
);
CREATE INDEX near_duplicates_canonical ON near_duplicates(canonical);
CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    first_seen TEXT,
    last_seen TEXT,
    n_articles INTEGER NOT NULL,
    sources TEXT NOT NULL,                -- JSON {source: articles}, insertion order
    entities TEXT NOT NULL,               -- JSON {"TYPE:canonical": articles}
    events TEXT NOT NULL,                 -- JSON {event key: articles}
    centroid TEXT NOT NULL,               -- JSON {term: weight} (clusterer state)
    expired INTEGER NOT NULL DEFAULT 0    -- left the candidate index (clusterer state)
) WITHOUT ROWID;
CREATE INDEX stories_last ON stories(last_seen);
CREATE TABLE story_members (
    doc INTEGER PRIMARY KEY REFERENCES documents(pk) ON DELETE CASCADE,
    story_id TEXT NOT NULL REFERENCES stories(id),
    seq INTEGER NOT NULL
);
CREATE INDEX story_members_story ON story_members(story_id, seq);
CREATE TABLE story_df (term TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE tracker_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

CREATE TABLE entity_overrides (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('merge', 'split')),
    a TEXT NOT NULL,                      -- per-article entity id (merge: first; split: the entity)
    b TEXT,                               -- merge: second entity id
    variants TEXT,                        -- split: JSON list of variant texts
    created_at TEXT NOT NULL
);
"""

#: ``stories`` as a rowid table: its rows (JSON centroids, ~1.4 KB) are too large for WITHOUT ROWID, which
#: gave each row its own overflow pages (52 MB instead of ~17 MB at 12k articles). ``story_members`` is
#: rebuilt alongside so no foreign key points at a dropped table during the swap.
V4 = """
CREATE TABLE stories_v4 (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    first_seen TEXT,
    last_seen TEXT,
    n_articles INTEGER NOT NULL,
    sources TEXT NOT NULL,                -- JSON {source: articles}, insertion order
    entities TEXT NOT NULL,               -- JSON {"TYPE:canonical": articles}
    events TEXT NOT NULL,                 -- JSON {event key: articles}
    centroid TEXT NOT NULL,               -- JSON {term: weight} (clusterer state)
    expired INTEGER NOT NULL DEFAULT 0    -- left the candidate index (clusterer state)
);
INSERT INTO stories_v4 SELECT id, title, first_seen, last_seen, n_articles, sources, entities, events, centroid,
    expired FROM stories ORDER BY id;
CREATE TABLE story_members_v4 (
    doc INTEGER PRIMARY KEY REFERENCES documents(pk) ON DELETE CASCADE,
    story_id TEXT NOT NULL REFERENCES stories_v4(id),  -- renamed with its table below
    seq INTEGER NOT NULL
);
INSERT INTO story_members_v4 SELECT doc, story_id, seq FROM story_members ORDER BY doc;
DROP TABLE story_members;
DROP TABLE stories;
ALTER TABLE stories_v4 RENAME TO stories;
ALTER TABLE story_members_v4 RENAME TO story_members;
CREATE INDEX stories_last ON stories(last_seen);
CREATE INDEX story_members_story ON story_members(story_id, seq);
"""

#: Migration i (0-based) brings a store from user_version i to i + 1.
MIGRATIONS: tuple[str, ...] = (V1, V2, V3, V4)
SCHEMA_VERSION = len(MIGRATIONS)
