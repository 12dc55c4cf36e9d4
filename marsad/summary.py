"""Extractive Arabic summaries: pick the article's most central sentences, never a duplicate.

A sentence's score mixes three signals, all over clitic-split, normalised stems (``marsad.text`` rules):

1. centrality — mean TF-IDF cosine to the other sentences (IDF over the article's own sentences, so
   words that occur everywhere, function words included, weigh little);
2. overlap with the title, when the source gave one;
3. a position prior — news puts the point first (the lead sentence is a strong baseline on its own).

Sentences are then taken best first, skipping any that nearly repeats one already taken, and returned
in text order. Sentences in paragraphs marked ``duplicate_of``, or restating an earlier sentence
(:func:`marsad.dedup.duplicate_sentences`), are never candidates.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from marsad.dedup import duplicate_sentences
from marsad.model import Analysis, Sentence
from marsad.text import fold, search_terms

#: Default number of summary sentences (``summarize(a, sentences=n)`` to change).
SUMMARY_SENTENCES = 3
#: Weights of the three signals, chosen on the first 500 MArSum rows (bench/summary_eval.py --tune).
TITLE_WEIGHT = 0.5
POSITION_WEIGHT = 0.8
#: Candidates with fewer words are scaled down: datelines, bylines, "read also" fragments.
MIN_WORDS = 6
#: A sentence this similar (cosine) to one already chosen adds nothing.
REDUNDANCY = 0.6

Vector = dict[str, float]


def sentence_terms(s: Sentence, raw: str) -> list[str]:
    """Search terms of a sentence (from its tokens when present)."""
    if s.tokens:
        return [fold(t.stem, ta_marbuta=True) for t in s.tokens if t.is_word]
    return search_terms(raw[s.start:s.end])


def _vectors(units: Sequence[Sequence[str]]) -> list[Vector]:
    n = len(units)
    df = Counter(t for u in units for t in set(u))
    vecs = []
    for u in units:
        tf = Counter(t for t in u if len(t) > 1)
        v = {t: c * math.log((n + 1) / (df[t] + 0.5)) for t, c in tf.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vecs.append({t: x / norm for t, x in v.items()})
    return vecs


def cosine(a: Vector, b: Vector) -> float:
    """Cosine of two unit-length sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(t, 0.0) for t, x in a.items())


def rank(units: Sequence[Sequence[str]], *, title: Sequence[str] = (), positions: Sequence[int] | None = None,
         title_weight: float = TITLE_WEIGHT, position_weight: float = POSITION_WEIGHT) -> list[float]:
    """Score each unit (a sentence's terms); higher is more summary-worthy."""
    if not units:
        return []
    vecs = _vectors(list(units) + ([list(title)] if title else []))
    tvec = vecs.pop() if title else None
    n = len(units)
    positions = list(positions) if positions is not None else list(range(n))
    scores = []
    for i, v in enumerate(vecs):
        central = sum(cosine(v, w) for j, w in enumerate(vecs) if j != i) / max(1, n - 1)
        s = central + (title_weight * cosine(v, tvec) if tvec else 0.0)
        s += position_weight / math.sqrt(1 + positions[i])
        if len(units[i]) < MIN_WORDS:
            s *= 0.5
        scores.append(s)
    return scores


def select(units: Sequence[Sequence[str]], n: int = SUMMARY_SENTENCES, **kw: object) -> list[int]:
    """Indices (into ``units``) of the ``n`` best non-redundant units, in their original order."""
    scores = rank(units, **kw)  # type: ignore[arg-type]
    vecs = _vectors(units)
    order = sorted(range(len(units)), key=lambda i: (-scores[i], i))
    chosen: list[int] = []
    for i in order:
        if len(chosen) >= n:
            break
        if not units[i] or any(cosine(vecs[i], vecs[j]) > REDUNDANCY for j in chosen):
            continue
        chosen.append(i)
    return sorted(chosen)


def candidates(a: Analysis) -> list[int]:
    """Indices into ``a.sentences()`` that a summary may use (not in or restating a duplicate)."""
    dup_paragraphs = {p.index for p in a.paragraphs if p.duplicate_of is not None}
    dup_sentences = duplicate_sentences(a)
    return [i for i, s in enumerate(a.sentences()) if s.paragraph not in dup_paragraphs and i not in dup_sentences]


def summarize(a: Analysis, *, sentences: int = SUMMARY_SENTENCES) -> Analysis:
    """Pipeline stage: fill ``a.summary`` with up to ``sentences`` indices into ``a.sentences()``."""
    all_sentences = a.sentences()
    keep = candidates(a)
    units = [sentence_terms(all_sentences[i], a.text) for i in keep]
    title = search_terms(a.title) if a.title else ()
    picked = select(units, sentences, title=title)
    a.summary = [keep[i] for i in picked]
    return a


def lead(a: Analysis, *, sentences: int = SUMMARY_SENTENCES) -> list[int]:
    """The lead baseline: the first ``sentences`` candidate sentences."""
    return candidates(a)[:sentences]
