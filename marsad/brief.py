"""Briefings: a report an analyst could send, built from stored analyses (pure: records in, dict out).

``build_brief(records, ...)`` selects articles (since / entity / topic hits), groups them into stories and
returns a JSON-ready dict: headline summary, stories, key events (merged across articles, with source
counts), quotes, a timeline and top entities. Every fact carries ``ref``: the article id, title, URL and
the ``[start, end)`` offsets of the sentence it comes from, so a reader can check it. ``render_md`` and
``render_html`` turn that dict into Markdown or one self-contained right-to-left HTML file.
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from typing import Any

from marsad.stories import ArticleFeatures, _time, cluster, record_source, summarize_story
from marsad.text import fold

Record = dict[str, Any]
_SKIP_ENTITY_TYPES = {"DATE", "TIME", "MONEY", "QUANTITY", "PERCENT"}
_ACTOR_ROLES = ("source", "actor", "target", "participants", "seller", "buyer")


def _ref(d: Record, start: int | None = None, end: int | None = None) -> dict[str, Any]:
    url = d.get("url") or next((s.get("url") for s in d.get("sources", []) if s.get("url")), None)
    return {"article": d["id"], "title": d.get("title"), "url": url, "published": d.get("published"),
            "start": start, "end": end}


def _sentence_at(d: Record, pos: int) -> tuple[int, int] | None:
    """The [start, end) of the sentence holding raw offset ``pos``."""
    for p in d.get("paragraphs", []):
        for s, e in p.get("sentences", []):
            if s <= pos < e:
                return s, e
    return None


def _sentence_text(d: Record) -> list[tuple[str, int, int]]:
    out = []
    for p in d.get("paragraphs", []):
        for s, e in p.get("sentences", []):
            out.append((p["text"][s - p["start"]:e - p["start"]], s, e))
    return out


def since_datetime(value: str | None, latest: datetime | None) -> datetime | None:
    """``7d``/``2w``/``12h`` before ``latest`` (the newest article), or an ISO date; None when not given."""
    if not value:
        return None
    v = value.strip()
    if v[:-1].isdigit() and v[-1:] in ("h", "d", "w"):
        if latest is None:
            return None
        n = int(v[:-1])
        return latest - {"h": timedelta(hours=n), "d": timedelta(days=n), "w": timedelta(weeks=n)}[v[-1]]
    return _time(v[:10])


def select(records: list[Record], *, entity: str | None = None, since: str | None = None,
           ids: set[str] | None = None) -> list[Record]:
    """Articles matching every given filter (``ids``: hits of a topic search)."""
    dates = [t for d in records if (t := _time(d.get("published")))]
    start = since_datetime(since, max(dates) if dates else None)
    needle = fold(entity, ta_marbuta=True) if entity else None
    out = []
    for d in records:
        if ids is not None and d["id"] not in ids:
            continue
        if start and not ((t := _time(d.get("published"))) and t >= start):
            continue
        if needle:
            names = [e.get("canonical", "") for e in d.get("canonical_entities", [])]
            names += [v for e in d.get("canonical_entities", []) for v in e.get("variants", [])]
            if not any(needle in fold(n, ta_marbuta=True) for n in names):
                continue
        out.append(d)
    return out


def merge_events(docs: list[Record]) -> list[dict[str, Any]]:
    """Events of these articles merged by (type, date, actors), with source and article counts and evidence."""
    merged: dict[tuple[str, ...], dict[str, Any]] = {}
    for d in docs:
        ents = {e["id"]: e for e in d.get("canonical_entities", [])}
        day = (d.get("published") or "")[:10]
        for ev in d.get("events", []):
            actors = sorted({ents[a["entity_id"]]["canonical"] if a.get("entity_id") in ents else a["text"]
                             for a in ev.get("arguments", []) if a.get("role") in _ACTOR_ROLES})
            value = next((a["text"] for a in ev.get("arguments", []) if a.get("role") in ("value", "quantity")), None)
            when = ev.get("when_resolved") or day
            key = (ev["type"], when, *(fold(x, ta_marbuta=True) for x in actors))
            m = merged.setdefault(key, {"date": when, "type": ev["type"], "actors": actors, "where": ev.get("where"),
                                        "value": value, "sources": set(), "articles": set(), "refs": []})
            m["sources"].add(record_source(d))
            m["articles"].add(d["id"])
            m["where"] = m["where"] or ev.get("where")
            m["value"] = m["value"] or value
            m["refs"].append(_ref(d, ev.get("sentence_start"), ev.get("sentence_end")))
    out = sorted(merged.values(), key=lambda m: (-len(m["sources"]), -len(m["articles"]), m["date"] or ""))
    for m in out:
        m["sources"], m["articles"] = len(m["sources"]), len(m["articles"])
    return out


def _quotes(docs: list[Record]) -> list[dict[str, Any]]:
    seen: set[str] = set()
    out = []
    for d in docs:
        for q in d.get("quotes", []):
            key = fold(q["text"], ta_marbuta=True)
            if key in seen:
                continue
            seen.add(key)
            span = _sentence_at(d, q["start"]) or (q["start"], q["end"])
            out.append({"speaker": q.get("speaker"), "text": q["text"], "confidence": q.get("confidence", 0.5),
                        "ref": _ref(d, *span)})
    return sorted(out, key=lambda q: (-q["confidence"], q["ref"]["published"] or ""))


def build_brief(records: list[Record], *, entity: str | None = None, topic: str | None = None,
                since: str | None = None, ids: set[str] | None = None, stories: int = 5,
                events: int = 20, quotes: int = 10, entities: int = 15) -> dict[str, Any]:
    """The briefing over the selected articles, as a JSON-ready dict (see the module docstring)."""
    docs = select(records, entity=entity, since=since, ids=ids)
    docs.sort(key=lambda d: (d.get("published") or "", d["id"]))
    byid = {d["id"]: d for d in docs}
    c = cluster([ArticleFeatures.from_record(d) for d in docs])
    ranked = sorted(c.stories.values(), key=lambda s: (-len(s.sources), -len(s.articles), s.id))[:stories]
    story_items: list[dict[str, Any]] = []
    for s in ranked:
        cands = [(t, d, a, b) for aid in s.articles for d in [byid[aid]]
                 for t, a, b in _sentence_text(d) if t in set(d.get("summary") or [])]
        picked = summarize_story([t for t, *_ in cands]) if cands else []
        story_items.append({"id": s.id, "title": s.title, "first": s.first, "last": s.last,
                            "articles": len(s.articles), "sources": len(s.sources),
                            "summary": [{"text": cands[i][0], "ref": _ref(cands[i][1], cands[i][2], cands[i][3])}
                                        for i in picked]})
    headline = [{**st["summary"][0], "story": st["id"]} for st in story_items if st["summary"]][:5]
    timeline: dict[str, list[Record]] = defaultdict(list)
    for d in docs:
        timeline[(d.get("published") or "undated")[:10]].append(d)
    ent_count: Counter[tuple[str, str]] = Counter()
    for d in docs:
        ent_count.update({(e["type"], e["canonical"]) for e in d.get("canonical_entities", [])
                          if e.get("type") not in _SKIP_ENTITY_TYPES})
    return {
        "query": {"entity": entity, "topic": topic, "since": since},
        "articles": len(docs),
        "period": [docs[0].get("published"), docs[-1].get("published")] if docs else [None, None],
        "headline": headline,
        "stories": story_items,
        "events": merge_events(docs)[:events],
        "quotes": _quotes(docs)[:quotes],
        "timeline": [{"date": day, "articles": len(ds), "headlines": [_ref(d) for d in ds[:3]]}
                     for day, ds in sorted(timeline.items())][-30:],
        "entities": [{"type": t, "canonical": n, "articles": k}  # ties by name: the same order in every process
                     for (t, n), k in sorted(ent_count.items(), key=lambda kv: (-kv[1], kv[0]))[:entities]],
    }


# ---------------------------------------------------------------------------------------------- rendering


def _cite(ref: dict[str, Any]) -> str:
    where = f"{ref['article']}:{ref['start']}-{ref['end']}" if ref.get("start") is not None else ref["article"]
    return f"[{where}]({ref['url']})" if ref.get("url") else f"`{where}`"


def _md_cell(text: Any) -> str:
    return str(text if text not in (None, "") else "—").replace("|", "\\|").replace("\n", " ")


def render_md(b: dict[str, Any]) -> str:
    """The briefing as Markdown (every fact cites ``article:start-end``, linked when a URL is known)."""
    q = b["query"]
    scope = ", ".join(f"{k}: {v}" for k, v in q.items() if v) or "all articles"
    period = f"{_md_cell(b['period'][0])[:10]} .. {_md_cell(b['period'][1])[:10]}"
    lines = [f"# موجز — {scope}", "", f"{b['articles']} articles, {period}", "", "## Headline summary", ""]
    lines += [f"- {h['text']} {_cite(h['ref'])}" for h in b["headline"]] or ["- (nothing selected)"]
    lines += ["", "## Stories", ""]
    for s in b["stories"]:
        lines.append(f"### {s['title']} ({s['articles']} articles, {s['sources']} sources, "
                     f"{(s['first'] or '')[:10]} .. {(s['last'] or '')[:10]})")
        lines += [f"- {x['text']} {_cite(x['ref'])}" for x in s["summary"]] + [""]
    lines += ["## Key events", "", "| date | type | actors | where | value | sources | evidence |",
              "|---|---|---|---|---|---|---|"]
    for e in b["events"]:
        cells = (e["date"], e["type"], "، ".join(e["actors"]), e["where"], e["value"], e["sources"])
        lines.append("| " + " | ".join(_md_cell(x) for x in cells) + " | " + " ".join(_cite(r) for r in e["refs"][:3]) + " |")
    lines += ["", "## Quotes", ""]
    lines += [f"- **{_md_cell(x['speaker'])}**: «{x['text']}» {_cite(x['ref'])}" for x in b["quotes"]] or ["- —"]
    lines += ["", "## Timeline", "", "| date | articles | headlines |", "|---|---|---|"]
    for t in b["timeline"]:
        heads = "<br>".join(f"{_md_cell(r['title'])} {_cite(r)}" for r in t["headlines"])
        lines.append(f"| {t['date']} | {t['articles']} | {heads} |")
    lines += ["", "## Top entities", "", "| entity | type | articles |", "|---|---|---|"]
    lines += [f"| {_md_cell(e['canonical'])} | {e['type']} | {e['articles']} |" for e in b["entities"]]
    return "\n".join(lines) + "\n"


_CSS = """
body{direction:rtl;font-family:"Noto Naskh Arabic","Amiri","Scheherazade New","Traditional Arabic","Arial",serif;
font-size:18px;line-height:1.9;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b;background:#fff}
h1,h2,h3{font-family:"Noto Kufi Arabic","Noto Naskh Arabic",sans-serif;line-height:1.4}
h2{border-bottom:2px solid #c9a227;padding-bottom:.2rem;margin-top:2.2rem}
table{border-collapse:collapse;width:100%;font-size:16px}th,td{border:1px solid #ddd;padding:.35rem .5rem;
text-align:right;vertical-align:top}th{background:#f4f1e8}a.cite{font-size:.75em;color:#6b5b1e;
text-decoration:none;unicode-bidi:isolate;direction:ltr;margin-inline-start:.3em}
blockquote{margin:.4rem 0;padding:.2rem 1rem;border-inline-start:4px solid #c9a227;background:#faf8f2}
.meta{color:#666;font-size:.9em}
"""


def _h(text: Any) -> str:
    return html.escape("—" if text in (None, "") else str(text))


def _hcite(ref: dict[str, Any]) -> str:
    where = f"{ref['article']}:{ref['start']}-{ref['end']}" if ref.get("start") is not None else ref["article"]
    href = _h(ref["url"]) if ref.get("url") else "#"
    title = _h(f"{ref.get('title') or ''} — {ref.get('published') or ''}")
    return f'<a class="cite" href="{href}" title="{title}" data-article="{_h(ref["article"])}">[{_h(where)}]</a>'


def render_html(b: dict[str, Any]) -> str:
    """The briefing as one self-contained right-to-left HTML file (inline CSS, no scripts, no fetches)."""
    q = b["query"]
    scope = "، ".join(f"{k}: {v}" for k, v in q.items() if v) or "كل المقالات"
    parts = ['<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">',
             f"<title>موجز — {_h(scope)}</title><style>{_CSS}</style></head><body>",
             (f"<h1>موجز — {_h(scope)}</h1><p class=\"meta\">{b['articles']} مقال، "
              f"{_h((b['period'][0] or '')[:10])} — {_h((b['period'][1] or '')[:10])}</p>"),
             "<h2>الخلاصة</h2><ul>"]
    parts += [f"<li>{_h(x['text'])}{_hcite(x['ref'])}</li>" for x in b["headline"]] + ["</ul><h2>القصص</h2>"]
    for s in b["stories"]:
        parts.append(f"<h3>{_h(s['title'])}</h3><p class=\"meta\">{s['articles']} مقال، {s['sources']} مصدر، "
                     f"{_h((s['first'] or '')[:10])} — {_h((s['last'] or '')[:10])}</p><ul>")
        parts += [f"<li>{_h(x['text'])}{_hcite(x['ref'])}</li>" for x in s["summary"]] + ["</ul>"]
    parts.append("<h2>أبرز الأحداث</h2><table><tr><th>التاريخ</th><th>النوع</th><th>الأطراف</th><th>المكان</th>"
                 "<th>القيمة</th><th>المصادر</th><th>الدليل</th></tr>")
    for e in b["events"]:
        parts.append(f"<tr><td>{_h(e['date'])}</td><td>{_h(e['type'])}</td><td>{_h('، '.join(e['actors']))}</td>"
                     f"<td>{_h(e['where'])}</td><td>{_h(e['value'])}</td><td>{e['sources']}</td>"
                     f"<td>{''.join(_hcite(r) for r in e['refs'][:3])}</td></tr>")
    parts.append("</table><h2>تصريحات</h2>")
    parts += [f"<blockquote><strong>{_h(x['speaker'])}</strong>: «{_h(x['text'])}»{_hcite(x['ref'])}</blockquote>"
              for x in b["quotes"]]
    parts.append("<h2>التسلسل الزمني</h2><table><tr><th>التاريخ</th><th>المقالات</th><th>العناوين</th></tr>")
    for t in b["timeline"]:
        heads = "<br>".join(f"{_h(r['title'])}{_hcite(r)}" for r in t["headlines"])
        parts.append(f"<tr><td>{_h(t['date'])}</td><td>{t['articles']}</td><td>{heads}</td></tr>")
    parts.append("</table><h2>أبرز الكيانات</h2><table><tr><th>الكيان</th><th>النوع</th><th>المقالات</th></tr>")
    parts += [f"<tr><td>{_h(e['canonical'])}</td><td>{_h(e['type'])}</td><td>{e['articles']}</td></tr>"
              for e in b["entities"]]
    parts.append("</table></body></html>")
    return "\n".join(parts) + "\n"
