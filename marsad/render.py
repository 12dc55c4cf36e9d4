"""Readable terminal rendering of an analysis (the dict shape of ``Analysis.to_dict``), with rich."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from marsad.model import Analysis

#: rich styles per entity type, shared by every terminal view.
TYPE_STYLES = {
    "PERSON": "bold cyan", "ORG": "bold magenta", "GPE": "bold green", "LOC": "green", "FAC": "yellow",
    "WEAPON": "bold red", "NORP": "blue", "MONEY": "bold yellow", "DATE": "bright_blue", "TIME": "bright_blue",
    "QUANTITY": "white", "PERCENT": "white",
}


def print_analysis(console: Console, analysis: Analysis) -> None:
    print_stored(console, analysis.to_dict())


def _highlight(text: str, start: int, mentions: list[dict[str, Any]]) -> str:
    """Paragraph text with its entity mentions styled; offsets are document offsets."""
    pieces: list[str] = []
    pos = 0
    for m in sorted(mentions, key=lambda m: m["start"]):
        s, e = m["start"] - start, m["end"] - start
        if s < pos or e > len(text):
            continue
        style = TYPE_STYLES.get(m["type"], "bold")
        pieces.append(escape(text[pos:s]))
        pieces.append(f"[{style}]{escape(text[s:e])}[/]")
        pos = e
    pieces.append(escape(text[pos:]))
    return "".join(pieces)


def print_stored(console: Console, doc: dict[str, Any]) -> None:
    """Print title, metadata, paragraphs with entities highlighted, then entities, events and quotes."""
    console.rule(escape(doc.get("title") or "(untitled)"))
    meta = [f"id {doc['id']}"]
    for key in ("published", "site", "url"):
        if doc.get(key):
            meta.append(f"{key} {doc[key]}")
    if doc.get("counters"):
        meta.append("counters " + " ".join(str(c) for c in doc["counters"]))
    console.print("[dim]" + escape(" · ".join(meta)) + "[/dim]")
    mentions = doc.get("entities", [])
    for p in doc.get("paragraphs", []):
        inside = [m for m in mentions if p["start"] <= m["start"] and m["end"] <= p["end"]]
        dup = f" [dim](restates ¶{p['duplicate_of']})[/dim]" if p.get("duplicate_of") else ""
        console.print(f"[dim]¶{p['index']}[/dim]{dup} " + _highlight(p["text"], p["start"], inside))
    for headline in doc.get("related_headlines", []):
        console.print("[dim]related: " + escape(headline) + "[/dim]")
    if mentions:
        table = Table("type", "mention", "canonical", "¶", title="Entities")
        for m in mentions:
            table.add_row(m["type"], escape(m["text"]), escape(m.get("canonical") or ""), str(m["paragraph"]))
        console.print(table)
    if doc.get("events"):
        table = Table("type", "cameo", "trigger", "arguments", "¶", title="Events")
        for ev in doc["events"]:
            args = "; ".join(f"{a['role']}={a['text']}" for a in ev.get("arguments", []))
            table.add_row(ev["type"], ev.get("cameo") or "", escape(ev["trigger"]), escape(args), str(ev["paragraph"]))
        console.print(table)
    if doc.get("quotes"):
        table = Table("speaker", "verb", "quote", "¶", title="Quotes")
        for q in doc["quotes"]:
            table.add_row(escape(q.get("speaker") or "?"), escape(q.get("verb") or ""), escape(q["text"]),
                          str(q["paragraph"]))
        console.print(table)
    if doc.get("summary"):
        console.print("[bold]Summary[/bold]")
        for sentence in doc["summary"]:
            console.print(" • " + escape(sentence))
