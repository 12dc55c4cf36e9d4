"""Arabic normalisation with an offset map back to the raw text.

Each rule is a character-level decision, so normalisation is one pass over the string that either drops a
character (tashkeel, tatweel, zero-width and bidi controls) or maps it to one replacement character.
Because no rule turns one character into several, ``Normalized.index[i]`` (the raw offset of normalised
character ``i``) is all that is needed to map any normalised span back to the raw text.
"""

from __future__ import annotations

from dataclasses import dataclass

# Characters removed outright.
TASHKEEL = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0653\u0654\u0655\u0656\u0657\u0658\u065f\u0670"
TATWEEL = "\u0640"
CONTROLS = (
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u061c\u00ad"
)
DROP = frozenset(TASHKEEL + TATWEEL + CONTROLS)

_MAP: dict[str, str] = {}
for _c in "أإآٱٲٳ":
    _MAP[_c] = "ا"
_MAP["ى"] = "ي"
_MAP["ی"] = "ي"  # Persian yeh
_MAP["ي"] = "ي"
_MAP["ک"] = "ك"  # Persian keheh
_MAP["ؤ"] = "ؤ"
for _i, _c in enumerate("٠١٢٣٤٥٦٧٨٩"):
    _MAP[_c] = str(_i)
for _i, _c in enumerate("۰۱۲۳۴۵۶۷۸۹"):
    _MAP[_c] = str(_i)
for _c in "“”„‟«»‹›″〝〞＂":
    _MAP[_c] = '"'
for _c in "‘’‚‛′":
    _MAP[_c] = "'"
for _c in "\u00a0\u2007\u202f\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u3000":
    _MAP[_c] = " "
_MAP["٫"] = "."  # Arabic decimal separator
_MAP["٬"] = ","  # Arabic thousands separator
_MAP["\u2013"] = "-"
_MAP["\u2014"] = "-"

_MAP_TA = dict(_MAP)
_MAP_TA["ة"] = "ه"

_TABLE = str.maketrans({**_MAP, **{c: None for c in DROP}})
_TABLE_TA = str.maketrans({**_MAP_TA, **{c: None for c in DROP}})


@dataclass(slots=True, frozen=True)
class Normalized:
    """A normalised string and, for each of its characters, the raw offset it came from."""

    text: str
    index: tuple[int, ...]  # len(text) + 1 entries; the last is the raw end offset

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open normalised span to the half-open raw span it came from."""
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span [{start}, {end}) outside normalised text of length {len(self.text)}")
        if start == end:
            return self.index[start], self.index[start]
        return self.index[start], self.index[end - 1] + 1


def normalize(raw: str, *, ta_marbuta: bool = False, offset: int = 0) -> Normalized:
    """Normalise ``raw`` (alef/hamza, ya, digits, quotes, spaces; drop tashkeel, tatweel, controls).

    ``ta_marbuta=True`` also folds ة to ه (for search, not for display). ``offset`` is added to every
    index, for normalising a slice of a larger raw text.
    """
    table = _MAP_TA if ta_marbuta else _MAP
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(raw):
        if ch in DROP:
            continue
        out.append(table.get(ch, ch))
        index.append(i + offset)
    index.append(len(raw) + offset)
    return Normalized("".join(out), tuple(index))


def fold(text: str, *, ta_marbuta: bool = False) -> str:
    """The same normalisation as :func:`normalize`, without offsets (fast path for words and queries)."""
    return text.translate(_TABLE_TA if ta_marbuta else _TABLE)
