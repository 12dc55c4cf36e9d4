"""Sentence views shared by the event and quote stages: tokens, keys, actor candidates, quote spans.

A view is built from whatever layers exist: real paragraphs/sentences/tokens when the earlier stages ran,
otherwise a fallback (blank-line paragraphs, one sentence each, ``marsad.text.tokenize`` tokens), so the
stages still work on a bare Document. Paragraphs marked ``duplicate_of`` are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from marsad.model import Analysis, Mention, Paragraph, Sentence, Token
from marsad.text import fold, tokenize

#: Mention types that can act (speak, meet, sign, sell ...).
ACTOR_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
AGENT_TYPES = frozenset({"PERSON", "ORG", "GPE"})  # a bare demonym (NORP) qualifies, it does not act

# Proclitic strings tried when matching a lexicon form (longest first); س marks the future on verbs.
_PREFIXES = ("وبال", "وكال", "فبال", "وال", "فال", "بال", "كال", "ولل", "فلل", "لل", "ال", "وس", "فس", "ول",
             "وب", "فب", "فل", "لي", "و", "ف", "ب", "ل", "س")

OPEN_CLOSE = {"«": "»", "‹": "›"}
PAIRED = frozenset('“”"„‟')  # curly/straight quotes: paired in order (pages also use ”…“ reversed)


def key(text: str) -> str:
    """The matching key of a word: normalised (ta marbuta kept: زيارة is not زياره 'visited him')."""
    return fold(text)


@lru_cache(maxsize=100_000)
def stems(k: str) -> tuple[tuple[str, str], ...]:
    """All (proclitic, stem) readings of a key, the bare word first (cached: news reuse their words)."""
    out = [("", k)]
    for p in _PREFIXES:
        if k.startswith(p) and len(k) - len(p) >= 2:
            out.append((p, k[len(p):]))
    return tuple(out)


@dataclass(slots=True)
class Cand:
    """An argument candidate: a mention (or fallback phrase) inside one sentence."""

    start: int
    end: int
    text: str
    type: str
    t0: int  # first token index in the view
    t1: int  # one past the last token index
    entity_id: str | None = None
    canonical: str | None = None
    mention: Mention | None = None

    @property
    def name(self) -> str:
        return self.canonical or self.text


@dataclass(slots=True)
class View:
    """One sentence with what the rule coders need."""

    text: str  # the document's raw text (shared, not copied)
    paragraph: int
    start: int
    end: int
    tokens: list[Token]
    keys: list[str]
    cands: list[Cand] = field(default_factory=list)
    quotes: list[tuple[int, int]] = field(default_factory=list)  # raw spans inside quote marks

    def tok_at(self, offset: int) -> int:
        """Index of the first token that ends after ``offset``."""
        for i, t in enumerate(self.tokens):
            if t.end > offset:
                return i
        return len(self.tokens)

    def in_quote(self, offset: int) -> bool:
        return any(s <= offset < e for s, e in self.quotes)

    def cands_in(self, t0: int, t1: int, types: frozenset[str] = ACTOR_TYPES) -> list[Cand]:
        return [c for c in self.cands if c.t0 >= t0 and c.t1 <= t1 and c.type in types]


def _side(text: str, i: int, lo: int, hi: int) -> str:
    """'o' if the mark at ``i`` opens a quotation, 'c' if it closes one, '?' when the context is mute."""
    before = text[i - 1] if i > lo else " "
    after = text[i + 1] if i + 1 < hi else " "
    b_word, a_word = before.isalnum() or before == "\u0640", after.isalnum()
    if a_word and not b_word:
        return "o"
    if b_word and not a_word:
        return "c"
    if not a_word and not b_word:
        return "c" if before in ".،,!?؟)" else "?"
    return "?"


def quote_pairs(text: str, start: int, end: int, *, unclosed: bool = False) -> list[tuple[int, int]]:
    """Raw (open_mark, close_mark) offsets of quotation pairs in ``text[start:end]``.

    Marks are classified by their neighbours (a mark before a word opens, after a word closes), then
    matched with a stack so nested quotes pair correctly; a stray closing mark followed by an opening
    one is a reversed pair (”غانتس“ on scraped pages); mute marks alternate.
    """
    pairs: list[tuple[int, int]] = []
    stack: list[int] = []
    stray: int | None = None
    for i in range(start, end):
        ch = text[i]
        if ch not in PAIRED and ch not in OPEN_CLOSE and ch not in ("»", "›"):
            continue
        side = "o" if ch in OPEN_CLOSE else "c" if ch in ("»", "›") else _side(text, i, start, end)
        if side == "?":
            side = "c" if stack else "o"
        if side == "o":
            if stray is not None and not stack and ch in PAIRED:
                pairs.append((stray, i))  # reversed marks: ”…“
                stray = None
                continue
            stack.append(i)
        elif stack:
            pairs.append((stack.pop(), i))
        else:
            stray = i
    if unclosed:  # an opener the writer never closed runs to the next mark or the paragraph's end
        marks = [i for i in range(start, end) if text[i] in PAIRED or text[i] in "«»‹›"]
        for o in stack:
            nxt = next((i for i in marks if i > o), end)
            pairs.append((o, nxt))
    return sorted(p for p in pairs if p[1] - p[0] > 1)


def _paragraphs(a: Analysis) -> list[Paragraph]:
    if a.paragraphs:
        return a.paragraphs
    # Fallback without the layout stage: blank-line (or line) paragraphs; never stored on the Analysis.
    out: list[Paragraph] = []
    for m in re.finditer(r"[^\n]+", a.text):
        if m.group().strip():
            out.append(Paragraph(len(out) + 1, m.start(), m.end()))
    return out


def _sentences(a: Analysis, p: Paragraph) -> list[Sentence]:
    if p.sentences:
        return p.sentences
    out: list[Sentence] = []
    for m in re.finditer(r"[^.!?؟]+[.!?؟]*", a.text[p.start:p.end]):
        s, e = p.start + m.start(), p.start + m.end()
        if a.text[s:e].strip():
            out.append(Sentence(s, e, p.index))
    return out


def _entity_names(a: Analysis) -> dict[str, str]:
    return {e.id: e.canonical for e in a.entities}


def views(a: Analysis, *, skip_duplicates: bool = True) -> list[View]:
    """Sentence views of the body, in text order, without restated (duplicate) paragraphs."""
    names = _entity_names(a)
    mentions = sorted(a.mentions, key=lambda m: (m.start, -m.end))
    out: list[View] = []
    for p in _paragraphs(a):
        if skip_duplicates and p.duplicate_of is not None:
            continue
        qs = [(o + 1, c) for o, c in quote_pairs(a.text, p.start, p.end)]
        for s in _sentences(a, p):
            toks = s.tokens or tokenize(a.text, s.start, s.end)
            v = View(a.text, p.index, s.start, s.end, toks, [key(t.norm) for t in toks])
            v.quotes = [(qs_, qe) for qs_, qe in qs if qs_ < s.end and qe > s.start]
            for m in mentions:
                if m.start >= s.start and m.end <= s.end and key(m.text) not in NOT_NAMES:
                    t0 = v.tok_at(m.start)
                    t1 = t0
                    while t1 < len(toks) and toks[t1].start < m.end:
                        t1 += 1
                    canon = names.get(m.entity_id or "", None) or m.canonical
                    v.cands.append(Cand(m.start, m.end, m.text, m.type, t0, max(t1, t0 + 1),
                                        m.entity_id, canon, m))
            _nominal_groups(v)
            out.append(v)
    return out


_STOP_WORDS = frozenset(key(w) for w in ("في", "على", "من", "إلى", "الى", "عن", "مع", "أن", "إن", "التي", "الذي",
                                          "بين", "قد", "كان", "كانت", "وكانت", "وكان", "هذا", "هذه", "حسب", "بحسب"))


#: Nouns that, qualified by a demonym, name an actor: الصناعات الإسرائيلية, مصادر إسرائيلية, القوات الإماراتية.
_GROUP_HEADS = frozenset(key(w) for w in (
    "شركة", "شركات", "صناعات", "مصادر", "مصدر", "تقارير", "سلطات", "قوات", "حكومة", "وزارة", "جيش", "شرطة",
    "صحيفة", "صحف", "وكالة", "خارجية", "مرشد", "رئيس", "وزير", "أمن", "مسؤولين", "مسؤول", "جانب",
    "طرف", "بحرية", "سفارة", "قنصلية", "حرس", "مخابرات", "استخبارات", "برلمان", "محكمة", "نيابة", "رئاسة",
    "إدارة", "أجهزة", "سلاح", "البحرية", "داخلية", "مجموعة", "منظمة", "جماعة", "جماعات", "فصائل", "ميليشيات",
    "الصناعات", "المصادر", "القوات", "السلطات", "الحكومة", "الشركات", "وسائل", "دبلوماسية", "الدبلوماسية",
    "الاحتلال", "وفد", "الوفد", "سفير", "السفير", "رئيسة", "وزيرة", "مستشار", "زعيم", "قائد", "أمير", "ملك",
    "المملكة", "مملكة", "الجمهورية", "جمهورية", "الدولة", "دولة", "إمارة", "الإمارة"))


def _is_trigger(keys: list[str], j: int) -> bool:
    from marsad.nlp.events import lexicon

    return any(e.trigger.kind not in ("light",) for e, _, _ in lexicon.match(keys, j))


#: Darija/MSA function words a tagger sometimes marks as names (ديالو 'his').
NOT_NAMES = frozenset(key(w) for w in ("ديال", "ديالو", "ديالها", "ديالهم", "ديالنا", "هاد", "هادي", "هادشي",
                                        "اللي", "لي", "باش", "غادي", "راه", "حتى", "واخا"))


def _nominal_groups(v: View) -> None:
    """Group a demonym with the nouns it qualifies: الصناعات الجوية الإسرائيلية, مصادر إسرائيلية.

    The tagger often marks only the adjective (NORP); the phrase, not the adjective, is the actor.
    """
    for i, c in enumerate(v.cands):
        if c.type != "NORP" or c.t0 == 0:
            continue
        definite = v.keys[c.t0].startswith(("ال", "وال", "بال", "لل"))
        j = c.t0
        while j > 0 and c.t0 - j < 3:
            k = v.keys[j - 1]
            tok = v.tokens[j - 1]
            if not tok.is_word or k in _STOP_WORDS or k.startswith(("ال", "لل")) != definite \
                    or any(o.t0 <= j - 1 < o.t1 for o in v.cands) or _is_trigger(v.keys, j - 1):
                break
            j -= 1
        if definite and j > 0 and v.tokens[j - 1].is_word and not _is_trigger(v.keys, j - 1) \
                and any(s in _GROUP_HEADS for _, s in stems(v.keys[j - 1])) \
                and not any(o.t0 <= j - 1 < o.t1 for o in v.cands):
            j -= 1  # construct state: قوات الاحتلال الإسرائيلي, وزير الخارجية الأمريكي
        if j == c.t0 or not any(s in _GROUP_HEADS for _, s in stems(v.keys[j])):
            continue
        start = v.tokens[j].start
        text = v.text[start:c.end]
        v.cands[i] = Cand(start, c.end, text, "ORG", j, c.t1)
