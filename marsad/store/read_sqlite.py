"""Read-only queries over the SQLite layer tables for the web app and the CLI: entities grouped by id,
events with filters, quotes by speaker. Same SQL and result shapes as ``marsad.web.queries`` (which runs
it on its own read connection today), so that module can call ``Store`` methods instead.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from marsad.text import fold

NAMED_TYPES = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "WEAPON")
TYPE_GROUPS = {"PLACE": ("GPE", "LOC", "FAC")}


def _marks(values: tuple[str, ...] | list[Any]) -> str:
    return ",".join("?" * len(values))


def _fold_fn(db: sqlite3.Connection) -> None:
    """``marsad_fold(text)`` in SQL: the project's folding, so Arabic spellings match."""
    db.create_function("marsad_fold", 1, lambda s: fold(s) if s else "", deterministic=True)


def entity_counts(db: sqlite3.Connection, *, type: str | None = None, q: str | None = None, limit: int = 50,
                  offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
    """Per-article entities grouped by stable id, most articles first: (total ids, page of rows)."""
    types = TYPE_GROUPS.get(type, (type,)) if type else NAMED_TYPES
    where = [f"type IN ({_marks(types)})"]
    params: list[Any] = list(types)
    if q:
        _fold_fn(db)
        where.append("(instr(marsad_fold(canonical), ?) > 0 OR instr(marsad_fold(variants), ?) > 0 "
                     "OR instr(lower(latin), lower(?)) > 0)")
        params += [fold(q), fold(q), q]
    cond = " AND ".join(where)
    total = db.execute(f"SELECT count(DISTINCT id) FROM entities WHERE {cond}", params).fetchone()[0]
    rows = db.execute(
        "SELECT id, type, canonical, max(latin), max(country), count(DISTINCT doc) AS n, "
        f"sum(json_array_length(mentions)) AS m FROM entities WHERE {cond} GROUP BY id "
        "ORDER BY n DESC, m DESC, canonical LIMIT ? OFFSET ?", [*params, limit, offset]).fetchall()
    cols = ("id", "type", "canonical", "latin", "country", "articles", "mentions")
    return int(total or 0), [dict(zip(cols, r)) for r in rows]


def events(db: sqlite3.Connection, *, type: str | None = None, since: str | None = None, until: str | None = None,
           entity: str | None = None, source: str | None = None, doc: str | None = None, limit: int = 50,
           offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
    """Events with their arguments and article, newest first; dates are the event's resolved date, else the
    article's day (inclusive ISO prefixes)."""
    where: list[str] = []
    params: list[Any] = []
    day = "coalesce(substr(ev.when_resolved, 1, 10), d.published_day)"
    for cond, value in (("ev.type = ?", type), (f"{day} >= ?", since), (f"{day} <= ?", until and until + "~"),
                        (("EXISTS (SELECT 1 FROM event_arguments a WHERE a.doc = ev.doc AND a.event = ev.i "
                          "AND a.entity_id = ?)"), entity), ("d.id = ?", doc)):
        if value:
            where.append(cond)
            params.append(value)
    if source:
        where.append("(d.site = ? COLLATE NOCASE OR d.origin = ? OR substr(d.source, 1, ?) = ?)")
        params += [source, source, len(source), source]
    frm = "FROM events ev JOIN documents d ON d.pk = ev.doc" + (" WHERE " + " AND ".join(where) if where else "")
    total = db.execute(f"SELECT count(*) {frm}", params).fetchone()[0]
    rows = db.execute(
        "SELECT ev.doc, ev.i, ev.type, ev.cameo, ev.trigger, ev.trigger_start, ev.trigger_end, ev.paragraph, "
        "ev.\"when\", ev.when_resolved, ev.\"where\", ev.modality, ev.attributed_to, ev.status, ev.confidence, "
        f"d.id, d.title, d.published_day, d.origin {frm} ORDER BY d.published_day IS NULL, d.published_day DESC, "
        "ev.doc DESC, ev.i LIMIT ? OFFSET ?", [*params, limit, offset]).fetchall()
    cols = ("type", "cameo", "trigger", "trigger_start", "trigger_end", "paragraph", "when", "when_resolved",
            "where", "modality", "attributed_to", "status", "confidence", "doc", "title", "published", "source")
    args: dict[tuple[int, int], list[dict[str, Any]]] = {}
    docs = sorted({r[0] for r in rows})
    if docs:
        wanted = {(r[0], r[1]) for r in rows}
        for d, ev, role, text, start, end, eid in db.execute(
                f"SELECT doc, event, role, text, start, \"end\", entity_id FROM event_arguments WHERE doc IN "
                f"({_marks(docs)}) ORDER BY doc, event, i", docs):
            if (d, ev) in wanted:
                args.setdefault((d, ev), []).append(
                    {"role": role, "text": text, "start": start, "end": end, "entity_id": eid})
    out = []
    for r in rows:
        item = dict(zip(cols, r[2:]))
        item["index"] = r[1]
        item["arguments"] = args.get((r[0], r[1]), [])
        out.append(item)
    return int(total or 0), out


def quotes(db: sqlite3.Connection, *, speaker: str | None = None, entity: str | None = None, limit: int = 50,
           offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
    """Quotes, newest first, by speaker name and/or speaker entity id."""
    where = [c for c, v in (("q.speaker_entity_id = ?", entity), ("q.speaker = ?", speaker)) if v]
    params = [v for v in (entity, speaker) if v]
    frm = "FROM quotes q JOIN documents d ON d.pk = q.doc" + (" WHERE " + " AND ".join(where) if where else "")
    total = db.execute(f"SELECT count(*) {frm}", params).fetchone()[0]
    rows = db.execute(
        "SELECT q.text, q.start, q.\"end\", q.paragraph, q.speaker, q.speaker_entity_id, q.verb, q.channel, "
        f"q.confidence, d.id, d.title, d.published_day, d.origin {frm} ORDER BY d.published_day IS NULL, "
        "d.published_day DESC, q.doc DESC, q.i LIMIT ? OFFSET ?", [*params, limit, offset]).fetchall()
    cols = ("text", "start", "end", "paragraph", "speaker", "speaker_entity_id", "verb", "channel", "confidence",
            "doc", "title", "published", "source")
    return int(total or 0), [dict(zip(cols, r)) for r in rows]
