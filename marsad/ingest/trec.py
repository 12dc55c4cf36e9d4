"""TREC-style tagged files: ``<DOC><DOCNO><URL><TITLE><TIME><ABSTRACT><TEXT></DOC>``, several per file.

Used by ANT (Jawhara FM) and by classic TREC/CLEF collections (``<HEADLINE>``, ``<DATE>``, ``<P>``).
The text is the ``<TEXT>`` content (or ``<ABSTRACT>`` when ``<TEXT>`` is empty) without its framing
newlines; inner ``<P>`` tags become blank lines. A document with only a headline is kept (empty text).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from marsad.errors import IngestError
from marsad.ingest.common import clean_date, clean_field, make_document
from marsad.ingest.decode import ByteOffsets, Decoded
from marsad.model import Document, Provenance

_OPEN = re.compile(r"<([A-Z][A-Z_]*)>")
_ENTITY = re.compile(r"&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);")
_PARA_END = re.compile(r"(?:\s*</?P>\s*)+", re.IGNORECASE)
_TAG = re.compile(r"<[^<>\n]{1,80}>")

_TITLE_TAGS = ("TITLE", "HEADLINE", "HEAD", "HL")
_DATE_TAGS = ("TIME", "DATE", "DATE_TIME", "PUBDATE")
_AUTHOR_TAGS = ("AUTHOR", "BYLINE")


def _body(raw: str) -> str:
    """The content of a TEXT/ABSTRACT tag: framing whitespace dropped, <P> tags and entities resolved."""
    text = raw.strip()
    if "<" in text:
        text = _PARA_END.sub("\n\n", text).strip()
        text = _TAG.sub("", text)
    if "&" in text:
        text = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
    return text


def _first(fields: dict[str, str], tags: tuple[str, ...]) -> str | None:
    for t in tags:
        v = clean_field(fields.get(t))
        if v:
            return v
    return None


def _fields(inner: str) -> dict[str, str]:
    """Top-level ``<TAG>value</TAG>`` pairs (str.find, not a backtracking regex: 5x faster on ANT)."""
    fields: dict[str, str] = {}
    pos = 0
    while True:
        m = _OPEN.search(inner, pos)
        if m is None:
            return fields
        tag = m.group(1)
        close = inner.find(f"</{tag}>", m.end())
        if close < 0:
            pos = m.end()
            continue
        fields.setdefault(tag, inner[m.end():close])
        pos = close + len(tag) + 3


def _docs(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each ``<DOC>...</DOC>``; end is -1 for a final unterminated one."""
    pos = 0
    while True:
        start = text.find("<DOC>", pos)
        if start < 0:
            return
        close = text.find("</DOC>", start)
        if close < 0:
            yield start, -1
            return
        yield start, close + 6
        pos = close + 6


def read_trec(name: str, dec: Decoded) -> Iterator[Document | IngestError]:
    """Yield one Document per ``<DOC>`` (record = DOCNO), or an IngestError for a broken one."""
    text = dec.text
    offsets = ByteOffsets(dec)
    n = 0
    for start, end in _docs(text):
        n += 1
        if end < 0:
            yield IngestError(name, "unterminated <DOC> (no </DOC>; file truncated?)", record=f"doc {n}")
            return
        inner = text[start + 5:end - 6]
        cut = inner.rfind("<DOC>")
        if cut >= 0:  # an earlier <DOC> was never closed: report it, read the last one
            yield IngestError(name, "unterminated <DOC> (no </DOC> before the next <DOC>)", record=f"doc {n}")
            n += 1
            inner, start = inner[cut + 5:], start + 5 + cut
        fields = _fields(inner)
        docno = clean_field(fields.get("DOCNO"))
        record = docno or f"doc {n}"
        prov = Provenance(source=name, format="trec", record=record, byte_start=offsets.at(start),
                          byte_end=offsets.at(end), encoding=dec.encoding)
        if "TEXT" not in fields and "ABSTRACT" not in fields:
            yield IngestError(name, "no <TEXT> element", record=record)
            continue
        body = _body(fields.get("TEXT", ""))
        abstract = _body(fields.get("ABSTRACT", ""))
        meta: dict[str, str] = {}
        if docno:
            meta["docno"] = docno
        if abstract:
            meta["abstract"] = abstract
        if not body and abstract:
            body = abstract
        yield make_document(
            body, prov,
            title=_first(fields, _TITLE_TAGS),
            url=clean_field(fields.get("URL")),
            published=clean_date(_first(fields, _DATE_TAGS)),
            author=_first(fields, _AUTHOR_TAGS),
            site=clean_field(fields.get("SRC")),
            category=clean_field(fields.get("CAT")),
            layout="body",
            meta=meta,
        )
    if n == 0:
        yield IngestError(name, "no <DOC> element found")
