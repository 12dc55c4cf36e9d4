"""Store and search benchmark on the 12,142 real articles (ANT Jawhara FM + MArSum Goud).

Reads the articles with the project readers, analyses them batch by batch with the foundation stages
(layout, sentences, paragraph dedup) and stores each batch, timing separately the store's own ingest rate
(``store.add``, index included; wall and CPU time, as the machine is shared), the no-op re-add rate, search latency p50/p95 for 20 representative Arabic queries (each run
``--repeat`` times after one warm-up run), store size and peak RSS.

    nice -n 10 .venv/bin/python bench/search_bench.py [--data DIR] [--limit N] [--db PATH] [--keep]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from marsad.errors import MarsadError
from marsad.ingest import read
from marsad.model import Analysis, Document
from marsad.pipeline import Pipeline
from marsad.store import AddReport, Store, open_store

#: (query, filters): everyday newsroom searches, from one very common word to phrases, OR/NOT and filters.
QUERIES: list[tuple[str, dict[str, Any]]] = [
    ("تونس", {}),
    ("إسرائيل", {}),
    ("الاتفاق", {}),
    ('"الاتحاد الأوروبي"', {}),
    ("الانتخابات البلدية", {}),
    ("وزير الداخلية", {}),
    ("الإرهاب OR الإرهابيين", {}),
    ('"كرة القدم"', {}),
    ("الترجي -الإفريقي", {}),
    ('"نداء تونس"', {}),
    ("المغرب", {}),
    ("الصحراء", {}),
    ("الحكومة", {"since": "2017-02-01"}),
    ("فيضانات", {}),
    ("سوريا OR العراق", {}),
    ("ترامب", {}),
    ('"مجلس نواب الشعب"', {}),
    ("الأسعار", {}),
    ("الملك", {"source": "marsum_goud"}),
    ("(المغرب OR الجزائر) الحدود", {}),
]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def time_queries(store: Store, repeat: int, label: str, *, show: bool) -> None:
    """Run every query once to warm up, then ``repeat`` timed times; print p50/p95 (wall and CPU)."""
    latencies: list[float] = []
    cpu: list[float] = []  # the machine is shared: CPU time shows the cost without other people's load
    per_query: list[tuple[float, int, str]] = []
    for query, filters in QUERIES:
        store.search(query, **filters)  # warm-up
        runs = []
        for _ in range(repeat):
            t0, c0 = time.perf_counter(), time.thread_time()
            result = store.search(query, limit=20, **filters)
            runs.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.thread_time() - c0) * 1000)
        latencies += runs
        per_query.append((statistics.median(runs), result.total, query + (f" {filters}" if filters else "")))
    if show:
        for ms, total, text in per_query:
            print(f"  {ms:6.2f} ms  {total:6d} hits  {text}")
    print(f"search {label}: {len(QUERIES)} queries x {repeat} runs, limit 20 with snippets: "
          f"wall p50 {percentile(latencies, 0.5):.2f} ms, p95 {percentile(latencies, 0.95):.2f} ms, "
          f"max {max(latencies):.2f} ms; CPU p50 {percentile(cpu, 0.5):.2f} ms, p95 {percentile(cpu, 0.95):.2f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.environ.get("MARSAD_DATA",
                                                     str(Path(__file__).resolve().parents[2] / "shared" / "data")))
    ap.add_argument("--limit", type=int, default=0, help="stop after N articles (0 = all)")
    ap.add_argument("--batch", type=int, default=500, help="articles per store transaction")
    ap.add_argument("--repeat", type=int, default=5, help="timed runs per query")
    ap.add_argument("--db", help="store path (default: a temporary file)")
    args = ap.parse_args()
    news = Path(args.data) / "news"
    inputs = [str(news / "ant_jawharafm"), str(news / "marsum_goud")]

    t0 = time.perf_counter()
    docs = []
    for item in read(inputs):
        if isinstance(item, MarsadError):
            print("  skipped:", item.one_line(), file=sys.stderr)
            continue
        docs.append(item)
        if args.limit and len(docs) >= args.limit:
            break
    t_read = time.perf_counter() - t0
    pipeline = Pipeline(["layout", "sentences", "paragraph_dedup"])
    n = len(docs)
    print(f"articles: {n}; read {n / t_read:.0f}/s")

    def analysed(batch: list[Document]) -> list[Analysis]:
        return [pipeline(d) for d in batch]

    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or str(Path(tmp) / "bench.db")
        with open_store(path) as store:
            # Stream like `marsad ingest`: analyse a batch, store it, drop it (holding all 12k analyses
            # would make Python's GC, not the store, the cost being measured).
            t_analyse = t_add = c_add = 0.0
            report = AddReport()
            for k in range(0, n, args.batch):
                t0 = time.perf_counter()
                batch = analysed(docs[k:k + args.batch])
                t_analyse += time.perf_counter() - t0
                t0, c0 = time.perf_counter(), time.process_time()
                report = report + store.add(batch)
                t_add, c_add = t_add + time.perf_counter() - t0, c_add + time.process_time() - c0
            print(f"foundation stages (not the store): {n / t_analyse:.0f} articles/s")
            print(f"store.add: {n} articles in {t_add:.2f} s wall = {n / t_add:.0f} articles/s; "
                  f"{c_add:.2f} s CPU = {n / c_add:.0f} articles/s per core "
                  f"(batches of {args.batch}; added {report.added}, duplicates {report.duplicates}, "
                  f"unchanged {report.unchanged})")
            analyses = [Analysis(document=d) for d in docs]  # a no-op re-add never looks past the id
            t0 = time.perf_counter()
            again = store.add_batches(analyses, batch_size=args.batch)
            t_again = time.perf_counter() - t0
            print(f"re-add (no-op): {again.unchanged} unchanged in {t_again:.2f} s = {n / t_again:.0f} articles/s")

            time_queries(store, args.repeat, "as ingested", show=False)
            t0 = time.perf_counter()
            store.optimize()
            print(f"FTS optimize: {time.perf_counter() - t0:.2f} s")
            time_queries(store, args.repeat, "after optimize", show=True)
            stats = store.stats()
            problems = store.verify() or "none"
        print(f"store: {stats['documents']} documents, {stats['sources']} sources, "
              f"{os.path.getsize(path) / 2**20:.1f} MB on disk after close; problems: {problems}")
    print(f"peak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
