"""Coreference gate: linking on the hand-annotated gold set keeps its measured quality (reads shared data)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from marsad.nlp.link_eval import CorefScores, evaluate, score_article

REPO = Path(__file__).resolve().parent.parent


def test_scores_on_a_toy_article() -> None:
    acc = CorefScores()
    gold = {0: "a", 1: "a", 2: "b", 3: "b"}
    score_article(gold, {0: "x", 1: "x", 2: "y", 3: "z"}, acc)  # one link missed, none wrong
    d = acc.as_dict()
    assert d["pairwise"] == {"precision": 1.0, "recall": 0.5, "f1": 0.667, "tp": 1, "predicted": 1, "gold": 2}
    assert d["b3"]["precision"] == 1.0 and d["b3"]["recall"] == 0.75
    assert d["muc"]["recall"] == 0.5


@pytest.mark.slow
def test_oracle_gate(data_dir: Path) -> None:
    d = evaluate(data_dir, mode="oracle").as_dict()
    assert d["articles"] >= 15 and d["mentions"] >= 230
    assert d["pairwise"]["precision"] >= 0.98 and d["pairwise"]["recall"] >= 0.85
    assert d["b3"]["f1"] >= 0.96


@pytest.mark.slow
def test_gold_offsets_rebuild_from_spec(data_dir: Path) -> None:
    rc = subprocess.run([sys.executable, str(REPO / "bench" / "coref_annotate.py"), "--check"],
                        check=False, cwd=REPO, env={"MARSAD_DATA": str(data_dir), "PATH": ""},
                        capture_output=True)
    assert rc.returncode == 0, rc.stderr
