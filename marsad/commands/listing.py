"""``marsad events`` and ``marsad quotes``: list stored events and quotations, filter, export (CSV/JSON).

Rows come from :mod:`marsad.nlp.events.export` (a GDELT-like flat schema documented there), built from each
stored analysis, so the CLI, the web CSV and any other export share one definition.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterator
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from marsad.commands.core import DbOpt
from marsad.text import fold

out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, highlight=False)

ToOpt = Annotated[str, typer.Option("--to", help="table (readable), json, jsonl or csv.")]

EVENT_TABLE_COLUMNS = ("date", "event_type", "cameo", "actor1", "actor2", "item", "value", "location", "trigger")
QUOTE_TABLE_COLUMNS = ("date", "speaker", "verb", "channel", "text")


def _rows(db: str | None, make: Callable[[Any], list[dict[str, Any]]]) -> Iterator[dict[str, Any]]:
    from marsad.serialize import analysis_from_dict
    from marsad.store import open_store

    with open_store(db, create=False) as store:
        for stored in store.iter_documents():
            yield from make(analysis_from_dict(stored))


def _matches(value: str | None, wanted: str | None) -> bool:
    return wanted is None or (value is not None and fold(wanted) in fold(value))


def _in_range(date: str | None, since: str | None, until: str | None) -> bool:
    if since is None and until is None:
        return True
    if date is None:
        return False
    return (since is None or date[: len(since)] >= since) and (until is None or date[: len(until)] <= until)


def _emit(rows: list[dict[str, Any]], to: str, columns: tuple[str, ...], title: str) -> None:
    if to == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    elif to == "jsonl":
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif to == "csv":
        fields = list(rows[0]) if rows else list(columns)
        writer = csv.DictWriter(sys.stdout, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    else:
        table = Table(*columns, title=f"{title} ({len(rows)})")
        for row in rows:
            table.add_row(*("" if row.get(c) is None else str(row.get(c)) for c in columns))
        out.print(table)


def _check_to(to: str) -> None:
    if to not in ("table", "json", "jsonl", "csv"):
        raise typer.BadParameter("must be table, json, jsonl or csv", param_hint="--to")


def events(
    db: DbOpt = None,
    type_: Annotated[str | None, typer.Option("--type", help="Event type, e.g. ARMS_TRANSFER, MEET.")] = None,
    actor: Annotated[str | None, typer.Option(help="An actor's name (either side), e.g. المغرب.")] = None,
    since: Annotated[str | None, typer.Option(help="On or after (YYYY, YYYY-MM or YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="On or before (YYYY, YYYY-MM or YYYY-MM-DD).")] = None,
    limit: Annotated[int, typer.Option(min=0, help="At most N rows (0 = all).")] = 0,
    to: ToOpt = "table",
    as_json: Annotated[bool, typer.Option("--json", help="Same as --to json.")] = False,
) -> None:
    """Events found in stored articles (who did what to whom), with filters; CSV/JSON in a GDELT-like schema.

    Example: marsad events --type ARMS_TRANSFER --actor المغرب --since 2021 --to csv > deals.csv
    """
    from marsad.nlp.events.export import event_rows

    to = "json" if as_json else to
    _check_to(to)
    wanted_type = type_.upper() if type_ else None
    rows: list[dict[str, Any]] = []
    for row in _rows(db, event_rows):
        if wanted_type and row.get("event_type") != wanted_type:
            continue
        if actor and not (_matches(row.get("actor1"), actor) or _matches(row.get("actor2"), actor)):
            continue
        if not _in_range(row.get("date"), since, until):
            continue
        rows.append(row)
        if limit and len(rows) >= limit:
            break
    _emit(rows, to, EVENT_TABLE_COLUMNS, "Events")


def quotes(
    db: DbOpt = None,
    speaker: Annotated[str | None, typer.Option(help="The speaker's name, e.g. غانتس.")] = None,
    since: Annotated[str | None, typer.Option(help="On or after (YYYY, YYYY-MM or YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="On or before (YYYY, YYYY-MM or YYYY-MM-DD).")] = None,
    limit: Annotated[int, typer.Option(min=0, help="At most N rows (0 = all).")] = 0,
    to: ToOpt = "table",
    as_json: Annotated[bool, typer.Option("--json", help="Same as --to json.")] = False,
) -> None:
    """Quotations found in stored articles, with their speakers; CSV/JSON export.

    Example: marsad quotes --speaker غانتس --json
    """
    from marsad.nlp.events.export import quote_rows

    to = "json" if as_json else to
    _check_to(to)
    rows: list[dict[str, Any]] = []
    for row in _rows(db, quote_rows):
        if not _matches(row.get("speaker"), speaker) or not _in_range(row.get("date"), since, until):
            continue
        rows.append(row)
        if limit and len(rows) >= limit:
            break
    _emit(rows, to, QUOTE_TABLE_COLUMNS, "Quotes")


def register(app: typer.Typer) -> None:
    app.command("events")(events)
    app.command("quotes")(quotes)
