"""Defence frames (ARMS_TRANSFER / PROCUREMENT_INTEREST) in the phrasings of Moroccan and Arab defence news."""

from __future__ import annotations

import pytest
from test_events_rules import events, only, roles

CASES = [
    ("وافقت وزارة الخارجية الأمريكية على صفقة بيع صواريخ جافلين للمغرب بقيمة 62 مليون دولار.",
     [("وزارة الخارجية الأمريكية", "ORG"), ("جافلين", "WEAPON"), ("للمغرب", "GPE", "المغرب"), ("62 مليون دولار", "MONEY")],
     "ARMS_TRANSFER", {"seller": ["وزارة الخارجية الأمريكية"], "buyer": ["للمغرب"], "item": ["جافلين"],
                       "value": ["62 مليون دولار"]}, "ordered"),
    ("وتسلم المغرب الدفعة الأولى من طائرات إف 16 الأمريكية.", [("المغرب", "GPE"), ("إف 16", "WEAPON")],
     "ARMS_TRANSFER", {"buyer": ["المغرب"], "item": ["إف 16"]}, "delivered"),
    ("ووقعت الرباط وأنقرة صفقة لشراء 13 طائرة مسيرة من طراز بيرقدار.",
     [("الرباط", "GPE"), ("أنقرة", "GPE"), ("13 طائرة", "QUANTITY"), ("بيرقدار", "WEAPON")],
     "ARMS_TRANSFER", {"seller": ["أنقرة"], "buyer": ["الرباط"], "item": ["بيرقدار"], "quantity": ["13 طائرة"]},
     "ordered"),
    ("وستزود إسرائيل المغرب بمنظومة باراك 8 للدفاع الجوي.", [("إسرائيل", "GPE"), ("المغرب", "GPE"), ("باراك 8", "WEAPON")],
     "ARMS_TRANSFER", {"seller": ["إسرائيل"], "buyer": ["المغرب"], "item": ["باراك 8"]}, "talks"),
    ("وحصل المغرب على 13 طائرة بيرقدار من تركيا.",
     [("المغرب", "GPE"), ("13 طائرة", "QUANTITY"), ("بيرقدار", "WEAPON"), ("تركيا", "GPE")],
     "ARMS_TRANSFER", {"seller": ["تركيا"], "buyer": ["المغرب"], "item": ["بيرقدار"], "quantity": ["13 طائرة"]},
     "ordered"),
    ("وأبرم المغرب صفقة مع شركة إلبيت سيستمز الإسرائيلية لاقتناء أنظمة مدفعية.",
     [("المغرب", "GPE"), ("شركة إلبيت سيستمز", "ORG")],
     "ARMS_TRANSFER", {"seller": ["شركة إلبيت سيستمز"], "buyer": ["المغرب"], "item": ["مدفعية"]}, "ordered"),
    ("ويعتزم المغرب اقتناء منظومة الدفاع الجوي باتريوت من الولايات المتحدة.",
     [("المغرب", "GPE"), ("باتريوت", "WEAPON"), ("الولايات المتحدة", "GPE")],
     "PROCUREMENT_INTEREST", {"actor": ["المغرب"], "item": ["باتريوت"]}, None),
]


@pytest.mark.parametrize("text,names,type_,expected,status", CASES)
def test_arms_frames(text: str, names: list, type_: str, expected: dict, status: str | None) -> None:
    evs = events(text, names)
    ev = only(evs, type_)
    assert {k: v for k, v in roles(ev).items() if k in expected} == expected
    assert ev.status == status
    assert not [e for e in evs if e.type == "INTEND"]  # the intention is the frame's modality, not an event


def test_intention_is_planned() -> None:
    ev = only(events("ويعتزم المغرب اقتناء منظومة باتريوت.", [("المغرب", "GPE"), ("باتريوت", "WEAPON")]),
              "PROCUREMENT_INTEREST")
    assert ev.modality == "planned"


@pytest.mark.parametrize("text", ["وتوفي شاب بعد تلقيه طعنة بسلاح أبيض في أكادير.",
                                  "وحصل المغرب على 22 مليون دولار من البنك الدولي."])
def test_not_arms(text: str) -> None:
    assert not [e for e in events(text, [("المغرب", "GPE"), ("أكادير", "GPE")]) if e.type == "ARMS_TRANSFER"]


@pytest.mark.parametrize("text,modality", [("وقد تسلمت تونس 6 مروحيات من الولايات المتحدة.", "asserted"),
                                           ("وقال إن تونس قد تتسلم مروحيات قتالية من الولايات المتحدة.", "hypothetical")])
def test_qad_with_perfect_and_imperfect(text: str, modality: str) -> None:
    ev = only(events(text, [("تونس", "GPE"), ("الولايات المتحدة", "GPE")]), "ARMS_TRANSFER")
    assert ev.modality == modality and roles(ev)["buyer"] == ["تونس"]
