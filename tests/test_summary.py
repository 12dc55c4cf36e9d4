"""Extractive summaries: n sentences, in text order, never from duplicates."""

from __future__ import annotations

import pytest
from test_dedup import from_paragraphs

from marsad.dedup import mark_duplicate_paragraphs
from marsad.model import Analysis
from marsad.summary import candidates, lead, select, summarize

P1 = ("أعلنت وزارة الصحة اليوم الاثنين عن تسجيل ثلاثين إصابة جديدة بفيروس كورونا في ولاية صفاقس. "
      "وأضافت الوزارة أن الإصابات الجديدة سجلت في معتمديات ساقية الزيت وصفاقس المدينة.")
P2 = ("ودعت وزارة الصحة المواطنين في صفاقس إلى احترام البروتوكول الصحي وارتداء الكمامات. "
      "وقررت السلطات الجهوية غلق الأسواق الأسبوعية في الولاية لمدة أسبوعين للحد من الإصابات.")
P3 = ("من جهة أخرى تساقطت أمطار غزيرة على ولايات الشمال الغربي يوم الأحد. "
      "وأكد مركز الرصد الجوي أن الطقس سيتحسن بداية من يوم الثلاثاء.")
P4 = "أعلنت وزارة الصحة اليوم الاثنين عن تسجيل ثلاثين إصابة جديدة بفيروس كورونا في ولاية صفاقس."


def analysed(*paragraphs: str) -> Analysis:
    return mark_duplicate_paragraphs(from_paragraphs(*paragraphs))


def test_three_sentences_in_text_order() -> None:
    a = summarize(analysed(P1, P2, P3))
    assert len(a.summary) == 3
    assert a.summary == sorted(a.summary)
    assert all(0 <= i < len(a.sentences()) for i in a.summary)


@pytest.mark.parametrize("n", [1, 2, 4])
def test_number_of_sentences_is_configurable(n: int) -> None:
    assert len(summarize(analysed(P1, P2, P3), sentences=n).summary) == n


def test_never_picks_a_duplicate_paragraph() -> None:
    a = analysed(P1, P2, P3, P4)
    assert a.paragraphs[3].duplicate_of == 1
    a = summarize(a, sentences=10)
    sentences = a.sentences()
    assert all(sentences[i].paragraph != 4 for i in a.summary)
    assert len(a.summary) == 6


def test_off_topic_paragraph_ranks_below_the_main_story() -> None:
    a = summarize(analysed(P1, P2, P3), sentences=2)
    assert all(a.sentences()[i].paragraph in (1, 2) for i in a.summary)
    assert 0 in a.summary  # the lead sentence states the news


def test_seed_summary_skips_paragraph_9() -> None:
    from test_dedup import SEED, blocks_of, build

    text = (SEED / "article.txt").read_text(encoding="utf-8")
    a = mark_duplicate_paragraphs(build(text, blocks_of(text)[2:-1]))
    sentences = a.sentences()
    assert all(sentences[i].paragraph != 9 for i in candidates(a))
    a = summarize(a)
    assert len(a.summary) == 3 and all(sentences[i].paragraph != 9 for i in a.summary)


def test_empty_article_has_empty_summary() -> None:
    a = summarize(from_paragraphs())
    assert a.summary == []


def test_lead_baseline_and_redundancy() -> None:
    a = analysed(P1, P2, P3)
    assert lead(a, sentences=2) == [0, 1]
    same = [["وزارة", "صحة", "اعلنت", "اصابات"], ["وزارة", "صحة", "اعلنت", "اصابات"], ["طقس", "امطار", "شمال"]]
    assert select(same, 2) == [0, 2]
