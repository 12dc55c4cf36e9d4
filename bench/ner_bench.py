"""Throughput and memory of the whole entity stage (tokenise + features + CRF + gazetteers + rules + consistency).

Usage: .venv/bin/python bench/ner_bench.py [--articles N] [--data DIR] [--mode fast|accurate]
Prints model load time, model size, tokens/s (wall and per CPU second; the process is single-threaded)
over ANT news articles, and peak RSS. Tokenisation and sentence cutting are included in the timing.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from marsad.model import Analysis, Document, Paragraph, Provenance, Sentence
from marsad.nlp.ner.corpora import data_dir
from marsad.nlp.ner.rawtext import iter_news_texts
from marsad.text import tokenize

_ENDS = {".", "!", "?", "؟", "\n"}


def analysis(text: str) -> Analysis:
    """Tokenise a text and cut sentences at end punctuation (a stand-in for the segment stage)."""
    toks = tokenize(text)
    sents: list[Sentence] = []
    cur = []
    for t in toks:
        cur.append(t)
        if text[t.start:t.end] in _ENDS or len(cur) >= 120:
            sents.append(Sentence(cur[0].start, cur[-1].end, 1, cur))
            cur = []
    if cur:
        sents.append(Sentence(cur[0].start, cur[-1].end, 1, cur))
    return Analysis(document=Document(text=text, provenance=Provenance("bench", "body")),
                    paragraphs=[Paragraph(1, 0, len(text), sentences=sents)])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--articles", type=int, default=1500)
    ap.add_argument("--data", default=None)
    ap.add_argument("--mode", default="fast", choices=("fast", "accurate"), help="fast: CRF; accurate: + network")
    args = ap.parse_args()
    from marsad.nlp import ner
    from marsad.nlp.ner import model

    t0, c0 = time.perf_counter(), time.process_time()
    os.environ["MARSAD_NER_MODE"] = args.mode  # what the pipeline stage reads
    model.shipped(args.mode)
    load_s, load_cpu = time.perf_counter() - t0, time.process_time() - c0
    texts = list(iter_news_texts(data_dir(args.data), limit_files=args.articles))[:args.articles]
    ner.recognize(analysis(texts[0]))  # warm caches of the rule module too
    n_tok = n_ment = 0
    t0, c0 = time.perf_counter(), time.process_time()
    for text in texts:
        a = ner.recognize(analysis(text))
        n_tok += sum(len(s.tokens) for s in a.sentences())
        n_ment += len(a.mentions)
    el, cpu = time.perf_counter() - t0, time.process_time() - c0
    size = sum(p.stat().st_size for p in model.RESOURCE_DIR.iterdir() if p.is_file())
    print(json.dumps({
        "articles": len(texts), "tokens": n_tok, "mentions": n_ment, "seconds": round(el, 2),
        "tokens_per_s": round(n_tok / el), "cpu_seconds": round(cpu, 2),
        "tokens_per_cpu_s": round(n_tok / cpu),  # one core; wall time suffers when the machine is shared
        "model_load_s": round(load_s, 3), "model_load_cpu_s": round(load_cpu, 3),
        "model_file_mb": round((model.RESOURCE_DIR / model.MODEL_FILE).stat().st_size / 2**20, 2),
        "resources_mb": round(size / 2**20, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }))


if __name__ == "__main__":
    main()
