"""Document-level consistency: repeats and bare surnames of tagged names."""

from __future__ import annotations

from marsad.nlp.ner.consistency import Span, propagate


def test_surname_and_full_repeat() -> None:
    stems = [["التقي", "بيني", "غانتس", "امس"], ["قال", "غانتس", "ان"], ["بيني", "غانتس", "وصل"]]
    found = [Span(0, 1, 3, "PERSON", 0.9)]
    new, replaced = propagate(stems, found)
    assert {(s.sent, s.start, s.end, s.type) for s in new} == {(1, 1, 2, "PERSON"), (2, 0, 2, "PERSON")}
    assert all(s.source == "consistency" for s in new) and replaced == []


def test_full_name_absorbs_a_fragment() -> None:
    stems = [["التقي", "عبد", "رحيم", "بيوض"], ["رئيس", "بعثة", "عبد", "رحيم", "بيوض"]]
    fragment = Span(1, 2, 4, "PERSON", 0.9)
    new, replaced = propagate(stems, [Span(0, 1, 4, "PERSON", 0.9), fragment])
    assert [(s.sent, s.start, s.end) for s in new] == [(1, 2, 5)]
    assert replaced == [fragment]


def test_does_not_overwrite_other_types_or_short_names() -> None:
    stems = [["مصر", "و", "مصر"], ["مصر"]]
    found = [Span(0, 0, 1, "GPE", 0.9), Span(0, 2, 3, "ORG", 0.5), Span(1, 0, 1, "NORP", 0.9)]
    assert propagate(stems, found) == ([], [])
    assert propagate([["ab", "x"], ["ab"]], [Span(0, 0, 1, "ORG", 0.9)]) == ([], [])
