"""Throughput of the Arabic text module on real articles (ANT / Jawhara FM), one core.

Rates use CPU time (time.process_time), so a busy shared machine skews them less. Prints lexicon load time, normalisation chars/s, tokenisation tokens/s (cold and warm word cache), sentence
splitting, and the whole ``sentences`` stage (split + tokenise + document context) in tokens/s and
articles/s, plus clitic accuracy on the shipped hand-checked lists.

    .venv/bin/python bench/text_bench.py [--articles 3000] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from marsad.model import Analysis, Document, Paragraph, Provenance
from marsad.text.lexicon import LEXICON_PATH, default_data_dir, lexicon

_TEXT_RE = re.compile(r"<TEXT>(.*?)</TEXT>", re.DOTALL)


def load_articles(data: Path, n: int) -> list[str]:
    files = sorted((data / "news" / "ant_jawharafm").rglob("*.txt"))
    out = []
    for f in files:
        m = _TEXT_RE.search(f.read_text(encoding="utf-8", errors="replace"))
        if m and m.group(1).strip():
            out.append(m.group(1).strip())
        if len(out) >= n:
            break
    return out


def _rate(n: float, seconds: float) -> str:
    return f"{n / seconds:,.0f}/s"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=3000)
    ap.add_argument("--data", type=Path, default=default_data_dir())
    ap.add_argument("--show-sample", type=int, default=0, metavar="N",
                    help="also print N seeded random corpus words starting with و ف ب ك ل and their split")
    ap.add_argument("--sample-seed", type=int, default=7)
    args = ap.parse_args()
    texts = load_articles(args.data, args.articles)
    chars = sum(len(t) for t in texts)
    print(f"articles: {len(texts):,}  chars: {chars:,}  (news/ant_jawharafm, first {args.articles} in path order)")

    t0 = time.process_time()
    lex = lexicon()
    print(f"lexicon load: {time.process_time() - t0:.3f} s  ({len(lex.counts):,} words, "
          f"{LEXICON_PATH.stat().st_size / 1e6:.2f} MB)")

    from marsad.nlp.segment import segment
    from marsad.text import normalize
    from marsad.text import tokenize as tokenize_module  # noqa: F401  (function, re-exported)
    from marsad.text.sentences import split_sentences
    from marsad.text.tokenize import _CACHE, tokenize

    t0 = time.process_time()
    for t in texts:
        normalize(t)
    d = time.process_time() - t0
    print(f"normalize (with offset map): {_rate(chars, d)} chars")

    _CACHE.clear()
    t0 = time.process_time()
    ntok = sum(len(tokenize(t)) for t in texts)
    d = time.process_time() - t0
    print(f"tokenize, cold word cache: {ntok:,} tokens  {_rate(ntok, d)} tokens")
    t0 = time.process_time()
    ntok = sum(len(tokenize(t)) for t in texts)
    d = time.process_time() - t0
    print(f"tokenize, warm word cache: {_rate(ntok, d)} tokens")

    t0 = time.process_time()
    nsent = sum(len(split_sentences(t)) for t in texts)
    d = time.process_time() - t0
    print(f"split_sentences: {nsent:,} sentences  {_rate(nsent, d)} sentences  {_rate(chars, d)} chars")

    analyses = []
    for i, t in enumerate(texts):
        doc = Document(text=t, provenance=Provenance(source=f"ant:{i}", format="trec"))
        paras, pos = [], 0
        for j, line in enumerate(t.split("\n")):
            if line.strip():
                paras.append(Paragraph(len(paras) + 1, pos, pos + len(line)))
            pos += len(line) + 1
        analyses.append(Analysis(document=doc, paragraphs=paras))
    _CACHE.clear()
    t0 = time.process_time()
    ntok = 0
    for a in analyses:
        segment(a)
        ntok += sum(len(s.tokens) for s in a.sentences())
    d = time.process_time() - t0
    print(f"sentences stage (split + tokenize + document context), cold cache: {_rate(ntok, d)} tokens  "
          f"{_rate(len(analyses), d)} articles")
    t0 = time.process_time()
    for a in analyses:
        segment(a)
    d = time.process_time() - t0
    print(f"sentences stage, warm cache: {_rate(ntok, d)} tokens  {_rate(len(analyses), d)} articles")

    from marsad.text.tokenize import split_clitics

    for name in ("clitic_gold.tsv", "clitic_heldout.tsv"):
        rows = [ln.split("\t") for ln in (LEXICON_PATH.parent / name).read_text(encoding="utf-8").splitlines()
                if ln and not ln.startswith("#")]
        ok = sum(split_clitics(w) == (p, s) for w, p, s in rows)
        print(f"clitic accuracy {name}: {ok}/{len(rows)} = {ok / len(rows):.3f}")


    if args.show_sample:
        show_sample(args.data, args.show_sample, args.sample_seed)


def show_sample(data: Path, n: int, seed: int = 7) -> None:
    """Seeded random clitic-initial words from 300 ANT articles with their split, for checking by hand."""
    import random

    from marsad.text.tokenize import ARABIC_WORD_RE, split_clitics

    files = sorted((data / "news" / "ant_jawharafm").rglob("*.txt"))
    rng = random.Random(seed)
    words = [w for f in rng.sample(files, 300) for w in ARABIC_WORD_RE.findall(f.read_text(encoding="utf-8"))
             if w[0] in "وفبكل"]
    for i, w in enumerate(rng.sample(words, n)):
        print(f"{i}\t{w}\t{'+'.join(x for x in split_clitics(w) if x)}")


if __name__ == "__main__":
    main()
