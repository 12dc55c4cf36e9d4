"""Article text as safe HTML: entity mentions, event triggers and quotes marked at their raw offsets.

Every piece of article text goes through ``markupsafe.escape`` and every attribute value too, so a
``<script>`` inside an article is shown as text. Spans nest (a quote holds mentions); a span that crosses
another one's boundary is dropped rather than producing broken markup.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

#: Mention types that have an entity page worth linking to.
LINKED_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "WEAPON"})
TYPE_NAMES_AR = {
    "PERSON": "شخص", "ORG": "منظمة", "GPE": "دولة/مدينة", "LOC": "مكان", "FAC": "منشأة", "NORP": "جماعة/جنسية",
    "WEAPON": "سلاح", "MONEY": "مبلغ", "DATE": "تاريخ", "TIME": "وقت", "QUANTITY": "كمية", "PERCENT": "نسبة",
}
_PRIORITY = {"evidence": -1, "quote": 0, "mention": 1, "trigger": 2}


@dataclass(slots=True)
class Span:
    start: int
    end: int
    kind: str  # quote | mention | trigger
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)


def _open(span: Span) -> Markup:
    attrs = "".join(f' {name}="{escape(value)}"' for name, value in span.attrs.items())
    return Markup(f"<{span.tag}{attrs}>")


def _fmt_conf(value: Any) -> str:
    try:
        return f"{float(value):.2f}"
    except (TypeError, ValueError):
        return "?"


def mention_span(m: dict[str, Any], ents: dict[str, dict[str, Any]]) -> Span:
    """A mention as a link to its entity page (named types) or a plain marked span."""
    ent = ents.get(m.get("entity_id") or "", {})
    canonical = m.get("canonical") or ent.get("canonical") or m.get("text", "")
    role = m.get("role") or ""
    info = [m["type"], canonical]
    if ent.get("latin"):
        info.append(ent["latin"])
    if role:
        info.append(role)
    info.append(f"ثقة {_fmt_conf(m.get('confidence'))}")
    attrs = {"class": f"ent ent-{m['type']}", "data-type": m["type"], "data-canonical": canonical,
             "data-role": role, "data-confidence": _fmt_conf(m.get("confidence")), "title": " · ".join(info)}
    if m.get("entity_id"):
        attrs["data-entity"] = m["entity_id"]
    if m.get("entity_id") and m["type"] in LINKED_TYPES:
        return Span(m["start"], m["end"], "mention", "a", {"href": f"/entity/{m['entity_id']}", **attrs})
    return Span(m["start"], m["end"], "mention", "span", attrs)


def article_spans(doc: dict[str, Any]) -> list[Span]:
    """All markable spans of a stored analysis (``Analysis.to_dict()`` shape)."""
    ents = {e["id"]: e for e in doc.get("canonical_entities", [])}
    spans = [mention_span(m, ents) for m in doc.get("entities", [])]
    for i, ev in enumerate(doc.get("events", [])):
        args = "، ".join(f"{a['role']}: {a['text']}" for a in ev.get("arguments", []))
        title = f"حدث {ev['type']} ({ev.get('cameo') or '-'}) · {ev.get('modality', '')} · ثقة " \
                f"{_fmt_conf(ev.get('confidence'))}" + (f" · {args}" if args else "")
        spans.append(Span(ev["trigger_start"], ev["trigger_end"], "trigger", "mark",
                          {"class": "trigger", "id": f"ev-{i}", "data-event": ev["type"], "title": title}))
    for i, q in enumerate(doc.get("quotes", [])):
        title = f"اقتباس · {q.get('speaker') or 'متحدث غير معروف'} · {q.get('verb') or ''} · ثقة " \
                f"{_fmt_conf(q.get('confidence'))}"
        spans.append(Span(q["start"], q["end"], "quote", "span",
                          {"class": "quote", "id": f"q-{i}", "data-speaker": q.get("speaker") or "", "title": title}))
    return spans


def render_range(text: str, start: int, end: int, spans: list[Span]) -> Markup:
    """``text[start:end]`` as escaped HTML with the spans inside that range marked (properly nested)."""
    inside = sorted((s for s in spans if start <= s.start < s.end <= end),
                    key=lambda s: (s.start, -s.end, _PRIORITY.get(s.kind, 9)))
    out: list[str] = []
    stack: list[Span] = []
    pos = start

    def emit(upto: int) -> None:
        nonlocal pos
        if upto > pos:
            out.append(str(escape(text[pos:upto])))
            pos = upto

    for span in inside:
        while stack and stack[-1].end <= span.start:
            top = stack.pop()
            emit(top.end)
            out.append(f"</{top.tag}>")
        if stack and span.end > stack[-1].end:
            continue  # crosses the open span's end: cannot nest, leave it unmarked
        emit(span.start)
        out.append(str(_open(span)))
        stack.append(span)
    while stack:
        top = stack.pop()
        emit(top.end)
        out.append(f"</{top.tag}>")
    emit(end)
    return Markup("".join(out))


def render_paragraphs(doc: dict[str, Any], evidence: tuple[int, int] | None = None) -> list[dict[str, Any]]:
    """Paragraphs of a stored analysis with their marked-up HTML, index and duplicate mark; ``evidence``
    (raw offsets, e.g. the sentence a briefing cites) is marked too, clipped to each paragraph."""
    paragraphs = sorted(doc.get("paragraphs", []), key=lambda p: p["index"])
    # paragraphs carry their own text; spans hold offsets into the whole raw text: shift them per paragraph
    spans = sorted(article_spans(doc), key=lambda s: s.start)
    starts = [s.start for s in spans]
    out: list[dict[str, Any]] = []
    for p in paragraphs:
        ptext = p.get("text", "")
        lo, hi = bisect_left(starts, p["start"]), bisect_left(starts, p["end"])  # O(log n) per paragraph
        shifted = [Span(s.start - p["start"], s.end - p["start"], s.kind, s.tag, s.attrs) for s in spans[lo:hi]
                   if s.end <= p["end"]]
        if evidence and evidence[0] < p["end"] and evidence[1] > p["start"]:
            first = not any(o["evidence"] for o in out)
            shifted.append(Span(max(evidence[0], p["start"]) - p["start"], min(evidence[1], p["end"]) - p["start"],
                                "evidence", "mark", {"class": "evidence", **({"id": "evidence"} if first else {})}))
        out.append({"index": p["index"], "duplicate_of": p.get("duplicate_of"),
                    "evidence": bool(evidence and evidence[0] < p["end"] and evidence[1] > p["start"]),
                    "html": render_range(ptext, 0, len(ptext), shifted)})
    return out
