"""Rule coder for CAMEO-typed events in one sentence view (defence frames live in frames.py).

For each trigger (lexicon.match) outside quotation marks:
1. clause bounds (roles.clause); the subject is VSO (after the verb), else SVO (before it, after أن),
   else the subject carried from the previous sentence (pronoun subjects: تباحثا، وأضاف);
2. objects by preposition: مع/ب → co-participants, إلى/ل/على/ضد → target, bare object → target;
3. nominal triggers take their actors from what follows (زيارة لوزير ... إلى الرباط, لقاء X و Y, بين X و
   Y) and from the subject of a light verb before them (باشرت المملكة مباحثات);
4. when = nearest DATE mention in the clause, where = a place governed by في/ب (إلى for visits);
5. modality from the words around the trigger; attribution from a reporting verb or حسب/وفق phrase.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from marsad.model import Argument, Event
from marsad.nlp.events import lexicon
from marsad.nlp.events.gates import ADJUNCT, HUMAN, RELATIVE, SEARCH
from marsad.nlp.events.gates import gate as _gate
from marsad.nlp.events.roles import (
    clause,
    governed,
    governor,
    group_from,
    subject_after,
    subject_before,
    token_prep,
)
from marsad.nlp.events.speakers import PREPOSITIONS, Report
from marsad.nlp.events.view import AGENT_TYPES, Cand, View, key

#: Verbal nouns whose genitive is the object, not the agent (تفجير الضريح, اعتقال المتهم, انتقاد الحكومة).
OBJECT_GENITIVE = frozenset({"ASSAULT", "FIGHT", "COERCE", "DISAPPROVE", "REJECT", "DEMAND"})
SYMMETRIC = frozenset({"MEET", "NEGOTIATE", "SIGN_AGREEMENT"})
PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
NEGATION = frozenset(key(w) for w in ("لم", "لن", "لا", "ما", "ليس", "ليست", "عدم", "دون", "بدون", "رفض", "نفى"))
PLANNED = frozenset(key(w) for w in ("سوف", "يعتزم", "تعتزم", "يعتزمان", "ينوي", "تنوي", "يستعد", "تستعد",
                                      "المقرر", "المنتظر", "المرتقب", "مرتقبة", "المرتقبة", "المقبل", "المقبلة",
                                      "القادم", "القادمة", "سيعمل", "ستعمل", "يرتقب", "يتوقع", "تقرر", "قرر"))
HYPOTHETICAL = frozenset(key(w) for w in ("قد", "إذا", "اذا", "لو", "ربما", "المرجح", "المحتمل", "محتمل",
                                           "إمكانية", "امكانية", "يمكن", "احتمال", "لعل", "يحتمل"))


@dataclass(slots=True)
class Context:
    """What carries across sentences of one article."""

    last_agents: list[Cand] = field(default_factory=list)
    last_pair: dict[str, list[Cand]] = field(default_factory=dict)  # type -> last participants
    sentence_agents: list[Cand] = field(default_factory=list)  # subjects/speakers named so far in the sentence
    published: str | None = None


def arg(role: str, c: Cand) -> Argument:
    """An argument span (raw text; the canonical name is the entity's, through ``entity_id``)."""
    return Argument(role, c.text, c.start, c.end, c.entity_id)


def text_arg(v: View, role: str, t0: int, t1: int) -> Argument:
    return Argument(role, v.text[v.tokens[t0].start:v.tokens[t1 - 1].end], v.tokens[t0].start,
                    v.tokens[t1 - 1].end)


def modality(v: View, t0: int, left: int, prefix: str) -> str:
    """asserted | planned | negated | hypothetical, from the trigger's proclitic and the words before it."""
    window = [v.keys[j] for j in range(max(left, t0 - 4), t0)]
    readings = [{s for _, s in lexicon.stems(k)[:2]} for k in window]  # the word, and without و/ف

    def has(words: frozenset[str], among: list[set[str]]) -> bool:
        return any(r & words for r in among)

    if has(NEGATION, readings[-2:]):
        return "negated"
    if prefix.endswith("س") or has(PLANNED, readings) or any(
            k.startswith(("سي", "ست", "سن", "وسي", "وست")) and len(k) > 4 for k in window):
        return "planned"
    after = [{s for _, s in lexicon.stems(v.keys[j])[:2]} for j in range(t0 + 1, min(len(v.keys), t0 + 4))]
    if has(PLANNED, after):
        return "planned"
    if has(HYPOTHETICAL - {key("قد")}, readings):
        return "hypothetical"
    stem = lexicon.stems(v.keys[t0])[-1][1] if prefix else v.keys[t0]
    imperfect = stem.startswith(("ي", "ن")) or (stem.startswith("ت") and not stem.endswith("ت"))
    if has(frozenset({key("قد")}), readings[-2:]) and imperfect:
        return "hypothetical"  # قد يتسلم 'may receive'; قد تسلمت 'has received' stays asserted
    return "asserted"


def attribution(reports: list[Report], t0: int) -> str | None:
    """The source an event is reported through: حسب/وفق X, or the speaker of a verb + أن before it."""
    for r in reversed(reports):
        if r.t1 <= t0 and (r.kind == "a" or r.complement <= t0) and r.speaker is not None:
            return r.speaker.name
    return None


_PLATFORMS = frozenset(key(w) for w in ("تويتر", "توتير", "فيسبوك", "فايسبوك", "انستغرام", "يوتيوب", "تيك توك"))


def when_where(v: View, t: int, left: int, right: int, ev: Event, skip: list[Cand]) -> None:
    """Fill ``when`` (nearest date in the clause) and ``where`` (a place after في/ب), outside quotations."""
    dates = [c for c in v.cands if c.type in ("DATE", "TIME") and left <= c.t0 and c.t1 <= right
             and not v.in_quote(c.start)]
    if dates:
        best = min(dates, key=lambda c: abs(c.t0 - t))
        ev.when = best.text
        ev.when_resolved = best.mention.resolved if best.mention is not None else None
    if ev.where is None:
        for c in v.cands:
            if c.type in PLACE_TYPES and left <= c.t0 < right and c.t0 > t and c not in skip \
                    and not v.in_quote(c.start) and key(c.text).removeprefix("ال") not in _PLATFORMS \
                    and governor(v, c, t) in ("في", "ب"):
                ev.where = c.name
                break


_BY = (key("قبل"), key("طرف"))


def _passive_agent(v: View, t1: int, right: int) -> list[Cand]:
    """The agent of a verbal noun or passive given by من قبل / من طرف X (إطلاق صواريخ من قبل البوليساريو)."""
    for j in range(t1, min(right, len(v.keys), t1 + 8) - 1):
        if v.keys[j] == key("من") and v.keys[j + 1] in _BY:
            after = [c for c in v.cands if j + 2 <= c.t0 <= j + 6 and c.type in AGENT_TYPES]
            return group_from(v, after[0], right) if after else []
    return []


_ORG_HEADS = frozenset(key(w) for w in (
    "قوات", "شرطة", "جيش", "وزارة", "مجلس", "حركة", "حزب", "جماعة", "تنظيم", "قيادة", "مصالح", "وحدات", "جبهة",
    "ميليشيات", "كتائب", "فصائل", "سلطات", "حكومة", "الشرطة", "الجيش", "القوات", "السلطات", "الحكومة", "عناصر",
    "أعوان", "وحدة", "فرقة", "مديرية"))


def _org_phrase(v: View, t1: int, right: int) -> list[Cand]:
    """An organisation named right after the verb that the tagger missed: قوات المجلس العسكري, جبهة النصرة."""
    if t1 >= len(v.keys) or not any(s in _ORG_HEADS for _, s in lexicon.stems(v.keys[t1])[:2]):
        return []
    tagged = {k for c in v.cands for k in range(c.t0, c.t1)}
    j = t1 + 1
    while j < min(right, t1 + 5) and v.tokens[j].is_word and j not in tagged and v.keys[j] not in PREPOSITIONS \
            and token_prep(v, j) is None and not lexicon.match(v.keys, j) and not v.keys[j][:1].isdigit():
        j += 1
    start, end = v.tokens[t1].start, v.tokens[j - 1].end
    return [Cand(start, end, v.text[start:end], "ORG", t1, j)]


def _org_phrase_before(v: View, t0: int, left: int) -> list[Cand]:
    """The same, in SVO order: the untagged organisation phrase ending right before the verb."""
    tagged = {k for c in v.cands for k in range(c.t0, c.t1)}
    for h in range(t0 - 1, max(left - 1, t0 - 5), -1):
        if h in tagged or not v.tokens[h].is_word or v.keys[h] in _FUNCTION:
            return []
        if v.keys[h] in NEGATION or v.keys[h].startswith(("لكن", "ولكن")):
            return []  # أن الحكومة لم تطلب: the particle is not part of the name
        if any(s in _ORG_HEADS for _, s in lexicon.stems(v.keys[h])[:2]):
            start, end = v.tokens[h].start, v.tokens[t0 - 1].end
            return [Cand(start, end, v.text[start:end], "ORG", h, t0)]
    return []


def _light_subject(v: View, t0: int, left: int, light: set[int]) -> list[Cand]:
    """The subject of a light verb before a nominal trigger (باشرت المملكة مباحثات, يؤدي الوزير ... زيارة)."""
    for j in range(t0 - 1, max(0, t0 - 16) - 1, -1):
        if j < left and (v.keys[j] in RELATIVE or v.keys[j] in (".", "؟", "!", key("حيث"), key("أن"), key("إن"))):
            break  # commas may separate a light verb from its noun (جددت ... عبير موسي، اتهامها); clauses may not
        if j in light:
            if j > 0 and v.keys[j - 1] in RELATIVE:  # عبير موسي، التي تؤدي ... زيارة: the antecedent
                ante = [c for c in v.cands if c.type in AGENT_TYPES and j - 3 <= c.t1 <= j - 1]
                if ante:
                    return ante[-1:]
            return subject_after(v, j + 1, t0) or subject_before(v, j, left) or _org_phrase(v, j + 1, t0)
    return []


def _nominal_actor(v: View, t1: int, right: int, place_is_where: bool) -> list[Cand]:
    """زيارة [ل]وزير ... غانتس, لقاء X و Y: the actor right after a verbal noun (a person preferred)."""
    near = [c for c in v.cands if t1 <= c.t0 <= t1 + 6 and c.t1 <= right and c.type in AGENT_TYPES
            and c.type != "NORP" and governor(v, c, t1) in (None, "ل")
            and (c.t0 <= t1 + 1 or governor(v, c, t1) == "ل" or c.type == "PERSON")]
    if place_is_where:
        near = [c for c in near if c.type not in PLACE_TYPES]
    if not near:
        return []
    person = next((c for c in near if c.type == "PERSON"), None)
    return group_from(v, person or near[0], right)


_FUNCTION = frozenset(key(w) for w in ("كان", "كانت", "وكان", "وكانت", "قد", "وقد", "فقد", "ثم", "كما", "أيضا",
                                        "بدوره", "بدورها", "من", "جهته", "جهتها", "جانبه", "جانبها", "اليوم", "أمس"))
#: Definite nouns that refer back to a named actor (ودعا الحزب ...: the party named before).
_ANAPHORS = frozenset(key(w) for w in ("الحزب", "الحركة", "الرئيس", "الوزير", "الحكومة", "الوزارة", "المنظمة",
                                        "الجانبان", "الجانبين", "الطرفان", "الطرفين", "البلدان", "البلدين",
                                        "الجمعية", "النائب", "المتحدث", "الناطق", "المسؤول", "الوكالة"))


def _anaphoric(v: View, t0: int, t1: int, left: int) -> bool:
    """Whether a verb without a named subject has a pronoun (or anaphoric noun) subject worth carrying."""
    after = v.keys[t1] if t1 < len(v.keys) else ""
    tagged = {k for c in v.cands for k in range(c.t0, c.t1)}
    if t1 < len(v.keys) and v.tokens[t1].is_word and t1 not in tagged and after not in _FUNCTION \
            and after not in PREPOSITIONS and after not in _ANAPHORS and not after.startswith(("ب", "ل")) \
            and after[:1].isalpha() and not lexicon.match(v.keys, t1):
        return False  # a definite untagged noun right after the verb is its subject (VSO)
    before = [j for j in range(left, t0) if v.tokens[j].is_word and v.keys[j] not in _FUNCTION
              and j not in tagged and v.keys[j] not in PREPOSITIONS]
    return not (before and v.keys[before[-1]] not in _ANAPHORS and before[-1] == t0 - 1)


def _object_pronoun(v: View, t0: int, entry: lexicon.Entry) -> bool:
    k = v.keys[t0]
    table = lexicon.load()
    for suf in ("هما", "هم", "ها", "ه"):
        if k.endswith(suf) and any(e.trigger == entry.trigger for e in table.get(k[: -len(suf)], ())):
            return True
    return False


#: Defence words that qualify (وزير الدفاع, اتفاقية عسكرية) without naming weapons.
_CONTEXT_ONLY = frozenset(key(w) for w in ("الدفاع", "دفاع", "عسكرية", "عسكري", "دفاعية", "العسكرية", "العسكري"))


def _as_arms_deal(v: View, ev: Event, t0: int, right: int) -> None:
    """Recode a signing whose object is weapons as ARMS_TRANSFER (exporter = seller)."""
    from marsad.nlp.events.frames import _exporter, _item

    parties = [c for c in v.cands if any(a.start == c.start and a.end == c.end for a in ev.arguments)]
    sellers = [c for c in parties if _exporter(c)][:1]
    buyers = [c for c in parties if c not in sellers]
    ev.type, ev.cameo = "ARMS_TRANSFER", "062"
    ev.arguments = [arg("seller", c) for c in sellers] + [arg("buyer", c) for c in buyers]
    item = _item(v, t0, t0, right)
    if item is not None:
        ev.arguments.append(item)
    ev.arguments += [arg("value", c) for c in v.cands if c.type == "MONEY"][:1]
    ev.status = "talks" if ev.modality in ("planned", "hypothetical") else "ordered"


def code(v: View, t0: int, t1: int, entry: lexicon.Entry, prefix: str, ctx: Context, reports: list[Report],
         light: set[int]) -> Event | None:
    """One CAMEO event for the trigger at tokens [t0, t1), or None when it has no actor."""
    trig = entry.trigger
    gate = _gate(v, t0, t1, trig, prefix)
    if gate == "reject":
        return None
    etype, cameo = (gate, "111") if gate else (trig.type, trig.cameo)
    left, right = clause(v, t0)
    nominal = trig.kind == "n" or entry.noun
    violent = etype in ("ASSAULT", "FIGHT")
    carried = False
    relative = t0 > 0 and v.keys[t0 - 1] in RELATIVE
    genitive_object = nominal and etype in OBJECT_GENITIVE
    visited: list[Cand] = []
    if nominal and etype == "VISIT" and prefix.endswith("ب") and any(
            j in light for j in range(max(0, t0 - 12), t0)):  # قام وفد ... بزيارة أحمد الريسوني: he was visited
        visited = _nominal_actor(v, t1, right, True)
    if nominal:
        subject = [] if genitive_object or visited else _nominal_actor(v, t1, right, violent or etype == "VISIT")
        subject = _passive_agent(v, t1, right) or subject
        lsubj = _light_subject(v, t0, left, light)
        subject = lsubj + [c for c in subject if c not in lsubj]
        # 'his/her' refers back, unless a light verb has its own untagged subject (واصلت الهيئات مناشدتها)
        has_light = any(j in light for j in range(max(left, t0 - 16), t0))
        own = genitive_object and bool(governed(v, t1, min(right, t1 + 3), ("ل", "ضد", "على")))  # اتهامها لهيئة
        if not subject and (not genitive_object or own) and not has_light \
                and v.keys[t0].endswith(("ه", "ها", "هما", "هم")) and ctx.last_agents:
            subject, carried = list(ctx.last_agents), True
        first = [c for c in v.cands if c.t1 <= t0 and c.type in AGENT_TYPES and governor(v, c, 0) is None][:1]
        adjunct = t0 > 0 and v.keys[t0 - 1] in ADJUNCT or prefix.endswith(("ب", "في"))
        if not subject and etype in SYMMETRIC and governed(v, t1, right, ("مع",)):
            subject, carried = list(ctx.sentence_agents[-1:] or first), True  # عقب مباحثات مع X
        if not subject and etype == "VISIT" and adjunct and not v.keys[t0].endswith(("ه", "ها", "هم", "هما")):
            subject, carried = list(ctx.sentence_agents[-1:] or first), True  # حل الرئيس بتونس في زيارة
    elif relative and not _object_pronoun(v, t0, entry):
        # التي انتقدت X: the antecedent is the subject; a named one only
        subject = [c for c in v.cands if c.t1 == t0 - 1 and c.type in AGENT_TYPES]
        subject = subject or [c for c in subject_after(v, t1, right) if c.t0 == t1]
        if subject and subject[0].t1 <= t0 and not _anaphoric(v, t0, t1, t0):
            return None  # العامري الذي رفضت السلطات طلبه: السلطات is the subject, the antecedent the object
    else:
        subject = subject_after(v, t1, right) or subject_before(v, t0, left)
        if not subject and not _anaphoric(v, t0, t1, left):
            # هاجمت قوات المجلس العسكري / وكانت جبهة النصرة قطعت: an organisation the tagger missed
            subject = _org_phrase(v, t1, right) or _org_phrase_before(v, t0, left)
            if not subject and violent:
                subject = []  # دهست شاحنة المارة: keep the attack if it has a place (below)
            elif not subject:
                return None  # وكانت جبهة النصرة قطعت: an untagged name is the subject; do not guess another
        if not subject:
            first = [c for c in v.cands[:1] if c.t1 <= t0 and c.type in AGENT_TYPES and governor(v, c, 0) is None]
            if etype in SYMMETRIC and etype in ctx.last_pair:
                subject = list(ctx.last_pair[etype])
            else:  # بعد أن اقتحمته: the main clause's subject, else the previous sentence's
                subject = list(ctx.sentence_agents or first or ctx.last_agents)
            carried = bool(subject)
    if trig.kind == "fire" and not subject:  # إطلاق نار في مسجد: shooting without a named force is an attack
        etype, cameo = "ASSAULT", "180"
    ev = Event(etype, cameo, v.text[v.tokens[t0].start:v.tokens[t1 - 1].end], v.tokens[t0].start,
               v.tokens[t1 - 1].end, v.paragraph, v.start, v.end)
    if etype in SYMMETRIC:
        others = governed(v, t1, right, ("مع", "ب", "بين"), skip=subject)
        if others and others[0].type in PLACE_TYPES and governor(v, others[0], t1) == "ب":
            ev.where, others = others[0].name, []  # اجتمع بالرباط: a place, not a partner
        if cameo == "043":  # استقبل X Y: the guest is the bare object
            others = others or [c for c in v.cands if c.t0 >= t1 and c.t1 <= right and c.type in AGENT_TYPES
                                and c.type != "NORP" and c not in subject and governor(v, c, t1) is None][:1]
            if not others:
                return None  # استقبلت السويد 245 ألف لاجئ: no guest, no meeting
        parts, seen = [], set()
        for c in subject + others:
            ident = c.entity_id or key(c.text)
            if ident not in seen:  # اللقاءات ديال بنكيران ... بنكيران: one person twice is not a meeting
                seen.add(ident)
                parts.append(c)
        lonely = nominal and not _light_subject(v, t0, left, light) and key("مع") not in v.keys[t1:right]
        # الاجتماع الإقليمي لحركة نداء تونس: one named side and no partner at all: who met whom?
        searching = any(st in SEARCH or st.startswith(key("بحث")) for _, st in lexicon.stems(v.keys[t0])[:2])
        if not parts or (len(parts) < 2 and (cameo == "043" or searching or carried or not subject
                                              or lonely)):
            return None  # قمة بين مجموعة العشرين وأفريقيا with one named side: too little to code
        ev.arguments = [arg("participants", c) for c in parts]
        if etype == "NEGOTIATE":  # talks about weapons: باراك 8, F5
            ev.arguments += [arg("item", c) for c in v.cands if c.type == "WEAPON" and c.t0 > t0]
        if len(parts) >= 2 and not relative:
            ctx.last_pair[etype] = parts
    else:
        preps = ("إلى", "الى", "ب") if etype == "VISIT" else ("إلى", "الى", "ل", "على", "ضد", "ب", "مع", "من")
        after_subject = max([t1] + [c.t1 for c in subject if c.t0 >= t1])  # not the title of the subject itself
        reach = min(right, t1 + 7) if nominal and etype != "VISIT" else right  # القبض على ... جسر ريالتو: too far
        tgt = [c for c in governed(v, after_subject, reach, preps, AGENT_TYPES | PLACE_TYPES, skip=subject)]
        if not tgt and not nominal and etype != "VISIT":
            tgt = [c for c in v.cands if c.t0 >= after_subject and c.t1 <= right and c.type in AGENT_TYPES
                   and c.type != "NORP" and c not in subject and governor(v, c, t1) is None][:1]
        tgt = visited + [c for c in tgt if c not in visited]
        if etype == "VISIT" and not tgt and not nominal:
            tgt = [c for c in v.cands if c.t0 >= t1 and c.t1 <= right and c.type in PLACE_TYPES][:1]
        if genitive_object and not tgt:  # تفجير ضريح بورقيبة, اعتقال المتهم: the genitive is the object
            tgt = [c for c in v.cands if t1 <= c.t0 <= t1 + 2 and c.t1 <= right and c.type in AGENT_TYPES
                   and governor(v, c, t1) is None][:1]
        if not tgt and _object_pronoun(v, t0, entry):  # يتهمه: 'him' is the last named person before
            tgt = [c for c in v.cands if c.t1 <= t0 and c.type == "PERSON" and c not in subject][-1:]
        if etype == "COERCE" and not nominal and not tgt and subject and subject[0].t1 <= t0:
            subject, tgt = [], subject  # وكان مهدي بن نصر قد اعتقل عام 2008: a passive, he was arrested
        sides = governed(v, t1, right, ("بين",)) if violent and nominal and not subject else []
        if len(sides) >= 2:  # اشتباكات بين عناصر من الدرك ومجموعة إرهابية
            subject, tgt = sides[:1], sides[1:2]
        if etype == "COERCE" and nominal and not tgt:  # بتوقيف المتهم: the person arrested, as written
            who = [j for j in range(t1, min(len(v.keys), t1 + 3))
                   if any(st in HUMAN for _, st in lexicon.stems(v.keys[j])[:3])]
            if who:
                tgt = [Cand(v.tokens[who[0]].start, v.tokens[who[0]].end,
                            v.text[v.tokens[who[0]].start:v.tokens[who[0]].end], "ORG", who[0], who[0] + 1)]
        if (violent or etype == "COERCE") and not subject:  # تم القبض على ..., هجوم في غاو, دهست شاحنة
            when_where(v, t0, left, right, ev, [])
            if ev.where is None:
                place = [c for c in v.cands if c.type in PLACE_TYPES and t1 <= c.t0 <= t1 + 8]
                ev.where = place[0].name if place else None
            if ev.where is None and not tgt:
                return None  # an attack needs at least a place or a target
        elif not subject:
            return None
        ev.arguments = [arg("source", c) for c in subject]
        names = {c.name for c in subject}
        for c in tgt[:2]:
            if c.name in names:
                continue
            if (violent or etype == "COERCE") and c.type in ("GPE", "LOC"):
                ev.where = ev.where or c.name  # أطلقت مدمرتان بالبحر المتوسط: a place, not a target
                continue
            if violent and nominal and c.type in PLACE_TYPES:
                ev.where = ev.where or c.name
                continue
            ev.arguments.append(arg("target", c))
        if etype == "VISIT" and tgt and tgt[0].type in PLACE_TYPES:
            ev.where = tgt[0].name
    when_where(v, t0, left, right, ev, subject)
    ev.modality = modality(v, t0, left, prefix)
    ev.attributed_to = attribution(reports, t0)
    if ev.modality == "asserted" and ev.attributed_to:
        ev.modality = "reported"
    ev.confidence = round(trig.confidence * (0.6 if carried else 1.0) * (1.0 if len(ev.arguments) > 1 else 0.8), 2)
    if etype == "SIGN_AGREEMENT" and not relative and any(
            any(s in lexicon.weapon_words() - _CONTEXT_ONLY for _, s in lexicon.stems(v.keys[j]))
            for j in range(t1, min(len(v.keys), t1 + 6))):
        _as_arms_deal(v, ev, t0, right)  # إبرام عقود مبيعات أسلحة: an arms deal, coded as such
    if not carried and subject:
        ctx.last_agents = [c for c in subject if c.type in AGENT_TYPES] or ctx.last_agents
    return ev
