"""Turn one Analysis into the rows of every store table (pure; shared by the SQL backends)."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from typing import Any

from marsad.model import Analysis
from marsad.store.indexing import index_terms, title_of

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(slots=True)
class Rows:
    """Rows for one new document, keyed by table; ``pk`` is assigned by the caller."""

    documents: list[tuple[Any, ...]] = field(default_factory=list)
    contents: list[tuple[Any, ...]] = field(default_factory=list)
    fts: list[tuple[Any, ...]] = field(default_factory=list)
    paragraphs: list[tuple[Any, ...]] = field(default_factory=list)
    mentions: list[tuple[Any, ...]] = field(default_factory=list)
    entities: list[tuple[Any, ...]] = field(default_factory=list)
    events: list[tuple[Any, ...]] = field(default_factory=list)
    event_arguments: list[tuple[Any, ...]] = field(default_factory=list)
    quotes: list[tuple[Any, ...]] = field(default_factory=list)

    def extend(self, other: Rows) -> None:
        for name in self.__slots__:  # type: ignore[attr-defined]
            getattr(self, name).extend(getattr(other, name))


def copy_key(analysis: Analysis) -> tuple[str, str]:
    """(source, record) naming where this copy of the content was read."""
    prov = analysis.document.provenance
    return prov.source, prov.record or ""


def copy_label(source: str, record: str) -> str:
    return f"{source} [{record}]" if record else source


def copy_row(pk: int, analysis: Analysis, now: str) -> tuple[Any, ...]:
    prov = analysis.document.provenance
    return (pk, prov.source, prov.record or "", prov.format, prov.byte_start, prov.byte_end, prov.encoding,
            analysis.document.url, prov.ingested_at or now)


def origin_of(analysis: Analysis) -> str:
    """The site, else the file a multi-record source came from, else the folder a file came from."""
    doc = analysis.document
    if doc.site:
        return doc.site
    source = doc.provenance.source
    if doc.provenance.record or "://" in source or source == "-":
        return source
    return os.path.dirname(source) or source


def published_day(published: str | None) -> str | None:
    if published and _DAY.match(published):
        return published[:10]
    return None


def _js(value: list[Any]) -> str:
    return json.dumps(value, ensure_ascii=False)


def document_rows(pk: int, analysis: Analysis, now: str, sha256: str | None = None) -> Rows:
    """All rows for a document not yet stored, with primary key ``pk`` (``sha256``: already computed)."""
    doc = analysis.document
    sha = sha256 or doc.sha256  # hashing the text is not free: callers that have it pass it
    if doc.provenance.ingested_at is None:
        doc.provenance.ingested_at = now  # "set by the store" (model.Provenance)
    text = doc.text
    for p in analysis.paragraphs:
        if not 0 <= p.start <= p.end <= len(text):
            raise ValueError(f"paragraph {p.index} offsets [{p.start}, {p.end}) outside the text")
    title_terms, body_terms, offsets, n_terms = index_terms(analysis)
    data = analysis.to_dict()
    for para in data["paragraphs"]:
        para.pop("text", None)  # == text[start:end]; put back by the store on read
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    r = Rows()
    r.documents.append((pk, sha[:16], sha, title_of(analysis), doc.published, published_day(doc.published),
                        doc.site, doc.url, doc.provenance.source, origin_of(analysis), doc.provenance.format,
                        doc.language, doc.provenance.ingested_at, n_terms, len(analysis.paragraphs),
                        len(analysis.mentions), len(analysis.entities), len(analysis.events),
                        len(analysis.quotes)))
    r.contents.append((pk, text, payload, offsets))
    r.fts.append((pk, title_terms, body_terms))
    r.paragraphs.extend((pk, p.index, p.start, p.end, p.duplicate_of) for p in analysis.paragraphs)
    r.mentions.extend(
        (pk, i, m.type, m.start, m.end, m.text, m.paragraph, m.normalized, m.confidence, m.source, m.value,
         m.currency, m.unit, m.resolved, m.entity_id, m.canonical, m.role)
        for i, m in enumerate(analysis.mentions))
    r.entities.extend(
        (pk, i, e.id, e.type, e.canonical, e.latin, e.country, e.lat, e.lon, _js(e.mentions),
         _js(e.variants), _js(e.roles))
        for i, e in enumerate(analysis.entities))
    for i, ev in enumerate(analysis.events):
        r.events.append((pk, i, ev.type, ev.cameo, ev.trigger, ev.trigger_start, ev.trigger_end, ev.paragraph,
                         ev.sentence_start, ev.sentence_end, ev.when, ev.when_resolved, ev.where, ev.modality,
                         ev.attributed_to, ev.status, ev.confidence))
        r.event_arguments.extend((pk, i, j, a.role, a.text, a.start, a.end, a.entity_id)
                                 for j, a in enumerate(ev.arguments))
    r.quotes.extend(
        (pk, i, q.text, q.start, q.end, q.paragraph, q.speaker, q.speaker_entity_id, q.verb, q.channel,
         q.confidence)
        for i, q in enumerate(analysis.quotes))
    return r


#: INSERT statements matching the Rows fields, for SQLite (``?`` placeholders).
INSERTS_SQLITE: dict[str, str] = {
    "documents": "INSERT INTO documents(pk, id, sha256, title, published, published_day, site, url, source, "
                 "origin, format, language, ingested_at, n_terms, n_paragraphs, n_mentions, n_entities, n_events, "
                 "n_quotes) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    "contents": "INSERT INTO contents(doc, text, analysis, term_offsets) VALUES (?,?,?,?)",
    "fts": "INSERT INTO doc_fts(rowid, title, body) VALUES (?,?,?)",
    "paragraphs": 'INSERT INTO paragraphs(doc, idx, start, "end", duplicate_of) VALUES (?,?,?,?,?)',
    "mentions": 'INSERT INTO mentions(doc, i, type, start, "end", text, paragraph, normalized, confidence, '
                "source, value, currency, unit, resolved, entity_id, canonical, role) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    "entities": "INSERT INTO entities(doc, i, id, type, canonical, latin, country, lat, lon, mentions, "
                "variants, roles) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
    "events": 'INSERT INTO events(doc, i, type, cameo, trigger, trigger_start, trigger_end, paragraph, '
              'sentence_start, sentence_end, "when", when_resolved, "where", modality, attributed_to, status, '
              "confidence) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    "event_arguments": 'INSERT INTO event_arguments(doc, event, i, role, text, start, "end", entity_id) '
                       "VALUES (?,?,?,?,?,?,?,?)",
    "quotes": 'INSERT INTO quotes(doc, i, text, start, "end", paragraph, speaker, speaker_entity_id, verb, '
              "channel, confidence) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
}
