"""Record formats with named fields: JSONL, JSON (array or object), CSV/TSV (delimiter detected).

Fields are found through a FieldMap (explicit names) or the common names (text/content/body/article,
title/headline, date/published/pubDate/time, url/link ...). With no title field, a ``summary`` field is
used as the title (MArSum's CSV has ``text summary`` where the summary is the site's headline); the
summary is also kept in ``meta["summary"]``. Other scalar fields go to ``meta``.
"""

from __future__ import annotations

import csv
import io
import json
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


def read_json(name: str, dec: Decoded, fm: FieldMap) -> Iterator[Document | IngestError]:
    """A JSON array of records, an object holding one, or an object with a list of them ('item N')."""
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


_DELIMITERS = (",", "\t", ";", "|", " ")


def _header(line: str, delim: str) -> list[str]:
    try:
        return [h.strip() for h in next(csv.reader([line], delimiter=delim))]
    except (csv.Error, StopIteration):
        return []


def detect_delimiter(text: str, fm: FieldMap, prefer: str | None = None) -> tuple[str, list[str]]:
    """The delimiter whose header names a text field and whose sample rows are most regular."""
    first = text.split("\n", 1)[0].rstrip("\r")
    sample = text[:65536]
    best: tuple[tuple[int, int, int], str, list[str]] | None = None
    for delim in _DELIMITERS:
        header = _header(first, delim)
        if len(header) < 2:
            continue
        keys = {h.lower(): h for h in header}
        has_text = pick_key(keys, fm.text_field, TEXT_NAMES) is not None
        regular = 0
        try:
            rows = list(csv.reader(io.StringIO(sample, newline=""), delimiter=delim))[1:-1][:50]
            regular = sum(1 for r in rows if len(r) == len(header))
        except csv.Error:
            pass
        score = (int(has_text), regular, int(delim == prefer))
        if best is None or score > best[0]:
            best = (score, delim, header)
    if best is None:
        return prefer or ",", _header(first, prefer or ",")
    return best[1], best[2]


def read_csv(name: str, dec: Decoded, fm: FieldMap, prefer: str | None = None) -> Iterator[Document | IngestError]:
    """One Document per data row ('row N', 1-based after the header); no text column: one error."""
    delim, header = detect_delimiter(dec.text, fm, prefer)
    keys = {h.lower(): h for h in header}
    if pick_key(keys, fm.text_field, TEXT_NAMES) is None:
        yield IngestError(name, "CSV " + _no_text_reason(fm, header))
        return
    csv.field_size_limit(MAX_RECORD_CHARS + 1)
    reader = csv.reader(io.StringIO(dec.text, newline=""), delimiter=delim)
    try:
        next(reader)
    except (csv.Error, StopIteration):
        return
    row_no = 0
    while True:
        row_no += 1
        record = f"row {row_no}"
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            reason = str(exc)
            if "field limit" in reason:
                yield IngestError(name, f"record too large (a field over {MAX_RECORD_CHARS:,} characters)",
                                  record=record)
            else:
                yield IngestError(name, f"malformed CSV ({reason})", record=record)
            continue
        if not row or not any(c.strip() for c in row):
            row_no -= 1
            continue
        if len(row) > len(header):
            yield IngestError(name, f"{len(row)} fields but the header has {len(header)} "
                                    f"(delimiter {delim!r})", record=record)
            continue
        obj = dict(zip(header, row + [""] * (len(header) - len(row))))
        prov = Provenance(source=name, format="csv", record=record, encoding=dec.encoding)
        yield record_document(obj, fm, prov)
