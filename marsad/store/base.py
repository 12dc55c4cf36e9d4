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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self

from marsad.model import Analysis

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
        """Every stored document as ``get`` returns it, in insertion order (for export)."""

    @abc.abstractmethod
    def verify(self) -> list[str]:
        """Problems found by integrity checks ([] = healthy): backend checks, index agreeing with the
        documents, no half-written article (every layer count matches), no document without a source."""

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
