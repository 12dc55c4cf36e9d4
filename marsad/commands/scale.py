"""Scale-out commands: spark-ingest (the pipeline on Apache Spark, to Parquet) and load (Parquet to PostgreSQL)."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)


def spark_ingest(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders (recursive), globs, .gz/.zip/.tar archives.")],
    output: Annotated[str, typer.Option("--output", "-o", help="Output folder (one Parquet folder per table; "
                                                              "overwritten).")],
    master: Annotated[str, typer.Option(help="Spark master: local[*], local[N] or spark://host:port.")] = "local[*]",
    format: Annotated[str | None, typer.Option("--format", "-f", help="Input format; sniffed when omitted.")] = None,
    partitions: Annotated[int | None, typer.Option(min=1, help="Spark partitions (default 4 per core).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Read and analyse articles on Apache Spark, writing Parquet tables (documents, paragraphs, mentions,
    entities, events, event_arguments, quotes, errors).

    Example: marsad spark-ingest ../shared/data/news/ant_jawharafm --output out/ant --master 'local[2]'

    Runs the same pipeline as `marsad ingest`, once per Spark partition; bad records go to the errors table
    and never fail the job. Needs pyspark (pip install 'marsad[spark]') and Java 17+. Load the result with
    `marsad load`.
    """
    try:
        from marsad.spark import spark_ingest as run
    except ImportError as exc:  # pyspark missing: one clear line, not a traceback
        err.print(f"marsad: error: spark-ingest needs pyspark ({exc}); pip install 'marsad[spark]'")
        raise typer.Exit(2) from None
    report = run(inputs, output, master, format=format, partitions=partitions)
    if report.counts.get("errors"):
        import pyarrow.dataset as ds

        errors = ds.dataset(f"{output}/errors", format="parquet").head(10).to_pylist()
        for e in errors:
            where = f"{e['source']} [{e['record']}]" if e["record"] else e["source"]
            err.print(f"skipped ({e['stage']}): {where}: {e['reason']}", markup=False)
        if report.counts["errors"] > len(errors):
            err.print(f"… {report.counts['errors'] - len(errors)} more in {output}/errors", markup=False)
    if as_json:
        out.print_json(json.dumps({"output": report.output, "units": report.units, "rows": report.counts,
                                   "seconds": round(report.seconds, 1)}, ensure_ascii=False))
    else:
        table = Table("table", "rows", title=f"{report.output} · {report.units} units · {report.seconds:.0f} s")
        for name, n in report.counts.items():
            table.add_row(name, str(n))
        out.print(table)
    raise typer.Exit(1 if report.counts.get("errors") else 0)


def load(
    folder: Annotated[str, typer.Argument(help="A `marsad spark-ingest` output folder.")],
    db: Annotated[str, typer.Option("--db", help="PostgreSQL store URL (postgresql://user@host:port/db).",
                                    envvar="MARSAD_DB")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Bulk-load Spark Parquet output into a PostgreSQL store (COPY, one transaction, idempotent).

    Example: marsad load out/ant --db postgresql://postgres@127.0.0.1:5432/marsad

    Contents already stored are not loaded again (their new sources are recorded as duplicates); loading the
    same folder twice adds nothing.
    """
    from marsad.store import open_store
    from marsad.store.loader import load_parquet

    with open_store(db, create=True) as store:
        report = load_parquet(folder, store)
    fields = {"records": report.records, "added": report.added, "duplicates": report.duplicates,
              "unchanged": report.unchanged, "errors_in_output": report.errors, "seconds": round(report.seconds, 2)}
    if as_json:
        out.print_json(json.dumps(fields))
    else:
        out.print(" · ".join(f"{k.replace('_', ' ')} {v}" for k, v in fields.items()))


def register(app: typer.Typer) -> None:
    app.command("spark-ingest")(spark_ingest)
    app.command()(load)
