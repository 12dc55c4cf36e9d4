"""Sentence splitting over raw text, respecting quotations, abbreviations and numbers.

Rules, in order:

1. A line break (LF, CRLF, CR, U+2028/9) always ends a sentence.
2. Terminators are runs of ``. ! ? ؟ ; ؛ …`` (``?!``, ``...`` count as one). A ``.`` only ends a sentence
   when it is followed by a space, a line end, a quote/bracket, or — glued text — an Arabic letter after an
   Arabic letter (``المنطقة.وقال``); so ``3.5``, ``www.x.com`` and ``U.S`` never split.
3. Not after an abbreviation: a lone letter before the dot (``د.`` ``م.`` ``ج.`` ``أ.``, ``J.``) or a
   Latin title (``Dr.``, ``Mr.``); but a lone ``م.``/``هـ.`` right after a number is a year marker
   (``عام 2021 م.``) and does end the sentence. Nor after a list number at the start of a line (``1.``).
4. Quotations: ``«…»``, and ``“…”``, ``”…“``, ``"…"`` — the curly marks are paired as they come, in either
   direction, because Arabic sites use both (``بـ” غانتس “``). A quote that is not closed on its line is
   ignored. A terminator inside a quote does not split, except:
   a. at the end of the quote (``… بلدينا.”``): the sentence ends after the closing mark, unless a comma
      or the attribution's punctuation follows (``”، قال``);
   b. in a long quote (≥ ``LONG_QUOTE`` characters) between two full sentences (each side at least
      ``MIN_QUOTED_SENTENCE`` characters of the quote): long speeches are split like running text.
5. Spans are trimmed of whitespace (and zero-width/bidi marks); a piece with no letter or digit is
   attached to the sentence before it on the same line.
"""

from __future__ import annotations

import re

__all__ = ["LONG_QUOTE", "MIN_QUOTED_SENTENCE", "split_sentences"]

LONG_QUOTE = 250
MIN_QUOTED_SENTENCE = 30

_LINE_BREAK_RE = re.compile(r"\r\n?|[\n\u2028\u2029\x85]")
_TERM_RE = re.compile(r"[.!?؟;؛…]+")
_QUOTE_RE = re.compile(r"[\"“”«»]")
_TRIM = " \t\r\n\f\v\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000" \
        "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u061c"
_CLOSERS = frozenset(")]}»”“\"'’")
_ARABIC_LETTER_RE = re.compile(r"[\u0621-\u064a\u0671-\u06d3]")
_WORD_BEFORE_RE = re.compile(r"(\S+)\s*$")
_LATIN_ABBREV = frozenset(["mr", "mrs", "ms", "dr", "prof", "st", "vs", "etc", "inc", "ltd", "co", "jr", "sr", "gen", "col", "lt", "sgt", "no", "vol", "pp", "fig"])
_YEAR_MARKERS = frozenset("مه")  # م (AD) and هـ (Hijri, tatweel removed above)


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans ``[(start, end), …]`` of ``text[start:end]``, trimmed of whitespace."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    pos = start
    for m in _LINE_BREAK_RE.finditer(text, start, end):
        _split_line(text, pos, m.start(), spans)
        pos = m.end()
    _split_line(text, pos, end, spans)
    return spans


def _quote_intervals(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(open, close) offsets of the closed quotations on one line (outermost first)."""
    out: list[tuple[int, int]] = []
    guillemets: list[int] = []
    curly = straight = -1
    for m in _QUOTE_RE.finditer(text, start, end):
        ch, i = m.group(), m.start()
        if ch == "«":
            guillemets.append(i)
        elif ch == "»":
            if guillemets:
                out.append((guillemets.pop(), i))
        elif ch == '"':
            # Straight quotes are often stray (المساجد" و"حظر): use the spacing around them.
            prev = text[i - 1] if i > start else " "
            nxt = text[i + 1] if i + 1 < end else " "
            opener = (prev.isspace() or prev in "([") and not nxt.isspace()
            closer = not prev.isspace() and (nxt.isspace() or not nxt.isalnum())
            if straight < 0:
                if not (closer and not opener):  # a lone closing-looking mark opens nothing
                    straight = i
            elif opener and not closer:  # the earlier mark was stray: start again here
                straight = i
            else:
                out.append((straight, i))
                straight = -1
        elif curly < 0:  # “ or ”, in either direction
            curly = i
        else:
            out.append((curly, i))
            curly = -1
    out.sort()
    return out


def _inside(quotes: list[tuple[int, int]], i: int) -> tuple[int, int] | None:
    """The outermost quotation whose marks enclose offset ``i``."""
    for qs, qe in quotes:
        if qs < i < qe:
            return qs, qe
        if qs > i:
            break
    return None


def _is_abbreviation(text: str, line_start: int, dot: int) -> bool:
    """Is the ``.`` at ``dot`` the end of an abbreviation, initial or list number?"""
    m = _WORD_BEFORE_RE.search(text, max(line_start, dot - 40), dot)
    if m is None:
        return False
    word = m.group(1).lstrip("(\"“”«[").replace("\u0640", "")
    if word.isdigit() and not text[line_start:m.start()].strip():
        return True  # "1. …" list numbering at the start of a line
    if len(word) == 1 and word.isalpha():
        if word in _YEAR_MARKERS:
            before = text[max(line_start, m.start() - 12):m.start()].rstrip()
            if before[-1:].isdigit():
                return False  # "عام 2021 م." ends the sentence
        return word.isupper() or _ARABIC_LETTER_RE.match(word) is not None
    return word.lower().rstrip(".") in _LATIN_ABBREV


def _dot_can_end(text: str, line_end: int, run_end: int, run: str) -> bool:
    """A terminator run ending in '.' must be followed by a space, a closer, the line end or glued Arabic."""
    if run_end >= line_end or run[-1] != ".":
        return True
    nxt = text[run_end]
    if nxt.isspace() or nxt in _CLOSERS or nxt in "«(\"":
        return True
    prev = text[run_end - len(run) - 1] if run_end - len(run) - 1 >= 0 else ""
    return bool(_ARABIC_LETTER_RE.match(nxt) and _ARABIC_LETTER_RE.match(prev or " "))


def _boundaries(text: str, start: int, end: int) -> list[int]:
    """Offsets (exclusive sentence ends) where the line ``text[start:end]`` splits."""
    quotes = _quote_intervals(text, start, end)
    cuts: list[int] = []
    for m in _TERM_RE.finditer(text, start, end):
        run, ts, te = m.group(), m.start(), m.end()
        if not _dot_can_end(text, end, te, run):
            continue
        if run == "." and _is_abbreviation(text, start, ts):
            continue
        q = _inside(quotes, ts)
        cut = te
        if q is not None:
            qs, qe = q
            if not text[te:qe].strip(_TRIM + "".join(_CLOSERS)):  # rule 4a: the quote ends here
                after = text[qe + 1:end].lstrip(_TRIM)
                if after[:1] in ("،", ",", ":", "؛", ";"):
                    continue
                cut = qe + 1
            elif not (qe - qs >= LONG_QUOTE and ts - qs >= MIN_QUOTED_SENTENCE
                      and qe - te >= MIN_QUOTED_SENTENCE):  # rule 4b
                continue
        while cut < end and text[cut] in _CLOSERS and _closes(quotes, cut):
            cut += 1
        cuts.append(cut)
    return cuts


def _closes(quotes: list[tuple[int, int]], i: int) -> bool:
    """Is the mark at ``i`` a closing mark (or a bracket), not the opening of the next quotation?"""
    return not any(qs == i for qs, _ in quotes)


def _split_line(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    line_first = len(spans)
    prev = start
    for cut in _boundaries(text, start, end) + [end]:
        if cut <= prev:
            continue
        s, e = _trim(text, prev, cut)
        prev = cut
        if s >= e:
            continue
        if not any(ch.isalnum() for ch in text[s:e]) and len(spans) > line_first:
            spans[-1] = (spans[-1][0], e)  # stray punctuation joins the sentence before it
        else:
            spans.append((s, e))


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in _TRIM:
        s += 1
    while e > s and text[e - 1] in _TRIM:
        e -= 1
    return s, e
