"""The one document model: a Document as received, and the Analysis the pipeline layers on top of it.

Every span is a half-open ``[start, end)`` range of Python code points into ``Document.text`` — the raw
text exactly as received (decoded, nothing else). Normalised forms live beside spans, never replace
the raw text, so every fact can be highlighted in and checked against the original.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

#: Version of the JSON shape printed by ``marsad analyze --format json``; bump on breaking change.
SCHEMA_VERSION = 1


def content_sha256(text: str, title: str | None = None) -> str:
    """Hex sha256 identifying a document's content (title and text), independent of its source."""
    h = hashlib.sha256()
    if title:
        h.update(title.encode("utf-8"))
    h.update(b"\x00")
    h.update(text.encode("utf-8"))
    return h.hexdigest()


@dataclass(slots=True)
class Provenance:
    """Where a document came from: enough to find the exact bytes again."""

    source: str  # file path, URL, archive member ("a.zip!dir/x.txt") or "-" for stdin
    format: str  # reader that produced it: page, html, feed, jsonl, json, csv, trec
    record: str | None = None  # record inside a multi-document source: "line 12", "item 3", DOCNO
    byte_start: int | None = None  # byte range of the record inside the (decompressed) source
    byte_end: int | None = None
    encoding: str = "utf-8"
    ingested_at: str | None = None  # ISO 8601 UTC, set by the store


@dataclass(slots=True)
class Document:
    """One article as received. ``text`` is never modified after reading."""

    text: str
    provenance: Provenance
    title: str | None = None  # given by the source (feed/HTML/JSON/TREC); None for scraped pages
    url: str | None = None
    published: str | None = None  # ISO 8601 date or datetime as given by the source
    author: str | None = None
    language: str | None = None
    site: str | None = None  # publisher / site name
    category: str | None = None
    #: "page": text is a whole scraped page (headline, counters, body, related links) for the layout
    #: stage to take apart; "body": text is only the body, metadata came from the source's fields.
    layout: str = "body"
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def sha256(self) -> str:
        return content_sha256(self.text, self.title)

    @property
    def id(self) -> str:
        """Stable document id: the first 16 hex digits of the content hash."""
        return self.sha256[:16]


@dataclass(slots=True)
class Token:
    """A word or punctuation token. ``start``/``end`` cover the whole raw word including clitics."""

    start: int
    end: int
    norm: str  # normalised surface form (text.normalize rules)
    stem: str  # normalised form without proclitics AND without the article (والاتفاق -> اتفاق)
    prefix: str = ""  # normalised proclitics split off, article included: "و", "وب", "وال", "لل"
    #: raw offset where the stem begins, after the article (== start when nothing was split); -1 = unknown.
    #: For a mention start that keeps the article (والمغرب -> المغرب) use ``marsad.text.word_start``.
    stem_start: int = -1
    is_word: bool = True  # False for punctuation / symbols


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    paragraph: int  # 1-based paragraph index
    tokens: list[Token] = field(default_factory=list)


@dataclass(slots=True)
class Paragraph:
    index: int  # 1-based position among body paragraphs
    start: int
    end: int
    duplicate_of: int | None = None  # index of the earlier paragraph this one restates
    sentences: list[Sentence] = field(default_factory=list)


@dataclass(slots=True)
class Mention:
    """A typed entity mention (PERSON, ORG, GPE, LOC, FAC, WEAPON, NORP, MONEY, DATE, TIME, QUANTITY, PERCENT)."""

    type: str
    start: int
    end: int
    text: str
    paragraph: int
    normalized: str
    confidence: float = 1.0
    source: str = "model"  # model | gazetteer | rule | consistency
    value: float | None = None  # MONEY / QUANTITY / PERCENT numeric value
    currency: str | None = None  # ISO 4217 for MONEY
    unit: str | None = None  # QUANTITY unit (دولة, وحدة ...)
    resolved: str | None = None  # DATE: ISO date when resolvable
    entity_id: str | None = None  # set by linking
    canonical: str | None = None  # set by linking
    role: str | None = None  # title/role attached by linking (وزير الأمن الإسرائيلي)


@dataclass(slots=True)
class Entity:
    """One real-world thing inside an article: its mentions linked under a canonical name."""

    id: str
    type: str
    canonical: str
    mentions: list[int] = field(default_factory=list)  # indices into Analysis.mentions
    variants: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    latin: str | None = None
    country: str | None = None  # ISO 3166 alpha-2 for places
    lat: float | None = None
    lon: float | None = None


@dataclass(slots=True)
class Argument:
    role: str  # source, target, participants, seller, buyer, item, value, quantity, actor, object ...
    text: str
    start: int
    end: int
    entity_id: str | None = None


@dataclass(slots=True)
class Event:
    type: str
    cameo: str | None
    trigger: str
    trigger_start: int
    trigger_end: int
    paragraph: int
    sentence_start: int
    sentence_end: int
    arguments: list[Argument] = field(default_factory=list)
    when: str | None = None
    when_resolved: str | None = None
    where: str | None = None
    modality: str = "asserted"  # asserted | planned | negated | hypothetical | reported
    attributed_to: str | None = None
    status: str | None = None  # ARMS_TRANSFER: talks | ordered | delivered
    confidence: float = 0.5


@dataclass(slots=True)
class Quote:
    text: str
    start: int
    end: int
    paragraph: int
    speaker: str | None = None  # canonical name of the speaker entity (or the surface text)
    speaker_entity_id: str | None = None
    verb: str | None = None
    channel: str | None = None
    confidence: float = 0.5


@dataclass(slots=True)
class Analysis:
    """Everything the pipeline knows about one Document; stages add layers, never rewrite text."""

    document: Document
    title: str | None = None
    title_start: int | None = None  # when the title is inside document.text (scraped pages)
    title_end: int | None = None
    counters: list[int] = field(default_factory=list)
    related_headlines: list[str] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    summary: list[int] = field(default_factory=list)  # indices of summary sentences, in text order
    done: list[str] = field(default_factory=list)  # names of stages that ran, in order

    @property
    def text(self) -> str:
        return self.document.text

    def span(self, start: int, end: int) -> str:
        return self.document.text[start:end]

    def sentences(self) -> list[Sentence]:
        return [s for p in self.paragraphs for s in p.sentences]

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON shape of ``marsad analyze --format json`` (documented in the README)."""
        doc = self.document
        prov = asdict(doc.provenance)
        sentences = self.sentences()
        return {
            "schema": SCHEMA_VERSION,
            "id": doc.id,
            "title": self.title,
            "published": doc.published,
            "url": doc.url,
            "author": doc.author,
            "site": doc.site,
            "category": doc.category,
            "language": doc.language,
            "source": prov,
            "sha256": doc.sha256,
            "counters": list(self.counters),
            "related_headlines": list(self.related_headlines),
            "paragraphs": [
                {
                    "index": p.index,
                    "start": p.start,
                    "end": p.end,
                    "text": self.span(p.start, p.end),
                    "duplicate_of": p.duplicate_of,
                    "sentences": [[s.start, s.end] for s in p.sentences],
                }
                for p in self.paragraphs
            ],
            "entities": [_drop_none(asdict(m)) for m in self.mentions],
            "canonical_entities": [_drop_none(asdict(e)) for e in self.entities],
            "events": [_drop_none(asdict(e)) for e in self.events],
            "quotes": [_drop_none(asdict(q)) for q in self.quotes],
            "summary": [self.span(sentences[i].start, sentences[i].end) for i in self.summary
                        if 0 <= i < len(sentences)],
        }


def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}
