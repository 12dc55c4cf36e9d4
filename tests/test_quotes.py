"""Quote stage on small Arabic paragraphs with hand-built mentions (no other stage needed)."""

from __future__ import annotations

import re

import pytest

from marsad.model import Analysis, Document, Entity, Mention, Paragraph, Provenance
from marsad.nlp.events.view import quote_pairs
from marsad.nlp.quotes import find_quotes
from marsad.text import fold


def make(text: str, names: list[tuple[str, ...]] = ()) -> Analysis:
    """An analysis of ``text`` (one paragraph a line) with every occurrence of each (surface, type) tagged."""
    a = Analysis(Document(text, Provenance("test", "body")))
    for i, m in enumerate(re.finditer(r"[^\n]+", text)):
        a.paragraphs.append(Paragraph(i + 1, m.start(), m.end()))
    for n, (surface, type_, *canon) in enumerate(names):
        canonical = canon[0] if canon else surface
        ent = Entity(f"e{n}", type_, canonical)
        for m in re.finditer(re.escape(surface), text):
            para = next(p.index for p in a.paragraphs if p.start <= m.start() < p.end)
            ent.mentions.append(len(a.mentions))
            a.mentions.append(Mention(type_, m.start(), m.end(), surface, para, fold(surface),
                                      entity_id=ent.id, canonical=canonical))
        a.entities.append(ent)
    a.mentions.sort(key=lambda m: m.start)
    return a


@pytest.mark.parametrize("text,inner", [
    ("قال “كان يوما جيدا” أمس", ["كان يوما جيدا"]),
    ("قال «كان يوما جيدا» أمس", ["كان يوما جيدا"]),
    ('قال "كان يوما جيدا" أمس', ["كان يوما جيدا"]),
    ("بـ” غانتس “وزير الأمن", [" غانتس "]),  # reversed marks, as on the seed page
    ('مضيفا " أصبحنا "معلم" فقط"، وفق', [" أصبحنا \"معلم\" فقط", "معلم"]),  # nested
])
def test_quote_pairs(text: str, inner: list[str]) -> None:
    assert [text[o + 1:c] for o, c in quote_pairs(text, 0, len(text))] == inner


@pytest.mark.parametrize("text,names,speaker,verb,starts", [
    ("وقال الوزير أحمد العربي “إن الحكومة ستواصل دعم الفلاحين”.", [("أحمد العربي", "PERSON")],
     "أحمد العربي", "قال", "إن الحكومة ستواصل"),
    ("“إن الحكومة ستواصل دعم الفلاحين”، قال أحمد العربي.", [("أحمد العربي", "PERSON")],
     "أحمد العربي", "قال", "إن الحكومة ستواصل"),
    ("وأكدت وزارة الخارجية في بيان أن “المغرب يرفض هذه الخطوة بشكل قاطع”.", [("وزارة الخارجية", "ORG")],
     "وزارة الخارجية", "أكدت", "المغرب يرفض"),
    ("وأوضح بيان للقيادة العامة أن الجانبين وقعا “اتفاقا يتعلق بحماية المعلومات”.", [("للقيادة العامة", "ORG", "القيادة العامة")],
     "القيادة العامة", "أوضح", "اتفاقا يتعلق"),
    ("وكتب ترامب على حسابه في تويتر: “سنبني الجدار”.", [("ترامب", "PERSON")], "ترامب", "كتب", "سنبني الجدار"),
])
def test_speaker_and_verb(text: str, names: list, speaker: str, verb: str, starts: str) -> None:
    a = find_quotes(make(text, names))
    assert len(a.quotes) == 1
    q = a.quotes[0]
    assert (q.speaker, q.verb) == (speaker, verb)
    assert q.text.startswith(starts) and a.text[q.start:q.end] == q.text
    assert q.speaker_entity_id is not None


def test_speaker_carried_into_continuation() -> None:
    text = ("قال رئيس الحكومة سعد الدين العثماني إن الوضع صعب.\n"
            "وأضاف أن “الحكومة ستعمل على تجاوز هذه الأزمة قريبا”.\n"
            "وتابع “لا مجال للتراجع عن الإصلاحات الكبرى”.")
    a = find_quotes(make(text, [("سعد الدين العثماني", "PERSON")]))
    assert [q.speaker for q in a.quotes] == ["سعد الدين العثماني"] * 2
    assert [q.verb for q in a.quotes] == ["أضاف", "تابع"]


@pytest.mark.parametrize("text", [
    "ووقع البلدان اتفاقا “غير مسبوق” في المنطقة.",  # scare quotes
    "وشارك في برنامج “بوليتيكا” على الجوهرة.",  # a programme name
    "وأكد الوزير أن الملتقى انعقد تحت عنوان: “دستور تونس ثلاث سنوات من الممارسة”.",  # a title after a colon
])
def test_not_quotations(text: str) -> None:
    assert find_quotes(make(text, [("الوزير", "PERSON")])).quotes == []


def test_channel_twitter_and_statement() -> None:
    a = find_quotes(make("وقال غانتس على حسابه في تويتر “كان من دواعي سروري اليوم”.", [("غانتس", "PERSON")]))
    assert a.quotes[0].channel == "تويتر"
    b = find_quotes(make("وقال الحزب في بيان “نرفض هذا القرار جملة وتفصيلا”.", [("الحزب", "ORG")]))
    assert b.quotes[0].channel == "بيان"


def test_without_mentions_speaker_is_the_phrase() -> None:
    a = find_quotes(make("وقالت مصادر مطلعة “إن الاجتماع انتهى دون اتفاق نهائي”."))
    assert a.quotes[0].speaker == "مصادر مطلعة" and a.quotes[0].speaker_entity_id is None


def test_duplicate_paragraph_gives_no_quote() -> None:
    text = "وقال الوزير أحمد “سنواصل العمل من أجل الوطن”.\nوقال الوزير أحمد “سنواصل العمل من أجل الوطن”."
    a = make(text, [("أحمد", "PERSON")])
    a.paragraphs[1].duplicate_of = 1
    assert len(find_quotes(a).quotes) == 1


def test_title_only_speaker_resolves_to_the_named_person() -> None:
    text = ("أكد رئيس الحكومة، سعد الدين العثماني، أن الوضع تحسن.\n"
            "وأضاف رئيس الحكومة قائلا: “للأسف الحكومات السابقة لم تقم بما يكفي”.")
    a = find_quotes(make(text, [("سعد الدين العثماني", "PERSON")]))
    assert [q.speaker for q in a.quotes] == ["سعد الدين العثماني"]


def test_unclosed_quote_runs_to_the_next_mark() -> None:
    text = "وقالت الوكالة إن الصفقة تأتي في سياق “دعم أمن أحد الحلفاء الرئيسيين، مؤكدة أن البيع “سيعزز قدرات الجيش المغربي”."
    a = find_quotes(make(text, [("الوكالة", "ORG")]))
    starts = sorted(q.text.split()[0] for q in a.quotes)
    assert starts == ["دعم", "سيعزز"]
    assert min(q.confidence for q in a.quotes) < 0.85


def test_organisation_anaphor_and_bilqawl() -> None:
    text = ("أعلنت وزارة الأمن الإيرانية اليوم عن إحباط مخططات إرهابية.\n"
            "وقالت الوزارة في بيان نشرته وكالة إرنا إنه “تم التخطيط لتنفيذ سلسلة من التفجيرات”.\n"
            "ونفى القائد أحمد العلي أي اقتتال طائفي معلقا بالقول “إن المعركة ليست طائفية بل ضد التكفيريين”.")
    a = find_quotes(make(text, [("وزارة الأمن الإيرانية", "ORG"), ("إرنا", "ORG"), ("أحمد العلي", "PERSON")]))
    assert [q.speaker for q in a.quotes] == ["وزارة الأمن الإيرانية", "أحمد العلي"]
