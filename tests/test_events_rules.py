"""Event coder on small Arabic sentences with hand-built mentions (word order, frames, modality, merging)."""

from __future__ import annotations

import pytest
from test_quotes import make

from marsad.model import Event
from marsad.nlp.events import find_events
from marsad.nlp.quotes import find_quotes


def events(text: str, names: list[tuple[str, ...]]) -> list[Event]:
    return find_events(find_quotes(make(text, names))).events


def roles(ev: Event) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for a in ev.arguments:
        out.setdefault(a.role, []).append(a.text)
    return out


def only(evs: list[Event], type_: str) -> Event:
    hits = [e for e in evs if e.type == type_]
    assert len(hits) == 1, [(e.type, e.trigger) for e in evs]
    return hits[0]


def test_vso_coordinated_subjects() -> None:
    ev = only(events("ووقع المغرب وإسرائيل اتفاقا للتعاون الأمني.", [("المغرب", "GPE"), ("إسرائيل", "GPE")]),
              "SIGN_AGREEMENT")
    assert roles(ev)["participants"] == ["المغرب", "إسرائيل"]
    assert (ev.cameo, ev.trigger, ev.modality) == ("057", "ووقع", "asserted")


def test_svo_after_anna_future_and_attribution() -> None:
    ev = only(events("وقالت مصادر مطلعة إن المغرب سيوقع اتفاقية مع فرنسا.", [("المغرب", "GPE"), ("فرنسا", "GPE")]),
              "SIGN_AGREEMENT")
    assert roles(ev)["participants"] == ["المغرب", "فرنسا"]
    assert ev.modality == "planned" and ev.attributed_to == "مصادر مطلعة"


def test_negated() -> None:
    ev = only(events("ولم يوقع المغرب أي اتفاق مع إسبانيا.", [("المغرب", "GPE"), ("إسبانيا", "GPE")]),
              "SIGN_AGREEMENT")
    assert ev.modality == "negated"


@pytest.mark.parametrize("text", ["وقع الهجوم في لندن مساء السبت.", "وقعت الحادثة على خلفية الخلاف.",
                                  "الهجوم الذي وقع في لندن أودى بحياة سبعة أشخاص."])
def test_waqa_happened_is_not_signing(text: str) -> None:
    assert not [e for e in events(text, [("لندن", "GPE")]) if e.type == "SIGN_AGREEMENT"]


def test_nominal_visit_with_destination() -> None:
    ev = only(events("وتأتي زيارة الرئيس إيمانويل ماكرون إلى الجزائر بعد أشهر من التوتر.",
                     [("إيمانويل ماكرون", "PERSON"), ("الجزائر", "GPE")]), "VISIT")
    assert roles(ev)["source"] == ["إيمانويل ماكرون"] and ev.where == "الجزائر" and ev.cameo == "042"


def test_meet_title_name_and_object_with_bi() -> None:
    ev = only(events("التقى وزير الخارجية ناصر بوريطة، بنظيره الإسباني خوسيه ألباريس في الرباط.",
                     [("ناصر بوريطة", "PERSON"), ("خوسيه ألباريس", "PERSON"), ("الرباط", "GPE")]), "MEET")
    assert roles(ev)["participants"] == ["ناصر بوريطة", "خوسيه ألباريس"] and ev.where == "الرباط"


def test_pronoun_subject_carried_from_previous_sentence() -> None:
    text = "وحل الرئيس إيمانويل ماكرون بالرباط صباح اليوم. والتقى بعد ذلك بالملك محمد السادس."
    ev = only(events(text, [("إيمانويل ماكرون", "PERSON"), ("الرباط", "GPE"), ("محمد السادس", "PERSON")]), "MEET")
    assert roles(ev)["participants"] == ["إيمانويل ماكرون", "محمد السادس"]
    assert ev.confidence < 0.8  # a carried subject is less certain


def test_arms_sale_roles() -> None:
    text = "وستبيع الولايات المتحدة للمغرب 25 طائرة إف 16 بقيمة 4 مليارات دولار."
    ev = only(events(text, [("الولايات المتحدة", "GPE"), ("للمغرب", "GPE", "المغرب"), ("إف 16", "WEAPON"),
                            ("4 مليارات دولار", "MONEY"), ("25 طائرة", "QUANTITY")]), "ARMS_TRANSFER")
    r = roles(ev)
    assert r["seller"] == ["الولايات المتحدة"] and r["buyer"] == ["للمغرب"] and r["item"] == ["إف 16"]
    assert next(a for a in ev.arguments if a.role == "buyer").entity_id == "e1"  # the entity named المغرب
    assert r["value"] == ["4 مليارات دولار"] and r["quantity"] == ["25 طائرة"]
    assert ev.modality == "planned" and ev.cameo == "062"


def test_arms_purchase_without_weapon_mention() -> None:
    ev = only(events("واقتنى الجيش المغربي طائرات مسيرة من تركيا.", [("الجيش المغربي", "ORG"), ("تركيا", "GPE")]),
              "ARMS_TRANSFER")
    r = roles(ev)
    assert r["buyer"] == ["الجيش المغربي"] and r["seller"] == ["تركيا"] and r["item"] == ["طائرات مسيرة"]


@pytest.mark.parametrize("text", ["وألغى النادي صفقة انتقال اللاعب إلى الصين.",
                                  "وفشل رئيس الجماعة في تمرير صفقة الإنارة العمومية مع الشركة."])
def test_deals_outside_defence_are_not_arms_transfers(text: str) -> None:
    assert not [e for e in events(text, [("الصين", "GPE")]) if e.type == "ARMS_TRANSFER"]


def test_procurement_interest_and_production() -> None:
    evs = events("وأشارت مصادر إلى أن المغرب يسعى للحصول على منظومة سكاي لوك.",
                 [("المغرب", "GPE"), ("سكاي لوك", "WEAPON")])
    ev = only(evs, "PROCUREMENT_INTEREST")
    assert roles(ev) == {"actor": ["المغرب"], "item": ["سكاي لوك"]}
    prod = only(events("وأفادت مصادر أن المغرب سيعمل على إنتاج الطائرات المسيرة بتقنيات إسرائيلية.",
                       [("المغرب", "GPE")]), "PRODUCTION")
    assert roles(prod)["actor"] == ["المغرب"] and prod.modality == "planned"


def test_hajama_against_a_committee_is_criticism() -> None:
    ev = events("وهاجم عبد الإله بنكيران لجنة النموذج التنموي.", [("عبد الإله بنكيران", "PERSON")])
    assert [(e.type, e.cameo) for e in ev] == [("DISAPPROVE", "111")]


def test_attack_without_named_attacker_keeps_place() -> None:
    ev = only(events("قتل خمسة جنود في هجوم مسلح على ثكنة في مدينة غاو.", [("غاو", "GPE")]), "ASSAULT")
    assert ev.where == "غاو" and not [a for a in ev.arguments if a.role == "source"]


def test_trigger_inside_quotes_is_speech_not_event() -> None:
    evs = events("ووصف الحزب القرار بأنه “هجوم على الديمقراطية وعلى حقوق المواطنين”.", [("الحزب", "ORG")])
    assert not [e for e in evs if e.type == "ASSAULT"]


def test_relative_clause_merges_signatories() -> None:
    text = "ووقع المغرب وإسرائيل اتفاقا أمنيا، حيث يرسم الاتفاق الذي وقعه غانتس ولوديي التعاون بين البلدين."
    evs = events(text, [("المغرب", "GPE"), ("إسرائيل", "GPE"), ("غانتس", "PERSON"), ("لوديي", "PERSON")])
    ev = only(evs, "SIGN_AGREEMENT")
    assert roles(ev) == {"participants": ["المغرب", "إسرائيل"], "signatories": ["غانتس", "لوديي"]}


def test_restated_paragraph_gives_no_event() -> None:
    text = "ووقع المغرب وإسرائيل اتفاقا أمنيا.\nووقع المغرب وإسرائيل اتفاقا أمنيا جديدا."
    a = make(text, [("المغرب", "GPE"), ("إسرائيل", "GPE")])
    a.paragraphs[1].duplicate_of = 1
    assert [e.paragraph for e in find_events(a).events] == [1]


def test_offsets_point_into_raw_text() -> None:
    text = "ووقع المغرب وإسرائيل اتفاقا للتعاون الأمني."
    a = find_events(make(text, [("المغرب", "GPE"), ("إسرائيل", "GPE")]))
    for ev in a.events:
        assert a.text[ev.trigger_start:ev.trigger_end] == ev.trigger
        assert a.text[ev.sentence_start:ev.sentence_end].startswith("ووقع")
        for arg in ev.arguments:
            assert a.text[arg.start:arg.end] == arg.text


@pytest.mark.parametrize("text,names", [
    ("وقررت السعودية قطع العلاقات مع قطر فجر اليوم.", [("السعودية", "GPE"), ("قطر", "GPE"), ("فجر اليوم", "DATE")]),
    ("وستراجع ألمانيا حالات 550 طالب لجوء.", [("ألمانيا", "GPE")]),
    ("في استفتاء قد يمنح الرئيس رجب طيب إردوغان سلطات واسعة.", [("رجب طيب إردوغان", "PERSON")]),
])
def test_readings_that_are_not_the_event(text: str, names: list) -> None:
    types = {e.type for e in events(text, names)}
    assert not types & {"ASSAULT", "DEMAND", "AID"}


def test_signing_arms_contracts_is_an_arms_transfer() -> None:
    text = "وقالت مصادر إن واشنطن تعمل لإبرام عقود مبيعات أسلحة مع المملكة العربية السعودية."
    ev = only(events(text, [("واشنطن", "GPE"), ("المملكة العربية السعودية", "GPE")]), "ARMS_TRANSFER")
    assert roles(ev)["seller"] == ["واشنطن"] and roles(ev)["buyer"] == ["المملكة العربية السعودية"]


def test_clashes_between_two_sides_and_rocket_fire() -> None:
    ev = only(events("اندلعت اشتباكات بين الجيش الليبي وتنظيم داعش في سرت.",
                     [("الجيش الليبي", "ORG"), ("تنظيم داعش", "ORG"), ("سرت", "GPE")]), "FIGHT")
    assert roles(ev) == {"source": ["الجيش الليبي"], "target": ["تنظيم داعش"]} and ev.where == "سرت"
    fire = only(events("وأطلقت البحرية الأمريكية عشرات الصواريخ على قاعدة الشعيرات.",
                       [("البحرية الأمريكية", "ORG"), ("قاعدة الشعيرات", "FAC")]), "FIGHT")
    assert roles(fire) == {"source": ["البحرية الأمريكية"], "target": ["قاعدة الشعيرات"]}
    assert fire.trigger == "وأطلقت"
    assert not events("وأطلق الوزير حملة وطنية للتشجير.", [("الوزير", "PERSON")])


@pytest.mark.parametrize("text,names,absent", [
    ("وحضرت المحامية رغم رفض وزارة العدل الترخيص لها.", [("وزارة العدل", "ORG")], "REJECT"),
    ("وقال وزير رفض الكشف عن اسمه إن الحكومة متماسكة.", [("الحكومة", "ORG")], "REJECT"),
    ("ونشر الرابور تغريدات استهدفت النظام الملكي الإسباني.", [("الرابور", "PERSON")], "FIGHT"),
])
def test_more_non_events(text: str, names: list, absent: str) -> None:
    assert absent not in {e.type for e in events(text, names)}


def test_light_verb_visit_of_a_person_makes_him_the_visited() -> None:
    evs = events("وقام وفد من الحزب بزيارة أحمد الريسوني في الرباط.", [("أحمد الريسوني", "PERSON"), ("الرباط", "GPE")])
    assert not [e for e in evs if e.type == "VISIT" and roles(e).get("source") == ["أحمد الريسوني"]]
