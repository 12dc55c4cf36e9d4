"""Document-level consistency: repeats and bare surnames of tagged names."""

from __future__ import annotations

from marsad.nlp.ner.consistency import Span, propagate


def test_surname_and_full_repeat() -> None:
    stems = [["التقي", "بيني", "غانتس", "امس"], ["قال", "غانتس", "ان"], ["بيني", "غانتس", "وصل"]]
    found = [Span(0, 1, 3, "PERSON", 0.9)]
    new = {(s.sent, s.start, s.end, s.type) for s in propagate(stems, found)}
    assert new == {(1, 1, 2, "PERSON"), (2, 0, 2, "PERSON")}
    assert all(s.source == "consistency" for s in propagate(stems, found))


def test_does_not_overwrite_tagged_tokens_or_short_names() -> None:
    stems = [["مصر", "و", "مصر"], ["مصر"]]
    found = [Span(0, 0, 1, "GPE", 0.9), Span(0, 2, 3, "ORG", 0.5), Span(1, 0, 1, "NORP", 0.9)]
    assert propagate(stems, found) == []
    assert propagate([["ab", "x"], ["ab"]], [Span(0, 0, 1, "ORG", 0.9)]) == []
