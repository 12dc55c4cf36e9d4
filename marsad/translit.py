"""Latin forms of Arabic PERSON/ORG names, and a loose Latin key for matching English-typed queries.

Two back ends, compared on ``tests/gold/translit.tsv`` (figures in docs/benchmarks.md, "Entity linking"):

* ``romanizer``: the ``arabic-name-romanizer`` package (MIT; a names dictionary plus a small ONNX model,
  all shipped in the wheel, no download) — the default when installed, as it scored better;
* ``rules``: this module's own rules (a small table of name words, then letter rules with vowel guesses),
  the fallback when the package is missing.

:func:`latin_key` folds any Latin spelling to a consonant skeleton, so "Benny Gantz" meets "Benny Ghantis"
and "Kais Saied" meets "Qais Said".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from marsad.text import fold

# Name words whose usual Latin spelling letter rules cannot guess (short vowels are not written).
NAME_WORDS: dict[str, str] = {
    "محمد": "Mohamed", "احمد": "Ahmed", "محمود": "Mahmoud", "مصطفى": "Mustapha", "علي": "Ali", "عمر": "Omar",
    "حسن": "Hassan", "حسين": "Hussein", "يوسف": "Youssef", "ابراهيم": "Ibrahim", "اسماعيل": "Ismail",
    "خالد": "Khaled", "سعيد": "Said", "سعد": "Saad", "عمرو": "Amr", "عثمان": "Othmane", "كريم": "Karim",
    "رشيد": "Rachid", "راشد": "Rached", "هشام": "Hicham", "نبيل": "Nabil", "منصف": "Moncef", "لطفي": "Lotfi",
    "نور": "Nour", "الدين": "Eddine", "زين": "Zine", "بن": "Ben", "بنت": "Bent", "ابو": "Abou", "ام": "Oum",
    "فاطمة": "Fatima", "مريم": "Meriem", "نجلاء": "Najla", "عبير": "Abir", "ليلى": "Leila", "سلمى": "Salma",
    "جمال": "Jamal", "كمال": "Kamal", "عادل": "Adel", "عزيز": "Aziz", "ناصر": "Nasser", "طارق": "Tarek",
    "شكيب": "Chakib", "نزار": "Nizar", "وليد": "Walid", "فؤاد": "Fouad", "رضا": "Reda", "حمزة": "Hamza",
    "صالح": "Salah", "صلاح": "Salah", "حبيب": "Habib", "الحبيب": "Habib", "منير": "Mounir", "سمير": "Samir",
    "امين": "Amine", "ياسين": "Yassine", "مهدي": "Mehdi", "المهدي": "El Mehdi", "ادريس": "Driss",
    "جو": "Joe", "دونالد": "Donald", "فلاديمير": "Vladimir", "بنيامين": "Benjamin", "ايمانويل": "Emmanuel",
}
_SUN = set("تثدذرزسشصضطظلن")
_CONS = {
    "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r", "ز": "z",
    "س": "s", "ش": "ch", "ص": "s", "ض": "d", "ط": "t", "ظ": "dh", "ع": "", "غ": "gh", "ف": "f", "ق": "k",
    "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "ء": "", "گ": "g", "ڨ": "g", "پ": "p", "ڤ": "v",
}


def _rule_word(w: str) -> str:
    """One Arabic word by letter rules: ا/ى a, و ou, ي i (y between vowels), a guessed a between consonants."""
    if w in NAME_WORDS:
        return NAME_WORDS[w]
    out: list[str] = []
    prev_cons = False
    for i, ch in enumerate(w):
        nxt = w[i + 1] if i + 1 < len(w) else ""
        if ch in "اىآأإ":
            out.append("a" if not (ch == "ا" and i == 0 and nxt == "ل") else "a")
            prev_cons = False
        elif ch == "ة":
            out.append("a")
            prev_cons = False
        elif ch in "وؤ":
            out.append("w" if i == 0 or nxt in "اىي" else "ou")
            prev_cons = out[-1] == "w"
        elif ch in "يئ":
            out.append("y" if i == 0 or nxt in "او" else "i")
            prev_cons = out[-1] == "y"
        elif ch in _CONS:
            lat = _CONS[ch]
            if prev_cons and lat and i < len(w) - 1 and len(out) > 1:
                out.append("a")  # unwritten short vowel between two consonants (a guess)
            if ch == "ع" and not out:
                out.append("a")
            out.append(lat)
            prev_cons = bool(lat)
        elif ch.isalnum():
            out.append(ch)
            prev_cons = False
    s = "".join(out)
    return s[:1].upper() + s[1:] if s else s


def rules_latin(text: str) -> str:
    """Latin form by this module's rules: عبد الرحيم -> Abderrahim, الغنوشي -> Ghannouchi-like guesses."""
    words = fold(text).split()
    parts: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        if w == "عبد" and i + 1 < len(words) and words[i + 1].startswith("ال"):
            rest = words[i + 1][2:]
            # sun letters assimilate the article: عبد الرحيم -> Abderrahim, عبد القادر -> Abdelkader
            art = ("e" + _CONS[rest[0]]) if rest and rest[0] in _SUN else "el"
            parts.append("Abd" + art + _rule_word(rest).lower())
            i += 2
            continue
        if w.startswith("ال") and len(w) > 3 and w not in NAME_WORDS:
            rest = w[2:]
            art = ("E" + _CONS[rest[0]]) if rest[0] in _SUN else "El "
            parts.append(art + (_rule_word(rest).lower() if art.startswith("E") and art != "El " else _rule_word(rest)))
        else:
            parts.append(_rule_word(w))
        i += 1
    return " ".join(p for p in parts if p)


@lru_cache(maxsize=1)
def _romanizer():  # type: ignore[no-untyped-def]
    try:
        from arabic_name_romanizer import Transliterator
    except ImportError:
        return None
    return Transliterator()


def romanizer_latin(text: str) -> str | None:
    """Latin form from the arabic-name-romanizer package, or None when it is not installed."""
    t = _romanizer()
    if t is None:
        return None
    out = t.transliterate(text)
    return str(out) if out else None


def backend() -> str:
    """The back end :func:`latin_name` uses: 'romanizer' when the package is installed, else 'rules'."""
    return "romanizer" if _romanizer() is not None else "rules"


@lru_cache(maxsize=65536)
def latin_name(text: str, kind: str = "PERSON") -> str | None:
    """Latin form of a PERSON/ORG name (Latin input is returned as is); None for empty input."""
    text = " ".join(text.split())
    if not text:
        return None
    if not re.search(r"[\u0600-\u06ff]", text):
        return text
    return romanizer_latin(text) or rules_latin(text)


_SKELETON = [("ph", "f"), ("gh", "g"), ("kh", "k"), ("ch", "s"), ("sh", "s"), ("th", "t"), ("dh", "d"),
             ("ou", "u"), ("q", "k"), ("c", "k"), ("z", "s"), ("j", "g"), ("x", "ks"), ("w", "u"), ("y", "i")]


def latin_key(text: str) -> str:
    """Loose key of a Latin name: accents off, digraphs folded, vowels, h and doubled letters dropped."""
    s = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r"\b(al|el|ad|ed|an|en|ar|er|as|es|at|et|az|ez)[- ]", "", s)
    s = re.sub(r"[^a-z ]", "", s)
    for a, b in _SKELETON:
        s = s.replace(a, b)
    s = re.sub(r"[aeiouh]", "", s)
    s = re.sub(r"(.)\1+", r"\1", s)
    return " ".join(s.split())
