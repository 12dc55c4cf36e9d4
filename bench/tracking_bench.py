"""Ingest-time duplicates and stories: store.add cost with and without tracking, restart cost, on real news.

Reads the 12,142 articles (ANT Jawhara FM + MArSum Goud), analyses them batch by batch with the foundation
stages (layout, sentences, paragraph dedup) and stores each batch twice — once in a store with tracking
off, once with it on — timing ``store.add`` (CPU seconds, the machine is shared). Then measures the cost of
rebuilding the tracker after a restart (a new process's first ``add``), the upgrade path (observing a
whole schema-v2-like archive from its stored JSON), and the reads behind ``marsad duplicates/stories``.

    nice -n 10 .venv/bin/python bench/tracking_bench.py [--data DIR] [--limit N] [--batch 200]
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from marsad.errors import MarsadError
from marsad.ingest import read
from marsad.pipeline import Pipeline
from marsad.store import tracking
from marsad.store.sqlite import SQLiteStore


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.environ.get("MARSAD_DATA",
                                                     str(Path(__file__).resolve().parents[2] / "shared" / "data")))
    ap.add_argument("--limit", type=int, default=0, help="stop after N articles (0 = all)")
    ap.add_argument("--batch", type=int, default=200, help="articles per store transaction (marsad ingest: 200)")
    args = ap.parse_args()
    news = Path(args.data) / "news"
    docs = []
    for item in read([str(news / "ant_jawharafm"), str(news / "marsum_goud")]):
        if isinstance(item, MarsadError):
            continue
        docs.append(item)
        if args.limit and len(docs) >= args.limit:
            break
    n = len(docs)
    pipeline = Pipeline(["layout", "sentences", "paragraph_dedup"])
    print(f"articles: {n}")
    with tempfile.TemporaryDirectory() as tmp:
        plain = SQLiteStore(Path(tmp) / "plain.db", track=False)
        tracked = SQLiteStore(Path(tmp) / "tracked.db")
        c_plain = c_tracked = 0.0
        for k in range(0, n, args.batch):
            batch = [pipeline(d) for d in docs[k:k + args.batch]]
            c0 = time.process_time()
            plain.add(batch)
            c1 = time.process_time()
            tracked.add(batch)
            c_plain, c_tracked = c_plain + c1 - c0, c_tracked + time.process_time() - c1
        print(f"store.add without tracking: {c_plain:.2f} s CPU = {n / c_plain:.0f} articles/s per core")
        print(f"store.add with tracking:    {c_tracked:.2f} s CPU = {n / c_tracked:.0f} articles/s per core "
              f"(tracking alone {(c_tracked - c_plain) / n * 1000:.2f} ms per article = "
              f"{n / (c_tracked - c_plain):.0f} articles/s per core)")
        st = tracked.stats()
        db = tracked._db
        dups = db.execute("SELECT count(*) FROM near_duplicates").fetchone()[0]
        stories = db.execute("SELECT count(*), sum(n_articles > 1) FROM stories").fetchone()
        print(f"near-duplicate articles: {dups}; stories: {stories[0]} ({stories[1]} with 2+ articles); "
              f"store {st['db_bytes'] / 1e6:.1f} MB vs {plain.size_bytes() / 1e6:.1f} MB without tracking")
        tracked.close()
        plain.close()
        sizes = {name: os.path.getsize(Path(tmp) / f"{name}.db") / 1e6 for name in ("plain", "tracked")}
        with sqlite3.connect(Path(tmp) / "tracked.db") as con:
            tables = con.execute("SELECT name, sum(pgsize) FROM dbstat WHERE name IN ('doc_signatures', "
                                 "'near_duplicates', 'stories', 'story_members', 'story_df', 'tracker_meta') "
                                 "OR name LIKE 'sqlite_autoindex_st%' OR name LIKE 'story_%' OR name LIKE "
                                 "'sqlite_autoindex_doc_sig%' GROUP BY name ORDER BY 2 DESC").fetchall()
        print(f"files after close: tracked {sizes['tracked']:.1f} MB, plain {sizes['plain']:.1f} MB; tracking "
              "tables: " + ", ".join(f"{n} {b / 1e6:.1f} MB" for n, b in tables))

        reopened = SQLiteStore(Path(tmp) / "tracked.db")
        c0, t0 = time.process_time(), time.perf_counter()
        state = tracking.load(reopened._db)
        print(f"restart: tracker rebuilt from rows in {time.perf_counter() - t0:.2f} s wall, "
              f"{time.process_time() - c0:.2f} s CPU ({len(state.tracker.duplicates)} signatures, "
              f"{len(state.tracker.stories)} stories, {len(state.tracker.stories._df)} df terms)")
        c0 = time.process_time()
        groups = reopened.near_duplicate_groups()
        c1 = time.process_time()
        listed = reopened.list_stories(min_articles=2)
        print(f"reads: near_duplicate_groups {len(groups)} groups in {c1 - c0:.2f} s CPU; "
              f"list_stories(min_articles=2) {len(listed)} in {time.process_time() - c1:.2f} s CPU")
        reopened.close()

        upgraded = SQLiteStore(Path(tmp) / "plain.db")  # tracking tables empty: the v2 -> v3 upgrade path
        c0 = time.process_time()
        done = upgraded.update_tracking()
        print(f"upgrade: {done} stored articles observed from their JSON in {time.process_time() - c0:.2f} s CPU")
        upgraded.close()
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
