"""Stories: articles about one happening, grouped incrementally as they arrive.

:class:`StoryClusterer` is pure (no I/O); the store rebuilds it from its tables. Each new article is
compared with the stories active inside a time window around its date — found through an inverted index over each story's top terms
and entities, so the cost per article does not grow with the archive — by

    score = cosine(article TF-IDF, story centroid)
            + ENTITY_WEIGHT * IDF-weighted share of the article's canonical entities already in the story

and joins the best story scoring at least ``threshold``, or starts a new one. IDF is learnt incrementally
from the articles seen so far. Terms are ``marsad.text.search_terms`` (normalised, clitic-split stems).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from marsad.model import Analysis
from marsad.summary import select
from marsad.text import search_terms

WINDOW_DAYS = 3.0
#: A story spans at most this many days: daily series (weather, fixtures) otherwise chain for months.
MAX_SPAN_DAYS = 7.0
THRESHOLD = 0.4  # bench/stories_bench.py labels: with entities 41/60 same-happening pairs joined, 5/72 wrong
ENTITY_WEIGHT = 0.3
#: Pseudo-documents added to the IDF's N: with a handful of articles (two of them copies) raw IDF would
#: zero out exactly the words a story shares; the prior fades as the archive grows.
IDF_PRIOR_DOCS = 100
#: Terms kept per article vector and per story centroid (and indexed for candidate lookup).
ARTICLE_TERMS = 40
CENTROID_TERMS = 150
INDEX_TERMS = 30
#: Stories quiet for this many windows leave the candidate index (they stay listed), so lookups cost
#: the same at 100k articles as at 1k (articles arrive roughly in date order).
EXPIRE_WINDOWS = 2.0
#: Stories fully scored per article, chosen by their overlap on indexed terms.
MAX_CANDIDATES = 25
#: Entity types that identify a happening (dates, amounts and nationalities repeat across unrelated stories).
STORY_ENTITY_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "WEAPON"})  # NORP (تونسي) is everywhere


@dataclass(slots=True)
class ArticleFeatures:
    """What the clusterer needs from one article."""

    id: str
    terms: list[str]  # search terms of title + non-duplicate body
    title: str = ""
    published: str | None = None  # ISO 8601 date or datetime
    source: str = ""  # site / publisher
    entities: list[str] = field(default_factory=list)  # canonical keys, "TYPE:canonical"
    events: list[str] = field(default_factory=list)  # event keys, e.g. "MEET:بيني غانتس|عبد الرحيم بيوض"

    @classmethod
    def from_analysis(cls, a: Analysis, *, doc_id: str | None = None) -> ArticleFeatures:
        """Features of an analysed article: title, non-duplicate paragraphs, canonical entities, events."""
        doc = a.document
        body = " ".join(a.span(p.start, p.end) for p in a.paragraphs if p.duplicate_of is None) or a.text
        title = a.title or doc.title or ""
        ents = sorted({f"{e.type}:{e.canonical}" for e in a.entities if e.type in STORY_ENTITY_TYPES})
        events = sorted({f"{ev.type}:{'|'.join(sorted(x.text for x in ev.arguments if x.role in ('source', 'target', 'actor')))}"
                         for ev in a.events})
        return cls(doc_id or doc.id, search_terms(title + "\n" + body), title, doc.published, doc.site or "",
                   ents, events)

    @classmethod
    def from_record(cls, d: dict[str, Any]) -> ArticleFeatures:
        """Features of a stored article (``Analysis.to_dict()`` as the store returns it)."""
        body = " ".join(p["text"] for p in d.get("paragraphs", []) if p.get("duplicate_of") is None)
        title = d.get("title") or ""
        ents = sorted({f"{e['type']}:{e['canonical']}" for e in d.get("canonical_entities", [])
                       if e.get("type") in STORY_ENTITY_TYPES})
        events = sorted({f"{ev['type']}:{'|'.join(sorted(x['text'] for x in ev.get('arguments', []) if x.get('role') in ('source', 'target', 'actor')))}"
                         for ev in d.get("events", [])})
        return cls(d["id"], search_terms(title + "\n" + body), title, d.get("published"), record_source(d), ents, events)


def record_source(d: dict[str, Any]) -> str:
    """A stored article's site, else the source it was first stored from.

    That is the provenance kept in its analysis; the list of copies is ordered by ingest time, which has whole
    seconds, so two copies stored in the same second come in name order and cannot say which was first.
    """
    if d.get("site"):
        return str(d["site"])
    first = (d.get("source") or {}).get("source")
    if first:
        return str(first)
    sources = d.get("sources") or [{}]
    return str(sources[0].get("source") or "")


@dataclass(slots=True)
class Story:
    """A group of articles about one happening."""

    id: str
    title: str
    first: str | None = None
    last: str | None = None
    articles: list[str] = field(default_factory=list)
    sources: Counter[str] = field(default_factory=Counter)
    entities: Counter[str] = field(default_factory=Counter)
    events: Counter[str] = field(default_factory=Counter)  # event key -> number of articles reporting it
    centroid: dict[str, float] = field(default_factory=dict)  # summed article vectors (truncated)

    def key_entities(self, n: int = 5) -> list[tuple[str, int]]:
        # ties by key: Counter order follows insertion, which must not depend on string hashing
        return sorted(self.entities.items(), key=lambda kv: (-kv[1], kv[0]))[:n]

    def key_terms(self, n: int = 8) -> list[str]:
        return [t for t, _ in sorted(self.centroid.items(), key=lambda kv: -kv[1])[:n]]


@lru_cache(maxsize=1 << 16)
def _time(value: str | None) -> datetime | None:
    """Naive datetime of an ISO date/datetime string (cached: candidate filtering calls it per story)."""
    if not value:
        return None
    try:
        t = datetime.fromisoformat(value)
    except ValueError:
        try:
            t = datetime.fromisoformat(value[:10])
        except ValueError:
            return None
    return t.replace(tzinfo=None)


def _unit(v: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
    return {t: x / norm for t, x in v.items()}


def _top(v: dict[str, float], k: int) -> dict[str, float]:
    return v if len(v) <= k else dict(sorted(v.items(), key=lambda kv: -kv[1])[:k])


class StoryClusterer:
    """Incremental story clustering; ``add(features) -> story id``."""

    sweep_every = 1000  # articles between sweeps of quiet stories out of the candidate index

    def __init__(self, *, window_days: float = WINDOW_DAYS, threshold: float = THRESHOLD,
                 entity_weight: float = ENTITY_WEIGHT, max_span_days: float = MAX_SPAN_DAYS) -> None:
        self.window = timedelta(days=window_days)
        self.max_span = timedelta(days=max_span_days)
        self.threshold = threshold
        self.entity_weight = entity_weight
        self.stories: dict[str, Story] = {}
        self.story_of: dict[str, str] = {}  # article id -> story id
        self._df: Counter[str] = Counter()
        self._docs = 0
        self._index: defaultdict[str, set[str]] = defaultdict(set)  # term or entity -> story ids
        self._next = 1
        self._latest: datetime | None = None  # newest article date seen, for expiring quiet stories
        self._swept = 0
        self._units: dict[str, dict[str, float]] = {}  # unit-length centroids, dropped when a story grows
        self._active: dict[str, datetime] = {}  # dated stories still in the candidate index -> last date

    def __len__(self) -> int:
        return len(self.stories)

    def vector(self, terms: list[str]) -> dict[str, float]:
        """Unit TF-IDF vector of an article (top terms), with the IDF learnt so far."""
        tf = Counter(t for t in terms if len(t) > 1)
        n = self._docs + 1
        v = {t: (1 + math.log(c)) * math.log((n + IDF_PRIOR_DOCS) / (self._df[t] + 1)) for t, c in tf.items()}
        return _unit(_top({t: x for t, x in v.items() if x > 0}, ARTICLE_TERMS))

    def _score(self, v: dict[str, float], ents: set[str], story: Story) -> float:
        c = self._units.get(story.id)
        if c is None:
            c = self._units[story.id] = _unit(story.centroid)
        cos = sum(x * c.get(t, 0.0) for t, x in v.items())
        return cos + self.entity_weight * self._shared(ents, story)

    def _idf(self, key: str) -> float:
        return math.log((self._docs + 1 + IDF_PRIOR_DOCS) / (self._df[key] + 1))

    def _shared(self, ents: set[str], story: Story) -> float:
        """IDF-weighted share of the article's entities already in the story: a country every article
        names (تونس in Tunisian news) counts for little, a rare person for much."""
        if not ents:
            return 0.0
        weights = {e: self._idf(f"@{e}") for e in ents}
        total = sum(weights.values()) or 1.0
        return sum(w for e, w in weights.items() if e in story.entities) / total

    def _candidates(self, v: dict[str, float], ents: set[str], when: datetime | None) -> list[Story]:
        """Stories in the window sharing indexed terms or entities, best partial overlap first (at most
        MAX_CANDIDATES). Dated articles only join dated stories and undated only undated, so an article
        without a date never bridges happenings years apart."""
        acc: dict[str, float] = defaultdict(float)
        for t, x in v.items():
            for sid in self._index.get(t, ()):
                acc[sid] += x
        for e in ents:
            for sid in self._index.get(f"@{e}", ()):
                acc[sid] += self.entity_weight / len(ents)
        out = []
        for sid, _ in sorted(acc.items(), key=lambda kv: (-kv[1], kv[0])):
            s = self.stories[sid]
            lo, hi = _time(s.first), _time(s.last)
            if (when is None) != (hi is None):
                continue
            if when and lo and hi and not (lo - self.window <= when <= hi + self.window
                                           and max(hi, when) - min(lo, when) <= self.max_span):
                continue
            out.append(s)
            if len(out) >= MAX_CANDIDATES:
                break
        return out

    def match(self, f: ArticleFeatures) -> tuple[str | None, float]:
        """The story ``f`` would join and its score (None when it would start a new one)."""
        return self._match(f, self.vector(f.terms))

    def _match(self, f: ArticleFeatures, v: dict[str, float]) -> tuple[str | None, float]:
        ents = set(f.entities)
        best, best_score = None, 0.0
        for s in self._candidates(v, ents, _time(f.published)):
            sc = self._score(v, ents, s)
            if sc > best_score or (sc == best_score and best is not None and s.id < best.id):
                best, best_score = s, sc
        if best is None or best_score < self.threshold:
            return None, best_score
        return best.id, best_score

    def add(self, f: ArticleFeatures) -> str:
        """Put an article in a story (an existing one or a new one) and return the story id."""
        if f.id in self.story_of:
            return self.story_of[f.id]
        v = self.vector(f.terms)  # before the IDF update, as match() sees it
        sid, _ = self._match(f, v)
        self._docs += 1
        self._df.update(set(f.terms) | {f"@{e}" for e in f.entities})
        if sid is None:
            sid = f"S{self._next:06d}"
            self._next += 1
            self.stories[sid] = Story(sid, f.title)
        s = self.stories[sid]
        old_top = set(_top(s.centroid, INDEX_TERMS))
        s.articles.append(f.id)
        s.sources[f.source] += 1
        s.entities.update(f.entities)  # already sorted and unique
        s.events.update(set(f.events))
        for t, x in v.items():
            s.centroid[t] = s.centroid.get(t, 0.0) + x
        s.centroid = _top(s.centroid, CENTROID_TERMS)
        self._units.pop(sid, None)
        when = _time(f.published)
        if when is not None:
            if s.first is None or when < (_time(s.first) or when):
                s.first = f.published
                if f.title:
                    s.title = f.title  # the earliest report names the story
            if s.last is None or when > (_time(s.last) or when):
                s.last = f.published
        new_top = set(_top(s.centroid, INDEX_TERMS))
        for t in old_top - new_top:
            self._index[t].discard(sid)
        for t in new_top:
            self._index[t].add(sid)
        for e in f.entities:
            self._index[f"@{e}"].add(sid)
        self.story_of[f.id] = sid
        last = _time(s.last)
        if last is not None:
            self._active[sid] = last
        if when is not None and (self._latest is None or when > self._latest):
            self._latest = when
        if self._docs - self._swept >= self.sweep_every:
            self._expire()
        return sid

    def _expire(self) -> None:
        """Drop stories quiet for EXPIRE_WINDOWS windows from the candidate index."""
        self._swept = self._docs
        if self._latest is None:
            return
        cutoff = self._latest - self.window * EXPIRE_WINDOWS
        stale = {sid for sid, last in self._active.items() if last < cutoff}
        if not stale:
            return
        for sid in stale:
            del self._active[sid]
            self._units.pop(sid, None)
        for key in list(self._index):
            ids = self._index[key]
            ids -= stale
            if not ids:
                del self._index[key]

def cluster(features: list[ArticleFeatures], **options: float) -> StoryClusterer:
    """Cluster articles in publication order (undated ones last, in the order given)."""
    order = sorted(range(len(features)), key=lambda i: (features[i].published is None, features[i].published or "", i))
    c = StoryClusterer(**options)  # type: ignore[arg-type]
    for i in order:
        c.add(features[i])
    return c


def summarize_story(sentences: list[str], n: int = 3) -> list[int]:
    """Indices of ``n`` sentences summarising a story (candidates: its articles' summary sentences,
    earliest article first); near-repeats across articles are skipped."""
    return select([search_terms(s) for s in sentences], n)


@dataclass(slots=True)
class Observation:
    """What the archive learnt from one new article."""

    doc_id: str
    canonical: str | None  # the earlier article this one nearly repeats (None: it is an original)
    matches: list[tuple[str, float]]  # (earlier id, estimated Jaccard), best first
    story: str


class IngestTracker:
    """The ingest-time hook for a store: near-duplicates and stories, updated one article at a time.

    ``observe(doc_id, analysis)`` finds the canonical article a copy repeats (copies of copies point to the
    first original) and files the article into a story; the store keeps its results in tables and rebuilds it from them.
    """

    def __init__(self) -> None:
        from marsad.dedup import NearDuplicateIndex

        self.duplicates = NearDuplicateIndex()
        self.stories = StoryClusterer()
        self.canonical_of: dict[str, str] = {}

    def observe(self, doc_id: str, a: Analysis) -> Observation:
        """Add one analysed article (in arrival order) and say what it duplicates and which story it joins."""
        from marsad.dedup import index_text

        found = self.duplicates.add(doc_id, index_text(a))
        canonical = None
        if found:
            first = found[0].doc_id
            canonical = self.canonical_of.get(first, first)
            self.canonical_of[doc_id] = canonical
        story = self.stories.add(ArticleFeatures.from_analysis(a, doc_id=doc_id))
        return Observation(doc_id, canonical, [(m.doc_id, m.jaccard) for m in found], story)

