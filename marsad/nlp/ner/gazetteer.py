"""Gazetteers: built at train time from ../shared/data (cleaned), shipped as one small JSON, loaded lazily.

Classes: PERS, LOC, ORG (ANERGazet), CTRY (countries: CLDR, ISO 3166, mledoze), REGION (CLDR world regions),
CITY (Arab-League cities),
NORP (demonyms derived from country names, kept only when attested in the raw news), WEAPON (WikiFANE weapon
classes, its military aircraft, and the curated list in ``weapons.py``), DORG (defence organisations, ibid.).
"""

from __future__ import annotations

import csv
import gzip
import json
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from marsad.nlp.ner.corpora import Sentence, read_wikifane
from marsad.nlp.ner.features import Resources, word_key
from marsad.nlp.ner.weapons import DEFENCE_ORGS, NEWS_ORGS, WEAPONS
from marsad.text import fold, tokenize

_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}
_BAD = re.compile(r"^[\W\d_]*$|[=*]")

# Demonym adjectives (nisba) that are not derivable from the country name.
EXTRA_NORP = ("أمريكي", "أميركي", "عربي", "كردي", "أوروبي", "أفريقي", "إفريقي", "آسيوي", "خليجي", "مغاربي",
              "سني", "شيعي", "مسيحي", "يهودي", "قبطي", "درزي", "أمازيغي", "بريطاني", "إنجليزي", "سوفيتي",
              "سوفياتي", "صهيوني", "فارسي", "عبري", "لاتيني", "غربي", "إيراني", "صحراوي")
# Demonym plurals/collectives for groups of people.
EXTRA_GROUPS = ("المسلمين", "المسلمون", "المسيحيين", "المسيحيون", "اليهود", "العرب", "الأكراد", "الإسرائيليين",
                "الفلسطينيين", "الأمريكيين", "الأميركيين", "السنة", "الشيعة", "الأمازيغ")


def _clean(entries: Iterable[str]) -> set[str]:
    out = set()
    for e in entries:
        e = " ".join(t.norm for t in tokenize(fold(e.strip())))
        if len(e) >= 2 and not _BAD.search(e):
            out.add(e)
    return out


def _anergazet(root: Path, name: str) -> set[str]:
    path = root / "ner" / "anergazet" / f"Aligned{name}Gazetteer.data"
    return _clean(path.read_text(encoding="utf-8").splitlines())


def _countries(root: Path, regions: list[str] | None = None) -> set[str]:
    """Arabic country names; world-region names (CLDR numeric codes) go to ``regions`` when given."""
    names: list[str] = []
    data = json.loads((root / "gazetteers" / "countries" / "countries.json").read_text(encoding="utf-8"))
    for c in data:
        ara = c.get("translations", {}).get("ara", {})
        names += [ara.get("common", ""), ara.get("official", "")]
    cldr = root / "gazetteers" / "cldr"
    for fname, cols in (("cldr_ar_territories.tsv", ("name_ar",)),
                        ("pycountry_iso3166-1_ar.tsv", ("name_ar", "official_name_ar"))):
        with open(cldr / fname, encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                code = row.get("code") or row.get("alpha_2") or ""
                if code.isdigit() and regions is not None:
                    regions += [row.get(c) or "" for c in cols]
                if code.isdigit() or code in _NOT_COUNTRIES:  # world regions, the UN, the EU
                    continue
                names += [row.get(c) or "" for c in cols]
    return _clean(names)


def _cities(root: Path) -> set[str]:
    names: list[str] = []
    keep = {"city", "capital", "adm1", "adm2", "province", "district", "municipality"}
    for path in sorted((root / "gazetteers" / "cities").glob("*.json")):
        for r in json.loads(path.read_text(encoding="utf-8")):
            # Small places with machine-transliterated names collide with ordinary words: keep the big ones.
            if r.get("type") in keep and (r.get("type") != "city" or (r.get("population") or 0) >= 20000):
                names += [r.get("native") or "", r.get("translations", {}).get("ar", "")]
    return {n for n in _clean(names) if "-" not in n}


def _demonyms(countries: set[str], vocab: Counter[str]) -> set[str]:
    """Nisba adjectives from single-word country names (فرنسا -> فرنسي, الفرنسية ...), attested in ``vocab``."""
    bases = set()
    for c in countries:
        if " " in c:
            continue
        b = c.removeprefix("ال")
        b = b[:-2] if b.endswith("يا") else b[:-1] if b.endswith(("ا", "ة")) else b
        if len(b) >= 3:
            bases.add(b)
    bases |= {fold(x)[:-1] for x in EXTRA_NORP}
    out = set()
    for b in bases:
        for suf in ("ي", "ية", "يون", "يين", "يان", "يتين"):
            for form in (b + suf, "ال" + b + suf):
                if vocab.get(form, 0) >= 3:
                    out.add(form)
    return out | {fold(x) for x in EXTRA_NORP} | {fold(x) for x in EXTRA_GROUPS}


#: Share of WikiFANE (in file order) that feeds the weapon gazetteer; the rest is held out for evaluation.
WIKIFANE_TRAIN_SHARE = 0.8


def wikifane_split(sents: list[Sentence]) -> tuple[list[Sentence], list[Sentence]]:
    """The gazetteer part and the held-out part of WikiFANE."""
    cut = int(len(sents) * WIKIFANE_TRAIN_SHARE)
    return sents[:cut], sents[cut:]


def _wikifane_weapons(root: Path) -> set[str]:
    """Names of WikiFANE weapon-class entities and military aircraft (gazetteer part only); generic nouns dropped."""
    from marsad.nlp.ner.corpora import WIKIFANE_TYPES, spans

    military_air = re.compile(r"(ميج|ميغ|سوخوي|اف \d|اباتشي|mig|su \d|mi \d|f \d)", re.IGNORECASE)
    out: set[str] = set()
    sents, _ = wikifane_split(read_wikifane(root / "ner" / "wikifane" / "WikiFANE_Gold_2014_500K.txt"))
    for sent in sents:
        tags = [t for _, t in sent]
        for s, e, typ in spans(tags):
            name = " ".join(w for w, _ in sent[s:e])
            mapped = WIKIFANE_TYPES.get(typ)
            if mapped == "WEAPON" or (typ == "Air" and military_air.search(name)):
                out.add(name)
    generic = {"المدافع", "مدافع", "المدفع", "مدفع", "السيف", "السيوف", "الرمح", "الرماح", "الهاون", "القطار",
               "الهاونات", "المورترات", "القنبلة النووية", "قنبلة نووية", "القنبلة الذرية", "المقصلة", "الخازوق",
               "الخوازيق", "للالغام", "الجنبية"}
    return {w for w in _clean(out) if w not in {fold(g) for g in generic} and not w.startswith(("لل", "بال"))}


def build(root: Path, vocab: Counter[str]) -> dict[str, list[str]]:
    """All gazetteer classes as sorted lists of normalised phrases."""
    regions: list[str] = []
    countries = _countries(root, regions)
    g = {
        "REGION": _clean(regions),
        "PERS": _anergazet(root, "Pers"),
        "LOC": _anergazet(root, "Loc"),
        "ORG": _anergazet(root, "Org") | _clean(NEWS_ORGS),
        "CTRY": countries,
        "CITY": _cities(root),
        "NORP": _demonyms(countries, vocab),
        "WEAPON": _wikifane_weapons(root) | _clean(WEAPONS),
        "DORG": _clean(DEFENCE_ORGS),
    }
    return {k: sorted(v) for k, v in g.items()}


def save(gaz: dict[str, list[str]], path: Path) -> None:
    """Write the gazetteers (mtime 0 in the gzip header: same data, same bytes)."""
    data = json.dumps(gaz, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as fh:
        fh.write(data)


def load(path: Path) -> dict[str, list[str]]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        data: dict[str, list[str]] = json.load(fh)
    return data


def fill(res: Resources, gaz: dict[str, list[str]]) -> Resources:
    """Index gazetteer phrases by stem tuples (multi-word) and stems (single words) into ``res``."""
    words: dict[str, set[str]] = {}
    phrases: dict[tuple[str, ...], set[str]] = {}
    for cls, entries in gaz.items():
        for e in entries:
            key = tuple(word_key(w)[2] for w in e.split())
            if len(key) == 1:
                words.setdefault(key[0], set()).add(cls)
            phrases.setdefault(key, set()).add(cls)
    res.words = {k: frozenset(v) for k, v in words.items()}
    res.phrases = {k: frozenset(v) for k, v in phrases.items()}
    res.max_phrase = max((len(k) for k in phrases), default=1)
    res.starts = {}
    for k in phrases:
        res.starts[k[0]] = max(res.starts.get(k[0], 0), len(k))
    return res
