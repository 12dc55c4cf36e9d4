"""Guess a source's format from its name and its first characters.

1. The extension (``.gz`` and archive prefixes ignored): .jsonl/.ndjson, .json, .csv/.tsv, .html/.htm,
   .rss/.atom — checked against the content where the two can disagree (.json holding JSON lines).
2. The content: ``<DOC>`` -> trec; ``<rss``/``<feed``/``<rdf:RDF`` (after an XML declaration) -> feed;
   ``<!DOCTYPE html``/``<html`` -> html; ``[{``, ``["`` ... -> json; ``{"`` -> jsonl when the first
   line is a whole JSON value, else json (a headline like ``[فيديو] ...`` stays a page); a first
   line that is a delimited header naming a text column -> csv.
3. Anything else is a scraped page (headline, counters, body, related links: the layout stage's job).
"""

from __future__ import annotations

import json
import re

from marsad.ingest.common import TEXT_NAMES, FieldMap, pick_key

FORMATS = ("page", "html", "feed", "jsonl", "json", "csv", "trec")

_EXT = {
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".jsonlines": "jsonl", ".json": "json",
    ".csv": "csv", ".tsv": "csv", ".html": "html", ".htm": "html", ".xhtml": "html",
    ".rss": "feed", ".atom": "feed",
}
_FEED = re.compile(r"<(?:rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_HTML = re.compile(r"<(?:!doctype\s+html|html|head|body)[\s>]", re.IGNORECASE)
_TREC = re.compile(r"^<DOC>\s*<", re.DOTALL)
# JSON must open like JSON: a headline such as "[فيديو] ..." or "{عاجل} ..." is a page, not JSON.
_COLUMN = re.compile(r"[\w.-]{1,40}")
_JSON_ARRAY = re.compile(r"^\[\s*(?:[{\[\"\]\d-]|true|false|null|$)")
_JSON_OBJECT = re.compile(r"^\{\s*(?:\"|\}|$)")


def _extension(name: str) -> str:
    base = name.rsplit("!", 1)[-1].lower()
    base = base.removesuffix(".gz")
    base = base.rsplit("/", 1)[-1]
    dot = base.rfind(".")
    return base[dot:] if dot > 0 else ""


def _first_line_is_json(head: str) -> bool:
    line = head.split("\n", 1)[0]
    try:
        json.loads(line)
    except RecursionError:  # [[[[... thousands deep is JSON the records reader refuses line by line
        return True
    except ValueError:
        return False
    return True


def _looks_like_csv(head: str, fm: FieldMap) -> bool:
    """A header line of short field names, one of them a text field; space-delimited needs quoting."""
    first, _, rest = head.partition("\n")
    first = first.rstrip("\r")
    if not first or len(first) > 1000:
        return False
    for delim in (",", "\t", ";", "|", " "):
        cols = [c.strip().strip('"').lower() for c in first.split(delim)]
        if len(cols) < 2 or not all(_COLUMN.fullmatch(c) for c in cols):
            continue
        if delim == " " and not rest.lstrip("\r\n").startswith('"'):
            continue  # "text of the day" is prose, not a header; MArSum's rows are all quoted
        if pick_key({c: c for c in cols}, fm.text_field, TEXT_NAMES) is not None:
            return True
    return False


def sniff(name: str, text: str, fm: FieldMap | None = None) -> str:
    """The format name (one of FORMATS) for a source called ``name`` whose decoded text is ``text``."""
    fm = fm or FieldMap()
    head = text[:8192].lstrip("\ufeff \t\r\n")
    by_ext = _EXT.get(_extension(name))
    if by_ext == "json" and head.startswith("{") and _first_line_is_json(head) and "\n{" in head:
        return "jsonl"
    if by_ext:
        return by_ext
    if _TREC.match(head):
        return "trec"
    if head.startswith("<"):
        if _FEED.search(head[:2048]):
            return "feed"
        if _HTML.search(head[:4096]):
            return "html"
        if "<DOC>" in head:
            return "trec"
        if head.startswith("<?xml"):
            return "feed"
    if _JSON_ARRAY.match(head):
        return "json"
    if _JSON_OBJECT.match(head):
        return "jsonl" if _first_line_is_json(head) else "json"
    if _looks_like_csv(head, fm):
        return "csv"
    return "page"
