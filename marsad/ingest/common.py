"""What every reader shares: the field map, record-size cap, date cleaning, Document construction."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from marsad.errors import IngestError
from marsad.model import Document, Provenance

#: Largest text of one document, in characters; larger records are refused ("record too large").
MAX_RECORD_CHARS = 5_000_000

TEXT_NAMES = ("text", "content", "body", "article", "article_body", "articlebody", "full_text", "story")
TITLE_NAMES = ("title", "headline", "heading", "subject")
SUMMARY_NAMES = ("summary", "abstract", "lead", "description")
DATE_NAMES = ("date", "published", "pubdate", "time", "published_at", "publish_date", "datetime",
              "created_at", "timestamp")
URL_NAMES = ("url", "link", "href", "source_url")
AUTHOR_NAMES = ("author", "byline", "writer", "authors")
ID_NAMES = ("id", "_id", "doc_id", "docno", "guid", "uuid")
CATEGORY_NAMES = ("category", "section", "cat", "topic")
LANGUAGE_NAMES = ("language", "lang")
SITE_NAMES = ("site", "source", "publisher", "src")


@dataclass(slots=True)
class FieldMap:
    """Which record fields hold what; None means try the common names (text/content/body/article ...)."""

    text_field: str | None = None
    title_field: str | None = None
    date_field: str | None = None
    url_field: str | None = None
    author_field: str | None = None
    id_field: str | None = None


def pick_key(keys: dict[str, str], explicit: str | None, names: tuple[str, ...]) -> str | None:
    """The actual key for a field: the explicit one if present, else the first common name present.

    ``keys`` maps lower-cased key -> actual key.
    """
    if explicit is not None:
        return keys.get(explicit.lower())
    for n in names:
        if n in keys:
            return keys[n]
    return None


def too_large(source: str, n_chars: int, record: str | None = None) -> IngestError:
    return IngestError(source, f"record too large ({n_chars:,} characters; limit {MAX_RECORD_CHARS:,})",
                       record=record)


_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
#: Lone UTF-16 surrogates: a str can hold them (JSON escapes), UTF-8 cannot, so the store could not either.
_SURROGATE = re.compile("[\ud800-\udfff]")
_COMPACT_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2})(\d{2})(\d{2})$")


def clean_date(value: Any) -> str | None:
    """ISO 8601 for the date formats sources use (ISO, dd/mm/yyyy, RFC 2822, epoch, Arabic month names
    via marsad.text.dates); else the value as given."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = value / 1000 if value > 10**11 else value  # epoch in ms or s
        try:
            return datetime.fromtimestamp(seconds, tz=UTC).isoformat().replace("+00:00", "Z")
        except (OverflowError, OSError, ValueError):
            return str(value)
    s = " ".join(str(value).split())
    if not s:
        return None
    m = _DMY.match(s)
    if m:
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year:04d}-{month:02d}-{day:02d}"
        return s
    m = _COMPACT_TIME.match(s)
    if m:
        return f"{m.group(1)}T{m.group(2)}:{m.group(3)}:{m.group(4)}"
    try:
        iso = s[:-1] + "+00:00" if s.endswith("Z") else s
        datetime.fromisoformat(iso)
        return s
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(s).isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    if _ARABIC.search(s) and len(s) < 80:  # "12 مارس 2024", "الثلاثاء 14 فيفري 2017": text.dates reads these
        from marsad.text.dates import resolve

        try:
            return resolve(s, None) or s
        except Exception:  # noqa: BLE001 — a date the parser trips on stays as given, never drops the article
            return s
    return s


def as_text(value: Any) -> str | None:
    """A field value as text: strings as is, lists of strings joined by blank lines, numbers as str."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "\n\n".join(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, dict):
        for k in ("name", "text", "value", "title"):
            if isinstance(value.get(k), str):
                return value[k]
    return None


def clean_field(value: str | None) -> str | None:
    """One-line metadata value: entities unescaped, whitespace collapsed, empty -> None."""
    if value is None:
        return None
    if "&" in value:
        value = html.unescape(value)
    value = " ".join(value.split())
    return value or None


def make_document(text: str, prov: Provenance, **fields: Any) -> Document | IngestError:
    """Build a Document, or the IngestError that says why this record cannot be one."""
    if len(text) > MAX_RECORD_CHARS:
        return too_large(prov.source, len(text), prov.record)
    title = fields.get("title")
    for value in (text, *fields.values(), *(fields.get("meta") or {}).values()):
        if isinstance(value, str) and _SURROGATE.search(value):  # e.g. a JSON "\\ud800" escape
            return IngestError(prov.source, "text is not valid Unicode (a lone surrogate such as \\ud800)",
                               record=prov.record)
    if not text.strip() and not title:
        return IngestError(prov.source, "empty record (no text and no title)", record=prov.record)
    return Document(text=text, provenance=prov, **fields)
