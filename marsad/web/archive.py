"""Archive-wide views: stories, near-duplicate copies, briefings.

Stories and copies come from the store (``Store.list_stories``, ``Store.near_duplicate_groups``): a store
that keeps the ingest-time tracking tables answers from them; any other backend replays the tracker over the
archive (``marsad.store.tracking.replay``), which is refused above ``ARCHIVE_CAP`` articles. Both are cached
per store content version (adding documents invalidates them) and built once even under concurrent requests
(``WebState.cached``). Briefings read a date window's articles, or the whole archive when none is given.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from fastapi import HTTPException

if TYPE_CHECKING:
    from marsad.web.app import WebState

Record = dict[str, Any]
#: Above this many articles a view that must read every analysis (a briefing without a window; stories and
#: copies on a store without tracking tables) is refused rather than loading the archive into memory.
ARCHIVE_CAP = 50_000
#: Most articles one briefing reads.
BRIEF_CAP = 5_000


def _check_size(state: WebState, what: str) -> None:
    n = state.queries.data_version()[0]
    if n > ARCHIVE_CAP:
        raise HTTPException(503, f"{what} needs the whole archive in memory ({n:,} articles; limit "
                                 f"{ARCHIVE_CAP:,}){'' if what == 'this view' else ' on this store'}")


def records(state: WebState) -> list[Record]:
    """Every stored analysis, cached until documents are added."""
    _check_size(state, "this view")
    return state.cached("records", lambda: list(state.store.iter_documents()))  # type: ignore[no-any-return]


def _tracked(state: WebState, key: str, build: Any) -> Any:
    """A store tracking view, cached; refused above the cap where the store must replay the archive."""
    if not getattr(state.store, "tracks_at_ingest", False):
        _check_size(state, "the story and copy index")
    return state.cached(key, build)


# -- copies -----------------------------------------------------------------------------------------------


def copy_index(groups: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Per article id, its near-duplicates: a canonical article lists its copies; a copy lists the
    canonical article it repeats (with the copy's similarity), best first."""
    out: dict[str, list[dict[str, Any]]] = {}
    for g in groups:
        head = {"id": g["id"], "title": g["title"], "source": g["source"]}
        for c in g["copies"]:
            out.setdefault(g["id"], []).append(dict(c))
            out.setdefault(c["id"], []).append({**head, "jaccard": c["jaccard"], "containment": c["containment"]})
    for items in out.values():
        items.sort(key=lambda c: (-c["jaccard"], -c["containment"], c["id"]))
    return out


def near_copies(state: WebState, doc: Record) -> list[dict[str, Any]]:
    """Other stored articles that nearly repeat this one (re-posts, syndicated copies), best first."""
    index = _tracked(state, "near_copies", lambda: copy_index(state.store.near_duplicate_groups()))
    return list(index.get(doc.get("id", ""), []))


# -- stories ----------------------------------------------------------------------------------------------


def all_stories(state: WebState) -> dict[str, Any]:
    """Every story the store kept (arrival order of articles), by id."""
    return _tracked(state, "stories",  # type: ignore[no-any-return]
                    lambda: {s.id: s for s in state.store.list_stories()})


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
    chosen = [s for s in all_stories(state).values() if len(s.articles) >= min_articles
              and (not entity or any(entity in e for e in s.entities) or entity in s.title)]
    chosen.sort(key=lambda s: (-len(s.articles), s.id))
    return chosen


def story(state: WebState, story_id: str) -> dict[str, Any] | None:
    found = all_stories(state).get(story_id)
    if found is None:
        return None
    docs = {d["id"]: d for d in state.store.get_many(list(found.articles))}
    return story_json(found, docs)


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
        docs = state.store.get_many(sorted(ids)[:BRIEF_CAP])
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
