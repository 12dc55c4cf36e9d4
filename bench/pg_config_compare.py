"""PostgreSQL text-search configurations on Marsad's own index terms: 'simple' (what the store uses) vs
'arabic' (Snowball stemmer on top). Distinct lexemes, tsvector build time, and hit counts of the 20 store
benchmark queries, over the term strings of a spark-ingest / scale_bench Parquet output.

    .venv/bin/python bench/pg_config_compare.py /tmp/scale/single_1000 postgresql://postgres@127.0.0.1:55440/postgres
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import psycopg
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))
from search_bench import QUERIES

from marsad.store.pg_query import compile_pg

WORDS = ("اتفاق", "اتفاقيات", "وزير", "وزراء", "الانتخابات", "مهرجان", "مهرجانات", "تونس", "تونسي")


def main() -> None:
    folder, url = sys.argv[1], sys.argv[2]
    rows = pq.read_table(Path(folder) / "documents", columns=["doc", "title_terms", "body_terms"]).to_pylist()
    with psycopg.connect(url, autocommit=True) as db:
        db.execute("CREATE TEMP TABLE cfgcmp (doc text, body text)")
        with db.cursor() as cur, cur.copy("COPY cfgcmp (doc, body) FROM STDIN") as cp:
            for r in rows:
                cp.write_row((r["doc"], f"{r['title_terms'] or ''} {r['body_terms'] or ''}"))
        for cfg in ("simple", "arabic"):
            n = db.execute("SELECT count(DISTINCT w) FROM cfgcmp, "
                           f"unnest(tsvector_to_array(to_tsvector('{cfg}', body))) w").fetchone()[0]
            t0 = time.perf_counter()
            db.execute(f"SELECT sum(length(to_tsvector('{cfg}', body))) FROM cfgcmp").fetchone()
            print(f"{cfg}: {n} distinct lexemes over {len(rows)} documents; tsvectors built in "
                  f"{time.perf_counter() - t0:.2f} s")
        differ = 0
        for query, _ in QUERIES:
            m = compile_pg(query).match
            counts = [db.execute(f"SELECT count(*) FROM cfgcmp WHERE to_tsvector('{c}', body) @@ "
                                 f"to_tsquery('{c}', %s)", (m,)).fetchone()[0] for c in ("simple", "arabic")]
            differ += counts[0] != counts[1]
            print(f"{query:32} simple {counts[0]:5}  arabic {counts[1]:5}")
        print(f"queries whose hit count differs: {differ} of {len(QUERIES)}")
        for w in WORDS:
            print(w, *db.execute("SELECT to_tsvector('simple', %s)::text, to_tsvector('arabic', %s)::text",
                                 (w, w)).fetchone())


if __name__ == "__main__":
    main()
