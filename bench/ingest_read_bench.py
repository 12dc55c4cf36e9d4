"""Reading throughput: marsad.ingest.read (and the layout stage) on the real corpora; prints numbers.

    .venv/bin/python bench/ingest_read_bench.py [--repeat 3] [--data ../shared/data]

Reports, per corpus, the best of ``--repeat`` runs (the first run also pays the disk cache): articles/s
(wall clock and per CPU-second, the steadier figure on a shared machine), MB/s of source bytes, and
errors; then layout-stage articles/s, the load average and the process's peak RSS.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from marsad.errors import IngestError
from marsad.ingest import read
from marsad.model import Analysis, Document
from marsad.nlp.layout import layout


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    default_data = os.environ.get("MARSAD_DATA", str(Path(__file__).resolve().parents[2] / "shared" / "data"))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=default_data)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    news = Path(args.data) / "news"
    all_docs: list[Document] = []
    for name in ("ant_jawharafm", "marsum_goud"):
        folder = news / name
        best = best_cpu = float("inf")
        docs: list[Document] = []
        errors = 0
        for _ in range(args.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            out = list(read([str(folder)]))
            best = min(best, time.perf_counter() - t0)
            best_cpu = min(best_cpu, time.process_time() - c0)
            docs = [o for o in out if isinstance(o, Document)]
            errors = sum(1 for o in out if isinstance(o, IngestError))
        mb = _size(folder) / 1e6
        print(f"read {name:14s} {len(docs):6d} articles  {errors} errors  {best:6.3f} s  "
              f"{len(docs) / best:8.0f} articles/s  {mb / best:6.1f} MB/s  "
              f"(CPU {best_cpu:.3f} s: {len(docs) / best_cpu:.0f} articles per CPU-second)")
        all_docs.extend(docs)
    t0, c0 = time.perf_counter(), time.process_time()
    paragraphs = sum(len(layout(Analysis(document=d)).paragraphs) for d in all_docs)
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"layout stage   {len(all_docs):6d} articles  {paragraphs} paragraphs  {dt:6.3f} s  "
          f"{len(all_docs) / dt:8.0f} articles/s  (CPU {cpu:.3f} s)")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB (all {len(all_docs)} documents held in memory)")


if __name__ == "__main__":
    main()
