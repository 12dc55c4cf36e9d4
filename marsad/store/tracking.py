"""Ingest-time near-duplicates and stories kept as rows (SQLite schema v3, PostgreSQL v2), never pickled.

The store observes every newly added article, in arrival order, with the state of
:class:`marsad.stories.IngestTracker` (a :class:`marsad.dedup.NearDuplicateIndex` and a
:class:`marsad.stories.StoryClusterer`) and writes what changed in the same transaction as the article:
its MinHash (``doc_signatures``), the canonical article it repeats (``near_duplicates``), its story
(``story_members``) and the touched stories, term document-frequencies and counters. After a restart the
tracker is rebuilt from those rows (``load``), so a crafted store file can hold data but never code.
The SQL runs unchanged on both backends: ``db`` is an ``sqlite3.Connection`` or anything with its
``execute``/``executemany`` and ``?`` placeholders (``marsad.store.postgres.TrackingDb`` over psycopg).

The tracker classes belong to another module and expose no state API yet, so this module reads and sets
their attributes directly; ``tests/test_store_v3.py`` checks a rebuilt tracker decides exactly as the
uninterrupted one.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from datasketch import LeanMinHash, MinHash

from marsad.dedup import DOCUMENT_SHINGLE, MIN_SHINGLES, _hash32, shingles
from marsad.model import Analysis
from marsad.store.indexing import word_terms
from marsad.stories import (
    INDEX_TERMS,
    STORY_ENTITY_TYPES,
    ArticleFeatures,
    IngestTracker,
    Story,
    StoryClusterer,
    _top,
    record_source,
)

#: A connection with sqlite3's execute/executemany and ``?`` placeholders (sqlite3, postgres.TrackingDb).
Db = Any
_SCHEME = "affine32"  # datasketch >= 2 MinHash permutation scheme (uint32 hash values)
_PERMUTATIONS: dict[int, Any] = {}  # num_perm -> permutations (datasketch recomputes them per MinHash)


def _terms(text: str) -> list[str]:
    """``search_terms(text)``, memoised per whitespace-separated chunk (the same list: words never span
    whitespace; checked equal on 2,429 real articles), so it costs a dict lookup per repeated word."""
    return [t for w in text.split() for t in word_terms(w)]


@dataclass(slots=True)
class _Inputs:
    """What one observation needs: the dedup terms (all paragraphs) and the story features."""

    terms: list[str]
    features: ArticleFeatures


def _inputs(doc_id: str, title: str, paragraphs: list[tuple[str, bool]], fallback: str, published: str | None,
            source: str, entities: list[str], events: list[str]) -> _Inputs:
    """The terms ``dedup.index_text``/``ArticleFeatures`` would compute, tokenising each paragraph once.
    ``paragraphs``: (text, is a restatement of an earlier paragraph)."""
    per = [_terms(text) for text, _ in paragraphs]
    every = [t for ts in per for t in ts] if paragraphs else _terms(fallback)
    if " ".join(text for text, dup in paragraphs if not dup):
        body = [t for (_, dup), ts in zip(paragraphs, per) if not dup for t in ts]
    else:
        body = _terms(fallback)
    return _Inputs(every, ArticleFeatures(doc_id, _terms(title) + body, title, published, source, entities, events))


def analysis_inputs(doc_id: str, a: Analysis) -> _Inputs:
    """Inputs of a new article, as ``IngestTracker.observe`` reads it (source: site, else file or URL)."""
    doc = a.document
    ents = sorted({f"{e.type}:{e.canonical}" for e in a.entities if e.type in STORY_ENTITY_TYPES})
    events = sorted({f"{ev.type}:{'|'.join(sorted(x.text for x in ev.arguments if x.role in ('source', 'target', 'actor')))}"
                     for ev in a.events})
    paragraphs = [(a.span(p.start, p.end), p.duplicate_of is not None) for p in a.paragraphs]
    return _inputs(doc_id, a.title or doc.title or "", paragraphs, a.text, doc.published,
                   doc.site or doc.provenance.source, ents, events)


def record_inputs(d: dict[str, Any]) -> _Inputs:
    """Inputs of a stored article (``Store.get`` shape), as ``ArticleFeatures.from_record`` reads it."""
    ents = sorted({f"{e['type']}:{e['canonical']}" for e in d.get("canonical_entities", [])
                   if e.get("type") in STORY_ENTITY_TYPES})
    events = sorted({f"{ev['type']}:{'|'.join(sorted(x['text'] for x in ev.get('arguments', []) if x.get('role') in ('source', 'target', 'actor')))}"
                     for ev in d.get("events", [])})
    paragraphs = [(str(p["text"]), p.get("duplicate_of") is not None) for p in d.get("paragraphs") or []]
    f = _inputs(d["id"], d.get("title") or "", paragraphs, "", d.get("published"), record_source(d), ents, events)
    if not paragraphs:
        f.terms = []  # dedup.record_text of an article without paragraphs is empty
    return f


def _signature(num_perm: int, terms: list[str]) -> tuple[MinHash, int, str]:
    """``NearDuplicateIndex.signature`` from already computed terms."""
    sh = shingles(terms, DOCUMENT_SHINGLE)
    perms = _PERMUTATIONS.get(num_perm)
    m = MinHash(num_perm=num_perm, hashfunc=_hash32, permutations=perms, scheme=_SCHEME if perms is not None else None)
    if perms is None:
        _PERMUTATIONS[num_perm] = m.permutations
    m.update_batch([x.encode("utf-8") for x in sh])
    digest = hashlib.blake2b("\n".join(sorted(sh)).encode("utf-8"), digest_size=16).hexdigest()
    return m, len(sh), digest


@dataclass(slots=True)
class Tracking:
    """An in-memory tracker plus what is needed to write its changes as rows."""

    tracker: IngestTracker
    seq: int = 0  # observations so far (= max(doc_signatures.seq))
    pk_of: dict[str, int] = field(default_factory=dict)  # document id -> pk
    expired: set[str] = field(default_factory=set)  # stories written with expired = 1


def _loads(text: str) -> Any:
    return json.loads(text) if text else {}


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def story_from_row(row: tuple[Any, ...], articles: list[str]) -> Story:
    """A :class:`Story` from a ``stories`` row (id, title, first, last, n, sources, entities, events, centroid)."""
    sid, title, first, last, _n, sources, entities, events, centroid = row[:9]
    return Story(sid, title, first, last, articles, Counter(_loads(sources)), Counter(_loads(entities)),
                 Counter(_loads(events)), {k: float(v) for k, v in _loads(centroid).items()})


STORY_COLUMNS = "id, title, first_seen, last_seen, n_articles, sources, entities, events, centroid, expired"
#: Upserts in the syntax SQLite (>= 3.24) and PostgreSQL share.
_UPSERT_STORY = (f"INSERT INTO stories({STORY_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT (id) DO UPDATE SET "
                 + ", ".join(f"{c} = excluded.{c}" for c in STORY_COLUMNS.split(", ")[1:]))
_UPSERT_DF = "INSERT INTO story_df(term, n) VALUES (?,?) ON CONFLICT (term) DO UPDATE SET n = excluded.n"
_UPSERT_META = "INSERT INTO tracker_meta(key, value) VALUES (?,?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"


def load(db: Db) -> Tracking:
    """Rebuild the tracker from the rows (cost measured in docs/benchmarks.md)."""
    t = IngestTracker()
    idx, clu = t.duplicates, t.stories
    out = Tracking(t)
    for pk, doc_id, seq, size, digest, sig in db.execute(
            "SELECT s.doc, d.id, s.seq, s.size, s.digest, s.sig FROM doc_signatures s JOIN documents d "
            "ON d.pk = s.doc ORDER BY s.seq"):
        out.pk_of[doc_id] = pk
        out.seq = seq
        idx._exact.setdefault(digest, doc_id)
        idx._sizes[doc_id] = size
        if sig is not None:
            hv = np.frombuffer(sig, dtype=np.uint32)
            idx._sigs[doc_id] = hv
            idx._lsh.insert(doc_id, LeanMinHash(seed=1, hashvalues=hv, scheme=_SCHEME), check_duplication=False)
    for doc_id, canonical in db.execute("SELECT d.id, c.id FROM near_duplicates n JOIN documents d ON d.pk = n.doc "
                                        "JOIN documents c ON c.pk = n.canonical"):
        t.canonical_of[doc_id] = canonical
    members: defaultdict[str, list[str]] = defaultdict(list)
    for sid, doc_id in db.execute("SELECT m.story_id, d.id FROM story_members m JOIN documents d ON d.pk = m.doc "
                                  "ORDER BY m.seq"):
        members[sid].append(doc_id)
        clu.story_of[doc_id] = sid
    for row in db.execute(f"SELECT {STORY_COLUMNS} FROM stories"):
        s = story_from_row(row, members.get(row[0], []))
        clu.stories[s.id] = s
        if row[9]:
            out.expired.add(s.id)
            continue
        for term in _top(s.centroid, INDEX_TERMS):
            clu._index[term].add(s.id)
        for e in s.entities:
            clu._index[f"@{e}"].add(s.id)
        if s.last is not None:
            last = _time_of(s.last)
            if last is not None:
                clu._active[s.id] = last
    clu._df = Counter(dict(db.execute("SELECT term, n FROM story_df")))
    meta = dict(db.execute("SELECT key, value FROM tracker_meta"))
    clu._docs = int(meta.get("docs", 0))
    clu._next = int(meta.get("next", 1))
    clu._swept = int(meta.get("swept", 0))
    clu._latest = datetime.fromisoformat(meta["latest"]) if meta.get("latest") else None
    return out


def _time_of(value: str) -> datetime | None:
    from marsad.stories import _time

    return _time(value)


def _observe(tr: Tracking, pk: int, doc_id: str, inputs: _Inputs,
             rows: dict[str, list[tuple[Any, ...]]], touched: set[str], terms: set[str]) -> None:
    """IngestTracker.observe, keeping the signature for its row."""
    t = tr.tracker
    idx = t.duplicates
    if doc_id in idx:  # already observed (cannot happen for a new pk; kept for safety)
        return
    features = inputs.features
    m, size, digest = _signature(idx.num_perm, inputs.terms)
    found = idx._matches(m, size, digest)
    idx._exact.setdefault(digest, doc_id)
    idx._sizes[doc_id] = size
    sig = None
    if size >= MIN_SHINGLES:
        hv = m.hashvalues.astype(np.uint32)
        idx._sigs[doc_id] = hv
        idx._lsh.insert(doc_id, m, check_duplication=False)
        sig = hv.tobytes()
    tr.seq += 1
    tr.pk_of[doc_id] = pk
    rows["sig"].append((pk, tr.seq, size, digest, sig))
    if found:
        first = found[0]
        canonical = t.canonical_of.get(first.doc_id, first.doc_id)
        t.canonical_of[doc_id] = canonical
        rows["dup"].append((pk, tr.pk_of[canonical], tr.pk_of[first.doc_id], first.jaccard, first.containment))
    sid = t.stories.add(features)
    rows["member"].append((pk, sid, tr.seq))
    touched.add(sid)
    terms.update(features.terms)
    terms.update(f"@{e}" for e in features.entities)


def observe(db: Db, tr: Tracking, docs: Iterable[tuple[int, str, Analysis | dict[str, Any]]]) -> int:
    """Observe ``(pk, id, analysis or stored record)`` in order and write the rows (caller's transaction)."""
    rows: dict[str, list[tuple[Any, ...]]] = {"sig": [], "dup": [], "member": []}
    touched: set[str] = set()
    terms: set[str] = set()
    clu = tr.tracker.stories
    swept = clu._swept
    for pk, doc_id, a in docs:
        # a story lists its sources: the site, else the file or URL (as ``record_source`` for stored ones)
        inputs = analysis_inputs(doc_id, a) if isinstance(a, Analysis) else record_inputs(a)
        _observe(tr, pk, doc_id, inputs, rows, touched, terms)
    if not rows["sig"]:
        return 0
    db.executemany("INSERT INTO doc_signatures(doc, seq, size, digest, sig) VALUES (?,?,?,?,?)", rows["sig"])
    db.executemany("INSERT INTO near_duplicates(doc, canonical, nearest, jaccard, containment) VALUES (?,?,?,?,?)",
                   rows["dup"])
    if clu._swept != swept:  # a sweep dropped quiet stories from the candidate index
        now = {sid for sid, s in clu.stories.items() if s.last is not None and sid not in clu._active}
        db.executemany("UPDATE stories SET expired = 1 WHERE id = ?", [(sid,) for sid in now - tr.expired])
        tr.expired |= now
    db.executemany(_UPSERT_STORY, [_story_row(clu.stories[sid], sid in tr.expired) for sid in sorted(touched)])
    db.executemany("INSERT INTO story_members(doc, story_id, seq) VALUES (?,?,?)", rows["member"])
    db.executemany(_UPSERT_DF, [(t, clu._df[t]) for t in sorted(terms)])
    meta = {"docs": str(clu._docs), "next": str(clu._next), "swept": str(clu._swept),
            "latest": clu._latest.isoformat() if clu._latest else ""}
    db.executemany(_UPSERT_META, list(meta.items()))
    return len(rows["sig"])


def observe_added(db: Any, current: Tracking | None, added: list[tuple[int, str, Analysis]],
                  records: Callable[[list[int]], Iterable[tuple[int, str, dict[str, Any]]]]) -> Tracking:
    """Observe a batch's new articles (caller's transaction, holding the write lock), first catching up on
    stored ones never observed; ``current``: the tracker kept from the last call, rebuilt from the rows when
    another writer has observed articles since. ``records(pks)`` reads stored articles. Returns the tracker."""
    fresh = {pk for pk, _, _ in added}
    seq = int(db.execute("SELECT coalesce(max(seq), 0) FROM doc_signatures").fetchone()[0])
    if current is None or current.seq != seq:
        current = load(db)
        backlog = [pk for pk in untracked(db) if pk not in fresh]
        if backlog:
            observe(db, current, records(backlog))
    observe(db, current, added)
    return current


def _story_row(s: Story, expired: bool) -> tuple[Any, ...]:
    return (s.id, s.title, s.first, s.last, len(s.articles), _dumps(s.sources), _dumps(s.entities),
            _dumps(s.events), _dumps(s.centroid), int(expired))


def untracked(db: Db) -> list[int]:
    """Pks of stored documents never observed (a store upgraded from schema v2), in arrival order."""
    return [r[0] for r in db.execute("SELECT d.pk FROM documents d WHERE NOT EXISTS "
                                     "(SELECT 1 FROM doc_signatures s WHERE s.doc = d.pk) ORDER BY d.pk")]


def replay(records: Iterable[dict[str, Any]]) -> tuple[IngestTracker, list[dict[str, Any]]]:
    """A tracker fed stored records in order, and the duplicate groups it found (the fallback for a
    backend without tracking tables: the work ``observe`` does at ingest, redone over the archive)."""
    tr = Tracking(IngestTracker())
    heads: dict[str, dict[str, Any]] = {}
    copies: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
    for n, d in enumerate(records, 1):
        rows: dict[str, list[tuple[Any, ...]]] = {"sig": [], "dup": [], "member": []}
        src = record_source(d)
        heads[d["id"]] = {"id": d["id"], "title": d.get("title"), "source": src,
                          "exact_sources": [s["source"] for s in d.get("sources", [])[1:]]}
        _observe(tr, n, d["id"], record_inputs(d), rows, set(), set())
        if rows["dup"]:
            _, _, _, jaccard, containment = rows["dup"][0]
            copies[tr.tracker.canonical_of[d["id"]]].append(
                {"id": d["id"], "title": d.get("title"), "source": src, "jaccard": jaccard,
                 "containment": containment})
    groups = [h | {"copies": copies.get(i, [])} for i, h in heads.items() if copies.get(i) or h["exact_sources"]]
    return tr.tracker, groups


def duplicate_groups(db: Db) -> list[dict[str, Any]]:
    """Canonical articles (store order) with their near-duplicate copies and exact re-posts, from the rows."""
    canon = [r[0] for r in db.execute(
        "SELECT pk FROM documents WHERE pk IN (SELECT canonical FROM near_duplicates) OR pk IN "
        "(SELECT doc FROM copies GROUP BY doc HAVING count(*) > 1) ORDER BY pk")]
    dups = db.execute("SELECT doc, canonical, jaccard, containment FROM near_duplicates ORDER BY doc").fetchall()
    pks = sorted(set(canon) | {r[0] for r in dups})
    info: dict[int, tuple[str, str | None, str | None]] = {}
    first: dict[int, str] = {}
    sources: defaultdict[int, list[str]] = defaultdict(list)
    for i in range(0, len(pks), 500):
        part = pks[i:i + 500]
        marks = ",".join("?" * len(part))
        for pk, doc_id, title, site, source in db.execute(
                f"SELECT pk, id, title, site, source FROM documents WHERE pk IN ({marks})", part):
            info[pk], first[pk] = (doc_id, title, site), source
        for pk, source in db.execute(f"SELECT doc, source FROM copies WHERE doc IN ({marks}) "
                                     "ORDER BY doc, ingested_at, source, record", part):
            sources[pk].append(source)
    for pk, found in sources.items():  # the source it was first stored from leads (ingest times are seconds)
        if first.get(pk) in found:
            found.remove(first[pk])
            found.insert(0, first[pk])

    def source_of(pk: int) -> str:
        site = info[pk][2]
        return site if site else (sources[pk][0] if sources[pk] else "")

    copies: defaultdict[int, list[dict[str, Any]]] = defaultdict(list)
    for pk, canonical, jaccard, containment in dups:
        copies[canonical].append({"id": info[pk][0], "title": info[pk][1], "source": source_of(pk),
                                  "jaccard": jaccard, "containment": containment})
    return [{"id": info[pk][0], "title": info[pk][1], "source": source_of(pk), "exact_sources": sources[pk][1:],
             "copies": copies.get(pk, [])} for pk in canon]


def stories(db: Db, *, story_id: str | None = None, min_articles: int = 1) -> list[Story]:
    """Stored stories (by id order), with their articles in arrival order."""
    where, args = ("WHERE id = ?", [story_id]) if story_id is not None else ("WHERE n_articles >= ?", [min_articles])
    rows = db.execute(f"SELECT {STORY_COLUMNS} FROM stories {where} ORDER BY id", args).fetchall()
    if not rows:
        return []
    members: defaultdict[str, list[str]] = defaultdict(list)
    qa: list[Any]
    if story_id is not None:
        q, qa = ("SELECT m.story_id, d.id FROM story_members m JOIN documents d ON d.pk = m.doc "
                 "WHERE m.story_id = ? ORDER BY m.seq"), [story_id]
    else:
        q, qa = ("SELECT m.story_id, d.id FROM story_members m JOIN documents d ON d.pk = m.doc "
                 "JOIN stories s ON s.id = m.story_id WHERE s.n_articles >= ? ORDER BY m.seq"), [min_articles]
    for sid, doc_id in db.execute(q, qa):
        members[sid].append(doc_id)
    return [story_from_row(r, members.get(r[0], [])) for r in rows]


def problems(db: Db, *, untracked_ok: bool = False) -> list[str]:
    """Tracking rows that disagree with the documents (``Store.verify``); ``untracked_ok``: documents not yet
    observed are no problem (PostgreSQL: ``marsad load`` bulk-loads without observing)."""
    out = []
    n = 0 if untracked_ok else len(untracked(db))
    if n:
        out.append(f"{n} documents not yet observed for duplicates and stories (the next ingest, "
                   "`marsad duplicates` or `Store.update_tracking()` observes them)")
    one = db.execute("SELECT (SELECT count(*) FROM doc_signatures), (SELECT count(*) FROM story_members), "
                     "(SELECT coalesce(sum(n_articles), 0) FROM stories), (SELECT coalesce(max(seq), 0) FROM "
                     "doc_signatures)").fetchone()
    if len({one[0], one[1], one[2], one[3]}) > 1:
        out.append(f"tracking tables disagree: signatures {one[0]}, story members {one[1]}, "
                   f"story articles {one[2]}, last observation {one[3]}")
    return out


__all__ = ["STORY_COLUMNS", "StoryClusterer", "Tracking", "duplicate_groups", "load", "observe", "observe_added",
           "replay", "stories", "story_from_row", "untracked"]
