"""Seed acceptance for linking: hand-made mentions (as an NER stage would give them) -> expected entities."""

from __future__ import annotations

import re

import pytest
from conftest import assert_spans

from marsad.model import Analysis, Document, Mention, Provenance
from marsad.nlp.link import link_entities
from marsad.text import fold

# (type, surface) in priority order: longer surfaces claim their text first, as an NER tagger would.
SEED_MENTIONS = [
    ("PERSON", "عبد الرحيم بيوض"), ("PERSON", "بيني غانتس"), ("PERSON", "عبد اللطيف لوديي"),
    ("ORG", "الصناعات الجوية الإسرائيلية"), ("ORG", "للقيادة العامة للقوات المسلحة الملكية"),
    ("GPE", "المملكة المغربية"), ("ORG", "هارتس"), ("ORG", "تويتر"), ("WEAPON", "باراك 8"),
    ("WEAPON", "سكاي لوك"), ("WEAPON", "هاروف"), ("MONEY", "22 مليون دولار"),
    ("PERSON", "ببيوض"), ("PERSON", "بيوض"), ("PERSON", "غانتس"), ("GPE", "للرباط"), ("GPE", "الرباط"),
    ("GPE", "المغرب"), ("GPE", "وإسرائيل"), ("GPE", "إسرائيل"), ("GPE", "اسرائيل"),
    ("NORP", "الإسرائيلي"), ("NORP", "مغربية"),
]
#: Surfaces that carry a proclitic, and its length (ببيوض -> بيوض, للرباط -> رباط, وإسرائيل -> إسرائيل).
CLITICS = {"ببيوض": 1, "للرباط": 2, "وإسرائيل": 1, "للقيادة العامة للقوات المسلحة الملكية": 2}


def seed_mentions(text: str, split_clitics: bool) -> list[Mention]:
    """Every non-overlapping occurrence of the surfaces; ``split_clitics`` drops و/ب/لل as a tokenizer would."""
    taken: list[tuple[int, int]] = []
    out: list[Mention] = []
    for typ, surface in SEED_MENTIONS:
        for m in re.finditer(re.escape(surface), text):
            s, e = m.span()
            if e < len(text) and text[e].isalpha() or s > 0 and text[s - 1].isalpha() and text[s - 1] not in "وبلفك":
                continue  # inside a longer word
            if any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            if split_clitics:
                s += CLITICS.get(surface, 0)
            out.append(Mention(typ, s, e, text[s:e], 0, fold(text[s:e])))
    out.sort(key=lambda m: m.start)
    return out


@pytest.fixture(params=[False, True], ids=["clitics-kept", "clitics-split"])
def seed_analysis(request: pytest.FixtureRequest, seed_path) -> Analysis:  # type: ignore[no-untyped-def]
    text = seed_path.read_text(encoding="utf-8")
    a = Analysis(Document(text, Provenance(str(seed_path), "page"), layout="page"))
    a.mentions = seed_mentions(text, request.param)
    return link_entities(a)


def _entity(a: Analysis, canonical: str):  # type: ignore[no-untyped-def]
    hits = [e for e in a.entities if fold(e.canonical, ta_marbuta=True) == fold(canonical, ta_marbuta=True)]
    assert len(hits) == 1, (canonical, [(e.canonical, e.type) for e in a.entities])
    return hits[0]


def test_every_mention_linked(seed_analysis: Analysis) -> None:
    assert_spans(seed_analysis)
    assert all(m.entity_id and m.canonical for m in seed_analysis.mentions)


@pytest.mark.parametrize("canonical,surfaces", [
    ("عبد الرحيم بيوض", {"عبد الرحيم بيوض", "بيوض"}),
    ("بيني غانتس", {"بيني غانتس", "غانتس"}),
    ("عبد اللطيف لوديي", {"عبد اللطيف لوديي"}),
])
def test_three_people_three_entities(seed_analysis: Analysis, canonical: str, surfaces: set[str]) -> None:
    people = [e for e in seed_analysis.entities if e.type == "PERSON"]
    assert len(people) == 3, [e.canonical for e in people]
    ent = _entity(seed_analysis, canonical)
    assert ent.type == "PERSON"
    linked = {seed_analysis.mentions[i].text for i in ent.mentions}
    assert surfaces <= {t[1:] if t == "ببيوض" else t for t in linked}


def test_gantz_in_curly_quotes_and_bbayoud(seed_analysis: Analysis) -> None:
    text = seed_analysis.text
    quoted = text.index("” غانتس “") + 2
    by_start = {m.start: m for m in seed_analysis.mentions}
    assert by_start[quoted].canonical == "بيني غانتس"
    bb = text.index("ببيوض")
    m = by_start.get(bb) or by_start[bb + 1]
    assert m.canonical == "عبد الرحيم بيوض"


def test_morocco_one_entity(seed_analysis: Analysis) -> None:
    ent = _entity(seed_analysis, "المغرب")
    assert ent.country == "MA" and ent.lat is not None
    surfaces = {seed_analysis.mentions[i].text for i in ent.mentions}
    assert {"المغرب", "المملكة المغربية"} <= surfaces
    assert not [e for e in seed_analysis.entities if e.canonical == "المملكة المغربية"]


@pytest.mark.parametrize("canonical,country", [("إسرائيل", "IL"), ("الرباط", "MA")])
def test_places_resolved(seed_analysis: Analysis, canonical: str, country: str) -> None:
    ent = _entity(seed_analysis, canonical)
    assert ent.country == country and ent.lat is not None and ent.lon is not None
    if canonical == "الرباط":
        assert len(ent.mentions) == 3  # الرباط twice and للرباط


@pytest.mark.parametrize("canonical,etype", [
    ("الصناعات الجوية الإسرائيلية", "ORG"), ("هارتس", "ORG"), ("القيادة العامة للقوات المسلحة الملكية", "ORG"),
    ("هاروف", "WEAPON"), ("باراك 8", "WEAPON"), ("سكاي لوك", "WEAPON"), ("22 مليون دولار", "MONEY"),
])
def test_other_entities(seed_analysis: Analysis, canonical: str, etype: str) -> None:
    assert _entity(seed_analysis, canonical).type == etype


def test_roles_attached(seed_analysis: Analysis) -> None:
    gantz = _entity(seed_analysis, "بيني غانتس")
    assert gantz.roles == ["وزير الأمن الإسرائيلي"]  # not the title of لوديي that follows "غانتس و..."
    loudiyi = _entity(seed_analysis, "عبد اللطيف لوديي")
    assert "الوزير المنتدب المكلف بإدارة الدفاع الوطني" in loudiyi.roles
    assert all("وزير" not in r for r in _entity(seed_analysis, "عبد الرحيم بيوض").roles)


def test_norp_resolves_to_country(seed_analysis: Analysis) -> None:
    norp = [e for e in seed_analysis.entities if e.type == "NORP"]
    assert {e.country for e in norp} >= {"IL"}
    assert not any(e.type == "PERSON" and e.canonical.startswith("وزير") for e in seed_analysis.entities)
