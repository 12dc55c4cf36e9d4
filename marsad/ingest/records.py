"""Record formats with named fields: JSONL and JSON (array or object); CSV rows map through here too.

Fields are found through a FieldMap (explicit names) or the common names (text/content/body/article,
title/headline, date/published/pubDate/time, url/link ...). With no title field, a ``summary`` field is
used as the title (MArSum's CSV has ``text summary`` where the summary is the site's headline); the
summary is also kept in ``meta["summary"]``. Other scalar fields go to ``meta``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from marsad.errors import IngestError
from marsad.ingest.common import (
    AUTHOR_NAMES,
    CATEGORY_NAMES,
    DATE_NAMES,
    ID_NAMES,
    LANGUAGE_NAMES,
    MAX_RECORD_CHARS,
    SITE_NAMES,
    SUMMARY_NAMES,
    TEXT_NAMES,
    TITLE_NAMES,
    URL_NAMES,
    FieldMap,
    as_text,
    clean_date,
    clean_field,
    make_document,
    pick_key,
    too_large,
)
from marsad.ingest.decode import ByteOffsets, Decoded
from marsad.model import Document, Provenance

_LIST_KEYS = ("articles", "items", "data", "documents", "docs", "results", "entries", "posts", "news",
              "records")
_META_MAX = 2000  # longest metadata value kept, in characters


def _no_text_reason(fm: FieldMap, keys: list[str]) -> str:
    have = ", ".join(keys[:12]) or "none"
    if fm.text_field:
        return f"no text field '{fm.text_field}' (fields: {have})"
    return f"no text field (tried {', '.join(TEXT_NAMES[:4])}; fields: {have}); name it with --text-field"


def record_document(obj: Any, fm: FieldMap, prov: Provenance) -> Document | IngestError:
    """One mapping (JSON object, CSV row) as a Document, via the field map."""
    if not isinstance(obj, dict):
        return IngestError(prov.source, f"record is a JSON {type(obj).__name__}, not an object", record=prov.record)
    keys = {str(k).lower(): k for k in obj}
    text_key = pick_key(keys, fm.text_field, TEXT_NAMES)
    if text_key is None:
        return IngestError(prov.source, _no_text_reason(fm, list(obj)), record=prov.record)
    text = as_text(obj[text_key])
    if text is None:
        if obj[text_key] is None:
            text = ""
        else:
            return IngestError(prov.source, f"text field '{text_key}' is a {type(obj[text_key]).__name__}, "
                                            "not a string", record=prov.record)
    if len(text) > MAX_RECORD_CHARS:
        return too_large(prov.source, len(text), prov.record)
    used = {text_key}

    def get(explicit: str | None, names: tuple[str, ...]) -> Any:
        key = pick_key(keys, explicit, names)
        if key is None:
            return None
        used.add(key)
        return obj[key]

    title = clean_field(as_text(get(fm.title_field, TITLE_NAMES)))
    summary_key = pick_key(keys, None, SUMMARY_NAMES)
    meta: dict[str, str] = {}
    if summary_key is not None:
        summary = clean_field(as_text(obj[summary_key]))
        used.add(summary_key)
        if summary:
            meta["summary"] = summary
            if title is None and fm.title_field is None and summary_key.lower() == "summary":
                title = summary
    ident = as_text(get(fm.id_field, ID_NAMES))
    if ident:
        meta["id"] = ident
    fields: dict[str, Any] = {
        "title": title,
        "published": clean_date(get(fm.date_field, DATE_NAMES)),
        "url": clean_field(as_text(get(fm.url_field, URL_NAMES))),
        "author": clean_field(as_text(get(fm.author_field, AUTHOR_NAMES))),
        "category": clean_field(as_text(get(None, CATEGORY_NAMES))),
        "language": clean_field(as_text(get(None, LANGUAGE_NAMES))),
        "site": clean_field(as_text(get(None, SITE_NAMES))),
    }
    for k, v in obj.items():
        if k not in used and v is not None and not isinstance(v, (dict, list)):
            meta[str(k)] = str(v)[:_META_MAX]
    return make_document(text, prov, layout="body", meta=meta, **fields)


def read_jsonl(name: str, dec: Decoded, fm: FieldMap) -> Iterator[Document | IngestError]:
    """One Document per non-blank line (record 'line N', with its byte range)."""
    text = dec.text
    offsets = ByteOffsets(dec)
    pos = 0
    lineno = 0
    n_len = len(text)
    while pos < n_len:
        nl = text.find("\n", pos)
        end = n_len if nl < 0 else nl
        lineno += 1
        line_start, pos = pos, end + 1
        if end - line_start > MAX_RECORD_CHARS:
            yield too_large(name, end - line_start, f"line {lineno}")
            continue
        line = text[line_start:end]
        if line.strip():
            yield _jsonl_line(name, line, lineno, offsets.at(line_start), offsets.at(end), dec.encoding, fm)


def _jsonl_line(name: str, line: str, lineno: int, byte_start: int, byte_end: int, encoding: str,
                fm: FieldMap) -> Document | IngestError:
    record = f"line {lineno}"
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return IngestError(name, f"malformed JSON ({exc.msg} at column {exc.colno})", record=record)
    except RecursionError:  # [[[[... thousands deep: the C decoder gives up; one bad line, not a crash
        return IngestError(name, "malformed JSON (nested too deeply)", record=record)
    prov = Provenance(source=name, format="jsonl", record=record, byte_start=byte_start, byte_end=byte_end,
                      encoding=encoding)
    return record_document(obj, fm, prov)


#: Longest JSONL line read in a stream, in bytes (escaped Arabic can take 6 bytes a character).
MAX_LINE_BYTES = 4 * MAX_RECORD_CHARS


def stream_jsonl(path: str, dec: Decoded, fm: FieldMap) -> Iterator[Document | IngestError]:
    """JSONL from a file too big to hold: one line in memory at a time (``dec`` decoded its head)."""
    with open(path, "rb") as fh:
        fh.seek(dec.bom)
        pos, lineno = dec.bom, 0
        while True:
            raw = fh.readline(MAX_LINE_BYTES + 1)
            if not raw:
                return
            lineno += 1
            start = pos
            pos += len(raw)
            if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                while raw and not raw.endswith(b"\n"):  # skip the rest of the line, a chunk at a time
                    raw = fh.readline(1 << 20)
                    pos += len(raw)
                yield IngestError(path, f"record too large (line over {MAX_LINE_BYTES:,} bytes)",
                                  record=f"line {lineno}")
                continue
            body = raw[:-1] if raw.endswith(b"\n") else raw
            try:
                line = body.decode(dec.codec)
            except UnicodeDecodeError as exc:
                yield IngestError(path, f"invalid {dec.encoding} bytes at byte {start + exc.start}",
                                  record=f"line {lineno}")
                continue
            if len(line) > MAX_RECORD_CHARS:
                yield too_large(path, len(line), f"line {lineno}")
            elif line.strip():
                yield _jsonl_line(path, line, lineno, start, start + len(body), dec.encoding, fm)


def _items(doc: Any, fm: FieldMap) -> list[Any] | None:
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict):
        keys = {str(k).lower(): k for k in doc}
        if pick_key(keys, fm.text_field, TEXT_NAMES) is not None:
            return [doc]
        for k in _LIST_KEYS:
            if isinstance(doc.get(keys.get(k, "")), list):
                return doc[keys[k]]
        lists = [v for v in doc.values() if isinstance(v, list) and v and isinstance(v[0], dict)]
        if len(lists) == 1:
            return lists[0]
    return None


_WS = re.compile(r"[ \t\n\r]*")


def _array_items(name: str, dec: Decoded) -> Iterator[tuple[Any, int, int] | IngestError]:
    """(item, start, end) for each element of a top-level JSON array, in order; an error stops it."""
    text, decoder = dec.text, json.JSONDecoder()
    pos = _WS.match(text, 0).end() + 1  # type: ignore[union-attr]  # past "["
    n = 0
    while True:
        pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
        if pos >= len(text):
            yield IngestError(name, f"malformed JSON (array not closed after item {n}; file truncated?)")
            return
        if text[pos] == "]" and n == 0:
            break
        n += 1
        try:
            obj, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            yield IngestError(name, f"malformed JSON ({exc.msg} at line {exc.lineno} column {exc.colno}); "
                                    "the rest of the array is not read", record=f"item {n}")
            return
        except RecursionError:
            yield IngestError(name, "malformed JSON (nested too deeply)", record=f"item {n}")
            return
        yield obj, pos, end
        pos = _WS.match(text, end).end()  # type: ignore[union-attr]
        if pos >= len(text):
            continue  # reported as "not closed" above
        if text[pos] == ",":
            pos += 1
            continue
        if text[pos:pos + 1] == "]":
            break
        yield IngestError(name, "malformed JSON (expected ',' or ']' after the item); the rest of the array "
                                "is not read", record=f"item {n}")
        return
    if text[pos + 1:].strip():
        yield IngestError(name, "malformed JSON (extra data after the array)")
    elif n == 0:
        yield IngestError(name, "JSON array is empty")


def read_json(name: str, dec: Decoded, fm: FieldMap) -> Iterator[Document | IngestError]:
    """A JSON array of records ('item N', with byte ranges), an object holding one or a list of them."""
    if dec.text.lstrip(" \t\r\n").startswith("["):
        offsets = ByteOffsets(dec)
        i = 0
        for got in _array_items(name, dec):
            if isinstance(got, IngestError):
                yield got
                continue
            obj, start, end = got
            i += 1
            prov = Provenance(source=name, format="json", record=f"item {i}", byte_start=offsets.at(start),
                              byte_end=offsets.at(end), encoding=dec.encoding)
            yield record_document(obj, fm, prov)
        return
    try:
        doc = json.loads(dec.text)
    except json.JSONDecodeError as exc:
        yield IngestError(name, f"malformed JSON ({exc.msg} at line {exc.lineno} column {exc.colno})")
        return
    except RecursionError:
        yield IngestError(name, "malformed JSON (nested too deeply)")
        return
    items = _items(doc, fm)
    if items is None:
        yield IngestError(name, "JSON holds no article records (expected an array of objects or an "
                                "object with a text field)")
        return
    if not items:
        yield IngestError(name, "JSON array is empty")
    for i, obj in enumerate(items, 1):
        prov = Provenance(source=name, format="json", record=f"item {i}", encoding=dec.encoding)
        yield record_document(obj, fm, prov)
