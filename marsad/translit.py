"""Latin forms of Arabic PERSON/ORG names, and a loose Latin key for matching English-typed queries.

Two back ends, compared on ``tests/gold/translit.tsv`` (figures in docs/benchmarks.md, "Entity linking"):

* ``romanizer``: the ``arabic-name-romanizer`` package (MIT; a names dictionary plus a small ONNX model,
  all shipped in the wheel, no download) — the default when installed, as it scored better; used without
  its ONNX model (dictionary + its own rules), 15x faster for nearly the same accuracy;
* ``rules``: this module's own rules (a small table of name words, then letter rules with vowel guesses),
  the fallback when the package is missing.

:func:`latin_key` folds any Latin spelling to a consonant skeleton, so "Benny Gantz" meets "Benny Ghantis"
and "Kais Saied" meets "Qais Said".
"""

from __future__ import annotations

import re
import time
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

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
MAX_ROMANIZER_WORDS = 8
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
        if ch in "اىآأإ" or ch == "ة":
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
            if prev_cons and lat:
                # unwritten short vowel between two consonants (a guess): a inside, e before the last
                out.append("e" if i == len(w) - 1 else "a")
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


@lru_cache(maxsize=2)
def _romanizer(model: bool = False):  # type: ignore[no-untyped-def]
    """The package's transliterator; ``model=False`` = names dictionary + its rules, without the ONNX model
    (measured: 1.2 ms/name instead of 17-24, for one fewer exact match in 50; see docs/benchmarks.md)."""
    try:
        from arabic_name_romanizer import Transliterator
    except ImportError:
        return None
    # max_per_unit=1: the package forms the full product of per-word candidates before trimming it, which
    # explodes on long ORG names (5^12 for 12 words); top-1 of a product of independent scores is the
    # product of the per-word top-1s, so nothing is lost for top_k=1.
    return Transliterator(auto_load_model=model, max_per_unit=1)


def romanizer_latin(text: str, *, model: bool = False) -> str | None:
    """Latin form from the arabic-name-romanizer package, or None when it is not installed."""
    t = _romanizer(model)
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
    if len(text.split()) > MAX_ROMANIZER_WORDS:  # long descriptive ORG names: letter rules, word by word
        return rules_latin(text)
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


GOLD_FILE = Path(__file__).resolve().parents[1] / "tests" / "gold" / "translit.tsv"


def _fold_latin(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    return re.sub(r"[^a-z]", "", "".join(c for c in s if not unicodedata.combining(c)).lower())


def _lev(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def compare_backends(path: Path = GOLD_FILE) -> dict[str, Any]:
    """Exact match, character error rate and loose-key match of each back end on the hand list."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        if line.strip() and not line.startswith("#") and not line.startswith("arabic\t"):
            ar, lat = line.split("\t")
            rows.append((ar, lat.split("|")))
    backends: dict[str, Any] = {"rules": rules_latin}
    if _romanizer() is not None:
        backends["romanizer-dict"] = lambda t: romanizer_latin(t) or ""
        backends["romanizer-model"] = lambda t: romanizer_latin(t, model=True) or ""
        _romanizer(True).transliterate("محمد")  # load the model outside the timing
    result: dict[str, Any] = {"names": len(rows), "backends": {}, "outputs": {}}
    for name, fn in backends.items():
        exact = key = 0
        cer = 0.0
        t0 = time.perf_counter()
        outs = [fn(ar) for ar, _ in rows]
        ms = (time.perf_counter() - t0) * 1000 / max(1, len(rows))
        for (ar, golds), got in zip(rows, outs, strict=True):
            g = _fold_latin(got)
            exact += any(g == _fold_latin(x) for x in golds)
            key += any(latin_key(got) == latin_key(x) for x in golds)
            cer += min(_lev(g, _fold_latin(x)) / max(1, len(_fold_latin(x))) for x in golds)
        n = max(1, len(rows))
        result["backends"][name] = {"exact": round(exact / n, 3), "cer": round(cer / n, 3),
                                    "key_match": round(key / n, 3), "ms_per_name": round(ms, 2)}
        result["outputs"][name] = dict(zip((ar for ar, _ in rows), outs, strict=True))
    return result
