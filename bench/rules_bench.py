"""Rule mentions (MONEY/DATE/TIME/QUANTITY/PERCENT): throughput on real news and quality on Wojood.

    nice -n 10 .venv/bin/python bench/rules_bench.py                 # speed on ANT economy+politic, Wojood figures
    nice -n 10 .venv/bin/python bench/rules_bench.py --articles 500 --json

Speed: ANT (Jawhara FM) article bodies, each as one paragraph; timed twice — with tokenisation
(marsad.text.tokenize inside rule_mentions) and on pre-tokenised paragraphs (the pipeline case, where the
segment stage already made tokens). Quality: marsad.nlp.rules_eval.evaluate_rules on each Wojood sample file.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import tracemalloc
from collections import Counter
from pathlib import Path

from marsad.model import Analysis, Document, Paragraph, Provenance, Sentence
from marsad.nlp.ner.corpora import data_dir
from marsad.nlp.rules import rule_mentions
from marsad.nlp.rules_eval import evaluate_rules
from marsad.text import tokenize

_TEXT = re.compile(r"<TEXT>(.*?)</TEXT>", re.DOTALL)
_TIME = re.compile(r"<TIME>(\d{4}-\d\d-\d\d)")


def load_ant(root: Path, limit: int) -> list[Document]:
    docs: list[Document] = []
    for cat in ("economy", "politic", "internationalNews", "localNews"):
        for f in sorted((root / "news" / "ant_jawharafm" / cat).glob("*.txt")):
            raw = f.read_text(encoding="utf-8", errors="replace")
            m = _TEXT.search(raw)
            if not m or not m.group(1).strip():
                continue
            t = _TIME.search(raw)
            docs.append(Document(text=m.group(1).strip(), provenance=Provenance(str(f), "trec"),
                                 published=t.group(1) if t else None))
            if len(docs) >= limit:
                return docs
    return docs


def speed(docs: list[Document]) -> dict[str, object]:
    plain = [Analysis(document=d, paragraphs=[Paragraph(1, 0, len(d.text))]) for d in docs]
    pre = []
    for d in docs:
        toks = tokenize(d.text)
        pre.append(Analysis(document=d, paragraphs=[Paragraph(1, 0, len(d.text), sentences=[
            Sentence(0, len(d.text), 1, toks)])]))
    n_tokens = sum(len(p.paragraphs[0].sentences[0].tokens) for p in pre)
    kinds: Counter[str] = Counter()
    t0 = time.perf_counter()
    for a in plain:
        kinds.update(m.type for m in rule_mentions(a))
    with_tok = time.perf_counter() - t0
    t0 = time.perf_counter()
    for a in pre:
        rule_mentions(a)
    pre_tok = time.perf_counter() - t0
    tracemalloc.start()
    for a in plain[:200]:
        rule_mentions(a)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"articles": len(docs), "tokens": n_tokens,
            "tokens_per_s_with_tokenize": round(n_tokens / with_tok),
            "tokens_per_s_pretokenized": round(n_tokens / pre_tok),
            "mentions_per_1k_tokens": {k: round(v * 1000 / n_tokens, 2) for k, v in kinds.most_common()},
            "peak_tracemalloc_mb_200_articles": round(peak / 2**20, 2)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    root = data_dir()
    out: dict[str, object] = {"speed": speed(load_ant(root, args.articles))}
    woj = root / "ner" / "wojood_sample"
    out["wojood"] = {f: evaluate_rules(woj / f"{f}.txt") for f in ("train", "val", "test")}
    out["wojood"]["all"] = evaluate_rules(woj)  # type: ignore[index]
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    print(json.dumps(out["speed"], ensure_ascii=False))
    wojood: dict[str, dict] = out["wojood"]  # type: ignore[assignment]
    for name, r in wojood.items():
        print(f"wojood {name}: tokens={r['tokens']} micro exact={r['micro_exact']}")
        for kind, v in r["per_type"].items():
            e, o = v["exact"], v["overlap"]
            print(f"  {kind:18s} gold={v['support']:4d} pred={v['predicted']:4d}  exact P={e['p']:.3f} R={e['r']:.3f} "
                  f"F={e['f1']:.3f}  overlap P={o['p']:.3f} R={o['r']:.3f} F={o['f1']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
