"""Readers for the unannotated text in ../shared/data (news folders, Arabic Wikipedia) for vocabularies and clusters."""

from __future__ import annotations

import csv
import gzip
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

_TEXT_TAG = re.compile(r"<TEXT>(.*?)</TEXT>", re.DOTALL)


def iter_news_texts(root: Path, limit_files: int | None = None) -> Iterator[str]:
    """Article texts of the ANT (Jawhara FM) and MArSum (Goud) news folders, in a fixed order."""
    ant = root / "news" / "ant_jawharafm"
    files = sorted(p for p in ant.glob("*/*.txt") if p.is_file())
    for p in files[:limit_files]:
        raw = p.read_text(encoding="utf-8", errors="replace")
        m = _TEXT_TAG.search(raw)
        yield m.group(1) if m else raw
    csv.field_size_limit(sys.maxsize)
    for p in sorted((root / "news" / "marsum_goud").glob("MArSum*.txt")):
        with open(p, encoding="utf-8", newline="") as fh:
            for i, row in enumerate(csv.reader(fh)):
                if row and i > 0:  # first row is the header
                    yield row[0]


def iter_wiki_texts(root: Path, limit: int | None = None) -> Iterator[str]:
    """Article texts of the Arabic Wikipedia sample (gzipped JSONL)."""
    for p in sorted((root / "raw" / "arwiki").glob("*.jsonl.gz")):
        with gzip.open(p, "rt", encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                if limit is not None and i >= limit:
                    return
                yield json.loads(line).get("text", "")
