"""Cross-article near-duplicate detection: precision/recall on ANT (Jawhara FM) and on synthetic edits, and
throughput as the index grows (12k real articles, then a synthetic 100k corpus).

    nice -n 10 .venv/bin/python bench/dedup_bench.py quality      # P/R on ANT + synthetic pairs
    nice -n 10 .venv/bin/python bench/dedup_bench.py cost --n 100000
    nice -n 10 .venv/bin/python bench/dedup_bench.py review       # print non-exact hits to check by hand
    nice -n 10 .venv/bin/python bench/dedup_bench.py inarticle    # in-article paragraph scores + marked ones

Reads ../shared/data (or $MARSAD_DATA). The ANT files are parsed here (TREC-like tags) so the bench does not
depend on the ingest readers. Truth for ANT: documents whose body text (whitespace-collapsed) equals an
earlier document's are copies (167 groups, 195 copies, the corpus README's figure).
"""

from __future__ import annotations

import argparse
import csv
import glob
import itertools
import os
import random
import re
import resource
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from marsad.dedup import NearDuplicateIndex
from marsad.ingest.common import clean_date

DATA = Path(os.environ.get("MARSAD_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
_TAG = {t: re.compile(rf"<{t}>(.*?)</{t}>", re.DOTALL) for t in ("DOCNO", "TITLE", "TIME", "ABSTRACT", "TEXT", "CAT")}


@dataclass(slots=True)
class Article:
    id: str
    title: str
    time: str
    text: str
    source: str = ""
    category: str = ""
    abstract: str = ""


def load_ant() -> list[Article]:
    """ANT v1.1 articles, sorted by publication time then id."""
    out = []
    for f in sorted(glob.glob(str(DATA / "news" / "ant_jawharafm" / "*" / "*.txt"))):
        s = Path(f).read_text(encoding="utf-8")
        g = {t: ((m := r.search(s)) and m.group(1).strip()) or "" for t, r in _TAG.items()}
        when = clean_date(g["TIME"]) or ""  # half the files say dd/mm/yyyy
        out.append(Article(g["DOCNO"], g["TITLE"], when, g["TEXT"], "jawharafm", g["CAT"], g["ABSTRACT"]))
    out.sort(key=lambda a: (a.time, a.id))
    return out


def load_marsum() -> list[Article]:
    """MArSum test set (Goud.ma): body text and the reference headline."""
    csv.field_size_limit(1 << 30)
    path = DATA / "news" / "marsum_goud" / "MArSum1_test.txt"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=" "))
    return [Article(f"goud-{i}", r[1], "", r[0], "goud") for i, r in enumerate(rows[1:], 1) if len(r) >= 2]


def _key(text: str) -> str:
    return " ".join(text.split())


def ant_truth(arts: list[Article]) -> dict[str, str]:
    """Copy id -> id of the first article with the same body text."""
    first: dict[str, str] = {}
    truth = {}
    for a in arts:
        k = _key(a.text)
        if k in first:
            truth[a.id] = first[k]
        else:
            first[k] = a.id
    return truth


def prf(tp: int, fp: int, fn: int) -> str:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return f"P={p:.3f} R={r:.3f} (tp={tp} fp={fp} fn={fn})"


# ---------------------------------------------------------------------------------------------------- edits

_DIAC = "\u064e\u064f\u0650\u0652\u0651\u064b"


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!؟?])\s+|\n+", text) if s.strip()]


def edit(a: Article, kind: str, rng: random.Random, other: Article) -> str:
    """A near-duplicate of ``title + body`` made by one realistic edit."""
    body = a.text
    title = a.title
    if kind == "headline":
        title = other.title
    elif kind == "drop_paragraph":
        ss = _sentences(body)
        del ss[rng.randrange(len(ss))]
        body = "\n".join(ss)
    elif kind == "add_paragraph":
        body = body + "\n" + _sentences(other.text)[0]
    elif kind == "punctuation":
        body = re.sub(r"[،,.:\"«»“”]", lambda m: rng.choice(["", " ،", ".", ""]), body)
    elif kind == "diacritics":
        body = "".join(c + rng.choice(_DIAC) if "\u0621" <= c <= "\u064a" and rng.random() < 0.3 else c
                       for c in body)
    elif kind == "combined":
        title = other.title
        body = re.sub(r"[،,.]", "", body) + "\n" + _sentences(other.text)[0]
    return title + "\n\n" + body


KINDS = ("headline", "drop_paragraph", "add_paragraph", "punctuation", "diacritics", "combined")


def quality(n_synth: int) -> None:
    arts = [a for a in load_ant() if a.text]
    truth = ant_truth(arts)
    groups: dict[str, str] = {a.id: truth.get(a.id, a.id) for a in arts}  # id -> group root

    # 1. Real copies in ANT, incremental in publication order, body text only.
    idx = NearDuplicateIndex()
    t0 = time.perf_counter()
    hits = {a.id: idx.add(a.id, a.text) for a in arts}
    dt = time.perf_counter() - t0
    flagged = {i for i, m in hits.items() if m}
    tp = len(flagged & truth.keys())
    correct_link = sum(1 for i in flagged & truth.keys() if groups[hits[i][0].doc_id] == truth[i])
    print(f"ANT {len(arts)} non-empty articles, {len(truth)} exact copies, indexed in {dt:.1f}s")
    print(f"  exact-copy truth: {prf(tp, len(flagged - truth.keys()), len(truth.keys() - flagged))}; "
          f"copies linked to their own original: {correct_link}/{tp}")
    near = sorted(flagged - truth.keys())
    print(f"  flagged but not exact copies (near-duplicates to review): {len(near)}")

    # 2. Synthetic near-duplicates of real articles, queried against the ANT index with title + body.
    rng = random.Random(13)
    pool = [a for a in arts if len(_sentences(a.text)) >= 3 and a.id not in truth]
    idx2 = NearDuplicateIndex()
    for a in arts:
        idx2.add(a.id, a.title + "\n\n" + a.text)
    print(f"synthetic: {n_synth} sources x {len(KINDS)} edits, queried against the ANT index (title + body)")
    for kind in KINDS:
        tp = fp = fn = 0
        for a in rng.sample(pool, n_synth):
            other = rng.choice(pool)
            found = idx2.query(edit(a, kind, rng, other))
            ok = [m for m in found if groups[m.doc_id] == groups[a.id]]
            tp += bool(ok)
            fn += not ok
            fp += len(found) - len(ok)
        print(f"  {kind:15s} {prf(tp, fp, fn)}")
    # Negatives: different articles of the same category and day must not match each other.
    by_day: dict[tuple[str, str], list[Article]] = defaultdict(list)
    for a in pool:
        by_day[(a.category, a.time[:10])].append(a)
    pairs = fp = 0
    for group in by_day.values():
        for x, y in itertools.pairwise(group):
            if groups[x.id] == groups[y.id]:
                continue
            pairs += 1
            probe = NearDuplicateIndex()
            probe.add(x.id, x.title + "\n\n" + x.text)
            fp += bool(probe.query(y.title + "\n\n" + y.text))
    print(f"  hard negatives (same category, same day): {fp}/{pairs} pairs wrongly matched")


def inarticle(limit: int) -> None:
    """Evidence for the in-article threshold: best containment of each paragraph in an earlier one."""
    from marsad.dedup import _paragraph_unit, containment, duplicate_sentences, find_duplicate_paragraphs
    from marsad.model import Document, Provenance
    from marsad.pipeline import Pipeline

    pipe = Pipeline(["layout", "sentences"])
    arts = [a for a in load_ant() if a.text][::4] + load_marsum()  # every 4th ANT article, all of MArSum
    bins = [0] * 11
    marked = paragraphs = 0
    shown = 0
    for art in arts:
        a = pipe(Document(text=art.text, provenance=Provenance(source=art.id, format="bench"), title=art.title))
        units = [_paragraph_unit(p, a.text) for p in a.paragraphs]
        for j in range(1, len(units)):
            if len(units[j].terms) >= 6:
                best = max(containment(units[j].shingles, units[i].shingles) for i in range(j))
                bins[min(10, int(best * 10))] += 1
        found = find_duplicate_paragraphs(a)
        paragraphs += len(a.paragraphs)
        marked += len(found)
        for j, i in found.items():
            if shown < limit:
                shown += 1
                pj, pi = a.paragraphs[j - 1], a.paragraphs[i - 1]
                print(f"--- {art.id} p{j} -> p{i}\n  {a.span(pj.start, pj.end)[:200]}\n  {a.span(pi.start, pi.end)[:200]}")
    print(f"{len(arts)} articles (ANT every 4th + MArSum), {paragraphs} paragraphs, {marked} marked duplicate")
    print("best containment of a paragraph (6+ words) in an earlier one, by tenth:",
          " ".join(f"{k / 10:.1f}:{n}" for k, n in enumerate(bins)))
    # ANT's ABSTRACT repeats the lead: if a reader put both in the body, the lead must be marked.
    with_abs = [a for a in load_ant() if a.text and a.abstract][:1000]
    hit = hit_sent = 0
    for art in with_abs:
        a = pipe(Document(text=art.abstract + "\n\n" + art.text, provenance=Provenance(source=art.id, format="bench")))
        n_abs = len([p for p in a.paragraphs if p.end <= len(art.abstract)])
        found = find_duplicate_paragraphs(a)
        hit += any(j > n_abs and i <= n_abs for j, i in found.items())
        for p in a.paragraphs:
            p.duplicate_of = found.get(p.index)
        sents = a.sentences()
        hit_sent += any(sents[j].paragraph > n_abs and sents[i].paragraph <= n_abs
                        for j, i in duplicate_sentences(a).items())
    print(f"abstract + text: the text's lead is marked as restating the abstract in {hit_sent}/{len(with_abs)} "
          f"articles (whole paragraph marked in {hit}: the rest add sentences, so only the restated ones are)")


def review(limit: int) -> None:
    arts = [a for a in load_ant() if a.text]
    truth = ant_truth(arts)
    byid = {a.id: a for a in arts}
    idx = NearDuplicateIndex()
    shown = 0
    for a in arts:
        found = idx.add(a.id, a.text)
        if found and a.id not in truth and shown < limit:
            m = found[0]
            b = byid[m.doc_id]
            shown += 1
            print(f"--- {a.id} ~ {b.id} J={m.jaccard} C={m.containment} len={len(a.text)}/{len(b.text)}")
            print("  A:", _key(a.text)[:300])
            print("  B:", _key(b.text)[:300])


# ---------------------------------------------------------------------------------------------------- cost


def synthetic_corpus(real: list[Article], n: int, seed: int = 7) -> list[tuple[str, str]]:
    """n documents: 90% new texts stitched from sentences of random real articles with words swapped,
    10% edited copies of earlier ones, so the LSH sees realistic bucket sizes."""
    rng = random.Random(seed)
    sents = [s for a in real for s in _sentences(a.text) if len(s) > 40]
    words = [w for s in rng.sample(sents, 2000) for w in s.split()]
    out: list[tuple[str, str]] = []
    for i in range(n):
        if out and rng.random() < 0.1:
            base = out[rng.randrange(len(out))][1]
            text = base + " " + rng.choice(sents)
        else:
            parts = [rng.choice(sents) for _ in range(rng.randint(3, 10))]
            text = "\n".join(" ".join(w if rng.random() > 0.15 else rng.choice(words) for w in p.split())
                             for p in parts)
        out.append((f"s{i}", text))
    return out


def cost(n: int) -> None:
    real = load_ant() + load_marsum()
    real = [a for a in real if a.text]
    print(f"real corpus: {len(real)} articles (ANT + MArSum)")
    idx = NearDuplicateIndex()
    t0 = time.process_time()
    for a in real:
        idx.add(a.id, a.text)
    dt = time.process_time() - t0
    print(f"  12k real: {len(real) / dt:.0f} docs per CPU-second ({dt:.1f}s), index {len(idx.to_bytes()) / 1e6:.1f} MB serialised")
    docs = synthetic_corpus(real, n)
    idx = NearDuplicateIndex()
    step = max(1, n // 10)
    t0 = time.process_time()
    dups = 0
    print(f"synthetic {n}: docs/s per slice as the index grows (flat = linear total cost)")
    for i in range(0, n, step):
        t1, c1 = time.perf_counter(), time.process_time()
        for doc_id, text in docs[i:i + step]:
            dups += bool(idx.add(doc_id, text))
        d1, cpu = time.perf_counter() - t1, time.process_time() - c1
        print(f"  {i + step:>7d} docs: {step / cpu:6.0f} docs per CPU-second in this slice "
              f"({step / d1:.0f}/s wall on the shared machine), {dups} flagged so far", flush=True)
    total = time.process_time() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  total {total:.0f} CPU-s, {n / total:.0f} docs per CPU-second; peak RSS {rss:.0f} MB (corpus texts included); "
          f"serialised {len(idx.to_bytes()) / 1e6:.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=("quality", "cost", "review", "inarticle"))
    ap.add_argument("--n", type=int, default=100_000, help="synthetic corpus size for 'cost'")
    ap.add_argument("--synth", type=int, default=300, help="sources per edit kind for 'quality'")
    ap.add_argument("--limit", type=int, default=30, help="pairs to print for 'review'")
    args = ap.parse_args()
    {"quality": lambda: quality(args.synth), "cost": lambda: cost(args.n), "review": lambda: review(args.limit),
     "inarticle": lambda: inarticle(args.limit)}[args.what]()


if __name__ == "__main__":
    main()
