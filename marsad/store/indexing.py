"""Backend-independent indexing helpers: index terms with raw offsets, and snippets cut from raw text.

The index holds ``marsad.text.search_terms`` output (normalised, clitic-split). To show users raw Arabic,
each body term keeps the raw ``[start, end)`` of the word it came from, so a match found in the normalised
index maps straight back to the original characters.
"""

from __future__ import annotations

import re
from array import array

from marsad.model import Analysis, Token
from marsad.text import search_terms, tokenize

#: highlight() markers used between the backend and this module; never inside a term.
OPEN, CLOSE = "\x01", "\x02"

_TERMS_CACHE: dict[str, tuple[str, ...]] = {}
_CACHE_MAX = 300_000  # distinct raw words; ~30 MB worst case, then start over
_SPACES = re.compile(r"\s+")


def word_terms(word: str) -> tuple[str, ...]:
    """``search_terms`` of one raw word, memoised (news vocabulary repeats; this is the ingest hot path)."""
    terms = _TERMS_CACHE.get(word)
    if terms is None:
        if len(_TERMS_CACHE) >= _CACHE_MAX:
            _TERMS_CACHE.clear()
        terms = _TERMS_CACHE[word] = tuple(t for t in search_terms(word) if t)
    return terms


def _body_tokens(analysis: Analysis) -> list[Token]:
    """Word tokens of the body: the pipeline's own tokens when it made them, else tokenised here."""
    text = analysis.document.text
    paragraphs = analysis.paragraphs
    if not paragraphs:
        return [t for t in tokenize(text) if t.is_word]
    if all(p.sentences and all(s.tokens for s in p.sentences) for p in paragraphs):
        return [t for p in paragraphs for s in p.sentences for t in s.tokens if t.is_word]
    return [t for p in paragraphs for t in tokenize(text, p.start, p.end) if t.is_word]


def title_of(analysis: Analysis) -> str | None:
    return analysis.title if analysis.title is not None else analysis.document.title


def index_terms(analysis: Analysis) -> tuple[str, str, bytes, int]:
    """(title terms, body terms, raw offsets blob, number of body terms) to index one analysis.

    Terms are space-joined; ``offsets`` holds a uint32 (start, end) pair per body term, in order.
    """
    text = analysis.document.text
    title = title_of(analysis)
    body: list[str] = []
    offsets = array("I")
    for tok in _body_tokens(analysis):
        for term in word_terms(text[tok.start:tok.end]):
            body.append(term)
            offsets.append(tok.start)
            offsets.append(tok.end)
    title_terms = " ".join(search_terms(title)) if title else ""
    return title_terms, " ".join(body), offsets.tobytes(), len(body)


def matched_ranges(highlighted: str) -> list[tuple[int, int]]:
    """Inclusive term-index ranges marked with OPEN/CLOSE in a highlighted, space-joined term string."""
    ranges: list[tuple[int, int]] = []
    pos, count_pos, count = 0, 0, 0
    while True:
        start = highlighted.find(OPEN, pos)
        if start < 0:
            return ranges
        end = highlighted.find(CLOSE, start)
        if end < 0:
            end = len(highlighted)
        count += highlighted.count(" ", count_pos, start)
        first = count
        count += highlighted.count(" ", start, end)
        ranges.append((first, count))
        count_pos, pos = end, end + 1


def make_snippet(text: str, highlighted: str | None, offsets_blob: bytes,
                 markers: tuple[str, str], *, width: int = 32, before: int = 8
                 ) -> tuple[str, list[tuple[str, bool]], list[tuple[int, int]]]:
    """Best window of about ``width`` terms around the matches, as (marked string, parts, raw spans)."""
    offsets = array("I")
    offsets.frombytes(offsets_blob)
    n = len(offsets) // 2
    if n == 0:
        plain = _SPACES.sub(" ", text[:200]).strip()
        return plain, [(plain, False)] if plain else [], []
    ranges = [(a, min(b, n - 1)) for a, b in matched_ranges(highlighted or "") if a < n]
    ws = 0
    if ranges:
        best = -1
        for a, _ in ranges:
            cand = max(0, min(a - before, n - width))
            score = sum(1 for x, _ in ranges if cand <= x < cand + width)
            if score > best:
                best, ws = score, cand
    we = min(n, ws + width)
    raw_start, raw_end = offsets[2 * ws], offsets[2 * (we - 1) + 1]
    spans: list[tuple[int, int]] = []
    for a, b in ranges:
        if b < ws or a >= we:
            continue
        s, e = offsets[2 * max(a, ws)], offsets[2 * min(b, we - 1) + 1]
        if spans and s <= spans[-1][1]:  # one raw word can carry several terms
            spans[-1] = (spans[-1][0], max(e, spans[-1][1]))
        else:
            spans.append((s, e))
    parts: list[tuple[str, bool]] = []
    cur = raw_start
    for s, e in spans:
        if s > cur:
            parts.append((_SPACES.sub(" ", text[cur:s]), False))
        parts.append((_SPACES.sub(" ", text[s:e]), True))
        cur = e
    if raw_end > cur:
        parts.append((_SPACES.sub(" ", text[cur:raw_end]), False))
    if ws > 0:
        parts.insert(0, ("… ", False))
    if we < n:
        parts.append((" …", False))
    open_, close = markers
    marked = "".join(f"{open_}{p}{close}" if hit else p for p, hit in parts)
    return marked, parts, spans
