"""Rebuild an Analysis from its JSON dict (``Analysis.to_dict()``, a stored/exported document): the inverse
of ``to_dict`` for every field it carries, so ``to_dict(analysis_from_dict(d)) == d`` (minus store extras).

``to_dict`` leaves out the raw text; give it as ``d["text"]`` (exports carry it) or ``text=``. What
``to_dict`` never held cannot come back: tokens, ``Document.meta``, ``title_start``/``title_end``, ``done``.
The document's own title (which, with the text, makes the content hash) is recovered by checking
``d["sha256"]``: the source's title is the analysis title, or there was none.
"""

from __future__ import annotations

from dataclasses import MISSING, fields
from typing import Any

from marsad.errors import IngestError
from marsad.model import (
    SCHEMA_VERSION,
    Analysis,
    Argument,
    Document,
    Entity,
    Event,
    Mention,
    Paragraph,
    Provenance,
    Quote,
    Sentence,
    content_sha256,
)

__all__ = ["analysis_from_dict", "document_dict"]

#: Keys a stored or exported document carries besides ``to_dict()``'s.
EXTRA_KEYS = ("text", "sources")


def document_dict(analysis: Analysis) -> dict[str, Any]:
    """``to_dict()`` plus the raw text: everything ``analysis_from_dict`` needs."""
    return {**analysis.to_dict(), "text": analysis.document.text}


def _build(cls: type, data: dict[str, Any], what: str, source: str) -> Any:
    # to_dict drops None values, also of fields without a default (Event.cameo): put them back
    missing = {f.name: None for f in fields(cls) if f.name not in data
               and f.default is MISSING and f.default_factory is MISSING}
    try:
        return cls(**data, **missing)
    except TypeError as exc:  # unknown or missing field: a record of another shape or version
        raise IngestError(source, f"{what}: {exc}") from None


def _summary_indices(summary: list[str], sentences: list[Sentence], text: str, source: str) -> list[int]:
    """Sentence indices of the summary sentences (stored as their text), in order."""
    out: list[int] = []
    i = 0
    for wanted in summary:
        while i < len(sentences) and text[sentences[i].start:sentences[i].end] != wanted:
            i += 1
        if i == len(sentences):
            raise IngestError(source, f"summary sentence not found among the sentences: {wanted[:40]!r}")
        out.append(i)
        i += 1
    return out


def analysis_from_dict(d: dict[str, Any], *, text: str | None = None, source: str = "analysis") -> Analysis:
    """The Analysis whose ``to_dict()`` is ``d``; raises IngestError (naming ``source``) when it cannot be."""
    if not isinstance(d, dict):
        raise IngestError(source, f"expected a JSON object, got {type(d).__name__}")
    if d.get("schema") != SCHEMA_VERSION:
        raise IngestError(source, f"analysis schema {d.get('schema')!r} is not {SCHEMA_VERSION}")
    raw = text if text is not None else d.get("text")
    if not isinstance(raw, str):
        raise IngestError(source, "no raw text (\"text\"): export it with a Marsad whose export keeps the text")
    title = d.get("title")
    sha = d.get("sha256")
    # the source's title is part of the content hash: it is the analysis title, or there was none
    for doc_title in (title, None):
        if content_sha256(raw, doc_title) == sha:
            break
    else:
        raise IngestError(source, "the text and title do not match the recorded sha256 (altered record?)")
    try:
        prov = _build(Provenance, dict(d.get("source") or {}), "source", source)
        doc = Document(text=raw, provenance=prov, title=doc_title, url=d.get("url"), published=d.get("published"),
                       author=d.get("author"), language=d.get("language"), site=d.get("site"),
                       category=d.get("category"), layout="page" if prov.format == "page" else "body")
        a = Analysis(document=doc, title=title, counters=list(d.get("counters", [])),
                     related_headlines=list(d.get("related_headlines", [])))
        for p in d.get("paragraphs", []):
            para = Paragraph(p["index"], p["start"], p["end"], p.get("duplicate_of"))
            para.sentences = [Sentence(s, e, para.index) for s, e in p.get("sentences", [])]
            a.paragraphs.append(para)
        a.mentions = [_build(Mention, m, "entity mention", source) for m in d.get("entities", [])]
        a.entities = [_build(Entity, e, "canonical entity", source) for e in d.get("canonical_entities", [])]
        for e in d.get("events", []):
            ev = dict(e)
            ev["arguments"] = [_build(Argument, x, "event argument", source) for x in e.get("arguments", [])]
            a.events.append(_build(Event, ev, "event", source))
        a.quotes = [_build(Quote, q, "quote", source) for q in d.get("quotes", [])]
        a.summary = _summary_indices(list(d.get("summary", [])), a.sentences(), raw, source)
    except (KeyError, TypeError, ValueError) as exc:
        raise IngestError(source, f"malformed analysis ({type(exc).__name__}: {exc})") from None
    for p in d.get("paragraphs", []):
        if "text" in p and p["text"] != raw[p["start"]:p["end"]]:
            raise IngestError(source, f"paragraph {p['index']} text does not match the raw text at its offsets")
    return a
