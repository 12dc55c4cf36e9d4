"""Core commands: ingest, analyze, search, show, stats, export."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from marsad.errors import MarsadError

out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)

DbOpt = Annotated[str | None, typer.Option("--db", help="Store: SQLite path (default marsad.db or $MARSAD_DB) "
                                                            "or postgresql://… URL.", envvar="MARSAD_DB")]
FormatOpt = Annotated[str | None, typer.Option(
    "--format", "-f", help="Input format; sniffed when omitted: page, html, feed, jsonl, json, csv, trec.")]


def _fields(text_field: str | None, title_field: str | None, date_field: str | None, url_field: str | None,
            author_field: str | None, id_field: str | None) -> object | None:
    if not any((text_field, title_field, date_field, url_field, author_field, id_field)):
        return None
    from marsad.ingest import FieldMap

    given = {"text_field": text_field, "title_field": title_field, "date_field": date_field,
             "url_field": url_field, "author_field": author_field, "id_field": id_field}
    return FieldMap(**{k: v for k, v in given.items() if v})


def _open(db: str | None, *, create: bool = False) -> Any:
    """Open the store; only ``ingest`` creates one, so a mistyped --db elsewhere is an error, not a new file."""
    from marsad.store import open_store

    return open_store(db, create=create)


def ingest(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders (recursive), globs, .gz/.zip archives or '-'.")],
    db: DbOpt = None,
    format: FormatOpt = None,
    text_field: Annotated[str | None, typer.Option(help="JSON/CSV field holding the article text.")] = None,
    title_field: Annotated[str | None, typer.Option(help="JSON/CSV field holding the headline.")] = None,
    date_field: Annotated[str | None, typer.Option(help="JSON/CSV field holding the publication date.")] = None,
    url_field: Annotated[str | None, typer.Option(help="JSON/CSV field holding the URL.")] = None,
    author_field: Annotated[str | None, typer.Option(help="JSON/CSV field holding the author.")] = None,
    id_field: Annotated[str | None, typer.Option(help="JSON/CSV field holding a record id.")] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Articles per store transaction.")] = 200,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Analysis processes (default 1).")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Read articles, analyse them and add them to the store.

    Example: marsad ingest ../shared/data/news/ant_jawharafm --db news.db

    Bad files or records are reported one line each and skipped; the rest goes in. Exit code 1 if anything
    was skipped, 0 otherwise. Re-ingesting the same content is a no-op.
    """
    from marsad.workflows import ingest as run_ingest

    fields = _fields(text_field, title_field, date_field, url_field, author_field, id_field)
    with _open(db, create=True) as store:
        if quiet or as_json:
            report = run_ingest(inputs, store, format=format, fields=fields, batch_size=batch_size,
                                workers=workers)
        else:
            columns = (TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(),
                       TextColumn("{task.fields[rate]:.0f} art/s · skipped {task.fields[skipped]}"),
                       TimeElapsedColumn())
            with Progress(*columns, console=err, transient=False) as bar:
                task = bar.add_task("ingest", total=None, rate=0.0, skipped=0)

                def progress(read: int, stored: int, skipped: int) -> None:
                    elapsed = bar.tasks[0].elapsed or 1e-9
                    bar.update(task, completed=read, rate=read / elapsed, skipped=skipped)

                report = run_ingest(inputs, store, format=format, fields=fields, batch_size=batch_size,
                                    workers=workers, progress=progress)
    for line in report.problems:
        err.print(f"skipped: {line}", markup=False)
    if as_json:
        out.print_json(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        out.print(f"read {report.read} · added {report.added} · unchanged {report.unchanged} · "
                  f"duplicates {report.duplicates} · skipped {report.skipped} · "
                  f"{report.rate:.0f} articles/s")
    raise typer.Exit(1 if report.skipped else 0)


def analyze(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders, globs, archives or '-'.")],
    output: Annotated[str, typer.Option("--format", "-f",
                                        help="Output: text (readable), json (one object, or an array for "
                                             "several documents) or jsonl (one object a line).")] = "text",
    input_format: Annotated[str | None, typer.Option(
        "--input-format", help="Input format; sniffed when omitted: page, html, feed, jsonl, json, csv, trec.")] = None,
) -> None:
    """Analyse articles without storing them and print the analysis.

    Example: marsad analyze samples/page.txt --format json
    """
    from marsad.workflows import analyze_inputs

    if output not in ("text", "json", "jsonl"):
        raise typer.BadParameter("must be text, json or jsonl", param_hint="--format")
    results: list[dict[str, Any]] = []
    failed = 0
    for item in analyze_inputs(inputs, format=input_format):
        if isinstance(item, MarsadError):
            failed += 1
            err.print(f"skipped: {item.one_line()}", markup=False)
            continue
        if output == "jsonl":
            sys.stdout.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")
        elif output == "json":
            results.append(item.to_dict())
        else:
            from marsad.render import print_analysis

            print_analysis(out, item)
    if output == "json":
        payload: Any = results[0] if len(results) == 1 else results
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    raise typer.Exit(1 if failed else 0)


def search(
    query: Annotated[str, typer.Argument(help='Words (AND), "phrases", OR, NOT/-word, parentheses.')],
    db: DbOpt = None,
    source: Annotated[str | None, typer.Option(help="Only this source (site or path prefix).")] = None,
    since: Annotated[str | None, typer.Option(help="Published on or after (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Published on or before (YYYY-MM-DD).")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 10,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print results as JSON.")] = False,
) -> None:
    """Search stored articles with Arabic-aware matching (إسرائيل finds وإسرائيل and اسرائيل).

    Example: marsad search 'غانتس AND "الاتفاق الأمني"' --since 2021-01-01
    """
    with _open(db) as store:
        result = store.search(query, source=source, since=since, until=until, limit=limit, offset=offset)
    if as_json:
        sys.stdout.write(json.dumps(_as_plain(result), ensure_ascii=False, indent=2) + "\n")
        return
    out.print(f"{result.total} result{'' if result.total == 1 else 's'}")
    for hit in result.hits:
        out.print(f"[bold]{hit.title or '(untitled)'}[/bold]  [dim]{hit.id} · {hit.published or ''} · "
                  f"{hit.source}[/dim]")
        out.print("  " + hit.snippet.replace("[", "\\["), markup=True)


def show(
    doc_id: Annotated[str, typer.Argument(help="Article id (or a unique prefix), as printed by search.")],
    db: DbOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the stored analysis as JSON.")] = False,
) -> None:
    """Show one stored article with its analysis.

    Example: marsad show 3f2a9c01
    """
    with _open(db) as store:
        stored = store.get(doc_id)
    if stored is None:
        err.print(f"marsad: no article with id {doc_id!r}", markup=False)
        raise typer.Exit(1)
    if as_json:
        sys.stdout.write(json.dumps(stored, ensure_ascii=False, indent=2) + "\n")
        return
    from marsad.render import print_stored

    print_stored(out, stored)


def stats(
    db: DbOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Counts of articles, sources, entities, events and quotes in the store.

    Example: marsad stats --db news.db
    """
    with _open(db) as store:
        figures = store.stats()
    if as_json:
        sys.stdout.write(json.dumps(figures, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    table = Table(show_header=False)
    for key, value in figures.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k}: {v}" for k, v in list(value.items())[:10])
        table.add_row(str(key), str(value))
    out.print(table)


def export(
    db: DbOpt = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write; '-' for stdout.")] = Path("-"),
    to: Annotated[str, typer.Option("--to", help="jsonl (full analyses) or csv (one row per article).")] = "jsonl",
) -> None:
    """Export stored articles with their analyses.

    Example: marsad export --to jsonl -o articles.jsonl
    """
    from marsad.exporting import export_documents

    if to not in ("jsonl", "csv"):
        raise typer.BadParameter("must be jsonl or csv", param_hint="--to")
    with _open(db) as store:
        if str(output) == "-":
            count = export_documents(store, sys.stdout, to=to)
        else:
            with open(output, "w", encoding="utf-8", newline="") as fh:
                count = export_documents(store, fh, to=to)
    err.print(f"exported {count} articles", markup=False)


def _as_plain(obj: Any) -> Any:
    from dataclasses import asdict, is_dataclass

    if is_dataclass(obj) and not isinstance(obj, type):
        return asdict(obj)
    return obj


def register(app: typer.Typer) -> None:
    for fn in (ingest, analyze, search, show, stats, export):
        app.command()(fn)
