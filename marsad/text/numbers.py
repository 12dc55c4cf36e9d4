"""Arabic numbers: digits (Arabic-Indic digits arrive as ASCII via normalisation), decimals and thousands
separators, written number words (واحد .. مليار, نصف, ربع), dual forms (ألفين, مليونين, وحدتين) and the
counted nouns that turn a number into a quantity (26 دولة, 300 جندي).

Everything here works on *normalised* forms (``marsad.text.fold``: أ/إ/آ -> ا, ى -> ي, digits -> ASCII)
and on ``marsad.model.Token`` lists from ``marsad.text.tokenize``, so offsets stay in the raw text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from marsad.model import Token
from marsad.text.normalize import fold

# --- number words (normalised spellings) -------------------------------------------------------------

_UNITS = {
    1: "واحد واحدة واحدا",
    2: "اثنان اثنين اثنتان اثنتين اثنا اثني اثنتا اثنتي",
    3: "ثلاث ثلاثة", 4: "اربع اربعة", 5: "خمس خمسة", 6: "ست ستة", 7: "سبع سبعة",
    8: "ثمان ثماني ثمانية", 9: "تسع تسعة", 10: "عشر عشرة",
}
_TENS = {20: "عشرون عشرين", 30: "ثلاثون ثلاثين", 40: "اربعون اربعين", 50: "خمسون خمسين", 60: "ستون ستين",
         70: "سبعون سبعين", 80: "ثمانون ثمانين", 90: "تسعون تسعين"}
_HUNDRED_FORMS = ("مائة", "مئة", "ماية", "مية")
_TWO_HUNDRED = "مائتان مائتين مائتا مائتي مئتان مئتين مئتا مئتي"
#: Multipliers: value and the forms (singular/accusative, dual, plural).
_SCALES = {
    1e3: ("الف الفا", "الفان الفين الفا الفي", "الاف الوف"),
    1e6: ("مليون مليونا million", "مليونان مليونين مليونا مليوني", "ملايين"),
    1e9: ("مليار مليارا بليون billion", "ملياران مليارين مليارا ملياري", "مليارات بلايين"),
    1e12: ("تريليون ترليون trillion", "تريليونين تريليونان", "تريليونات"),
}
FRACTIONS = {"نصف": 0.5, "ربع": 0.25, "ثلث": 1 / 3, "ثلثي": 2 / 3, "ثلثا": 2 / 3, "ارباع": 0.25}
#: Vague plurals: «عشرات القتلى», «مئات الجنود», «آلاف» when no number precedes them.
VAGUE = frozenset(["عشرات", "مئات", "ميات", "الاف", "الوف", "ملايين", "مليارات", "بضع", "بضعة"])

#: word -> (value, kind); kind: unit | ten | hundred | scale | dual | plural | fraction
NUMBER_WORDS: dict[str, tuple[float, str]] = {}
for _v, _forms in _UNITS.items():
    for _w in _forms.split():
        NUMBER_WORDS[_w] = (float(_v), "unit")
for _v, _forms in _TENS.items():
    for _w in _forms.split():
        NUMBER_WORDS[_w] = (float(_v), "ten")
for _w in _HUNDRED_FORMS:
    NUMBER_WORDS[_w] = (100.0, "hundred")
for _w in _TWO_HUNDRED.split():
    NUMBER_WORDS[_w] = (200.0, "unit")
for _v, _stem in ((3, "ثلاث"), (4, "اربع"), (5, "خمس"), (6, "ست"), (7, "سبع"), (8, "ثمان"), (9, "تسع")):
    for _h in _HUNDRED_FORMS:
        NUMBER_WORDS[_stem + _h] = (float(_v * 100), "unit")  # ثلاثمائة, خمسمئة ...
for _scale, (_sing, _dual, _plur) in _SCALES.items():
    for _w in _sing.split():
        NUMBER_WORDS[_w] = (_scale, "scale")
    for _w in _dual.split():
        NUMBER_WORDS.setdefault(_w, (2 * _scale, "dual"))
    for _w in _plur.split():
        NUMBER_WORDS[_w] = (_scale, "plural")
for _w, _frac in FRACTIONS.items():
    NUMBER_WORDS[_w] = (_frac, "fraction")
NUMBER_WORDS["احد"] = (1.0, "teen1")  # only in احد عشر
NUMBER_WORDS["احدي"] = (1.0, "teen1")
NUMBER_WORDS["thousand"] = (1e3, "scale")

_CLITIC_RE = re.compile(r"^([وف]?[بلك]?)(.+)$")
_DIGITS_RE = re.compile(r"^([وف]?[بلك]?)(\d+(?:[.,]\d+)*)$")


def number_word(norm: str) -> tuple[str, str] | None:
    """(proclitic, word) when ``norm`` is a number word, possibly behind و/ف/ب/ل/ك: وثلاثة -> ("و", "ثلاثة")."""
    if norm in NUMBER_WORDS:
        return "", norm
    for cut in (1, 2):
        if len(norm) > cut + 1 and norm[:cut] in _CLITIC_PREFIXES and norm[cut:] in NUMBER_WORDS:
            return norm[:cut], norm[cut:]
    return None


_CLITIC_PREFIXES = frozenset(["و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك"])


def parse_digits(text: str, *, scaled: bool = False) -> float | None:
    """Value of a digit string with separators: 1,500 / 1.000.000 / 2,5 / 1.5 (``scaled``: a scale word follows)."""
    text = fold(text).replace(" ", "")
    if not text or not text[0].isdigit():
        return None
    seps = [c for c in text if not c.isdigit()]
    if not seps:
        return float(text)
    if any(c not in ".," for c in seps):
        return None
    parts = re.split(r"[.,]", text)
    if len(set(seps)) == 2:  # 1,234.5 or 1.234,5: the last separator is the decimal one
        dec = seps[-1]
        whole, frac = text.rsplit(dec, 1)
        return float(whole.replace("," if dec == "." else ".", "") + "." + frac)
    if len(seps) > 1:  # 1,000,000 or 1.000.000
        return float("".join(parts)) if all(len(p) == 3 for p in parts[1:]) else None
    whole, frac = parts
    # one separator: "," before exactly three digits groups thousands (1,500); "." is a decimal point in
    # Arabic news (20.370 د is twenty dinars 370 millimes), and so is "," before other lengths (2,5)
    if seps[0] == "," and len(frac) == 3 and not scaled and whole != "0":
        return float(whole + frac)
    return float(whole + "." + frac)


@dataclass(slots=True)
class NumberSpan:
    """A number read from tokens ``[first, end)``; ``value`` None for vague amounts (عشرات, آلاف)."""

    first: int
    end: int
    value: float | None
    words: bool  # written (at least partly) in words
    clitic: str  # proclitic stripped from the first token (و, ب, وب ...)
    dual_scale: bool = False  # ended in a dual scale word (ألفين, مليونين)


def _digits_at(tokens: Sequence[Token], i: int) -> tuple[str, str, int] | None:
    """(clitic, digit string incl. separators, end index) for a digit number starting at token ``i``."""
    m = _DIGITS_RE.match(tokens[i].norm)
    if not m:
        return None
    text, j = m.group(2), i + 1
    if j + 1 < len(tokens) and tokens[j].start == tokens[j - 1].end and tokens[j + 1].start == tokens[j].end \
            and tokens[j + 1].norm.isdigit() and text.isdigit():
        sep = tokens[j].norm
        if sep == "ر":  # Tunisian (TAP) decimals: "3ر18" (logical order) is 18.3
            return m.group(1), tokens[j + 1].norm + "." + text, j + 2
        if sep == "،":  # Arabic comma between digits as a decimal separator: 15،6 -> 15.6
            return m.group(1), text + "." + tokens[j + 1].norm, j + 2
    # glue 1.5 / 1,000,000 / 2٫5: separator and digits must touch (no space) to be one number
    while (j + 1 < len(tokens) and tokens[j].norm in (".", ",") and tokens[j].start == tokens[j - 1].end
           and tokens[j + 1].start == tokens[j].end and tokens[j + 1].norm.isdigit()):  # older tokenisers
        text += tokens[j].norm + tokens[j + 1].norm
        j += 2
    return m.group(1), text, j


def read_number(tokens: Sequence[Token], i: int) -> NumberSpan | None:
    """Read the longest number starting at token ``i`` (digits and/or words, joined by و), or None."""
    total = current = last_scale = 0.0
    words = dual_end = False
    clitic = prev_kind = ""
    n = len(tokens)
    if i >= n:  # callers look one token ahead (e.g. "منذ" as the last word of a paragraph)
        return None
    if (tokens[i].norm in _CLITIC_PREFIXES and i + 1 < n and tokens[i + 1].start == tokens[i].end
            and tokens[i + 1].norm[:1].isdigit()):
        i += 1  # "وبـ22" tokenised as وب + 22: the number starts at the digits
    j = i
    while j < n:
        first = j == i
        if not first and tokens[j].norm == "و" and j + 1 < n and tokens[j + 1].start == tokens[j].end:
            # the tokenizer splits و from digits ("و500"): read it as the conjunction of the next piece
            d = _digits_at(tokens, j + 1)
            if d is None or prev_kind not in ("scale", "plural", "dual"):
                break
            value = parse_digits(d[1])
            if value is None or d[0]:
                break
            current += value
            prev_kind, j = "digits", d[2]
            continue
        d = _digits_at(tokens, j)
        if d is not None:
            cl, text, nxt = d
            # after the first piece, digits continue a number only as "مليون و500 الف"
            if not first and not (cl == "و" and prev_kind in ("scale", "plural", "dual")):
                break
            nw = number_word(tokens[nxt].norm) if nxt < n else None
            value = parse_digits(text, scaled=nw is not None and NUMBER_WORDS[nw[1]][1] in ("scale", "plural"))
            if value is None:
                break
            if first:
                clitic = cl
            current += value
            prev_kind, j = "digits", nxt
            continue
        w = number_word(tokens[j].norm)
        if w is None:
            break
        cl, word = w
        value, kind = NUMBER_WORDS[word]
        if first:
            clitic = cl
        elif not _joins(prev_kind, kind, cl, value):
            break
        if kind == "teen1":
            if not (j + 1 < n and tokens[j + 1].norm in ("عشر", "عشرة")):
                break
            current += value
        elif kind == "fraction":
            if cl == "و" and last_scale:  # مليون ونصف: half of the scale just read
                total += value * last_scale
            elif word == "ارباع" and current:
                current *= value
            else:
                current += value
        elif kind == "hundred":
            current = (current or 1) * 100 if current < 10 else current + 100
        elif kind in ("scale", "plural"):
            if kind == "plural" and current == 0 and total == 0:
                break  # bare آلاف / ملايين: vague, handled below
            total += (current or 1) * value
            current, last_scale = 0.0, value
        elif kind == "dual":
            total += current * value / 2 if current else value
            current, last_scale, dual_end = 0.0, value / 2, True
        else:
            current += value
        words = True
        prev_kind = kind
        j += 1
        if kind == "dual":
            break
    if j == i:
        return _vague(tokens, i)
    return NumberSpan(i, j, total + current, words, clitic, dual_end)


def _joins(prev: str, kind: str, cl: str, value: float) -> bool:
    """Whether a number word continues the number read so far (Arabic order: units, tens, scales)."""
    if cl == "":
        if kind == "fraction":
            return prev == "unit" and value == 0.25  # ثلاثة ارباع
        if kind == "unit" and value == 10:
            return prev in ("unit", "teen1")  # ثلاثة عشر, احد عشر
        if kind in ("hundred", "scale", "plural"):
            return prev in ("unit", "ten", "digits", "hundred", "fraction", "teen1")
        return False
    if cl != "و":
        return False
    if kind in ("scale", "plural", "dual", "teen1"):
        return False
    if kind == "unit" and prev in ("unit", "ten"):
        return False
    return not (kind == "ten" and prev == "ten")


def _strip(norm: str) -> str:
    m = _CLITIC_RE.match(norm)
    return m.group(2) if m and m.group(1) and len(m.group(2)) > 2 else norm


def _vague(tokens: Sequence[Token], i: int) -> NumberSpan | None:
    """عشرات / مئات / آلاف / بضعة ... as a number of unknown value (and عشرات الآلاف as one)."""
    norm = tokens[i].norm
    cl = ""
    if norm not in VAGUE:
        stem = _strip(norm)
        cl = norm[: len(norm) - len(stem)]
        if stem not in VAGUE or cl not in _CLITIC_PREFIXES:
            return None
    end = i + 1
    if end < len(tokens) and tokens[end].norm in ("الالاف", "الملايين", "المئات", "المليارات"):
        end += 1
    return NumberSpan(i, end, None, True, cl)


def parse_number(text: str) -> float | None:
    """Value of a whole number expression: "22 مليون" -> 22e6, «ثلاثة ملايين» -> 3e6, "1,5" -> 1.5."""
    from marsad.text.tokenize import tokenize

    tokens = tokenize(text)
    if not tokens:
        return None
    span = read_number(tokens, 0)
    if span is None or span.end != len(tokens):
        return None
    return span.value


# --- counted nouns: what makes a number a QUANTITY ----------------------------------------------------

#: singular, then plural forms (normalised). Accusative (-ا) and dual (-ين/-ان, ة -> تين/تان) are derived.
_COUNTED = """
دولة دول|بلد بلدان|جندي جنود|عسكري عسكريين|ضابط ضباط|شخص اشخاص|فرد افراد|قتيل قتلي|جريح جرحي|شهيد شهداء
مصاب مصابين|ضحية ضحايا|اسير اسري|معتقل معتقلين|سجين سجناء|مسلح مسلحين|مقاتل مقاتلين|عنصر عناصر
لاجئ لاجئين|نازح نازحين|مهاجر مهاجرين|طفل اطفال|امراة نساء|رجل رجال|مواطن مواطنين|مدني مدنيين|نسمة
طالب طلاب|تلميذ تلاميذ|موظف موظفين|عامل عمال|مريض مرضي|طبيب اطباء|صحفي صحفيين|نائب نواب|عضو اعضاء
مرشح مرشحين|ناخب ناخبين|حزب احزاب|صوت اصوات|مقعد مقاعد|وزير وزراء|سائح سياح|زائر زوار|حاج حجاج
طائرة طائرات|مسيرة مسيرات|مروحية مروحيات|مقاتلة مقاتلات|صاروخ صواريخ|قذيفة قذائف|دبابة دبابات
مدرعة مدرعات|مركبة مركبات|عربة عربات|سيارة سيارات|شاحنة شاحنات|سفينة سفن|بارجة بوارج|غواصة غواصات
زورق زوارق|قارب قوارب|فرقاطة فرقاطات|بطارية بطاريات|منظومة منظومات|نظام انظمة|قطعة قطع|وحدة وحدات
سلاح اسلحة|بندقية بنادق|لغم الغام|عبوة عبوات|غارة غارات|ضربة ضربات|هجوم هجمات|عملية عمليات
قاعدة قواعد|موقع مواقع|منزل منازل|بيت بيوت|مبني مباني|مسكن مساكن|شقة شقق|مصنع مصانع|مستشفي مستشفيات
مدرسة مدارس|مسجد مساجد|قرية قري|مدينة مدن|بلدة بلدات|محافظة محافظات|ولاية ولايات|منطقة مناطق|مخيم مخيمات
شركة شركات|مؤسسة مؤسسات|بنك بنوك|مشروع مشاريع|مشروعات|اتفاقية اتفاقيات|اتفاق اتفاقات|صفقة صفقات|عقد عقود
حالة حالات|اصابة اصابات|وفاة وفيات|جرعة جرعات|لقاح لقاحات|اختبار اختبارات|سرير اسرة
طن اطنان|كيلوغرام كيلوغرامات|كلغ|كغ|غرام غرامات|كيلو|لتر لترات|برميل براميل|متر امتار|مترا|كيلومتر كيلومترات
كلم|كم|ميل اميال|هكتار هكتارات|دونم دونمات|فدان افدنة|ميغاواط|ميجاوات|كيلوواط|درجة درجات|قدم اقدام
سهم اسهم|نقطة نقاط|نسخة نسخ|صفحة صفحات|كتاب كتب|مادة مواد|بند بنود|رسالة رسائل|طلب طلبات
رحلة رحلات|مشارك مشاركين|دورة دورات|مباراة مباريات|هدف اهداف|ميدالية ميداليات|فريق فرق
اخر اخرين اخرون|قنطار قناطير|علبة علب|موطن|مخالفة مخالفات|ميغاوات|مسدس مسدسات|جثة جثث|ارهابي ارهابيين|مهاجم مهاجمين
تاجر تجار|محضر محاضر|شجرة اشجار|دراجة دراجات|تذكرة تذاكر|مترشح مترشحين|مصل مصلين|مجند مجندين|مهرب مهربين
طابق طوابق|محطة محطات|مركز مراكز|جامعة جامعات|عون اعوان|شاب شبان|مستوطن مستوطنين|مستوطنة مستوطنات|ناقلة ناقلات
"""
#: normalised form -> lemma (singular)
COUNTED: dict[str, str] = {}
for _group in _COUNTED.replace("\n", "|").split("|"):
    _group_forms = [f for f in _group.split() if "_" not in f]
    if not _group_forms:
        continue
    _lemma = _group_forms[0]
    for _f in _group_forms:
        COUNTED[_f] = _lemma
    if not _lemma.endswith("ة"):
        COUNTED.setdefault(_lemma + "ا", _lemma)  # تمييز: 15 قتيلا
    for _f in _group_forms[1:]:
        if _f.endswith("ين"):
            COUNTED.setdefault(_f[:-2] + "ون", _lemma)  # nominative plural: مقاتلون
COUNTED_DUALS: dict[str, str] = {}
for _f, _lemma in list(COUNTED.items()):
    if _f != _lemma:
        continue
    if _lemma.endswith("ة"):
        COUNTED_DUALS[_lemma[:-1] + "تين"] = COUNTED_DUALS[_lemma[:-1] + "تان"] = _lemma
    elif len(_lemma) >= 3 and not _lemma.endswith("ي"):
        COUNTED_DUALS[_lemma + "ين"] = COUNTED_DUALS[_lemma + "ان"] = _lemma
    elif _lemma.endswith("ي") and len(_lemma) >= 4:
        COUNTED_DUALS[_lemma + "ين"] = _lemma  # جنديين


for _f in [f for f in COUNTED_DUALS if f in COUNTED or COUNTED_DUALS[f] in ("ميل", "اخر")]:
    del COUNTED_DUALS[_f]  # مقاتلين is a plural, not a dual; ميلان is Milan, آخران is not a count


def counted_noun(norm: str, *, definite: bool = False) -> str | None:
    """Lemma when ``norm`` is a counted noun (plain, or behind ال when ``definite``): جنود -> جندي."""
    lemma = COUNTED.get(norm)
    if lemma is None and definite and norm.startswith("ال"):
        lemma = COUNTED.get(norm[2:])
    return lemma


def dual_noun(norm: str) -> tuple[str, str] | None:
    """(proclitic, lemma) when ``norm`` is an indefinite dual of a counted noun: وحدتين -> ("", "وحدة")."""
    lemma = COUNTED_DUALS.get(norm)
    if lemma is not None:
        return "", lemma
    for cut in (1, 2):
        if norm[:cut] in _CLITIC_PREFIXES and (lemma := COUNTED_DUALS.get(norm[cut:])) is not None:
            return norm[:cut], lemma
    return None
