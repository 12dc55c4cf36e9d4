"""Measure the rule mentions (MONEY, DATE, TIME, QUANTITY, PERCENT) on Wojood's nested multi-column BIO.

``read_wojood_nested(path)`` yields sentences as (tokens, spans) where spans are every (type, first, end)
token range in any column (nested entities included). ``evaluate_rules(path)`` rebuilds each sentence's
text (tokens joined by one space), runs ``rule_mentions`` on it, maps each mention to the tokens it touches,
and scores per type with exact-span and overlap matching. The NER engineer may call either function.

Type mapping: our QUANTITY counts things (26 دولة, 300 جندي) while Wojood's QUANTITY is only measures
(500 متر) and it tags counts as CARDINAL — so QUANTITY is also scored against QUANTITY ∪ CARDINAL
(reported as ``QUANTITY+CARDINAL``; CARDINAL spans cover just the number, so overlap is the fair figure).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from marsad.model import Analysis, Document, Paragraph, Provenance
from marsad.nlp.rules import rule_mentions

RULE_TYPES = ("MONEY", "DATE", "TIME", "QUANTITY", "PERCENT")
Span = tuple[str, int, int]  # (type, first token, end token)


@dataclass(slots=True)
class NestedSentence:
    tokens: list[str]
    spans: list[Span]


def read_wojood_nested(path: str | Path) -> Iterator[NestedSentence]:
    """Sentences of a Wojood file (``token TAG [TAG ...]``, blank line between sentences), nested spans."""
    tokens: list[str] = []
    columns: list[list[str]] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if not parts:
                if tokens:
                    yield NestedSentence(tokens, _spans(columns))
                tokens, columns = [], []
                continue
            tokens.append(parts[0])
            columns.append(parts[1:])
    if tokens:
        yield NestedSentence(tokens, _spans(columns))


def _spans(columns: list[list[str]]) -> list[Span]:
    """Spans from per-token tag lists; a type's span runs from its B- over following I- of the same type."""
    spans: list[Span] = []
    open_: dict[str, int] = {}
    for i, tags in enumerate(columns):
        here: dict[str, str] = {}
        for tag in tags:
            if tag == "O" or "-" not in tag:
                continue
            bio, kind = tag.split("-", 1)
            here[kind] = "B" if bio == "B" or here.get(kind) == "B" else bio
        for kind in list(open_):
            if here.get(kind) != "I":
                spans.append((kind, open_.pop(kind), i))
        for kind, bio in here.items():
            if bio == "B" or kind not in open_:
                if kind in open_:
                    spans.append((kind, open_.pop(kind), i))
                open_[kind] = i
    spans.extend((kind, start, len(columns)) for kind, start in open_.items())
    return spans


def predict_sentence(tokens: list[str], published: str | None = None) -> list[Span]:
    """Rule mentions of a tokenised sentence, as token spans."""
    text = " ".join(tokens)
    starts, pos = [], 0
    for tok in tokens:
        starts.append(pos)
        pos += len(tok) + 1
    doc = Document(text=text, provenance=Provenance("wojood", "conll"), published=published)
    a = Analysis(document=doc, paragraphs=[Paragraph(1, 0, len(text))])
    out: list[Span] = []
    for m in rule_mentions(a):
        first = max(i for i, s in enumerate(starts) if s <= m.start)
        last = max(i for i, s in enumerate(starts) if s < m.end)
        out.append((m.type, first, last + 1))
    return out


def _prf(tp_p: int, n_pred: int, tp_r: int, n_gold: int) -> dict[str, float]:
    p = tp_p / n_pred if n_pred else 0.0
    r = tp_r / n_gold if n_gold else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4)}


def _files(path: str | Path) -> list[Path]:
    p = Path(path)
    return sorted(p.glob("*.txt")) if p.is_dir() else [p]


def evaluate_rules(path: str | Path) -> dict[str, object]:
    """Per-type precision/recall/F1 (exact span and overlap) of the rules on a Wojood file or folder."""
    views = {t: (t,) for t in RULE_TYPES} | {"QUANTITY+CARDINAL": ("QUANTITY", "CARDINAL")}
    gold: dict[str, list[tuple[int, int, int]]] = {v: [] for v in views}
    pred: dict[str, list[tuple[int, int, int]]] = {v: [] for v in views}
    n_tokens, elapsed, sid = 0, 0.0, 0
    for f in _files(path):
        for sent in read_wojood_nested(f):
            t0 = time.perf_counter()
            spans = predict_sentence(sent.tokens)
            elapsed += time.perf_counter() - t0
            n_tokens += len(sent.tokens)
            for view, kinds in views.items():
                ours = "QUANTITY" if view == "QUANTITY+CARDINAL" else view
                gold[view].extend({(sid, s, e) for k, s, e in sent.spans if k in kinds})
                pred[view].extend((sid, s, e) for k, s, e in spans if k == ours)
            sid += 1
    per_type: dict[str, object] = {}
    totals = [0, 0, 0, 0]
    for view in views:
        g, p = gold[view], pred[view]
        gs, ps = set(g), set(p)
        exact = len(gs & ps)
        by_sid: dict[int, list[tuple[int, int]]] = {}
        for s, a, b in g:
            by_sid.setdefault(s, []).append((a, b))
        p_hit = sum(any(a < gb and ga < b for ga, gb in by_sid.get(s, [])) for s, a, b in p)
        pred_sid: dict[int, list[tuple[int, int]]] = {}
        for s, a, b in p:
            pred_sid.setdefault(s, []).append((a, b))
        g_hit = sum(any(a < pb and pa < b for pa, pb in pred_sid.get(s, [])) for s, a, b in g)
        per_type[view] = {"support": len(g), "predicted": len(p), "exact": _prf(exact, len(p), exact, len(g)),
                          "overlap": _prf(p_hit, len(p), g_hit, len(g))}
        if view in RULE_TYPES:
            totals = [totals[0] + exact, totals[1] + len(p), totals[2] + len(g), totals[3]]
    return {
        "files": [str(f) for f in _files(path)],
        "tokens": n_tokens,
        "tokens_per_s": round(n_tokens / elapsed) if elapsed else None,
        "micro_exact": _prf(totals[0], totals[1], totals[0], totals[2]),
        "per_type": per_type,
    }
