"""In-article near-duplicates: paragraphs (the seed's paragraph 9 restates paragraph 6) and sentences."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from marsad.dedup import duplicate_sentences, find_duplicate_paragraphs, mark_duplicate_paragraphs
from marsad.model import Analysis, Document, Paragraph, Provenance, Sentence
from marsad.text import tokenize

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "samples" / "seed"
_SENT_END = re.compile(r"[.!؟?]+(?=\s|$)")


def build(text: str, blocks: list[tuple[int, int]]) -> Analysis:
    """An Analysis with the given paragraph spans, sentences split at . ! ؟ and tokens from the text module."""
    a = Analysis(document=Document(text=text, provenance=Provenance(source="test", format="body")))
    for n, (start, end) in enumerate(blocks, 1):
        p = Paragraph(index=n, start=start, end=end)
        pos = start
        for m in list(_SENT_END.finditer(text, start, end)) + [None]:
            stop = m.end() if m else end
            if text[pos:stop].strip():
                s0 = pos + len(text[pos:stop]) - len(text[pos:stop].lstrip())
                p.sentences.append(Sentence(s0, stop, n, tokenize(text, s0, stop)))
            pos = stop
            if m is None:
                break
        a.paragraphs.append(p)
    return a


def blocks_of(text: str) -> list[tuple[int, int]]:
    """Spans of blank-line separated blocks, stripped."""
    out = []
    for m in re.finditer(r"[^\n]+(?:\n[^\n]+)*", text):
        s, e = m.start(), m.end()
        while e > s and text[e - 1].isspace():
            e -= 1
        out.append((s, e))
    return out


def from_paragraphs(*paragraphs: str) -> Analysis:
    text = "\n\n".join(paragraphs)
    return build(text, blocks_of(text))


@pytest.fixture(scope="module")
def seed() -> Analysis:
    text = (SEED / "article.txt").read_text(encoding="utf-8")
    blocks = blocks_of(text)
    # layout by hand: headline, the two counters, 11 body paragraphs, one related headline
    body = blocks[2:-1]
    assert len(body) == 11
    return build(text, body)


def test_seed_paragraph_9_restates_paragraph_6(seed: Analysis) -> None:
    expected = json.loads((SEED / "expected.json").read_text(encoding="utf-8"))["duplicates"]["must"]
    a = mark_duplicate_paragraphs(seed)
    marked = {p.index: p.duplicate_of for p in a.paragraphs if p.duplicate_of is not None}
    for item in expected:
        p = a.paragraphs[item["paragraph"] - 1]
        assert a.span(p.start, p.end).startswith(item["text_starts"])
        assert p.duplicate_of == item["near_duplicate_of_paragraph"]
    assert marked == {9: 6}  # and nothing else in the seed


def test_seed_duplicate_sentence_points_into_paragraph_6(seed: Analysis) -> None:
    a = mark_duplicate_paragraphs(seed)
    sentences = a.sentences()
    dups = duplicate_sentences(a)
    assert dups, "the restated sentence must be found"
    for j, i in dups.items():
        assert sentences[j].paragraph == 9
        assert sentences[i].paragraph == 6


@pytest.mark.parametrize(
    "first, second",
    [
        # diacritics, hamza forms and punctuation changed
        ("أعلنت وزارة الصحة اليوم عن تسجيل حالات جديدة في ولاية صفاقس خلال الأسبوع الماضي.",
         "اعلنت وزارةُ الصحة اليوم، عن تسجيل حالات جديدة في ولاية صفاقس خلال الاسبوع الماضي"),
        # a clitic added and a trailing attribution
        ("قال الرئيس إن الحكومة ستواصل دعم الفلاحين في مواجهة الجفاف الذي يضرب البلاد منذ سنتين.",
         "وقال الرئيس إن الحكومة ستواصل دعم الفلاحين في مواجهة الجفاف الذي يضرب البلاد منذ سنتين، حسب البيان."),
    ],
)
def test_restated_paragraph_is_marked(first: str, second: str) -> None:
    a = mark_duplicate_paragraphs(from_paragraphs(first, "فقرة أخرى لا علاقة لها بالموضوع تتحدث عن الطقس والأمطار.", second))
    assert [p.duplicate_of for p in a.paragraphs] == [None, None, 1]


@pytest.mark.parametrize(
    "first, second",
    [
        # same topic and names, different facts
        ("التقى وزير الخارجية المغربي نظيره الإسرائيلي في الرباط لبحث التعاون الاقتصادي بين البلدين.",
         "وأكد وزير الخارجية المغربي أن المفاوضات مع الجانب الإسرائيلي ستتواصل الشهر المقبل في تل أبيب."),
        # a short paragraph made of words of the first one
        ("أعلنت وزارة الصحة اليوم عن تسجيل حالات جديدة في ولاية صفاقس خلال الأسبوع الماضي.",
         "وزارة الصحة"),
    ],
)
def test_related_but_different_paragraph_is_not_marked(first: str, second: str) -> None:
    a = mark_duplicate_paragraphs(from_paragraphs(first, second))
    assert [p.duplicate_of for p in a.paragraphs] == [None, None]


def test_longer_later_paragraph_containing_an_earlier_one_is_not_a_duplicate() -> None:
    short = "أعلنت وزارة الصحة اليوم عن تسجيل حالات جديدة في ولاية صفاقس خلال الأسبوع الماضي."
    longer = short + " وأضافت أن الوضع الوبائي مستقر وأن حملة التلقيح ستنطلق في الأيام القادمة في كل المعتمديات."
    assert find_duplicate_paragraphs(from_paragraphs(short, longer)) == {}


def test_copy_of_a_copy_points_to_the_original() -> None:
    p = "أعلنت وزارة الصحة اليوم عن تسجيل حالات جديدة في ولاية صفاقس خلال الأسبوع الماضي."
    assert find_duplicate_paragraphs(from_paragraphs(p, p, p)) == {2: 1, 3: 1}


def test_paragraphs_without_sentences_use_their_text() -> None:
    p = "أعلنت وزارة الصحة اليوم عن تسجيل حالات جديدة في ولاية صفاقس خلال الأسبوع الماضي."
    a = from_paragraphs(p, "شيء آخر تماما لا صلة له", p)
    for par in a.paragraphs:
        par.sentences = []
    assert find_duplicate_paragraphs(a) == {3: 1}


def test_repeated_sentence_inside_a_new_paragraph() -> None:
    s1 = "أعلنت وزارة الصحة اليوم عن تسجيل حالات جديدة في ولاية صفاقس خلال الأسبوع الماضي."
    s2 = "وأضافت الوزارة أن حملة التلقيح ستنطلق في الأيام القادمة في كل المعتمديات والمدن الكبرى."
    a = mark_duplicate_paragraphs(from_paragraphs(s1, s2 + " " + s1.replace("أعلنت", "وأعلنت")))
    assert [p.duplicate_of for p in a.paragraphs] == [None, None]  # paragraph 2 adds a new sentence
    assert duplicate_sentences(a) == {2: 0}


def test_seed_through_the_real_pipeline() -> None:
    from marsad.pipeline import Pipeline

    text = (SEED / "article.txt").read_text(encoding="utf-8")
    document = Document(text=text, provenance=Provenance(source=str(SEED / "article.txt"), format="page"), layout="page")
    a = Pipeline(["layout", "sentences", "paragraph_dedup", "summary"])(document)
    assert {p.index: p.duplicate_of for p in a.paragraphs if p.duplicate_of} == {9: 6}
    sentences = a.sentences()
    assert a.summary and all(sentences[i].paragraph != 9 for i in a.summary)


@pytest.mark.parametrize(
    "first, second",
    [
        ("البطارية : بحجم 3000 مللي امبير تدعم الشحن السريع واللاسلكي .",
         "البطارية : بحجم 3500 مللي امبير تدعم الشحن السريع واللاسلكي ."),
        ("قرر المكتب الجامعي تسليط عقوبة مالية قدرها 1000 دينار على النادي من اجل اشعال شماريخ على المدارج",
         "قرر المكتب الجامعي تسليط عقوبة مالية قدرها 2000 دينار على النادي من اجل اشعال شماريخ على المدارج"),
    ],
)
def test_same_template_with_different_figures_is_not_a_duplicate(first: str, second: str) -> None:
    assert find_duplicate_paragraphs(from_paragraphs(first, second)) == {}
