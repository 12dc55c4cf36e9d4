"""Memory of one long-lived analysing process: RSS every 1,000 articles while ``analyze()`` runs in a loop, plus
the size of every bounded cache at the end. A cache that grows with the corpus shows as RSS that keeps rising.

    nice -n 5 .venv/bin/python bench/pipeline_memory.py /tmp/scale100k/corpus --skip 40 --articles 12000
    nice -n 5 .venv/bin/python bench/pipeline_memory.py /tmp/scale100k/corpus --skip 40 --articles 10000 --near-dup

``--near-dup`` measures the ingest-time near-duplicate index alone (``marsad.dedup.NearDuplicateIndex``, which a
store keeps in memory for the whole archive): RSS growth per article added.

INPUT is anything the readers take; with a folder of shards (bench/scale_corpus.py), ``--skip`` leaves out
the first files (the first 40 shards are the 10,000 real articles; after them come the edited replicas).
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

from marsad.ingest import read
from marsad.model import Document
from marsad.pipeline import analyze, default_pipeline


def rss_mb() -> int:
    return int(Path("/proc/self/status").read_text().split("VmRSS:")[1].split()[0]) // 1024


def near_dup(files: list[str], articles: int) -> None:
    from marsad.dedup import NearDuplicateIndex

    texts = [d.text for d, _ in zip((d for d in read(files) if isinstance(d, Document)), range(articles))]
    index = NearDuplicateIndex()
    gc.collect()
    start = rss_mb()
    print(f"{'articles':>8} {'index MB':>8} {'KB/article':>10}")
    for i, text in enumerate(texts, 1):
        index.add(f"d{i}", text)
        if i % 2500 == 0:
            gc.collect()
            grown = rss_mb() - start
            print(f"{i:8d} {grown:8d} {grown * 1024 / i:10.1f}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("inputs", nargs="+")
    ap.add_argument("--articles", type=int, default=12_000)
    ap.add_argument("--skip", type=int, default=0, help="input files to leave out (sorted), e.g. real shards")
    ap.add_argument("--near-dup", action="store_true", help="only the near-duplicate index, no analysis")
    args = ap.parse_args()
    files = sorted(str(p) for i in args.inputs for p in (sorted(Path(i).iterdir()) if Path(i).is_dir() else [Path(i)]))
    if args.near_dup:
        near_dup(files[args.skip:], args.articles)
        return
    pipe = default_pipeline()
    n, t = 0, time.process_time()
    print(f"{'articles':>8} {'RSS MB':>7} {'art/CPU-s':>9}")
    for d in read(files[args.skip:]):
        if not isinstance(d, Document):
            continue
        analyze(d, pipeline=pipe)
        n += 1
        if n % 1000 == 0:
            print(f"{n:8d} {rss_mb():7d} {1000 / (time.process_time() - t):9.1f}", flush=True)
            t = time.process_time()
        if n >= args.articles:
            break
    tk = sys.modules["marsad.text.tokenize"]
    from marsad.nlp.ner.features import Featurizer

    sizes = {"tokens": len(tk._CACHE)}
    for o in gc.get_objects():
        if isinstance(o, Featurizer):
            sizes["ner features"] = len(o._cache)
    for mod in [m for name, m in sys.modules.items() if name.startswith("marsad")]:
        for name, fn in vars(mod).items():
            if hasattr(fn, "cache_info") and getattr(fn, "__module__", "") == mod.__name__:
                sizes[f"{mod.__name__}.{name}"] = fn.cache_info().currsize
    print("cache entries:", ", ".join(f"{k} {v}" for k, v in sizes.items()))


if __name__ == "__main__":
    main()
