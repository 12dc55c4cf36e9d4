"""Context profiles from the raw text: how often a word follows a person/place/organisation trigger.

A name never seen in training still shows up in the raw news after الرئيس, قال, مدينة or شركة; those
rates, binned, are CRF features (``pp=``, ``lp=``, ``op=``), as is how often the word takes the article
(``ar=``; names rarely do, common nouns often). Built with the clusters, for the same vocabulary.
"""

from __future__ import annotations

import gzip
import math
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from marsad.nlp.ner.features import _TRIGGER_OF


def _bin(k: int, n: int) -> str:
    """A rate k/n as a coarse log bin: 0, 1 (<1%), 2 (<5%), 3 (<20%), 4 (>=20%)."""
    if k == 0:
        return "0"
    r = k / n
    return "1" if r < 0.01 else "2" if r < 0.05 else "3" if r < 0.2 else "4"


def build(sentences: Iterable[list[tuple[str, bool]]], vocab: set[str], out: Path, *, min_count: int = 5) -> int:
    """Count trigger contexts of ``vocab`` words over (stem, has_article) sentences and write binned rates."""
    n: Counter[str] = Counter()
    art: Counter[str] = Counter()
    ctx: dict[str, Counter[str]] = {"PT": Counter(), "PV": Counter(), "LT": Counter(), "OT": Counter()}
    for sent in sentences:
        prev = ""
        for stem, article in sent:
            if stem in vocab:
                n[stem] += 1
                if article:
                    art[stem] += 1
                kind = _TRIGGER_OF.get(prev)
                if kind in ctx:
                    ctx[kind][stem] += 1
            prev = stem
    rows = []
    for w in sorted(n):
        c = n[w]
        if c < min_count:
            continue
        bins = [_bin(ctx[k][w], c) for k in ("PT", "PV", "LT", "OT")] + [_bin(art[w], c)]
        rows.append(f"{w}\t{''.join(bins)}\t{min(9, int(math.log2(c)))}\n")
    with open(out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as fh:
        fh.write("".join(rows).encode("utf-8"))
    return len(rows)
