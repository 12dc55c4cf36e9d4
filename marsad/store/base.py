"""The store interface every backend implements (SQLite today, PostgreSQL later), and its result types.

A store keeps, per document: the raw text, the full ``Analysis.to_dict()`` JSON, every source it was seen
at, and one row per paragraph, mention, entity, event (with arguments) and quote, so that later queries
(entities by type, events by type or actor) are plain SQL. It also keeps a full-text index over the
normalised, clitic-split search terms of title and body (``marsad.text.search_terms``).

Contract (tests in ``tests/test_store*.py`` hold every backend to it):

* ``add`` is one all-or-nothing transaction: a failure or crash never leaves half an article.
* Re-adding the same content from the same source is a no-op (``unchanged``); the same content from another
  source is recorded as a further source of the stored document (``duplicates``), never stored twice.
* ``search`` takes the query syntax of :mod:`marsad.store.query` and raises ``QueryError`` (never a
  backend error) for a malformed query; snippets are cut from the raw text, with the hit marked.
* Backends raise ``StoreError`` for anything that goes wrong underneath (locked, corrupt, unreadable).
"""

from __future__ import annotations

import abc
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from types import TracebackType
from typing import Any, Self, TypeVar

from marsad.model import Analysis

T = TypeVar("T")

#: Default pair of markers put around matched words in a snippet; the web UI passes ("<mark>", "</mark>").
MARKERS = ("[", "]")


@dataclass(slots=True)
class AddReport:
    """What one ``Store.add`` call did; reports can be summed with ``+``."""

    added: int = 0
    unchanged: int = 0  # same content already stored from the same source: nothing to do
    duplicates: int = 0  # same content already stored from another source: source recorded, text not
    replaced: int = 0  # stored content whose analysis was swapped for a new one (``replace=True``)
    #: (stored document id, source label) for each duplicate found, so callers can report them.
    duplicate_of: list[tuple[str, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.added + self.unchanged + self.duplicates + self.replaced

    def __add__(self, other: AddReport) -> AddReport:
        return AddReport(added=self.added + other.added, unchanged=self.unchanged + other.unchanged,
                         duplicates=self.duplicates + other.duplicates, replaced=self.replaced + other.replaced,
                         duplicate_of=self.duplicate_of + other.duplicate_of)


@dataclass(slots=True)
class SearchHit:
    """One matching document. ``snippet`` is raw text with the matched words between the markers."""

    id: str
    title: str | None
    published: str | None
    source: str  # provenance source (path or URL) the document was first stored from
    site: str | None
    url: str | None
    score: float  # higher is better (negated BM25)
    snippet: str
    #: The same snippet as (raw text, is_match) parts, for callers that must escape text themselves (HTML).
    snippet_parts: list[tuple[str, bool]] = field(default_factory=list)
    #: Raw-text ``[start, end)`` offsets of the highlighted words, into the document text.
    highlights: list[tuple[int, int]] = field(default_factory=list)


@dataclass(slots=True)
class SearchResult:
    """A page of hits (best first) and the total number of matching documents."""

    query: str
    match: str  # the backend query actually run (FTS5 MATCH string), for debugging
    total: int
    hits: list[SearchHit] = field(default_factory=list)
    limit: int = 20
    offset: int = 0


class Store(abc.ABC):
    """Where analyses live. Use as a context manager, or call ``close()``."""

    #: True where the store keeps near-duplicates and stories in tables as it adds articles; False: the
    #: defaults below replay the tracker over the whole archive on every call.
    tracks_at_ingest = False

    @abc.abstractmethod
    def add(self, analyses: Iterable[Analysis], *, replace: bool = False) -> AddReport:
        """Store analyses in ONE transaction (all or nothing); see the module docstring for counts.

        ``replace=True`` re-analysis: a stored content's analysis (paragraphs, layers, JSON, index) is
        swapped for the given one, keeping its id and sources (counted as ``replaced``)."""

    def add_batches(self, analyses: Iterable[Analysis], *, batch_size: int = 500,
                    replace: bool = False) -> AddReport:
        """Store a long stream as consecutive ``add`` transactions of ``batch_size`` analyses."""
        report = AddReport()
        batch: list[Analysis] = []
        for analysis in analyses:
            batch.append(analysis)
            if len(batch) >= batch_size:
                report = report + self.add(batch, replace=replace)
                batch = []
        if batch:
            report = report + self.add(batch, replace=replace)
        return report

    @abc.abstractmethod
    def get(self, doc_id: str) -> dict[str, Any] | None:
        """The stored ``Analysis.to_dict()`` of a document (by id or unique id prefix) plus ``sources``."""

    def get_many(self, ids: list[str]) -> list[dict[str, Any]]:
        """``get`` of each id (exact ids), in the order given, missing ones left out (backends: fewer queries)."""
        return [d for i in ids if (d := self.get(i)) is not None]

    @abc.abstractmethod
    def search(self, query: str, *, source: str | None = None, since: str | None = None,
               until: str | None = None, entity: str | None = None, event_type: str | None = None,
               limit: int = 20, offset: int = 0, markers: tuple[str, str] = MARKERS,
               snippets: bool = True) -> SearchResult:
        """Documents matching ``query``, best first.

        ``source``: a site name, a path/URL prefix, or a folder/file name in the path; ``since``/``until``:
        inclusive ISO dates (YYYY, YYYY-MM or YYYY-MM-DD); ``entity``: an entity id or canonical name the
        document mentions; ``event_type``: an event type it reports. ``snippets=False`` skips snippets."""

    @abc.abstractmethod
    def stats(self) -> dict[str, Any]:
        """Counts (documents, sources, paragraphs, mentions, entities, events, quotes), date range,
        per-source document counts and the store size in bytes."""

    @abc.abstractmethod
    def iter_documents(self) -> Iterator[dict[str, Any]]:
        """Every stored document as ``get`` returns it plus its raw ``text``, in insertion order (for export:
        ``marsad import`` re-creates documents and analyses from it)."""

    @abc.abstractmethod
    def verify(self) -> list[str]:
        """Problems found by integrity checks ([] = healthy): backend checks, index agreeing with the
        documents, no half-written article (every layer count matches), no document without a source."""

    # -- ingest-time duplicates and stories, user corrections (tables: marsad/store/tracking.py) --------
    # A backend that keeps the tables answers from them through ``_rows_db``; otherwise these defaults replay
    # the tracker over every stored document (correct, but O(archive) per call).

    def _rows_db(self) -> Any:
        """The store's connection with sqlite3's face (``execute``/``executemany``, ``?`` placeholders) for
        the tracking and correction tables, or None where the backend has none."""
        return None

    def _guarded(self, fn: Callable[[], T], doing: str = "cannot read") -> T:
        """``fn()`` holding the connection's lock, backend errors raised as ``StoreError``."""
        return fn()

    def update_tracking(self) -> int:
        """Observe stored documents not yet tracked (after an upgrade or a bulk load); how many."""
        return 0

    def near_duplicate_groups(self) -> list[dict[str, Any]]:
        """Canonical articles in store order, each ``{id, title, source, exact_sources, copies: [{id, title,
        source, jaccard, containment}]}`` (copies: near-duplicates found at ingest, arrival order)."""
        from marsad.store import tracking  # lazy: datasketch costs ~0.5 s to import

        db = self._rows_db()
        if db is None:
            return tracking.replay(self.iter_documents())[1]
        return self._guarded(lambda: tracking.duplicate_groups(db))

    def list_stories(self, *, min_articles: int = 1) -> list[Any]:
        """Stories (``marsad.stories.Story``, articles in arrival order) with at least ``min_articles``."""
        from marsad.store import tracking  # lazy: datasketch costs ~0.5 s to import

        db = self._rows_db()
        if db is None:
            found = tracking.replay(self.iter_documents())[0].stories.stories.values()
            return sorted((s for s in found if len(s.articles) >= min_articles), key=lambda s: s.id)
        return self._guarded(lambda: tracking.stories(db, min_articles=min_articles))

    def story(self, story_id: str) -> Any | None:
        """One story by id (as ``list_stories`` names it), or None."""
        from marsad.store import tracking  # lazy: datasketch costs ~0.5 s to import

        db = self._rows_db()
        if db is None:
            return next((s for s in self.list_stories() if s.id == story_id), None)
        found = self._guarded(lambda: tracking.stories(db, story_id=story_id))
        return found[0] if found else None

    # -- entity table (cross-article) ------------------------------------------------------------------

    def iter_entity_rows(self) -> Iterator[dict[str, Any]]:
        """Per document with entities, in store order: ``{id, published, title, entities: [{text}] (mention
        texts by index), canonical_entities: [{id, type, canonical, latin, country, lat, lon, mentions
        (indices), roles}]}`` — what ``EntityTable.build`` reads, from the entities and mentions tables
        (a backend without ``_rows_db``: every stored analysis parsed)."""
        from marsad.store.reads import entity_docs

        db = self._rows_db()
        if db is None:
            yield from (d for d in self.iter_documents() if d.get("canonical_entities"))
            return
        def page(after: int) -> tuple[list[Any], list[Any], list[Any]]:
            docs = list(db.execute("SELECT pk, id, published, title FROM documents WHERE n_entities > 0 "
                                   "AND pk > ? ORDER BY pk LIMIT 500", (after,)))
            if not docs:
                return [], [], []
            lo, hi = docs[0][0], docs[-1][0]
            ents = list(db.execute("SELECT doc, id, type, canonical, latin, country, lat, lon, mentions, roles "
                                   "FROM entities WHERE doc BETWEEN ? AND ? ORDER BY doc, i", (lo, hi)))
            texts = list(db.execute("SELECT doc, i, text FROM mentions WHERE doc BETWEEN ? AND ? ORDER BY doc, i",
                                    (lo, hi)))
            return docs, ents, texts

        last = 0
        while True:
            docs, ents, texts = self._guarded(partial(page, last))
            if not docs:
                return
            last = docs[-1][0]
            yield from entity_docs(docs, ents, texts)

    def entity_overrides(self) -> list[dict[str, Any]]:
        """User corrections to the entity table, oldest first: ``{kind: merge|split, a, b, variants,
        created_at}`` (merge: entity ids a and b; split: entity id a and the variant texts)."""
        db = self._rows_db()
        if db is None:
            return []
        rows = self._guarded(lambda: list(db.execute(
            "SELECT kind, a, b, variants, created_at FROM entity_overrides ORDER BY id")))
        return [{"kind": k, "a": a, "b": b, "variants": json.loads(v) if v else None, "created_at": t}
                for k, a, b, v, t in rows]

    def add_entity_override(self, kind: str, a: str, b: str | None = None,
                            variants: list[str] | None = None) -> None:
        """Keep one correction (see ``entity_overrides``); it survives re-ingests."""
        from marsad.errors import StoreError

        db = self._rows_db()
        if db is None:
            raise StoreError(f"{type(self).__name__} cannot keep entity corrections yet")
        if kind not in ("merge", "split") or (kind == "merge") != (b is not None) or (kind == "split") != bool(variants):
            raise StoreError(f"entity override: a merge takes two ids, a split an id and variants (got {kind!r})")
        now = datetime.now(UTC).isoformat(timespec="seconds")
        self._guarded(lambda: db.execute(
            "INSERT INTO entity_overrides(kind, a, b, variants, created_at) VALUES (?,?,?,?,?)",
            (kind, a, b, json.dumps(variants, ensure_ascii=False) if variants else None, now)), "cannot write")

    # -- layer queries (one SQL text for every backend: marsad/store/reads.py) --------------------------

    def reader(self) -> Any:
        """A :class:`marsad.store.reads.Reads` (listings, filters, counts) safe to share between threads,
        with its own read connections where the backend allows; ``close()`` it when done."""
        raise NotImplementedError(f"{self.__class__.__name__}.reader")

    def _reads(self) -> Any:
        """A ``Reads`` over the store's own connection (for the three methods below)."""
        raise NotImplementedError(f"{self.__class__.__name__} has no layer queries")

    def entity_counts(self, *, type: str | None = None, q: str | None = None, limit: int = 50,
                      offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
        """Per-article entities grouped by stable id, most articles first: (total, ``[{id, type, canonical,
        latin, country, articles, mentions}]``); ``type`` PLACE = GPE/LOC/FAC; ``q`` a folded substring."""
        return self._reads().entities(type=type, q=q, limit=limit, offset=offset)  # type: ignore[no-any-return]

    def events(self, *, type: str | None = None, since: str | None = None, until: str | None = None,
               entity: str | None = None, source: str | None = None, doc: str | None = None, limit: int = 50,
               offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
        """Events newest first with ``arguments`` and their article (doc, title, published, source)."""
        return self._reads().events(type=type, since=since, until=until, entity=entity,  # type: ignore[no-any-return]
                                    source=source, doc=doc, limit=limit, offset=offset)

    def quotes(self, *, speaker: str | None = None, entity: str | None = None, limit: int = 50,
               offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
        """Quotes newest first, by speaker name and/or speaker entity id, with their article."""
        return self._reads().quotes(speaker=speaker, entity=entity, limit=limit,  # type: ignore[no-any-return]
                                    offset=offset)

    def optimize(self) -> None:
        """Compact indexes after a bulk load (optional)."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release the connection; the store is unusable afterwards."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
