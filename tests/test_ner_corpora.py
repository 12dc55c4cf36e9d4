"""Readers for ANERcorp CoNLL, WikiFANE and Wojood, and BIO span extraction."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.nlp.ner.corpora import (
    ANERCORP_TYPES,
    WIKIFANE_TYPES,
    WOJOOD_TYPES,
    map_tags,
    read_any,
    read_conll,
    read_wikifane,
    read_wojood,
    spans,
)


def test_conll(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_text("أعلن O\nاتحاد B-ORG\nصناعة I-ORG\nفي O\nألمانيا B-LOC\n\nقال O\nبوش B-PERS\n", encoding="utf-8")
    sents = read_conll(p)
    assert [len(s) for s in sents] == [5, 2]
    assert sents[0][1] == ("اتحاد", "B-ORG") and sents[1][1] == ("بوش", "B-PERS")
    assert read_any(p)[1] is ANERCORP_TYPES


def test_wikifane_strips_lrm_and_crlf(tmp_path: Path) -> None:
    p = tmp_path / "WikiFANE_x.txt"
    p.write_bytes("\u200eجمهورية\tB-Nation\r\n\u200eمصر\tI-Nation\r\n\u060c\tO\r\n\r\n\u200eهيلفاير\tB-Projectile\r\n"
                  .encode("utf-8"))
    sents = read_wikifane(p)
    assert sents[0][0] == ("جمهورية", "B-Nation")
    mapped = map_tags(sents, WIKIFANE_TYPES)
    assert mapped[0][1][1] == "I-GPE" and mapped[1][0][1] == "B-WEAPON"
    assert read_any(p)[1] is WIKIFANE_TYPES


def test_wojood_outer_layer_and_inner_choice(tmp_path: Path) -> None:
    p = tmp_path / "train.txt"
    p.write_text("في O\nمجلس B-ORG\nالأمن I-ORG\nالأسد I-ORG B-PERS\n$#$ O\n\nعام B-DATE\n1948 I-DATE\n",
                 encoding="utf-8")
    outer = read_wojood(p)
    assert [t for _, t in outer[0]] == ["O", "B-ORG", "I-ORG", "I-ORG"]
    inner = read_wojood(p, inner=frozenset({"PERS"}))
    assert [t for _, t in inner[0]] == ["O", "B-ORG", "I-ORG", "B-PERS"]
    assert map_tags(outer, WOJOOD_TYPES)[1] == [("عام", "B-DATE"), ("1948", "I-DATE")]


@pytest.mark.parametrize(("tags", "expected"), [
    (["B-PERS", "I-PERS", "O", "B-LOC"], {(0, 2, "PERS"), (3, 4, "LOC")}),
    (["I-ORG", "I-ORG"], {(0, 2, "ORG")}),
    (["B-ORG", "I-LOC"], {(0, 1, "ORG"), (1, 2, "LOC")}),
    (["B-LOC", "B-LOC"], {(0, 1, "LOC"), (1, 2, "LOC")}),
    (["O"], set()),
])
def test_spans(tags: list[str], expected: set[tuple[int, int, str]]) -> None:
    assert spans(tags) == expected


def test_map_tags_drops_unmapped_and_repairs() -> None:
    out = map_tags([[("a", "B-OCC"), ("b", "I-OCC"), ("c", "B-PERS")]], WOJOOD_TYPES)
    assert out == [[("a", "O"), ("b", "O"), ("c", "B-PERSON")]]
