"""REST API under ``/api/``: JSON over the store, read-only except the token-protected upload.

Paging is ``limit``/``offset`` (``limit`` ≤ 100); every list answer is ``{"total", "limit", "offset", "items"}``.
Bad parameters get 422 (validation) or 400 (query syntax) with a message saying what is wrong.
"""

from __future__ import annotations

import csv
import hmac
import io
import re
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from marsad.web import archive
from marsad.web.app import WebState
from marsad.web.params import (
    DocId,
    EntityRef,
    EntityType,
    EventType,
    Limit,
    Offset,
    SearchQ,
    Since,
    Source,
    StoryId,
    Until,
)

router = APIRouter(prefix="/api", tags=["api"])

#: Full-text hits examined when entity/event filters narrow a search (the store cannot filter on them yet).
FILTER_WINDOW = 1000
CSV_MAX_ROWS = 50_000
_SAFE_NAME = re.compile(r"[^\w.\-]+")


def web(request: Request) -> WebState:
    return request.app.state.web  # type: ignore[no-any-return]


def page(total: int, limit: int, offset: int, items: list[Any], **extra: Any) -> dict[str, Any]:
    return {"total": total, "limit": limit, "offset": offset, "items": items, **extra}


def resolve_entity(state: WebState, entity: str | None) -> str | None:
    """An entity filter as a stable id; 404 when no entity has that id or name."""
    if not entity:
        return None
    found = state.queries.resolve_entity(entity.strip())
    if found is None:
        raise HTTPException(404, f"no entity {entity!r} (give an entity id or an exact canonical name)")
    return found


def hit_json(hit: Any) -> dict[str, Any]:
    return {"id": hit.id, "title": hit.title, "published": hit.published, "source": hit.source, "site": hit.site,
            "url": hit.url, "score": round(hit.score, 4), "snippet": hit.snippet,
            "snippet_parts": [{"text": t, "match": m} for t, m in hit.snippet_parts],
            "highlights": [list(h) for h in hit.highlights]}


def search_hits(state: WebState, q: str, *, source: str | None, since: str | None, until: str | None,
                entity: str | None, event_type: str | None, limit: int, offset: int) -> tuple[int, list[Any], bool]:
    """Full-text hits with all filters; returns (total, hits, capped) — capped when entity/event filters
    were applied to the best ``FILTER_WINDOW`` hits only."""
    if not (entity or event_type):
        result = state.store.search(q, source=source, since=since, until=until, limit=limit, offset=offset)
        return result.total, result.hits, False
    allowed = state.queries.doc_ids(entity=entity, event_type=event_type)
    result = state.store.search(q, source=source, since=since, until=until, limit=FILTER_WINDOW, offset=0)
    hits = [h for h in result.hits if h.id in allowed]
    return len(hits), hits[offset:offset + limit], result.total > FILTER_WINDOW


@router.get("/articles", summary="List articles, newest first, with filters")
def list_articles(request: Request, source: Source = None, since: Since = None, until: Until = None,
                  entity: EntityRef = None, event_type: EventType = None, limit: Limit = 20,
                  offset: Offset = 0) -> dict[str, Any]:
    state = web(request)
    total, items = state.queries.articles(source=source, since=since, until=until,
                                          entity=resolve_entity(state, entity), event_type=event_type,
                                          limit=limit, offset=offset)
    return page(total, limit, offset, items)


@router.get("/articles/{doc_id}", summary="One article: the full stored analysis with every offset")
def get_article(request: Request, doc_id: DocId) -> dict[str, Any]:
    doc = web(request).store.get(doc_id)
    if doc is None:
        raise HTTPException(404, f"no article {doc_id!r}")
    return doc


@router.get("/articles/{doc_id}/copies", summary="Near-duplicate articles (re-posts, syndicated copies)")
def article_copies(request: Request, doc_id: DocId) -> dict[str, Any]:
    state = web(request)
    doc = state.store.get(doc_id)
    if doc is None:
        raise HTTPException(404, f"no article {doc_id!r}")
    items = archive.near_copies(state, doc)
    return page(len(items), len(items), 0, items, sources=doc.get("sources", []))


@router.get("/search", summary="Full-text search (Arabic-normalised), best first, with highlighted snippets")
def search(request: Request, q: SearchQ, source: Source = None, since: Since = None, until: Until = None,
           entity: EntityRef = None, event_type: EventType = None, limit: Limit = 20,
           offset: Offset = 0) -> dict[str, Any]:
    state = web(request)
    total, hits, capped = search_hits(state, q, source=source, since=since, until=until,
                                      entity=resolve_entity(state, entity), event_type=event_type,
                                      limit=limit, offset=offset)
    return page(total, limit, offset, [hit_json(h) for h in hits], query=q, capped=capped)


@router.get("/entities", summary="Entities across the archive (grouped by stable id), most articles first")
def list_entities(request: Request, type: EntityType = None,
                  q: Annotated[str | None, Query(max_length=200, description="Part of a name")] = None,
                  limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    total, items = web(request).queries.entities(type=type, q=q, limit=limit, offset=offset)
    return page(total, limit, offset, items)


def entity_detail(state: WebState, ref: str) -> dict[str, Any]:
    entity_id = resolve_entity(state, ref)
    assert entity_id is not None
    detail = state.queries.entity(entity_id)
    if detail is None:
        raise HTTPException(404, f"no entity {ref!r}")
    detail["cooccurring"] = state.queries.cooccurring(entity_id)
    detail["events_total"], detail["events"] = state.queries.events(entity=entity_id, limit=100)
    detail["quotes_total"], detail["quotes"] = state.queries.quotes(entity=entity_id, limit=100)
    return detail


@router.get("/entities/{ref}", summary="One entity: variants, Latin name, roles, timeline, network, events, quotes")
def get_entity(request: Request, ref: str) -> dict[str, Any]:
    if len(ref) > 200:
        raise HTTPException(422, "ref: entity id or name too long (max 200 characters)")
    return entity_detail(web(request), ref)


@router.get("/events", summary="Events with arguments and evidence offsets, newest first")
def list_events(request: Request, type: EventType = None, since: Since = None, until: Until = None,
                entity: EntityRef = None, source: Source = None,
                doc: Annotated[str | None, Query(pattern=r"^[0-9a-f]{16}$", description="Article id")] = None,
                limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    state = web(request)
    total, items = state.queries.events(type=type, since=since, until=until, entity=resolve_entity(state, entity),
                                        source=source, doc=doc, limit=limit, offset=offset)
    return page(total, limit, offset, items)


CSV_COLUMNS = ("published", "type", "cameo", "trigger", "arguments", "when", "when_resolved", "where", "modality",
               "attributed_to", "status", "confidence", "doc", "title", "source", "trigger_start", "trigger_end")


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    # a cell starting with = + - @ is a formula to spreadsheet programs: neutralise it (CSV injection)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def events_csv(state: WebState, **filters: Any) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.writer(buf)
    buf.write("\ufeff")  # BOM: spreadsheet programs then read the Arabic as UTF-8
    writer.writerow(CSV_COLUMNS)
    done = 0
    while done < CSV_MAX_ROWS:
        _, items = state.queries.events(limit=500, offset=done, **filters)
        for ev in items:
            ev = dict(ev, arguments="; ".join(f"{a['role']}={a['text']}" for a in ev["arguments"]))
            writer.writerow([_cell(ev.get(c)) for c in CSV_COLUMNS])
        yield buf.getvalue()
        buf.seek(0)
        buf.truncate()
        done += len(items)
        if len(items) < 500:
            break


@router.get("/events.csv", summary="The events table as CSV (UTF-8 with BOM; same filters; ≤ 50,000 rows)")
def download_events(request: Request, type: EventType = None, since: Since = None, until: Until = None,
                    entity: EntityRef = None, source: Source = None) -> StreamingResponse:
    state = web(request)
    filters = {"type": type, "since": since, "until": until, "entity": resolve_entity(state, entity),
               "source": source}
    return StreamingResponse(events_csv(state, **filters), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="marsad-events.csv"'})


@router.get("/quotes", summary="Quotes with speaker, verb, channel and evidence offsets")
def list_quotes(request: Request,
                speaker: Annotated[str | None, Query(max_length=200, description="Speaker name as stored")] = None,
                entity: EntityRef = None, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    state = web(request)
    total, items = state.queries.quotes(speaker=speaker, entity=resolve_entity(state, entity), limit=limit,
                                        offset=offset)
    return page(total, limit, offset, items)


@router.get("/speakers", summary="Who is quoted, most quotes first")
def list_speakers(request: Request, limit: Limit = 50) -> dict[str, Any]:
    items = web(request).queries.speakers(limit=limit)
    return page(len(items), limit, 0, items)


@router.get("/stories", summary="Stories: articles about one happening, grouped over time, largest first")
def list_stories(request: Request, min_articles: Annotated[int, Query(ge=1, le=10_000)] = 2,
                 entity: Annotated[str | None, Query(max_length=200, description="Entity name (substring)")] = None,
                 limit: Limit = 30, offset: Offset = 0) -> dict[str, Any]:
    chosen = archive.stories(web(request), min_articles=min_articles, entity=entity)
    return page(len(chosen), limit, offset, [archive.story_json(s) for s in chosen[offset:offset + limit]])


def story_detail(state: WebState, story_id: str) -> dict[str, Any]:
    found = archive.story(state, story_id)
    if found is None:
        raise HTTPException(404, f"no story {story_id!r}")
    return found


@router.get("/stories/{story_id}", summary="One story: timeline of articles, summary, key entities, events")
def get_story(request: Request, story_id: StoryId) -> dict[str, Any]:
    return story_detail(web(request), story_id)


BriefSince = Annotated[str | None, Query(pattern=r"^(\d{1,4}[hdw]|\d{4}-\d{2}-\d{2})$",
                                         description="7d, 2w, 12h (before the newest article) or YYYY-MM-DD")]


@router.get("/brief", summary="A briefing: headline summary, stories, key events, quotes, timeline, top entities")
def brief(request: Request,
          entity: Annotated[str | None, Query(max_length=200, description="Only articles naming this entity")] = None,
          topic: Annotated[str | None, Query(max_length=2000, description="Only articles matching this search")] = None,
          since: BriefSince = "7d") -> dict[str, Any]:
    return archive.briefing(web(request), entity=entity, topic=topic, since=since)


def stats_json(state: WebState) -> dict[str, Any]:
    stats = dict(state.store.stats())
    stats.pop("path", None)  # the server's file layout is nobody's business
    stats["per_day"] = state.queries.per_day()
    stats["top_entities"] = state.queries.top_entities_recent()
    stats["event_types"] = dict(state.queries.event_types())
    return stats


@router.get("/stats", summary="Counts, articles per day and per source, top entities of the last week")
def stats(request: Request) -> dict[str, Any]:
    return stats_json(web(request))


# -- writing ------------------------------------------------------------------------------------------


def check_token(state: WebState, authorization: str | None, x_marsad_token: str | None) -> None:
    """401/403 unless the request carries the configured token (compared in constant time)."""
    if not state.token:
        raise HTTPException(403, "uploads are disabled on this server (start it with MARSAD_TOKEN set)")
    given = x_marsad_token or ""
    if authorization and authorization.lower().startswith("bearer "):
        given = authorization[7:].strip()
    if not given:
        raise HTTPException(401, "this endpoint needs the token: 'Authorization: Bearer <token>'",
                            headers={"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(given.encode("utf-8"), state.token.encode("utf-8")):
        raise HTTPException(401, "wrong token", headers={"WWW-Authenticate": "Bearer"})


def ingest_bytes(state: WebState, name: str, data: bytes, format: str | None) -> dict[str, Any]:
    """Read, analyse and store one uploaded file (one transaction); the report as JSON."""
    from marsad.errors import IngestError, MarsadError
    from marsad.ingest import read_blob
    from marsad.ingest.sources import Blob
    from marsad.pipeline import default_pipeline

    pipe = default_pipeline()
    analyses, problems, ids = [], [], []
    with state.ingest_lock:
        for item in read_blob(Blob(name, data), format=format):
            if isinstance(item, IngestError):
                problems.append(item.one_line())
                continue
            try:
                analysis = pipe(item)
            except MarsadError as exc:
                problems.append(exc.one_line())
                continue
            analyses.append(analysis)
            ids.append(analysis.document.id)
        report = state.store.add(analyses)
    return {"read": len(analyses) + len(problems), "added": report.added, "unchanged": report.unchanged,
            "duplicates": report.duplicates, "skipped": len(problems), "problems": problems[:100], "ids": ids}


@router.post("/ingest", summary="Upload one file (any reader format) to analyse and store; needs the token",
             responses={401: {"description": "missing or wrong token"}, 403: {"description": "uploads disabled"},
                        411: {"description": "Content-Length missing"}, 413: {"description": "file too large"}})
async def ingest(request: Request,
                 format: Annotated[str | None, Query(pattern=r"^(page|html|feed|jsonl|json|csv|trec)$",
                                                     description="Reader format; sniffed when omitted")] = None,
                 authorization: Annotated[str | None, Header()] = None,
                 x_marsad_token: Annotated[str | None, Header()] = None) -> dict[str, Any]:
    """Multipart form with one field ``file``. Send ``Authorization: Bearer <MARSAD_TOKEN>``."""
    state = web(request)
    check_token(state, authorization, x_marsad_token)
    length = request.headers.get("content-length")
    if length is None or not length.isdigit():
        raise HTTPException(411, "Content-Length is required for uploads")
    if int(length) > state.max_upload_bytes + 64 * 1024:  # allowance for the multipart framing
        raise HTTPException(413, f"upload too large (limit {state.max_upload_bytes} bytes)")
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise HTTPException(415, "send the file as multipart/form-data in a field named 'file'")
    form = await request.form(max_files=1, max_fields=4)
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise HTTPException(422, "file: a multipart field named 'file' holding the upload is required")
    data = await upload.read(state.max_upload_bytes + 1)
    await form.close()
    if len(data) > state.max_upload_bytes:
        raise HTTPException(413, f"upload too large (limit {state.max_upload_bytes} bytes)")
    if not data.strip():
        raise HTTPException(422, "file: the upload is empty")
    name = "upload:" + (_SAFE_NAME.sub("_", (upload.filename or "file").rsplit("/", 1)[-1])[:100] or "file")
    return await run_in_threadpool(ingest_bytes, state, name, data, format)
