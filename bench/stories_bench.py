"""Story clustering over the 12,142 articles (ANT + MArSum): sizes, a seeded sample of stories with their
members and nearest non-members (to hand-check purity and missed merges), and cost as the archive grows.

    nice -n 10 .venv/bin/python bench/stories_bench.py sample --n 30     # print stories to check by hand
    nice -n 10 .venv/bin/python bench/stories_bench.py cost --n 100000   # synthetic dated corpus
    nice -n 10 .venv/bin/python bench/stories_bench.py tracker           # ingest hook on the 12k

Features are title + body search terms only (no entities: NER is not run here, so the figures are for
the text signal alone; entities add to the score when the pipeline provides them).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dedup_bench import load_ant, load_marsum, synthetic_corpus  # noqa: E402

from marsad.stories import ArticleFeatures, StoryClusterer, _unit, cluster  # noqa: E402
from marsad.text import search_terms  # noqa: E402


def features() -> tuple[list[ArticleFeatures], dict[str, tuple[str, str]]]:
    arts = [a for a in load_ant() + load_marsum() if a.text]
    feats = [ArticleFeatures(a.id, search_terms(a.title + "\n" + a.text), a.title, a.time or None, a.source)
             for a in arts]
    return feats, {a.id: (a.title, a.text) for a in arts}


def sample(n: int, seed: int) -> None:
    t0 = time.process_time()
    feats, texts = features()
    t1 = time.process_time()
    c = cluster(feats)
    t2 = time.process_time()
    sizes = Counter(len(s.articles) for s in c.stories.values())
    multi = [s for s in c.stories.values() if len(s.articles) > 1]
    print(f"{len(feats)} articles -> {len(c)} stories ({len(multi)} with 2+ articles, "
          f"{sum(len(s.articles) for s in multi)} articles in them); features {t1 - t0:.0f} CPU-s, "
          f"clustering {t2 - t1:.1f} CPU-s ({len(feats) / (t2 - t1):.0f} articles per CPU-second)")
    print("size histogram:", dict(sorted(sizes.items())[:12]), "largest:", max(sizes))
    byid = {f.id: f for f in feats}
    rng = random.Random(seed)
    for s in sorted(rng.sample(multi, min(n, len(multi))), key=lambda s: s.id):
        print(f"\n=== {s.id} [{s.first} .. {s.last}] {len(s.articles)} articles; key terms: {' '.join(s.key_terms(6))}")
        for a in s.articles[:8]:
            print(f"   + {a}: {texts[a][0][:110]}")
        # nearest non-members (same IDF as the end state): candidates for missed merges
        cen = _unit(s.centroid)
        near = []
        for f in feats:
            if c.story_of[f.id] == s.id or not f.published or not s.first:
                continue
            if abs((datetime.fromisoformat(f.published[:10]) - datetime.fromisoformat(s.first[:10])).days) > 3:
                continue
            v = c.vector(f.terms)
            near.append((sum(x * cen.get(t, 0.0) for t, x in v.items()), f.id))
        for score, fid in sorted(near, reverse=True)[:3]:
            print(f"   ? {score:.2f} {fid} ({c.story_of[fid]}): {byid[fid].title[:100]}")


def cost(n: int) -> None:
    real = [a for a in load_ant() if a.text]
    docs = synthetic_corpus(real, n)
    rng = random.Random(3)
    start = datetime(2017, 1, 1)
    # about 300 articles a day, in date order, as a news archive arrives
    feats = [ArticleFeatures(i, search_terms(t), t[:60], (start + timedelta(minutes=5 * k + rng.randrange(5))).isoformat())
             for k, (i, t) in enumerate(docs)]
    c = StoryClusterer()
    step = max(1, n // 10)
    print(f"synthetic {n}: clustering rate per slice as the archive grows (flat = linear total cost)")
    for i in range(0, n, step):
        c0 = time.process_time()
        for f in feats[i:i + step]:
            c.add(f)
        cpu = time.process_time() - c0
        print(f"  {i + step:>7d} articles: {step / cpu:6.0f} per CPU-second, {len(c)} stories, "
              f"{sum(len(v) for v in c._index.values())} index postings", flush=True)


def tracker() -> None:
    """Ingest-time cost with dedup + stories on: IngestTracker.observe over the 12k real articles, after the
    layout, sentences and paragraph_dedup stages (timed separately)."""
    from marsad.model import Document, Provenance
    from marsad.pipeline import Pipeline
    from marsad.stories import IngestTracker

    arts = [a for a in load_ant() + load_marsum() if a.text]
    arts.sort(key=lambda a: (not a.time, a.time, a.id))
    pipe = Pipeline(["layout", "sentences", "paragraph_dedup"])
    c0 = time.process_time()
    analyses = [pipe(Document(text=a.text, provenance=Provenance(source=a.id, format="bench"), title=a.title,
                              published=a.time or None, site=a.source)) for a in arts]
    c1 = time.process_time()
    t = IngestTracker()
    copies = 0
    for a, an in zip(arts, analyses):
        copies += t.observe(a.id, an).canonical is not None
    c2 = time.process_time()
    blob = t.to_bytes()
    print(f"{len(arts)} articles: layout+sentences+paragraph_dedup {len(arts) / (c1 - c0):.0f}/CPU-s; "
          f"IngestTracker.observe (near-duplicates + stories) {len(arts) / (c2 - c1):.0f}/CPU-s; "
          f"{copies} copies linked to a canonical, {len(t.stories)} stories; blob {len(blob) / 1e6:.1f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=("sample", "cost", "tracker"))
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    {"sample": lambda: sample(args.n, args.seed), "cost": lambda: cost(args.n), "tracker": tracker}[args.what]()


if __name__ == "__main__":
    main()
