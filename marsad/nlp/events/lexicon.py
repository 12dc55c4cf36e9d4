"""Event trigger lexicon: curated entries plus a cleaned slice of the UniversalPetrarch Arabic dictionary.

``marsad/resources/events/curated.tsv`` is written by hand (type, CAMEO code, kind, form patterns).
``build_lexicon(data_dir)`` parses ``events/upetrarch_arabic/CAMEO.ar.0.5.txt``, keeps single-word verb
lemmas with an explicit CAMEO code in a root we code, drops the ambiguous ones (``STOP_LEMMAS``) and
lemmas whose codes disagree, and writes ``upetrarch.tsv`` beside the curated file, together with the
``&WEAPON``/``&AIRCRAFT`` synonym sets (``weapon_words.txt``) used as defence context. Output is sorted,
so a rebuild from the same data gives the same bytes.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from marsad.errors import ModelError
from marsad.nlp.events.view import key, stems

RESOURCES = Path(__file__).resolve().parents[2] / "resources" / "events"

#: CAMEO root (two digits) -> event type.
ROOT_TYPES = {
    "01": "STATEMENT", "02": "APPEAL", "03": "INTEND", "04": "MEET", "05": "COOPERATE", "06": "COOPERATE",
    "07": "AID", "10": "DEMAND", "11": "DISAPPROVE", "12": "REJECT", "13": "THREATEN", "14": "PROTEST",
    "15": "MILITARY_POSTURE", "16": "REDUCE_RELATIONS", "17": "COERCE", "18": "ASSAULT", "19": "FIGHT",
}
#: Upetrarch lemmas too ambiguous to trigger anything alone (checked by hand against the news corpora):
#: وقع "put/fall" (we code signing with an agreement object), قدم "present", وضع "put", نشر "publish" ...
STOP_LEMMAS = frozenset(key(w) for w in (
    "وقع", "قدم", "وضع", "نشر", "عمل", "وصل", "لقى", "القى", "سلم", "عرض", "اعاد", "رجع", "عود", "قوى", "حضر",
    "اخذ", "تلقى", "دفع", "طلب", "بنى", "اقم", "نشا", "رفع", "ضرب", "شد", "ربط", "وجه", "اطلق", "حل", "وجد",
    "بدا", "نظر", "راى", "ظهر", "سار", "فعل", "اعد", "بقي", "دخل", "خلى", "تبع", "حدد", "نظم", "لغى", "شرك",
    "صدق", "قطعة", "اشر", "طرح", "كبت", "لقب", "سال", "سأل", "ادام", "جاز", "برز", "مثل", "تراجع", "انتقل",
    "فرق", "مسح", "ضمن", "اذن", "فضل", "عزز", "شجع", "احترم", "منع", "ترك", "جنب", "دعا", "نادى", "نادي",
))


#: Outcome of a hand review of the 126 lemmas that survive the automatic filters (explicit verb-line code,
#: one CAMEO root, not a stop lemma): most are wrong (بعد 016, قبل 070, جاء 040, اعلن 111, شيد 150 is a
#: mangled أشاد ...). Only these were judged right, with the code corrected where the dictionary erred.
REVIEWED = {
    key("اختطف"): "181", key("تظاهر"): "141", key("حاصر"): "191", key("قصف"): "195", key("توغل"): "192",
    key("دحض"): "111", key("اعتقل"): "173", key("طرد"): "174", key("اجلي"): "174",
}  # نقض (111) was dropped later: it is also a common surname (لطفي نقض)


@dataclass(frozen=True, slots=True)
class Trigger:
    type: str
    cameo: str | None
    kind: str  # v verb, n noun, r reporting verb, c carry verb (وأضاف/وتابع: same speaker)
    lemma: str
    source: str  # curated | upetrarch
    confidence: float


_PERFECT_SUFFIXES = ("", "ت", "ا", "تا", "وا", "نا", "ه", "ها", "هم", "هما", "وه", "ته", "تها", "تهم", "وها",
                     "وهم", "اه", "اها", "ناه")  # subject + object pronoun: اقتحمته, وقعوها
_IMPERFECT_SUFFIXES = ("", "ان", "ون", "وا", "ا", "ه", "ها", "هم")
_NOUN_SUFFIXES = ("", "ه", "ها", "هم", "هما", "ين", "ان", "ا")


def expand(pattern: str) -> list[str]:
    """Surface keys of one form pattern: ``P:`` perfect stem, ``I:`` imperfect stem (no person prefix),
    ``N:`` noun (ة, plural ات, pronoun suffixes), ``A:`` participle/adjective, ``=`` one exact form."""
    tag, _, stem = pattern.partition(":") if ":" in pattern[:2] else ("=", "", pattern.lstrip("="))
    stem = key(stem)
    if tag == "P":
        return [stem + s for s in _PERFECT_SUFFIXES]
    if tag == "I":
        return [p + stem + s for p in "يتنا" for s in _IMPERFECT_SUFFIXES]
    if tag in ("N", "A"):
        base = stem.removesuffix("ة")
        bound = base + "ت" if stem.endswith("ة") else base
        forms = {stem, base + "ات", base + "اته", base + "اتها", base + "اتهم", base + "ين", base + "ون"}
        forms.update(bound + s for s in _NOUN_SUFFIXES if s)
        return sorted(forms)
    return [stem]


@dataclass(frozen=True, slots=True)
class Entry:
    """A trigger reached through one surface form; ``rest`` = stems the following words must have."""

    trigger: Trigger
    rest: tuple[str, ...] = ()
    noun: bool = False  # reached through an N:/A: pattern (a verbal noun), not a verb form


def _parse_line(line: str, source: str) -> list[tuple[str, Entry]]:
    parts = line.rstrip("\n").split("\t")
    if len(parts) < 4 or line.startswith("#"):
        return []
    type_, cameo, kind, forms = parts[:4]
    conf = float(parts[4]) if len(parts) > 4 and parts[4] else (0.8 if source == "curated" else 0.4)
    out: list[tuple[str, Entry]] = []
    for pat in forms.split():
        head, *rest = pat.split("_")
        lemma = pat.split(":")[-1].lstrip("=")
        trig = Trigger(type_, None if cameo in ("", "-") else cameo, kind, lemma, source, conf)
        tail = tuple(_bare(key(r)) for r in rest)
        noun = head.startswith(("N:", "A:"))
        out.extend((f, Entry(trig, tail, noun)) for f in expand(head))
    return out


def _bare(k: str) -> str:
    """A multi-word tail word without its article (matched against token stems)."""
    return k[2:] if k.startswith("ال") and len(k) > 4 else k


@lru_cache(maxsize=4)
def load(directory: str | None = None) -> dict[str, list[Entry]]:
    """Form key -> entries, curated entries first (loaded once)."""
    base = Path(directory) if directory else RESOURCES
    table: dict[str, list[Entry]] = defaultdict(list)
    curated = base / "curated.tsv"
    if not curated.exists():
        raise ModelError(f"event lexicon missing: {curated} (reinstall, or run `marsad train events`)")
    for name, source in (("curated.tsv", "curated"), ("upetrarch.tsv", "upetrarch")):
        path = base / name
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            for form, entry in _parse_line(line, source):
                if source == "upetrarch" and form in table:
                    continue  # curated wins
                if entry not in table[form]:
                    table[form].append(entry)
    return dict(table)


@lru_cache(maxsize=4)
def weapon_words(directory: str | None = None) -> frozenset[str]:
    """Keys of words that put a clause in a defence context (curated list + upetrarch &WEAPON)."""
    base = Path(directory) if directory else RESOURCES
    words: set[str] = set()
    for name in ("weapon_words_curated.txt", "weapon_words.txt"):
        path = base / name
        if path.exists():
            words.update(key(w.strip()) for w in path.read_text(encoding="utf-8").splitlines()
                         if w.strip() and not w.startswith("#"))
    return frozenset(words)


_DIACRITICS = re.compile("[\u064b-\u0652\u0670\u0640]")
_VERB_LINE = re.compile(r"^([^\s\-#+&][^\s#\[]*)\s*(?:\[(\d{3,4})\])?\s*(?:#.*)?$")
_HEADER = re.compile(r"^---\s+(\S+)\s+\[(\d{3,4}|---)\]\s+---")


def parse_upetrarch(cameo_file: Path) -> tuple[dict[str, Counter[str]], list[str]]:
    """(lemma -> Counter of CAMEO codes, weapon words) from a PETRARCH verb dictionary."""
    codes: dict[str, Counter[str]] = defaultdict(Counter)
    weapons: list[str] = []
    synset: str | None = None
    for raw in cameo_file.read_text(encoding="utf-8").splitlines():
        line = _DIACRITICS.sub("", raw.strip())
        if line.startswith("&"):
            synset = line
            continue
        if line.startswith("+") and synset in ("&WEAPON", "&AIRCRAFT"):
            word = line.strip("+_").replace("_", " ")
            if " " not in word:
                weapons.append(word)
            continue
        m = _HEADER.match(line)
        if m:
            synset = None
            continue
        m = _VERB_LINE.match(line)
        if not m or synset is not None:
            continue
        lemma, code = m.group(1), m.group(2)  # header codes of synonym blocks proved unreliable: ignored
        if code and "+" not in lemma and "_" not in lemma:
            codes[key(lemma)][code[:3]] += 1
    return codes, weapons


def build_lexicon(data_dir: Path, out_dir: Path = RESOURCES) -> dict[str, int]:
    """Write the cleaned upetrarch trigger file and weapon words; return counts for the report."""
    src = data_dir / "events" / "upetrarch_arabic" / "CAMEO.ar.0.5.txt"
    if not src.exists():
        raise ModelError(f"upetrarch dictionary not found: {src} (set MARSAD_DATA)")
    codes, weapons = parse_upetrarch(src)
    curated = load(str(out_dir)) if (out_dir / "curated.tsv").exists() else {}
    rows: list[str] = []
    dropped = Counter[str]()
    also = 0
    for lemma, counter in sorted(codes.items()):
        roots = {c[:2] for c in counter}
        if len(lemma) < 3:
            dropped["short"] += 1
        elif lemma in STOP_LEMMAS:
            dropped["ambiguous"] += 1
        elif len(roots) > 1:
            dropped["conflicting codes"] += 1
        elif next(iter(roots)) not in ROOT_TYPES or next(iter(roots)) == "01":
            dropped["root not coded"] += 1
        elif lemma not in REVIEWED:
            dropped["rejected in review"] += 1
        else:
            code = REVIEWED[lemma]
            also += lemma in curated
            rows.append(f"{ROOT_TYPES[code[:2]]}\t{code}\tv\tP:{lemma}\t0.5")
    out_dir.mkdir(parents=True, exist_ok=True)
    header = "# generated by marsad.nlp.events.lexicon.build_lexicon from upetrarch CAMEO.ar.0.5.txt; do not edit\n"
    (out_dir / "upetrarch.tsv").write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    (out_dir / "weapon_words.txt").write_text("\n".join(sorted(set(weapons))) + "\n", encoding="utf-8")
    load.cache_clear()
    _word_hits.cache_clear()
    weapon_words.cache_clear()
    return {"kept": len(rows), "kept, also curated": also, "weapon_words": len(set(weapons)),
            **{f"dropped {k}": v for k, v in dropped.items()}}


@lru_cache(maxsize=100_000)
def _word_hits(k: str) -> tuple[tuple[Entry, str], ...]:
    table = load()
    return tuple((entry, prefix) for prefix, stem in stems(k) for entry in table.get(stem, ()))


def match(keys: list[str], i: int, table: dict[str, list[Entry]] | None = None) -> list[tuple[Entry, int, str]]:
    """Entries triggered at word ``i`` of ``keys``: (entry, end word index, proclitic string)."""
    if table is None or table is load():
        pairs = _word_hits(keys[i])
    else:
        pairs = tuple((entry, prefix) for prefix, stem in stems(keys[i]) for entry in table.get(stem, ()))
    out: list[tuple[Entry, int, str]] = []
    for entry, prefix in pairs:
        j = i + 1
        for want in entry.rest:
            if j < len(keys) and any(s.startswith((want, "ال" + want)) for _, s in stems(keys[j])):
                j += 1
            else:
                break
        else:
            out.append((entry, j, prefix))
    return out
