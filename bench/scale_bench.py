"""Scale-out benchmark: full-pipeline throughput (one process vs Spark local[N]), store size, search latency
on SQLite and PostgreSQL, COPY load rate and peak memory at 1k, 10k and 100k articles.

Corpus (``corpus`` phase, :mod:`scale_corpus`): all ~12k real articles of ``$MARSAD_DATA/news`` (ANT v1.1 +
MArSum), then seeded EDITED replicas (sentences shuffled, paragraphs dropped/swapped, sentences of another
article of the same category spliced in, numbers and dates changed) up to 100k, every one a distinct
content, as JSONL shards of 250 that the real readers take. Every article goes through the whole pipeline.

The measured runs are the real CLI commands (``cmd`` phase: wall, CPU of the whole process tree including
Spark's JVM and Python workers, peak RSS sampled every second, mean load), driven by bench/scale_run.sh:

    nice -n 10 .venv/bin/python bench/scale_bench.py corpus --n 100000 --work /tmp/scale100k
    bench/scale_run.sh 10000 postgresql://postgres@127.0.0.1:55440/scale_10k /tmp/scale100k
    .venv/bin/python bench/scale_bench.py plot --work /tmp/scale100k --out docs/scale_growth.svg

``pipeline``/``spark`` time the same work in-process (one process writing Parquet with the Spark partition
function vs ``spark_ingest``) for a like-for-like pair. Every phase appends one JSON line to
WORK/results.jsonl and prints it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from search_bench import QUERIES

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


def shard_files(work: Path, n: int) -> list[str]:
    """The corpus shards holding its first ``n`` articles (250 per shard)."""
    shards = sorted(str(p) for p in (work / "corpus").glob("shard-*.jsonl"))
    need = -(-n // 250)
    if len(shards) < need:
        raise SystemExit(f"{work}/corpus has {len(shards)} shards, {need} needed: run the corpus phase first")
    return shards[:need]


def phase_corpus(args: argparse.Namespace) -> None:
    from scale_corpus import build

    counts = build(args.n, args.work / "corpus", 250)
    record(args.work, {"phase": "corpus", "articles": args.n, **counts})


def phase_pipeline(args: argparse.Namespace) -> None:
    """One process: read + full pipeline + rows + Parquet, with Spark's own partition function."""
    from marsad.spark import analyse_units
    from marsad.store.parquet_tables import write_tables

    units = [("path", f, None) for f in shard_files(args.work, args.n)]
    t0, c0 = time.perf_counter(), cpu_s()
    now = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())
    counts = write_tables(analyse_units(units, now=now), str(args.work / f"single_{args.n}"))
    wall, cpu = time.perf_counter() - t0, cpu_s() - c0
    record(args.work, {"phase": "pipeline", "engine": "single process", "articles": counts["documents"],
                       "errors": counts["errors"], "wall_s": round(wall, 1), "cpu_s": round(cpu, 1),
                       "articles_per_s": round(counts["documents"] / wall, 1),
                       "articles_per_cpu_s": round(counts["documents"] / cpu, 1), "peak_rss_mb": peak_rss_mb()})


def phase_spark(args: argparse.Namespace) -> None:
    from marsad.spark import spark_ingest

    files = shard_files(args.work, args.n)
    t0 = time.perf_counter()
    report = spark_ingest(files, str(args.work / f"spark_{args.n}"), master=args.master)
    wall = time.perf_counter() - t0
    record(args.work, {"phase": "pipeline", "engine": f"spark {args.master}", "articles": report.counts["documents"],
                       "errors": report.counts["errors"], "wall_s": round(wall, 1),
                       "articles_per_s": round(report.counts["documents"] / wall, 1),
                       "driver_peak_rss_mb": peak_rss_mb(), "largest_child_peak_rss_mb": peak_rss_mb(True)})


def time_search(store: Any, repeat: int) -> dict[str, Any]:
    """The 20 queries of bench/search_bench.py, each warmed once then timed ``repeat`` times (wall ms)."""
    walls: list[float] = []
    for query, filters in QUERIES:
        store.search(query, **filters)  # warm-up
        for _ in range(repeat):
            t = time.perf_counter()
            store.search(query, **filters)
            walls.append((time.perf_counter() - t) * 1000)
    return {"search_p50_ms": round(percentile(walls, 0.5), 2), "search_p95_ms": round(percentile(walls, 0.95), 2),
            "search_max_ms": round(max(walls), 1), "queries": len(walls)}


def _tree(root: int) -> list[int]:
    """``root`` and all its live descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat", encoding="ascii", errors="replace") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(d))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += children.get(pid, [])
    return out


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _cpu_s(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    except (OSError, ValueError, IndexError):
        return 0.0


def phase_cmd(args: argparse.Namespace) -> None:
    """Run a command (a real ``marsad`` CLI run), sampling its process tree's RSS every second; wall, CPU
    (all reaped descendants), peak RSS (tree total and largest process), mean load; its --json output."""
    import subprocess
    import threading

    peak = {"tree": 0.0, "largest": 0.0}
    seen_cpu: dict[int, float] = {}  # last CPU seen per process: counts the JVM and Spark's Python workers
    loads: list[float] = []
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(args.command, stdout=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample() -> None:
        while not done.wait(1.0):
            pids = _tree(proc.pid)
            rss = [_rss_mb(p) for p in pids]
            for p in pids:
                seen_cpu[p] = max(seen_cpu.get(p, 0.0), _cpu_s(p))
            peak["tree"] = max(peak["tree"], sum(rss))
            peak["largest"] = max(peak["largest"], max(rss, default=0.0))
            loads.append(os.getloadavg()[0])

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    wall = time.perf_counter() - t0
    done.set()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    reaped = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    cpu = max(reaped, sum(seen_cpu.values()))  # sampled: up to 1 s of each process's end is missed
    try:
        report = json.loads(out)
    except ValueError:
        report = {"stdout_tail": out[-500:]}
    n = args.size
    row: dict[str, Any] = {"phase": "cmd", "label": args.label, "size": n, "rc": proc.returncode,
                           "wall_s": round(wall, 1), "cpu_s": round(cpu, 1),
                           "cpu_reaped_s": round(reaped, 1), "cpu_sampled_s": round(sum(seen_cpu.values()), 1),
                           "articles_per_s": round(n / wall, 1), "articles_per_cpu_s": round(n / cpu, 1) if cpu else None,
                           "peak_rss_tree_mb": round(peak["tree"], 1), "peak_rss_largest_mb": round(peak["largest"], 1),
                           "load_mean": round(sum(loads) / len(loads), 1) if loads else None,
                           "command": " ".join(args.command), "report": report}
    record(args.work, row)


def phase_search(args: argparse.Namespace) -> None:
    """Search p50/p95 and size of a store built by a CLI run (``--db``), after ``optimize()``."""
    from marsad.store import open_store

    backend = "postgres" if args.db.startswith("postgres") else "sqlite"
    with open_store(args.db) as store:
        t0 = time.perf_counter()
        store.optimize()
        row: dict[str, Any] = {"phase": "search", "backend": backend, "size": args.size, "label": args.label,
                               "documents": store.stats().get("documents"),
                               "optimize_s": round(time.perf_counter() - t0, 1)}
        row.update(time_search(store, args.repeat))
        row["store_mb"] = round(store.size_bytes() / 1e6, 1)  # type: ignore[attr-defined]
        if backend == "postgres":
            row["gin_index_mb"] = round(store._one("SELECT pg_relation_size('doc_fts_tsv')") / 1e6, 1)  # type: ignore[attr-defined]
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
    ap.add_argument("phase", choices=["corpus", "pipeline", "spark", "cmd", "search", "plot"])
    ap.add_argument("--work", type=Path, default=Path("/tmp/marsad-scale"))
    ap.add_argument("--n", type=int, default=1000, help="corpus/pipeline/spark: articles")
    ap.add_argument("--size", type=int, default=1000, help="cmd/search: articles in this run")
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--out", default="docs/scale_growth.svg")
    ap.add_argument("--label", default="", help="cmd/search: what this run is")
    ap.add_argument("--db", default="", help="search: the store (SQLite path or postgresql:// URL)")
    argv = sys.argv[1:]
    cut = argv.index("--") if "--" in argv else len(argv)  # cmd: the command to run comes after --
    args = ap.parse_args(argv[:cut])
    args.command = argv[cut + 1:]
    args.work.mkdir(parents=True, exist_ok=True)
    {"corpus": phase_corpus, "pipeline": phase_pipeline, "spark": phase_spark, "cmd": phase_cmd,
     "search": phase_search, "plot": phase_plot}[args.phase](args)


if __name__ == "__main__":
    main()
