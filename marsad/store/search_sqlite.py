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
             entity: str | None, event_type: str | None) -> tuple[str, list[Any]]:
    """SQL conditions on ``documents d`` (joined to the FTS rows) and their parameters."""
    where: list[str] = []
    params: list[Any] = []
    for name, value in (("source", source), ("since", since), ("until", until), ("entity", entity),
                        ("event_type", event_type)):
        if value is not None:
            check_text(value, name)
    if entity:
        where.append("d.pk IN (SELECT doc FROM entities WHERE id = ? OR canonical = ?)")
        params += [entity, entity]
    if event_type:
        where.append("d.pk IN (SELECT doc FROM events WHERE type = ?)")
        params.append(event_type)
    if source:
        # a site name, a path/URL prefix, or a folder/file name anywhere in the path ("marsum_goud")
        # (names are matched on the first source, row by row; prefixes on every copy, through the index)
        end, part = source + "\U0010ffff", "/" + source.strip("/") + "/"
        where.append("(d.site = ? COLLATE NOCASE OR d.origin = ? OR (d.url >= ? AND d.url < ?) "
                     "OR instr('/' || d.source || '/', ?) > 0 "
                     "OR d.pk IN (SELECT doc FROM copies WHERE source >= ? AND source < ?))")
        params += [source, source, source, end, part, source, end]
    since_day, until_day = _day(query, since, "since"), _day(query, until, "until")
    if since_day:
        where.append("d.published_day >= ?")
        params.append(since_day)
    if until_day:
        where.append("d.published_day <= ?")
        params.append(until_day + "~")  # '2017-01~' sorts after every day of January 2017
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
