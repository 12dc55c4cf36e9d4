"""Span clean-ups after the CRF: cut at an inner conjunction و, drop ordinary or Darija words glued to a name."""

from __future__ import annotations

import pytest

from marsad.nlp.ner.features import word_key
from marsad.nlp.ner.stage import _darija_word, _split_at_conjunction, _trim_person


@pytest.mark.parametrize(("words", "want"), [
    ("كاسياس وراموس", [(0, 1), (1, 2)]),
    ("مانشستر يونايتد وليون", [(0, 2), (2, 3)]),
    ("محمد وليد", [(0, 2)]),  # وليد is a name, not و + ليد
    ("عبد الله", [(0, 2)]),
])
def test_split_at_conjunction(words: str, want: list[tuple[int, int]]) -> None:
    keys = [word_key(w) for w in words.split()]
    assert _split_at_conjunction(keys, 0, len(keys)) == want


@pytest.mark.parametrize(("words", "lexicon", "end"), [
    ("مها أحمد برنامجا", {"برنامجا": "known"}, 2),
    ("ليون صفر", {}, 1),
    ("عمر البشير", {"بشير": "known"}, 2),
    ("صفر", {}, 0),
    ("بيني غانتس", {}, 2),
])
def test_trim_person(words: str, lexicon: dict[str, str], end: int) -> None:
    keys = [word_key(w) for w in words.split()]
    assert _trim_person(keys, 0, len(keys), lexicon) == end


@pytest.mark.parametrize(("word", "darija"), [
    ("ديالو", True), ("هادشي", True), ("ماكاينش", True), ("كيديرو", True), ("كيطالبو", True),
    ("هادي", False),  # also a name (الرئيس هادي)
    ("ديك", False),  # ديك تشيني
    ("كاسترو", False), ("كيوتو", False), ("غانتس", False),
])
def test_darija_function_words(word: str, darija: bool) -> None:
    assert _darija_word(word_key(word)) is darija
