"""Ingest throughput and peak memory on the real articles in ../shared/data/news.

Prints articles/s for reading alone, for the foundation pipeline (layout, sentences, paragraph dedup) and for
the full pipeline, each read → analyse → store into a fresh SQLite file, plus store size and peak RSS.

    .venv/bin/python bench/ingest_bench.py [--data DIR] [--limit N] [--stages full|foundation|read]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from marsad.pipeline import Pipeline
from marsad.store import open_store
from marsad.workflows import ingest, read_documents

FOUNDATION = ["layout", "sentences", "paragraph_dedup"]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """CPU time of this process and its finished children: the steady figure on a shared, loaded machine."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.environ.get("MARSAD_DATA", str(Path(__file__).resolve().parents[2] / "shared" / "data")))
    ap.add_argument("--stages", choices=["read", "foundation", "full"], default="full")
    ap.add_argument("--limit", type=int, default=0, help="stop after N articles (0 = all)")
    args = ap.parse_args()
    inputs = [str(Path(args.data) / "news" / "ant_jawharafm"), str(Path(args.data) / "news" / "marsum_goud")]

    if args.stages == "read":
        t0 = time.perf_counter()
        n = errors = 0
        for item in read_documents(inputs):
            n += 1
            errors += not hasattr(item, "text")
            if args.limit and n >= args.limit:
                break
        dt = time.perf_counter() - t0
        print(f"read: {n} documents ({errors} errors) in {dt:.1f} s = {n / dt:.0f} articles/s; "
              f"peak RSS {peak_rss_mb():.0f} MB")
        return

    pipeline = Pipeline(FOUNDATION) if args.stages == "foundation" else Pipeline()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        with open_store(str(db)) as store:
            if args.limit:
                from itertools import islice
                docs = list(islice(read_documents(inputs), args.limit))
                from marsad.workflows import IngestReport  # noqa: F401
                t0 = time.perf_counter()
                from marsad.errors import MarsadError
                batch = []
                for d in docs:
                    if isinstance(d, MarsadError):
                        continue
                    batch.append(pipeline(d))
                    if len(batch) >= 200:
                        store.add(batch)
                        batch = []
                store.add(batch)
                dt = time.perf_counter() - t0
                print(f"{args.stages}: {len(docs)} articles in {dt:.1f} s = {len(docs) / dt:.0f} articles/s "
                      f"(analyse + store, reading excluded)")
            else:
                cpu0 = cpu_seconds()
                report = ingest(inputs, store, pipeline=pipeline)
                cpu = cpu_seconds() - cpu0
                print(f"{args.stages}: read {report.read}, added {report.added}, duplicates {report.duplicates}, "
                      f"unchanged {report.unchanged}, skipped {report.skipped} in {report.seconds:.1f} s wall "
                      f"= {report.rate:.0f} articles/s; {cpu:.1f} CPU s = {report.read / cpu:.0f} articles per "
                      f"CPU-second (read + analyse + store, one process)")
                for line in report.problems[:5]:
                    print("  problem:", line, file=sys.stderr)
        size = sum(f.stat().st_size for f in Path(tmp).iterdir())
        print(f"store size {size / 1e6:.1f} MB; peak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
