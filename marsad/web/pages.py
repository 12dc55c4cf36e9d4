"""Server-rendered pages (Jinja2, autoescaped, right-to-left Arabic): dashboard, search, article, entities,
events, quotes, stories. They call the same functions as the API; JavaScript only draws charts and the
entity info panel (static files, no inline script)."""

from __future__ import annotations

import math
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from marsad.web import api, archive
from marsad.web.highlight import TYPE_NAMES_AR, render_paragraphs
from marsad.web.params import (
    DocId,
    EntityRef,
    EntityType,
    EventType,
    OptSearchQ,
    PageNo,
    Since,
    Source,
    StoryId,
    Until,
)

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
PAGE_SIZE = 20


def render(request: Request, template: str, **context: Any) -> Response:
    templates = request.app.state.templates
    return templates.TemplateResponse(request, template, {"type_names": TYPE_NAMES_AR, **context})  # type: ignore[no-any-return]


def pager(request: Request, total: int, page_no: int, size: int = PAGE_SIZE) -> dict[str, Any]:
    """Links to the previous/next page keeping the other query parameters."""
    pages = max(1, math.ceil(total / size))
    params = {k: v for k, v in request.query_params.items() if k != "page" and v}

    def link(n: int) -> str:
        return str(request.url.path) + "?" + urlencode({**params, "page": n})

    return {"page": page_no, "pages": pages, "total": total,
            "prev": link(page_no - 1) if page_no > 1 else None,
            "next": link(page_no + 1) if page_no < pages else None}


@router.get("/")
def dashboard(request: Request) -> Response:
    state = api.web(request)
    stats = api.stats_json(state)
    return render(request, "dashboard.html", stats=stats,
                  chart_data={"per_day": stats["per_day"], "per_source": dict(list(stats["per_source"].items())[:15])})


@router.get("/search")
def search_page(request: Request, q: OptSearchQ = None, source: Source = None, since: Since = None,
                until: Until = None, entity: EntityRef = None, event_type: EventType = None,
                page: PageNo = 1) -> Response:
    state = api.web(request)
    entity_id = api.resolve_entity(state, entity)
    offset = (page - 1) * PAGE_SIZE
    hits: list[Any] = []
    articles: list[dict[str, Any]] = []
    capped = False
    if q and q.strip():
        total, hits, capped = api.search_hits(state, q, source=source, since=since, until=until, entity=entity_id,
                                              event_type=event_type, limit=PAGE_SIZE, offset=offset)
    else:
        total, articles = state.queries.articles(source=source, since=since, until=until, entity=entity_id,
                                                 event_type=event_type, limit=PAGE_SIZE, offset=offset)
    return render(request, "search.html", q=q or "", source=source or "", since=since or "", until=until or "",
                  entity=entity or "", event_type=event_type or "", hits=hits, articles=articles, capped=capped,
                  pager=pager(request, total, page), sources=state.queries.sources(),
                  event_types=state.queries.event_types())


@router.get("/article/{doc_id}")
def article_page(request: Request, doc_id: DocId,
                 hl: Annotated[str | None, Query(pattern=r"^\d{1,9}-\d{1,9}$",
                                                 description="START-END raw offsets to mark as evidence")] = None
                 ) -> Response:
    state = api.web(request)
    doc = state.store.get(doc_id)
    if doc is None:
        raise HTTPException(404, "لا توجد مقالة بهذا المعرّف (no such article)")
    ents = list(doc.get("canonical_entities", []))
    order = {t: i for i, t in enumerate(TYPE_NAMES_AR)}
    ents.sort(key=lambda e: (order.get(e["type"], 99), -len(e.get("mentions", []))))
    evidence = None
    if hl:
        start, end = (int(x) for x in hl.split("-"))
        evidence = (start, end) if start < end else None
    return render(request, "article.html", doc=doc, paragraphs=render_paragraphs(doc, evidence), entities=ents,
                  copies=archive.near_copies(state, doc),
                  dup_count=sum(1 for p in doc.get("paragraphs", []) if p.get("duplicate_of")))


@router.get("/entities")
def entities_page(request: Request, type: EntityType = None,
                  q: Annotated[str | None, Query(max_length=200)] = None, page: PageNo = 1) -> Response:
    state = api.web(request)
    total, items = state.queries.entities(type=type, q=q, limit=50, offset=(page - 1) * 50)
    return render(request, "entities.html", items=items, type=type or "", q=q or "",
                  types=state.queries.entity_types(), pager=pager(request, total, page, 50))


def network_svg(center: dict[str, Any], net: dict[str, Any], size: int = 520) -> dict[str, Any]:
    """A radial layout of the co-occurrence network: the entity in the middle, neighbours on a circle."""
    nodes = net["nodes"]
    r = size / 2 - 70
    cx = cy = size / 2
    pos = {center["id"]: (cx, cy)}
    for i, n in enumerate(nodes):
        angle = 2 * math.pi * i / max(1, len(nodes)) - math.pi / 2
        pos[n["id"]] = (round(cx + r * math.cos(angle), 1), round(cy + r * math.sin(angle), 1))
    top = max([n["articles"] for n in nodes] or [1])
    edges = [{"x1": cx, "y1": cy, "x2": pos[n["id"]][0], "y2": pos[n["id"]][1],
              "w": round(1 + 5 * n["articles"] / top, 1),
              "title": f"{center['canonical']} — {n['canonical']}: {n['articles']}"} for n in nodes]
    edges += [{"x1": pos[e["a"]][0], "y1": pos[e["a"]][1], "x2": pos[e["b"]][0], "y2": pos[e["b"]][1],
               "w": round(0.5 + 2 * e["articles"] / top, 1), "title": str(e["articles"]), "side": True}
              for e in net["edges"] if e["a"] in pos and e["b"] in pos and e["articles"] >= 2]  # 1 article: noise
    circles = [{"id": center["id"], "x": cx, "y": cy, "r": 16, "label": center["canonical"],
                "type": center["type"], "center": True}]
    circles += [{"id": n["id"], "x": pos[n["id"]][0], "y": pos[n["id"]][1],
                 "r": round(6 + 8 * n["articles"] / top, 1), "label": n["canonical"], "type": n["type"],
                 "articles": n["articles"]} for n in nodes]
    return {"size": size, "edges": edges, "nodes": circles}


@router.get("/entity/{ref}")
def entity_page(request: Request, ref: str) -> Response:
    if len(ref) > 200:
        raise HTTPException(422, "entity id or name too long")
    state = api.web(request)
    detail = api.entity_detail(state, ref)
    return render(request, "entity.html", e=detail, network=network_svg(detail, detail["cooccurring"]),
                  chart_data={"mentions_per_day": by_month(detail["mentions_per_day"])})


def by_month(per_day: dict[str, int], max_days: int = 60) -> dict[str, int]:
    """Per-day counts, summed per month when they span more than ``max_days`` days (a readable chart)."""
    if len(per_day) <= max_days:
        return per_day
    months: dict[str, int] = {}
    for day, n in per_day.items():
        months[day[:7]] = months.get(day[:7], 0) + n
    first, last = min(months), max(months)
    year, month = int(first[:4]), int(first[5:7])
    out: dict[str, int] = {}
    while len(out) < 600:  # empty months stay on the axis, as zeros
        key = f"{year:04d}-{month:02d}"
        out[key] = months.get(key, 0)
        if key >= last:
            break
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


@router.get("/events")
def events_page(request: Request, type: EventType = None, since: Since = None, until: Until = None,
                entity: EntityRef = None, source: Source = None, page: PageNo = 1) -> Response:
    state = api.web(request)
    entity_id = api.resolve_entity(state, entity)
    total, items = state.queries.events(type=type, since=since, until=until, entity=entity_id, source=source,
                                        limit=50, offset=(page - 1) * 50)
    filters = {k: v for k, v in {"type": type, "since": since, "until": until, "entity": entity,
                                 "source": source}.items() if v}
    csv_url = "/api/events.csv" + ("?" + urlencode(filters) if filters else "")
    return render(request, "events.html", items=items, type=type or "", since=since or "", until=until or "",
                  entity=entity or "", source=source or "", event_types=state.queries.event_types(),
                  sources=state.queries.sources(), csv_url=csv_url, pager=pager(request, total, page, 50))


@router.get("/quotes")
def quotes_page(request: Request, entity: EntityRef = None,
                speaker: Annotated[str | None, Query(max_length=200)] = None, page: PageNo = 1) -> Response:
    state = api.web(request)
    entity_id = api.resolve_entity(state, entity)
    total, items = state.queries.quotes(entity=entity_id, speaker=speaker, limit=50, offset=(page - 1) * 50)
    return render(request, "quotes.html", items=items, speakers=state.queries.speakers(limit=60),
                  entity=entity_id or "", speaker=speaker or "", pager=pager(request, total, page, 50))


@router.get("/stories")
def stories_page(request: Request, entity: Annotated[str | None, Query(max_length=200)] = None,
                 min_articles: Annotated[int, Query(ge=1, le=10_000)] = 2, page: PageNo = 1) -> Response:
    chosen = archive.stories(api.web(request), min_articles=min_articles, entity=entity)
    offset = (page - 1) * PAGE_SIZE
    items = [archive.story_json(s) for s in chosen[offset:offset + PAGE_SIZE]]
    return render(request, "stories.html", items=items, entity=entity or "", min_articles=min_articles,
                  pager=pager(request, len(chosen), page))


@router.get("/story/{story_id}")
def story_page(request: Request, story_id: StoryId) -> Response:
    return render(request, "story.html", s=api.story_detail(api.web(request), story_id))


@router.get("/brief")
def brief_page(request: Request, entity: Annotated[str | None, Query(max_length=200)] = None,
               topic: Annotated[str | None, Query(max_length=2000)] = None, since: api.BriefSince = "7d") -> Response:
    b = archive.briefing(api.web(request), entity=entity or None, topic=topic or None, since=since or None)
    return render(request, "brief.html", b=b, entity=entity or "", topic=topic or "", since=since or "")
