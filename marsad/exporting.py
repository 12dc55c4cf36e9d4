"""Exports of stored articles: JSON Lines (full analyses) and CSV (one row per article)."""

from __future__ import annotations

import csv
import json
from typing import Any, TextIO

ARTICLE_CSV_COLUMNS = ("id", "title", "published", "site", "url", "source", "paragraphs", "entities", "events",
                       "quotes", "text")


def export_documents(store: Any, fh: TextIO, *, to: str = "jsonl") -> int:
    """Write every stored article to ``fh``; returns how many were written."""
    count = 0
    if to == "jsonl":
        for doc in store.iter_documents():
            fh.write(json.dumps(doc, ensure_ascii=False) + "\n")
            count += 1
        return count
    writer = csv.writer(fh)
    writer.writerow(ARTICLE_CSV_COLUMNS)
    for doc in store.iter_documents():
        source = doc.get("source") or {}
        writer.writerow([
            doc.get("id"), doc.get("title") or "", doc.get("published") or "", doc.get("site") or "",
            doc.get("url") or "", source.get("source", "") if isinstance(source, dict) else source,
            len(doc.get("paragraphs", [])), len(doc.get("entities", [])), len(doc.get("events", [])),
            len(doc.get("quotes", [])), "\n\n".join(p["text"] for p in doc.get("paragraphs", [])),
        ])
        count += 1
    return count
