"""Archive-wide views the store does not persist yet: stories, near-duplicate copies, briefings.

They are computed over every stored analysis (``Store.iter_documents``), cached per store content version
(adding documents invalidates them) and built once even under concurrent requests (``WebState.cached``).
Only the public functions of ``marsad.stories``, ``marsad.dedup`` and ``marsad.brief`` are used; when the
store keeps the ingest-time story/copy index (``marsad.stories.IngestTracker``) these become lookups.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from fastapi import HTTPException

if TYPE_CHECKING:
    from marsad.web.app import WebState

Record = dict[str, Any]
#: Above this many articles the archive-wide views are refused rather than loading every analysis into
#: memory; they need the store's persisted story/copy index first (briefings over a window still work).
ARCHIVE_CAP = 50_000
#: Most articles one briefing reads.
BRIEF_CAP = 5_000


def records(state: WebState) -> list[Record]:
    """Every stored analysis, cached until documents are added."""
    n = state.queries.data_version()[0]
    if n > ARCHIVE_CAP:
        raise HTTPException(503, f"this view needs the whole archive in memory ({n:,} articles; limit "
                                 f"{ARCHIVE_CAP:,}) until the store keeps a story index")
    return state.cached("records", lambda: list(state.store.iter_documents()))  # type: ignore[no-any-return]


def by_id(state: WebState) -> dict[str, Record]:
    return state.cached("records_by_id", lambda: {d["id"]: d for d in records(state)})  # type: ignore[no-any-return]


# -- copies -----------------------------------------------------------------------------------------------


def near_copies(state: WebState, doc: Record) -> list[dict[str, Any]]:
    """Other stored articles that nearly repeat this one (re-posts, syndicated copies), best first."""
    from marsad.dedup import NearDuplicateIndex, record_text
    from marsad.stories import record_source

    def build() -> tuple[Any, dict[str, dict[str, Any]]]:
        index = NearDuplicateIndex()
        meta = {}
        for d in records(state):
            index.add(d["id"], record_text(d))
            meta[d["id"]] = {"id": d["id"], "title": d.get("title"), "published": d.get("published"),
                             "source": record_source(d)}
        return index, meta

    index, meta = state.cached("near_copies", build)
    return [{**meta[m.doc_id], "jaccard": m.jaccard, "containment": m.containment}
            for m in index.query(record_text(doc)) if m.doc_id != doc["id"] and m.doc_id in meta]


# -- stories ----------------------------------------------------------------------------------------------


def clusterer(state: WebState) -> Any:
    """Stories over the whole archive (``marsad.stories.cluster``, publication order)."""
    from marsad.stories import ArticleFeatures, cluster

    return state.cached("stories", lambda: cluster([ArticleFeatures.from_record(d) for d in records(state)]))


def entity_name(key: str) -> str:
    """A story's entity key ("PERSON:بيني غانتس") as the name alone."""
    return key.split(":", 1)[-1]


def story_json(story: Any, docs: dict[str, Record] | None = None) -> dict[str, Any]:
    """A story as JSON; with ``docs``, also its articles (timeline), summary and merged events."""
    from marsad.stories import record_source, summarize_story

    item: dict[str, Any] = {"id": story.id, "title": story.title, "first": story.first, "last": story.last,
                            "articles": len(story.articles), "sources": dict(story.sources),
                            "key_entities": [entity_name(e) for e, _ in story.key_entities()],
                            "key_terms": story.key_terms()}
    if docs is None:
        return item
    arts = sorted((docs[a] for a in story.articles if a in docs), key=lambda d: (d.get("published") or "", d["id"]))
    item["articles"] = [{"id": d["id"], "published": d.get("published"), "source": record_source(d),
                         "title": d.get("title")} for d in arts]
    sentences = [t for d in arts for t in (d.get("summary") or [p["text"] for p in d.get("paragraphs", [])[:1]])]
    item["summary"] = [sentences[i] for i in summarize_story(sentences)] if sentences else []
    try:
        from marsad.brief import merge_events
    except ImportError:  # pragma: no cover - briefings are optional
        item["events"] = []
    else:
        item["events"] = merge_events(arts)
    return item


def stories(state: WebState, *, min_articles: int = 2, entity: str | None = None) -> list[Any]:
    """Stories with at least ``min_articles`` articles (naming ``entity``, a substring), largest first."""
    chosen = [s for s in clusterer(state).stories.values() if len(s.articles) >= min_articles
              and (not entity or any(entity in e for e in s.entities) or entity in s.title)]
    chosen.sort(key=lambda s: (-len(s.articles), s.id))
    return chosen


def story(state: WebState, story_id: str) -> dict[str, Any] | None:
    found = clusterer(state).stories.get(story_id)
    return None if found is None else story_json(found, by_id(state))


# -- briefings --------------------------------------------------------------------------------------------


def briefing(state: WebState, *, entity: str | None = None, topic: str | None = None,
             since: str | None = None) -> dict[str, Any]:
    """``marsad.brief.build_brief`` over the archive; ``topic`` is a search query (store syntax)."""
    from marsad.brief import build_brief

    found: set[str] = set()
    while topic and len(found) < 2000:
        result = state.store.search(topic, limit=200, offset=len(found))
        found.update(h.id for h in result.hits)
        if len(result.hits) < 200:
            break
    first_day = window_start(state, since)
    if first_day is None:
        docs = records(state)
    else:  # read only the window's articles (and, for a topic, only its hits): cheap on any archive size
        ids = state.queries.doc_ids(since=first_day)
        if topic:
            ids &= found
        docs = [d for i in sorted(ids)[:BRIEF_CAP] if (d := state.store.get(i)) is not None]
    return build_brief(docs, entity=entity, topic=topic, since=since, ids=found if topic else None)


def window_start(state: WebState, since: str | None) -> str | None:
    """The first publication day a ``since`` value (7d, 2w, 12h, YYYY-MM-DD) can reach, with a day's margin."""
    if not since:
        return None
    m = re.fullmatch(r"(\d+)([hdw])", since.strip())
    if not m:
        return since.strip()[:10]
    newest = state.queries.newest_day()
    if newest is None:
        return None
    n, unit = int(m.group(1)), m.group(2)
    days = {"h": n / 24, "d": n, "w": 7 * n}[unit]
    try:
        return (date.fromisoformat(newest) - timedelta(days=int(days) + 1)).isoformat()
    except ValueError:
        return None  # type: ignore[no-any-return]
