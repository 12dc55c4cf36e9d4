"""Scale-out benchmark: full-pipeline throughput (one process vs Spark local[N]), store ingest, size and
search latency at growing sizes on SQLite and PostgreSQL, COPY load rate, peak memory.

Real articles: ANT v1.1 (Jawhara FM, one TREC file each) from ``$MARSAD_DATA/news/ant_jawharafm``. The full
pipeline is too slow on the shared 2-core machine to analyse 100k articles, so store sizes beyond the
analysed base are made by replicating the analysed articles with edits (title suffix and source changed:
new content hash, same analysis layers) — stated in every output line that uses them.

Each phase runs in its own process (so peak RSS is that phase's):

    nice -n 10 .venv/bin/python bench/scale_bench.py pipeline --n 1000 --keep --work /tmp/scale
    nice -n 10 .venv/bin/python bench/scale_bench.py spark --n 1000 --work /tmp/scale --master 'local[2]'
    nice -n 10 .venv/bin/python bench/scale_bench.py store --size 10000 --backend sqlite --work /tmp/scale
    nice -n 10 .venv/bin/python bench/scale_bench.py store --size 10000 --backend postgres --pg URL --work /tmp/scale
    nice -n 10 .venv/bin/python bench/scale_bench.py load --size 10000 --pg URL --work /tmp/scale
    .venv/bin/python bench/scale_bench.py plot --work /tmp/scale --out docs/scale_growth.svg

Every phase appends one JSON line to WORK/results.jsonl and prints it.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import pickle
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from search_bench import QUERIES

from marsad.model import Analysis

DATA = Path(os.environ.get("MARSAD_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))


def peak_rss_mb(children: bool = False) -> float:
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)


def cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def record(work: Path, row: dict[str, Any]) -> None:
    row = {"at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "load": round(os.getloadavg()[0], 1), **row}
    line = json.dumps(row, ensure_ascii=False)
    print(line, flush=True)
    with open(work / "results.jsonl", "a", encoding="utf-8") as fh:
        fh.write(line + "\n")


def ant_files(n: int) -> list[str]:
    """The first ``n`` ANT articles, taken round-robin over the categories (a realistic mix)."""
    root = DATA / "news" / "ant_jawharafm"
    cats = [sorted(p for p in d.iterdir() if p.suffix == ".txt") for d in sorted(root.iterdir()) if d.is_dir()]
    out: list[str] = []
    i = 0
    while len(out) < n and any(i < len(c) for c in cats):
        out += [str(c[i]) for c in cats if i < len(c)]
        i += 1
    return out[:n]


def phase_pipeline(args: argparse.Namespace) -> None:
    """One process: read + full pipeline + store rows + Parquet (what a Spark partition does, minus Spark);
    the analyses are kept (pickled) for the store phases."""
    from marsad.ingest import read
    from marsad.pipeline import Pipeline
    from marsad.store.parquet_tables import analysis_rows, error_row, write_tables

    files = ant_files(args.n)
    analyses: list[Analysis] = []
    pipeline = Pipeline()

    def rows() -> Iterator[tuple[str, tuple[Any, ...]]]:
        for doc in read(files):
            if isinstance(doc, Exception):
                yield error_row(str(doc), None, "read", str(doc))
                continue
            analysis = pipeline(doc)
            if args.keep:
                analyses.append(analysis)
            yield from analysis_rows(analysis, "bench")

    t0, c0 = time.perf_counter(), cpu_s()
    counts = write_tables(rows(), str(args.work / f"single_{args.n}"))
    wall, cpu = time.perf_counter() - t0, cpu_s() - c0
    record(args.work, {"phase": "pipeline", "engine": "single process", "articles": counts["documents"],
                       "errors": counts["errors"], "wall_s": round(wall, 1), "cpu_s": round(cpu, 1),
                       "articles_per_s": round(counts["documents"] / wall, 1),
                       "articles_per_cpu_s": round(counts["documents"] / cpu, 1), "peak_rss_mb": peak_rss_mb()})
    if args.keep:
        with open(args.work / "base.pickle", "wb") as fh:
            pickle.dump(analyses, fh, protocol=pickle.HIGHEST_PROTOCOL)


def phase_spark(args: argparse.Namespace) -> None:
    from marsad.spark import spark_ingest

    files = ant_files(args.n)
    t0 = time.perf_counter()
    report = spark_ingest(files, str(args.work / f"spark_{args.n}"), master=args.master)
    wall = time.perf_counter() - t0
    record(args.work, {"phase": "pipeline", "engine": f"spark {args.master}", "articles": report.counts["documents"],
                       "errors": report.counts["errors"], "wall_s": round(wall, 1),
                       "articles_per_s": round(report.counts["documents"] / wall, 1),
                       "driver_peak_rss_mb": peak_rss_mb(), "largest_child_peak_rss_mb": peak_rss_mb(True)})


def replicated(size: int, work: Path) -> Iterator[Analysis]:
    """``size`` analyses: the analysed base, then copies with an edited title and source (new content)."""
    with open(work / "base.pickle", "rb") as fh:
        base: list[Analysis] = pickle.load(fh)
    for i in range(size):
        a = base[i % len(base)]
        k = i // len(base)
        if k == 0:
            yield a
            continue
        doc = a.document
        prov = dataclasses.replace(doc.provenance, source=f"{doc.provenance.source}#copy{k}", ingested_at=None)
        title = f"{doc.title or ''} ({k})"
        yield dataclasses.replace(a, document=dataclasses.replace(doc, title=title, provenance=prov), title=title)


def _fresh_pg(url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(url, autocommit=True) as db:
        db.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        db.execute(f"CREATE DATABASE {name}")
    return url.rsplit("/", 1)[0] + "/" + name


def time_search(store: Any, repeat: int) -> dict[str, Any]:
    walls: list[float] = []
    for query, filters in QUERIES:
        store.search(query, **filters)  # warm-up
        for _ in range(repeat):
            t = time.perf_counter()
            store.search(query, **filters)
            walls.append((time.perf_counter() - t) * 1000)
    return {"search_p50_ms": round(percentile(walls, 0.5), 2), "search_p95_ms": round(percentile(walls, 0.95), 2),
            "search_max_ms": round(max(walls), 1), "queries": len(walls)}


def phase_store(args: argparse.Namespace) -> None:
    from marsad.store import open_store

    if args.backend == "sqlite":
        path = args.work / f"store_{args.size}.db"
        for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            p.unlink(missing_ok=True)
        url = str(path)
    else:
        url = _fresh_pg(args.pg, f"scale_{args.size}")
    with open_store(url) as store:
        t0, c0 = time.perf_counter(), cpu_s()
        report = store.add_batches(replicated(args.size, args.work), batch_size=500)
        wall, cpu = time.perf_counter() - t0, cpu_s() - c0
        store.optimize()
        row: dict[str, Any] = {"phase": "store", "backend": args.backend, "size": args.size,
                               "added": report.added, "replicated_beyond": _base_len(args.work),
                               "ingest_wall_s": round(wall, 1), "ingest_per_s": round(report.added / wall, 1),
                               "ingest_per_cpu_s_client": round(report.added / cpu, 1)}
        row.update(time_search(store, args.repeat))
        row["store_mb"] = round(store.size_bytes() / 1e6, 1)  # type: ignore[attr-defined]
        if args.backend == "postgres":
            gin = store._one("SELECT pg_relation_size('doc_fts_tsv')")  # type: ignore[attr-defined]
            row["gin_index_mb"] = round(gin / 1e6, 1)
        row["peak_rss_mb"] = peak_rss_mb()
        record(args.work, row)


def _base_len(work: Path) -> int:
    with open(work / "base.pickle", "rb") as fh:
        return len(pickle.load(fh))


def phase_load(args: argparse.Namespace) -> None:
    """Parquet (one-process writer, replicated) -> PostgreSQL with COPY; then the same again (idempotent)."""
    from marsad.store import open_store
    from marsad.store.loader import load_parquet
    from marsad.store.parquet_tables import analysis_rows, write_tables

    folder = args.work / f"parquet_{args.size}"
    write_tables((r for a in replicated(args.size, args.work) for r in analysis_rows(a, "bench")), str(folder))
    with open_store(_fresh_pg(args.pg, f"load_{args.size}")) as store:
        first = load_parquet(str(folder), store)
        again = load_parquet(str(folder), store)
        store.optimize()
        row: dict[str, Any] = {"phase": "load", "backend": "postgres", "size": args.size, "added": first.added,
                               "replicated_beyond": _base_len(args.work), "load_wall_s": round(first.seconds, 1),
                               "load_per_s": round(first.added / first.seconds, 1),
                               "reload_noop_s": round(again.seconds, 1)}
        row.update(time_search(store, args.repeat))
        row["store_mb"] = round(store.size_bytes() / 1e6, 1)
        row["gin_index_mb"] = round(store._one("SELECT pg_relation_size('doc_fts_tsv')") / 1e6, 1)
        row["parquet_mb"] = round(sum(f.stat().st_size for f in folder.rglob("*.parquet")) / 1e6, 1)
        row["peak_rss_mb"] = peak_rss_mb()
        record(args.work, row)


def phase_plot(args: argparse.Namespace) -> None:
    from scale_plot import write_svg

    with open(args.work / "results.jsonl", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    write_svg(rows, args.out)
    print(f"wrote {args.out}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("phase", choices=["pipeline", "spark", "store", "load", "plot"])
    ap.add_argument("--work", type=Path, default=Path("/tmp/marsad-scale"))
    ap.add_argument("--n", type=int, default=1000, help="articles through the full pipeline")
    ap.add_argument("--size", type=int, default=1000, help="store size (documents)")
    ap.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--pg", default=os.environ.get("MARSAD_TEST_PG", ""), help="PostgreSQL server URL")
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--keep", action="store_true", help="pipeline: pickle the analyses as the store phases' base")
    ap.add_argument("--out", default="docs/scale_growth.svg")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    {"pipeline": phase_pipeline, "spark": phase_spark, "store": phase_store, "load": phase_load,
     "plot": phase_plot}[args.phase](args)


if __name__ == "__main__":
    main()
