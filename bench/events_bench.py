"""Throughput of the quotes + events stages (sentences/s), on real news analysed up to entity linking.

    nice -n 10 .venv/bin/python bench/events_bench.py --articles 600 --repeat 3

The earlier stages (layout, sentences, dedup, NER, linking) run once, untimed; then ``find_quotes`` and
``find_events`` run ``--repeat`` times over copies of those analyses and the best run is reported. Articles
are the first N (sorted paths) of ANT politic + internationalNews and MArSum rows, half and half.
Reads ../shared/data (or $MARSAD_DATA).
"""

from __future__ import annotations

import argparse
import copy
import os
import resource
import time
from pathlib import Path

from marsad.ingest import read
from marsad.model import Analysis, Document
from marsad.pipeline import Pipeline

DATA = Path(os.environ.get("MARSAD_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))


def documents(n: int) -> list[Document]:
    ant = sorted((DATA / "news/ant_jawharafm/politic").glob("*.txt")) + sorted(
        (DATA / "news/ant_jawharafm/internationalNews").glob("*.txt"))
    docs = [d for d in read([str(p) for p in ant[: n // 2]]) if isinstance(d, Document)]
    for d in read([str(DATA / "news/marsum_goud/MArSum1_test.txt")]):
        if isinstance(d, Document):
            docs.append(d)
        if len(docs) >= n:
            break
    return docs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=600)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from marsad.nlp.events import find_events
    from marsad.nlp.quotes import find_quotes

    before = Pipeline(["layout", "sentences", "paragraph_dedup", "entities", "linking"])
    t = time.perf_counter()
    base: list[Analysis] = [before(d) for d in documents(args.articles)]
    prep_s = time.perf_counter() - t
    sentences = sum(len(a.sentences()) for a in base)
    find_events(find_quotes(copy.deepcopy(base[0])))  # load the lexicon once, outside the timing
    best_wall = best_cpu = float("inf")
    events = quotes = 0
    for _ in range(args.repeat):
        work = copy.deepcopy(base)
        w0, c0 = time.perf_counter(), time.process_time()
        for a in work:
            find_events(find_quotes(a))
        best_wall = min(best_wall, time.perf_counter() - w0)
        best_cpu = min(best_cpu, time.process_time() - c0)
        events, quotes = sum(len(a.events) for a in work), sum(len(a.quotes) for a in work)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"articles {len(base)}  sentences {sentences}  (earlier stages {prep_s:.1f} s, untimed)")
    print(f"events {events}  quotes {quotes}")
    print(f"quotes+events: wall {best_wall:.2f} s  -> {sentences / best_wall:,.0f} sentences/s, "
          f"{len(base) / best_wall:,.0f} articles/s")
    print(f"quotes+events: cpu  {best_cpu:.2f} s  -> {sentences / best_cpu:,.0f} sentences per CPU-second")
    print(f"peak RSS {rss:.0f} MB")


if __name__ == "__main__":
    main()
