"""Search over the SQLite store: filters, the FTS5 query, BM25 paging and raw-text snippets."""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from marsad.errors import QueryError
from marsad.store.base import SearchHit, SearchResult
from marsad.store.indexing import CLOSE, OPEN, make_snippet
from marsad.store.query import check_text, compile_query

_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
MAX_LIMIT = 1000


def _day(query: str, value: str | None, name: str) -> str | None:
    """A ``since``/``until`` value as YYYY[-MM[-DD]]; a full ISO datetime is cut to its date."""
    if value is None:
        return None
    value = value.strip()
    day = value[:10] if len(value) > 10 and _DATE.fullmatch(value[:10]) else value
    if not _DATE.fullmatch(day):
        raise QueryError(query, f"{name} must be a date like 2017-01-31 (or 2017-01, 2017), not {value!r}")
    return day


def _filters(query: str, source: str | None, since: str | None, until: str | None,
             entity: str | None, event_type: str | None, dialect: Any = None) -> tuple[str, list[Any]]:
    """SQL conditions on ``documents d`` (joined to the FTS rows) and their parameters (``?`` placeholders,
    in ``dialect``'s SQL: SQLite by default; the PostgreSQL search converts them)."""
    from marsad.store.reads import SQLITE, document_filters

    for name, value in (("source", source), ("since", since), ("until", until), ("entity", entity),
                        ("event_type", event_type)):
        if value is not None:
            check_text(value, name)
    where, params = document_filters(dialect or SQLITE, source=source, since=_day(query, since, "since"),
                                     until=_day(query, until, "until"), entity=entity, event_type=event_type)
    return " AND ".join(where), params


def run_search(db: sqlite3.Connection, query: str, *, source: str | None, since: str | None,
               until: str | None, entity: str | None, event_type: str | None, limit: int, offset: int,
               markers: tuple[str, str], snippets: bool) -> SearchResult:
    """One page of hits, best first (see ``Store.search``); the caller holds the connection's lock."""
    compiled = compile_query(query)
    if not 0 <= limit <= MAX_LIMIT or offset < 0:
        raise QueryError(query, f"limit must be 0–{MAX_LIMIT} and offset ≥ 0")
    where, params = _filters(query, source, since, until, entity, event_type)
    frm = "doc_fts JOIN documents d ON d.pk = doc_fts.rowid" if where else "doc_fts"
    cond = "doc_fts MATCH ?" + (f" AND {where}" if where else "")
    args = [compiled.match, *params]
    total = db.execute(f"SELECT count(*) FROM {frm} WHERE {cond}", args).fetchone()[0]
    page = db.execute(f"SELECT doc_fts.rowid, doc_fts.rank FROM {frm} WHERE {cond} "
                      "ORDER BY doc_fts.rank LIMIT ? OFFSET ?", [*args, limit, offset]).fetchall()
    hits = _hits(db, compiled.match, page, markers, snippets)
    return SearchResult(query, compiled.match, total, hits, limit, offset)


def _hits(db: sqlite3.Connection, match: str, page: list[tuple[int, float]], markers: tuple[str, str],
          snippets: bool) -> list[SearchHit]:
    """Hit rows for one page; snippets from highlight() on the term column mapped to raw offsets."""
    if not page:
        return []
    pks = [pk for pk, _ in page]
    cols = "d.pk, d.id, d.title, d.published, d.source, d.site, d.url"
    if snippets:
        cols += ", c.text, c.term_offsets FROM documents d JOIN contents c ON c.doc = d.pk"
    else:
        cols += " FROM documents d"
    meta = {r[0]: r for r in db.execute(
        f"SELECT {cols} WHERE d.pk IN ({','.join('?' * len(pks))})", pks)}
    hits = []
    for pk, rank in page:
        _, id_, title, published, source, site, url = meta[pk][:7]
        hit = SearchHit(id_, title, published, source, site, url, -float(rank), "")
        if snippets:
            (hl,) = db.execute(f"SELECT highlight(doc_fts, 1, '{OPEN}', '{CLOSE}') FROM doc_fts "
                               "WHERE doc_fts MATCH ? AND rowid = ?", (match, pk)).fetchone()
            hit.snippet, hit.snippet_parts, hit.highlights = make_snippet(meta[pk][7], hl, meta[pk][8], markers)
        hits.append(hit)
    return hits
