"""Flat rows for events and quotes (CSV/JSON export, store tables), close to GDELT's event table.

Event row (one per event; every value a string, int, float or None):

| field | meaning |
|---|---|
| `doc_id`, `source`, `url` | the article (Document.id, provenance source, URL) |
| `date` | `when_resolved`, else the article's publication date (ISO), else None |
| `event_type`, `cameo`, `root_code` | Marsad type, CAMEO code, its first two digits (GDELT EventRootCode) |
| `actor1`, `actor1_id` | first source / seller / actor / participant: canonical name and entity id |
| `actor2`, `actor2_id` | first target / buyer / second participant |
| `item`, `value`, `quantity`, `status` | defence frames (ARMS_TRANSFER: talks / ordered / delivered) |
| `location` | `where` |
| `modality`, `attributed_to`, `confidence` | as on the Event |
| `trigger`, `trigger_start`, `trigger_end`, `paragraph` | evidence in the raw text |
| `key` | merge key across articles: type + sorted actor ids/names + date (same happening, several reports) |

Quote row: `doc_id`, `source`, `url`, `date`, `speaker`, `speaker_id`, `verb`, `channel`, `text`, `start`,
`end`, `paragraph`, `confidence`.
"""

from __future__ import annotations

from typing import Any

from marsad.model import Analysis, Argument, Event

_FIRST = ("source", "seller", "actor", "participants")
_SECOND = ("target", "buyer")


def _names(a: Analysis) -> dict[str, str]:
    return {e.id: e.canonical for e in a.entities}


def _pick(ev: Event, roles: tuple[str, ...], skip: Argument | None = None) -> Argument | None:
    for role in roles:
        for arg in ev.arguments:
            if arg.role == role and arg is not skip:
                return arg
    return None


def _date(ev: Event, a: Analysis) -> str | None:
    if ev.when_resolved:
        return ev.when_resolved
    published = a.document.published
    return published[:10] if published else None


def event_key(ev: Event, a: Analysis) -> str:
    """A key equal for reports of the same happening: type, the actors (ids or names), the day."""
    names = _names(a)
    actors = sorted({names.get(x.entity_id or "", x.text) for x in ev.arguments
                     if x.role in _FIRST + _SECOND + ("signatories",)})
    return "|".join([ev.type, ";".join(actors), _date(ev, a) or ""])


def event_rows(a: Analysis) -> list[dict[str, Any]]:
    """One flat row per event of ``a`` (schema in the module docstring)."""
    names = _names(a)
    doc = a.document
    rows: list[dict[str, Any]] = []
    for ev in a.events:
        first = _pick(ev, _FIRST)
        second = _pick(ev, _SECOND) or _pick(ev, ("participants",), skip=first)
        extra = {r: next((x.text for x in ev.arguments if x.role == r), None) for r in ("item", "value", "quantity")}
        rows.append({
            "doc_id": doc.id, "source": doc.provenance.source, "url": doc.url, "date": _date(ev, a),
            "event_type": ev.type, "cameo": ev.cameo, "root_code": ev.cameo[:2] if ev.cameo else None,
            "actor1": names.get(first.entity_id or "", first.text) if first else None,
            "actor1_id": first.entity_id if first else None,
            "actor2": names.get(second.entity_id or "", second.text) if second else None,
            "actor2_id": second.entity_id if second else None,
            **extra, "status": ev.status, "location": ev.where, "modality": ev.modality,
            "attributed_to": ev.attributed_to, "confidence": ev.confidence, "trigger": ev.trigger,
            "trigger_start": ev.trigger_start, "trigger_end": ev.trigger_end, "paragraph": ev.paragraph,
            "key": event_key(ev, a),
        })
    return rows


def quote_rows(a: Analysis) -> list[dict[str, Any]]:
    """One flat row per quotation of ``a``."""
    doc = a.document
    published = doc.published[:10] if doc.published else None
    return [{"doc_id": doc.id, "source": doc.provenance.source, "url": doc.url, "date": published,
             "speaker": q.speaker, "speaker_id": q.speaker_entity_id, "verb": q.verb, "channel": q.channel,
             "text": q.text, "start": q.start, "end": q.end, "paragraph": q.paragraph, "confidence": q.confidence}
            for q in a.quotes]
