"""Durability commands: backup, restore, import (of a ``marsad export --to jsonl`` file)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from marsad.commands.core import DbOpt

out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)

ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite an existing, non-empty target.")]


def _url(db: str | None) -> str:
    from marsad.store import default_url

    return db or default_url()


def backup(
    output: Annotated[Path, typer.Argument(help="Backup file to write (SQLite copy, or pg_dump archive).")],
    db: DbOpt = None,
    force: ForceOpt = False,
) -> None:
    """Copy the store to a file while it stays in use (SQLite online backup; pg_dump for PostgreSQL).

    Example: marsad backup --db news.db backups/news-2017-02-01.db
    """
    from marsad.backup import backup as run_backup

    result = run_backup(_url(db), output, force=force)
    docs = "" if result["documents"] is None else f"{result['documents']} articles, "
    out.print(f"backed up {docs}{result['bytes']:,} bytes to {output}", markup=False)


def restore(
    backup_file: Annotated[Path, typer.Argument(help="A file written by marsad backup.")],
    db: DbOpt = None,
    force: ForceOpt = False,
) -> None:
    """Replace the store by a backup (refuses a store that holds articles unless --force).

    Example: marsad restore backups/news-2017-02-01.db --db news.db
    """
    from marsad.backup import restore as run_restore

    result = run_restore(backup_file, _url(db), force=force)
    docs = "" if result["documents"] is None else f"{result['documents']} articles "
    out.print(f"restored {docs}from {backup_file} into {_url(db)}", markup=False)


def import_(
    export_file: Annotated[Path, typer.Argument(help="JSON Lines written by marsad export --to jsonl.")],
    db: DbOpt = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Articles per store transaction.")] = 200,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Re-create exported articles with their analyses, as they were (the pipeline is not run again).

    Example: marsad import articles.jsonl --db restored.db

    Bad records are reported one line each and skipped (exit 1); re-importing is a no-op.
    """
    from marsad.backup import import_jsonl
    from marsad.store import open_store

    with open_store(db) as store:
        report = import_jsonl(export_file, store, batch_size=batch_size)
    for line in report.problems:
        err.print(f"skipped: {line}", markup=False)
    if as_json:
        sys.stdout.write(json.dumps({"read": report.read, "added": report.added, "unchanged": report.unchanged,
                                     "sources": report.sources, "skipped": len(report.problems)}) + "\n")
    else:
        out.print(f"read {report.read} · added {report.added} · unchanged {report.unchanged} · "
                  f"further sources {report.sources} · skipped {len(report.problems)}")
    raise typer.Exit(1 if report.problems else 0)


def register(app: typer.Typer) -> None:
    app.command()(backup)
    app.command()(restore)
    app.command(name="import")(import_)
