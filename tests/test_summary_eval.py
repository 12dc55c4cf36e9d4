"""Gate on real data (slow): summaries keep up with the lead baseline against MArSum headlines."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
summary_eval = pytest.importorskip("summary_eval")
pytestmark = pytest.mark.slow


def test_rouge_against_headlines_on_held_out_rows() -> None:
    from marsad import summary
    from marsad.text import search_terms

    rows = summary_eval.load_marsum()[500:800]
    if not rows:
        pytest.skip("../shared/data not present")
    ours = lead = 0.0
    for art in rows:
        a = summary_eval.analysis_of(art.text)
        sents = a.sentences()
        keep = summary.candidates(a)
        units = [summary.sentence_terms(sents[i], a.text) for i in keep]
        ref = search_terms(art.title)
        picked = [t for i in summary.select(units, 1) for t in units[i]]
        ours += summary_eval.rouge_n(picked, ref, 1)[2]
        lead += summary_eval.rouge_n(units[0] if units else [], ref, 1)[2]
    ours, lead = ours / len(rows), lead / len(rows)
    assert ours >= 0.21  # 23.8 measured on rows 501-1981
    assert ours >= lead - 0.01


@pytest.mark.parametrize("cand, ref, expected", [
    (["a", "b", "c"], ["a", "b", "c"], 1.0),
    (["a", "b"], ["c", "d"], 0.0),
    (["a", "b", "c", "d"], ["a", "x", "c", "y"], 0.5),
])
def test_rouge_implementation(cand: list[str], ref: list[str], expected: float) -> None:
    assert summary_eval.rouge_n(cand, ref, 1)[2] == pytest.approx(expected)
    assert summary_eval.rouge_l(cand, ref)[2] == pytest.approx(expected)
