"""The ``sentences`` pipeline stage: paragraphs → sentences → tokens, all as raw offsets."""

from __future__ import annotations

from pathlib import Path

from conftest import assert_spans

from marsad.model import Analysis, Document, Paragraph, Provenance
from marsad.nlp.segment import segment
from marsad.pipeline import Pipeline
from marsad.text import fold


def _analysis(text: str, paragraphs: list[tuple[int, int]]) -> Analysis:
    doc = Document(text=text, provenance=Provenance(source="test", format="body"))
    return Analysis(document=doc, paragraphs=[Paragraph(i + 1, s, e) for i, (s, e) in enumerate(paragraphs)])


def test_fills_sentences_and_tokens_per_paragraph() -> None:
    text = "قال الوزير. وأضاف أن الاتفاق مهم.\n\nوقال د. أحمد: «نعم. لا»."
    second = text.index("وقال")
    a = segment(_analysis(text, [(0, text.index("\n")), (second, len(text))]))
    assert [[text[s.start:s.end] for s in p.sentences] for p in a.paragraphs] == [
        ["قال الوزير.", "وأضاف أن الاتفاق مهم."],
        ["وقال د. أحمد: «نعم. لا»."],
    ]
    assert [s.paragraph for s in a.sentences()] == [1, 1, 2]
    words = [text[t.start:t.end] for t in a.sentences()[1].tokens]
    assert words == ["وأضاف", "أن", "الاتفاق", "مهم", "."]
    assert_spans(a)


def test_no_paragraphs_no_sentences() -> None:
    a = segment(_analysis("نص بلا فقرات.", []))
    assert a.sentences() == []


def test_document_context_reaches_across_paragraphs() -> None:
    text = "التقى غانتس الوزير.\nوقال بغانتس إن"
    a = segment(_analysis(text, [(0, 19), (20, len(text))]))
    tok = next(t for t in a.sentences()[1].tokens if text[t.start:t.end] == "بغانتس")
    assert (tok.prefix, tok.stem, text[tok.stem_start:tok.end]) == ("ب", "غانتس", "غانتس")


def test_seed_through_layout_and_segment(seed_path: Path) -> None:
    text = seed_path.read_text(encoding="utf-8")
    doc = Document(text=text, provenance=Provenance(source=str(seed_path), format="page"), layout="page")
    a = Pipeline(["layout", "sentences"])(doc)
    assert_spans(a)
    assert a.done == ["layout", "sentences"]
    sentences = a.sentences()
    assert len(sentences) >= len(a.paragraphs) >= 10
    for p in a.paragraphs:
        assert p.sentences, p
        for s in p.sentences:
            assert s.paragraph == p.index
            assert s.tokens
            for t in s.tokens:
                assert t.norm == fold(text[t.start:t.end])
                assert t.start <= t.stem_start < t.end
    stems = {(text[t.start:t.end], t.stem, text[t.stem_start:t.end]) for s in sentences for t in s.tokens}
    assert ("ببيوض", "بيوض", "بيوض") in stems
    assert ("للرباط", "رباط", "رباط") in stems
    assert ("وإسرائيل", "اسرائيل", "إسرائيل") in stems
    assert ("مقاتلات", "مقاتلات", "مقاتلات") in stems and ("F5", "F5", "F5") in stems
