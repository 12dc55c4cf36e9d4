"""Read-only listing queries over the layer tables, written once for SQLite and PostgreSQL.

The web app and the CLI list articles, entities (grouped by stable id), events, quotes and counts through a
:class:`Reads` (``Store.reader()``): one SQL text per query, ``?`` placeholders, and a :class:`Dialect` for
the few spellings that differ (``instr``/``strpos``, JSON functions, the byte-order collation). Every value
reaches SQL as a bound parameter; only fixed column lists and dialect fragments are formatted in.
How the rows are fetched (a shared connection, per-thread read-only connections, a pool) is the caller's
``run`` function (:mod:`marsad.store.read_conns`), which also turns backend errors into ``StoreError``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from marsad.text import fold

#: Entity types worth a page (dates, amounts and quantities are facts about an article, not actors).
NAMED_TYPES = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "WEAPON")
TYPE_GROUPS = {"PLACE": ("GPE", "LOC", "FAC")}
ENTITY_ID = re.compile(r"[0-9a-f]{16}")

Run = Callable[[str, Sequence[Any]], list[tuple[Any, ...]]]


@dataclass(frozen=True, slots=True)
class Dialect:
    """What differs between the backends in the listing SQL."""

    name: str
    pg: bool

    @property
    def c(self) -> str:
        """Byte-order collation for ORDER BY and comparisons (SQLite's default already is)."""
        return ' COLLATE "C"' if self.pg else ""

    def instr(self, haystack: str, needle: str) -> str:
        return f"strpos({haystack}, {needle})" if self.pg else f"instr({haystack}, {needle})"

    def json_len(self, column: str) -> str:
        return f"json_array_length({column}::json)" if self.pg else f"json_array_length({column})"

    def json_values(self, column: str) -> str:
        """A FROM item ``v`` whose ``v.value`` is each string of the JSON list in ``column``."""
        return f"json_array_elements_text({column}::json) AS v(value)" if self.pg else f"json_each({column}) AS v"

    def sql(self, text: str) -> str:
        """The statement with this backend's placeholders (the texts hold no literal ``?`` or ``%``)."""
        return text.replace("?", "%s") if self.pg else text


SQLITE = Dialect("sqlite", pg=False)
POSTGRES = Dialect("postgresql", pg=True)


def _in(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))


def _types(type_: str | None) -> tuple[str, ...]:
    return TYPE_GROUPS.get(type_, (type_,)) if type_ else NAMED_TYPES


def source_filter(dialect: Dialect, source: str) -> tuple[str, list[Any]]:
    """Documents ``d`` from a site (any case), an origin, a path/URL prefix (of any copy), or with a
    folder/file name anywhere in their path ("marsum_goud")."""
    end, part = source + "\U0010ffff", "/" + source.strip("/") + "/"
    in_path = dialect.instr("'/' || d.source || '/'", "?")
    cond = ("(lower(d.site) = lower(?) OR d.origin = ? OR (d.url >= ? AND d.url < ?) "
            f"OR {in_path} > 0 OR d.pk IN (SELECT doc FROM copies WHERE source >= ? AND source < ?))")
    return (cond,
            [source, source, source, end, part, source, end])


def document_filters(dialect: Dialect, *, source: str | None = None, since: str | None = None,
                     until: str | None = None, entity: str | None = None, event_type: str | None = None
                     ) -> tuple[list[str], list[Any]]:
    """Conditions on ``documents d`` and their parameters, shared by listings and both search backends;
    ``since``/``until``: inclusive YYYY[-MM[-DD]] prefixes of the publication day."""
    where: list[str] = []
    params: list[Any] = []
    if source:
        cond, more = source_filter(dialect, source)
        where.append(cond)
        params += more
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
    return where, params


def entity_docs(docs: list[tuple[Any, ...]], ents: list[tuple[Any, ...]],
                texts: list[tuple[Any, ...]]) -> Iterator[dict[str, Any]]:
    """Documents in the shape ``EntityTable.build`` reads, from (pk, id, published, title), entity and
    (doc, i, text) mention rows, each sorted by document."""
    by_doc: dict[int, list[dict[str, Any]]] = {}
    keys = ("id", "type", "canonical", "latin", "country", "lat", "lon")
    for doc, *vals, mentions, roles in ents:
        ent = {k: v for k, v in zip(keys, vals) if v is not None}
        ent["mentions"] = json.loads(mentions) if mentions else []
        ent["roles"] = json.loads(roles) if roles else []
        by_doc.setdefault(doc, []).append(ent)
    mention_texts: dict[int, list[dict[str, Any]]] = {}
    for doc, i, text in texts:
        row = mention_texts.setdefault(doc, [])
        row.extend({"text": ""} for _ in range(i - len(row)))
        row.append({"text": text})
    for pk, doc_id, published, title in docs:
        yield {"id": doc_id, "published": published, "title": title, "entities": mention_texts.get(pk, []),
               "canonical_entities": by_doc.get(pk, [])}


class Reads:
    """Listing and aggregate queries over one store, read-only; ``run(sql, params)`` fetches the rows."""

    def __init__(self, run: Run, dialect: Dialect, close: Callable[[], None] | None = None) -> None:
        self._run = run
        self.dialect = dialect
        self._close = close

    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self._run(self.dialect.sql(sql), list(params))

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        rows = self._all(sql, params)
        return rows[0][0] if rows else None

    def close(self) -> None:
        if self._close is not None:
            self._close()

    # -- articles -------------------------------------------------------------------------------------

    def _doc_filters(self, *, source: str | None = None, since: str | None = None, until: str | None = None,
                     entity: str | None = None, event_type: str | None = None) -> tuple[str, list[Any]]:
        where, params = document_filters(self.dialect, source=source, since=since, until=until, entity=entity,
                                         event_type=event_type)
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
        return [(r[0], r[1]) for r in self._all(
            f"SELECT type, count(*) FROM events GROUP BY type ORDER BY type{self.dialect.c}")]

    def entity_types(self) -> list[tuple[str, int]]:
        return [(r[0], r[1]) for r in self._all(
            f"SELECT type, count(DISTINCT id) FROM entities WHERE type IN ({_in(NAMED_TYPES)}) GROUP BY type "
            f"ORDER BY type{self.dialect.c}", NAMED_TYPES)]

    # -- entities -------------------------------------------------------------------------------------

    def _name_filter(self, types: tuple[str, ...], q: str) -> tuple[str, list[Any]]:
        """Rows whose canonical name or a variant contains ``q`` after the project's folding (hamza, alef,
        ya forms), or whose Latin name contains it in any case."""
        folded = fold(q)
        latin = f"{self.dialect.instr('lower(latin)', 'lower(?)')} > 0"
        if not self.dialect.pg:  # SQLite: marsad_fold() is registered on every connection (read_conns)
            return (f"(instr(marsad_fold(canonical), ?) > 0 OR instr(marsad_fold(variants), ?) > 0 OR {latin})",
                    [folded, folded, q])
        # PostgreSQL has no marsad_fold(): fold the distinct names here, then match them exactly
        names = self._all(f"SELECT DISTINCT canonical, variants FROM entities WHERE type IN ({_in(types)})", types)
        canon = sorted({c for c, _ in names if folded in fold(c)})
        variants = sorted({v for _, v in names if v and folded in fold(v)})
        return f"(canonical = ANY(?) OR variants = ANY(?) OR {latin})", [canon, variants, q]

    def entities(self, *, type: str | None = None, q: str | None = None, limit: int = 50, offset: int = 0
                 ) -> tuple[int, list[dict[str, Any]]]:
        """Corpus entities grouped by stable id, most articles first: (total ids, page of ``{id, type,
        canonical, latin, country, articles, mentions}``); ``type`` PLACE = GPE/LOC/FAC; ``q`` part of a name."""
        types = _types(type)
        where = [f"type IN ({_in(types)})"]
        params: list[Any] = list(types)
        if q:
            cond, more = self._name_filter(types, q)
            where.append(cond)
            params += more
        cond = " AND ".join(where)
        total = self._one(f"SELECT count(DISTINCT id) FROM entities WHERE {cond}", params)
        rows = self._all(
            "SELECT id, max(type), max(canonical), max(latin), max(country), count(DISTINCT doc) AS n, "
            f"sum({self.dialect.json_len('mentions')}) AS m FROM entities WHERE {cond} GROUP BY id "
            f"ORDER BY n DESC, m DESC, max(canonical){self.dialect.c}, id{self.dialect.c} LIMIT ? OFFSET ?",
            [*params, limit, offset])
        cols = ("id", "type", "canonical", "latin", "country", "articles", "mentions")
        return int(total or 0), [dict(zip(cols, r)) for r in rows]

    def resolve_entity(self, name: str) -> str | None:
        """A stable entity id from an id or an exact canonical name / variant."""
        if ENTITY_ID.fullmatch(name):
            return name if self._one("SELECT 1 FROM entities WHERE id = ? LIMIT 1", (name,)) else None
        c = self.dialect.c
        row = self._all(f"SELECT id, count(*) AS n FROM entities WHERE canonical = ? GROUP BY id "
                        f"ORDER BY n DESC, id{c} LIMIT 1", (name,))
        if row:
            return str(row[0][0])
        row = self._all(f"SELECT e.id FROM entities e, {self.dialect.json_values('e.variants')} WHERE v.value = ? "
                        f"GROUP BY e.id ORDER BY count(*) DESC, e.id{c} LIMIT 1", (name,))
        return str(row[0][0]) if row else None

    def entity(self, entity_id: str) -> dict[str, Any] | None:
        """One corpus entity: names, roles, articles, mentions per day."""
        rows = self._all(
            "SELECT e.type, e.canonical, e.latin, e.country, e.mentions, e.variants, e.roles, d.id, d.title, "
            "d.published_day, d.origin FROM entities e JOIN documents d ON d.pk = e.doc WHERE e.id = ? "
            "ORDER BY d.published_day IS NULL, d.published_day DESC, d.pk DESC, e.i", (entity_id,))
        if not rows:
            return None
        canon: Counter[str] = Counter()
        variants: Counter[str] = Counter()
        roles: Counter[str] = Counter()
        per_day: Counter[str] = Counter()
        latin = country = None
        articles = []
        mentions = 0
        for _type, canonical, lat, cc, ments, vars_, rls, doc, title, day, origin in rows:
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
        c = self.dialect.c
        nodes = [{"id": r[0], "type": r[1], "canonical": r[2], "articles": r[3]} for r in self._all(
            "SELECT b.id, max(b.type), max(b.canonical), count(DISTINCT b.doc) AS n FROM entities a JOIN entities b "
            f"ON b.doc = a.doc AND b.id != a.id WHERE a.id = ? AND b.type IN ({_in(NAMED_TYPES)}) "
            f"GROUP BY b.id ORDER BY n DESC, max(b.canonical){c}, b.id{c} LIMIT ?", (entity_id, *NAMED_TYPES, limit))]
        ids = [n["id"] for n in nodes]
        edges = []
        if len(ids) > 1:
            edges = [{"a": r[0], "b": r[1], "articles": r[2]} for r in self._all(
                f"SELECT a.id, b.id, count(DISTINCT a.doc) FROM entities a JOIN entities b ON b.doc = a.doc "
                f"AND a.id < b.id{c} WHERE a.id IN ({_in(ids)}) AND b.id IN ({_in(ids)}) GROUP BY a.id, b.id "
                f"ORDER BY a.id{c}, b.id{c}", [*ids, *ids])]
        return {"nodes": nodes, "edges": edges}

    # -- events and quotes ----------------------------------------------------------------------------

    def _event_filters(self, *, type: str | None = None, since: str | None = None, until: str | None = None,
                       entity: str | None = None, source: str | None = None, doc: str | None = None
                       ) -> tuple[str, list[Any]]:
        day = f"coalesce(substr(ev.when_resolved, 1, 10){self.dialect.c}, d.published_day)"
        where: list[str] = []
        params: list[Any] = []
        for cond, value in (("ev.type = ?", type), (f"{day} >= ?", since), (f"{day} <= ?", until and until + "~"),
                            (("EXISTS (SELECT 1 FROM event_arguments a WHERE a.doc = ev.doc AND a.event = ev.i "
                              "AND a.entity_id = ?)"), entity), ("d.id = ?", doc)):
            if value:
                where.append(cond)
                params.append(value)
        if source:
            cond, more = source_filter(self.dialect, source)
            where.append(cond)
            params += more
        return (" WHERE " + " AND ".join(where)) if where else "", params

    def events(self, *, limit: int = 50, offset: int = 0, **filters: str | None) -> tuple[int, list[dict[str, Any]]]:
        """Events newest first (dates: the event's resolved date, else the article's day; inclusive ISO
        prefixes) with ``arguments`` and their article; ``filters``: type, since, until, entity, source, doc."""
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
        args: dict[tuple[int, int], list[dict[str, Any]]] = {}
        docs = sorted({r[0] for r in rows})
        if docs:
            wanted = {(r[0], r[1]) for r in rows}
            for d, ev, role, text, start, end, eid in self._all(
                    f"SELECT doc, event, role, text, start, \"end\", entity_id FROM event_arguments WHERE doc IN "
                    f"({_in(docs)}) ORDER BY doc, event, i", docs):
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

    def quotes(self, *, speaker: str | None = None, entity: str | None = None, limit: int = 50, offset: int = 0
               ) -> tuple[int, list[dict[str, Any]]]:
        """Quotes, newest first, by speaker name and/or speaker entity id, with their article."""
        where = [c for c, v in (("q.speaker_entity_id = ?", entity), ("q.speaker = ?", speaker)) if v]
        params = [v for v in (entity, speaker) if v]
        frm = "FROM quotes q JOIN documents d ON d.pk = q.doc" + (" WHERE " + " AND ".join(where) if where else "")
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
        key = "coalesce(speaker_entity_id, speaker)"
        rows = self._all(f"SELECT max(speaker_entity_id), max(speaker), count(*) AS n FROM quotes WHERE speaker IS NOT "
                         f"NULL GROUP BY {key} ORDER BY n DESC, max(speaker){self.dialect.c}, {key}{self.dialect.c} "
                         "LIMIT ?", (limit,))
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
            f"SELECT e.id, max(e.type), max(e.canonical), count(DISTINCT e.doc) AS n, sum({self.dialect.json_len('e.mentions')}) "
            f"AS m FROM entities e JOIN documents d ON d.pk = e.doc WHERE e.type IN ({_in(NAMED_TYPES)}){cond} "
            f"GROUP BY e.id ORDER BY n DESC, m DESC, e.id{self.dialect.c} LIMIT ?", [*params, limit])
        return {"since": since, "until": newest, "entities": [
            {"id": r[0], "type": r[1], "canonical": r[2], "articles": r[3], "mentions": r[4]} for r in rows]}

    def newest_day(self) -> str | None:
        """The latest publication day (YYYY-MM-DD) in the store, if any article is dated."""
        day = self._one("SELECT max(published_day) FROM documents")
        return str(day)[:10] if day and len(str(day)) >= 10 else None

    def data_version(self) -> tuple[int, int, int]:
        """(document count, largest pk, observations in the story/duplicate tables): changes whenever
        documents are added or observed (for caches)."""
        row = self._all("SELECT count(*), coalesce(max(pk), 0), (SELECT coalesce(max(seq), 0) FROM doc_signatures) "
                        "FROM documents")[0]
        return int(row[0]), int(row[1]), int(row[2])
