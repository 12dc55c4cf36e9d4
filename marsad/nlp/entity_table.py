"""Cross-article entity table: per-article entities (from stored analyses) grouped into corpus entities.

Identity across articles is decided on evidence only:

1. the same per-article entity id (hash of type + normalised canonical: the same full name, or the same
   gazetteer place) is the same entity;
2. canonicals equal up to spelling (g-letters, hamza seats, ة/ه: غانتس = جانتس) and of the same type join,
   and so do full PERSON names whose non-last words are one letter apart on words of 5+ letters;
3. a one-word PERSON canonical (an article that only said «غانتس») is *attached* to a full name only when
   exactly one full-name PERSON in the corpus ends with that word (never when two full names share it),
   the word is never a first name in the corpus, not a place, and not far more frequent alone than the
   full name; it is marked ``via_surname`` so a reader can tell;
4. user corrections (``merge``/``split``), kept as overrides keyed by the stable per-article ids, win.

The table is built from ``Store.iter_documents()`` dicts (``Analysis.to_dict()`` shape), so it works with
any store; a store may later materialise it (see the report in docs/benchmarks.md, "Entity linking").
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marsad.gazetteer import load_gazetteer, name_key, variant_key
from marsad.nlp.link import FUNCTION_WORDS, within_one_edit
from marsad.translit import latin_key

PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
NAMED_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "WEAPON"})


@dataclass(slots=True)
class Overrides:
    """User corrections: merges of two entities, splits of variants out of one; saved as JSON."""

    merges: list[tuple[str, str]] = field(default_factory=list)  # per-article entity ids
    splits: list[tuple[str, list[str]]] = field(default_factory=list)  # (entity id, variant texts)

    @classmethod
    def load(cls, path: Path) -> Overrides:
        if not path.is_file():
            return cls()
        d = json.loads(path.read_text(encoding="utf-8"))
        return cls([tuple(x) for x in d.get("merges", [])], [(s[0], list(s[1])) for s in d.get("splits", [])])

    @classmethod
    def from_rows(cls, rows: Iterable[dict[str, Any]]) -> Overrides:
        """Overrides from ``Store.entity_overrides()`` rows (oldest first)."""
        ov = cls()
        for r in rows:
            if r["kind"] == "merge":
                ov.merges.append((r["a"], r["b"]))
            else:
                ov.splits.append((r["a"], list(r["variants"] or [])))
        return ov

    def save(self, path: Path) -> None:
        path.write_text(json.dumps({"merges": self.merges, "splits": self.splits}, ensure_ascii=False, indent=1),
                        encoding="utf-8")


@dataclass(slots=True)
class CorpusEntity:
    """One real-world thing across the corpus."""

    gid: str
    type: str
    canonical: str
    ids: set[str] = field(default_factory=set)  # per-article entity ids folded in
    latin: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    variants: Counter[str] = field(default_factory=Counter)
    roles: list[tuple[str, str]] = field(default_factory=list)  # (date or "", role)
    docs: dict[str, str] = field(default_factory=dict)  # doc id -> published ("" when unknown)
    titles: dict[str, str] = field(default_factory=dict)
    mentions: int = 0
    via_surname: set[str] = field(default_factory=set)  # per-article ids attached by rule 3
    canonicals: Counter[str] = field(default_factory=Counter)  # per-article canonicals, by articles

    @property
    def first_seen(self) -> str | None:
        dates = [d for d in self.docs.values() if d]
        return min(dates) if dates else None

    @property
    def last_seen(self) -> str | None:
        dates = [d for d in self.docs.values() if d]
        return max(dates) if dates else None

    def summary(self) -> dict[str, Any]:
        return {"id": self.gid, "type": self.type, "canonical": self.canonical, "latin": self.latin,
                "country": self.country, "lat": self.lat, "lon": self.lon, "articles": len(self.docs),
                "mentions": self.mentions, "first_seen": self.first_seen, "last_seen": self.last_seen,
                "variants": dict(self.variants.most_common(20))}


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _kind(t: str) -> str:
    return "PLACE" if t in PLACE_TYPES else t


class EntityTable:
    """Corpus entities and the per-article facts behind them."""

    def __init__(self) -> None:
        self.entities: dict[str, CorpusEntity] = {}
        self.by_id: dict[str, str] = {}  # per-article (or split) id -> gid
        self.doc_entities: dict[str, set[str]] = {}  # doc id -> gids

    @classmethod
    def build(cls, documents: Iterable[dict[str, Any]], overrides: Overrides | None = None) -> EntityTable:
        """Group the entities of stored analyses; apply the identity rules and the user's overrides."""
        ov = overrides or Overrides()
        split_of = {(eid, v) for eid, vs in ov.splits for v in vs}
        rows: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = []  # (doc id, key, entity, doc)
        info: dict[str, dict[str, Any]] = {}
        for doc in documents:
            mentions = doc.get("entities") or []
            for ent in doc.get("canonical_entities") or []:
                texts = [mentions[i]["text"] for i in ent.get("mentions", []) if i < len(mentions)]
                moved = [t for t in texts if (ent["id"], " ".join(t.split())) in split_of]
                if moved:  # user split: these variants become an entity of their own
                    sid = "split:" + hashlib.sha1(f"{ent['id']}|{'|'.join(sorted(set(moved)))}".encode()).hexdigest()[:12]
                    rows.append((doc["id"], sid, {**ent, "canonical": moved[0], "_texts": moved}, doc))
                    info.setdefault(sid, {**ent, "id": sid, "canonical": moved[0]})
                    texts = [t for t in texts if t not in moved]
                if texts or not moved:
                    rows.append((doc["id"], ent["id"], {**ent, "_texts": texts}, doc))
                info.setdefault(ent["id"], ent)
        uf = _UnionFind()
        by_spelling: dict[tuple[str, str], str] = {}
        for eid, ent in info.items():
            uf.find(eid)
            if eid.startswith("split:"):
                continue
            key = (_kind(ent["type"]), variant_key(ent["canonical"]))
            if ent["canonical"] in FUNCTION_WORDS:
                continue  # على and علي fold alike: tagger noise must not pull in a name
            if key in by_spelling:
                uf.union(eid, by_spelling[key])
            else:
                by_spelling[key] = eid
        cls._union_spellings(info, uf)
        doc_count = Counter(eid for _, eid, _, _ in rows)
        attached = cls._attach_surnames(info, uf, doc_count)
        for a, b in ov.merges:
            if a in info and b in info:
                uf.union(a, b)
        table = cls()
        for doc_id, eid, ent, doc in rows:
            gid = uf.find(eid)
            ce = table.entities.get(gid)
            if ce is None:
                head = info[gid]
                ce = table.entities[gid] = CorpusEntity(gid, head["type"], head["canonical"], latin=head.get("latin"),
                                                        country=head.get("country"), lat=head.get("lat"),
                                                        lon=head.get("lon"))
            ce.ids.add(eid)
            if ent["canonical"] not in ce.canonicals or doc_id not in ce.docs:
                ce.canonicals[ent["canonical"]] += 1
            if eid not in ce.via_surname and ent.get("latin") and not ce.latin:
                ce.latin = ent.get("latin")
            table.by_id[eid] = gid
            if eid in attached:
                ce.via_surname.add(eid)
            texts = ent.get("_texts") or [ent["canonical"]]
            for t in texts:
                ce.variants[" ".join(t.split())] += 1
            ce.mentions += max(1, len(texts))
            published = (doc.get("published") or "")[:10]
            ce.docs[doc_id] = published
            ce.titles[doc_id] = doc.get("title") or ""
            ce.roles.extend((published, r) for r in ent.get("roles") or [])
            table.doc_entities.setdefault(doc_id, set()).add(gid)
        for ce in table.entities.values():
            # the corpus canonical: a full name over a surname, then the one most articles use
            best = max(ce.canonicals, key=lambda c: (len(c.split()) > 1, ce.canonicals[c], len(c), c))
            if best != ce.canonical:
                ce.canonical = best
                heads = [info[i] for i in sorted(ce.ids) if info[i]["canonical"] == best and info[i].get("latin")]
                if heads:
                    ce.latin = heads[0]["latin"]
        return table

    @staticmethod
    def _union_spellings(info: dict[str, dict[str, Any]], uf: _UnionFind) -> None:
        """Rule 2b: full PERSON names with the same last word and the other words one letter apart
        (إمانويل ماكرون = إيمانويل ماكرون), as the in-article linker allows on words of 5+ letters."""
        by_last: dict[str, list[tuple[str, list[str]]]] = {}
        for eid, ent in info.items():
            words = variant_key(ent["canonical"]).split()
            if ent["type"] == "PERSON" and len(words) >= 2 and not eid.startswith("split:"):
                by_last.setdefault(words[-1], []).append((eid, words))
        for group in by_last.values():
            if len(group) > 200:  # a very common surname: pairwise checks would cost more than they find
                continue
            for i, (ea, wa) in enumerate(group):
                for eb, wb in group[i + 1:]:
                    if len(wa) == len(wb) and all(x == y or (min(len(x), len(y)) >= 5 and within_one_edit(x, y))
                                                  for x, y in zip(wa[:-1], wb[:-1], strict=True)):
                        uf.union(ea, eb)

    @staticmethod
    def _attach_surnames(info: dict[str, dict[str, Any]], uf: _UnionFind, doc_count: Counter[str]) -> set[str]:
        """Rule 3: a one-word PERSON joins the single full-name PERSON ending with that word, if unique.

        Guards, each from a wrong merge seen in the ANT/Goud review: the word is never a first name in the
        corpus (رشيد, علي), is not a place (باردو), and is not far more frequent alone than the full name.
        """
        full_by_last: dict[str, set[str]] = {}
        first_names: set[str] = set()
        singles: list[str] = []
        for eid, ent in info.items():
            if ent["type"] != "PERSON" or eid.startswith("split:"):
                continue
            words = variant_key(ent["canonical"]).split()
            if len(words) >= 2:
                full_by_last.setdefault(words[-1], set()).add(eid)
                first_names.add(words[0])
            elif words:
                singles.append(eid)
        gaz = load_gazetteer()
        attached = set()
        for eid in singles:
            word = variant_key(info[eid]["canonical"])
            if word in first_names or gaz.lookup(info[eid]["canonical"]) is not None:
                continue
            cands = full_by_last.get(word, set())
            roots = {uf.find(c) for c in cands}
            if len(roots) != 1:
                continue
            full_docs = sum(doc_count[c] for c in cands)
            if doc_count[eid] <= max(3, 2 * full_docs):
                uf.union(next(iter(roots)), eid)
                attached.add(eid)
        return attached

    def gid_of(self, entity_id: str) -> str | None:
        return self.by_id.get(entity_id)

    def top(self, *, type: str | None = None, n: int = 20) -> list[CorpusEntity]:
        """Entities by number of articles (then mentions), optionally of one type (GPE/LOC/FAC: PLACE)."""
        want = None if type is None else type.upper()
        ents = [e for e in self.entities.values()
                if want is None or e.type == want or (want == "PLACE" and e.type in PLACE_TYPES)]
        return sorted(ents, key=lambda e: (-len(e.docs), -e.mentions, e.canonical))[:n]

    def find(self, name: str) -> CorpusEntity | None:
        """An entity by id, canonical or variant (Arabic, any spelling), Latin form, or English place name."""
        if name in self.entities:
            return self.entities[name]
        if name in self.by_id:
            return self.entities[self.by_id[name]]
        key, vkey = name_key(name), variant_key(name)
        ranked = sorted(self.entities.values(), key=lambda e: -len(e.docs))
        for test in (lambda e: name_key(e.canonical) == key, lambda e: variant_key(e.canonical) == vkey,
                     lambda e: any(variant_key(v) == vkey for v in e.variants)):
            hit = next((e for e in ranked if test(e)), None)
            if hit:
                return hit
        if not any("\u0600" <= c <= "\u06ff" for c in name):
            place = load_gazetteer().lookup_english(name)
            if place is not None:
                hit = next((e for e in ranked if e.canonical == place.ar), None)
                if hit:
                    return hit
            lk = latin_key(name)
            return next((e for e in ranked if e.latin and latin_key(e.latin) == lk), None)
        return None

    def cooccurring(self, gid: str, n: int = 10) -> list[tuple[CorpusEntity, int]]:
        """Named entities (not dates or amounts) sharing most articles with ``gid``."""
        counts: Counter[str] = Counter()
        for doc_id in self.entities[gid].docs:
            counts.update(g for g in self.doc_entities.get(doc_id, ())
                          if g != gid and self.entities[g].type in NAMED_TYPES)
        return [(self.entities[g], c) for g, c in counts.most_common(n)]

    def timeline(self, gid: str) -> dict[str, int]:
        """Articles per month (YYYY-MM) mentioning the entity."""
        months = Counter(d[:7] for d in self.entities[gid].docs.values() if d)
        return dict(sorted(months.items()))

    def detail(self, gid: str) -> dict[str, Any]:
        """Everything ``marsad entity`` prints, as plain data."""
        e = self.entities[gid]
        roles = Counter(r for _, r in e.roles)
        history = sorted({(d, r) for d, r in e.roles})
        arts = sorted(e.docs.items(), key=lambda kv: kv[1] or "", reverse=True)
        return {**e.summary(), "variants": dict(e.variants.most_common()),
                "roles": dict(roles.most_common(15)),
                "role_history": [{"date": d, "role": r} for d, r in history][:50],
                "attached_by_surname": sorted(e.via_surname),
                "articles_list": [{"id": k, "published": v or None, "title": e.titles.get(k)} for k, v in arts[:50]],
                "cooccurring": [{"id": o.gid, "canonical": o.canonical, "type": o.type, "articles": c}
                                for o, c in self.cooccurring(gid)],
                "timeline": self.timeline(gid)}
