"""Near-duplicate detection: inside one article (paragraphs, sentences) and across articles (MinHash LSH).

Both levels compare sets of word shingles built from :func:`marsad.text.search_terms` (normalised, ة folded,
clitics split), so punctuation, diacritics, hamza forms and و/ب/ال prefixes never hide a copy.

* Inside an article a paragraph is a near-duplicate of an earlier one when most of its shingles occur in
  that earlier paragraph (*containment*, not Jaccard: a restated sentence is short, the paragraph it was
  taken from may be long). The seed's paragraph 9 is one sentence of paragraph 6 with two edits.
* Across articles :class:`NearDuplicateIndex` keeps one MinHash per document in an LSH index and answers,
  as each document is added, which earlier documents it nearly repeats (syndicated copies, re-posts with
  a new headline or a trailing paragraph). It is incremental; the store keeps its signatures in tables.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from datasketch import MinHash, MinHashLSH

from marsad.model import Analysis, Paragraph, Sentence
from marsad.text import fold, search_terms

#: Word n-gram size for in-article comparison. Bigrams survive a one-word edit better than trigrams on
#: short units (a 30-word sentence with 2 edits keeps ~83% of its bigrams, ~78% of its trigrams).
PARAGRAPH_SHINGLE = 2
#: A unit is a restatement when at least this share of its shingles occurs in one earlier unit. Chosen
#: on evidence (``bench/dedup_bench.py inarticle``, docs/benchmarks.md): the seed's restatement scores
#: 0.83; over 7,782 paragraphs of 4,516 real articles, scores in 0.5-0.8 were all templated list items
#: (phone specs, per-region figures, fixtures), 0.3-0.5 unrelated paragraphs.
CONTAINMENT_THRESHOLD = 0.7
#: Units with fewer words are only marked when they repeat an earlier unit exactly (after folding):
#: with 3 or 4 words, one shared phrase would already give high containment.
MIN_WORDS = 6


def unit_terms(text: str) -> list[str]:
    """The comparison terms of a stretch of text (the project's search terms)."""
    return search_terms(text)


def _sentence_terms(s: Sentence, raw: str) -> list[str]:
    """Search terms of a sentence, from its tokens when the sentence layer made them."""
    if s.tokens:
        return [fold(t.stem, ta_marbuta=True) for t in s.tokens if t.is_word]
    return unit_terms(raw[s.start:s.end])


def shingles(terms: Sequence[str], k: int = PARAGRAPH_SHINGLE) -> set[str]:
    """Set of word k-grams (the whole sequence as one shingle when shorter than k)."""
    if len(terms) < k:
        return {" ".join(terms)} if terms else set()
    return {" ".join(terms[i:i + k]) for i in range(len(terms) - k + 1)}


def containment(part: set[str], whole: set[str]) -> float:
    """Share of ``part``'s shingles found in ``whole`` (0 when ``part`` is empty)."""
    return len(part & whole) / len(part) if part else 0.0


@dataclass(slots=True)
class _Unit:
    terms: list[str]
    shingles: set[str]


def _paragraph_unit(p: Paragraph, raw: str) -> _Unit:
    if p.sentences:
        terms = [t for s in p.sentences for t in _sentence_terms(s, raw)]
    else:
        terms = unit_terms(raw[p.start:p.end])
    return _Unit(terms, shingles(terms))


def _restates(unit: _Unit, earlier: _Unit, threshold: float) -> float:
    """Containment of ``unit`` in ``earlier`` if it counts as a restatement, else 0."""
    if not unit.terms:
        return 0.0
    if len(unit.terms) < MIN_WORDS:
        return 1.0 if unit.terms == earlier.terms else 0.0
    # A different figure is a different fact (a list of specs or results, a corrected toll), not a repeat.
    if any(t.isdigit() for t in unit.terms) and {t for t in unit.terms if t.isdigit()} - set(earlier.terms):
        return 0.0
    c = containment(unit.shingles, earlier.shingles)
    return c if c >= threshold else 0.0


def find_duplicate_paragraphs(a: Analysis, *, threshold: float = CONTAINMENT_THRESHOLD) -> dict[int, int]:
    """Map paragraph index -> index of the earlier original it restates (1-based, originals only)."""
    units = [_paragraph_unit(p, a.text) for p in a.paragraphs]
    found: dict[int, int] = {}
    for j, p in enumerate(a.paragraphs):
        best, best_score = None, 0.0
        for i in range(j):
            if a.paragraphs[i].index in found:  # compare with originals; a copy of a copy points home
                continue
            score = _restates(units[j], units[i], threshold)
            if score > best_score:
                best, best_score = a.paragraphs[i].index, score
        if best is not None:
            found[p.index] = best
    return found


def mark_duplicate_paragraphs(a: Analysis) -> Analysis:
    """Pipeline stage: set ``Paragraph.duplicate_of`` on paragraphs restating an earlier paragraph."""
    found = find_duplicate_paragraphs(a)
    for p in a.paragraphs:
        p.duplicate_of = found.get(p.index)
    return a


def duplicate_sentences(a: Analysis, *, threshold: float = CONTAINMENT_THRESHOLD) -> dict[int, int]:
    """Map index into ``a.sentences()`` -> index of the earlier sentence it restates.

    Every sentence of a paragraph marked ``duplicate_of`` counts (pointing to the most similar sentence
    of the original), and so does any other sentence contained in an earlier sentence or paragraph.
    """
    sentences = a.sentences()
    units = []
    for s in sentences:
        terms = _sentence_terms(s, a.text)
        units.append(_Unit(terms, shingles(terms)))
    para_of = {p.index: p for p in a.paragraphs}
    first_sentence: dict[int, int] = {}
    for k, s in enumerate(sentences):
        first_sentence.setdefault(s.paragraph, k)
    para_units = {p.index: _Unit([t for k in range(len(sentences)) if sentences[k].paragraph == p.index
                                  for t in units[k].terms], set()) for p in a.paragraphs}
    for u in para_units.values():
        u.shingles = shingles(u.terms)
    found: dict[int, int] = {}
    for j, s in enumerate(sentences):
        if not units[j].terms:
            continue
        par = para_of.get(s.paragraph)
        forced = par is not None and par.duplicate_of is not None
        best, best_score = None, 0.0
        for i in range(j):
            if i in found:
                continue
            c = containment(units[j].shingles, units[i].shingles) if units[i].shingles else 0.0
            if c > best_score:
                best, best_score = i, c
        hit = best is not None and (forced or _restates(units[j], units[best], threshold) > 0)
        if not hit and not forced:  # restated across an earlier paragraph's sentence boundary
            for pi, pu in para_units.items():
                k0 = first_sentence.get(pi)
                if k0 is None or k0 >= j or pi == s.paragraph:
                    continue
                if _restates(units[j], pu, threshold) > 0:
                    cands = [k for k in range(k0, j) if sentences[k].paragraph == pi and k not in found]
                    if cands:
                        best = max(cands, key=lambda k: containment(units[j].shingles, units[k].shingles))
                        hit = True
                        break
        if hit and best is not None:
            found[j] = best
    return found


# ----------------------------------------------------------------------------------------------------
# Across articles


#: Word n-gram size for whole documents: trigrams make two unrelated articles on one topic look unlike.
DOCUMENT_SHINGLE = 3
NUM_PERM = 128
#: LSH candidate threshold (estimated Jaccard) and the verdicts applied to candidates.
LSH_THRESHOLD = 0.4
JACCARD_THRESHOLD = 0.5
CONTAINMENT_DOC_THRESHOLD = 0.8  # a copy with paragraphs dropped: most of it inside the longer one
MIN_SHINGLES = 8  # shorter texts only match exactly


def _hash32(b: bytes) -> int:
    """Stable 32-bit hash (Python's own hash() is salted per process, which would break saved indexes)."""
    return int.from_bytes(hashlib.blake2b(b, digest_size=4).digest(), "little")


def index_text(a: Analysis) -> str:
    """What cross-article dedup compares: the body paragraphs (no headline, counters or related links, so
    a re-post under a new headline is still a copy); the raw text when layout found no paragraphs."""
    if not a.paragraphs:
        return a.text
    return "\n\n".join(a.span(p.start, p.end) for p in a.paragraphs)


def record_text(d: dict[str, Any]) -> str:
    """:func:`index_text` for a stored article (``Analysis.to_dict()`` as the store returns it)."""
    return "\n\n".join(str(p["text"]) for p in d.get("paragraphs") or [])


def document_shingles(text: str, k: int = DOCUMENT_SHINGLE) -> set[str]:
    """Word k-gram shingles of a whole document's normalised search terms."""
    return shingles(unit_terms(text), k)


@dataclass(slots=True)
class Match:
    """An earlier document that the new one nearly repeats."""

    doc_id: str
    jaccard: float  # estimated from MinHash signatures
    containment: float  # estimated share of the smaller document inside the larger one

    def __iter__(self):  # (id, jaccard) unpacking, as the interface promises
        yield self.doc_id
        yield self.jaccard


class NearDuplicateIndex:
    """Incremental near-duplicate finder over documents: MinHash signatures in an LSH index."""

    def __init__(self, *, num_perm: int = NUM_PERM, threshold: float = LSH_THRESHOLD,
                 jaccard: float = JACCARD_THRESHOLD, containment: float = CONTAINMENT_DOC_THRESHOLD) -> None:
        self.num_perm = num_perm
        self.jaccard = jaccard
        self.containment = containment
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._sigs: dict[str, np.ndarray] = {}  # uint32 signatures, for the estimate after an LSH hit
        self._sizes: dict[str, int] = {}  # shingle-set sizes, to turn Jaccard into containment
        self._exact: dict[str, str] = {}  # digest of the shingle set -> first doc id (short texts too)

    def __len__(self) -> int:
        return len(self._sizes)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._sizes

    def signature(self, text: str) -> tuple[MinHash, int, str]:
        """MinHash, shingle count and exact digest of ``text``."""
        sh = document_shingles(text)
        m = MinHash(num_perm=self.num_perm, hashfunc=_hash32)
        m.update_batch([s.encode("utf-8") for s in sh])
        digest = hashlib.blake2b("\n".join(sorted(sh)).encode("utf-8"), digest_size=16).hexdigest()
        return m, len(sh), digest

    def query(self, text: str) -> list[Match]:
        """Earlier documents that ``text`` nearly repeats, best first (does not add it)."""
        m, size, digest = self.signature(text)
        return self._matches(m, size, digest)

    def _matches(self, m: MinHash, size: int, digest: str) -> list[Match]:
        out: dict[str, Match] = {}
        if digest in self._exact and size:
            out[self._exact[digest]] = Match(self._exact[digest], 1.0, 1.0)
        if size >= MIN_SHINGLES:
            hv = m.hashvalues.astype(np.uint32)
            for other in self._lsh.query(m):
                if other in out:
                    continue
                j = float(np.mean(self._sigs[other] == hv))
                n = self._sizes[other]
                # |A∩B| = J(|A|+|B|)/(1+J); containment of the smaller set in the larger
                c = min(1.0, j * (size + n) / ((1 + j) * max(1, min(size, n))))
                if j >= self.jaccard or c >= self.containment:
                    out[other] = Match(other, round(j, 3), round(c, 3))
        return sorted(out.values(), key=lambda x: (-x.jaccard, x.doc_id))

    def add(self, doc_id: str, text: str) -> list[Match]:
        """Add a document; return the earlier documents it nearly repeats, best first.

        Re-adding a known id is a no-op that returns no matches (re-ingesting the same content).
        """
        if doc_id in self._sizes:
            return []
        m, size, digest = self.signature(text)
        found = self._matches(m, size, digest)
        self._exact.setdefault(digest, doc_id)
        self._sizes[doc_id] = size
        if size >= MIN_SHINGLES:
            self._sigs[doc_id] = m.hashvalues.astype(np.uint32)
            self._lsh.insert(doc_id, m, check_duplication=False)
        return found

    def add_many(self, docs: Iterable[tuple[str, str]]) -> dict[str, list[Match]]:
        """Add several ``(doc_id, text)`` pairs in order; map each id with matches to its matches."""
        out: dict[str, list[Match]] = {}
        for doc_id, text in docs:
            found = self.add(doc_id, text)
            if found:
                out[doc_id] = found
        return out

