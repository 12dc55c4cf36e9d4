"""Gates: readings of a trigger word that are not the event (وقع 'fell', فجر اليوم, 550 طالب لجوء ...).

``gate`` returns None to keep the reading, "reject" to drop it, or another event type to retype it
(هاجم بنكيران اللجنة is criticism, not an armed attack). Each rule names its counter-example.
"""

from __future__ import annotations

from marsad.nlp.events import lexicon
from marsad.nlp.events.view import View, key

RELATIVE = frozenset(key(w) for w in ("الذي", "التي", "اللذين", "اللذان", "الذين", "اللتين"))
AGREEMENT_WORDS = frozenset(key(w) for w in (
    "اتفاق", "اتفاقا", "اتفاقية", "اتفاقيات", "اتفاقات", "مذكرة", "مذكرات", "معاهدة", "عقد", "عقدا", "عقود",
    "بروتوكول", "ميثاق", "إعلان", "اتفاقيتين", "اتفاقين", "مذكرتي", "مذكرتين", "الوثيقة", "وثيقة"))
_NOT_SIGNING = frozenset(key(w) for w in ("على", "في", "ضحية", "بين", "من", "تحت", "خلال"))


def _has_agreement(v: View, t0: int, t1: int, nominal: bool) -> bool:
    """وقع/توقيع code a signing only with an agreement object after them (or in الاتفاق الذي وقعه)."""
    if t1 < len(v.keys) and v.keys[t1] in _NOT_SIGNING and not nominal:
        return False  # وقعت على خلفية, وقع في فخ: 'fell', not 'signed'
    if t0 > 1 and v.keys[t0 - 1] in RELATIVE:
        return any(s in AGREEMENT_WORDS for _, s in lexicon.stems(v.keys[t0 - 2]))
    near = range(t1, min(len(v.keys), t1 + (3 if nominal else 8)))
    return any(any(s in AGREEMENT_WORDS for _, s in lexicon.stems(v.keys[j])) for j in near)


ADJUNCT = frozenset(key(w) for w in ("في", "خلال", "أثناء", "اثناء", "إطار", "اطار", "بمناسبة"))
SEARCH = frozenset(key(w) for w in ("بحث", "يبحث", "تبحث", "يبحثون", "يبحثان", "بحثا", "وبحث"))
_VIOLENCE = frozenset(key(w) for w in (
    "مسلح", "مسلحين", "مسلحون", "قتلى", "قتيل", "قتل", "جرحى", "مقتل", "انتحاري", "إرهابي", "إرهابيين", "الإرهابي",
    "مفخخة", "قنبلة", "عبوة", "صواريخ", "الرصاص", "النار", "بالرصاص", "جنود", "الجيش", "قوات", "عسكرية", "هجوما"))
_LEFT_PREP = frozenset(key(w) for w in ("بعد", "إثر", "اثر", "عقب", "قبل", "خلال", "ب", "من", "عن", "على", "في",
                                        "رغم", "بسبب", "جراء", "عدم", "حول"))
_NAMELESS = frozenset(key(w) for w in ("الكشف", "ذكر", "الإفصاح", "الافصاح", "الكشف"))


_FIRE = frozenset(key(w) for w in ("صواريخ", "صاروخ", "صاروخية", "النار", "نار", "الرصاص", "رصاص", "قذائف",
                                    "قذيفة", "قنابل", "طلقات", "جوية", "الصواريخ", "مدفعية", "نارية"))
_ARMED = frozenset(key(w) for w in ("صاروخ", "صواريخ", "صاروخية", "نووية", "نووي", "باليستي", "باليستية",
                                     "قوات", "جنود", "جندي", "عسكرية", "عسكري", "بطاريات", "منظومة", "قنبلة",
                                     "سلاح", "أسلحة", "الصواريخ", "القوات", "الجنود", "حاملة", "مدمرة", "سفن"))
_AID = frozenset(key(w) for w in ("مساعدات", "مساعدة", "هبة", "منحة", "قرض", "قرضا", "معونات", "معونة", "دعما",
                                   "مليون", "ملايين", "مليار", "مليارات", "دولار", "يورو", "أموال", "تمويل", "تبرعات",
                                   "إعانات", "مساعدات", "دينار", "درهم", "أدوية", "أغذية", "لقاحات"))
_COURTS = frozenset(key(w) for w in ("محكمة", "المحكمة", "القضاء", "الدائرة", "دائرة"))
HUMAN = frozenset(key(w) for w in ("شخص", "أشخاص", "متهم", "المتهم", "المتهمين", "متهمين", "الموقوف", "مشتبه", "عنصر", "عناصر", "إرهابي",
                                     "إرهابيين", "مهرب", "مهربين", "شاب", "شبان", "امرأة", "مواطن", "مواطنين",
                                     "تكفيري", "تكفيريين", "به", "بها", "بهم", "نفر", "أنفار", "مجرم", "قاصر"))


_SPORT = frozenset(key(w) for w in ("مباريات", "مباراة", "مباراتين", "لاعب", "اللاعب", "لاعبي", "الجامعة", "الفريق",
                                    "البطولة", "النادي"))


def _near(v: View, t1: int, words: frozenset[str], span: int) -> bool:
    return any(any(s in words for _, s in lexicon.stems(v.keys[j])) for j in range(t1, min(len(v.keys), t1 + span)))


def gate(v: View, t0: int, t1: int, trig: lexicon.Trigger, prefix: str) -> str | None:
    """Reject readings that are not events (None = keep); may retype هاجم as verbal criticism."""
    k = v.keys[t0]
    if trig.type == "INTEND" and any(e.trigger.kind not in ("r", "c", "light")
                                     for j in (t1, t1 + 1) if j < len(v.keys) for e, _, _ in lexicon.match(v.keys, j)):
        return "reject"  # يعتزم اقتناء ...: the intended event carries the intention (modality planned)
    if trig.kind == "v" and t0 > 0 and v.keys[t0 - 1][:1].isdigit():
        return "reject"  # 550 طالب لجوء: a noun after a number
    if trig.type == "DISAPPROVE" and trig.kind == "v" and t1 < len(v.keys) and any(
            s in _COURTS for _, s in lexicon.stems(v.keys[t1])):
        return "reject"  # أدانت محكمة لاهاي ...: a conviction, not criticism
    if trig.type == "AID" and trig.kind == "v" and not _near(v, t1, _AID, 7):
        return "reject"  # قد يمنح الرئيس سلطات: granting powers is not aid
    if trig.type == "REJECT" and t1 < len(v.keys) and v.keys[t1] in _NAMELESS:
        return "reject"  # رفض الكشف عن اسمه: an anonymous source, not a rejection
    if trig.lemma == key("استهدف") and not any(any(s in _VIOLENCE | _FIRE for _, s in lexicon.stems(x))
                                               for x in v.keys) and not any(c.type == "WEAPON" for c in v.cands):
        return "reject"  # تغريدات استهدفت النظام: a figurative target
    if trig.kind == "fire" and not _near(v, t1, _FIRE, 9):
        return "reject"  # أطلق حملة / ضربة جزاء: only fire, missiles and strikes are fighting
    if trig.kind == "armed" and not _near(v, t1, _ARMED, 4):
        return "reject"  # اختبار / نشر: posture only with missiles, troops, warships
    if trig.kind == "human" and not _near(v, t1, HUMAN, 4) and not any(
            c.type == "PERSON" and t1 <= c.t0 <= t1 + 3 for c in v.cands):
        return "reject"  # إيقاف النشاط: an arrest needs a person after it
    if trig.type == "COERCE" and _near(v, t1, _SPORT, 10):
        return "reject"  # توقيف اللاعب لمدة 4 مباريات: a sports suspension
    if trig.type == "SIGN_AGREEMENT" and not _has_agreement(v, t0, t1, trig.kind == "n"):
        return "reject"
    if trig.kind == "v" and t0 > 0 and v.keys[t0 - 1] in _LEFT_PREP:
        return "reject"  # بعد رفضهم: a verbal noun after a preposition, not a finite verb
    if trig.kind == "v" and ("ب" in prefix or "ال" in prefix or prefix.endswith("لل")):
        return "reject"  # ببحث, الاجتماع: a verb never takes ب or the article
    if any(s in SEARCH for _, s in lexicon.stems(k)) and t1 < len(v.keys) and v.keys[t1] in (key("عن"), key("حول")):
        return "reject"  # بحث عن: 'look for'
    if trig.lemma == key("طلب") and k == key("طلب") and t1 < len(v.keys) \
            and v.keys[t1] != key("من") and not any(c.t0 == t1 for c in v.cands):
        return "reject"  # طلب عروض: a noun
    if trig.type == "ASSAULT" and trig.kind == "v" and trig.lemma == key("هاجم") and not any(
            any(s in _VIOLENCE for _, s in lexicon.stems(x)) for x in v.keys) and not any(
            c.type == "WEAPON" for c in v.cands):
        return "DISAPPROVE"  # هاجم بنكيران اللجنة: a verbal attack
    return None


