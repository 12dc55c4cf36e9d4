"""Entity table build time: from every stored analysis JSON (``iter_documents``) vs the entity/mention rows
(``iter_entity_rows``), on a store ingested with the full pipeline (linking included).

    nice -n 10 .venv/bin/python bench/entity_rows_bench.py --db /tmp/news_link_copy.db
"""

from __future__ import annotations

import argparse
import time

from marsad.nlp.entity_table import EntityTable
from marsad.store import open_store


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True, help="an ingested store (it is upgraded in place to the current schema)")
    args = ap.parse_args()
    with open_store(args.db, create=False) as store:
        for name, rows in (("iter_documents (JSON)", store.iter_documents), ("iter_entity_rows", store.iter_entity_rows)):
            c0, t0 = time.process_time(), time.perf_counter()
            n = sum(1 for _ in rows())
            c1 = time.process_time()
            table = EntityTable.build(rows())
            c2 = time.process_time()
            top = [e.summary() for e in table.top(n=100)]
            print(f"{name}: {n} documents read in {c1 - c0:.2f} s CPU; read + build {c2 - c1:.2f} s CPU "
                  f"({time.perf_counter() - t0:.1f} s wall for both); {len(table.entities)} corpus entities; "
                  f"top-100 fingerprint {hash(str([(e['canonical'], e['articles'], e['mentions']) for e in top]))}")


if __name__ == "__main__":
    main()
