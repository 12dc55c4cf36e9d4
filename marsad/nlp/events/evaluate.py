"""Scoring events and quotes against gold annotations in the format of the seed's ``expected.json``.

A gold file is one annotation (a dict) or a list of them; each has ``article`` (a path relative to the
data directory, or absolute), optionally ``id`` (TREC DOCNO) or ``row`` (0-based CSV/TSV record), and
``events`` / ``quotes`` sections with ``must`` / ``may`` / ``must_not`` lists.

An event matches a gold item when the types agree (after aliases) and every gold argument is found among
the predicted arguments of a compatible role, names compared after Marsad's normalisation (clitics and
article removed; an entity matches through any of its mentions). A quote matches when the speakers agree
and the predicted text starts with the gold ``starts`` (and ends with ``ends``). Recall counts ``must``
items; precision counts predictions matching ``must`` or ``may``; predictions matching ``must_not`` are
reported as errors.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from marsad.model import Analysis, Argument, Event, Quote
from marsad.text import search_terms

TYPE_ALIASES = {"SEEK_PROCUREMENT": "PROCUREMENT_INTEREST", "PRODUCTION_PLAN": "PRODUCTION", "CONSULT": "MEET",
                "HOST_VISIT": "VISIT"}
#: gold role -> predicted roles that satisfy it
ROLE_COMPAT = {
    "participants": {"participants", "source", "target", "signatories", "actor"},
    "actor": {"actor", "source", "participants", "seller", "buyer"},
    "source": {"source", "actor", "participants"},
    "target": {"target", "participants"},
    "seller": {"seller"}, "buyer": {"buyer"}, "item": {"item"}, "items": {"item"}, "value": {"value"},
    "quantity": {"quantity"}, "object": {"product", "item", "object"}, "product": {"product", "item"},
    "signatories": {"signatories", "participants"},
}
ARG_KEYS = tuple(ROLE_COMPAT)


def terms(text: str) -> str:
    """A name as compared: normalised terms without clitics or article, space-joined."""
    return " ".join(search_terms(text))


def same_name(pred: set[str], gold: str) -> bool:
    g = terms(gold)
    if not g:
        return False
    for p in pred:
        if p and (p == g or f" {g} " in f" {p} " or f" {p} " in f" {g} "):
            return True
    return False


def _names(a: Analysis, text: str, entity_id: str | None) -> set[str]:
    out = {terms(text)}
    if entity_id:
        for e in a.entities:
            if e.id == entity_id:
                out.add(terms(e.canonical))
                out.update(terms(v) for v in e.variants)
                out.update(terms(a.mentions[i].text) for i in e.mentions if 0 <= i < len(a.mentions))
    return out


def _arg_ok(a: Analysis, args: list[Argument], role: str, gold: Any) -> bool:
    values = gold if isinstance(gold, list) else [gold]
    roles = ROLE_COMPAT[role]
    cands = [_names(a, x.text, x.entity_id) for x in args if x.role in roles]
    return all(any(same_name(c, str(v)) for c in cands) for v in values)


def event_matches(a: Analysis, ev: Event, gold: dict[str, Any]) -> bool:
    gtype = TYPE_ALIASES.get(gold.get("type", ""), gold.get("type"))
    if gtype is not None and gtype != ev.type:
        return False
    if "paragraph_only" in gold and gold["paragraph_only"] != ev.paragraph:
        return False
    return all(_arg_ok(a, ev.arguments, k, gold[k]) for k in ARG_KEYS if k in gold)


def quote_matches(a: Analysis, q: Quote, gold: dict[str, Any]) -> bool:
    if "text" in gold and terms(gold["text"]) != terms(q.text):
        return False
    if "speaker" in gold and not same_name(_names(a, q.speaker or "", q.speaker_entity_id), gold["speaker"]):
        return False
    qt = terms(q.text)
    if "starts" in gold and not qt.startswith(terms(gold["starts"])):
        return False
    return not ("ends" in gold and not qt.endswith(terms(gold["ends"])))


@dataclass(slots=True)
class Score:
    """Counts for one kind (events of a type, or quotes)."""

    pred: int = 0
    correct: int = 0  # predictions matching must or may
    must: int = 0
    found: int = 0  # must items found
    may_found: int = 0
    errors: int = 0  # predictions matching must_not

    @property
    def precision(self) -> float:
        return self.correct / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.must if self.must else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        for f in ("pred", "correct", "must", "found", "may_found", "errors"):
            setattr(self, f, getattr(self, f) + getattr(other, f))


@dataclass(slots=True)
class Report:
    events: dict[str, Score] = field(default_factory=dict)  # per type
    quotes: Score = field(default_factory=Score)
    articles: int = 0
    misses: list[str] = field(default_factory=list)

    def total_events(self) -> Score:
        s = Score()
        for v in self.events.values():
            s.add(v)
        return s


def _assign(preds: list[Any], section: dict[str, Any], ok: Any) -> tuple[list[int | None], list[bool], int, list[int]]:
    """Greedy one-to-one matching: must items first, then may. Returns (pred -> must idx), may flags ..."""
    must = section.get("must", []) or []
    may = section.get("may", []) or []
    used: set[int] = set()
    must_hit: list[int | None] = [None] * len(must)
    for gi, g in enumerate(must):
        for pi, p in enumerate(preds):
            if pi not in used and ok(p, g):
                used.add(pi)
                must_hit[gi] = pi
                break
    may_found = 0
    for g in may:
        for pi, p in enumerate(preds):
            if pi not in used and ok(p, g):
                used.add(pi)
                may_found += 1
                break
    bad = [pi for pi, p in enumerate(preds) if pi not in used
           and any(ok(p, g) for g in section.get("must_not", []) or [] if isinstance(g, dict) and set(g) - {"note"})]
    return must_hit, [pi in used for pi in range(len(preds))], may_found, bad


def score_article(a: Analysis, gold: dict[str, Any], report: Report, name: str = "") -> None:
    """Add one article's event and quote counts to ``report``."""
    report.articles += 1
    ev_gold = gold.get("events", {}) or {}
    must_hit, used, _, bad = _assign(a.events, ev_gold, lambda p, g: event_matches(a, p, g))
    for ev, ok in zip(a.events, used, strict=True):
        s = report.events.setdefault(ev.type, Score())
        s.pred += 1
        s.correct += ok
    for i in bad:
        report.events.setdefault(a.events[i].type, Score()).errors += 1
    for g, hit in zip(ev_gold.get("must", []) or [], must_hit, strict=True):
        t = TYPE_ALIASES.get(g.get("type", ""), g.get("type", "?"))
        s = report.events.setdefault(t, Score())
        s.must += 1
        s.found += hit is not None
        if hit is None:
            report.misses.append(f"{name} event {t} p{g.get('paragraph', '?')}")
    for g in ev_gold.get("may", []) or []:
        t = TYPE_ALIASES.get(g.get("type", ""), g.get("type", "?"))
        if any(event_matches(a, p, g) for p in a.events):
            report.events.setdefault(t, Score()).may_found += 1
    q_gold = gold.get("quotes", {}) or {}
    qhit, qused, qmay, qbad = _assign(a.quotes, q_gold, lambda p, g: quote_matches(a, p, g))
    report.quotes.pred += len(a.quotes)
    report.quotes.correct += sum(qused)
    report.quotes.must += len(qhit)
    report.quotes.found += sum(h is not None for h in qhit)
    report.quotes.may_found += qmay
    report.quotes.errors += len(qbad)
    for g, hit in zip(q_gold.get("must", []) or [], qhit, strict=True):
        if hit is None:
            report.misses.append(f"{name} quote {g.get('speaker', '?')} p{g.get('paragraph', '?')}")


def type_counts(gold: list[dict[str, Any]]) -> Counter[str]:
    """Must events per type in a gold list (for the benchmark description)."""
    c: Counter[str] = Counter()
    for g in gold:
        for e in (g.get("events", {}) or {}).get("must", []) or []:
            c[TYPE_ALIASES.get(e.get("type", ""), e.get("type", "?"))] += 1
    return c
