"""Speed of the linking stage: gazetteer load, articles/s and mentions/s on the coreference gold articles.

Usage: .venv/bin/python bench/link_bench.py [--repeat 20]
Mentions are the gold ones (so the figure is linking alone, not NER); Latin forms are computed as in the
pipeline (transliteration cache cleared before each pass, so repeated names are not free).
"""

from __future__ import annotations

import argparse
import copy
import time
import tracemalloc

from marsad.gazetteer import default_data_dir, load_gazetteer
from marsad.model import Analysis, Mention
from marsad.nlp.link import link_entities
from marsad.nlp.link_eval import _document, load_gold
from marsad.text import fold
from marsad.translit import backend, latin_name


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    tracemalloc.start()
    t0 = time.perf_counter()
    gaz = load_gazetteer()
    load_s = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    base = []
    for rec in load_gold():
        a = Analysis(_document(rec, default_data_dir()))
        a.mentions = [Mention(m["type"], m["start"], m["end"], m["text"], 0, fold(m["text"])) for m in rec["mentions"]]
        base.append(a)
    link_entities(copy.deepcopy(base[0]))  # warm: tokenizer lexicon, transliterator
    n_mentions = sum(len(a.mentions) for a in base)
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(args.repeat):
        latin_name.cache_clear()
        for a in base:
            link_entities(copy.deepcopy(a))
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"gazetteer: {len(gaz)} places, load {load_s * 1000:.0f} ms, peak {peak / 2**20:.1f} MiB")
    print(f"translit back end: {backend()}")
    print(f"linking: {len(base) * args.repeat / dt:.0f} articles/s, {n_mentions * args.repeat / dt:.0f} mentions/s "
          f"({len(base)} articles, {n_mentions} mentions, x{args.repeat}); per CPU second: "
          f"{len(base) * args.repeat / cpu:.0f} articles, {n_mentions * args.repeat / cpu:.0f} mentions")


if __name__ == "__main__":
    main()
