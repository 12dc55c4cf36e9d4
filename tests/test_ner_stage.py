"""The entity stage on short Arabic texts: offsets, clitics, weapons, demonyms, consistency."""

from __future__ import annotations

import pytest

from marsad.model import Analysis, Document, Paragraph, Provenance, Sentence
from marsad.nlp.ner import OUTPUT_TYPES, recognize
from marsad.nlp.ner.model import shipped
from marsad.text import fold, tokenize


def _run(text: str) -> Analysis:
    sents = []
    pos = 0
    for part in text.split("\n"):
        sents.append(Sentence(pos, pos + len(part), 1, tokenize(text, pos, pos + len(part))))
        pos += len(part) + 1
    a = Analysis(document=Document(text=text, provenance=Provenance("t", "body")),
                 paragraphs=[Paragraph(1, 0, len(text), sentences=sents)])
    return recognize(a)


def _found(a: Analysis, typ: str) -> set[str]:
    return {m.text for m in a.mentions if m.type == typ}


def test_offsets_are_raw_slices() -> None:
    a = _run("وقال الرئيس الأمريكي جو بايدن في واشنطن إن الولايات المتحدة ستدعم أوكرانيا.")
    assert a.mentions
    for m in a.mentions:
        assert m.text == a.text[m.start:m.end] and m.normalized == fold(m.text)
        assert m.type in OUTPUT_TYPES or m.source == "rule"
        assert 0.0 <= m.confidence <= 1.0


@pytest.mark.parametrize(("text", "typ", "name"), [
    pytest.param("وقال الرئيس الأمريكي جو بايدن في مؤتمر صحفي إن بلاده ستواصل الدعم.", "PERSON", "جو بايدن",
                 marks=pytest.mark.xfail(reason="known miss: unseen name after title + demonym", strict=False)),
    ("وقال الرئيس الأمريكي باراك أوباما في مؤتمر صحفي إن بلاده ستواصل الدعم.", "PERSON", "باراك أوباما"),
    ("وصل وزير الخارجية إلى القاهرة أمس في زيارة رسمية.", "GPE", "القاهرة"),
    ("تسعى المغرب لشراء نظام “سكاي لوك” المضاد للطائرات.", "WEAPON", "سكاي لوك"),
    ("وتملك البلاد طائرات من طراز إف 16 ومنظومة باتريوت.", "WEAPON", "إف 16"),
    ("وتملك البلاد طائرات من طراز إف 16 ومنظومة باتريوت.", "WEAPON", "باتريوت"),
    ("القادرة على صد صواريخ سام 6 وسام 7 بسهولة.", "WEAPON", "سام 7"),
    ("إضافة إلى منظومة حديثة تدعى ” قبة قفل السماء” القادرة على الصد.", "WEAPON", "قبة قفل السماء"),
    ("ووقعت شركة لوكهيد مارتن عقدا جديدا مع وزارة الدفاع.", "ORG", "لوكهيد مارتن"),
    ("وأوضح بيان للقيادة العامة للقوات المسلحة الملكية أن الجانبين وقعا اتفاقا.", "ORG",
     "القيادة العامة للقوات المسلحة الملكية"),
])
def test_types(text: str, typ: str, name: str) -> None:
    # The text module decides whether ل of للقيادة stays with the name; either way is accepted.
    found = _found(_run(text), typ)
    assert any(f == name or (f.endswith(name[1:]) and len(f) - len(name) <= 1) for f in found), found


def test_demonym_is_norp_not_person() -> None:
    a = _run("التقى وزير الأمن الإسرائيلي بنظيره المغربي في الرباط.")
    assert "الإسرائيلي" in _found(a, "NORP")
    assert not [m for m in a.mentions if m.type == "PERSON" and "وزير" in m.text]


def test_proclitic_excluded_article_kept() -> None:
    a = _run("وزار الرئيس الفرنسي إيمانويل ماكرون والمغرب.\nوقال ماكرون إن فرنسا تدعم المغرب.")
    places = [m for m in a.mentions if m.type == "GPE"]
    assert any(m.text == "المغرب" and a.text[m.start - 1] == "و" for m in places)


def test_consistency_tags_bare_surname() -> None:
    a = _run("استقبل الملك محمد السادس رئيس الوزراء عزيز أخنوش في الرباط.\nوقال أخنوش إن الحكومة ستعمل على ذلك.")
    second = a.text.index("أخنوش", a.text.index("\n"))
    assert any(m.type == "PERSON" and m.start <= second < m.end for m in a.mentions)


def test_tagger_loads_once_and_tags_empty() -> None:
    t = shipped()
    assert shipped() is t
    assert t.tag([]) == ([], [])


def test_the_feature_cache_stays_bounded_over_new_words(monkeypatch: pytest.MonkeyPatch) -> None:
    # a long ingest meets new word forms forever; the per-word cache grew to ~1 GB at 100k articles
    from marsad.nlp.ner import features
    from marsad.nlp.ner.features import Featurizer, Resources

    monkeypatch.setattr(features, "CACHE_MAX", 10)
    feat = Featurizer(Resources())
    words = [f"كلمة{i}" for i in range(55)]
    first = [feat._word(w) for w in words]
    assert len(feat._cache) <= 10
    assert [feat._word(w) for w in words] == first  # same features, cached or not
