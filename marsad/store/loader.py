"""``load_parquet``: bulk-load ``marsad spark-ingest`` output into a PostgreSQL store with COPY, idempotently.

Every table is COPYed into temporary staging tables (keyed by sha256), then, in the SAME transaction and
under the store's write lock, merged: contents not yet stored get the next keys (in the order the Parquet
files list them), every (source, record) becomes a copy (``ON CONFLICT DO NOTHING``), and layer rows go in
for new contents only. Loading the same folder twice adds nothing; a crash leaves the store as it was.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from marsad.errors import StoreError
from marsad.store.base import Store
from marsad.store.parquet_tables import LAYER_TABLES, LAYOUT_VERSION, TABLES
from marsad.store.postgres import WRITE_LOCK, PostgresStore

_BATCH_ROWS = 2000
_SQL_TYPES = {"int": "BIGINT", "float": "DOUBLE PRECISION", "str": "TEXT", "binary": "BYTEA"}


@dataclass(slots=True)
class LoadReport:
    """What one load did (``records``: document rows read; ``errors``: rows of the errors table)."""

    records: int = 0
    added: int = 0
    duplicates: int = 0
    unchanged: int = 0
    errors: int = 0
    seconds: float = 0.0


def _q(column: str) -> str:
    return f'"{column}"'


def _batches(folder: str) -> Iterator[list[dict[str, Any]]]:
    import pyarrow.dataset as ds

    if not os.path.isdir(folder):
        return
    dataset = ds.dataset(folder, format="parquet")
    for batch in dataset.to_batches(batch_size=_BATCH_ROWS):
        yield batch.to_pylist()


def _stage(db: Any, table: str, folder: str, *, ordinal: bool = False) -> int:
    """COPY one Parquet table into the temporary table stg_<table>; the row count."""
    cols = TABLES[table]
    decl = ", ".join(f"{_q(c)} {_SQL_TYPES[k]}" for c, k in cols)
    db.execute(f"CREATE TEMP TABLE stg_{table} ({'ord BIGINT, ' if ordinal else ''}{decl}) ON COMMIT DROP")
    names = ", ".join((["ord"] if ordinal else []) + [_q(c) for c, _ in cols])
    n = 0
    with db.cursor() as cur, cur.copy(f"COPY stg_{table} ({names}) FROM STDIN") as cp:
        for rows in _batches(folder):
            for row in rows:
                values = [row.get(c) for c, _ in cols]
                cp.write_row([n, *values] if ordinal else values)
                n += 1
    return n


def _check(folder: str) -> None:
    manifest = os.path.join(folder, "manifest.json")
    if not os.path.isfile(manifest):
        raise StoreError(f"{folder}: no manifest.json here: not a finished `marsad spark-ingest` output")
    with open(manifest, encoding="utf-8") as fh:
        version = json.load(fh).get("layout_version")
    if version != LAYOUT_VERSION:
        raise StoreError(f"{folder}: Parquet layout v{version}, this Marsad loads v{LAYOUT_VERSION}")


def load_parquet(folder: str, store: Store) -> LoadReport:
    """Load a spark-ingest output folder into ``store`` (a PostgresStore) in one transaction."""
    if not isinstance(store, PostgresStore):
        raise StoreError("marsad load writes to PostgreSQL only: give --db postgresql://…")
    _check(folder)
    import psycopg

    started = time.perf_counter()
    report = LoadReport()
    errors_dir = os.path.join(folder, "errors")
    report.errors = sum(len(b) for b in _batches(errors_dir))
    db = store._db  # the loader is the store's bulk path
    try:
        with store._lock, db.transaction():
            report.records = _stage(db, "documents", os.path.join(folder, "documents"), ordinal=True)
            for table in LAYER_TABLES:
                _stage(db, table, os.path.join(folder, table))
            db.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
            _merge(db, report)
    except psycopg.Error as exc:
        raise StoreError(f"{store.label}: load failed (nothing was loaded): {str(exc).strip()}") from exc
    report.seconds = time.perf_counter() - started
    return report


def _merge(db: Any, report: LoadReport) -> None:
    copies_before = db.execute("SELECT count(*) FROM copies").fetchone()[0]
    # one row per new content: its first record (by ord), numbered after the current largest key
    db.execute("""
        CREATE TEMP TABLE stg_new ON COMMIT DROP AS
        SELECT (SELECT coalesce(max(pk), 0) FROM documents) + row_number() OVER (ORDER BY s.ord) AS pk, s.*
        FROM (SELECT DISTINCT ON (doc) * FROM stg_documents ORDER BY doc, ord) s
        WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.sha256 = s.doc)""")
    report.added = db.execute("SELECT count(*) FROM stg_new").fetchone()[0]
    db.execute("""
        INSERT INTO documents (pk, id, sha256, title, published, published_day, site, url, source, origin,
            format, language, ingested_at, n_terms, n_paragraphs, n_mentions, n_entities, n_events, n_quotes)
        SELECT pk, id, doc, title, published, published_day, site, url, source, origin, format, language,
            ingested_at, n_terms, n_paragraphs, n_mentions, n_entities, n_events, n_quotes
        FROM stg_new ORDER BY pk""")
    db.execute("INSERT INTO contents (doc, text, analysis, term_offsets) "
               "SELECT pk, text, analysis, term_offsets FROM stg_new")
    db.execute("INSERT INTO doc_fts (doc, title, body) "
               "SELECT pk, coalesce(title_terms, ''), coalesce(body_terms, '') FROM stg_new")
    db.execute("""
        INSERT INTO copies (doc, source, record, format, byte_start, byte_end, encoding, url, ingested_at)
        SELECT d.pk, s.source, coalesce(s.record, ''), s.format, s.byte_start, s.byte_end, s.encoding, s.url,
            s.ingested_at
        FROM stg_documents s JOIN documents d ON d.sha256 = s.doc ORDER BY s.ord
        ON CONFLICT DO NOTHING""")
    new_copies = db.execute("SELECT count(*) FROM copies").fetchone()[0] - copies_before
    report.duplicates = new_copies - report.added
    report.unchanged = report.records - new_copies
    for table in LAYER_TABLES:
        cols = [c for c, _ in TABLES[table]][1:]
        names = ", ".join(_q(c) for c in cols)
        db.execute(f"INSERT INTO {table} (doc, {names}) "
                   f"SELECT n.pk, {', '.join('s.' + _q(c) for c in cols)} "
                   f"FROM stg_{table} s JOIN stg_new n ON n.doc = s.doc ON CONFLICT DO NOTHING")
