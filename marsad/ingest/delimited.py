"""CSV/TSV (and MArSum's space-delimited, fully quoted variant): delimiter detected, one row per article.

Rows go through the same field mapping as JSON records (``records.record_document``). Each row keeps its
byte range in the source (quoted fields may span lines).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from marsad.errors import IngestError
from marsad.ingest.common import MAX_RECORD_CHARS, TEXT_NAMES, FieldMap, pick_key
from marsad.ingest.decode import ByteOffsets, Decoded
from marsad.ingest.records import _no_text_reason, record_document
from marsad.model import Document, Provenance


class _TrackedLines:
    """Lines of a text for csv.reader, remembering where the last line handed out ends."""

    __slots__ = ("_lines", "end")

    def __init__(self, text: str) -> None:
        self._lines = io.StringIO(text, newline="")  # splits at \n, \r\n and \r only, keeping them
        self.end = 0

    def __iter__(self) -> _TrackedLines:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.end += len(line)
        return line


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
    text = dec.text
    lines = _TrackedLines(text)
    offsets = ByteOffsets(dec)
    reader = csv.reader(lines, delimiter=delim)
    try:
        next(reader)
    except (csv.Error, StopIteration):
        return
    row_no = 0
    while True:
        row_no += 1
        record = f"row {row_no}"
        start = lines.end
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
        obj = dict(zip(header, row + [""] * (len(header) - len(row)), strict=True))
        end = lines.end
        while end > start and text[end - 1] in "\r\n":
            end -= 1
        prov = Provenance(source=name, format="csv", record=record, byte_start=offsets.at(start),
                          byte_end=offsets.at(end), encoding=dec.encoding)
        yield record_document(obj, fm, prov)
