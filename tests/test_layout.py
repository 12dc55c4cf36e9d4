"""Layout stage: headline, counters, body paragraphs, related headlines — offsets into the raw text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from marsad.ingest import read
from marsad.model import Analysis, Document, Provenance
from marsad.nlp.layout import ends_sentence, layout

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "samples" / "seed"


def _page(text: str, layout_kind: str = "page", title: str | None = None) -> Analysis:
    doc = Document(text=text, provenance=Provenance(source="t", format="page"), layout=layout_kind, title=title)
    return layout(Analysis(document=doc))


def _check_offsets(a: Analysis) -> None:
    raw = a.document.text
    for p in a.paragraphs:
        piece = raw[p.start:p.end]
        assert piece and piece == piece.strip(), (p, piece)
    assert [p.index for p in a.paragraphs] == list(range(1, len(a.paragraphs) + 1))
    if a.title_start is not None:
        assert raw[a.title_start:a.title_end] == a.title


def test_seed_layout_matches_expected() -> None:
    expected = json.loads((SEED / "expected.json").read_text(encoding="utf-8"))["layout"]
    docs = list(read([str(SEED / "article.txt")]))
    assert len(docs) == 1 and isinstance(docs[0], Document)
    a = layout(Analysis(document=docs[0]))
    d = a.to_dict()
    assert d["title"] == expected["title"]
    assert d["counters"] == expected["counters"]
    assert len(d["paragraphs"]) == expected["body_paragraphs"]
    assert d["paragraphs"][0]["text"].startswith(expected["body_first_words"])
    assert d["paragraphs"][-1]["text"].endswith(expected["body_last_words"])
    assert d["related_headlines"] == expected["related_headlines"]
    body = " ".join(p["text"] for p in d["paragraphs"])
    assert expected["related_headlines"][0] not in body
    assert "251" not in body.split()
    _check_offsets(a)


def test_seed_with_crlf_gives_same_layout() -> None:
    raw = (SEED / "article.txt").read_text(encoding="utf-8")
    lf, crlf = _page(raw), _page(raw.replace("\n", "\r\n"))
    assert crlf.title == lf.title and crlf.counters == lf.counters
    assert crlf.related_headlines == lf.related_headlines
    assert [crlf.span(p.start, p.end) for p in crlf.paragraphs] == [lf.span(p.start, p.end) for p in lf.paragraphs]
    _check_offsets(crlf)


BODY = ("أعلنت الوزارة اليوم عن خطة جديدة لدعم الفلاحين.\n\n"
        "وقال الوزير إن الخطة ستدخل حيز التنفيذ الشهر المقبل.\n\n")


@pytest.mark.parametrize("marker", ["اقرأ أيضا", "اقرأ أيضاً", "مواضيع ذات صلة", "المزيد", "مقالات ذات صلة",
                                    "إقرأ أيضا:"])
def test_marker_starts_related_headlines(marker: str) -> None:
    text = ("عنوان الخبر الرئيسي اليوم\n\n" + BODY + marker + "\n"
            "ارتفاع أسعار المحروقات في الأسواق\nالمنتخب يواجه نظيره المصري وديا.\n")
    a = _page(text)
    assert a.related_headlines == ["ارتفاع أسعار المحروقات في الأسواق", "المنتخب يواجه نظيره المصري وديا."]
    assert len(a.paragraphs) == 2
    _check_offsets(a)


def test_inline_marker_headline() -> None:
    a = _page("عنوان الخبر\n" + BODY + "اقرأ أيضا: الحكومة تصادق على مشروع قانون المالية\n")
    assert a.related_headlines == ["الحكومة تصادق على مشروع قانون المالية"]
    assert len(a.paragraphs) == 2


def test_marker_word_inside_body_is_not_a_marker() -> None:
    a = _page("عنوان\n" + BODY + "وطالب المزيد من المواطنين بتوسيع البرنامج ليشمل مناطق أخرى.\n")
    assert a.related_headlines == [] and len(a.paragraphs) == 3


def test_unpunctuated_last_line_after_unpunctuated_body_stays_body() -> None:
    # the body before it did not end a sentence either: this site just omits final full stops
    text = "عنوان\n\nفقرة أولى طويلة نسبيا دون علامة في آخرها\n\nالاجتماع المقبل سيعقد في العاصمة الرباط"
    a = _page(text)
    assert a.related_headlines == [] and len(a.paragraphs) == 2


@pytest.mark.parametrize("last", [
    "المصدر: وكالة المغرب العربي للأنباء",
    "وأضاف أن اللجنة ستعقد اجتماعها المقبل الأسبوع القادم.",
    "كلمتان فقط",
    ("وقال الوزير في ختام الندوة الصحفية التي عقدها بمقر الوزارة إن الحكومة عازمة على المضي قدما في تنفيذ "
     "الإصلاحات رغم الصعوبات التي تواجهها على المستوى الاقتصادي والاجتماعي"),
])
def test_real_last_paragraphs_are_not_eaten(last: str) -> None:
    a = _page("عنوان\n\n" + BODY + last + "\n")
    assert a.related_headlines == []
    assert a.span(a.paragraphs[-1].start, a.paragraphs[-1].end) == last


def test_trailing_run_of_headlines() -> None:
    a = _page("عنوان\n\n" + BODY + "الأمطار تعود إلى شمال البلاد\n\nتراجع أسعار الذهب في السوق المحلية\n")
    assert a.related_headlines == ["الأمطار تعود إلى شمال البلاد", "تراجع أسعار الذهب في السوق المحلية"]
    assert len(a.paragraphs) == 2


@pytest.mark.parametrize("counters,expected", [
    ("0\n251", [0, 251]),
    ("١٢\n\n٣٤٥", [12, 345]),
    ("1,204", [1204]),
])
def test_counters(counters: str, expected: list[int]) -> None:
    a = _page("عنوان الخبر\n\n" + counters + "\n\n" + BODY)
    assert a.counters == expected and len(a.paragraphs) == 2
    assert a.span(a.paragraphs[0].start, a.paragraphs[0].end).startswith("أعلنت")


def test_number_line_later_in_body_is_body() -> None:
    a = _page("عنوان\n\n" + BODY + "2024\n\nوختم الوزير كلمته بالشكر.\n")
    assert a.counters == [] and len(a.paragraphs) == 4


def test_body_layout_uses_document_title_and_lines() -> None:
    a = _page("السطر الأول.\nالسطر الثاني.\n", layout_kind="body", title="عنوان من المصدر")
    assert a.title == "عنوان من المصدر" and a.title_start is None
    assert [a.span(p.start, p.end) for p in a.paragraphs] == ["السطر الأول.", "السطر الثاني."]


def test_body_layout_blank_line_blocks_keep_wrapped_lines_together() -> None:
    a = _page("سطر أول\nيكمل الفقرة.\n\nفقرة ثانية.", layout_kind="body")
    assert [a.span(p.start, p.end) for p in a.paragraphs] == ["سطر أول\nيكمل الفقرة.", "فقرة ثانية."]


@pytest.mark.parametrize("text", ["", "\n\n", "   \r\n"])
def test_empty_text(text: str) -> None:
    a = _page(text)
    assert a.paragraphs == [] and a.counters == []


@pytest.mark.parametrize("s,expected", [("انتهى.", True), ("قال “نعم”.", True), ("هل يعود؟", True),
                                        ("جملة «مقتبسة.»", True), ("بدون نقطة", False), ("", False)])
def test_ends_sentence(s: str, expected: bool) -> None:
    assert ends_sentence(s) is expected


def test_marker_block_mid_article_then_body_resumes() -> None:
    long_para = ("وفي سياق متصل، أكد رئيس الجماعة أن الأشغال ستستمر طيلة فصل الصيف، وأن السلطات المحلية ستعمل على "
                 "توفير ممرات بديلة للراجلين والسيارات إلى حين انتهاء المشروع في الآجال المحددة له.")
    text = ("عنوان\n\n" + BODY + "اقرأ أيضا: انطلاق أشغال تهيئة الكورنيش\n\n" + long_para + "\n\n"
            "مواضيع ذات صلة\nارتفاع عدد السياح في الصيف\nافتتاح فندق جديد بالمدينة\n")
    a = _page(text)
    assert a.related_headlines == ["انطلاق أشغال تهيئة الكورنيش", "ارتفاع عدد السياح في الصيف",
                                   "افتتاح فندق جديد بالمدينة"]
    assert [a.span(p.start, p.end) for p in a.paragraphs][-1] == long_para and len(a.paragraphs) == 3
    _check_offsets(a)


def test_short_body_paragraph_after_marker_block_is_body() -> None:
    a = _page("عنوان\n\n" + BODY + "اقرأ أيضا: انطلاق أشغال تهيئة الكورنيش\nوأضاف الوزير أن الأشغال ستنتهي قريبا.\n")
    assert a.related_headlines == ["انطلاق أشغال تهيئة الكورنيش"]
    assert a.span(a.paragraphs[-1].start, a.paragraphs[-1].end) == "وأضاف الوزير أن الأشغال ستنتهي قريبا."


def test_body_text_repeating_its_title() -> None:
    a = _page("عنوان من المصدر\nالفقرة الأولى.\nالفقرة الثانية.", layout_kind="body", title="عنوان من المصدر")
    assert (a.title_start, a.title_end) == (0, len("عنوان من المصدر"))
    assert [a.span(p.start, p.end) for p in a.paragraphs] == ["الفقرة الأولى.", "الفقرة الثانية."]


DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "news"


@pytest.mark.slow
def test_real_last_paragraphs_are_rarely_taken_for_related_headlines() -> None:
    """Gate: real article bodies laid out as pages keep their last paragraph (<= 0.2 % may lose it)."""
    bodies = [d for d in read([str(DATA / "ant_jawharafm"), str(DATA / "marsum_goud")])
              if isinstance(d, Document) and d.text]
    lost = 0
    for d in bodies:
        a = _page((d.title or "عنوان") + "\n\n" + d.text)
        lost += bool(a.related_headlines)
    assert len(bodies) == 12119
    assert lost / len(bodies) <= 0.002, lost
