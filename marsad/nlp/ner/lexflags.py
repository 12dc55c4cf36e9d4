"""Lexicon evidence that a word is not an ordinary Arabic word, from qalsadi/arramooz, precomputed at train time.

qalsadi is too slow for the run-time path, so the flags of the raw-text vocabulary (the words that have
clusters) ship as ``lexicon.tsv.gz``: ``unk`` (no analysis: غانتس, هاروف), ``prop`` (the dictionary knows it
as a proper noun), ``known`` (an ordinary word). Words outside that vocabulary get ``oov`` at run time,
exactly as in training.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterable
from pathlib import Path


def flag(analyzer: object, word: str) -> str:
    """unk / prop / known for one normalised word."""
    try:
        results = analyzer.check_word(word)  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - qalsadi raises assorted errors on odd input; treat as no analysis
        return "unk"
    kinds = [r.get_type() for r in results]
    if not kinds or all(k == "unknown" for k in kinds):
        return "unk"
    if any("noun_prop" in k for k in kinds):
        return "prop"
    return "known"


def build(words: Iterable[str], out: Path, progress: Callable[[str], None] = lambda s: None) -> int:
    """Flag every Arabic word of ``words`` with qalsadi and write the map (deterministic bytes)."""
    import qalsadi.analex

    analyzer = qalsadi.analex.Analex()
    rows = []
    words = sorted({w for w in words if w and "\u0621" <= w[0] <= "\u064a"})
    for i, w in enumerate(words):
        if i % 10_000 == 0:
            progress(f"lexicon flags: {i}/{len(words)}")
        rows.append(f"{w}\t{flag(analyzer, w)}\n")
    with open(out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as fh:
        fh.write("".join(rows).encode("utf-8"))
    return len(rows)
