"""Rule-based mentions: MONEY, DATE, TIME, QUANTITY and PERCENT, with values, currencies and resolved dates.

``rule_mentions(analysis)`` scans body paragraphs (and the title when it lies inside the text), never page
counters, token by token (tokens from the segment stage when present, else ``marsad.text.tokenize``). At
each token it tries, in order: a date/time (``marsad.text.dates``), a currency sign before a number, then a
number (``marsad.text.numbers``) followed by a percent word, a currency, or a counted noun; then a dual noun
(وحدتين). The first that matches wins and the scan jumps past it. Proclitics on the first word are left out
of the span (وبـ22 مليون -> "22 مليون ..."). A number right after a Latin word or a name head (سام 6,
باراك 8, رقم 5) is part of a name, not a quantity.

Currency defaults when the text does not qualify the name (دينار تونسي, ليرة لبنانية): the country the
article mentions most among those using that currency name, else دولار USD, درهم MAD, دينار TND, ريال SAR,
جنيه EGP, ليرة LBP.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from marsad.model import Analysis, Mention, Token
from marsad.text.dates import DateSpan, read_date, resolve_span, trigger_words
from marsad.text.normalize import DROP, fold
from marsad.text.numbers import (
    COUNTED_DUALS,
    NUMBER_WORDS,
    VAGUE,
    NumberSpan,
    counted_noun,
    dual_noun,
    read_number,
)
from marsad.text.tokenize import tokenize

# --- currencies --------------------------------------------------------------------------------------

_FAMILIES: dict[str, tuple[str, tuple[str, ...]]] = {
    # family: (default ISO, normalised forms incl. accusative/plural/definite)
    "USD": ("USD", ("دولار", "دولارا", "دولارات", "الدولار", "الدولارات", "dollar", "dollars", "usd")),
    "EUR": ("EUR", ("يورو", "اورو", "يوروهات", "اليورو", "الاورو", "euro", "euros", "eur")),
    "DIRHAM": ("MAD", ("درهم", "درهما", "دراهم", "الدرهم", "الدراهم")),
    "DINAR": ("TND", ("دينار", "دينارا", "دنانير", "الدينار", "الدنانير")),
    "RIYAL": ("SAR", ("ريال", "ريالا", "ريالات", "الريال", "الريالات")),
    "POUND": ("EGP", ("جنيه", "جنيها", "جنيهات", "الجنيه", "الجنيهات")),
    "LIRA": ("LBP", ("ليرة", "ليرات", "الليرة", "الليرات")),
    "ILS": ("ILS", ("شيكل", "شيقل", "شيكلا", "شيكلات", "شواكل", "الشيكل", "الشواكل", "شيقلا", "شواقل")),
    "RUB": ("RUB", ("روبل", "روبلا", "روبلات", "الروبل")),
    "CNY": ("CNY", ("يوان", "اليوان")),
    "GBP": ("GBP", ("استرليني", "الاسترليني", "gbp")),
    "INR": ("INR", ("روبية", "روبيات")),
    "MRU": ("MRU", ("اوقية",)),
    "JPY": ("JPY", ("ين",)),  # only with ياباني (checked below)
    "CHF": ("CHF", ("فرنك", "فرنكات")),
}
_CURRENCY_FORMS = {form: fam for fam, (_, forms) in _FAMILIES.items() for form in forms}
#: qualifying adjectives (normalised, indefinite and definite, masc. and fem.) -> ISO
_QUALIFIERS: dict[str, dict[str, str]] = {
    "USD": {"امريكي": "USD", "كندي": "CAD", "استرالي": "AUD", "سنغافوري": "SGD", "نيوزيلندي": "NZD"},
    "DIRHAM": {"مغربي": "MAD", "اماراتي": "AED"},
    "DINAR": {"تونسي": "TND", "جزائري": "DZD", "اردني": "JOD", "كويتي": "KWD", "عراقي": "IQD", "ليبي": "LYD",
              "بحريني": "BHD", "صربي": "RSD"},
    "RIYAL": {"سعودي": "SAR", "قطري": "QAR", "عماني": "OMR", "يمني": "YER", "ايراني": "IRR", "برازيلي": "BRL"},
    "POUND": {"مصري": "EGP", "استرليني": "GBP", "سوداني": "SDG"},
    "LIRA": {"تركي": "TRY", "لبناني": "LBP", "سوري": "SYP"},
    "INR": {"هندي": "INR", "باكستاني": "PKR"},
    "JPY": {"ياباني": "JPY"},
    "CHF": {"سويسري": "CHF", "افريقي": "XOF"},
}
#: country names (normalised) whose mention in the article picks a default for an unqualified name
_CUES: dict[str, dict[str, str]] = {
    "DIRHAM": {"المغرب": "MAD", "المغربية": "MAD", "الامارات": "AED", "دبي": "AED", "ابوظبي": "AED"},
    "DINAR": {"تونس": "TND", "الجزائر": "DZD", "الاردن": "JOD", "الكويت": "KWD", "العراق": "IQD", "ليبيا": "LYD",
              "البحرين": "BHD"},
    "RIYAL": {"السعودية": "SAR", "قطر": "QAR", "سلطنة": "OMR", "اليمن": "YER", "ايران": "IRR"},
    "POUND": {"مصر": "EGP", "بريطانيا": "GBP", "السودان": "SDG"},
    "LIRA": {"لبنان": "LBP", "سوريا": "SYP", "سورية": "SYP", "تركيا": "TRY"},
}
_AREA_UNITS = frozenset(("متر", "كيلومتر", "كلم", "كم"))
_UNIT_FACTOR = {"م": 1e6, "ا": 1e3, "مليم": 1e-3, "مليما": 1e-3, "سنتيم": 1e-2, "سنتيما": 1e-2}  # م د = million dinars, أ د = thousand
#: currencies with three minor digits, where "26,112" is 26.112 rather than 26112
_THREE_DECIMALS = frozenset(("TND", "KWD", "BHD", "JOD", "OMR", "LYD", "IQD"))
_MILLIMES = re.compile(r"^\d{1,3},\d{3}$")
_ISO_CODES = frozenset(["USD", "EUR", "GBP", "MAD", "TND", "DZD", "EGP", "SAR", "AED", "QAR", "KWD", "JOD", "LBP", "SYP", "IQD", "ILS", "TRY", "RUB", "CNY", "JPY", "CHF"])
_SIGNS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}
_PERCENT_WORDS = frozenset(("بالمائة", "بالمئة", "بالمية", "بالماية", "%", "٪", "percent"))
_PERCENT_AFTER_FI = frozenset(("المائة", "المئة", "المية"))
#: nouns after which a number is part of a name or a position, not a count (سام 6, المادة 5)
_NAME_HEADS = frozenset(["سام", "باراك", "طراز", "رقم", "المادة", "مادة", "الفصل", "فصل", "البند", "بند", "القرار", "قرار", "الصفحة", "صفحة", "العدد", "الطابق", "الجولة", "المرتبة", "الرتبة", "المركز", "فئة", "نسخة", "الاصدار", "اصدار", "غرفة", "كوفيد", "ميغ", "ميج", "سو", "سوخوي", "توبوليف", "اف", "اس", "ام", "تي", "بي", "الجيل", "جيل", "الحلقة", "حلقة", "الموسم", "الدورة", "الكيلومتر", "القطاع", "المنطقة", "بوينغ", "ايرباص", "اباتشي", "اي"])


#: words that can start a mention; every other token is skipped after one to three set lookups
_TRIGGERS = frozenset(NUMBER_WORDS) | VAGUE | frozenset(COUNTED_DUALS) | trigger_words() | frozenset(
    ("و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك"))


def _qualify(family: str, tokens: Sequence[Token], k: int, cues: dict[str, str]) -> tuple[str | None, int]:
    """ISO code for a currency family at token ``k-1`` and the end index (after a qualifier, if any)."""
    quals = _QUALIFIERS.get(family, {})
    if k < len(tokens) and quals:
        word = tokens[k].norm
        for cand in (word, word.removeprefix("ال")):
            cand = cand.removesuffix("ة")
            if cand in quals:
                return quals[cand], k + 1
    if family == "JPY":
        return None, k
    if family in _CUES:
        return cues.get(family) or _FAMILIES[family][0], k
    return _FAMILIES[family][0], k


class _Cues:
    """Lazily computed per-document currency defaults (the most mentioned country per currency name)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._folded: str | None = None
        self._cache: dict[str, str] = {}

    def get(self, family: str, default: str | None = None) -> str | None:
        if family not in self._cache:
            if self._folded is None:
                self._folded = fold(self._text)
            counts: dict[str, int] = {}
            for name, iso in _CUES[family].items():
                counts[iso] = counts.get(iso, 0) + self._folded.count(name)
            best = max(counts.items(), key=lambda kv: kv[1])
            self._cache[family] = best[0] if best[1] else _FAMILIES[family][0]
        return self._cache.get(family, default)


# --- scanning ----------------------------------------------------------------------------------------


def _regions(a: Analysis) -> list[tuple[int, int, int, list[Token] | None]]:
    """(paragraph index, start, end, tokens or None) for the title (paragraph 0) and each body paragraph."""
    out: list[tuple[int, int, int, list[Token] | None]] = []
    if a.title_start is not None and a.title_end is not None:
        out.append((0, a.title_start, a.title_end, None))
    for p in a.paragraphs:
        toks = [t for s in p.sentences for t in s.tokens]
        out.append((p.index, p.start, p.end, toks or None))
    if not a.paragraphs:  # no layout ran: the whole text is one paragraph
        out.append((1, 0, len(a.document.text), None))
    return out


def _published(a: Analysis) -> date | None:
    pub = a.document.published
    if not pub:
        return None
    try:
        return date.fromisoformat(pub[:10])
    except ValueError:
        return None


def _after_clitic(raw: str, tok: Token, clitic_len: int) -> int:
    """Raw offset inside ``tok`` after ``clitic_len`` normalised characters (skipping tatweel/tashkeel)."""
    pos, seen = tok.start, 0
    while pos < tok.end and seen < clitic_len:
        if raw[pos] not in DROP:
            seen += 1
        pos += 1
    while pos < tok.end and raw[pos] in DROP:
        pos += 1
    return pos


def _name_before(tokens: Sequence[Token], i: int) -> bool:
    """Whether the number at token ``i`` follows a name head or Latin word (سام 6, F-16, باراك 8)."""
    if i == 0:
        return False
    prev = tokens[i - 1]
    if prev.norm == "-" and i >= 2 and tokens[i - 2].end == prev.start:
        return True
    return prev.norm in _NAME_HEADS or prev.norm.isascii() and prev.norm.isalpha()


def _nisba_plural(norm: str, definite: bool) -> str | None:
    """Singular of a people plural in -يين/-يون after a number (5 فلسطينيين -> فلسطيني), else None."""
    if definite and norm.startswith("ال"):
        norm = norm[2:]
    if len(norm) >= 6 and norm.endswith(("يين", "يون")) and not norm.startswith("ال"):
        return norm[:-2]
    return None


def _money_after(tokens: Sequence[Token], k: int, num: NumberSpan, cues: _Cues) -> tuple[str, int] | None:
    """(ISO currency, end index) when a currency name or sign follows the number at ``k``."""
    if k >= len(tokens):
        return None
    word = tokens[k].norm
    if word in _SIGNS:  # "5 $" but not a "$#$" marker
        if k + 1 < len(tokens) and tokens[k + 1].start == tokens[k].end and not tokens[k + 1].is_word:
            return None
        return _SIGNS[word], k + 1
    if word in ("م", "ا") and k + 1 < len(tokens) and tokens[k + 1].norm == "د":  # TAP: 12301.5 م د, 20 أ د
        return cues.get("DINAR") or "TND", k + 2
    if word in ("مليم", "مليما"):
        return "TND", k + 1
    if word in ("سنتيم", "سنتيما"):  # Moroccan usage: 22 مليون سنتيم = 220,000 MAD
        return "MAD", k + 1
    if word == "من" and num.value is None and k + 1 < len(tokens):  # ملايين من الدولارات
        k, word = k + 1, tokens[k + 1].norm
    family = _CURRENCY_FORMS.get(word)
    if family is None:
        return None
    if word.startswith("ال") and num.value is not None and not num.words:
        return None  # "5 الدولار" is not an amount
    iso, end = _qualify(family, tokens, k + 1, cues)  # type: ignore[arg-type]
    return (iso, end) if iso else None


def _scan(a: Analysis, tokens: list[Token], para: int, published: date | None, cues: _Cues) -> list[Mention]:
    raw = a.document.text
    out: list[Mention] = []
    i, n = 0, len(tokens)

    def add(kind: str, first: int, clitic: str, end: int, **kw: object) -> None:
        start = _after_clitic(raw, tokens[first], len(clitic)) if clitic else tokens[first].start
        stop = tokens[end - 1].end
        text = raw[start:stop]
        out.append(Mention(kind, start, stop, text, para, fold(text), source="rule", **kw))  # type: ignore[arg-type]

    while i < n:
        tok = tokens[i]
        norm = tok.norm
        if not (norm[:1].isdigit() or norm in _TRIGGERS or norm[1:] in _TRIGGERS or norm[2:] in _TRIGGERS
                or norm in _SIGNS or norm in _ISO_CODES):
            i += 1
            continue
        ds: DateSpan | None = read_date(tokens, i)
        if ds is not None:
            add(ds.type, ds.first, ds.clitic, ds.end, resolved=resolve_span(ds, published))
            i = ds.end
            continue
        sign = _SIGNS.get(norm) or (norm if norm in _ISO_CODES else None)
        if sign is not None and i + 1 < n:  # $5 million, € 3 مليارات, USD 5 million
            num = read_number(tokens, i + 1)
            if num is not None and num.value is not None and not num.clitic and num.first == i + 1:
                add("MONEY", i, "", num.end, value=num.value, currency=sign)
                i = num.end
                continue
        num = read_number(tokens, i)
        if num is None:
            dual = dual_noun(tok.norm)
            if dual is not None:
                clitic, lemma = dual
                end = i + 1
                if end < n and tokens[end].norm in ("اثنين", "اثنتين", "اثنان", "اثنتان"):
                    end += 1
                add("QUANTITY", i, clitic, end, value=2.0, unit=lemma)
            i += 1
            continue
        k, f = num.end, num.first
        money = _money_after(tokens, k, num, cues)
        if money is not None:
            value = num.value
            if money[0] in _THREE_DECIMALS and num.end == num.first + 1 and _MILLIMES.match(tokens[f].norm):
                value = float(tokens[f].norm.replace(",", "."))  # 26,112 دينارا: dinars and millimes
            if value is not None and k < n:  # abbreviated scales and minor units
                value *= _UNIT_FACTOR.get(tokens[k].norm, 1.0)
            add("MONEY", f, num.clitic, money[1], value=value, currency=money[0])
            i = money[1]
            continue
        if num.value is not None and k < n:
            word = tokens[k].norm
            if word in _PERCENT_WORDS:
                add("PERCENT", f, num.clitic, k + 1, value=num.value)
                i = k + 1
                continue
            if word == "في" and k + 1 < n and tokens[k + 1].norm in _PERCENT_AFTER_FI:
                add("PERCENT", f, num.clitic, k + 2, value=num.value)
                i = k + 2
                continue
        if k < n and not _name_before(tokens, f):
            j, definite = k, num.value is None
            if definite and tokens[j].norm == "من" and j + 1 < n:  # عشرات من الجنود
                j += 1
            unit = counted_noun(tokens[j].norm, definite=definite) or _nisba_plural(tokens[j].norm, definite)
            if unit is not None:
                end = j + 1
                if unit in _AREA_UNITS and end < n and tokens[end].norm in ("مربع", "مكعب"):
                    unit, end = f"{unit} {tokens[end].norm}", end + 1  # 643 مليون متر مكعب
                add("QUANTITY", f, num.clitic, end, value=num.value, unit=unit)
                i = end
                continue
        i = max(num.end, i + 1)
    return out


def rule_mentions(a: Analysis) -> list[Mention]:
    """MONEY / DATE / TIME / QUANTITY / PERCENT mentions of an analysis (paragraphs and title only)."""
    published = _published(a)
    cues = _Cues(a.document.text)
    out: list[Mention] = []
    for para, start, end, tokens in _regions(a):
        if tokens is None:
            tokens = tokenize(a.document.text, start, end)
        out.extend(_scan(a, tokens, para, published, cues))
    return out
