"""The Parquet tables ``marsad spark-ingest`` writes and ``marsad load`` reads (documented in docs/spark.md).

Rows are the store's own rows (:func:`marsad.store.rows.document_rows`) with the integer document key
replaced by the content's ``sha256`` (column ``doc``), so the tables are independent of any database and a
loader assigns its own keys. ``documents`` holds one row per record read (a content seen twice appears
twice, with its two sources); the layer tables hold the rows of each record's analysis (identical for
identical content; loaders keep one copy).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from typing import Any

from marsad.model import Analysis
from marsad.store.rows import INSERTS_SQLITE, copy_key, document_rows

#: Bump when a table's columns change; written to manifest.json and checked by the loader.
LAYOUT_VERSION = 1

_INTS = {"idx", "start", "end", "duplicate_of", "i", "paragraph", "trigger_start", "trigger_end",
         "sentence_start", "sentence_end", "event", "n_terms", "n_paragraphs", "n_mentions", "n_entities",
         "n_events", "n_quotes", "byte_start", "byte_end"}
_FLOATS = {"confidence", "value", "lat", "lon"}
_BINARY = {"term_offsets"}


def _kind(column: str) -> str:
    if column in _INTS:
        return "int"
    if column in _FLOATS:
        return "float"
    return "binary" if column in _BINARY else "str"


def _columns(sql: str) -> list[str]:
    m = re.match(r"INSERT INTO \w+\((.*?)\) VALUES", sql)
    assert m, sql
    return [c.strip().strip('"') for c in m.group(1).split(",")]


#: documents: the store's documents row (less pk), its contents and index terms, and the copy it was read at.
DOCUMENT_COLUMNS = ["doc", "id", "title", "published", "published_day", "site", "url", "source", "origin",
                    "format", "language", "ingested_at", "n_terms", "n_paragraphs", "n_mentions", "n_entities",
                    "n_events", "n_quotes", "record", "byte_start", "byte_end", "encoding", "text", "analysis",
                    "term_offsets", "title_terms", "body_terms"]
#: Layer tables: the columns of the store's INSERTs, ``doc`` being the sha256.
LAYER_TABLES = ("paragraphs", "mentions", "entities", "events", "event_arguments", "quotes")
ERROR_COLUMNS = ["source", "record", "stage", "reason"]

TABLES: dict[str, list[tuple[str, str]]] = {
    "documents": [(c, _kind(c)) for c in DOCUMENT_COLUMNS],
    **{t: [(c, _kind(c)) for c in _columns(INSERTS_SQLITE[t])] for t in LAYER_TABLES},
    "errors": [(c, "str") for c in ERROR_COLUMNS],
}


def _typed(row: tuple[Any, ...], table: str) -> tuple[Any, ...]:
    """Values coerced to the column kinds (an int confidence must be a float for Parquet/Spark)."""
    out: list[Any] = []
    for value, (_, kind) in zip(row, TABLES[table], strict=True):
        if value is None:
            out.append(None)
        elif kind == "float":
            out.append(float(value))
        elif kind == "int":
            out.append(int(value))
        else:
            out.append(value)
    return tuple(out)


def analysis_rows(analysis: Analysis, now: str) -> list[tuple[str, tuple[Any, ...]]]:
    """(table, row) for every row of one analysis, keyed by sha256."""
    sha = analysis.document.sha256
    rows = document_rows(0, analysis, now, sha)
    prov = analysis.document.provenance
    d, (_, text, payload, offsets), (_, title_terms, body_terms) = rows.documents[0], rows.contents[0], rows.fts[0]
    _, record = copy_key(analysis)
    doc = (sha, d[1], *d[3:19], record, prov.byte_start, prov.byte_end, prov.encoding, text, payload, offsets,
           title_terms, body_terms)
    out = [("documents", _typed(doc, "documents"))]
    for table in LAYER_TABLES:
        out.extend((table, _typed((sha, *r[1:]), table)) for r in getattr(rows, table))
    return out


def error_row(source: str, record: str | None, stage: str, reason: str) -> tuple[str, tuple[Any, ...]]:
    return "errors", (source, record or "", stage, reason)


def arrow_schema(table: str) -> Any:
    """The pyarrow schema of a table."""
    import pyarrow as pa

    kinds = {"int": pa.int64(), "float": pa.float64(), "str": pa.string(), "binary": pa.binary()}
    return pa.schema([(c, kinds[k]) for c, k in TABLES[table]])


def write_tables(rows: Iterable[tuple[str, tuple[Any, ...]]], folder: str, *, rows_per_file: int = 5000,
                 extra: dict[str, Any] | None = None, prefix: str = "part",
                 manifest: bool = True) -> dict[str, int]:
    """Write (table, row) pairs in the Parquet layout: ``folder/<table>/<prefix>-NNNNN.parquet`` (and
    ``manifest.json`` unless ``manifest=False``). Used in one process and by each Spark partition
    (``prefix`` = its partition number). Returns rows per table."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    buffers: dict[str, list[tuple[Any, ...]]] = {t: [] for t in TABLES}
    parts = dict.fromkeys(TABLES, 0)
    counts = dict.fromkeys(TABLES, 0)

    def flush(table: str) -> None:
        schema = arrow_schema(table)
        cols: list[Any] = list(zip(*buffers[table], strict=True)) if buffers[table] else [[] for _ in schema]
        batch = pa.table([pa.array(list(c), type=f.type) for c, f in zip(cols, schema, strict=True)], schema=schema)
        pq.write_table(batch, os.path.join(folder, table, f"{prefix}-{parts[table]:05d}.parquet"))
        parts[table] += 1
        buffers[table] = []

    for table in TABLES:
        os.makedirs(os.path.join(folder, table), exist_ok=True)
    for table, row in rows:
        buffers[table].append(row)
        counts[table] += 1
        if len(buffers[table]) >= rows_per_file:
            flush(table)
    for table in TABLES:
        if buffers[table] or parts[table] == 0:
            flush(table)
    if manifest:
        with open(os.path.join(folder, "manifest.json"), "w", encoding="utf-8") as fh:
            json.dump({"layout_version": LAYOUT_VERSION, "rows": counts, **(extra or {})}, fh, indent=1)
    return counts
