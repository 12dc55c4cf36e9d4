"""Read-only SQL the web layer needs and the Store interface does not offer yet (listings, filters, counts).

Everything here reads the SQLite tables of ``marsad.store.schema_sqlite`` through its own read-only
connection per thread (WAL: readers never wait for the writer). It is kept in this one module so it can
move into the store (``Store.entities()``, ``Store.events(...)`` …) later without touching the routes.
All values reach SQL as bound parameters; only fixed column lists are ever formatted into a statement.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from marsad.errors import StoreError
from marsad.text import fold

#: Entity types worth a page (dates, amounts and quantities are facts about an article, not actors).
NAMED_TYPES = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "WEAPON")
TYPE_GROUPS = {"PLACE": ("GPE", "LOC", "FAC")}
ENTITY_ID = re.compile(r"[0-9a-f]{16}")


def _fold(value: str | None) -> str:
    return fold(value) if value else ""


def _in(values: tuple[str, ...] | list[str]) -> str:
    return ",".join("?" * len(values))


def _types(type_: str | None) -> tuple[str, ...] | None:
    if not type_:
        return None
    return TYPE_GROUPS.get(type_, (type_,))


class WebQueries:
    """Listing and aggregate queries over one SQLite store file, read-only."""

    def __init__(self, path: str) -> None:
        if path in ("", ":memory:") or "://" in path:
            raise StoreError(f"{path or ':memory:'}: the web queries need an SQLite store file")
        self.path = str(Path(path).resolve())
        self._local = threading.local()

    def _db(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30.0,
                                       check_same_thread=False)
                conn.execute("PRAGMA query_only = ON")
                # the project's own Arabic folding, so a name filter ignores hamza/alef/ya/ta-marbuta forms
                conn.create_function("marsad_fold", 1, _fold, deterministic=True)
            except sqlite3.Error as exc:
                raise StoreError(f"cannot open the store read-only: {exc}") from exc
            self._local.conn = conn
        return conn

    def _all(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            return self._db().execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(f"query failed: {exc}") from exc

    def _one(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> Any:
        rows = self._all(sql, params)
        return rows[0][0] if rows else None

    # -- articles -------------------------------------------------------------------------------------

    def _doc_filters(self, *, source: str | None = None, since: str | None = None, until: str | None = None,
                     entity: str | None = None, event_type: str | None = None) -> tuple[str, list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        if source:
            where.append("(d.site = ? COLLATE NOCASE OR d.origin = ? OR substr(d.source, 1, ?) = ?)")
            params += [source, source, len(source), source]
        if since:
            where.append("d.published_day >= ?")
            params.append(since)
        if until:
            where.append("d.published_day <= ?")
            params.append(until + "~")  # '2017-01~' sorts after every day of January 2017
        if entity:
            where.append("d.pk IN (SELECT doc FROM entities WHERE id = ? OR canonical = ?)")
            params += [entity, entity]
        if event_type:
            where.append("d.pk IN (SELECT doc FROM events WHERE type = ?)")
            params.append(event_type)
        return (" WHERE " + " AND ".join(where)) if where else "", params

    def articles(self, *, limit: int = 20, offset: int = 0, **filters: str | None) -> tuple[int, list[dict[str, Any]]]:
        """Newest articles first, with their layer counts; ``filters``: source, since, until, entity, event_type."""
        where, params = self._doc_filters(**filters)
        total = self._one(f"SELECT count(*) FROM documents d{where}", params)
        rows = self._all(
            "SELECT d.id, d.title, d.published, d.site, d.origin, d.url, d.n_paragraphs, d.n_entities, d.n_events, "
            f"d.n_quotes FROM documents d{where} ORDER BY d.published_day IS NULL, d.published_day DESC, d.pk DESC "
            "LIMIT ? OFFSET ?", [*params, limit, offset])
        cols = ("id", "title", "published", "site", "source", "url", "paragraphs", "entities", "events", "quotes")
        return int(total), [dict(zip(cols, r)) for r in rows]

    def doc_ids(self, **filters: str | None) -> set[str]:
        """Ids of every document passing the filters (to narrow full-text hits)."""
        where, params = self._doc_filters(**filters)
        return {r[0] for r in self._all(f"SELECT d.id FROM documents d{where}", params)}

    def sources(self) -> list[tuple[str, int]]:
        return [(r[0], r[1]) for r in self._all(
            "SELECT origin, count(*) FROM documents GROUP BY origin ORDER BY count(*) DESC, origin LIMIT 200")]

    def event_types(self) -> list[tuple[str, int]]:
        return [(r[0], r[1]) for r in self._all("SELECT type, count(*) FROM events GROUP BY type ORDER BY type")]

    def entity_types(self) -> list[tuple[str, int]]:
        return [(r[0], r[1]) for r in self._all(
            f"SELECT type, count(DISTINCT id) FROM entities WHERE type IN ({_in(NAMED_TYPES)}) GROUP BY type "
            "ORDER BY type", NAMED_TYPES)]

    # -- entities -------------------------------------------------------------------------------------

    def entities(self, *, type: str | None = None, q: str | None = None, limit: int = 50, offset: int = 0
                 ) -> tuple[int, list[dict[str, Any]]]:
        """Corpus entities (grouped by their stable id), most articles first."""
        types = _types(type) or NAMED_TYPES
        where = [f"type IN ({_in(types)})"]
        params: list[Any] = list(types)
        if q:
            where.append("(instr(marsad_fold(canonical), ?) > 0 OR instr(marsad_fold(variants), ?) > 0 "
                         "OR instr(lower(latin), lower(?)) > 0)")
            folded = fold(q)
            params += [folded, folded, q]
        cond = " AND ".join(where)
        total = self._one(f"SELECT count(DISTINCT id) FROM entities WHERE {cond}", params)
        rows = self._all(
            "SELECT id, type, canonical, max(latin), max(country), count(DISTINCT doc) AS n, "
            f"sum(json_array_length(mentions)) AS m FROM entities WHERE {cond} GROUP BY id "
            "ORDER BY n DESC, m DESC, canonical LIMIT ? OFFSET ?", [*params, limit, offset])
        cols = ("id", "type", "canonical", "latin", "country", "articles", "mentions")
        return int(total or 0), [dict(zip(cols, r)) for r in rows]

    def resolve_entity(self, name: str) -> str | None:
        """A stable entity id from an id or an exact canonical name / variant."""
        if ENTITY_ID.fullmatch(name):
            return name if self._one("SELECT 1 FROM entities WHERE id = ? LIMIT 1", (name,)) else None
        row = self._all("SELECT id, count(*) n FROM entities WHERE canonical = ? GROUP BY id ORDER BY n DESC "
                        "LIMIT 1", (name,))
        if row:
            return str(row[0][0])
        row = self._all("SELECT e.id FROM entities e, json_each(e.variants) v WHERE v.value = ? "
                        "GROUP BY e.id ORDER BY count(*) DESC LIMIT 1", (name,))
        return str(row[0][0]) if row else None

    def entity(self, entity_id: str) -> dict[str, Any] | None:
        """One corpus entity: names, roles, articles, mentions per day, co-occurring entities."""
        rows = self._all(
            "SELECT e.type, e.canonical, e.latin, e.country, e.mentions, e.variants, e.roles, d.id, d.title, "
            "d.published_day, d.origin FROM entities e JOIN documents d ON d.pk = e.doc WHERE e.id = ? "
            "ORDER BY d.published_day IS NULL, d.published_day DESC, d.pk DESC", (entity_id,))
        if not rows:
            return None
        canon: Counter[str] = Counter()
        variants: Counter[str] = Counter()
        roles: Counter[str] = Counter()
        per_day: Counter[str] = Counter()
        latin = country = None
        articles = []
        mentions = 0
        for type_, canonical, lat, cc, ments, vars_, rls, doc, title, day, origin in rows:
            canon[canonical] += 1
            n = len(json.loads(ments or "[]"))
            mentions += n
            variants.update(set(json.loads(vars_ or "[]")))
            roles.update(set(json.loads(rls or "[]")))
            latin = latin or lat
            country = country or cc
            if day:
                per_day[day] += n
            articles.append({"id": doc, "title": title, "published": day, "source": origin, "mentions": n})
        return {
            "id": entity_id, "type": rows[0][0], "canonical": canon.most_common(1)[0][0], "latin": latin,
            "country": country, "articles": len(articles), "mentions": mentions,
            "variants": dict(variants.most_common()), "roles": dict(roles.most_common()),
            "mentions_per_day": dict(sorted(per_day.items())), "articles_list": articles[:200],
        }

    def cooccurring(self, entity_id: str, *, limit: int = 15) -> dict[str, Any]:
        """Entities sharing articles with this one, and the links among them (a small network)."""
        nodes = [{"id": r[0], "type": r[1], "canonical": r[2], "articles": r[3]} for r in self._all(
            f"SELECT b.id, b.type, max(b.canonical), count(DISTINCT b.doc) n FROM entities a JOIN entities b "
            f"ON b.doc = a.doc AND b.id != a.id WHERE a.id = ? AND b.type IN ({_in(NAMED_TYPES)}) "
            "GROUP BY b.id ORDER BY n DESC, max(b.canonical) LIMIT ?", (entity_id, *NAMED_TYPES, limit))]
        ids = [n["id"] for n in nodes]
        edges = []
        if len(ids) > 1:
            edges = [{"a": r[0], "b": r[1], "articles": r[2]} for r in self._all(
                f"SELECT a.id, b.id, count(DISTINCT a.doc) FROM entities a JOIN entities b ON b.doc = a.doc "
                f"AND a.id < b.id WHERE a.id IN ({_in(ids)}) AND b.id IN ({_in(ids)}) GROUP BY a.id, b.id",
                [*ids, *ids])]
        return {"nodes": nodes, "edges": edges}

    # -- events ---------------------------------------------------------------------------------------

    def _event_filters(self, *, type: str | None = None, since: str | None = None, until: str | None = None,
                       entity: str | None = None, source: str | None = None, doc: str | None = None
                       ) -> tuple[str, list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        day = "coalesce(substr(ev.when_resolved, 1, 10), d.published_day)"
        if type:
            where.append("ev.type = ?")
            params.append(type)
        if since:
            where.append(f"{day} >= ?")
            params.append(since)
        if until:
            where.append(f"{day} <= ?")
            params.append(until + "~")
        if entity:
            where.append("EXISTS (SELECT 1 FROM event_arguments a WHERE a.doc = ev.doc AND a.event = ev.i "
                         "AND a.entity_id = ?)")
            params.append(entity)
        if source:
            where.append("(d.site = ? COLLATE NOCASE OR d.origin = ? OR substr(d.source, 1, ?) = ?)")
            params += [source, source, len(source), source]
        if doc:
            where.append("d.id = ?")
            params.append(doc)
        return (" WHERE " + " AND ".join(where)) if where else "", params

    def events(self, *, limit: int = 50, offset: int = 0, **filters: str | None) -> tuple[int, list[dict[str, Any]]]:
        """Events with their arguments and article, newest first; ``filters``: type, since, until, entity,
        source, doc."""
        where, params = self._event_filters(**filters)
        frm = f"FROM events ev JOIN documents d ON d.pk = ev.doc{where}"
        total = self._one(f"SELECT count(*) {frm}", params)
        rows = self._all(
            "SELECT ev.doc, ev.i, ev.type, ev.cameo, ev.trigger, ev.trigger_start, ev.trigger_end, ev.paragraph, "
            "ev.\"when\", ev.when_resolved, ev.\"where\", ev.modality, ev.attributed_to, ev.status, ev.confidence, "
            f"d.id, d.title, d.published_day, d.origin {frm} ORDER BY d.published_day IS NULL, d.published_day DESC, "
            "ev.doc DESC, ev.i LIMIT ? OFFSET ?", [*params, limit, offset])
        cols = ("type", "cameo", "trigger", "trigger_start", "trigger_end", "paragraph", "when", "when_resolved",
                "where", "modality", "attributed_to", "status", "confidence", "doc", "title", "published", "source")
        out = []
        keys = [(r[0], r[1]) for r in rows]
        args = self._arguments(keys)
        for r in rows:
            item = dict(zip(cols, r[2:]))
            item["index"] = r[1]
            item["arguments"] = args.get((r[0], r[1]), [])
            out.append(item)
        return int(total or 0), out

    def _arguments(self, keys: list[tuple[int, int]]) -> dict[tuple[int, int], list[dict[str, Any]]]:
        out: dict[tuple[int, int], list[dict[str, Any]]] = {}
        docs = sorted({k[0] for k in keys})
        if not docs:
            return out
        wanted = set(keys)
        for doc, event, role, text, start, end, eid in self._all(
                f"SELECT doc, event, role, text, start, \"end\", entity_id FROM event_arguments WHERE doc IN "
                f"({_in(docs)}) ORDER BY doc, event, i", docs):  # type: ignore[arg-type]
            if (doc, event) in wanted:
                out.setdefault((doc, event), []).append(
                    {"role": role, "text": text, "start": start, "end": end, "entity_id": eid})
        return out

    # -- quotes ---------------------------------------------------------------------------------------

    def quotes(self, *, speaker: str | None = None, entity: str | None = None, limit: int = 50, offset: int = 0
               ) -> tuple[int, list[dict[str, Any]]]:
        """Quotes, newest first, optionally by speaker name or speaker entity id."""
        where: list[str] = []
        params: list[Any] = []
        if entity:
            where.append("q.speaker_entity_id = ?")
            params.append(entity)
        if speaker:
            where.append("q.speaker = ?")
            params.append(speaker)
        cond = (" WHERE " + " AND ".join(where)) if where else ""
        frm = f"FROM quotes q JOIN documents d ON d.pk = q.doc{cond}"
        total = self._one(f"SELECT count(*) {frm}", params)
        rows = self._all(
            "SELECT q.text, q.start, q.\"end\", q.paragraph, q.speaker, q.speaker_entity_id, q.verb, q.channel, "
            f"q.confidence, d.id, d.title, d.published_day, d.origin {frm} ORDER BY d.published_day IS NULL, "
            "d.published_day DESC, q.doc DESC, q.i LIMIT ? OFFSET ?", [*params, limit, offset])
        cols = ("text", "start", "end", "paragraph", "speaker", "speaker_entity_id", "verb", "channel", "confidence",
                "doc", "title", "published", "source")
        return int(total or 0), [dict(zip(cols, r)) for r in rows]

    def speakers(self, *, limit: int = 100) -> list[dict[str, Any]]:
        """Who is quoted most: speaker (entity id when linked) and number of quotes."""
        rows = self._all("SELECT speaker_entity_id, max(speaker), count(*) n FROM quotes WHERE speaker IS NOT NULL "
                         "GROUP BY coalesce(speaker_entity_id, speaker) ORDER BY n DESC, max(speaker) LIMIT ?",
                         (limit,))
        return [{"entity_id": r[0], "speaker": r[1], "quotes": r[2]} for r in rows]

    # -- dashboard ------------------------------------------------------------------------------------

    def per_day(self, *, days: int = 365) -> dict[str, int]:
        """Articles per publication day, the last ``days`` days that have any."""
        rows = self._all("SELECT published_day, count(*) FROM documents WHERE published_day IS NOT NULL "
                         "GROUP BY published_day ORDER BY published_day DESC LIMIT ?", (days,))
        return {r[0]: r[1] for r in reversed(rows)}

    def top_entities_recent(self, *, days: int = 7, limit: int = 15) -> dict[str, Any]:
        """Most-mentioned named entities in the ``days`` before the newest article (all time if undated)."""
        newest = self._one("SELECT max(published_day) FROM documents")
        params: list[Any] = list(NAMED_TYPES)
        cond = ""
        since = None
        if newest and len(newest) >= 10:
            try:
                since = (date.fromisoformat(newest[:10]) - timedelta(days=days - 1)).isoformat()
            except ValueError:
                since = None
        if since:
            cond = " AND d.published_day >= ?"
            params.append(since)
        rows = self._all(
            "SELECT e.id, e.type, max(e.canonical), count(DISTINCT e.doc) n, sum(json_array_length(e.mentions)) m "
            f"FROM entities e JOIN documents d ON d.pk = e.doc WHERE e.type IN ({_in(NAMED_TYPES)}){cond} "
            "GROUP BY e.id ORDER BY n DESC, m DESC LIMIT ?", [*params, limit])
        return {"since": since, "until": newest, "entities": [
            {"id": r[0], "type": r[1], "canonical": r[2], "articles": r[3], "mentions": r[4]} for r in rows]}

    def newest_day(self) -> str | None:
        """The latest publication day (YYYY-MM-DD) in the store, if any article is dated."""
        day = self._one("SELECT max(published_day) FROM documents")
        return str(day)[:10] if day and len(str(day)) >= 10 else None

    def data_version(self) -> tuple[int, int]:
        """(document count, largest pk): changes whenever documents are added (for caches)."""
        row = self._all("SELECT count(*), coalesce(max(pk), 0) FROM documents")[0]
        return int(row[0]), int(row[1])

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
