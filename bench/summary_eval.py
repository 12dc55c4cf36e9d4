"""Summary quality: ROUGE-1/2/L of extractive summaries against MArSum's reference headlines, with the
lead-sentence baseline in the same run.

    nice -n 10 .venv/bin/python bench/summary_eval.py            # report (rows 501-1981 held out)
    nice -n 10 .venv/bin/python bench/summary_eval.py --tune     # grid over the position weight on rows 1-500

ROUGE is implemented here (no ROUGE package is installed): n-gram and LCS overlap over the project's search
terms (marsad.text.search_terms: normalised, ة folded, clitics split), F1 averaged over articles. The
headline is the reference, so it is never given to the summariser (no title signal in this eval).
Documents go through the real pipeline stages layout -> sentences -> paragraph_dedup; if the sentence
stage yields no sentences (still a placeholder), a plain . ! ? ؟ splitter stands in and the output says so.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dedup_bench import load_marsum

from marsad import summary
from marsad.dedup import mark_duplicate_paragraphs
from marsad.model import Analysis, Document, Provenance, Sentence
from marsad.pipeline import Pipeline
from marsad.text import search_terms, tokenize

_SENT_END = re.compile(r"[.!؟?]+(?=\s|$)")


def _ngrams(t: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(t[i:i + n]) for i in range(len(t) - n + 1))


def _f1(overlap: float, cand: int, ref: int) -> tuple[float, float, float]:
    p = overlap / cand if cand else 0.0
    r = overlap / ref if ref else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def rouge_n(cand: Sequence[str], ref: Sequence[str], n: int) -> tuple[float, float, float]:
    c, r = _ngrams(cand, n), _ngrams(ref, n)
    return _f1(sum((c & r).values()), sum(c.values()), sum(r.values()))


def lcs(a: Sequence[str], b: Sequence[str]) -> int:
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def rouge_l(cand: Sequence[str], ref: Sequence[str]) -> tuple[float, float, float]:
    return _f1(lcs(cand, ref), len(cand), len(ref))


_PIPE = Pipeline(["layout", "sentences"])
FALLBACK_USED = False


def analysis_of(text: str) -> Analysis:
    """layout + sentences (+ a stand-in sentence splitter if needed) + paragraph dedup."""
    global FALLBACK_USED
    a = _PIPE(Document(text=text, provenance=Provenance(source="marsum", format="csv")))
    if not a.sentences():
        FALLBACK_USED = True
        for p in a.paragraphs:
            pos = p.start
            for m in list(_SENT_END.finditer(text, p.start, p.end)) + [None]:
                stop = m.end() if m else p.end
                chunk = text[pos:stop]
                if chunk.strip():
                    s0 = pos + len(chunk) - len(chunk.lstrip())
                    p.sentences.append(Sentence(s0, stop, p.index, tokenize(text, s0, stop)))
                pos = stop
                if m is None:
                    break
    return mark_duplicate_paragraphs(a)


def evaluate(rows: list, sizes: Sequence[int], position_weights: Sequence[float]) -> None:
    systems: dict[str, list[list[float]]] = {}
    for art in rows:
        a = analysis_of(art.text)
        sents = a.sentences()
        ref = search_terms(art.title)
        keep = summary.candidates(a)
        units = [summary.sentence_terms(sents[i], a.text) for i in keep]

        def score(name: str, idx: Sequence[int], sents: list = sents, a: Analysis = a, ref: list = ref) -> None:
            cand = [t for i in idx for t in summary.sentence_terms(sents[i], a.text)]
            vals = [rouge_n(cand, ref, 1)[2], rouge_n(cand, ref, 2)[2], rouge_l(cand, ref)[2],
                    rouge_n(cand, ref, 1)[1]]
            systems.setdefault(name, []).append(vals)

        for n in sizes:
            score(f"lead-{n}", keep[:n])
            for w in position_weights:
                picked = summary.select(units, n, position_weight=w)
                score(f"marsad-{n} (position weight {w})", [keep[i] for i in picked])
    print(f"{len(rows)} articles; sentence splitter: {'stand-in regex' if FALLBACK_USED else 'pipeline'}")
    print(f"{'system':34s} {'R1-F':>6s} {'R2-F':>6s} {'RL-F':>6s} {'R1-R':>6s}")
    for name, vals in systems.items():
        k = len(vals)
        means = [sum(v[i] for v in vals) / k for i in range(4)]
        print(f"{name:34s} " + " ".join(f"{100 * m:6.2f}" for m in means))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tune", action="store_true", help="grid over the position weight on rows 1-500")
    ap.add_argument("--limit", type=int, default=0, help="evaluate only this many rows")
    args = ap.parse_args()
    rows = load_marsum()
    if args.tune:
        evaluate(rows[:500], (1, 3), (0.0, 0.2, 0.4, 0.8, 1.5, 3.0))
    else:
        test = rows[500:]
        evaluate(test[:args.limit] if args.limit else test, (1, 3), (summary.POSITION_WEIGHT,))


if __name__ == "__main__":
    main()
