"""HTML pages (trafilatura: main text + title, date, author, url, site, language) and HTML fragments."""

from __future__ import annotations

import html as htmllib
import logging
import re
import warnings
from collections.abc import Iterator
from typing import Any

from marsad.errors import IngestError
from marsad.ingest.common import clean_date, clean_field, make_document, too_large
from marsad.ingest.decode import Decoded
from marsad.model import Document, Provenance

log = logging.getLogger(__name__)

#: Largest HTML page handed to trafilatura, in characters (its tree building is the cost).
MAX_HTML_CHARS = 20_000_000
_LANG = re.compile(r"<html[^>]*\blang\s*=\s*[\"']?([A-Za-z]{2,3})", re.IGNORECASE)
_BLOCK_END = re.compile(r"<\s*(?:br\s*/?|/p|/div|/li|/h[1-6]|/blockquote|/tr|/section|/article)\s*>|"
                        r"<\s*(?:p|div|li|h[1-6]|blockquote|section|article)(?:\s[^>]*)?>", re.IGNORECASE)
_DROP = re.compile(r"<(script|style|noscript)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_BLANKS = re.compile(r"\n{2,}")


def fragment_text(fragment: str) -> str:
    """Plain text of an HTML fragment (feed content): blocks become paragraphs separated by blank lines."""
    if "<" not in fragment and "&" not in fragment:
        return "\n\n".join(p for p in (" ".join(x.split()) for x in fragment.split("\n")) if p)
    s = _DROP.sub("", fragment)
    s = _BLOCK_END.sub("\n", s)
    s = htmllib.unescape(_TAG.sub("", s))
    paras = [" ".join(line.split()) for line in s.split("\n")]
    return "\n\n".join(p for p in paras if p)


def read_html(name: str, dec: Decoded) -> Iterator[Document | IngestError]:
    """One Document for the page's main text; paragraphs separated by blank lines, headline removed."""
    import trafilatura  # heavy import, only when an HTML page comes

    page = dec.text
    if len(page) > MAX_HTML_CHARS:
        yield too_large(name, len(page))
        return
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = trafilatura.bare_extraction(page, with_metadata=True, include_comments=False,
                                                 include_tables=True, include_images=False)
    except Exception as exc:  # noqa: BLE001 — trafilatura/lxml raise many types on broken markup
        yield IngestError(name, f"cannot parse HTML ({type(exc).__name__}: {exc})")
        return
    info: dict[str, Any] = {} if result is None else result if isinstance(result, dict) else result.as_dict()
    body = info.get("text") or ""
    if not body.strip():
        yield IngestError(name, "no main text found in the HTML page")
        return
    title = clean_field(info.get("title"))
    lines = [" ".join(line.split()) for line in body.split("\n")]
    lines = [line for line in lines if line]
    if title and lines and " ".join(lines[0].split()) == title:
        lines = lines[1:]  # trafilatura repeats the <h1> headline as the first line
    text = "\n\n".join(lines)
    m = _LANG.search(page[:4096])
    meta: dict[str, str] = {}
    if info.get("description"):
        meta["description"] = clean_field(info["description"]) or ""
    if info.get("categories"):
        meta["categories"] = ", ".join(info["categories"])
    prov = Provenance(source=name, format="html", encoding=dec.encoding)
    yield make_document(
        text, prov,
        title=title,
        url=clean_field(info.get("url")),
        published=clean_date(info.get("date")),
        author=clean_field(info.get("author")),
        language=(m.group(1).lower() if m else None) or clean_field(info.get("language")),
        site=clean_field(info.get("sitename")),
        layout="body",
        meta=meta,
    )
