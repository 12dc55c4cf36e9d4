"""RSS 2.0 / RSS 1.0 / Atom feed files via feedparser: one Document per item ('item N').

Text is the item's full content when given (``content:encoded`` / Atom ``content``), else its summary,
as plain text (HTML blocks -> paragraphs separated by blank lines).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from marsad.errors import IngestError
from marsad.ingest.common import clean_date, clean_field, make_document
from marsad.ingest.decode import Decoded
from marsad.ingest.html import fragment_text
from marsad.model import Document, Provenance

_CHARREF = re.compile(r"&#([xX][0-9A-Fa-f]+|[0-9]+);")
_DECLARED = re.compile(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*["'])[A-Za-z0-9._-]+""")


def _entry_text(entry: Any) -> str:
    contents = entry.get("content") or []
    best = max((c.get("value") or "" for c in contents), key=len, default="")
    summary = entry.get("summary") or ""
    return fragment_text(best if len(best) >= len(summary) else summary)


def _charref(m: re.Match[str]) -> str:
    """A numeric character reference, or U+FFFD for one naming no character (feedparser's loose parser
    calls chr() on it and crashes: &#xD800; is a surrogate, &#1114112; is past U+10FFFF, &#0; is NUL)."""
    digits = m.group(1)
    try:
        code = int(digits[1:], 16) if digits[0] in "xX" else int(digits)
    except ValueError:
        return "&#xFFFD;"
    return m.group(0) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "&#xFFFD;"


def _as_utf8(dec: Decoded) -> bytes:
    """The feed re-encoded as UTF-8 with its XML declaration saying so: our detection decides the
    encoding (a cp1256 feed without a declaration would otherwise be read as UTF-8)."""
    text = _DECLARED.sub(r"\1utf-8", dec.text, count=1)
    if "&#" in text:
        text = _CHARREF.sub(_charref, text)
    return text.encode("utf-8", "replace")


def read_feed(name: str, dec: Decoded) -> Iterator[Document | IngestError]:
    """Parse a feed from bytes (never a str: feedparser would treat a str as a path or URL to open)."""
    import feedparser  # imported lazily: only feed files need it

    try:
        parsed = feedparser.parse(_as_utf8(dec))
    except Exception as exc:  # noqa: BLE001 — feedparser's fallback parser raises on odd markup; one line
        yield IngestError(name, f"cannot parse the feed ({type(exc).__name__}: {exc})")
        return
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        why = f" ({problem})" if problem else ""
        yield IngestError(name, f"not an RSS/Atom feed{why}")
        return
    problem = parsed.get("bozo_exception")
    if parsed.get("bozo") and not any(e.get("title") or e.get("summary") or e.get("content")
                                      for e in parsed.entries):
        yield IngestError(name, f"not a well-formed RSS/Atom feed ({problem})")
        return
    if not parsed.entries:
        yield IngestError(name, "feed has no items")
        return
    channel = parsed.get("feed", {})
    site = clean_field(channel.get("title"))
    language = clean_field(channel.get("language"))
    for i, entry in enumerate(parsed.entries, 1):
        prov = Provenance(source=name, format="feed", record=f"item {i}", encoding=dec.encoding)
        tags = entry.get("tags") or []
        meta: dict[str, str] = {}
        if entry.get("id"):
            meta["id"] = str(entry["id"])
        if entry.get("summary") and entry.get("content"):
            meta["summary"] = fragment_text(entry["summary"])
        yield make_document(
            _entry_text(entry), prov,
            title=clean_field(entry.get("title")),
            url=clean_field(entry.get("link")),
            published=clean_date(entry.get("published") or entry.get("updated")),
            author=clean_field(entry.get("author")),
            language=clean_field(entry.get("language")) or language,
            site=site,
            category=clean_field(tags[0].get("term")) if tags else None,
            layout="body",
            meta=meta,
        )
