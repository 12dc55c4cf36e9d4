"""Search over the PostgreSQL store: filters, the GIN-indexed tsquery, ts_rank_cd paging, raw-text snippets."""

from __future__ import annotations

from typing import Any

import psycopg

from marsad.errors import QueryError
from marsad.store.base import SearchHit, SearchResult
from marsad.store.indexing import CLOSE, OPEN, make_snippet
from marsad.store.pg_query import TS_CONFIG, compile_pg, highlight_phrases
from marsad.store.reads import POSTGRES
from marsad.store.search_sqlite import MAX_LIMIT
from marsad.store.search_sqlite import _filters as sqlite_filters

#: Rank: cover density (terms close together score higher), title weight A = 1.0 vs body D = 0.1, divided
#: by 1 + log(document length) (normalisation 1) so long articles do not win by size alone.
RANK = "ts_rank_cd(f.tsv, q.q, 1)"


def _filters(query: str, source: str | None, since: str | None, until: str | None,
             entity: str | None, event_type: str | None) -> tuple[str, list[Any]]:
    """SQL conditions on ``documents d`` with their parameters: the SQLite store's filters, in PostgreSQL."""
    where, params = sqlite_filters(query, source, since, until, entity, event_type, POSTGRES)
    return POSTGRES.sql(where), params


def run_search(db: psycopg.Connection, query: str, *, source: str | None, since: str | None,
               until: str | None, entity: str | None, event_type: str | None, limit: int, offset: int,
               markers: tuple[str, str], snippets: bool) -> SearchResult:
    """One page of hits, best first (see ``Store.search``); the caller holds the connection's lock."""
    compiled = compile_pg(query)
    if not 0 <= limit <= MAX_LIMIT or offset < 0:
        raise QueryError(query, f"limit must be 0–{MAX_LIMIT} and offset ≥ 0")
    where, params = _filters(query, source, since, until, entity, event_type)
    frm = (f"doc_fts f CROSS JOIN (SELECT to_tsquery('{TS_CONFIG}', %s) AS q) q"
           + (" JOIN documents d ON d.pk = f.doc" if where else ""))
    cond = "f.tsv @@ q.q" + (f" AND {where}" if where else "")
    args = [compiled.match, *params]
    # one scan ranks every match and counts them (the window count), instead of a count then a ranking
    rows = db.execute(f"SELECT f.doc, {RANK} AS r, count(*) OVER () FROM {frm} WHERE {cond} "
                      "ORDER BY r DESC, f.doc LIMIT %s OFFSET %s", [*args, max(limit, 1), offset]).fetchall()
    if rows:
        total = rows[0][2]
    elif offset == 0:
        total = 0
    else:  # a page past the end: count separately
        total = db.execute(f"SELECT count(*) FROM {frm} WHERE {cond}", args).fetchone()[0]  # type: ignore[index]
    page = [(pk, rank) for pk, rank, _ in rows[:limit]]
    hits = _hits(db, compiled.ast, page, markers, snippets)
    return SearchResult(query, compiled.match, int(total), hits, limit, offset)


def highlighted(body: str, phrases: set[tuple[tuple[str, ...], bool]]) -> str:
    """The space-joined body terms with each matched word or phrase between OPEN/CLOSE, overlapping
    matches merged (what FTS5's highlight() gives the SQLite store)."""
    terms = body.split(" ")
    low = [t.lower() for t in terms]  # 'simple' lower-cases Latin terms on both sides
    ranges: list[tuple[int, int]] = []
    for words, prefix in phrases:
        words = tuple(w.lower() for w in words)
        n = len(words)
        for i in range(len(low) - n + 1):
            if low[i:i + n - 1] == list(words[:-1]) and (
                    low[i + n - 1].startswith(words[-1]) if prefix else low[i + n - 1] == words[-1]):
                ranges.append((i, i + n - 1))
    merged: list[tuple[int, int]] = []
    for a, b in sorted(ranges):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    for a, b in reversed(merged):
        terms[a] = OPEN + terms[a]
        terms[b] = terms[b] + CLOSE
    return " ".join(terms)


def _hits(db: psycopg.Connection, ast: Any, page: list[tuple[Any, ...]], markers: tuple[str, str],
          snippets: bool) -> list[SearchHit]:
    if not page:
        return []
    pks = [pk for pk, _ in page]
    cols = "d.pk, d.id, d.title, d.published, d.source, d.site, d.url"
    if snippets:
        cols += (", c.text, c.term_offsets, f.body FROM documents d JOIN contents c ON c.doc = d.pk "
                 "JOIN doc_fts f ON f.doc = d.pk")
    else:
        cols += " FROM documents d"
    meta = {r[0]: r for r in db.execute(f"SELECT {cols} WHERE d.pk = ANY(%s)", (pks,)).fetchall()}
    phrases = highlight_phrases(ast)
    hits = []
    for pk, rank in page:
        _, id_, title, published, source, site, url = meta[pk][:7]
        hit = SearchHit(id_, title, published, source, site, url, float(rank), "")
        if snippets:
            text, offsets, body = meta[pk][7], bytes(meta[pk][8]), meta[pk][9]
            hit.snippet, hit.snippet_parts, hit.highlights = make_snippet(
                text, highlighted(body, phrases), offsets, markers)
        hits.append(hit)
    return hits
