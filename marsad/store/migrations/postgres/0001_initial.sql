-- Marsad PostgreSQL schema v1: the SQLite schema (schema_sqlite.py V1+V2) in PostgreSQL types.
-- Applied by marsad.store.postgres on open, inside one transaction; never edit a shipped migration,
-- add 0002_*.sql instead. Identifiers and paths use COLLATE "C" so prefix ranges compare bytewise.

CREATE TABLE documents (
    pk BIGINT PRIMARY KEY,
    id TEXT COLLATE "C" NOT NULL UNIQUE,           -- first 16 hex digits of sha256
    sha256 TEXT COLLATE "C" NOT NULL UNIQUE,
    title TEXT,
    published TEXT,
    published_day TEXT COLLATE "C",                 -- YYYY-MM-DD when published starts with one
    site TEXT,
    url TEXT COLLATE "C",
    source TEXT COLLATE "C" NOT NULL,               -- provenance source it was first stored from
    origin TEXT COLLATE "C" NOT NULL,               -- site, else the file or folder it came from
    format TEXT NOT NULL,
    language TEXT,
    ingested_at TEXT NOT NULL,
    n_terms INTEGER NOT NULL,
    n_paragraphs INTEGER NOT NULL DEFAULT 0,
    n_mentions INTEGER NOT NULL DEFAULT 0,
    n_entities INTEGER NOT NULL DEFAULT 0,
    n_events INTEGER NOT NULL DEFAULT 0,
    n_quotes INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX documents_published ON documents(published_day);
CREATE INDEX documents_site ON documents(lower(site));
CREATE INDEX documents_url ON documents(url);
CREATE INDEX documents_origin ON documents(origin);

CREATE TABLE contents (
    doc BIGINT PRIMARY KEY REFERENCES documents(pk) ON DELETE CASCADE,
    text TEXT NOT NULL,                             -- raw text exactly as received
    analysis TEXT NOT NULL,                         -- Analysis.to_dict() JSON (text, not jsonb: key order kept)
    term_offsets BYTEA NOT NULL                     -- marsad.store.indexing.encode_offsets
);

-- Full-text index: the same space-joined, normalised, clitic-split terms SQLite's FTS5 indexes.
-- 'simple' only lower-cases: the terms are already normalised by marsad.text (see docs/postgres.md).
CREATE TABLE doc_fts (
    doc BIGINT PRIMARY KEY REFERENCES documents(pk) ON DELETE CASCADE,
    title TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    tsv TSVECTOR GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title), 'A') ||
        setweight(to_tsvector('simple'::regconfig, body), 'D')) STORED
);
CREATE INDEX doc_fts_tsv ON doc_fts USING GIN (tsv);

CREATE TABLE copies (
    doc BIGINT NOT NULL REFERENCES documents(pk) ON DELETE CASCADE,
    source TEXT COLLATE "C" NOT NULL,
    record TEXT COLLATE "C" NOT NULL DEFAULT '',
    format TEXT NOT NULL,
    byte_start BIGINT,
    byte_end BIGINT,
    encoding TEXT,
    url TEXT,
    ingested_at TEXT NOT NULL,
    PRIMARY KEY (doc, source, record)
);
CREATE INDEX copies_source ON copies(source);

CREATE TABLE paragraphs (
    doc BIGINT NOT NULL REFERENCES documents(pk) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    duplicate_of INTEGER,
    PRIMARY KEY (doc, idx)
);

CREATE TABLE mentions (
    doc BIGINT NOT NULL REFERENCES documents(pk) ON DELETE CASCADE,
    i INTEGER NOT NULL,
    type TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL,
    paragraph INTEGER, normalized TEXT, confidence DOUBLE PRECISION, source TEXT, value DOUBLE PRECISION,
    currency TEXT, unit TEXT, resolved TEXT, entity_id TEXT, canonical TEXT, role TEXT,
    PRIMARY KEY (doc, i)
);
CREATE INDEX mentions_type ON mentions(type, normalized);

CREATE TABLE entities (
    doc BIGINT NOT NULL REFERENCES documents(pk) ON DELETE CASCADE,
    i INTEGER NOT NULL,
    id TEXT NOT NULL,
    type TEXT NOT NULL, canonical TEXT NOT NULL, latin TEXT, country TEXT,
    lat DOUBLE PRECISION, lon DOUBLE PRECISION,
    mentions TEXT, variants TEXT, roles TEXT,      -- JSON lists
    PRIMARY KEY (doc, i)
);
CREATE INDEX entities_type ON entities(type, canonical);
CREATE INDEX entities_canonical ON entities(canonical);
CREATE INDEX entities_id ON entities(id);

CREATE TABLE events (
    doc BIGINT NOT NULL REFERENCES documents(pk) ON DELETE CASCADE,
    i INTEGER NOT NULL,
    type TEXT NOT NULL, cameo TEXT, trigger TEXT NOT NULL, trigger_start INTEGER, trigger_end INTEGER,
    paragraph INTEGER, sentence_start INTEGER, sentence_end INTEGER, "when" TEXT, when_resolved TEXT,
    "where" TEXT, modality TEXT, attributed_to TEXT, status TEXT, confidence DOUBLE PRECISION,
    PRIMARY KEY (doc, i)
);
CREATE INDEX events_type ON events(type, when_resolved);

CREATE TABLE event_arguments (
    doc BIGINT NOT NULL REFERENCES documents(pk) ON DELETE CASCADE,
    event INTEGER NOT NULL,
    i INTEGER NOT NULL,
    role TEXT NOT NULL, text TEXT NOT NULL, start INTEGER, "end" INTEGER, entity_id TEXT,
    PRIMARY KEY (doc, event, i)
);
CREATE INDEX event_arguments_entity ON event_arguments(entity_id, role);
CREATE INDEX event_arguments_text ON event_arguments(text, role);

CREATE TABLE quotes (
    doc BIGINT NOT NULL REFERENCES documents(pk) ON DELETE CASCADE,
    i INTEGER NOT NULL,
    text TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, paragraph INTEGER,
    speaker TEXT, speaker_entity_id TEXT, verb TEXT, channel TEXT, confidence DOUBLE PRECISION,
    PRIMARY KEY (doc, i)
);
CREATE INDEX quotes_speaker ON quotes(speaker);
