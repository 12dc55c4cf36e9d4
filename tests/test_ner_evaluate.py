"""Exact-span scoring and the ANERcorp scheme."""

from __future__ import annotations

import pytest

from marsad.nlp.ner.evaluate import ANERCORP_SCHEME, PLATFORMS_SCHEME, remap, score


def test_exact_span_counts() -> None:
    gold = [["B-PERS", "I-PERS", "O", "B-LOC"]]
    pred = [["B-PERS", "O", "O", "B-LOC"]]  # a partial person span is a miss and a false alarm
    r = score(gold, pred)
    assert r["per_type"]["PERS"] == {"p": 0.0, "r": 0.0, "f1": 0.0, "support": 1}
    assert r["per_type"]["LOC"]["f1"] == 1.0
    assert r["micro"] == {"p": 0.5, "r": 0.5, "f1": 0.5}
    assert r["macro_f1"] == 0.5


@pytest.mark.parametrize(("fine", "coarse"), [
    ("B-PERSON", "B-PERS"), ("I-GPE", "I-LOC"), ("B-FAC", "B-LOC"), ("B-WEAPON", "B-MISC"),
    ("B-NORP", "O"), ("B-MONEY", "O"), ("O", "O"),
])
def test_anercorp_scheme(fine: str, coarse: str) -> None:
    assert remap([fine], ANERCORP_SCHEME) == [coarse]


def test_platforms_scheme_counts_vehicles_as_weapons() -> None:
    assert remap(["B-VEHICLE", "I-VEHICLE", "B-GPE", "B-MISC"], PLATFORMS_SCHEME) == ["B-WEAPON", "I-WEAPON", "B-GPE", "O"]


def test_types_filter() -> None:
    r = score([["B-A", "B-B"]], [["B-A", "O"]], types=["A"])
    assert list(r["per_type"]) == ["A"] and r["micro"]["f1"] == 1.0
