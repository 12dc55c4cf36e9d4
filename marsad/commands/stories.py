"""Commands over the stored archive: duplicates, stories, story."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from marsad.commands.core import DbOpt
from marsad.errors import QueryError

out = Console(soft_wrap=True, highlight=False)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _records(db: str | None) -> Iterator[dict[str, Any]]:
    """Stored articles one at a time (an archive of 100k analyses does not fit in memory at once)."""
    from marsad.store import open_store

    with open_store(db, create=False) as store:
        yield from store.iter_documents()


def _get(db: str | None, ids: list[str]) -> list[dict[str, Any]]:
    from marsad.store import open_store

    with open_store(db, create=False) as store:
        return store.get_many(ids)


def find_duplicates(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Groups of near-duplicate articles: the first stored (canonical) and its copies with their sources
    (recomputed over ``records``; the CLI reads the groups the store kept at ingest instead)."""
    from marsad.store.tracking import replay

    return replay(records)[1]


def _tracked(db: str | None) -> Iterator[Any]:
    """The store, its duplicate/story tables brought up to date (a store from before schema v3)."""
    from marsad.store import open_store

    with open_store(db, create=False) as store:
        store.update_tracking()
        yield store


def duplicates(db: DbOpt = None, as_json: JsonOpt = False,
               limit: Annotated[int, typer.Option(min=1, help="Groups to show.")] = 50) -> None:
    """Near-duplicate and re-posted articles, each under its canonical (first stored) article.

    Example: marsad duplicates --db news.db --limit 20
    """
    for store in _tracked(db):
        groups = store.near_duplicate_groups()
    if as_json:
        sys.stdout.write(json.dumps(groups[:limit], ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(title=f"{len(groups)} articles with copies")
    for col in ("canonical", "title", "copies (id  source  J)"):
        table.add_column(col)
    for g in groups[:limit]:
        copies = [f"{c['id']}  {c['source']}  {c['jaccard']:.2f}" for c in g["copies"]]
        copies += [f"(same text)  {s}" for s in g["exact_sources"]]
        table.add_row(g["id"], (g["title"] or "")[:60], "\n".join(copies))
    out.print(table)


def _since(value: str | None, latest: datetime | None) -> datetime | None:
    """``7d`` / ``2w`` / ``12h`` (before the newest stored article) or an ISO date."""
    if not value:
        return None
    m = re.fullmatch(r"(\d+)([hdw])", value.strip())
    if m:
        if latest is None:
            return None
        n, unit = int(m.group(1)), m.group(2)
        return latest - {"h": timedelta(hours=n), "d": timedelta(days=n), "w": timedelta(weeks=n)}[unit]
    try:
        return datetime.fromisoformat(value.strip()[:10])
    except ValueError:
        raise QueryError(value, "--since takes 7d, 2w, 12h or a date like 2017-01-31") from None


def build_stories(records: Iterable[dict[str, Any]]) -> Any:
    """Cluster stored articles into stories (in publication order; the CLI reads the stories the store
    kept at ingest, in arrival order, instead)."""
    from marsad.stories import ArticleFeatures, cluster

    return cluster([ArticleFeatures.from_record(d) for d in records])


def _story_json(s: Any, docs: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    from marsad.stories import record_source, summarize_story

    item: dict[str, Any] = {"id": s.id, "title": s.title, "first": s.first, "last": s.last,
                            "articles": len(s.articles), "sources": dict(s.sources),
                            "key_entities": [e for e, _ in s.key_entities()], "key_terms": s.key_terms()}
    if docs is not None:
        arts = sorted((docs[a] for a in s.articles if a in docs), key=lambda d: (d.get("published") or "", d["id"]))
        item["articles"] = [{"id": d["id"], "published": d.get("published"), "source": record_source(d),
                             "title": d.get("title")} for d in arts]
        sentences = [t for d in arts for t in (d.get("summary") or [p["text"] for p in d.get("paragraphs", [])[:1]])]
        item["summary"] = [sentences[i] for i in summarize_story(sentences)]
        from marsad.brief import merge_events

        item["events"] = merge_events(arts)
    return item


def stories(db: DbOpt = None, as_json: JsonOpt = False,
            since: Annotated[str | None, typer.Option(help="7d, 2w, 12h (before the newest article) or a date.")] = None,
            entity: Annotated[str | None, typer.Option(help="Only stories with this entity (substring).")] = None,
            min_articles: Annotated[int, typer.Option(min=1, help="Smallest story to list.")] = 2,
            limit: Annotated[int, typer.Option(min=1, help="Stories to show.")] = 30) -> None:
    """Stories: articles about the same happening grouped over time, largest first.

    Example: marsad stories --db news.db --since 7d --entity غانتس
    """
    from marsad.stories import _time

    for store in _tracked(db):
        found = store.list_stories(min_articles=min_articles)
        relative = bool(since and re.fullmatch(r"\s*\d+[hdw]\s*", since))
        every = store.list_stories() if relative and min_articles > 1 else found
    dated = [t for s in every if (t := _time(s.last))]
    start = _since(since, max(dated) if dated else None)
    needle = entity.strip() if entity else None
    chosen = []
    for s in found:
        if len(s.articles) < min_articles:
            continue
        if start and not ((t := _time(s.last)) and t >= start):
            continue
        if needle and not any(needle in e for e in s.entities) and needle not in s.title:
            continue
        chosen.append(s)
    chosen.sort(key=lambda s: (-len(s.articles), s.id))
    items = [_story_json(s) for s in chosen[:limit]]
    if as_json:
        sys.stdout.write(json.dumps(items, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(title=f"{len(chosen)} stories")
    for col in ("id", "title", "from", "to", "articles", "sources", "key entities"):
        table.add_column(col)
    for it in items:
        table.add_row(it["id"], (it["title"] or "")[:60], (it["first"] or "")[:10], (it["last"] or "")[:10],
                      str(it["articles"]), str(len(it["sources"])), ", ".join(it["key_entities"][:3]))
    out.print(table)


def story(story_id: Annotated[str, typer.Argument(help="Story id as `marsad stories` lists it.")],
          db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """One story: its articles and sources, summary, key entities and merged events with source counts.

    Example: marsad story S000042 --db news.db
    """
    for store in _tracked(db):
        s = store.story(story_id.strip())
    if s is None:
        raise QueryError(story_id, "no such story (ids come from `marsad stories`)")
    item = _story_json(s, {d["id"]: d for d in _get(db, s.articles)})
    if as_json:
        sys.stdout.write(json.dumps(item, ensure_ascii=False, indent=2) + "\n")
        return
    out.print(f"[bold]{item['title']}[/bold]  {s.id}  {(item['first'] or '')[:16]} .. {(item['last'] or '')[:16]}")
    for line in item["summary"]:
        out.print(f"  • {line}", markup=False)
    table = Table(title="articles")
    for col in ("published", "source", "id", "title"):
        table.add_column(col)
    for a in item["articles"]:
        table.add_row((a["published"] or "")[:16], a["source"], a["id"], (a["title"] or "")[:70])
    out.print(table)
    if item["key_entities"]:
        out.print("key entities: " + ", ".join(item["key_entities"]), markup=False)
    for ev in item["events"][:10]:
        actors = "، ".join(ev["actors"])
        out.print(f"  {ev['date']}  {ev['type']}  {actors}  ({ev['sources']} sources, {ev['articles']} articles)",
                  markup=False)


def _topic_ids(db: str | None, topic: str, cap: int = 2000) -> set[str]:
    """Ids of the articles a full-text search for ``topic`` finds (store query syntax)."""
    from marsad.store import open_store

    ids: set[str] = set()
    with open_store(db, create=False) as store:
        while len(ids) < cap:
            result = store.search(topic, limit=200, offset=len(ids))
            ids.update(h.id for h in result.hits)
            if len(result.hits) < 200:
                break
    return ids


def brief(db: DbOpt = None,
          entity: Annotated[str | None, typer.Option(help="Only articles naming this entity.")] = None,
          topic: Annotated[str | None, typer.Option(help="Only articles matching this search query.")] = None,
          since: Annotated[str | None, typer.Option(help="7d, 2w, 12h (before the newest article) or a date.")] = None,
          format: Annotated[str, typer.Option("--format", "-f", help="md, html or json.")] = "md",
          output: Annotated[str | None, typer.Option("--output", "-o", help="File to write (default stdout).")] = None,
          ) -> None:
    """A briefing: headline summary, stories, key events, quotes, timeline, top entities, each fact linked
    to its article and sentence.

    Example: marsad brief --entity غانتس --since 7d --format html -o brief.html
    """
    from marsad.brief import build_brief, render_html, render_md

    if format not in ("md", "html", "json"):
        raise typer.BadParameter("must be md, html or json", param_hint="--format")
    ids = _topic_ids(db, topic) if topic else None
    b = build_brief(list(_records(db)), entity=entity, topic=topic, since=since, ids=ids)
    text = {"md": render_md, "html": render_html,
            "json": lambda x: json.dumps(x, ensure_ascii=False, indent=2) + "\n"}[format](b)
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)


def register(app: typer.Typer) -> None:
    app.command()(duplicates)
    app.command()(stories)
    app.command()(story)
    app.command()(brief)
