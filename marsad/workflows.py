"""Library functions behind the CLI commands: read → analyse → store, with progress and a report.

Each CLI command parses its options, calls one function here, and formats the result. Nothing here prints:
progress is reported through an optional callback, problems are collected in the report.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from marsad.errors import IngestError, MarsadError
from marsad.model import Analysis, Document
from marsad.pipeline import Pipeline, default_pipeline

#: Added articles after which an ingest merges the search index (cheap: under a second at 12k articles).
OPTIMIZE_AFTER = 1000

ProgressFn = Callable[[int, int, int], None]  # (read so far, ingested so far, skipped so far)


@dataclass(slots=True)
class IngestReport:
    """What one ingest run did. ``problems`` holds one line per skipped file or record."""

    read: int = 0
    added: int = 0
    unchanged: int = 0
    duplicates: int = 0
    skipped: int = 0
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.read / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "read": self.read, "added": self.added, "unchanged": self.unchanged,
            "duplicates": self.duplicates, "skipped": self.skipped, "problems": list(self.problems),
            "seconds": round(self.seconds, 3), "articles_per_s": round(self.rate, 1),
        }


def read_documents(inputs: Iterable[str], *, format: str | None = None,
                   fields: object | None = None) -> Iterator[Document | IngestError]:
    """Documents (and per-file/record errors, as values) from paths, folders, globs, archives or '-'."""
    from marsad.ingest import read

    return read(list(inputs), format=format, fields=fields)  # type: ignore[arg-type]


_WORKER_PIPELINE: Pipeline | None = None


def _worker_init(stage_names: list[str]) -> None:
    global _WORKER_PIPELINE
    _WORKER_PIPELINE = Pipeline(stage_names)


def _worker_analyze(item: Document | IngestError) -> Analysis | MarsadError:
    if isinstance(item, IngestError):
        return item
    assert _WORKER_PIPELINE is not None
    try:
        return _WORKER_PIPELINE(item)
    except MarsadError as exc:
        return exc


def analyze_inputs(inputs: Iterable[str], *, format: str | None = None, fields: object | None = None,
                   pipeline: Pipeline | None = None, workers: int = 1) -> Iterator[Analysis | MarsadError]:
    """Analyse every document found in ``inputs``; errors are yielded in place of their document.

    With ``workers > 1`` the pipeline runs in that many processes (models load once per process); the
    order of results is the order of the inputs.
    """
    pipe = pipeline or default_pipeline()
    items = read_documents(inputs, format=format, fields=fields)
    if workers > 1:
        import multiprocessing as mp

        ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
        # Bounded windows: Pool.imap would read the whole input ahead and queue every result, so memory
        # would grow with the corpus; a window of a few hundred documents keeps it flat.
        window = workers * 64
        with ctx.Pool(workers, initializer=_worker_init, initargs=(pipe.names,)) as pool:
            while chunk := list(islice(items, window)):
                yield from pool.imap(_worker_analyze, chunk, chunksize=8)
        return
    for item in items:
        if isinstance(item, IngestError):
            yield item
            continue
        try:
            yield pipe(item)
        except MarsadError as exc:
            yield exc


def ingest(inputs: Iterable[str], store: object, *, format: str | None = None, fields: object | None = None,
           pipeline: Pipeline | None = None, batch_size: int = 200, workers: int = 1,
           progress: ProgressFn | None = None) -> IngestReport:
    """Read, analyse and store; one transaction per batch. Re-ingesting the same content is a no-op."""
    report = IngestReport()
    started = time.perf_counter()
    batch: list[Analysis] = []

    def flush() -> None:
        if not batch:
            return
        result = store.add(batch)  # type: ignore[attr-defined]
        report.added += result.added
        report.unchanged += result.unchanged
        report.duplicates += result.duplicates
        batch.clear()

    for item in analyze_inputs(inputs, format=format, fields=fields, pipeline=pipeline, workers=workers):
        report.read += 1
        if isinstance(item, MarsadError):
            report.skipped += 1
            report.problems.append(item.one_line())
        else:
            batch.append(item)
            if len(batch) >= batch_size:
                flush()
        if progress is not None:
            progress(report.read, report.added + report.unchanged + report.duplicates + len(batch),
                     report.skipped)
    flush()
    if report.added >= OPTIMIZE_AFTER and hasattr(store, "optimize"):
        store.optimize()  # merge the full-text index after a bulk load: faster searches
    report.seconds = time.perf_counter() - started
    return report
