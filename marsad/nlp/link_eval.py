"""Within-article coreference scores of the linking stage on the hand-annotated gold set.

Gold: ``tests/gold/coref/coref.jsonl`` (offsets into ``Document.text`` of shared news articles, built from
``spec.json`` by ``bench/coref_annotate.py``). Two modes:

* ``oracle``: the gold mentions (span + type) are given to :func:`marsad.nlp.link.link_entities`; this
  measures linking alone.
* ``pipeline``: the full pipeline up to linking runs on the document; predicted mentions overlapping a gold
  mention stand for it (missed gold mentions count as singletons), measuring NER + linking together.

Scores: pairwise links (precision/recall of "same entity" mention pairs), B-cubed and MUC.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from marsad.errors import ModelError
from marsad.model import Analysis, Mention
from marsad.nlp.link import link_entities
from marsad.text import fold

GOLD_FILE = Path(__file__).resolve().parents[2] / "tests" / "gold" / "coref" / "coref.jsonl"
Clusters = dict[int, str]  # mention key (gold index) -> cluster label


@dataclass(slots=True)
class CorefScores:
    """Summed counts over articles and the derived precision/recall/F1 figures."""

    articles: int = 0
    mentions: int = 0
    pair_tp: int = 0
    pair_pred: int = 0
    pair_gold: int = 0
    b3_p: float = 0.0
    b3_r: float = 0.0
    muc_num_r: int = 0
    muc_den_r: int = 0
    muc_num_p: int = 0
    muc_den_p: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    @staticmethod
    def _f(p: float, r: float) -> float:
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)

    def as_dict(self) -> dict[str, Any]:
        pp = self.pair_tp / self.pair_pred if self.pair_pred else 1.0
        pr = self.pair_tp / self.pair_gold if self.pair_gold else 1.0
        bp = self.b3_p / self.mentions if self.mentions else 0.0
        br = self.b3_r / self.mentions if self.mentions else 0.0
        mp = self.muc_num_p / self.muc_den_p if self.muc_den_p else 1.0
        mr = self.muc_num_r / self.muc_den_r if self.muc_den_r else 1.0
        r3 = lambda x: round(x, 3)
        return {"articles": self.articles, "mentions": self.mentions,
                "pairwise": {"precision": r3(pp), "recall": r3(pr), "f1": r3(self._f(pp, pr)),
                             "tp": self.pair_tp, "predicted": self.pair_pred, "gold": self.pair_gold},
                "b3": {"precision": r3(bp), "recall": r3(br), "f1": r3(self._f(bp, br))},
                "muc": {"precision": r3(mp), "recall": r3(mr), "f1": r3(self._f(mp, mr))}}


def _groups(c: Clusters) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {}
    for k, lab in c.items():
        out.setdefault(lab, set()).add(k)
    return out


def _muc(key: Clusters, response: Clusters) -> tuple[int, int]:
    """MUC numerator/denominator of key against response (recall; swap the arguments for precision)."""
    num = den = 0
    for members in _groups(key).values():
        parts = {response.get(k, f"_single{k}") for k in members}
        num += len(members) - len(parts)
        den += len(members) - 1
    return num, den


def score_article(gold: Clusters, pred: Clusters, acc: CorefScores) -> None:
    """Add one article's counts to ``acc``; ``gold`` and ``pred`` label the same mention keys."""
    keys = sorted(gold)
    acc.articles += 1
    acc.mentions += len(keys)
    for a, b in combinations(keys, 2):
        g, p = gold[a] == gold[b], pred[a] == pred[b]
        acc.pair_gold += g
        acc.pair_pred += p
        acc.pair_tp += g and p
    gg, pg = _groups(gold), _groups(pred)
    for k in keys:
        gset, pset = gg[gold[k]], pg[pred[k]]
        inter = len(gset & pset)
        acc.b3_p += inter / len(pset)
        acc.b3_r += inter / len(gset)
    n, d = _muc(gold, pred)
    acc.muc_num_r += n
    acc.muc_den_r += d
    n, d = _muc(pred, gold)
    acc.muc_num_p += n
    acc.muc_den_p += d


def load_gold(path: Path = GOLD_FILE) -> list[dict[str, Any]]:
    """The gold records (file, sha256, mentions)."""
    if not path.is_file():
        raise ModelError(f"coreference gold set not found: {path}")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _document(record: dict[str, Any], data_dir: Path):  # type: ignore[no-untyped-def]
    from marsad.ingest import read

    want = record.get("record")
    doc = next((d for d in read([str(data_dir / record["file"])]) if not isinstance(d, Exception)
                and (want is None or d.provenance.record == want)), None)
    if doc is None or doc.sha256 != record["sha256"]:
        raise ModelError(f"{record['file']}: document missing or changed since annotation (sha256 differs)")
    return doc


def evaluate(data_dir: Path, *, mode: str = "oracle", path: Path = GOLD_FILE) -> CorefScores:
    """Score linking on the gold set; ``mode`` is 'oracle' (gold mentions) or 'pipeline' (NER mentions)."""
    acc = CorefScores()
    for rec in load_gold(path):
        doc = _document(rec, data_dir)
        gm = rec["mentions"]
        gold = {i: f"g{m['cluster']}" for i, m in enumerate(gm)}
        if mode == "oracle":
            a = Analysis(doc)
            a.mentions = [Mention(m["type"], m["start"], m["end"], m["text"], 0, fold(m["text"])) for m in gm]
            link_entities(a)
            pred = {i: a.mentions[i].entity_id or f"_none{i}" for i in range(len(gm))}
        else:
            from marsad.pipeline import Pipeline

            a = Pipeline(["layout", "sentences", "paragraph_dedup", "entities", "linking"])(doc)
            pred = {}
            for i, m in enumerate(gm):
                hit = next((p for p in a.mentions if p.start < m["end"] and m["start"] < p.end and p.entity_id), None)
                pred[i] = hit.entity_id if hit else f"_missed{i}"  # type: ignore[assignment]
        score_article(gold, pred, acc)
        for i, j in combinations(range(len(gm)), 2):
            if (gold[i] == gold[j]) != (pred[i] == pred[j]):
                kind = "missed link" if gold[i] == gold[j] else "wrong link"
                acc.errors.append({"file": rec["file"], "kind": kind, "a": gm[i]["text"], "b": gm[j]["text"]})
    return acc
