"""Backend-independent indexing helpers: index terms with raw offsets, and snippets cut from raw text.

The index holds ``marsad.text.search_terms`` output (normalised, clitic-split). To show users raw Arabic,
each body term keeps the raw ``[start, end)`` of the word it came from, so a match found in the normalised
index maps straight back to the original characters.
"""

from __future__ import annotations

import re
import sys
import zlib
from array import array
from itertools import accumulate

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
        if len(word) > 64:  # URLs and junk runs: never worth keeping (a 50 MB "word" must not stay alive)
            return tuple(t for t in search_terms(word) if t)
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


def encode_offsets(starts: list[int], ends: list[int]) -> bytes:
    """Raw (start, end) per term, compact: b"D1" + zlib(start deltas as uint32, lengths as uint16)."""
    deltas = array("I", map(int.__sub__, starts, [0, *starts]))
    lengths = array("H", [n if n < 0xFFFF else 0xFFFF for n in map(int.__sub__, ends, starts)])  # noqa: FURB136 - faster than min()
    if sys.byteorder != "little":  # the blob is little-endian everywhere
        deltas.byteswap()
        lengths.byteswap()
    return b"D1" + zlib.compress(deltas.tobytes() + lengths.tobytes(), 1)


def decode_offsets(blob: bytes) -> tuple[list[int], list[int]]:
    """Inverse of :func:`encode_offsets`: (starts, ends)."""
    if not blob.startswith(b"D1"):
        raise ValueError("unknown term-offset encoding")
    data = zlib.decompress(blob[2:])
    n = len(data) // 6
    deltas, lengths = array("I"), array("H")
    deltas.frombytes(data[:4 * n])
    lengths.frombytes(data[4 * n:])
    if sys.byteorder != "little":
        deltas.byteswap()
        lengths.byteswap()
    starts = list(accumulate(deltas))
    return starts, [s + n for s, n in zip(starts, lengths)]


def index_terms(analysis: Analysis) -> tuple[str, str, bytes, int]:
    """(title terms, body terms, encoded raw offsets, number of body terms) to index one analysis.

    Terms are space-joined; the offsets hold the raw [start, end) of the word each body term came from.
    """
    text = analysis.document.text
    title = title_of(analysis)
    body: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    get, add_term, add_start, add_end = _TERMS_CACHE.get, body.append, starts.append, ends.append
    for tok in _body_tokens(analysis):  # hot loop: bound methods, inlined cache lookup, one-term words first
        s, e = tok.start, tok.end
        terms = get(text[s:e])
        if terms is None:
            terms = word_terms(text[s:e])
        if len(terms) == 1:
            add_term(terms[0])
            add_start(s)
            add_end(e)
        else:
            for term in terms:
                add_term(term)
                add_start(s)
                add_end(e)
    # tokens never span whitespace, so per-chunk (memoised) terms equal search_terms(title)
    title_terms = " ".join(t for chunk in title.split() for t in word_terms(chunk)) if title else ""
    return title_terms, " ".join(body), encode_offsets(starts, ends), len(body)


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


def _clip(text: str, start: int, end: int, *, keep: str = "start", limit: int = 240) -> str:
    """``text[start:end]`` with runs of whitespace as one space, at most ``limit`` characters (junk "words"
    of thousands of letters must not make a snippet of thousands of characters)."""
    if end - start > limit:
        if keep == "end":
            return "…" + _SPACES.sub(" ", text[end - limit:end])
        return _SPACES.sub(" ", text[start:start + limit]) + "…"
    return _SPACES.sub(" ", text[start:end])


def make_snippet(text: str, highlighted: str | None, offsets_blob: bytes,
                 markers: tuple[str, str], *, width: int = 32, before: int = 8
                 ) -> tuple[str, list[tuple[str, bool]], list[tuple[int, int]]]:
    """Best window of about ``width`` terms around the matches, as (marked string, parts, raw spans)."""
    starts, ends = decode_offsets(offsets_blob)
    n = len(starts)
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
    raw_start, raw_end = starts[ws], ends[we - 1]
    spans: list[tuple[int, int]] = []
    for a, b in ranges:
        if b < ws or a >= we:
            continue
        s, e = starts[max(a, ws)], ends[min(b, we - 1)]
        if spans and s <= spans[-1][1]:  # one raw word can carry several terms
            spans[-1] = (spans[-1][0], max(e, spans[-1][1]))
        else:
            spans.append((s, e))
    parts: list[tuple[str, bool]] = []
    cur = raw_start
    for s, e in spans:
        if s > cur:
            parts.append((_clip(text, cur, s, keep="end"), False))
        parts.append((_clip(text, s, e), True))
        cur = e
    if raw_end > cur:
        parts.append((_clip(text, cur, raw_end), False))
    if ws > 0:
        parts.insert(0, ("… ", False))
    if we < n:
        parts.append((" …", False))
    open_, close = markers
    marked = "".join(f"{open_}{p}{close}" if hit else p for p, hit in parts)
    return marked, parts, spans
