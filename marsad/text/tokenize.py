"""Tokenisation and clitic splitting over raw text, keeping offsets (first cut; see tests/test_tokenize.py)."""

from __future__ import annotations

import re

from marsad.model import Token
from marsad.text.normalize import fold

# A word: letters/digits/marks, allowing tatweel and inner apostrophes; everything else is punctuation.
_TOKEN_RE = re.compile(r"[^\W_]+(?:[\u0640\u064b-\u065f\u0670]*[^\W_]*)*|[^\w\s]", re.UNICODE)

_PROCLITICS = ("وبال", "وكال", "فبال", "وال", "فال", "بال", "كال", "ولل", "فلل", "لل", "ال", "وب", "وك", "ول",
               "فب", "فك", "فل", "و", "ف", "ب", "ك", "ل")


def split_clitics(word: str) -> tuple[str, str]:
    """Split a normalised word into (proclitics, stem): والاتفاق -> ("وال", "اتفاق"). First cut."""
    for p in _PROCLITICS:
        if word.startswith(p) and len(word) - len(p) >= 2:
            return p, word[len(p):]
    return "", word


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokens of ``text[start:end]`` with raw offsets, normalised form, and clitic-split stem."""
    end = len(text) if end is None else end
    tokens: list[Token] = []
    for m in _TOKEN_RE.finditer(text, start, end):
        raw = m.group()
        norm = fold(raw)
        is_word = raw[0].isalnum()
        prefix, stem = split_clitics(norm) if is_word else ("", norm)
        tokens.append(Token(m.start(), m.end(), norm, stem, prefix, m.start() + len(prefix), is_word))
    return tokens


def search_terms(text: str) -> list[str]:
    """Index/query terms: normalised, ة folded, clitics and article removed."""
    return [fold(t.stem, ta_marbuta=True) for t in tokenize(text) if t.is_word]
