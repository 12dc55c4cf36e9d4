"""In-article entity linking: mentions -> canonical entities (pipeline stage ``linking``).

1. Places (GPE/LOC/FAC) resolve through the gazetteer (clitics, articles, hamza seats and g-spellings
   tolerated); every mention of one gazetteer place is one entity whose canonical name is the gazetteer's
   common Arabic name (المملكة المغربية -> المغرب), with ISO country and coordinates.
2. NORP forms (الإسرائيلي, المغربية) resolve to their country through the gazetteer's demonyms.
3. Names (PERSON, ORG, WEAPON, unresolved places): mentions are taken longest first; a mention joins a
   cluster when its tokens equal the cluster's fullest name, or (shorter) are an ordered sub-sequence of it
   ending on the same last token — so a bare surname joins the one full name it ends, while a shared first
   name alone never merges. Tokens compare on name keys (marsad.text normalisation + ة/ه + hamza seats),
   with the first word's proclitics optional (ببيوض = بيوض), g-letters folded (غانتس = جانتس), and for
   PERSON/ORG one edit allowed on words of 5+ letters. A short form matching several clusters stays apart.
4. Titles before (وزير الأمن الإسرائيلي بيني غانتس) or right after (غانتس، وزير ...) a PERSON mention
   become its role.
5. Entity ids hash (type, normalised canonical), so one canonical gets one id in every article.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field

from marsad.gazetteer import Place, clitic_readings, load_gazetteer, name_key, strip_article, variant_key
from marsad.model import Analysis, Entity, Mention, Token
from marsad.text import tokenize

PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
NAME_TYPES = frozenset({"PERSON", "ORG", "WEAPON", "NORP", "GPE", "LOC", "FAC"})
FUZZY_TYPES = frozenset({"PERSON", "ORG"})

# Title heads (name keys, no article): the word a role phrase starts with. Heads that are also first names
# count only with the article (الأمين العام, not أمين الغالي).
TITLES = frozenset([
    "وزير", "وزيره", "رييس", "رييسه", "ملك", "ملكه", "امير", "اميره", "ولي", "سفير", "سفيره", "مدير", "مديره",
    "ناطق", "متحدث", "متحدثه", "نايب", "نايبه", "الامين", "زعيم", "زعيمه", "قايد", "مستشار", "مستشاره",
    "مندوب", "مندوبه", "مبعوث", "عضو", "عضوه", "كاتب", "والي", "عامل", "محافظ", "قاضي", "نقيب", "عميد",
    "جنرال", "لواء", "عقيد", "مشير", "عاهل", "بابا", "مفتي", "حاخام", "مرشد", "مدرب", "لاعب", "لاعبه", "فنان",
    "فنانه", "محامي", "محاميه", "ناشط", "ناشطه", "صحفي", "صحفيه", "باحث", "خبير", "مخرج", "ممثل", "ممثله",
    "مغني", "مغنيه", "برلماني", "معارض", "قيادي", "منسق", "مفوض", "قنصل", "حاكم", "نواب", "وكيل", "مسوول",
    "مسووله", "الوزير", "الرييس",
])
# Words that end a role phrase looking backwards/forwards: a role never spans a clause boundary.
STOPS = frozenset([
    "قال", "قالت", "ان", "الذي", "التي", "الذين", "حيث", "كما", "بعد", "قبل", "اكد", "اكدت", "اعلن", "اعلنت",
    "اضاف", "اضافت", "اوضح", "التقى", "اليوم", "امس", "يوم", "خلال", "منذ", "على", "الى", "عن", "انه", "بانه",
    "تصريح", "حسب", "وفق", "بحسب", "ديال", "اللي", "مع", "بين", "لدى", "عند",
])
# Words a role phrase never ends on (الوزير في ... -> الوزير).
_DANGLING = frozenset(["في", "من", "على", "الى", "عن", "مع", "و", "ب", "ل", "بين"])
# Function words a tagger sometimes marks as names; compared on raw text, since folding ى/ي would make
# the preposition على equal to the name علي (seen: 55 mentions of على joined to زين العابدين بن علي).
FUNCTION_WORDS = frozenset(["على", "إلى", "الى", "في", "من", "عن", "مع", "لا", "ما", "أو", "او", "أن", "إن",
                            "ان", "هذا", "هذه", "هاد", "ديال", "ديالو", "كل", "بعد", "قبل", "حتى", "عند", "لي"])
SENTENCE_PUNCT = frozenset(".!?؟؛;:\n")
_QUOTES = frozenset('"\'“”«»‘’„')
MAX_ROLE_WORDS = 9


def entity_id(kind: str, canonical: str) -> str:
    """Stable id of an entity: first 16 hex digits of sha1(kind | name key of canonical)."""
    return hashlib.sha1(f"{kind}|{name_key(canonical)}".encode()).hexdigest()[:16]


def id_kind(mention_type: str) -> str:
    """Type used in ids: places share one, since NER may call one place GPE here and LOC there."""
    return "PLACE" if mention_type in PLACE_TYPES else mention_type


@dataclass(slots=True)
class _Name:
    """A mention's name as comparable tokens; ``forms[i]`` is the set of keys word ``i`` may stand for."""

    tokens: list[str]
    forms: list[frozenset[str]]


def _name(text: str) -> _Name:
    tokens = name_key(text).split()
    forms = []
    for i, tok in enumerate(tokens):
        readings = clitic_readings(tok) if i == 0 else [tok]
        forms.append(frozenset(variant_key(strip_article(r)) for r in readings) | {variant_key(r) for r in readings})
    return _Name(tokens, forms)


def within_one_edit(a: str, b: str) -> bool:
    """True when a and b differ by at most one insertion, deletion or substitution."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + 1:] == b[i + 1:] if len(a) == len(b) else a[i:] == b[i + 1:]


def _word_eq(x: frozenset[str], y: frozenset[str], fuzzy: bool) -> bool:
    if x & y:
        return True
    return fuzzy and any(len(a) >= 5 and len(b) >= 5 and within_one_edit(a, b) for a in x for b in y)


def _sub_name(short: _Name, full: _Name, fuzzy: bool) -> bool:
    """short's words appear in order in full and the last words agree (surname, head of an ORG name)."""
    if not short.forms or len(short.forms) > len(full.forms):
        return False
    if not _word_eq(short.forms[-1], full.forms[-1], fuzzy):
        return False
    j = 0
    for f in short.forms[:-1]:
        while j < len(full.forms) - 1 and not _word_eq(f, full.forms[j], fuzzy):
            j += 1
        if j >= len(full.forms) - 1:
            return False
        j += 1
    return True


def _permuted(a: _Name, b: _Name, fuzzy: bool) -> bool:
    """The same words in another order (فيليب إدوار = إدوار فيليب), each word used once."""
    left = list(b.forms)
    for f in a.forms:
        k = next((j for j, g in enumerate(left) if _word_eq(f, g, fuzzy)), None)
        if k is None:
            return False
        left.pop(k)
    return True


@dataclass(slots=True)
class _Cluster:
    kind: str
    full: _Name
    members: list[int] = field(default_factory=list)
    place: Place | None = None
    country: str | None = None


def _strip_title(a: Analysis, m: Mention) -> str:
    """Name text of a PERSON mention without leading title words the NER may have included."""
    toks = [t for t in tokenize(a.text, m.start, m.end) if t.is_word]
    k = 0
    while k < len(toks) - 1 and _is_title(toks[k].norm):
        k += 1
    return a.text[toks[k].start:m.end] if toks and k else m.text


def _cluster_names(a: Analysis, idx: list[int], kind: str) -> list[_Cluster]:
    fuzzy = kind in FUZZY_TYPES
    texts = {i: (_strip_title(a, a.mentions[i]) if kind == "PERSON" else a.mentions[i].text) for i in idx}
    names = {i: _name(texts[i]) for i in idx}
    order = sorted(idx, key=lambda i: (-len(names[i].tokens), -len(texts[i]), a.mentions[i].start))
    clusters: list[_Cluster] = []
    for i in order:
        n = names[i]
        if not n.tokens:
            continue
        if a.mentions[i].text.strip() in FUNCTION_WORDS:  # NER noise (على as PERSON): never joins a name
            clusters.append(_Cluster(kind, n, [i]))
            continue
        same = [c for c in clusters if len(c.full.forms) == len(n.forms)
                and (all(_word_eq(x, y, fuzzy) for x, y in zip(n.forms, c.full.forms, strict=True))
                     or kind == "PERSON" and len(n.forms) > 1 and _permuted(n, c.full, fuzzy))]
        target = same[0] if same else None
        if target is None:
            subs = [c for c in clusters if len(c.full.forms) > len(n.forms) and _sub_name(n, c.full, fuzzy)]
            target = subs[0] if len(subs) == 1 else None
        if target is None:
            target = _Cluster(kind, n)
            clusters.append(target)
        target.members.append(i)
    return clusters


def _is_title(norm_word: str) -> bool:
    return any(strip_article(name_key(r)) in TITLES or name_key(r) in TITLES for r in clitic_readings(norm_word))


def _display_from(a: Analysis, tok_start: int, prefix: str, stem_start: int) -> int:
    """Raw offset a role starts at: after a conjunction/preposition, keeping the article (والوزير -> الوزير)."""
    if not prefix:
        return tok_start
    if prefix.endswith("ال"):
        return stem_start - 2 if a.text[stem_start - 2:stem_start] == "ال" else stem_start
    return stem_start


def _display(a: Analysis, m: Mention, text: str | None = None) -> str:
    """A mention as a name: leading conjunction/preposition off, a fused لل restored to ال (للقيادة -> القيادة)."""
    text = _clean(text if text is not None else m.text)
    words = [t for t in tokenize(text) if t.is_word]
    if words and words[0].start == 0 and words[0].prefix:
        t = words[0]
        if t.prefix.endswith("لل"):
            return "ال" + text[t.stem_start:]
        if t.prefix.endswith("ال"):  # keep the article: والمغرب -> المغرب
            return text[t.stem_start - 2:] if text[t.stem_start - 2:t.stem_start] == "ال" else text
        return text[t.stem_start:]
    if m.start >= 2 and a.text[m.start - 2:m.start] == "لل" and not text.startswith("ال"):
        return "ال" + text  # the NER cut the mention after a fused لل
    return text


def find_role(a: Analysis, m: Mention, person_spans: list[tuple[int, int]]) -> str | None:
    """The title phrase right before (or, failing that, right after) a PERSON mention, if any."""
    lo = max(0, m.start - 240)
    before = tokenize(a.text, lo, m.start)
    words: list[Token] = []
    for k in range(len(before) - 1, -1, -1):
        t = before[k]
        if not t.is_word:
            raw = a.text[t.start:t.end]
            if raw in _QUOTES or (raw == "،" and not words):
                continue
            break
        if (any(s <= t.start < e for s, e in person_spans) or t.norm in STOPS or len(words) >= MAX_ROLE_WORDS
                or _has_digit(t.norm)):
            break
        words.append(t)
    titles = [j for j, t in enumerate(words) if _is_title(t.norm)]
    if titles:
        j = titles[0]
        while j + 1 < len(words) and _is_title(words[j + 1].norm):
            j += 1  # نائب رئيس الحكومة: extend over a title chain
        phrase = _trim(list(reversed(words[: j + 1])))
        head = phrase[0]
        start = _display_from(a, head.start, head.prefix, head.stem_start)
        return _clean(a.text[start:phrase[-1].end])
    after = tokenize(a.text, m.end, min(len(a.text), m.end + 240))
    words, separated = [], False
    for t in after:
        raw = a.text[t.start:t.end]
        if not t.is_word:
            if not words and (raw in _QUOTES or (raw in ("،", ",") and not separated)):
                separated = True
                continue
            break
        if not words and (not separated or not _is_title(t.norm) or t.prefix[:1] in ("و", "ف")):
            # a title after the name is an apposition only behind a comma or quote (غانتس، وزير ...);
            # after a conjunction it belongs to the next person (غانتس والوزير ... لوديي)
            break
        if any(s <= t.start < e for s, e in person_spans):
            words = []  # the phrase runs into another person: it is that person's title
            break
        if t.norm in STOPS or len(words) >= MAX_ROLE_WORDS or _has_digit(t.norm):
            break
        words.append(t)
    words = _trim(words)
    if words:
        head = words[0]
        start = _display_from(a, head.start, head.prefix, head.stem_start)
        return _clean(a.text[start:words[-1].end])
    return None


def _has_digit(word: str) -> bool:
    return any(c.isdigit() for c in word)


def _trim(words: list[Token]) -> list[Token]:
    """Drop trailing prepositions a cut-off role phrase would end on."""
    while words and words[-1].norm in _DANGLING:
        words = words[:-1]
    return words


def _clean(s: str) -> str:
    return " ".join(s.replace("\u0640", "").split())


def _canonical_text(a: Analysis, c: _Cluster) -> str:
    """The fullest well-formed mention: most words, then clitic-free-looking, then most frequent."""
    counts = Counter(_clean(a.mentions[i].text) for i in c.members)

    def score(i: int) -> tuple[int, int, int, int]:
        n = _name(a.mentions[i].text)
        first = n.tokens[0] if n.tokens else ""
        clitic_free = int(any(first == _name(a.mentions[j].text).tokens[-1] for j in c.members)
                          or not any(first.startswith(p) for p in ("و", "ب", "ل", "ف", "ك")))
        return (len(n.tokens), clitic_free, counts[_clean(a.mentions[i].text)], -a.mentions[i].start)

    best = a.mentions[max(c.members, key=score)]
    return _display(a, best, _strip_title(a, best) if c.kind == "PERSON" else None)


_STATE_WORD = re.compile(r"(?:ال)?(?:مملكة|جمهورية|دولة|سلطنة|إمارة|امارة|إمارات|امارات)\s+$")


def _state_name(a: Analysis, m: Mention) -> Place | None:
    """The country a NORP mention names together with the state word before it (المملكة + المغربية)."""
    hit = _STATE_WORD.search(a.text, max(0, m.start - 16), m.start)
    if hit is None:
        return None
    p = load_gazetteer().lookup(a.text[hit.start():m.end])
    return p if p is not None and p.kind == "country" else None


def _latin(text: str, kind: str) -> str | None:
    try:
        from marsad.translit import latin_name
    except ImportError:  # transliteration is optional; linking must not depend on it
        return None
    return latin_name(text, kind)


def link_entities(a: Analysis) -> Analysis:
    """Group a.mentions into a.entities and set each mention's entity_id, canonical and (PERSON) role."""
    gaz = load_gazetteer()
    by_place: dict[str, _Cluster] = {}
    by_norp: dict[str, _Cluster] = {}
    by_kind: dict[str, list[int]] = {}
    literal: dict[tuple[str, str], _Cluster] = {}
    clusters: list[_Cluster] = []
    for i, m in enumerate(a.mentions):
        if m.type in PLACE_TYPES:
            p = gaz.lookup(m.text)
            if p is None and a.text[max(0, m.start - 2):m.start] in ("لل", "ال"):
                p = gaz.lookup("ال" + m.text)  # the NER cut the article off (للرباط -> رباط)
            if p is not None:
                c = by_place.get(p.id)
                if c is None:
                    c = by_place[p.id] = _Cluster("PLACE", _Name([], []), place=p, country=p.country)
                    clusters.append(c)
                c.members.append(i)
                continue
        if m.type == "NORP":
            p = _state_name(a, m)  # «المملكة المغربية» tagged as NORP «المغربية»: it names the country
            if p is not None:
                c = by_place.get(p.id)
                if c is None:
                    c = by_place[p.id] = _Cluster("PLACE", _Name([], []), place=p, country=p.country)
                    clusters.append(c)
                c.members.append(i)
                continue
            p = gaz.lookup_demonym(m.text)
            if p is not None and p.country:
                c = by_norp.get(p.country)
                if c is None:
                    c = by_norp[p.country] = _Cluster("NORP", _Name([], []), place=p, country=p.country)
                    clusters.append(c)
                c.members.append(i)
                continue
        if m.type in NAME_TYPES:
            by_kind.setdefault(id_kind(m.type), []).append(i)
        else:  # MONEY, DATE, ...: one entity per distinct value or normalised text
            key = (m.type, m.resolved or (str(m.value) if m.value is not None else name_key(m.text)))
            c = literal.get(key)
            if c is None:
                c = literal[key] = _Cluster(m.type, _Name([], []))
                clusters.append(c)
            c.members.append(i)
    for kind, idx in by_kind.items():
        clusters.extend(_cluster_names(a, idx, kind))

    person_spans = [(m.start, m.end) for m in a.mentions if m.type == "PERSON"]
    entities: list[Entity] = []
    for c in sorted(clusters, key=lambda c: min(c.members)):
        c.members.sort()
        types = Counter(a.mentions[i].type for i in c.members)
        etype = max(types, key=lambda t: (types[t], t))
        if c.place is not None and c.kind == "PLACE":
            canonical, latin = c.place.ar, c.place.en
        elif c.place is not None:  # NORP: the country's demonym
            canonical = c.place.demonyms[0] if c.place.demonyms else _clean(a.mentions[c.members[0]].text)
            latin = None
        else:
            canonical = _canonical_text(a, c)
            latin = _latin(canonical, etype) if etype in FUZZY_TYPES else None
        ent = Entity(entity_id(c.kind if c.kind in ("PLACE", "NORP") else etype, canonical), etype, canonical,
                     list(c.members), latin=latin, country=c.country)
        if c.place is not None and c.kind == "PLACE":
            ent.lat, ent.lon = c.place.lat, c.place.lon
        for i in c.members:
            m = a.mentions[i]
            m.entity_id, m.canonical = ent.id, canonical
            v = _clean(m.text)
            if v not in ent.variants:
                ent.variants.append(v)
            if m.type == "PERSON":
                m.role = m.role or find_role(a, m, person_spans)
                if m.role and m.role not in ent.roles:
                    ent.roles.append(m.role)
        entities.append(ent)
    a.entities = entities
    return a
