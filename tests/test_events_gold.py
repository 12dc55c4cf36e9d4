"""Evaluation gate: events and quotes on the annotated gold set (51 news articles + the seed).

Runs the whole pipeline, so it moves with the NER and linking stages too; the floors are pinned below the
figures recorded in docs/benchmarks.md ("Events and quotes") to catch regressions, not noise.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.nlp.events.evaluate import Report

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold" / "events"
SEED = ROOT.parent / "shared" / "samples" / "seed" / "expected.json"


def _report() -> Report:
    from marsad.nlp.events.gold import evaluate, load_gold
    from marsad.nlp.ner.corpora import data_dir

    return evaluate(load_gold([GOLD, SEED]), data_dir())


@pytest.mark.slow
def test_gold_gate() -> None:
    if not (ROOT.parent / "shared" / "data" / "news").is_dir() and not __import__("os").environ.get("MARSAD_DATA"):
        pytest.skip("shared news data not present")
    report = _report()
    events, quotes = report.total_events(), report.quotes
    assert report.articles >= 52
    assert events.precision >= 0.60 and events.recall >= 0.45, (events.precision, events.recall)
    assert quotes.precision >= 0.75 and quotes.recall >= 0.65, (quotes.precision, quotes.recall)
    assert events.errors == 0 and quotes.errors == 0  # nothing from any must_not list


def test_gold_files_are_well_formed() -> None:
    import json

    files = sorted(GOLD.glob("*.json"))
    anns = [a for f in files for a in json.loads(f.read_text(encoding="utf-8"))]
    assert len(anns) >= 40
    corpora = {a["article"].split("/")[1] for a in anns}
    assert corpora == {"ant_jawharafm", "marsum_goud"}
    for a in anns:
        assert ("id" in a) != ("record" in a), a["article"]
        for section in ("events", "quotes"):
            assert set(a.get(section, {})) <= {"must", "may", "must_not"}
        for e in a["events"].get("must", []):
            assert "type" in e
