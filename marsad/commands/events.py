"""``marsad eval events`` and ``marsad train events``: measure and rebuild the event/quote coder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from marsad.commands.groups import eval_app, train_app

console = Console()


def _data(data: Path | None) -> Path:
    from marsad.nlp.ner.corpora import data_dir

    return data_dir(data)


@train_app.command("events")
def train_events(
    data: Annotated[Path | None, typer.Option("--data", help="Shared data folder (default: $MARSAD_DATA or ../shared/data).")] = None,
) -> None:
    """Rebuild the cleaned UniversalPetrarch trigger list and weapon words (deterministic, no sampling).

    Example: marsad train events
    """
    from marsad.nlp.events.lexicon import build_lexicon

    counts = build_lexicon(_data(data))
    typer.echo(json.dumps(counts, ensure_ascii=False))


@eval_app.command("events")
def eval_events(
    gold: Annotated[list[Path], typer.Argument(exists=True, help="Gold JSON files (expected.json format) or folders.")],
    data: Annotated[Path | None, typer.Option("--data", help="Folder the gold 'article' paths are relative to.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    misses: Annotated[bool, typer.Option("--misses", help="Also list the must items that were not found.")] = False,
) -> None:
    """Precision/recall of events (type + arguments) and quotes (speaker + span) against gold files.

    Example: marsad eval events tests/gold/events/ --misses
    """
    from marsad.nlp.events.gold import evaluate, load_gold

    report = evaluate(load_gold(gold), _data(data))
    rows = sorted(report.events.items())
    total = report.total_events()
    if as_json:
        def row(s):
            return {"pred": s.pred, "correct": s.correct, "must": s.must, "found": s.found,
                    "may_found": s.may_found, "errors": s.errors, "precision": round(s.precision, 3),
                    "recall": round(s.recall, 3), "f1": round(s.f1, 3)}
        out = {"articles": report.articles, "events": {t: row(s) for t, s in rows}, "events_total": row(total),
               "quotes": row(report.quotes)}
        if misses:
            out["misses"] = report.misses
        typer.echo(json.dumps(out, ensure_ascii=False, indent=1))
        return
    table = Table(title=f"events and quotes on {report.articles} articles")
    for col in ("kind", "pred", "correct", "must", "found", "P", "R", "F1", "may", "must_not hits"):
        table.add_column(col, justify="left" if col == "kind" else "right")
    for name, s in [*rows, ("ALL EVENTS", total), ("QUOTES", report.quotes)]:
        table.add_row(name, str(s.pred), str(s.correct), str(s.must), str(s.found), f"{s.precision:.2f}",
                      f"{s.recall:.2f}", f"{s.f1:.2f}", str(s.may_found), str(s.errors))
    console.print(table)
    if misses:
        for m in report.misses:
            console.print(f"missed: {m}")


def register(app: typer.Typer) -> None:
    """Commands are attached to the shared ``train``/``eval`` groups at import time."""
