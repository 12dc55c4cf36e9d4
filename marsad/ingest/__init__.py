"""Readers: turn files, folders, globs, stdin and archives into Documents, one IngestError per bad record.

    read(["news/", "feed.xml", "dump.jsonl.gz", "-"]) -> Document | IngestError, ...

Errors are yielded, not raised, so one bad file never stops a batch. Formats: page (scraped text like
the seed article), html, feed (RSS/Atom), jsonl, json, csv, trec — sniffed when not given
(``marsad.ingest.sniff``); encodings detected (``marsad.ingest.decode``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from marsad.errors import IngestError
from marsad.ingest.common import MAX_RECORD_CHARS, FieldMap, make_document
from marsad.ingest.decode import Decoded, decode
from marsad.ingest.sniff import FORMATS, sniff
from marsad.ingest.sources import MAX_MEMBER_BYTES, Blob, iter_blobs, read_whole
from marsad.model import Document, Provenance

#: Codecs whose line ends are the byte 0x0A, so a file can be read line by line as bytes.
_STREAMABLE = frozenset({"utf-8", "cp1256", "iso-8859-6"})

__all__ = ["FORMATS", "MAX_MEMBER_BYTES", "MAX_RECORD_CHARS", "FieldMap", "read", "read_blob"]


def _read_page(name: str, dec: Decoded) -> Iterator[Document | IngestError]:
    prov = Provenance(source=name, format="page", encoding=dec.encoding)
    if not dec.text.strip():
        yield IngestError(name, "empty file (only whitespace)")
        return
    yield make_document(dec.text, prov, layout="page")


def read_blob(blob: Blob, *, format: str | None = None,
              fields: FieldMap | None = None) -> Iterator[Document | IngestError]:
    """Documents (or errors) from one source's bytes."""
    fm = fields or FieldMap()
    try:
        dec = decode(blob.name, blob.data)
    except IngestError as exc:
        if not (blob.stream_size and exc.reason.startswith("invalid UTF-8")):
            yield exc
            return
        # a streamed file reports broken bytes line by line; its head is enough to sniff the format
        dec = Decoded(blob.data.decode("utf-8", "replace"), "utf-8", "utf-8", 0)
    fmt = format or sniff(blob.name, dec.text, fm)
    if blob.stream_size:
        if fmt == "jsonl" and dec.codec in _STREAMABLE:
            from marsad.ingest.records import stream_jsonl

            yield from stream_jsonl(blob.name, dec, fm)
            return
        whole = read_whole(blob)
        if isinstance(whole, IngestError):
            yield whole
            return
        yield from read_blob(whole, format=format, fields=fields)
        return
    if fmt == "page":
        yield from _read_page(blob.name, dec)
    elif fmt == "trec":
        from marsad.ingest.trec import read_trec

        yield from read_trec(blob.name, dec)
    elif fmt in ("jsonl", "json", "csv"):
        from marsad.ingest import records

        if fmt == "jsonl":
            yield from records.read_jsonl(blob.name, dec, fm)
        elif fmt == "json":
            yield from records.read_json(blob.name, dec, fm)
        else:
            from marsad.ingest.delimited import read_csv

            tsv = blob.name.lower().removesuffix(".gz").endswith(".tsv")
            yield from read_csv(blob.name, dec, fm, prefer="\t" if tsv else None)
    elif fmt == "html":
        from marsad.ingest.html import read_html

        yield from read_html(blob.name, dec)
    else:
        from marsad.ingest.feeds import read_feed

        yield from read_feed(blob.name, dec)


def read(inputs: Iterable[str], *, format: str | None = None,
         fields: FieldMap | None = None) -> Iterator[Document | IngestError]:
    """Read every input (paths, folders, globs, '-', .gz/.zip): a Document per article, an error per bad one."""
    if format is not None and format not in FORMATS:
        raise IngestError("--format", f"unknown format {format!r} (known: {', '.join(FORMATS)})")
    if isinstance(inputs, str):
        inputs = [inputs]
    return _read(inputs, format, fields)


def _read(inputs: Iterable[str], format: str | None, fields: FieldMap | None) -> Iterator[Document | IngestError]:
    for item in iter_blobs(inputs):
        if isinstance(item, IngestError):
            yield item
        else:
            yield from read_blob(item, format=format, fields=fields)
