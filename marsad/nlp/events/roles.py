"""Argument finding in Arabic clauses: clause bounds, prepositions governing a mention, subject groups.

Arabic news sentences are mostly VSO (ووقع المغرب وإسرائيل اتفاقا), often SVO after أن (أن المغرب سيعمل),
with coordinated actors joined by و or a comma, title+name noun phrases (رئيس مكتب المملكة المغربية عبد
الرحيم بيوض: the person is the head, the country only qualifies the title) and objects marked by a
preposition (بـ، مع، إلى، ل). These helpers answer "which mentions does this trigger govern, and how".
"""

from __future__ import annotations

from marsad.nlp.events.speakers import COMPLEMENT, PREPOSITIONS, partitive
from marsad.nlp.events.view import AGENT_TYPES, Cand, View, key, stems

#: Words that end a clause for argument search.
BOUNDARY = frozenset(key(w) for w in ("حيث", "بينما", "فيما", "كما", "الذي", "التي", "اللذين", "الذين",
                                        "اللتين", "لكن", ".", "؟", "!", ";", "؛", "،", ",", "وذلك", "ثم"))
#: Clause starters that leave the subject to the left (SVO): أن المغرب سيعمل.
LEFT_STOP = frozenset(BOUNDARY | COMPLEMENT | {key("و")})
_NAME_INITIAL_WORDS = frozenset(key(w) for w in ("وزير", "وزيرة", "وزارة", "وزراء", "بيان", "بلاغ", "لجنة",
                                                   "ولاية", "والي", "بلد", "بلاد", "بلدية", "وكالة", "لقاء",
                                                   "ليبيا", "لبنان", "بريطانيا", "بلجيكا", "واشنطن", "بغداد",
                                                   "بيروت", "باريس", "برلين", "بكين", "لندن", "وفد", "بعثة"))


def clitic(v: View, c: Cand) -> str:
    """The real proclitics in front of a candidate (للقيادة -> لل, ببيوض -> ب, بيوض -> '')."""
    tok = v.tokens[c.t0]
    if c.start > tok.start:
        return key(v.text[tok.start:c.start])
    word = key(c.text.split()[0]) if c.text.split() else ""
    if c.canonical:
        first = key(c.canonical.split()[0])
        if word == first:
            return ""
        for p, s in stems(word):
            if s == first or ("ل" in p and first.startswith("ال") and s == first[2:]):
                return p
        return ""
    return tok.prefix if tok.prefix in ("لل", "بال", "وال", "وبال", "ولل", "فال", "كال") else ""


def token_prep(v: View, j: int) -> str | None:
    """The preposition a (non-mention) token is or carries: 'في', 'مع', 'ب', 'ل' ...; None if none."""
    k = v.keys[j]
    if k in PREPOSITIONS:
        raw = v.text[v.tokens[j].start:v.tokens[j].end]
        return None if raw in ("علي", "الي") else k  # the name علي folds like the preposition على
    tok = v.tokens[j]
    if tok.is_word and k not in _NAME_INITIAL_WORDS:
        pre = tok.prefix or ""
        if pre.removesuffix("ال").endswith(("ب", "ل", "ك")) or pre in ("لل", "ولل", "فلل"):
            return "ل" if "ل" in pre.replace("ال", "") or pre.endswith("لل") else "ب"
    return None


def governor(v: View, c: Cand, floor: int) -> str | None:
    """The preposition governing candidate ``c``, looking back no further than token ``floor``."""
    cl = clitic(v, c)
    if c.type in ("GPE", "LOC", "FAC") and v.keys[c.t0].startswith("فال") and not key(c.text).startswith("ف"):
        return key("في")  # Darija: فالرباط, فالإمارات mean 'in ...'
    core = cl.removesuffix("ال")
    if "ب" in core or core.endswith("ل") or cl.endswith("لل"):
        return "ب" if "ب" in core else "ل"
    prev = next((o for o in v.cands if o is not c and o.t1 < c.t0 and o.t1 >= floor
                 and (o.type == "NORP" or o.mention is None)
                 and all(v.keys[i] in ("،", ",") for i in range(o.t1, c.t0))), None)
    if prev is not None:  # title، name: the name shares the title's preposition (بنظيره المغربي، ناصر بوريطة)
        return governor(v, prev, floor)
    j = c.t0 - 1
    while j >= floor:
        k = v.keys[j]
        if k in BOUNDARY or k in COMPLEMENT:
            return None
        prep = token_prep(v, j)
        if prep is not None:
            return None if partitive(v, j) else prep
        if any(o is not c and o.t0 <= j < o.t1 for o in v.cands):
            return None  # another mention in between: c is in apposition/coordination, not governed
        j -= 1
    return None


def clause(v: View, t: int) -> tuple[int, int]:
    """Token bounds [left, right) of the clause around token ``t`` (commas, أن, حيث, الذي ... split)."""
    left = t
    while left > 0 and ((v.keys[left - 1] not in BOUNDARY and v.keys[left - 1] not in COMPLEMENT)
                        or _continues(v, left - 1)):
        left -= 1
    right = t + 1
    while right < len(v.tokens) and (v.keys[right] not in BOUNDARY or _continues(v, right)):
        right += 1
    return left, right


def _continues(v: View, j: int) -> bool:
    """A comma before a preposition phrase or an apposition does not end the clause: التقى X، بـ” غانتس."""
    if v.keys[j] not in ("،", ","):
        return False
    k = j + 1
    while k < len(v.tokens) and not v.tokens[k].is_word:
        k += 1
    if k >= len(v.tokens):
        return False
    return token_prep(v, k) is not None or any(c.t0 == k for c in v.cands)


def _coordinated(v: View, a: Cand, b: Cand) -> bool:
    """b follows a as a coordinated item: 'المغرب وإسرائيل', 'A، B و C'."""
    between = [v.keys[j] for j in range(a.t1, b.t0)]
    if any(k not in ("،", ",", "و") for k in between):
        return False
    return "و" in between or clitic(v, b).startswith("و") or (between == [] and b.type == a.type == "PERSON")


def group_from(v: View, first: Cand, right: int, types: frozenset[str] = AGENT_TYPES) -> list[Cand]:
    """``first`` and the agents coordinated with it (heads of title noun phrases preferred)."""
    out = [first]
    for c in v.cands:
        if c.t0 >= out[-1].t1 and c.t1 <= right and c.type in types:
            if _coordinated(v, out[-1], c) or (c.t0 == out[-1].t1 and c.type == "PERSON"):
                out.append(c)
            elif c.t0 > out[-1].t1:
                break
    persons = [c for c in out if c.type == "PERSON"]
    if persons and len(persons) < len(out):
        # رئيس مكتب المملكة المغربية عبد الرحيم بيوض: the country qualifies the title; the person acts.
        out = [c for c in out if c.type == "PERSON" or any(_coordinated(v, p, c) for p in persons)]
    return out


def subject_after(v: View, t1: int, right: int) -> list[Cand]:
    """VSO subject: the first ungoverned agent after the verb (a date, an adverb or a title may intervene);
    when a person follows in the same noun phrase (title + name) the person is the subject."""
    free: list[Cand] = []
    for c in v.cands:
        if c.t0 < t1 or c.t1 > right or c.type in ("DATE", "TIME", "MONEY", "QUANTITY", "PERCENT"):
            continue
        if c.t0 - t1 > 10 or any(v.keys[j] in COMPLEMENT and v.keys[j] not in ("،", ",") for j in range(t1, c.t0)):
            break
        if c.type in AGENT_TYPES and governor(v, c, t1) is None:
            free.append(c)
        elif not free and c.type not in AGENT_TYPES and c.t0 - t1 <= 1:
            return []  # a bare object right after the verb: the subject is before it or a pronoun
    if not free:
        return []
    first = free[0]
    if first.t0 - t1 > 4 and first.type != "PERSON":
        return []
    person = next((c for c in free if c.type == "PERSON" and c.t0 - first.t0 <= 12), None)
    return group_from(v, person or first, right)


def subject_before(v: View, t0: int, left: int) -> list[Cand]:
    """SVO subject: the nearest ungoverned agent in the clause before the verb."""
    before = [c for c in v.cands if c.t1 <= t0 and c.t0 >= left and c.type in AGENT_TYPES]
    for c in reversed(before):
        if governor(v, c, left) is None:
            firsts = [b for b in before if b.t1 <= c.t0]
            head = c
            for b in reversed(firsts):  # walk back over coordination: 'المغرب وإسرائيل تبحثان'
                if _coordinated(v, b, head) and governor(v, b, left) is None:
                    head = b
                else:
                    break
            return group_from(v, head, t0)
    return []


def governed(v: View, t1: int, right: int, preps: tuple[str, ...], types: frozenset[str] = AGENT_TYPES,
             skip: list[Cand] | None = None) -> list[Cand]:
    """Agents after ``t1`` in the clause governed by one of ``preps`` (with their coordinated partners)."""
    skip = skip or []
    want = {key(p) for p in preps}
    for c in v.cands:
        if c.t0 < t1 or c.t1 > right or c.type not in types or c in skip:
            continue
        g = governor(v, c, t1)
        if g is not None and g in want:
            if c.type != "PERSON":  # بنظيره المغربي، ناصر بوريطة: the apposed person is the argument
                person = next((o for o in v.cands if o.type == "PERSON" and 0 <= o.t0 - c.t1 <= 2), None)
                if person is not None and all(v.keys[j] in ("،", ",") for j in range(c.t1, person.t0)):
                    return group_from(v, person, right, types)
            if c.type == "NORP":
                continue  # a bare demonym qualifies a noun (بنظيره المغربي); it is not the argument
            return group_from(v, c, right, types)
    return []
