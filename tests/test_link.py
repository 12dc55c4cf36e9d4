"""Linking rules on small hand-made articles: short forms, clitics, spellings, first names, roles, ids."""

from __future__ import annotations

import pytest

from marsad.model import Analysis, Document, Mention, Provenance
from marsad.nlp.link import entity_id, link_entities
from marsad.text import fold


def analysed(text: str, spans: list[tuple[str, str]]) -> Analysis:
    """Link mentions given as (type, surface), taking occurrences left to right without overlap."""
    a = Analysis(Document(text, Provenance("test", "page")))
    pos = 0
    for typ, surface in spans:
        s = text.index(surface, pos)
        a.mentions.append(Mention(typ, s, s + len(surface), surface, 1, fold(surface)))
        pos = s + len(surface)
    return link_entities(a)


def same(a: Analysis, i: int, j: int) -> bool:
    return a.mentions[i].entity_id == a.mentions[j].entity_id


@pytest.mark.parametrize("text,spans", [
    ("التقى بيني غانتس أمس. وقال غانتس إن", [("PERSON", "بيني غانتس"), ("PERSON", "غانتس")]),
    ("قال عبد الرحيم بيوض. ثم التقى غانتس ببيوض", [("PERSON", "عبد الرحيم بيوض"), ("PERSON", "ببيوض")]),
    ("قال بيني غانتس. ثم صرح جانتس", [("PERSON", "بيني غانتس"), ("PERSON", "جانتس")]),
    ("قال حافظ قائد السبسي. ثم قال حافظ السبسي", [("PERSON", "حافظ قائد السبسي"), ("PERSON", "حافظ السبسي")]),
    ("قال فايز السراج ثم فائز السراج", [("PERSON", "فايز السراج"), ("PERSON", "فائز السراج")]),
    ("كتبت هآرتس ثم نقلت هارتس", [("ORG", "هآرتس"), ("ORG", "هارتس")]),
    ("أعلنت حركة النهضة أن النهضة", [("ORG", "حركة النهضة"), ("ORG", "النهضة")]),
    ("ذكرت التليجراف ثم الدايلي تلغراف", [("ORG", "التليجراف"), ("ORG", "الدايلي تلغراف")]),
])
def test_links(text: str, spans: list[tuple[str, str]]) -> None:
    a = analysed(text, spans)
    assert same(a, 0, 1), [(m.text, m.canonical) for m in a.mentions]
    assert len({m.canonical for m in a.mentions}) == 1


@pytest.mark.parametrize("text,spans", [
    # a shared first name alone never merges
    ("قال محمد بن سلمان ثم قال محمد السادس", [("PERSON", "محمد بن سلمان"), ("PERSON", "محمد السادس")]),
    ("قال فرنسوا هولاند ثم فرنسوا فيون", [("PERSON", "فرنسوا هولاند"), ("PERSON", "فرنسوا فيون")]),
    # a bare first name does not link to a full name
    ("التقى محمد بن زايد. ثم قال محمد", [("PERSON", "محمد بن زايد"), ("PERSON", "محمد")]),
    # different people whose names differ by more than a spelling
    ("قال مانويل فالس ثم إيمانويل ماكرون", [("PERSON", "مانويل فالس"), ("PERSON", "إيمانويل ماكرون")]),
    # one edit is allowed for PERSON/ORG only on long words: بيوض/بيوت stay apart
    ("قال بيوض ثم بيوت", [("PERSON", "بيوض"), ("PERSON", "بيوت")]),
    # the preposition على tagged as a name does not join علي (ى/ي fold alike)
    ("قال زين العابدين بن علي إن الحفاظ على الأمن", [("PERSON", "زين العابدين بن علي"), ("PERSON", "على")]),
    # أمين is a first name here, not the title الأمين
    ("قال بشير الغالي ثم أمين الغالي", [("PERSON", "بشير الغالي"), ("PERSON", "أمين الغالي")]),
    # no fuzzy matching for places that the gazetteer does not know
    ("في وادي زرقون ثم وادي زرقوت", [("LOC", "وادي زرقون"), ("LOC", "وادي زرقوت")]),
])
def test_no_link(text: str, spans: list[tuple[str, str]]) -> None:
    a = analysed(text, spans)
    assert not same(a, 0, 1), [(m.text, m.canonical) for m in a.mentions]


def test_ambiguous_surname_stays_apart() -> None:
    text = "قال الباجي قائد السبسي إن حافظ قائد السبسي سيترشح. وأضاف السبسي"
    a = analysed(text, [("PERSON", "الباجي قائد السبسي"), ("PERSON", "حافظ قائد السبسي"), ("PERSON", "السبسي")])
    assert not same(a, 0, 1) and not same(a, 2, 0) and not same(a, 2, 1)


def test_permuted_name() -> None:
    a = analysed("عين إدوار فيليب. كان فيليب إدوار", [("PERSON", "إدوار فيليب"), ("PERSON", "فيليب إدوار")])
    assert same(a, 0, 1)


@pytest.mark.parametrize("surfaces,canonical,cc", [
    (["المملكة المغربية", "المغرب"], "المغرب", "MA"),
    (["للرباط", "الرباط"], "الرباط", "MA"),
    (["إسرائيل", "اسرائيل"], "إسرائيل", "IL"),
    (["سورية", "سوريا"], "سوريا", "SY"),
    (["أكادير", "أغادير"], "أكادير", "MA"),
])
def test_places_through_gazetteer(surfaces: list[str], canonical: str, cc: str) -> None:
    text = " و ".join(surfaces)
    a = analysed(text, [("GPE", s) for s in surfaces])
    assert same(a, 0, 1)
    e = a.entities[0]
    assert e.canonical == canonical and e.country == cc and e.lat is not None and e.latin


def test_place_ids_ignore_gpe_loc_labels() -> None:
    a = analysed("في المغرب", [("GPE", "المغرب")])
    b = analysed("في المغرب", [("LOC", "المغرب")])
    assert a.entities[0].id == b.entities[0].id


def test_ids_are_stable_across_articles() -> None:
    a = analysed("قال بيني غانتس", [("PERSON", "بيني غانتس")])
    b = analysed("التقى وزير الدفاع بيني غانتس ثم غانتس", [("PERSON", "بيني غانتس"), ("PERSON", "غانتس")])
    assert a.entities[0].id == b.entities[0].id == entity_id("PERSON", "بيني غانتس")
    # a surname-only article gets its own id: no cross-article merge on a surname alone
    c = analysed("قال غانتس", [("PERSON", "غانتس")])
    assert c.entities[0].id != a.entities[0].id


@pytest.mark.parametrize("text,surface,role", [
    ("وقال وزير الخارجية المغربي ناصر بوريطة إن", "ناصر بوريطة", "وزير الخارجية المغربي"),
    ("التقى والوزير المنتدب المكلف بالميزانية فوزي لقجع", "فوزي لقجع", "الوزير المنتدب المكلف بالميزانية"),
    ("قال غانتس، وزير الأمن الإسرائيلي، إن", "غانتس", "وزير الأمن الإسرائيلي"),
    ("وأكد نائب رئيس الحكومة علي لعريض", "علي لعريض", "نائب رئيس الحكومة"),
    ("وقال الرئيس قيس سعيد إن", "قيس سعيد", "الرئيس"),
])
def test_roles(text: str, surface: str, role: str) -> None:
    a = analysed(text, [("PERSON", surface)])
    assert a.mentions[0].role == role
    assert a.entities[0].roles == [role]


@pytest.mark.parametrize("text,surface", [
    ("نسبة الراضين على نشاط ماكرون كرئيس 31%", "ماكرون"),  # no comma or quote: not an apposition
    ("التقى الوزير مع ناصر بوريطة", "ناصر بوريطة"),  # the minister met him: not his title
    ("وقال غانتس والوزير لوديي", "غانتس"),  # a title after «و» is the next person's
])
def test_no_false_roles(text: str, surface: str) -> None:
    a = analysed(text, [("PERSON", surface)])
    assert a.mentions[0].role is None, a.mentions[0].role


def test_role_is_trimmed() -> None:
    a = analysed("قال الوزير في ناصر بوريطة", [("PERSON", "ناصر بوريطة")])
    assert a.mentions[0].role == "الوزير"


def test_no_role_without_title() -> None:
    a = analysed("وقال غانتس إن الاتفاق", [("PERSON", "غانتس")])
    assert a.mentions[0].role is None


def test_title_inside_person_mention_is_not_the_name() -> None:
    a = analysed("قال الرئيس قيس سعيد ثم قيس سعيد", [("PERSON", "الرئيس قيس سعيد"), ("PERSON", "قيس سعيد")])
    assert same(a, 0, 1) and a.entities[0].canonical == "قيس سعيد"


def test_norp_and_values() -> None:
    a = analysed("قال مسؤول إسرائيلي إن 22 مليون دولار و22 مليون دولار", [
        ("NORP", "إسرائيلي"), ("MONEY", "22 مليون دولار"), ("MONEY", "22 مليون دولار")])
    assert a.entities[0].country == "IL" and a.entities[0].canonical == "إسرائيلي"
    assert same(a, 1, 2)
    assert all(m.entity_id and m.canonical for m in a.mentions)


def test_empty_article() -> None:
    a = analysed("لا شيء هنا", [])
    assert a.entities == []


@pytest.mark.parametrize("text,norp,cc", [
    ("رئيس مكتب المملكة المغربية في", "المغربية", "MA"),
    ("أعلنت الجمهورية التونسية أن", "التونسية", "TN"),
])
def test_state_word_plus_demonym_is_the_country(text: str, norp: str, cc: str) -> None:
    a = analysed(text, [("NORP", norp)])
    assert a.entities[0].country == cc and a.entities[0].type == "NORP"
    assert a.entities[0].lat is not None  # linked to the place, not to the demonym


def test_plain_demonym_stays_norp() -> None:
    a = analysed("قال مسؤول مغربي إن", [("NORP", "مغربي")])
    assert a.entities[0].canonical == "مغربي" and a.entities[0].lat is None
