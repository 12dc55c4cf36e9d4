"""Defence frames CAMEO lacks: ARMS_TRANSFER, PRODUCTION, PROCUREMENT_INTEREST.

A frame fires only in a defence context: a WEAPON mention or a weapon word (طائرات مسيرة, صواريخ,
منظومة ...) near the trigger. Roles:

- ARMS_TRANSFER (CAMEO 062): sell verbs (باع, زود, سلم) make the subject the seller and ل/إلى the buyer;
  buy verbs (اشترى, اقتنى, استورد, تسلم) make the subject the buyer and من the seller; a deal noun
  (صفقة مع المغرب) takes the مع party and the clause subject, the company (or the party that receives the
  money) being the seller. item = WEAPON mention (else the weapon phrase), value = MONEY, quantity =
  QUANTITY, status = talks | ordered | delivered.
- PRODUCTION: actor (subject of the clause), product, place (في), technology origin (بتقنيات إسرائيلية).
- PROCUREMENT_INTEREST: actor seeks item (تسعى للحصول على نظام سكاي لوك).
"""

from __future__ import annotations

from marsad.model import Argument, Event
from marsad.nlp.events import lexicon
from marsad.nlp.events.coder import RELATIVE, Context, arg, attribution, modality, text_arg, when_where
from marsad.nlp.events.roles import clause, governed, governor, subject_after, subject_before
from marsad.nlp.events.speakers import PREPOSITIONS, Report
from marsad.nlp.events.view import AGENT_TYPES, Cand, View, key

_COMPANY = tuple(key(w) for w in ("شركة", "شركات", "الشركة", "الشركات", "صناعات", "الصناعات", "مجموعة",
                                   "industries", "مؤسسة"))
_TECH = frozenset(key(w) for w in ("تقنيات", "بتقنيات", "تكنولوجيا", "بتكنولوجيا", "بتقنية", "تقنية", "خبرة"))
_TALKS = frozenset(key(w) for w in ("مباحثات", "مفاوضات", "محادثات", "يدرس", "دراسة", "تدرس", "إمكانية"))
_INTENT = frozenset(key(w) for w in ("يعتزم", "تعتزم", "ويعتزم", "وتعتزم", "يسعى", "تسعى", "يرغب", "ترغب", "ينوي",
                                     "تنوي", "يخطط", "تخطط", "يريد", "تريد", "يدرس", "تدرس", "إمكانية", "امكانية",
                                     "يتطلع", "تتطلع", "اهتمام", "لاقتناء"))
_DELIVERED = frozenset(key(w) for w in ("تسلم", "تسلمت", "استلم", "استلمت", "وصلت", "وصول", "سلمت", "الدفعة",
                                        "دفعة", "تسلمه", "تسلمها"))


_WHITE = frozenset(key(w) for w in ("أبيض", "ابيض", "بيضاء", "الأبيض", "البيضاء", "الصيد", "صيد"))


def _weapon_tokens(v: View, t0: int, t1: int) -> list[int]:
    """Defence-context words in [t0, t1); a knife (سلاح أبيض) or a hunting rifle is not defence."""
    words = lexicon.weapon_words()
    return [j for j in range(max(0, t0), min(len(v.keys), t1))
            if any(s in words for _, s in lexicon.stems(v.keys[j]))
            and not (j + 1 < len(v.keys) and v.keys[j + 1] in _WHITE)]


def _item(v: View, t: int, left: int, right: int) -> Argument | None:
    """The item: a WEAPON mention after the trigger (else anywhere in the clause), else the weapon phrase."""
    weapons = [c for c in v.cands if c.type == "WEAPON" and left <= c.t0 and c.t1 <= right]
    after = [c for c in weapons if c.t0 > t]
    if after or weapons:
        return arg("item", (after or weapons)[0])
    toks = [j for j in _weapon_tokens(v, t + 1, right)]
    if not toks:
        return None
    j0 = toks[0]
    j1 = j0 + 1
    while j1 < right and j1 - j0 < 3 and v.tokens[j1].is_word and v.keys[j1] not in PREPOSITIONS \
            and v.keys[j1] not in RELATIVE and not lexicon.match(v.keys, j1) \
            and (j1 in toks or v.keys[j1].startswith("ال") == v.keys[j0].startswith("ال")) \
            and not any(c.t0 == j1 for c in v.cands):
        j1 += 1
    return text_arg(v, "item", j0, j1)


def _is_company(c: Cand) -> bool:
    return c.type == "ORG" and key(c.name).startswith(_COMPANY)


def _money_receiver(v: View, parties: list[Cand]) -> Cand | None:
    """A party that 'got' money (حصلت على 22 مليون دولار) is the seller."""
    for c in parties:
        for j in range(c.t1, min(len(v.keys), c.t1 + 3)):
            if any(s in (key("حصل"), key("حصلت"), key("تلقى"), key("تلقت")) for _, s in lexicon.stems(v.keys[j])):
                return c
    return None


_EXPORTERS = frozenset(key(w) for w in (
    "الولايات المتحدة", "واشنطن", "أمريكا", "روسيا", "موسكو", "فرنسا", "باريس", "الصين", "بكين", "ألمانيا",
    "برلين", "بريطانيا", "لندن", "المملكة المتحدة", "إسرائيل", "تل أبيب", "تركيا", "أنقرة", "إيطاليا", "روما",
    "إسبانيا", "مدريد", "كوريا الجنوبية", "السويد", "أوكرانيا", "الهند"))


def _exporter(c: Cand) -> bool:
    return key(c.name) in _EXPORTERS or key(c.text) in _EXPORTERS or _is_company(c)


def _deal_parties(v: View, t0: int, t1: int, left: int, right: int, subj: list[Cand]) -> tuple[list[Cand], list[Cand]]:
    """(sellers, buyers) of a deal noun: صفقة مع المغرب, الصفقات التي عقدتها واشنطن مع المغرب."""
    if not subj:  # الصفقات التي عقدتها واشنطن مع المغرب: the parties are in the relative clause
        for j in range(t1, min(len(v.keys), t1 + 5)):
            if v.keys[j] in RELATIVE:
                _, r2 = clause(v, j + 1)
                subj = subject_after(v, j + 2, r2)
                right = max(right, r2)
                break
    other = [c for c in governed(v, t1, right, ("مع",)) if c not in subj]
    if not subj and not other:
        return [], []
    if _money_receiver(v, subj) is not None:
        return subj, other
    if subj and other:
        if any(_exporter(c) for c in other) and not any(_exporter(c) for c in subj):
            return other, subj
        if any(_exporter(c) for c in subj) and not any(_exporter(c) for c in other):
            return subj, other
        return other, subj  # المغرب أبرم صفقة مع X: the subject buys
    if subj and any(_exporter(c) for c in subj):
        return subj, []
    return ([], subj) if subj else ([], other)


def code_frame(v: View, t0: int, t1: int, entry: lexicon.Entry, prefix: str, ctx: Context,
               reports: list[Report]) -> Event | None:
    """One defence-frame event for the trigger at [t0, t1), or None outside a defence context."""
    trig = entry.trigger
    left, right = clause(v, t0)
    near = range(len(v.keys)) if trig.kind == "deal" else range(max(0, t0 - 3), min(len(v.keys), t1 + 12))
    if not any(c.type == "WEAPON" and c.t0 in near for c in v.cands) and not _weapon_tokens(v, near.start, near.stop):
        return None
    kind = trig.kind
    if kind == "obtain":  # حصل المغرب على 13 طائرة: only when the thing obtained is a weapon
        obj = [j for j in range(t1, min(len(v.keys), t1 + 6)) if v.keys[j] == key("على")][:1]
        if not obj or not (_weapon_tokens(v, obj[0] + 1, obj[0] + 4) or any(
                c.type == "WEAPON" and obj[0] < c.t0 <= obj[0] + 4 for c in v.cands)):
            return None
        kind = "buy"
    if kind == "buynoun" and trig.lemma == key("تزود") and (
            prefix.endswith("س") or any(c.t0 == t1 and c.type in AGENT_TYPES for c in v.cands)):
        kind = "sell"  # ستزود إسرائيل المغرب: the verb 'will supply', not the noun تزود
    if kind == "deal" and t1 < len(v.keys):
        follow = [e.trigger.kind for e, _, _ in lexicon.match(v.keys, t1)]
        kind = next((k for k in follow if k in ("sellnoun", "buynoun")), kind)  # صفقة بيع / صفقة لشراء
    etype = trig.type
    if kind in ("buy", "buynoun") and any(k in _INTENT for k in v.keys[max(left, t0 - 3):t0]):
        etype = "PROCUREMENT_INTEREST"  # يعتزم المغرب اقتناء ...: interest, not a transfer yet
    ev = Event(etype, trig.cameo, v.text[v.tokens[t0].start:v.tokens[t1 - 1].end], v.tokens[t0].start,
               v.tokens[t1 - 1].end, v.paragraph, v.start, v.end)
    subj = subject_after(v, t1, right) if kind in ("sell", "buy", "seek") else []
    subj = subj or subject_before(v, t0, left)
    item = _item(v, t0, left, right)
    if etype == "ARMS_TRANSFER":
        seller: list[Cand] = []
        buyer: list[Cand] = []
        if kind in ("sell", "sellnoun"):
            seller = subj
            buyer = governed(v, t1, right, ("إلى", "الى", "ل"), skip=seller)
            if not buyer and kind == "sell":
                buyer = [c for c in v.cands if t1 <= c.t0 < right and c.type in AGENT_TYPES and c not in seller
                         and governor(v, c, t1) is None][:1]
        elif kind in ("buy", "buynoun"):
            buyer = subj
            seller = governed(v, t1, right, ("من",), skip=buyer)
        else:  # deal noun
            seller, buyer = _deal_parties(v, t0, t1, left, right, subj)
        if kind in ("sell", "sellnoun", "buy", "buynoun", "deal") and len(seller) > 1 or len(buyer) > 1:
            parties = seller + [c for c in buyer if c not in seller]  # الرباط وأنقرة: the exporter sells
            if any(_exporter(c) for c in parties) and not all(_exporter(c) for c in parties):
                seller = [c for c in parties if _exporter(c)]
                buyer = [c for c in parties if not _exporter(c)]
        if not seller and not buyer:
            return None
        ev.arguments = [arg("seller", c) for c in seller] + [arg("buyer", c) for c in buyer]
        keys = {s for k in v.keys[max(0, left - 6):right] for _, s in lexicon.stems(k)}
        ev.status = ("delivered" if keys & _DELIVERED else "talks" if keys & _TALKS or prefix.endswith("س")
                     else "ordered")
    elif etype == "PRODUCTION":
        if not subj or item is None:
            return None
        ev.arguments = [arg("actor", c) for c in subj]
        item.role = "product"
        for j in range(t1, right):
            if v.keys[j] in _TECH or any(s in _TECH for _, s in lexicon.stems(v.keys[j])):
                origin = [c for c in v.cands if j < c.t0 <= j + 2]
                ev.arguments.append(arg("technology", origin[0]) if origin
                                    else text_arg(v, "technology", j + 1, min(j + 2, right)))
                break
    else:  # PROCUREMENT_INTEREST
        if not subj or item is None:
            return None
        ev.arguments = [arg("actor", c) for c in subj]
        ev.cameo = None  # interest is not yet cooperation
    if item is not None:
        ev.arguments.append(item)
    for c in v.cands:
        if c.type == "MONEY" and etype == "ARMS_TRANSFER":
            ev.arguments.append(arg("value", c))
            break
    for c in v.cands:
        if c.type == "QUANTITY" and left <= c.t0 < right and c.t0 > t0:
            ev.arguments.append(arg("quantity", c))
            break
    when_where(v, t0, left, right, ev, subj)
    ev.modality = modality(v, t0, left, prefix)
    ev.attributed_to = attribution(reports, t0)
    if ev.modality == "asserted" and ev.attributed_to:
        ev.modality = "reported"
    ev.confidence = round(trig.confidence * (1.0 if len(ev.arguments) >= 3 else 0.8), 2)
    if subj:
        ctx.last_agents = subj
    return ev
