"""Cross-article entity table for hand review: top people and places after ingesting a corpus.

Usage: .venv/bin/python bench/entity_review.py --db news.db [--relink] [--top 50] > review.tsv

``--relink`` re-runs the current linking stage on the stored mentions (reads the raw text from the SQLite
``contents`` table), so a linking change can be reviewed without re-running NER over the corpus.
Prints one TSV row per entity: rank, type, canonical, articles, mentions, attached-by-surname count, and
the top variants with counts — the columns the reviewer marks for wrong and missed merges.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from typing import Any

from marsad.model import Analysis, Document, Mention, Provenance
from marsad.nlp.entity_table import EntityTable
from marsad.nlp.link import link_entities
from marsad.store import open_store

_MENTION_FIELDS = ("type", "start", "end", "text", "paragraph", "normalized", "confidence", "source", "value",
                   "currency", "unit", "resolved")


def relinked(db: str, docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The stored documents with entities recomputed by the current linking stage."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    texts = dict(con.execute("SELECT d.id, c.text FROM documents d JOIN contents c ON c.doc = d.pk"))
    out = []
    for d in docs:
        a = Analysis(Document(texts[d["id"]], Provenance(d["id"], "stored")))
        a.mentions = [Mention(**{k: m.get(k) for k in _MENTION_FIELDS if k in m}) for m in d["entities"]]
        link_entities(a)
        full = a.to_dict()
        out.append({**d, "entities": full["entities"], "canonical_entities": full["canonical_entities"]})
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--top", type=int, default=50)
    ap.add_argument("--relink", action="store_true")
    args = ap.parse_args()
    t0 = time.perf_counter()
    with open_store(args.db, create=False) as store:
        docs = list(store.iter_documents())
    if args.relink:
        docs = relinked(args.db, docs)
    table = EntityTable.build(docs)
    print(f"# {len(docs)} articles, {len(table.entities)} corpus entities, "
          f"{sum(len(e.via_surname) for e in table.entities.values())} surname attachments, "
          f"{time.perf_counter() - t0:.1f} s", file=sys.stderr)
    for kind in ("PERSON", "PLACE"):
        for rank, e in enumerate(table.top(type=kind, n=args.top), 1):
            variants = " ، ".join(f"{v} ({n})" for v, n in e.variants.most_common(8))
            print("\t".join([str(rank), kind, e.canonical, str(len(e.docs)), str(e.mentions),
                             str(len(e.via_surname)), e.country or "", variants]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
