"""Where the two entity modes disagree on news they were not tuned on, for judging by hand.

Usage: .venv/bin/python bench/ner_modes_disagree.py [--articles 150] [--skip 1500] [--seed 7] [--show 30]
Runs the whole entity stage in both modes (MARSAD_NER_MODE=fast|accurate) on a seeded sample of the news
articles after the first ``--skip`` (those the speed bench reads), counts the name mentions (PERSON, ORG, GPE,
LOC, FAC) both modes give and those only one gives, and prints a seeded sample of each side's own mentions in
context ([[mention]]) so a reader can mark them right or wrong. There is no gold annotation for these news
sources; docs/benchmarks.md records one such judging.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from ner_bench import analysis

from marsad.nlp import ner
from marsad.nlp.ner.corpora import data_dir
from marsad.nlp.ner.rawtext import iter_news_texts

NAMES = ("PERSON", "ORG", "GPE", "LOC", "FAC")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--articles", type=int, default=150)
    ap.add_argument("--skip", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--show", type=int, default=30)
    ap.add_argument("--data", default=None)
    args = ap.parse_args()
    texts = list(iter_news_texts(data_dir(args.data)))[args.skip:]
    sample = random.Random(args.seed).sample(texts, min(args.articles, len(texts)))
    only: dict[str, list[tuple[str, str]]] = {"fast": [], "accurate": []}
    both = 0
    for text in sample:
        found = {}
        for mode in only:
            os.environ["MARSAD_NER_MODE"] = mode
            a = ner.recognize(analysis(text))
            found[mode] = {(m.start, m.end, m.type) for m in a.mentions if m.type in NAMES}
        both += len(found["fast"] & found["accurate"])
        for mode, other in (("fast", "accurate"), ("accurate", "fast")):
            for s, e, typ in sorted(found[mode] - found[other]):
                ctx = (text[max(0, s - 40):s] + "[[" + text[s:e] + "]]" + text[e:e + 40]).replace("\n", " ")
                only[mode].append((typ, ctx))
    print(json.dumps({"articles": len(sample), "both": both, "fast_only": len(only["fast"]),
                      "accurate_only": len(only["accurate"])}))
    rng = random.Random(1)
    for mode, items in only.items():
        print(f"== only in {mode} (a sample of {min(args.show, len(items))})")
        for k, (typ, ctx) in enumerate(rng.sample(items, min(args.show, len(items)))):
            print(k, typ, "|", ctx)


if __name__ == "__main__":
    main()
