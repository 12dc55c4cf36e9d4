"""Exact-span (CoNLL-style) scoring of entity mentions, and type schemes to compare across corpora."""

from __future__ import annotations

from collections.abc import Iterable

from marsad.nlp.ner.corpora import spans

# Marsad types -> ANERcorp's four; types absent here are ignored under that scheme.
ANERCORP_SCHEME: dict[str, str] = {
    "PERSON": "PERS", "PERS": "PERS", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC",
    "MISC": "MISC", "WEAPON": "MISC",
}
_MARSAD_TYPES = ("PERSON", "ORG", "GPE", "LOC", "FAC", "WEAPON", "NORP", "MONEY", "DATE", "TIME", "QUANTITY",
                 "PERCENT", "PRODUCT", "VEHICLE")
#: Marsad's WEAPON covers military platforms; WikiFANE files aircraft, ships and tanks as vehicles.
PLATFORMS_SCHEME: dict[str, str] = {**{t: t for t in _MARSAD_TYPES}, "VEHICLE": "WEAPON"}
SCHEMES: dict[str, dict[str, str] | None] = {"anercorp": ANERCORP_SCHEME, "marsad": None,
                                             "platforms": PLATFORMS_SCHEME}


def remap(tags: list[str], scheme: dict[str, str] | None) -> list[str]:
    """Map BIO tags through a scheme (None = identity); unmapped types become O."""
    if scheme is None:
        return list(tags)
    out = []
    for t in tags:
        new = scheme.get(t[2:]) if t != "O" else None
        out.append(f"{t[:2]}{new}" if new else "O")
    return out


def score(gold: Iterable[list[str]], pred: Iterable[list[str]], *,
          types: Iterable[str] | None = None) -> dict[str, object]:
    """Micro P/R/F1, macro F1 and per-type figures over exact spans of two aligned BIO sequences."""
    tp: dict[str, int] = {}
    fp: dict[str, int] = {}
    fn: dict[str, int] = {}
    for g, p in zip(gold, pred, strict=True):
        gs, ps = spans(g), spans(p)
        for s in gs & ps:
            tp[s[2]] = tp.get(s[2], 0) + 1
        for s in ps - gs:
            fp[s[2]] = fp.get(s[2], 0) + 1
        for s in gs - ps:
            fn[s[2]] = fn.get(s[2], 0) + 1
    keep = set(types) if types is not None else set(tp) | set(fn) | set(fp)
    per_type: dict[str, dict[str, float]] = {}
    for t in sorted(keep):
        a, b, c = tp.get(t, 0), fp.get(t, 0), fn.get(t, 0)
        per_type[t] = {**_prf(a, b, c), "support": a + c}
    a = sum(tp.get(t, 0) for t in keep)
    b = sum(fp.get(t, 0) for t in keep)
    c = sum(fn.get(t, 0) for t in keep)
    with_support = [v["f1"] for v in per_type.values() if v["support"] > 0]
    macro = round(sum(with_support) / len(with_support), 4) if with_support else 0.0
    return {"micro": _prf(a, b, c), "macro_f1": macro, "per_type": per_type}


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4)}
