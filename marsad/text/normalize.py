"""Arabic normalisation with an offset map back to the raw text.

Every rule is a decision about one raw character: drop it (tashkeel, Quranic marks, tatweel, zero-width and
bidi controls, soft hyphen) or replace it (alef/hamza forms → ا, ى and Persian yeh → ي, Persian kaf → ك,
Arabic-Indic and Persian digits → ASCII, curly quotes and guillemets → ``"``/``'``, NBSP and other spaces →
space, dashes → ``-``; with ``ta_marbuta=True`` also ة → ه). A replacement is one character, except Arabic
presentation-form ligatures (ﻻ → لا, ﷲ → الله), which expand; every character of an expansion maps to the
same raw character. So ``Normalized.index[i]`` (the raw offset of normalised character ``i``) is enough to
map any normalised span back to the raw text, and normalising ``raw[rs:re]`` again gives the span's text
(for spans that do not cut an expanded ligature in two).

Hamza on و/ي (ؤ ئ) and bare hamza (ء) are kept: folding them merges distinct words.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass

__all__ = ["CONTROLS", "DROP", "TASHKEEL", "TATWEEL", "Normalized", "fold", "normalize"]

# Harakat, tanween, shadda, sukun, hamza/madda marks, superscript alef, Quranic annotation marks.
TASHKEEL = (
    "".join(chr(c) for c in range(0x064B, 0x0660))
    + "\u0670"
    + "".join(chr(c) for c in range(0x0610, 0x061B))
    + "".join(chr(c) for c in range(0x06D6, 0x06DD))
    + "".join(chr(c) for c in range(0x06DF, 0x06E5))
    + "\u06e7\u06e8\u06ea\u06eb\u06ec\u06ed"
)
TATWEEL = "\u0640"
# Zero-width characters, bidi marks/embeddings/isolates, BOM, Arabic letter mark, soft hyphen, word joiner.
CONTROLS = (
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069"
    "\ufeff\u061c\u00ad\u180e"
)
DROP = frozenset(TASHKEEL + TATWEEL + CONTROLS)

_BASE: dict[str, str] = {}
for _c in "أإآٱٲٳٵ":
    _BASE[_c] = "ا"
_BASE["ى"] = "ي"
_BASE["ی"] = "ي"  # Persian yeh
_BASE["ې"] = "ي"
_BASE["ک"] = "ك"  # Persian keheh
_BASE["ڪ"] = "ك"  # swash kaf
_BASE["ھ"] = "ه"  # heh doachashmee (Urdu/Persian keyboards)
_BASE["ہ"] = "ه"
_BASE["ۃ"] = "ة"
for _i, _c in enumerate("٠١٢٣٤٥٦٧٨٩"):
    _BASE[_c] = str(_i)
for _i, _c in enumerate("۰۱۲۳۴۵۶۷۸۹"):
    _BASE[_c] = str(_i)
for _c in "“”„‟«»‹›″〝〞＂":
    _BASE[_c] = '"'
for _c in "‘’‚‛′`":
    _BASE[_c] = "'"
for _c in "\u00a0\u2007\u202f\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u205f\u3000":
    _BASE[_c] = " "
_BASE["\u2028"] = "\n"
_BASE["\u2029"] = "\n"
_BASE["٫"] = "."  # Arabic decimal separator
_BASE["٬"] = ","  # Arabic thousands separator
for _c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212":
    _BASE[_c] = "-"


def _presentation_forms() -> dict[str, str]:
    """Arabic presentation forms (FB50–FDFF, FE70–FEFF) → base letters, via NFKC then the rules above."""
    out: dict[str, str] = {}
    for cp in list(range(0xFB50, 0xFE00)) + list(range(0xFE70, 0xFEFF)):
        ch = chr(cp)
        if unicodedata.category(ch) == "Cn":
            continue
        nf = unicodedata.normalize("NFKC", ch)
        if nf == ch:
            continue
        rep = "".join(_BASE.get(c, c) for c in nf if c not in DROP).strip()
        # Isolated-tashkeel forms (ﹰ = space + fathatan) become nothing; long phrases (ﷺ) are kept as is.
        if len(rep) <= 4 and all("\u0600" <= c <= "\u06ff" for c in rep):
            out[ch] = rep
    return out


_PRESENTATION = _presentation_forms()
_MAP: dict[str, str] = {**_BASE, **_PRESENTATION}
_MAP_TA = {**_MAP, "ة": "ه", "ۃ": "ه"}
_TABLE = str.maketrans({**_MAP, **{c: None for c in DROP}})
_TABLE_TA = str.maketrans({**_MAP_TA, **{c: None for c in DROP}})
_DROP_CLASS = "".join(sorted(DROP)).replace("\\", "\\\\").replace("]", "\\]")
#: Characters whose presence breaks the identity offset map (dropped or expanded).
_IRREGULAR_RE = re.compile(
    "[" + _DROP_CLASS + "".join(c for c, r in _PRESENTATION.items() if len(r) != 1) + "]"
)


@dataclass(slots=True, frozen=True)
class Normalized:
    """A normalised string and, for each of its characters, the raw offset it came from."""

    text: str
    index: tuple[int, ...]  # len(text) + 1 entries, non-decreasing; the last is the raw end offset

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open normalised span to the half-open raw span it came from (marks included)."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span [{start}, {end}) outside normalised text of length {len(self.text)}")
        if start == end:
            return self.index[start], self.index[start]
        # The end reaches the next kept character, so trailing tashkeel/tatweel of the last letter are
        # inside the span; inside an expanded ligature it stops after the ligature instead.
        return self.index[start], max(self.index[end], self.index[end - 1] + 1)

    def norm_offset(self, raw_offset: int) -> int:
        """The first normalised position whose raw offset is >= ``raw_offset`` (inverse of ``index``)."""
        return bisect_left(self.index, raw_offset, 0, len(self.text))

    def norm_span(self, raw_start: int, raw_end: int) -> tuple[int, int]:
        """Map a half-open raw span to the normalised span of the characters it kept."""
        return self.norm_offset(raw_start), self.norm_offset(raw_end)


def normalize(raw: str, *, ta_marbuta: bool = False, offset: int = 0) -> Normalized:
    """Normalise ``raw`` (alef/hamza, ya, digits, quotes, spaces; drop tashkeel, tatweel, controls).

    ``ta_marbuta=True`` also folds ة to ه (for search, not for display). ``offset`` is added to every
    index, for normalising a slice of a larger raw text.
    """
    text = raw.translate(_TABLE_TA if ta_marbuta else _TABLE)
    if _IRREGULAR_RE.search(raw) is None:  # fast path: one output character per input character
        return Normalized(text, tuple(range(offset, offset + len(raw) + 1)))
    table = _MAP_TA if ta_marbuta else _MAP
    index: list[int] = []
    pos = 0
    for m in _IRREGULAR_RE.finditer(raw):
        index.extend(range(pos + offset, m.start() + offset))  # regular run before the irregular char
        ch = m.group()
        if ch not in DROP:
            index.extend([m.start() + offset] * len(table[ch]))
        pos = m.end()
    index.extend(range(pos + offset, len(raw) + offset + 1))
    assert len(index) == len(text) + 1
    return Normalized(text, tuple(index))


def fold(text: str, *, ta_marbuta: bool = False) -> str:
    """The same normalisation as :func:`normalize`, without offsets (fast path for words and queries)."""
    return text.translate(_TABLE_TA if ta_marbuta else _TABLE)
