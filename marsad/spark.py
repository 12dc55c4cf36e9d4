"""``spark_ingest``: the very same reading and analysis pipeline, run inside Apache Spark, to Parquet.

The driver only lists the inputs into units (one per file; one per member of a zip/tar archive, so a big
archive spreads over executors); executors read each unit with :func:`marsad.ingest.read` /
:func:`marsad.ingest.read_blob`, run the pipeline (loaded once per Python worker process, on first use),
and turn each analysis into the store's own rows (:mod:`marsad.store.parquet_tables`). Bad records and
failed analyses become rows of the ``errors`` table with the reason; they never fail the job.

This is the only module that imports pyspark. Layout of the output: docs/spark.md.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from marsad.errors import IngestError, MarsadError
from marsad.model import Document
from marsad.store.parquet_tables import LAYOUT_VERSION, TABLES, analysis_rows, error_row, write_tables

#: A unit of work: ("path", file path, None) or ("blob", archive member name, its bytes).
Unit = tuple[str, str, bytes | None]
Row = tuple[str, tuple[Any, ...]]

_PIPELINE: Any = None  # one per Python worker process (Spark reuses workers across tasks)
_ARCHIVE_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


@dataclass(slots=True)
class SparkReport:
    """What one ``spark_ingest`` run wrote."""

    output: str
    units: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _is_archive(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            head = fh.read(262)
    except OSError:
        return False
    return head[:4] in _ARCHIVE_MAGIC or head[257:262] == b"ustar"


def _files(item: str) -> Iterator[str] | IngestError:
    from marsad.ingest.sources import _walk  # the readers' own folder walk (same order, same skips)

    if os.path.isdir(item):
        return _walk(item)
    if os.path.exists(item):
        return iter([item])
    if any(c in item for c in "*?["):
        return iter(p for m in sorted(glob.glob(item, recursive=True))
                    for p in (_walk(m) if os.path.isdir(m) else [m]))
    return IngestError(item, "no such file or folder")


def list_units(inputs: Iterable[str]) -> tuple[list[Unit], list[Row]]:
    """(units, error rows) for the inputs, in the order ``marsad ingest`` reads them (driver side)."""
    from marsad.ingest.sources import iter_blobs

    units: list[Unit] = []
    errors: list[Row] = []
    for item in map(os.fspath, inputs):
        if item == "-":
            errors.append(error_row("-", None, "read", "standard input cannot be distributed; save it to a file"))
            continue
        files = _files(item)
        if isinstance(files, IngestError):
            errors.append(error_row(files.source, files.record, "read", files.reason))
            continue
        before = len(units)
        for path in files:
            if not _is_archive(path):
                units.append(("path", path, None))
                continue
            for blob in iter_blobs([path]):  # members travel as bytes: executors need no shared disk
                if isinstance(blob, IngestError):
                    errors.append(error_row(blob.source, blob.record, "read", blob.reason))
                else:
                    units.append(("blob", blob.name, blob.data))
        if len(units) == before and os.path.isdir(item):
            errors.append(error_row(item, None, "read", "folder holds no readable files"))
    return units, errors


def _pipeline(stages: Sequence[str] | None) -> Any:
    global _PIPELINE
    if _PIPELINE is None or (stages is not None and _PIPELINE.names != list(stages)):
        from marsad.pipeline import Pipeline

        _PIPELINE = Pipeline(stages)
    return _PIPELINE


def _documents(unit: Unit, format: str | None, fields: Any) -> Iterator[Document | IngestError]:
    from marsad.ingest import read, read_blob
    from marsad.ingest.sources import Blob

    kind, name, data = unit
    if kind == "blob":
        assert data is not None
        return read_blob(Blob(name, data), format=format, fields=fields)
    return read([name], format=format, fields=fields)


def analyse_units(units: Iterable[Unit], *, now: str, format: str | None = None, fields: Any = None,
                  stages: Sequence[str] | None = None) -> Iterator[Row]:
    """(table, row) for every unit: read, analyse, rows; errors as rows. The Spark partition function,
    also usable in one process (``bench/scale_bench.py`` compares both)."""
    pipeline = _pipeline(stages)
    for unit in units:
        try:
            for item in _documents(unit, format, fields):
                if isinstance(item, IngestError):
                    yield error_row(item.source, item.record, "read", item.reason)
                    continue
                prov = item.provenance
                try:
                    yield from analysis_rows(pipeline(item), now)
                except MarsadError as exc:
                    yield error_row(prov.source, prov.record, "analyse", str(exc))
                except Exception as exc:  # noqa: BLE001 - one bad record must never fail the job
                    yield error_row(prov.source, prov.record, "analyse", f"{type(exc).__name__}: {exc}")
        except Exception as exc:  # noqa: BLE001 - a reader bug on one unit: record it, go on
            yield error_row(unit[1], None, "read", f"{type(exc).__name__}: {exc}")


def write_partition(index: int, units: Iterable[Unit], *, output_dir: str, now: str, format: str | None,
                    fields: Any, stages: Sequence[str] | None) -> dict[str, int]:
    """Analyse one partition's units and write its rows as ``<table>/part-<index>-NNNNN.parquet`` straight
    from the executor (one pass, no JVM round trip); rows per table."""
    return write_tables(analyse_units(units, now=now, format=format, fields=fields, stages=stages), output_dir,
                        prefix=f"part-{index:05d}", manifest=False)


def spark_ingest(inputs: Iterable[str], output_dir: str, master: str = "local[*]", *,
                 format: str | None = None, fields: Any = None, stages: Sequence[str] | None = None,
                 partitions: int | None = None, spark: Any = None) -> SparkReport:
    """Read and analyse ``inputs`` on Spark (``master``: local[N] or spark://host:port), writing one Parquet
    folder per table under ``output_dir`` (overwritten; executors write their partitions' files there, so on
    a cluster it must be a shared file system) and a ``manifest.json`` with the row counts.

    ``format``/``fields``: as for :func:`marsad.ingest.read`; ``stages``: pipeline stage names (default all);
    ``spark``: an existing SparkSession to use (left running)."""
    from pyspark.sql import SparkSession

    started = time.perf_counter()
    now = datetime.now(UTC).isoformat(timespec="seconds")
    own = spark is None
    if own:
        # Python workers must run this interpreter (its packages) unless the cluster says otherwise
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        spark = (SparkSession.builder.master(master).appName("marsad-spark-ingest")
                 .config("spark.ui.enabled", "false").config("spark.python.worker.reuse", "true")
                 .getOrCreate())
    try:
        sc = spark.sparkContext
        units, errors = list_units(inputs)
        n = max(1, min(len(units), partitions or sc.defaultParallelism * 4))
        fmt, names = format, list(stages) if stages is not None else None

        for table in TABLES:  # overwrite: a stale part file must not survive into this output
            shutil.rmtree(os.path.join(output_dir, table), ignore_errors=True)
        write_tables(iter(errors), output_dir, prefix="driver", manifest=False)

        def run(index: int, part: Iterable[Unit]) -> Iterator[dict[str, int]]:
            yield write_partition(index, part, output_dir=output_dir, now=now, format=fmt, fields=fields,
                                  stages=names)

        report = SparkReport(output_dir, units=len(units), counts={t: 0 for t in TABLES})
        report.counts["errors"] = len(errors)
        for counts in sc.parallelize(units, n).mapPartitionsWithIndex(run).collect():
            for table, count in counts.items():
                report.counts[table] += count
        report.seconds = time.perf_counter() - started
        manifest = {"layout_version": LAYOUT_VERSION, "created": now, "master": sc.master,
                    "units": report.units, "rows": report.counts, "seconds": round(report.seconds, 1),
                    "stages": names}
        with open(os.path.join(output_dir, "manifest.json"), "w", encoding="utf-8") as fh:
            json.dump(manifest, fh, indent=1)
        return report
    finally:
        if own:
            spark.stop()
