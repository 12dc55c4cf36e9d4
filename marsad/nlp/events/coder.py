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
from marsad.nlp.events.roles import clause, governed, governor, group_from, subject_after, subject_before
from marsad.nlp.events.speakers import Report
from marsad.nlp.events.view import AGENT_TYPES, Cand, View, key

RELATIVE = frozenset(key(w) for w in ("الذي", "التي", "اللذين", "اللذان", "الذين", "اللتين"))
SYMMETRIC = frozenset({"MEET", "NEGOTIATE", "SIGN_AGREEMENT"})
PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
AGREEMENT_WORDS = frozenset(key(w) for w in (
    "اتفاق", "اتفاقا", "اتفاقية", "اتفاقيات", "اتفاقات", "مذكرة", "مذكرات", "معاهدة", "عقد", "عقدا", "عقود",
    "بروتوكول", "ميثاق", "صفقة", "صفقات", "إعلان", "اتفاقيتين", "اتفاقين", "مذكرتي", "مذكرتين", "برنامج"))
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
    published: str | None = None


def arg(role: str, c: Cand) -> Argument:
    return Argument(role, c.name, c.start, c.end, c.entity_id)


def text_arg(v: View, role: str, t0: int, t1: int) -> Argument:
    return Argument(role, v.text[v.tokens[t0].start:v.tokens[t1 - 1].end], v.tokens[t0].start,
                    v.tokens[t1 - 1].end)


def modality(v: View, t0: int, left: int, prefix: str) -> str:
    """asserted | planned | negated | hypothetical, from the trigger's proclitic and the words before it."""
    window = [v.keys[j] for j in range(max(left, t0 - 4), t0)]
    if any(k in NEGATION for k in window[-2:]):
        return "negated"
    if prefix.endswith("س") or any(k in PLANNED or (k.startswith(("سي", "ست", "سن")) and len(k) > 4)
                                   for k in window):
        return "planned"
    after = [v.keys[j] for j in range(t0 + 1, min(len(v.keys), t0 + 4))]
    if any(k in PLANNED for k in after):
        return "planned"
    if any(k in HYPOTHETICAL for k in window):
        return "hypothetical"
    return "asserted"


def attribution(reports: list[Report], t0: int) -> str | None:
    """The source an event is reported through: حسب/وفق X, or the speaker of a verb + أن before it."""
    for r in reversed(reports):
        if r.t1 <= t0 and (r.kind == "a" or r.complement <= t0) and r.speaker is not None:
            return r.speaker.name
    return None


def when_where(v: View, t: int, left: int, right: int, ev: Event, skip: list[Cand]) -> None:
    dates = [c for c in v.cands if c.type in ("DATE", "TIME") and left <= c.t0 and c.t1 <= right]
    if dates:
        best = min(dates, key=lambda c: abs(c.t0 - t))
        ev.when = best.text
        ev.when_resolved = best.mention.resolved if best.mention is not None else None
    if ev.where is None:
        for c in v.cands:
            if c.type in PLACE_TYPES and left <= c.t0 < right and c.t0 > t and c not in skip \
                    and governor(v, c, t) in ("في", "ب"):
                ev.where = c.name
                break


_NOT_SIGNING = frozenset(key(w) for w in ("على", "في", "ضحية", "بين", "من", "تحت", "خلال"))


def _has_agreement(v: View, t0: int, t1: int, right: int, nominal: bool) -> bool:
    """وقع/توقيع code a signing only with an agreement object after them (or in الاتفاق الذي وقعه)."""
    if t1 < len(v.keys) and v.keys[t1] in _NOT_SIGNING and not nominal:
        return False  # وقعت على خلفية, وقع في فخ: 'fell', not 'signed'
    if t0 > 0 and v.keys[t0 - 1] in (key("الذي"), key("التي")):
        return True
    near = range(t1, min(len(v.keys), t1 + (3 if nominal else 8)))
    return any(any(s in AGREEMENT_WORDS for _, s in lexicon.stems(v.keys[j])) for j in near)


def _light_subject(v: View, t0: int, left: int, light: set[int]) -> list[Cand]:
    """The subject of a light verb just before a nominal trigger (باشرت المملكة مباحثات)."""
    for j in range(t0 - 1, max(left - 1, t0 - 6), -1):
        if j in light:
            return subject_after(v, j + 1, t0) or subject_before(v, j, max(0, left - 8))
    return []


def code(v: View, t0: int, t1: int, entry: lexicon.Entry, prefix: str, ctx: Context, reports: list[Report],
         light: set[int]) -> Event | None:
    """One CAMEO event for the trigger at tokens [t0, t1), or None when it has no actor."""
    trig = entry.trigger
    left, right = clause(v, t0)
    if trig.type == "SIGN_AGREEMENT" and not _has_agreement(v, t0, t1, right, trig.kind == "n"):
        return None
    nominal = trig.kind == "n"
    carried = False
    if nominal:
        after = [c for c in v.cands if t1 <= c.t0 <= t1 + 6 and c.t1 <= right and c.type in AGENT_TYPES
                 and governor(v, c, t1) in (None, "ل")]
        subject = group_from(v, after[0], right) if after else []
        lsubj = _light_subject(v, t0, left, light)
        subject = lsubj + [c for c in subject if c not in lsubj]
        if not subject and v.keys[t0].endswith(("ه", "ها", "هما", "هم")) and ctx.last_agents:
            subject, carried = list(ctx.last_agents), True
    else:
        subject = subject_after(v, t1, right) or subject_before(v, t0, left)
        if not subject:
            if trig.type in SYMMETRIC and trig.type in ctx.last_pair:
                subject = list(ctx.last_pair[trig.type])
            else:
                subject = list(ctx.last_agents)
            carried = bool(subject)
    ev = Event(trig.type, trig.cameo, v.text[v.tokens[t0].start:v.tokens[t1 - 1].end], v.tokens[t0].start,
               v.tokens[t1 - 1].end, v.paragraph, v.start, v.end)
    if trig.type in SYMMETRIC:
        others = governed(v, t1, right, ("مع", "ب", "بين"), skip=subject)
        if trig.cameo == "043":  # استقبل X Y: the guest is the bare object
            others = others or [c for c in v.cands if c.t0 >= t1 and c.t1 <= right and c.type in AGENT_TYPES
                                and c not in subject and governor(v, c, t1) is None][:1]
        parts = subject + [c for c in others if c not in subject]
        if not parts:
            return None
        ev.arguments = [arg("participants", c) for c in parts]
        if len(parts) >= 2 and not (t0 > 0 and v.keys[t0 - 1] in RELATIVE):
            ctx.last_pair[trig.type] = parts
    else:
        if not subject:
            return None
        ev.arguments = [arg("source", c) for c in subject]
        preps = ("إلى", "الى") if trig.type == "VISIT" else ("إلى", "الى", "ل", "على", "ضد", "ب", "مع", "من")
        tgt = governed(v, t1, right, preps, AGENT_TYPES | PLACE_TYPES, skip=subject)
        if not tgt and not nominal and trig.type != "VISIT":
            tgt = [c for c in v.cands if c.t0 >= t1 and c.t1 <= right and c.type in AGENT_TYPES
                   and c not in subject and governor(v, c, t1) is None][:1]
        if trig.type == "VISIT" and not tgt and not nominal:
            tgt = [c for c in v.cands if c.t0 >= t1 and c.t1 <= right and c.type in PLACE_TYPES][:1]
        for c in tgt[:2]:
            ev.arguments.append(arg("target", c))
        if trig.type == "VISIT" and tgt and tgt[0].type in PLACE_TYPES:
            ev.where = tgt[0].name
    when_where(v, t0, left, right, ev, subject)
    ev.modality = modality(v, t0, left, prefix)
    ev.attributed_to = attribution(reports, t0)
    if ev.modality == "asserted" and ev.attributed_to:
        ev.modality = "reported"
    ev.confidence = round(trig.confidence * (0.6 if carried else 1.0) * (1.0 if len(ev.arguments) > 1 else 0.8), 2)
    if not carried:
        ctx.last_agents = [c for c in subject if c.type in AGENT_TYPES] or ctx.last_agents
    return ev
