"""Tokenisation over raw text, keeping offsets, with lexicon-checked clitic splitting.

Tokens (first matching rule wins at each position):

1. Arabic words: Arabic letters with their tashkeel/tatweel, and joiners (ZWNJ, ZWJ, soft hyphen)
   *between* letters; bidi marks and zero-width spaces end a word, and so does a change of script:
   ``مقاتلاتF5`` → ``مقاتلات`` + ``F5``;
2. URLs (``http://…``, ``www.…``; trailing punctuation left out) and e-mail addresses;
3. hashtags and @-mentions (``#تونس_الآن``);
4. Latin/alphanumeric words with at least one letter (``F5``, ``F-16``, ``COVID-19``, ``5G``);
5. numbers, with inner decimal/thousands separators (``3.5``, ``1,000``, ``٣٫٥``);
6. words in other scripts; 7. any other visible character, one token each (punctuation, symbols).

Lone tashkeel, tatweel and controls are not tokens. Clitics: see :func:`split_clitics` — ``Token.prefix``
holds the normalised proclitics *including the article* (``وال``, ``بال``, ``لل``) and ``Token.stem`` the
bare stem (``والاتفاق`` → ``وال`` + ``اتفاق``; ``للرباط`` → ``لل`` + ``رباط``, i.e. ل + الرباط);
``Token.stem_start`` is the raw offset where the stem begins. :func:`word_start` gives the raw offset
after the conjunction/preposition but before the article (``والمغرب`` → the offset of ``المغرب``).
"""

from __future__ import annotations

import re
from collections.abc import Collection

from marsad.model import Token
from marsad.text.lexicon import fold_keep_hamza, lexicon
from marsad.text.normalize import fold, normalize

_L = "\u0621-\u063a\u0641-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06fc\u06ff\ufb50-\ufdfb\ufe70-\ufefc"
_M = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u0640"
# Inside a word only joiners and soft hyphens; bidi marks and zero-width spaces end it (they sit between words).
_C = "\u200c\u200d\u2060\u00ad"
_C_ALL = "\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff\u061c\u00ad"
_LAT = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_ARABIC_WORD = f"[{_L}][{_M}]*(?:[{_C}]*[{_L}][{_M}]*)*"
ARABIC_WORD_RE = re.compile(_ARABIC_WORD)

# Arabic words first: they are most tokens, and a failed attempt at every other branch costs time.
_TOKEN_RE = re.compile(
    "|".join(
        [
            rf"(?P<ar>{_ARABIC_WORD})",
            r"(?P<url>(?:https?://|www\.)[^\s<>\"“”«»]*[^\s<>\"“”«».,;:!?)\]'؛،؟])",
            r"(?P<email>[\w.+-]++@[\w-]+(?:\.[\w-]+)+)",
            rf"(?P<tag>[#@][\w{_M}]+)",
            rf"(?P<lat>[{_LAT}0-9]*[{_LAT}][{_LAT}0-9]*(?:[-'’][{_LAT}0-9]+)*)",
            r"(?P<num>\d+(?:[.,٫٬]\d+)*)",
            r"(?P<other>(?:(?![\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff])[^\W\d_])+)",
            rf"(?P<punct>[^\s\w{_M}{_C_ALL}]|_)",
        ]
    )
)
_AR_GROUP = _TOKEN_RE.groupindex["ar"]
_PUNCT_GROUP = _TOKEN_RE.groupindex["punct"]

# --- clitics --------------------------------------------------------------------------------------------

_CONJ = "وف"
_PREP = "بكل"
#: Split clitic c off word w when the stem's corpus evidence E (its own count plus its definite form's)
#: reaches K[c] × count(w). Words that merely start with the letter have E/count(w) far below 0.1 (وزير
#: 0.009, بعد 0.003); true splits are mostly above 1 (وقال 1.45, بمناسبة 1.6, لإسرائيل 15). ف and ك need
#: more, because they rarely attach to bare nouns while فكرة/كمال have frequent stems (ratios 2.5, 1.7).
#: Tuned on marsad/resources/text/clitic_gold.tsv; checked on clitic_heldout.tsv (docs/benchmarks.md).
K = {"و": 0.8, "ف": 3.5, "ب": 1.0, "ك": 5.0, "ل": 1.0, "لل": 0.5}
#: Share of a word's count expected with one extra proclitic (smooths the evidence of وبالاتفاق-like forms).
ATTACH_SHARE = 0.03
#: Minimum stem evidence (corpus count) for a split.
MIN_EVIDENCE = 2.0
#: A hamza-alef right after the clitic letter (وإسرائيل, وأضاف) multiplies the evidence: inside a stem,
#: a hamza-alef in second position after و ف ب ك ل is rare.
HAMZA_BOOST = 10.0
#: How much the definite form of the whole word (البطاقة for بطاقة) counts as evidence against a split.
ARTICLE_WEIGHT = 30
#: ب/ل + noun fixed phrases: the noun's definite form must be seen this often, and the noun's evidence
#: must reach this share of the whole word's count (بشكل 0.45, بسبب 0.29, لمراسل 0.87).
FIXED_PHRASE_MIN = 20
FIXED_PHRASE_SHARE = 0.2
#: Unseen words (count <= RARE) are split when the stem without one suffix was seen this often.
RARE = 2
SUFFIX_MIN = 5
#: Clitic + article + stem (بالإضافة, والاتفاق) is nearly always a split: its threshold is this much lower.
ARTICLE_STEM_FACTOR = 0.2

#: Words never split (all normalised): the letter is part of the word (بعد, بين, كان), the split would be
#: lexicalised (لكن, كما, لان) or wrong more often than right (ولي: crown prince, not و + لي). Particles
#: (قد, ما, ذلك ...) are listed too: و/ف + a listed word is split (وقد, ولكن), ب/ك/ل + one is not (بلدينا).
NEVER_SPLIT = frozenset(
    [
        "بعد", "بين", "بينما", "بينه", "بينها", "بينهم", "بيننا", "كان", "كانت", "كانوا", "كانا", "لكن", "لكنه",
        "لكنها", "لكي", "لعل", "لعله", "لدي", "لدينا", "لديه", "لديها", "لديهم", "لديكم", "لذلك", "لذا", "ليس",
        "ليست", "ليسوا", "لما", "لولا", "ليت", "كلا", "كلما", "كما", "كيف", "كذلك", "كذا", "فيما", "فيه",
        "فيها", "فيهم", "فقط", "فوق", "فان", "فانه", "فاذا", "فلا", "لان", "لانه", "لانها", "بلا", "بما", "بان",
        "بانه", "بانها", "لها", "لهم", "لهما", "لهن", "لكم", "لنا", "بها", "بهم", "بهما", "بكم", "بنا", "ولي",
        "لقد", "كلم", "قد", "هو", "هي", "هم", "ما", "من", "في", "هذا", "هذه", "ذلك", "تلك", "الذي", "التي",
        "ان", "انه", "انها", "اذا", "لم", "لن"
    ]
)
#: Words that start with ال but whose ال is not the article.
NOT_ARTICLE = frozenset(
    [
        "الله", "اللهم", "الذي", "التي", "الذين", "اللذان", "اللتان", "اللذين", "اللتين", "اللاتي", "اللواتي",
        "اللائي", "الا", "الي", "الان", "الف", "الاف"
    ]
)


def _evidence_count(word: str, light: str) -> float:
    """Corpus count of ``word`` (all spellings that normalise to it)."""
    return float(lexicon().counts.get(word, 0))


def _article_ok(r: str, light: str) -> bool:
    """Is the initial ال of ``r`` (after any conjunction/preposition) the article?"""
    if len(r) < 4 or not r.startswith("ال") or light[0] != "ا" or r in NOT_ARTICLE:
        return False
    lex = lexicon()
    if lex.hamza_share(r) >= 0.5:  # المانيا is mostly written ألمانيا: not the article
        return False
    # Form VIII verbs of ل roots (التقى, التحق, التزم) have present forms يلتقي/تلتقي; nouns do not.
    verb = lex.counts.get("ي" + r[1:], 0) + lex.counts.get("ت" + r[1:], 0)
    return not (verb >= 3 and verb >= 0.1 * lex.counts.get(r, 0))


def _stem_evidence(r: str, light: str, after_conj: bool) -> float:
    """How well attested ``r`` is as a word that may follow a proclitic (smoothed count)."""
    lex = lexicon()
    e = _evidence_count(r, light)
    if _article_ok(r, light):
        return e + lex.counts.get(r[2:], 0)
    if r.startswith("لل") and len(r) >= 4:
        return max(e, ATTACH_SHARE * (lex.counts.get("ال" + r[2:], 0) + lex.counts.get(r[2:], 0)))
    e += lex.counts.get("ال" + r, 0)  # a definite form attests r as a noun
    if after_conj and r[0] in _PREP and len(r) >= 3 and r not in NEVER_SPLIT:
        e = max(e, ATTACH_SHARE * _stem_evidence(r[1:], light[1:], False))
    return e


def _strip_ok(c: str, w: str, light: str, doc: Collection[str] | None, after_conj: bool) -> bool:
    """Should proclitic ``c`` (the first letter of ``w``) be split off?"""
    r = w[1:]
    if len(r) < 2 or w in NEVER_SPLIT:
        return False
    if r in NEVER_SPLIT:  # و/ف + function word (وبعد, ولكن, فكان) yes; ب/ك/ل + one (بلدينا) no
        return c in _CONJ
    lex = lexicon()
    # A word that itself takes the article (الوزير, البطاقة) is a word, not clitic + stem: the article
    # cannot precede a proclitic.
    whole = lex.counts.get(w, 0) + ARTICLE_WEIGHT * lex.counts.get("ال" + w, 0)
    e = _stem_evidence(r, light[1:], after_conj)
    if light[1] in "أإآ":
        e *= HAMZA_BOOST
    k = K[c] * (ARTICLE_STEM_FACTOR if _article_ok(r, light[1:]) else 1.0)
    if e >= MIN_EVIDENCE and e >= k * whole:
        return True
    if c in _PREP and _fixed_prep_phrase(w, r, e, whole):
        return True
    if whole <= RARE and len(r) >= 4:
        # An unseen word: والمرفقات (clitic + article) or وترسيمها (clitic + a known word + suffix).
        if _article_ok(r, light[1:]) or _suffix_split(w, r):
            return True
        if after_conj is False and c in _CONJ and r[0] in _PREP and _suffix_split(r, r[1:]):
            return True  # وبجرأته = و + ب + جرأة + ه
    # One word per discourse: a rare word whose stem stands alone elsewhere in the same document.
    return doc is not None and whole <= 2 and len(r) >= 3 and (r in doc or "ال" + r in doc)


# Suffixes for the unseen-word backoff. Not ي (nisba names: لوديي) nor ان/ون/ين (names: بلهوان, بورشون).
_SUFFIXES = ("هما", "هم", "هن", "ها", "كم", "نا", "ه", "وا", "ات")
_TA_SUFFIXES = ("تهما", "تهم", "تها", "ته", "تنا")  # ة written ت before a pronoun


def _suffix_evidence(r: str) -> int:
    """Best corpus evidence of ``r`` without one suffix (انتهاكاتها → انتهاكات, جرأته → جرأة)."""
    lex = lexicon()
    best = 0
    for suf in _TA_SUFFIXES:
        if r.endswith(suf) and len(r) - len(suf) >= 3:
            base = r[: -len(suf)] + "ة"
            best = max(best, lex.counts.get(base, 0) + lex.counts.get("ال" + base, 0))
    for suf in _SUFFIXES:
        if r.endswith(suf) and len(r) - len(suf) >= 4:
            base = r[: -len(suf)]
            best = max(best, lex.counts.get(base, 0) + lex.counts.get("ال" + base, 0))
    return best


def _suffix_split(w: str, r: str) -> bool:
    """Unseen ``w``: is ``r`` (w without its first letter) a known word plus a suffix, more than w is?"""
    ev = _suffix_evidence(r)
    return ev >= SUFFIX_MIN and ev >= 2 * _suffix_evidence(w)


def _fixed_prep_phrase(w: str, r: str, e: float, whole: float) -> bool:
    """ب/ل + noun in a frequent fixed phrase (بشكل, بسبب, لمراسل): more common than the bare noun, but
    the noun takes the article (الشكل) while the whole word never does (*البشكل)."""
    lex = lexicon()
    definite = "ال" + r
    return (whole > 0 and lex.counts.get("ال" + w, 0) == 0 and lex.counts.get(definite, 0) >= FIXED_PHRASE_MIN
            and lex.hamza_share(definite) < 0.5 and e >= FIXED_PHRASE_SHARE * whole)


def _analyze(w: str, light: str, doc: Collection[str] | None) -> int:
    """Length of the proclitic prefix of normalised word ``w`` (``light`` keeps hamza-alefs)."""
    if len(w) < 3 or w in NEVER_SPLIT:
        return 0
    i = 0
    if w[0] in _CONJ and _strip_ok(w[0], w, light, doc, False):
        i = 1
    r, lr = w[i:], light[i:]
    if r in NEVER_SPLIT:
        return i
    if r.startswith("لل") and len(r) >= 4:
        return i + _lam_lam(r, doc)
    if r[0] in _PREP and _strip_ok(r[0], r, lr, doc, i > 0):
        i += 1
        r, lr = w[i:], light[i:]
        if w[i - 1] == "ل":  # after ل the article is written لل (handled above); ال here is a hamza word
            return i
    if _article_ok(r, lr):
        i += 2
    return i


def _lam_lam(r: str, doc: Collection[str] | None) -> int:
    """Prefix length for a word starting with لل: 2 (ل + ال + stem, للرباط), 1 (ل + لقاء/ليبيا) or 0."""
    lex = lexicon()
    if r in NEVER_SPLIT or r in ("لله", "للا"):
        return 0
    whole = lex.counts.get(r, 0)
    with_article = lex.counts.get("ال" + r[2:], 0) + lex.counts.get(r[2:], 0)
    plain = lex.counts.get(r[1:], 0) + lex.counts.get("ال" + r[1:], 0)
    if doc is not None and whole <= 2:
        with_article += 3 * (("ال" + r[2:]) in doc or r[2:] in doc)
        plain += 3 * (r[1:] in doc)
    if plain > with_article:
        return 1 if plain >= K["ل"] * whole or whole <= 2 else 0
    return 2 if with_article >= K["لل"] * whole or whole <= 2 else 0


_CACHE: dict[str, tuple[str, str, str, int, bool]] = {}
_NOT_RARE = ("", "", "", 0, False)
_CACHE_MAX = 100_000  # ~360 bytes an entry: at most ~36 MB; news vocabulary mostly fits


def _word_parts(raw: str, doc: Collection[str] | None) -> tuple[str, str, str, int]:
    """(norm, prefix, stem, raw offset of the stem inside ``raw``) for one Arabic word."""
    hit = _CACHE.get(raw)
    if hit is None:
        light = fold_keep_hamza(raw)
        norm = fold(light)
        n = _analyze(norm, light, None) if len(norm) == len(light) else 0
        if n == 0:
            off = 0
        elif len(norm) == len(raw):
            off = n
        else:
            off = normalize(raw).index[n]
        rare = norm[:1] in "وفبكل" and lexicon().counts.get(norm, 0) <= 2
        hit = (norm, norm[:n], norm[n:], off, rare)
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        _CACHE[raw] = hit
    norm, prefix, stem, off, rare = hit
    if rare and doc is not None:
        light = fold_keep_hamza(raw)
        n = _analyze(norm, light, doc)
        if n != len(prefix):
            off = n if len(norm) == len(raw) else normalize(raw).index[n]
            return norm, norm[:n], norm[n:], off
    return norm, prefix, stem, off


def split_clitics(word: str, *, doc: Collection[str] | None = None) -> tuple[str, str]:
    """Split a word into normalised (proclitics, stem): والاتفاق → ("وال", "اتفاق"), بعد → ("", "بعد").

    ``word`` may be raw or normalised (a raw word lets hamza-alefs guide the article decision). ``doc``:
    optional set of the normalised words of the surrounding document, for rare names (بغانتس → ب + غانتس
    when غانتس occurs alone in the same document).
    """
    if not ARABIC_WORD_RE.fullmatch(word):
        norm = fold(word)
        return "", norm
    _, prefix, stem, _ = _word_parts(word, doc)
    return prefix, stem


def tokenize(text: str, start: int = 0, end: int | None = None, *,
             doc: Collection[str] | None = None, rare: list[Token] | None = None) -> list[Token]:
    """Tokens of ``text[start:end]`` with raw offsets, normalised form, and clitic-split stem.

    ``doc``: normalised words of the whole document (see :func:`document_words`), for rare names.
    ``rare``: if given, rare clitic-initial word tokens are appended to it (for
    :func:`apply_document_context`, which does the same job as ``doc`` after the fact, cheaper).
    """
    end = len(text) if end is None else end
    tokens: list[Token] = []
    append = tokens.append
    for m in _TOKEN_RE.finditer(text, start, end):
        s, e = m.span()
        raw = m.group()
        g = m.lastindex
        if g == _AR_GROUP:
            if doc is None and rare is not None:
                hit = _CACHE.get(raw)
                if hit is None:
                    _word_parts(raw, None)
                    hit = _CACHE[raw]
                norm, prefix, stem, off, is_rare = hit
                tok = Token(s, e, norm, stem, prefix, s + off, True)
                if is_rare:
                    rare.append(tok)
            else:
                norm, prefix, stem, off = _word_parts(raw, doc)
                tok = Token(s, e, norm, stem, prefix, s + off, True)
            append(tok)
        else:
            norm = fold(raw)
            append(Token(s, e, norm, norm, "", s, g != _PUNCT_GROUP))
    return tokens


def document_words(text: str) -> frozenset[str]:
    """The normalised Arabic words of a whole document (the ``doc`` argument of :func:`tokenize`)."""
    return frozenset(ARABIC_WORD_RE.findall(fold(text)))  # folding first: one pass, words come out normalised


def apply_document_context(text: str, tokens: list[Token], rare: list[Token] | None = None) -> None:
    """Re-split rare clitic-initial words in place using the other words of the same document.

    The same result as ``tokenize(text, doc=document_words(text))``, cheaper: the document's words are
    taken from ``tokens`` (all tokens of one document) and only the ``rare`` tokens collected by
    :func:`tokenize` are looked at again (all tokens are checked when ``rare`` is None).
    """
    if rare is None:
        rare = [t for t in tokens if t.is_word and _CACHE.get(text[t.start:t.end], _NOT_RARE)[4]]
    if not rare:
        return
    doc = frozenset(t.norm for t in tokens if t.is_word)
    for t in rare:
        _, prefix, stem, off = _word_parts(text[t.start:t.end], doc)
        t.prefix, t.stem, t.stem_start = prefix, stem, t.start + off


def word_start(text: str, token: Token) -> int:
    """Raw offset after the conjunction/preposition, keeping the article (والمغرب → المغرب, للرباط whole)."""
    p = token.prefix
    if not p.endswith(("ال", "لل")):
        return token.stem_start
    k = len(p) - 2  # the article (or the fused لل) starts at this normalised position
    if token.stem_start - token.start == len(p):  # nothing dropped inside the prefix
        return token.start + k
    return normalize(text[token.start:token.end], offset=token.start).index[k]


def search_terms(text: str) -> list[str]:
    """Index/query terms: normalised, ة folded, Latin lower-cased, clitics and article removed.

    A hashtag gives the terms of its words (#تونس_الآن → تونس, الان), so a plain query finds it.
    """
    terms: list[str] = []
    for t in tokenize(text):
        if not t.is_word:
            continue
        if t.norm.startswith("#") and len(t.norm) > 1:
            terms.extend(search_terms(text[t.start + 1:t.end].replace("_", " ")))
        else:
            terms.append(fold(t.stem, ta_marbuta=True).lower())
    return terms
