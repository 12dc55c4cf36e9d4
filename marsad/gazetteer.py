"""Places gazetteer: countries and cities with Arabic (incl. Maghreb) and English names, ISO codes, coordinates.

Built from ``../shared/data/gazetteers`` (countries.json, cities/*.json, CLDR/pycountry Arabic names) plus
the hand-written ``resources/gazetteer/extra_places.tsv`` by :func:`build_gazetteer` (``marsad train
gazetteer``) into ``resources/gazetteer/places.tsv``, which :func:`load_gazetteer` reads once, lazily.

Name matching goes through :func:`name_key` (project normalisation + ة/ه + hamza seats) and
:func:`variant_key` (also g-letters گ ڭ غ ج ك folded, ڨ to ق, for Maghreb and Levantine spellings of /g/).
"""

from __future__ import annotations

import csv
import glob
import json
import math
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from marsad.errors import ModelError
from marsad.text import fold

RESOURCE_DIR = Path(__file__).parent / "resources" / "gazetteer"
PLACES_FILE = "places.tsv"
EXTRA_FILE = "extra_places.tsv"

# Proclitic groups a name may carry (longest first). marsad.text.split_clitics picks one analysis of a word;
# matching a name needs every reading, so that ببيوض meets بيوض and وبيروت meets بيروت.
_PROCLITICS = ("وبال", "وكال", "فبال", "وال", "فال", "بال", "كال", "ولل", "فلل", "لل", "ال", "وب", "وك", "ول",
               "فب", "فك", "فل", "و", "ف", "ب", "ك", "ل")
_HAMZA = str.maketrans({"ئ": "ي", "ؤ": "و", "ء": None})
_G_LETTERS = str.maketrans({**{c: "ج" for c in "گڭغجك"}, "ڨ": "ق"})  # Tunisian ڨ is written ق in standard names
_NON_WORD = re.compile(r"[^\w\s]|_")
# Demonym endings, longest first: المغربية -> مغربي, الإسرائيليين -> اسراييلي, فلسطينيون -> فلسطيني.
_DEMONYM_ENDINGS = (("ييه", "ي"), ("يون", "ي"), ("يين", "ي"), ("يات", "ي"), ("يه", "ي"))


def name_key(text: str) -> str:
    """Matching key: project normalisation, ة->ه, hamza seats dropped, punctuation removed, spaces collapsed."""
    s = fold(text, ta_marbuta=True).translate(_HAMZA)
    return " ".join(_NON_WORD.sub(" ", s).split())


def variant_key(text: str) -> str:
    """:func:`name_key` with the letters used for /g/ folded (غانتس = جانتس = گانتس, أكادير = أغادير)."""
    return name_key(text).translate(_G_LETTERS)


def clitic_readings(word: str) -> list[str]:
    """The word and every reading with one proclitic group removed (وبيروت -> وبيروت, بيروت, يروت)."""
    out = [word]
    for p in _PROCLITICS:
        if word.startswith(p) and len(word) - len(p) >= 2 and word[len(p):] not in out:
            out.append(word[len(p):])
    return out


def strip_article(key: str) -> str:
    """Drop the article ال from every token of a key (المملكه المغربيه -> مملكه مغربيه)."""
    return " ".join(t[2:] if t.startswith("ال") and len(t) > 4 else t for t in key.split())


def key_groups(text: str) -> list[tuple[str, str | None]]:
    """(key, key to try without articles or None) per clitic reading of the first word, literal first.

    A key is tried without articles only where the mention had one: its own ال (المملكة المغربية ~
    مملكة مغربية) or a fused لل (للرباط -> رباط). A bare رياض is not الرياض, and القطر is not قطر.
    """
    key = name_key(text)
    if not key:
        return []
    first, _, rest = key.partition(" ")
    out: list[tuple[str, str | None]] = []
    for r in clitic_readings(first):
        k = f"{r} {rest}".strip()
        prefix = first[: len(first) - len(r)]
        if prefix.endswith(("ال", "لل")):  # the reading lost an article: only the article-less names
            out.append(("", k))
            continue
        stripped = strip_article(k)
        out.append((k, stripped if stripped != k else None))
    return out


def key_readings(text: str) -> list[str]:
    """Keys to try for a mention, most literal first: as written, first word's clitics off, article off."""
    return list(dict.fromkeys(k for group in key_groups(text) for k in group if k))


def english_key(text: str) -> str:
    """Key for English names: accents off, casefolded, a leading 'the' dropped."""
    s = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = " ".join(re.sub(r"[^\w\s]", " ", s).split())
    return s.removeprefix("the ")


@dataclass(slots=True)
class Place:
    """One gazetteer entry: a country (id = ISO alpha-2), a city (CC:English name) or a region (region:Name)."""

    id: str
    kind: str  # country | city | region
    country: str | None  # ISO 3166 alpha-2 (None where contested)
    ar: str  # common Arabic name, the canonical form (المغرب, الرباط)
    en: str
    lat: float | None = None
    lon: float | None = None
    population: int = 0
    rank: int = 2  # lower wins on a name shared by several places: 0 country, 1 hand list, 2 shared cities
    ar_aliases: list[str] = field(default_factory=list)
    en_aliases: list[str] = field(default_factory=list)
    demonyms: list[str] = field(default_factory=list)


def demonym_stem(key: str) -> str:
    """Masculine singular stem of a demonym key: مغربيه -> مغربي, اسراييليين -> اسراييلي."""
    for ending, repl in _DEMONYM_ENDINGS:
        if key.endswith(ending) and len(key) - len(ending) >= 2:
            return key[: -len(ending)] + repl
    return key


def derive_demonym(common_ar: str) -> str | None:
    """Regular nisba of a one-word country name: فرنسا -> فرنسي, روسيا -> روسي, المغرب -> مغربي."""
    name = common_ar.strip()
    if " " in name or not name:
        return None
    base = name.removeprefix("ال")
    if base.endswith("يا"):
        return base[:-1]
    if base.endswith("ا"):
        return base[:-1] + "ي"
    if base.endswith("ية"):
        return base[:-1]
    return base + "ي"


class Gazetteer:
    """Indexes over places: Arabic keys, English keys, demonym stems."""

    def __init__(self, places: list[Place]) -> None:
        self.places = {p.id: p for p in places}
        self._ar: dict[str, list[Place]] = {}  # name keys as the names are written
        self._var: dict[str, list[Place]] = {}
        self._ar_bare: dict[str, list[Place]] = {}  # the same with their articles dropped (الرباط -> رباط)
        self._var_bare: dict[str, list[Place]] = {}
        self._en: dict[str, list[Place]] = {}
        self._dem: dict[str, Place] = {}
        for p in places:
            for name in [p.ar, *p.ar_aliases]:
                k = name_key(name)
                self._ar.setdefault(k, []).append(p)
                self._var.setdefault(k.translate(_G_LETTERS), []).append(p)
                bare = strip_article(k)
                if bare != k:
                    self._ar_bare.setdefault(bare, []).append(p)
                    self._var_bare.setdefault(bare.translate(_G_LETTERS), []).append(p)
            for name in [p.en, *p.en_aliases]:
                self._en.setdefault(english_key(name), []).append(p)
            for d in p.demonyms:
                self._dem.setdefault(demonym_stem(strip_article(name_key(d))), p)
        for index in (self._ar, self._var, self._ar_bare, self._var_bare, self._en):
            for lst in index.values():
                lst.sort(key=lambda p: (p.rank, -p.population, p.id))

    def __len__(self) -> int:
        return len(self.places)

    def get(self, place_id: str) -> Place | None:
        return self.places.get(place_id)

    def lookup(self, text: str) -> Place | None:
        """The place an Arabic mention names (clitics, article, hamza and g-spellings tolerated), or None."""
        groups = key_groups(text)
        for index, bare_index, g in ((self._ar, self._ar_bare, False), (self._var, self._var_bare, True)):
            for k, bare in groups:  # with and without articles weigh the same: الدار البيضاء ~ دار البيضاء
                hits = index.get(k.translate(_G_LETTERS) if g else k, [])[:1]
                if bare is not None:
                    hits = hits + bare_index.get(bare.translate(_G_LETTERS) if g else bare, [])[:1]
                if hits:
                    return min(hits, key=lambda p: (p.rank, -p.population, p.id))
        return None

    def lookup_demonym(self, text: str) -> Place | None:
        """The country a demonym/NORP form refers to (الإسرائيلي, المغربية, الفلسطينيين), or None."""
        for k in key_readings(text):
            if " " in k:
                continue
            for cand in (k, demonym_stem(k)):
                hit = self._dem.get(cand)
                if hit:
                    return hit
        return None

    def lookup_english(self, text: str) -> Place | None:
        """The place an English name denotes (Morocco, Kingdom of Morocco, Rabat), or None."""
        hit = self._en.get(english_key(text))
        return hit[0] if hit else None

    def arabic_names(self, text: str) -> list[str]:
        """Arabic names of the place an English or Arabic query names (Morocco -> المغرب, المملكة المغربية …),
        for query expansion in search; empty when the gazetteer does not know it."""
        p = self.search(text)
        return [] if p is None else list(dict.fromkeys([p.ar, *p.ar_aliases]))

    def search(self, text: str) -> Place | None:
        """Arabic, demonym or English lookup, whichever the text is."""
        if re.search(r"[\u0600-\u06ff]", text):
            return self.lookup(text) or self.lookup_demonym(text)
        return self.lookup_english(text)


def default_data_dir() -> Path:
    """The shared data folder: env MARSAD_DATA, else <repo>/../shared/data."""
    env = os.environ.get("MARSAD_DATA")
    return Path(env) if env else Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


def _float(x: object) -> float | None:
    try:
        v = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else round(v, 4)


def _read_extra(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip() and not line.startswith("#"):
                yield (line.rstrip("\n").split("\t") + [""] * 6)[:6]


def _split(s: str) -> list[str]:
    return [x.strip() for x in s.split("|") if x.strip()]


def build_places(data_dir: Path, extra: Path) -> list[Place]:
    """Merge the shared gazetteers and the hand list into one list of places (deterministic order)."""
    gz = data_dir / "gazetteers"
    try:
        countries = json.loads((gz / "countries" / "countries.json").read_text(encoding="utf-8"))
    except OSError as exc:
        raise ModelError(f"gazetteer source missing under {gz}: {exc}") from exc
    by_cc: dict[str, Place] = {}
    for c in countries:
        ara = c["translations"].get("ara") or {}
        native = (c["name"].get("native") or {}).get("ara") or {}
        common = ara.get("common") or native.get("common") or c["name"]["common"]
        latlng = c.get("latlng") or [None, None]
        p = Place(c["cca2"], "country", c["cca2"], common, c["name"]["common"], _float(latlng[0]),
                  _float(latlng[1]), 0, 0)
        p.ar_aliases = [n for n in (ara.get("official"), native.get("common"), native.get("official")) if n]
        p.en_aliases = [c["name"]["official"], c["cca3"], *[a for a in c.get("altSpellings", []) if len(a) > 2]]
        by_cc[p.id] = p
    for fname, col in (("pycountry_iso3166-1_ar.tsv", ("name_ar", "official_name_ar")),
                       ("cldr_ar_territories.tsv", ("name_ar",))):
        with (gz / "cldr" / fname).open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                target = by_cc.get(row.get("alpha_2") or row.get("code") or "")
                for name in (row.get(k) or "" for k in col):
                    # inverted catalogue forms ("كوريا، جمهورية كوريا") are not how text names a country
                    if target and name and "،" not in name and re.search(r"[\u0600-\u06ff]", name):
                        target.ar_aliases.append(name)
    cities: list[Place] = []
    for f in sorted(glob.glob(str(gz / "cities" / "*.json"))):
        for c in json.loads(Path(f).read_text(encoding="utf-8")):
            ar = (c.get("translations") or {}).get("ar") or c.get("native") or ""
            if not re.search(r"[\u0600-\u06ff]", ar):
                continue
            p = Place(f"{c['country_code']}:{c['name']}", "city", c["country_code"], ar, c["name"],
                      _float(c.get("latitude")), _float(c.get("longitude")), int(c.get("population") or 0), 2)
            native = c.get("native") or ""
            if native and native != ar and re.search(r"[\u0600-\u06ff]", native):
                p.ar_aliases.append(native)
            cities.append(p)
    extras: list[Place] = []
    for kind, code, ar, en, lat, lon in _read_extra(extra):
        if kind == "alias" and code in by_cc:
            by_cc[code].ar_aliases.extend(_split(ar))
            by_cc[code].en_aliases.extend(_split(en))
        elif kind == "demonym" and code in by_cc:
            by_cc[code].demonyms.extend(_split(ar))
        elif kind in ("city", "region"):
            names, ens = _split(ar), _split(en)
            cc = None if code == "-" else code
            pid = f"{code}:{ens[0]}" if kind == "city" else f"region:{ens[0]}"
            extras.append(Place(pid, kind, cc, names[0], ens[0], _float(lat), _float(lon), 0, 1, names[1:], ens[1:]))
    for p in by_cc.values():
        d = derive_demonym(p.ar)
        if d:
            p.demonyms.insert(0, d)
        p.ar_aliases = sorted(set(p.ar_aliases) - {p.ar})
        p.en_aliases = sorted(set(p.en_aliases) - {p.en})
        p.demonyms = list(dict.fromkeys(p.demonyms))
    # a hand-listed city replaces a shared entry of the same id (fixes misnamed ones such as Muscat)
    extra_ids = {p.id for p in extras}
    cities = [p for p in cities if p.id not in extra_ids]
    return sorted(by_cc.values(), key=lambda p: p.id) + extras + sorted(cities, key=lambda p: p.id)


_COLUMNS = ("id", "kind", "country", "ar", "en", "lat", "lon", "population", "rank", "ar_aliases", "en_aliases",
            "demonyms")


def write_places(places: list[Place], path: Path) -> None:
    """Write places as a TSV (lists joined with |)."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("\t".join(_COLUMNS) + "\n")
        for p in places:
            row = [p.id, p.kind, p.country or "", p.ar, p.en, "" if p.lat is None else str(p.lat),
                   "" if p.lon is None else str(p.lon), str(p.population), str(p.rank), "|".join(p.ar_aliases),
                   "|".join(p.en_aliases), "|".join(p.demonyms)]
            fh.write("\t".join(x.replace("\t", " ") for x in row) + "\n")


def read_places(path: Path) -> list[Place]:
    """Read the TSV written by :func:`write_places`."""
    out: list[Place] = []
    with path.open(encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            f = line.rstrip("\n").split("\t")
            out.append(Place(f[0], f[1], f[2] or None, f[3], f[4], _float(f[5] or None), _float(f[6] or None),
                             int(f[7]), int(f[8]), _split(f[9]), _split(f[10]), _split(f[11])))
    return out


def build_gazetteer(data_dir: Path | None = None, out_dir: Path | None = None) -> dict[str, int]:
    """Rebuild ``places.tsv`` from the shared gazetteers (deterministic); returns counts by kind."""
    out_dir = out_dir or RESOURCE_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    places = build_places(data_dir or default_data_dir(), RESOURCE_DIR / EXTRA_FILE)
    write_places(places, out_dir / PLACES_FILE)
    counts: dict[str, int] = {}
    for p in places:
        counts[p.kind] = counts.get(p.kind, 0) + 1
    global _GAZ
    _GAZ = None
    return counts


_GAZ: Gazetteer | None = None


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """The shipped gazetteer, loaded once."""
    global _GAZ
    if path is not None:
        return Gazetteer(read_places(path))
    if _GAZ is None:
        f = RESOURCE_DIR / PLACES_FILE
        if not f.exists():
            raise ModelError(f"gazetteer not built: {f} missing; run `marsad train gazetteer`")
        _GAZ = Gazetteer(read_places(f))
    return _GAZ
