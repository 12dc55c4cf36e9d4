"""Reporting verbs and their speakers (قال غانتس / وأوضح بيان للقيادة / وأضاف ...), used by quotes and events.

A speaker is found, in order: (1) the first agent mention after the verb and before the complement
(أن/إن/:/the quote), not governed by a preposition; (2) after نقل, the mention after عن; (3) the author of
a statement channel (بيان/بلاغ للقيادة ...); (4) an agent mention just before the verb (SVO); (5) when no
mention layer exists, the bare noun phrase after the verb; (6) otherwise the speaker is a pronoun and the
caller carries the previous speaker (وأضاف / وتابع).
"""

from __future__ import annotations

from dataclasses import dataclass

from marsad.model import Analysis
from marsad.nlp.events import lexicon
from marsad.nlp.events.view import AGENT_TYPES, Cand, View, key

PREPOSITIONS = frozenset(key(w) for w in (
    "في", "على", "إلى", "الى", "مع", "من", "عن", "خلال", "بعد", "قبل", "حول", "ضد", "لدى", "منذ", "عبر", "بين",
    "أمام", "ب", "ل", "لـ", "بـ", "تجاه", "نحو", "دون", "إثر", "اثر", "عقب", "بخصوص", "حيال", "وفق", "حسب"))
_THAT = ("أن", "إن", "بأن", "بان", "وأن", "فإن", "إنه", "أنه", "أنها", "إنها", "أنهم", "إنهم", "بأنه", "بأنها",
         "أننا", "إننا", "بأننا", "أنني", "إنني", "أنهما", "إنهما", "باللي", "بلي", "على أن", ":")
COMPLEMENT = frozenset(key(w) for w in (*_THAT, "،", ",", ";", "؛"))
ATTRIBUTIVE = frozenset(key(w) for w in ("حسب", "بحسب", "وحسب", "وبحسب", "وفق", "وفقا", "ووفق", "ووفقا",
                                          "نقلا", "طبقا"))
CHANNELS = frozenset(key(w) for w in (
    "تويتر", "توتير", "فيسبوك", "فايسبوك", "فيس", "انستغرام", "إنستغرام", "بيان", "بلاغ", "تصريح", "تصريحات",
    "تدوينة", "تغريدة", "حوار", "مقابلة", "مؤتمر", "ندوة", "كلمة", "رسالة", "خطاب", "إذاعة", "برنامج", "بلاغا"))
COMPLEMENTIZERS = frozenset(key(w) for w in _THAT)
#: Words a fallback speaker phrase never contains (relatives, Darija function words, adverbs of time).
PHRASE_STOP = frozenset(key(w) for w in ("لي", "اللي", "الذي", "التي", "الذين", "ديال", "ديالو", "ديالها", "هاد",
                                          "هادي", "هادشي", "باش", "غادي", "ماشي", "راه", "اليوم", "أمس", "حيث",
                                          "قائلا", "خلال", "عقب", "إثر", "بعد", "قبل", "فيها", "فيه", "عليه",
                                          "عليها", "له", "لها", "منه", "منها", "عنه", "عنها", "إليه", "إليها", "به",
                                          "بها", "لهم", "عليهم", "فيهم", "معه", "معها", "إنه", "أنه", "اسمه",
                                          "اسمها", "بالقول", "قائلا", "قوله", "بقوله"))
_QUANTIFIERS = frozenset(key(w) for w in ("عدد", "بعض", "مجموعة", "أحد", "إحدى", "عشرات", "مئات", "آلاف", "كثير",
                                           "جل", "معظم", "أغلب", "ممثلو", "ممثلي", "نواب"))
_KANA = frozenset(key(w) for w in ("كان", "كانت", "وكان", "وكانت", "قد", "وقد", "فقد", "كما", "فيما"))
AUTHOR_CHANNELS = frozenset(key(w) for w in ("بيان", "بلاغ", "بلاغا", "رسالة", "تقرير", "بيانا"))
_NOT_SAID = frozenset(key(w) for w in ("عدم", "دون", "بدون", "بعد", "قبل", "عند", "أثناء", "خلال"))
OWN_WORDS = frozenset(key(w) for w in ("تعبيره", "تعبيرها", "تقديره", "تقديرها", "قوله", "قولها", "رأيه",
                                          "رأيها", "وصفه", "وصفها", "تصريحه", "تصريحها", "تعبيرهم", "قولهم"))
_QUOTING = frozenset({"APPEAL", "DEMAND", "DISAPPROVE"})  # دعا/طالب/انتقد ... may introduce a partial quote
_PLATFORMS = frozenset(key(w) for w in ("تويتر", "توتير", "فيسبوك", "فايسبوك", "انستغرام", "إنستغرام"))


@dataclass(slots=True)
class Speaker:
    """Who said something: a mention candidate, or a bare phrase when no mention layer exists."""

    name: str
    entity_id: str | None = None
    cand: Cand | None = None


@dataclass(slots=True)
class Report:
    """A reporting verb (or attributive حسب/وفق) in a sentence, with its explicit speaker if any."""

    t0: int  # token index of the verb
    t1: int
    verb: str  # raw verb text without its proclitic
    lemma: str
    kind: str  # r reporting, c continuation, a attributive
    speaker: Speaker | None
    channel: str | None
    complement: int  # token index where the reported content starts


def partitive(v: View, j: int) -> bool:
    """The preposition at token ``j`` is partitive من after a quantifier: عدد من نواب مجلس الشعب."""
    return v.keys[j] == key("من") and j > 0 and v.keys[j - 1] in _QUANTIFIERS


def _prep_governed(v: View, c: Cand) -> bool:
    from marsad.nlp.events.roles import governor

    return governor(v, c, max(0, c.t0 - 6)) is not None


def _speaker(c: Cand) -> Speaker:
    return Speaker(c.name, c.entity_id, c)


def _window_end(v: View, start: int, limit: int) -> int:
    stop = min(limit, len(v.tokens), start + 14)
    for j in range(start, stop):
        if v.keys[j] in COMPLEMENTIZERS or v.keys[j] == '"' or v.in_quote(v.tokens[j].start):
            return j
    return stop


def channel_at(v: View, t0: int, t1: int) -> tuple[str | None, int | None]:
    """(channel text, token index of the channel word) within tokens [t0, t1)."""
    for j in range(t0, t1):
        k = v.keys[j]
        stem = next((s for _, s in lexicon.stems(k) if s in CHANNELS), None)
        if stem is None:
            continue
        tok = v.tokens[j]
        start = tok.stem_start if tok.stem_start >= 0 and stem != k else tok.start
        if stem in _PLATFORMS:
            return _raw(v, j, j + 1, start), j
        end_tok = j + 1
        if stem not in AUTHOR_CHANNELS and end_tok < t1 and (v.tokens[end_tok].prefix or "").startswith("ل"):
            end_tok += 1
            while end_tok < min(t1, j + 4) and v.tokens[end_tok].is_word and v.keys[end_tok] not in COMPLEMENT \
                    and v.keys[end_tok] not in PREPOSITIONS:
                end_tok += 1
        return _raw(v, j, end_tok, start), j
    return None, None


def _raw(v: View, t0: int, t1: int, start: int | None = None) -> str:
    from_ = v.tokens[t0].start if start is None else start
    return v.text[from_:v.tokens[t1 - 1].end]


def phrase_after(v: View, t: int, limit: int) -> Speaker | None:
    """Fallback speaker without a mention layer: the bare noun phrase after a verb (at most 4 words)."""
    dates = {k for c in v.cands if c.type in ("DATE", "TIME") for k in range(c.t0, c.t1)}
    if t >= limit or v.in_quote(v.tokens[t].start) or not v.keys[t][:1].isalpha():
        return None
    j = t
    while j < limit and v.tokens[j].is_word and v.keys[j] not in COMPLEMENT and v.keys[j] not in PREPOSITIONS \
            and v.keys[j] not in PHRASE_STOP and v.keys[j] not in ATTRIBUTIVE and j - t < 5 and j not in dates \
            and not lexicon.match(v.keys, j):
        j += 1
    if j == t or (j - t == 1 and len(v.keys[t]) <= 2):
        return None
    tok = v.tokens[t]
    start = tok.stem_start if tok.prefix in ("لل", "ل", "ب", "وب", "ول") and tok.stem_start > tok.start else None
    s0 = v.tokens[t].start if start is None else start
    return Speaker(_raw(v, t, j, start), cand=Cand(s0, v.tokens[j - 1].end, _raw(v, t, j, start), "ORG", t, j))


def find_speaker(v: View, t0: int, t1: int, lemma: str, limit: int,
                 kind: str = "r") -> tuple[Speaker | None, str | None, int]:
    """(explicit speaker or None, channel, complement token index) for a reporting verb at [t0, t1)."""
    end = _window_end(v, t1, limit)
    channel, ch_tok = channel_at(v, t1, end)
    agents = [c for c in v.cands if c.type in AGENT_TYPES]
    if key(lemma) == key("نقل"):  # نقل البيان عن صحفيين قولهم: the source after عن speaks
        for j in range(t1, end):
            if v.keys[j] == "عن":
                after = [c for c in agents if c.t0 > j and c.t0 < end]
                if after:
                    return _speaker(after[0]), channel, end
                sp = phrase_after(v, j + 1, end)
                if sp is not None:
                    return sp, channel, end
    window = [c for c in agents if t1 <= c.t0 < end]
    free = [c for c in window if not _prep_governed(v, c) and (ch_tok is None or c.t0 < ch_tok)]
    if free:
        persons = [c for c in free if c.type == "PERSON"]  # title + name: رئيس حكومة ولاية ... فينفريد كرتشمان
        return _speaker(persons[0] if persons else free[0]), channel, end
    if ch_tok is not None and v.keys[ch_tok].endswith(tuple(AUTHOR_CHANNELS)):
        after = [c for c in window if ch_tok < c.t0 <= ch_tok + 2]  # بيان للقيادة X, not بيان نشرته وكالة X
        if after:
            return _speaker(after[0]), channel, end
    # SVO (المصادر أشارت): not for participles and continuations (مضيفة, وأضاف), which take the last speaker
    before = [c for c in agents if c.t1 <= t0 and t0 - c.t1 <= 6 and not _prep_governed(v, c)
              and kind != "c" and not key(v.text[v.tokens[t0].start:v.tokens[t0].end]).startswith("م")]
    if before and not any(v.keys[j] in COMPLEMENTIZERS for j in range(before[-1].t1, t0)):
        return _speaker(before[-1]), channel, end
    if t1 < end and v.keys[t1] not in PREPOSITIONS:
        first = t1 + 1 if v.keys[t1] in AUTHOR_CHANNELS and t1 + 1 < end else t1
        sp = phrase_after(v, first, end)
        if sp is not None:
            return sp, channel, end
    sp = phrase_before(v, t0)
    return sp, channel, end


def phrase_before(v: View, t0: int) -> Speaker | None:
    """SVO fallback without a mention: وكانت مصادر إسرائيلية أشارت -> 'مصادر إسرائيلية'."""
    j = t0
    while j > 0 and t0 - j < 3 and v.tokens[j - 1].is_word and v.keys[j - 1] not in _KANA \
            and v.keys[j - 1] not in COMPLEMENT and v.keys[j - 1] not in PREPOSITIONS:
        j -= 1
    if j == t0 or j == 0 or v.keys[j - 1] not in _KANA:
        return None
    return Speaker(_raw(v, j, t0), cand=Cand(v.tokens[j].start, v.tokens[t0 - 1].end, _raw(v, j, t0), "ORG", j, t0))


def reports(v: View, limit: int | None = None) -> list[Report]:
    """Reporting verbs and attributive phrases of a sentence, in order, before token ``limit``."""
    limit = len(v.tokens) if limit is None else limit
    out: list[Report] = []
    j = 0
    while j < limit:
        k = v.keys[j]
        if k in ATTRIBUTIVE:
            at = j + 1
            if at < limit and v.keys[at] == key("ما"):  # حسب ما أفاد به X / وفق ما جاء في البيان
                at += 2
                while at < limit and v.keys[at] in PHRASE_STOP | PREPOSITIONS:
                    at += 1
            sp, ch, comp = find_speaker(v, j, at, "حسب", limit)
            if at < limit and any(s in OWN_WORDS for _, s in lexicon.stems(v.keys[at])):
                sp = None  # وفق تعبيره / حسب قوله: the speaker named before
            out.append(Report(j, j + 1, _raw(v, j, j + 1), "حسب", "a", sp, ch, comp))
            j = max(j + 1, at)  # بحسب ما نقلته صحف: نقلته belongs to the attribution
            continue
        hit = next(((e, end, p) for e, end, p in lexicon.match(v.keys, j)
                    if e.trigger.kind in ("r", "c") or (e.trigger.kind == "v" and e.trigger.type in _QUOTING)), None)
        if hit is None:
            j += 1
            continue
        entry, end, prefix = hit
        if "ال" in prefix or "ب" in prefix or prefix.endswith("لل"):
            j = end
            continue  # قطاع النقل, بالقول: a noun, not a reporting verb
        if j > 0 and v.keys[j - 1] in _NOT_SAID:
            j = end
            continue  # فضل عدم ذكر اسمه: a verbal noun, nobody spoke
        sp, ch, comp = find_speaker(v, j, end, entry.trigger.lemma, limit, entry.trigger.kind)
        tok = v.tokens[j]
        verb = v.text[tok.start + len(prefix):v.tokens[end - 1].end]
        out.append(Report(j, end, verb, entry.trigger.lemma, entry.trigger.kind, sp, ch, comp))
        j = end
    return out


#: First words of a title that names a person elsewhere in the article (رئيس الحكومة، سعد الدين العثماني).
_TITLE_HEADS = frozenset(key(w) for w in (
    "رئيس", "الرئيس", "وزير", "الوزير", "وزيرة", "النائب", "نائب", "المتحدث", "الناطق", "السفير", "سفير",
    "الأمين", "المدير", "مدير", "القيادي", "زعيم", "قائد", "المرشد", "الملك", "الأمير", "رئيسة", "المستشار",
    "مستشار", "عضو", "المندوب", "الممثل", "الجنرال", "الفريق", "العقيد", "المشير", "والي", "عامل"))


class Titles:
    """Titles written beside a person's name, to resolve a title-only speaker (وأضاف رئيس الحكومة)."""

    def __init__(self, a: Analysis) -> None:
        self.entries: list[tuple[int, list[str], Speaker]] = []
        names = {e.id: e.canonical for e in a.entities}
        self.orgs: list[tuple[int, str, Speaker]] = []  # (start, head noun, organisation)
        for m in a.mentions:
            if m.type == "ORG" and m.text.split():
                head = key(m.text.split()[0]).removeprefix("ال")
                canon = names.get(m.entity_id or "", None) or m.canonical or m.text
                self.orgs.append((m.start, head, Speaker(canon, m.entity_id)))
            if m.type != "PERSON":
                continue
            canon = names.get(m.entity_id or "", None) or m.canonical or m.text
            sp = Speaker(canon, m.entity_id)
            before = a.text[max(0, m.start - 60):m.start].split("\n")[-1]
            after = a.text[m.end:m.end + 40].split("\n")[0]
            for chunk in (before.replace("،", " ، ").split()[-11:], after.replace("،", " ، ").split()[:4]):
                words = [k for k in (key("".join(ch for ch in w if ch.isalnum())) for w in chunk) if k]
                for i, w in enumerate(words):
                    if w in _TITLE_HEADS:
                        self.entries.append((m.start, words[i:], sp))
                        break

    def resolve(self, sp: Speaker, pos: int) -> Speaker:
        words = [key(w) for w in sp.name.split()]
        if len(words) == 1 and words[0].startswith("ال"):  # وقالت الوزارة: the ministry named before
            head = words[0].removeprefix("ال")
            for start, org_head, org in sorted(self.orgs, key=lambda e: -e[0]):
                if start < pos and org_head == head:
                    return org
        if not words or words[0] not in _TITLE_HEADS:
            return sp
        for start, title, person in sorted(self.entries, key=lambda e: -e[0]):
            n = min(len(words), 3)  # وزير الشؤون الخارجية [الإيطالي] ~ وزير الشؤون الخارجية والتعاون ...
            if start < pos + 60 and title[:n] == words[:n] and len(title) >= n:
                return person
        return sp
