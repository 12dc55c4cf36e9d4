"""Cross-article near-duplicates: NearDuplicateIndex (MinHash LSH over normalised word shingles)."""

from __future__ import annotations

import pytest

from marsad.dedup import NearDuplicateIndex

BASE = (
    "أعلنت وزارة الصحة اليوم الاثنين عن تسجيل ثلاثين حالة جديدة في ولاية صفاقس خلال الأسبوع الماضي. "
    "وأضافت الوزارة في بلاغ لها أن الوضع الوبائي مستقر وأن حملة التلقيح ستنطلق في الأيام القادمة. "
    "ودعت المواطنين إلى احترام البروتوكول الصحي وارتداء الكمامات في الفضاءات العامة والمغلقة. "
    "كما أكدت أن المستشفيات الجهوية جاهزة لاستقبال المرضى وأن مخزون الأدوية كاف لتغطية حاجيات الجهة."
)
OTHER = (
    "تدور اليوم الأحد مقابلات الجولة الرابعة إياب من بطولة الرابطة المحترفة الأولى لكرة القدم. "
    "ويستقبل النادي الصفاقسي ضيفه الترجي الرياضي على ملعب الطيب المهيري انطلاقا من الساعة الثالثة. "
    "وتنقل القناة الوطنية المقابلة مباشرة فيما يغيب عن الفريقين عدد من اللاعبين بسبب الإصابة."
)


@pytest.mark.parametrize(
    "variant",
    [
        BASE,  # exact copy
        "عنوان جديد تماما للخبر\n\n" + BASE,  # changed headline
        BASE.replace("،", "").replace(".", " ،"),  # punctuation
        BASE.replace("وزارة", "وِزارَةُ").replace("الصحة", "الصّحّة"),  # diacritics
        BASE + " وفي سياق آخر تساقطت الأمطار بغزارة على الشمال الغربي للبلاد.",  # trailing paragraph
        BASE.rsplit(". ", 1)[0] + ".",  # last paragraph dropped
    ],
)
def test_variant_is_found(variant: str) -> None:
    idx = NearDuplicateIndex()
    assert idx.add("a", BASE) == []
    assert idx.add("b", OTHER) == []
    found = idx.add("c", variant)
    assert [m.doc_id for m in found] == ["a"]
    doc_id, jaccard = found[0]  # (existing_id, estimated_jaccard) unpacking
    assert doc_id == "a" and 0.0 < jaccard <= 1.0


def test_unrelated_article_is_not_a_duplicate() -> None:
    idx = NearDuplicateIndex()
    idx.add("a", BASE)
    assert idx.query(OTHER) == []


def test_re_adding_an_id_is_a_no_op() -> None:
    idx = NearDuplicateIndex()
    idx.add("a", BASE)
    assert idx.add("a", BASE) == []
    assert len(idx) == 1


def test_short_texts_match_only_exactly() -> None:
    idx = NearDuplicateIndex()
    idx.add("a", "وزارة الصحة")
    assert [m.doc_id for m in idx.add("b", "وَزارة الصحة!")] == ["a"]
    assert idx.add("c", "وزارة الداخلية") == []


def test_index_text_is_the_body_without_headline() -> None:
    from marsad.dedup import index_text, record_text
    from marsad.model import Document, Provenance
    from marsad.pipeline import Pipeline

    page = "عنوان الخبر هنا\n\n" + BASE.replace(". ", ".\n\n")
    a = Pipeline(["layout"])(Document(text=page, provenance=Provenance(source="t", format="page"), layout="page"))
    body = index_text(a)
    assert "عنوان الخبر" not in body and body.startswith("أعلنت وزارة الصحة")
    assert record_text(a.to_dict()) == body
    idx = NearDuplicateIndex()
    idx.add("a", BASE)
    assert [m.doc_id for m in idx.query(body)] == ["a"]
