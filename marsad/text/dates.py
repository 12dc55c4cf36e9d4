"""Arabic dates and times: month names (MSA, Levantine, Maghreb ar_MA / ar_DZ / ar_TN, Hijri), weekdays,
absolute dates (12 شتنبر 2021, 2021/09/12, 12-09-2021), years (عام 1948), relative expressions (اليوم, أمس,
الأسبوع الماضي, الأربعاء المنصرم, منذ ثلاثة أيام, قبل أسبوعين) and clock times (الساعة 10:30 صباحا).

``read_date(tokens, i)`` recognises an expression starting at token ``i``; ``resolve_span`` turns it into
ISO text given the publication date: a day ``2021-12-01``, a month ``2021-12``, a year ``2021``, a range
``2021-11-22/2021-11-28`` or a time ``2021-12-01T10:30``. Hijri dates and vague spans (الأشهر المقبلة)
stay unresolved (None). ``resolve(expr, published)`` does both for a string.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from marsad.model import Token
from marsad.text.numbers import NumberSpan, number_word, read_number

__all__ = ["DateSpan", "read_date", "resolve", "resolve_span"]

# --- lexicon (normalised forms) ------------------------------------------------------------------------

#: Gregorian months: MSA, Levantine/Iraqi, Maghreb ar_MA and ar_DZ/ar_TN (CLDR), common variants.
MONTHS: dict[str, int] = {}
for _m, _names in enumerate((
        "يناير جانفي", "فبراير فيفري شباط فبرير", "مارس اذار مارص", "ابريل افريل نيسان ابريل",
        "مايو ماي ايار", "يونيو يونيه جوان حزيران", "يوليو يوليوز يوليه جويلية جويليه تموز",
        "اغسطس اغشت غشت اوت اب", "سبتمبر شتنبر شتمبر ايلول", "اكتوبر اكطوبر", "نوفمبر نونبر",
        "ديسمبر دجنبر دجمبر"), start=1):
    for _n in _names.split():
        MONTHS[_n] = _m
#: month names that are also ordinary words (مارس "practised", اب "father", ماي): need a day or a year
AMBIGUOUS_MONTHS = frozenset(["مارس", "ماي", "اب", "اوت", "جوان", "تموز"])
HIJRI_MONTHS = {"محرم": 1, "صفر": 2, "رجب": 7, "شعبان": 8, "رمضان": 9, "شوال": 10}
#: two-word months -> (month, hijri)
MONTHS2: dict[tuple[str, str], tuple[int, bool]] = {}
for (_a, _bs), _v in {
    ("كانون", "الثاني ثاني"): (1, False), ("كانون", "الاول اول"): (12, False),
    ("تشرين", "الاول اول"): (10, False), ("تشرين", "الثاني ثاني"): (11, False), ("تشرن", "الثاني ثاني"): (11, False),
    ("تشرن", "الاول اول"): (10, False),
    ("ربيع", "الاول"): (3, True), ("ربيع", "الثاني الاخر"): (4, True), ("جمادي", "الاولي الاول"): (5, True),
    ("جمادي", "الاخرة الثانية الاخر"): (6, True), ("ذو", "القعدة"): (11, True), ("ذي", "القعدة"): (11, True),
    ("ذو", "الحجة"): (12, True), ("ذي", "الحجة"): (12, True),
}.items():
    for _b in _bs.split():
        MONTHS2[(_a, _b)] = _v
WEEKDAYS = {"الاثنين": 0, "الاتنين": 0, "الثلاثاء": 1, "الاربعاء": 2, "الخميس": 3, "الجمعة": 4, "السبت": 5,
            "الاحد": 6}
#: today / yesterday / tomorrow -> day offset
DAY_WORDS = {"اليوم": 0, "امس": -1, "الامس": -1, "البارحة": -1, "غدا": 1, "غد": 1, "الغد": 1, "بكرا": 1,
             "بكرة": 1}
#: relative unit nouns -> (unit, vague plural)
REL_UNITS = {"الاسبوع": ("week", False), "الشهر": ("month", False), "العام": ("year", False),
             "السنة": ("year", False), "الاسابيع": ("week", True), "الاشهر": ("month", True),
             "الشهور": ("month", True), "الايام": ("day", True), "السنوات": ("year", True),
             "الاعوام": ("year", True), "السنين": ("year", True)}
MODIFIERS: dict[str, int] = {}
_PAST = "الماضي الماضية المنصرم المنصرمة الفائت الفائتة المنقضي المنقضية السابق السابقة الاخير الاخيرة المنصرمين"
for _shift, _ws in ((-1, _PAST + " الماضيين"),
                (1, "المقبل المقبلة القادم القادمة الجاي الجايي المقبلين القادمين"),
                (0, "الجاري الجارية الحالي الحالية")):
    for _m2 in _ws.split():
        MODIFIERS[_m2] = _shift
YEAR_WORDS = frozenset(["عام", "العام", "سنة", "السنة", "لعام", "للعام", "لسنة", "للسنة", "بعام", "وعام", "بسنة", "وسنة"])
YEAR_SUFFIXES = {"م": False, "ميلادي": False, "ميلادية": False, "للميلاد": False, "هـ": True, "ه": True,
                 "هجري": True, "هجرية": True, "للهجرة": True}
PREPS = frozenset(["في", "منذ", "حتى", "قبل", "بعد", "خلال", "وفي", "ومنذ", "وحتى", "وقبل", "وبعد"])
SPAN_EDGES = frozenset(["مطلع", "بداية", "نهاية", "اواخر", "اوائل", "منتصف", "اواسط", "ومطلع", "وبداية", "ونهاية", "واواخر", "ومنتصف"])
HOUR_WORDS = {"الواحدة": 1, "الثانية": 2, "الثالثة": 3, "الرابعة": 4, "الخامسة": 5, "السادسة": 6,
              "السابعة": 7, "الثامنة": 8, "التاسعة": 9, "العاشرة": 10, "الحادية": 1}
#: words after a clock time -> whether they mean afternoon/evening (+12 h)
PART_OF_DAY = {"صباحا": False, "صباح": False, "فجرا": False, "ظهرا": True, "عصرا": True, "مساء": True,
               "مساءا": True, "ليلا": True, "زوالا": True, "ليلة": True}
TIME_UNITS: dict[str, str] = {}
TIME_DUALS: dict[str, tuple[str, float]] = {}
for _u, _ws in (("day", "يوم ايام يوما"), ("week", "اسبوع اسابيع اسبوعا"), ("month", "شهر اشهر شهور شهرا"),
                ("year", "سنة سنوات سنين عام اعوام عاما"), ("decade", "عقد عقود عقدا"),
                ("hour", "ساعة ساعات"), ("minute", "دقيقة دقائق"), ("second", "ثانية ثوان ثواني")):
    for _m2 in _ws.split():
        TIME_UNITS[_m2] = _u
for _u, _ws in (("day", "يومين يومان"), ("week", "اسبوعين اسبوعان"), ("month", "شهرين شهران"),
                ("year", "عامين عامان سنتين سنتان"), ("decade", "عقدين"), ("hour", "ساعتين ساعتان"),
                ("minute", "دقيقتين دقيقتان")):
    for _m2 in _ws.split():
        TIME_DUALS[_m2] = (_u, 2.0)


@dataclass(slots=True)
class DateSpan:
    """A date/time expression over tokens ``[first, end)`` and what it means."""

    first: int
    end: int
    type: str = "DATE"  # DATE | TIME
    clitic: str = ""  # proclitic left out of the span (و, ب ...)
    day: int | None = None
    month: int | None = None
    year: int | None = None
    year2: int | None = None  # end of a year range (1936 - 1939)
    weekday: int | None = None  # Monday = 0
    shift: int = 0  # -1 past / +1 next / 0 this, for weekday and relative units
    unit: str | None = None  # day | week | month | year | hour | minute | second (relative / duration)
    count: float | None = None  # how many units (منذ ثلاثة أيام -> 3)
    ago: int = 0  # -1 ago (منذ/قبل), +1 later (بعد), 0 duration
    hour: int | None = None
    minute: int | None = None
    hijri: bool = False
    vague: bool = False


def trigger_words() -> frozenset[str]:
    """Normalised words that can start a date/time expression (callers pre-filter tokens with it)."""
    words = set(MONTHS) | set(HIJRI_MONTHS) | {a for a, _ in MONTHS2} | set(WEEKDAYS) | set(DAY_WORDS)
    words |= set(REL_UNITS) | YEAR_WORDS | SPAN_EDGES | PREPS | _DAY_PARTS | set(TIME_DUALS)
    words |= {"و" + w for w in DAY_WORDS} | {"اول", "بعد", "هذا", "هذه", "الساعة", "بتاريخ", "وبتاريخ", "تاريخ", "يوم", "ويوم", "اليوم"}
    return frozenset(words)


def _w(tokens: Sequence[Token], i: int) -> str:
    return tokens[i].norm if 0 <= i < len(tokens) else ""


def _strip_clitic(norm: str) -> tuple[str, str]:
    """(clitic, rest) splitting one leading و/ف/ب/ل/ك (or وب, ول ...) off a word whose rest starts with ال."""
    for cut in (2, 1):
        if len(norm) > cut + 2 and norm[:cut] in _CL and norm[cut:].startswith("ال"):
            return norm[:cut], norm[cut:]
    if norm[:1] in ("و", "ف") and norm[1:] in DAY_WORDS:  # وأمس, وغدا
        return norm[:1], norm[1:]
    return "", norm


_CL = frozenset(["و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك"])


def _int(tok: str) -> int | None:
    return int(tok) if tok.isdigit() and len(tok) <= 4 else None


def _year(tok: str, *, loose: bool = False) -> int | None:
    """A four-digit year (1000-2199); ``loose`` also accepts 1-3 digits (Hijri 1428 passes anyway)."""
    v = _int(tok)
    if v is None:
        return None
    if len(tok) == 4 and 1000 <= v <= 2199:
        return v
    return v if loose and 0 < v < 1000 else None


def _month_at(tokens: Sequence[Token], i: int) -> tuple[int, int, bool] | None:
    """(month, end index, hijri) for a month name at ``i`` (two-word names like كانون الثاني first)."""
    w = _w(tokens, i)
    two = MONTHS2.get((w, _w(tokens, i + 1)))
    if two is not None:
        m, hijri = two
        return m, i + 2, hijri
    if w in MONTHS:
        return MONTHS[w], i + 1, False
    if w in HIJRI_MONTHS:
        return HIJRI_MONTHS[w], i + 1, True
    return None


_ONE_TOKEN_DATE = re.compile(r"^(\d{1,4})([./-])(\d{1,2})\2(\d{2,4})$")


def _numeric(tokens: Sequence[Token], i: int, ds: DateSpan) -> int | None:
    """D/M/Y, Y/M/D or M/D/Y with / - . separators (spaces allowed around them); returns the end index."""
    one = _ONE_TOKEN_DATE.match(_w(tokens, i))  # 12.09.2021 comes as one number-like token
    if one is not None:
        x, y, z, end = one.group(1), one.group(3), one.group(4), i + 1
    else:
        sep = _w(tokens, i + 1)
        if sep not in ("/", "-", ".") or _w(tokens, i + 3) != sep:
            return None
        x, y, z, end = _w(tokens, i), _w(tokens, i + 2), _w(tokens, i + 4), i + 5
    a, b, c = _int(x), _int(y), _int(z)
    if a is None or b is None or c is None:
        return None
    if len(x) == 4:
        yr, mo, dy = a, b, c
    elif len(z) in (2, 4) and len(x) <= 2:
        yr = c if len(z) == 4 else 2000 + c if c < 50 else 1900 + c
        dy, mo = (a, b) if b <= 12 else (b, a)
    else:
        return None
    if not (1 <= mo <= 12 and 1 <= dy <= 31 and 1000 <= yr <= 2199):
        return None
    ds.day, ds.month, ds.year = dy, mo, yr
    return end


def _absolute(tokens: Sequence[Token], i: int, ds: DateSpan, *, trigger: bool) -> int | None:
    """[D] MONTH [/ MONTH] [YEAR] [suffix]; ``trigger``: a word before makes a bare month acceptable."""
    j = i
    day = _int(_w(tokens, j))
    if day is not None and 1 <= day <= 31 and len(_w(tokens, j)) <= 2:
        j += 1
    else:
        day = None
    mon = _month_at(tokens, j)
    if mon is None:
        return None
    ds.month, j, ds.hijri = mon
    ds.day = day
    if _w(tokens, j) in ("/", "(", "-") and _month_at(tokens, j + 1) is not None:  # يونيو / حزيران
        j = _month_at(tokens, j + 1)[1]  # type: ignore[index]
        if _w(tokens, j) == ")":
            j += 1
    k = j + (1 if _w(tokens, j) in ("،", ",", "(") else 0)
    yr = _year(_w(tokens, k), loose=ds.hijri)
    if yr is not None:
        ds.year, j = yr, k + 1
        if _w(tokens, j) == ")" and _w(tokens, k - 1) == "(":
            j += 1
    elif _w(tokens, j) == "(" and _numeric(tokens, j + 1, DateSpan(0, 0)) is not None:  # نيسان (26 / 4 / 1947)
        j = _numeric(tokens, j + 1, ds)  # type: ignore[assignment]
        if _w(tokens, j) == ")":
            j += 1  # type: ignore[operator]
        return j
    if day is None and yr is None:
        w = _w(tokens, i)
        if not trigger or w in AMBIGUOUS_MONTHS or ds.hijri:
            return None
    if ds.year is not None and _w(tokens, j) in YEAR_SUFFIXES:
        ds.hijri = ds.hijri or YEAR_SUFFIXES[_w(tokens, j)]
        j += 1
    elif ds.year is None and (mod := MODIFIERS.get(_w(tokens, j))) is not None:  # 24 فيفري الماضي
        ds.shift = mod
        j += 1
    return j


def _year_expr(tokens: Sequence[Token], i: int, ds: DateSpan) -> int | None:
    """YEAR [- YEAR] [suffix], optionally in parentheses."""
    j = i
    paren = _w(tokens, j) == "("
    if paren:
        j += 1
    yr = _year(_w(tokens, j))
    if yr is None:
        return None
    ds.year, j = yr, j + 1
    if _w(tokens, j) in ("-", "/") and (y2 := _year(_w(tokens, j + 1))) is not None and y2 >= yr:
        ds.year2, j = y2, j + 2
    if paren:
        if _w(tokens, j) != ")":
            return None
        j += 1
    if _w(tokens, j) in YEAR_SUFFIXES:
        ds.hijri = YEAR_SUFFIXES[_w(tokens, j)]
        j += 1
    return j


def _time_of_day(tokens: Sequence[Token], i: int, ds: DateSpan, *, after_saa: bool = False) -> int | None:
    """HH:MM [صباحا|مساء], or after الساعة also a bare hour (الساعة 10) or an hour word (العاشرة والنصف)."""
    h = _int(_w(tokens, i))
    if h is not None and _w(tokens, i + 1) == ":" and tokens[i + 1].start == tokens[i].end:
        mm = _w(tokens, i + 2)
        if len(mm) == 2 and mm.isdigit() and h <= 24 and int(mm) < 60:
            ds.hour, ds.minute = h, int(mm)
            j = i + 3
        else:
            return None
    elif h is not None and after_saa and h <= 24:
        ds.hour, ds.minute = h, 0
        j = i + 1
    elif _w(tokens, i) in HOUR_WORDS:
        ds.hour, ds.minute = HOUR_WORDS[_w(tokens, i)], 0
        j = i + 1
        if _w(tokens, j) in ("عشرة", "عشر"):
            ds.hour += 10
            j += 1
        frac = {"والنصف": 30, "والربع": 15, "ونصف": 30, "وربع": 15}.get(_w(tokens, j))
        if frac:
            ds.minute, j = frac, j + 1
    else:
        return None
    part = _w(tokens, j)
    if part == "من" and _w(tokens, j + 1) in _DAY_PART_PM:  # الساعة السادسة من مساء اليوم
        if _DAY_PART_PM[_w(tokens, j + 1)] and ds.hour is not None and ds.hour < 12:
            ds.hour += 12
        inner = read_date(tokens, j + 2) if j + 2 < len(tokens) else None
        if inner is not None and (inner.unit == "day" or inner.weekday is not None or inner.month is not None):
            ds.unit, ds.shift, ds.weekday = inner.unit, inner.shift, inner.weekday
            ds.day, ds.month, ds.year, j = inner.day, inner.month, inner.year, inner.end
        else:
            j += 2
    elif part in PART_OF_DAY:
        if PART_OF_DAY[part] and ds.hour is not None and ds.hour < 12:
            ds.hour += 12
        j += 1
    if _w(tokens, j) == "بتوقيت" and j + 1 < len(tokens):
        j += 2
    ds.type = "TIME"
    return j


def _relative(tokens: Sequence[Token], i: int, ds: DateSpan, w: str) -> int | None:
    """الأسبوع الماضي, الأشهر المقبلة, هذا العام, العام الحالي, الأشهر الستة الماضية; returns the end."""
    if w.lstrip("لبوف") in ("هذا", "هذه") and _w(tokens, i + 1) in REL_UNITS:
        ds.unit, ds.vague = REL_UNITS[_w(tokens, i + 1)]
        return i + 2
    if w.startswith("لل") and "ا" + w[1:] in REL_UNITS:  # للسنة الجايي
        w = "ا" + w[1:]
    if w not in REL_UNITS:
        return None
    j = i + 1
    nxt = _w(tokens, j)
    if nxt.startswith("ال") and number_word(nxt[2:]) is not None:
        j += 1  # الأشهر الستة الماضية
    mod = MODIFIERS.get(_w(tokens, j))
    if mod is None:
        return None
    ds.unit, ds.vague = REL_UNITS[w]
    ds.vague = ds.vague or j > i + 1
    ds.shift = mod
    return j + 1


def read_date(tokens: Sequence[Token], i: int) -> DateSpan | None:
    """The date or time expression starting at token ``i``, or None."""
    if i >= len(tokens):  # callers look ahead past the last token ("منذ" ending a paragraph)
        return None
    raw_w = tokens[i].norm
    clitic, w = _strip_clitic(raw_w)
    ds = DateSpan(i, i, clitic=clitic)
    nxt = _w(tokens, i + 1)
    if raw_w[:1].isdigit():
        if _w(tokens, i - 1) in _YEAR_CONTEXT and _year(raw_w) is not None and not _counted_after(tokens, i + 1):
            ds.end = _year_expr(tokens, i, ds) or i + 1  # حرب 1948, الانتفاضة الأولى 1987
            return ds
        return _from_digits(tokens, i, ds)
    if w in ("بتاريخ", "وبتاريخ", "يوم", "ويوم", "تاريخ") and nxt and (nxt[0].isdigit() or nxt == "("):
        paren = _w(tokens, i + 1) == "("
        k = i + 1 + paren
        sub = DateSpan(i, i, clitic=raw_w[:1] if raw_w[0] == "و" else "")
        e = _numeric(tokens, k, sub) or _absolute(tokens, k, sub, trigger=False) or _year_expr(tokens, k, sub)
        if e is not None:
            sub.end = e + (1 if paren and _w(tokens, e) == ")" else 0)
            return sub
    if w == "الساعة" and (j := _time_of_day(tokens, i + 1, ds, after_saa=True)) is not None:
        ds.end = j
        return ds
    if raw_w in _DAY_PARTS or raw_w[1:] in _DAY_PARTS and raw_w[0] == "و":  # صباح اليوم, مساء الأربعاء
        j = i + 2 if raw_w.endswith("منتصف") and nxt in ("ليل", "الليل", "ليلة") else i + 1
        if _w(tokens, j) in ("هذا", "هذه"):
            j += 1
        inner = read_date(tokens, j) if j < len(tokens) else None
        if inner is not None and (inner.unit == "day" or inner.weekday is not None):
            inner.first, inner.type, inner.clitic = i, "TIME", raw_w[:1] if raw_w[0] == "و" else ""
            return inner
        return None
    j = i + 1 if w in ("يوم", "ويوم") and _strip_clitic(nxt)[1] in WEEKDAYS else i
    wd = WEEKDAYS.get(_strip_clitic(_w(tokens, j))[1] if j > i else w)
    if wd is not None:
        return _weekday(tokens, j + 1, ds, wd)
    if w in DAY_WORDS or raw_w in ("اول", "بعد") and nxt in ("امس", "غد"):
        if w == "اليوم" and nxt in _NOT_TODAY:
            return None
        off = {"اول": -2, "بعد": 2}.get(raw_w, DAY_WORDS.get(w, 0))
        ds.end = i + 2 if raw_w in ("اول", "بعد") else i + 1
        if w in ("امس", "الامس") and nxt == "الاول":
            off, ds.end = -2, i + 2
        ds.unit, ds.shift = "day", off
        if _strip_clitic(_w(tokens, ds.end))[1] in WEEKDAYS:  # اليوم الأربعاء [1 ديسمبر 2021]
            sub = _weekday(tokens, ds.end + 1, DateSpan(i, i), 0)
            ds.day, ds.month, ds.year, ds.end = sub.day, sub.month, sub.year, sub.end
        return ds
    if raw_w in YEAR_WORDS and (j := _year_expr(tokens, i + 1, ds)) is not None:
        ds.end = j
        return ds
    if raw_w in SPAN_EDGES:  # مطلع العام المقبل, نهاية 2020, أواخر يونيو
        sub = DateSpan(i, i, clitic=raw_w[:1] if raw_w[0] == "و" else "")
        inner = read_date(tokens, i + 1)
        if inner is not None and inner.type == "DATE" and inner.clitic == "":
            inner.first, inner.clitic = i, sub.clitic
            return inner
        e = _absolute(tokens, i + 1, sub, trigger=True) or _year_expr(tokens, i + 1, sub)
        if e is not None:
            sub.end = e
            return sub
        return None
    if raw_w in PREPS:
        return _after_prep(tokens, i, raw_w)
    if (j := _relative(tokens, i, ds, w)) is not None:
        ds.end = j
        return ds
    if raw_w in MONTHS or raw_w in HIJRI_MONTHS or (raw_w, nxt) in MONTHS2:
        if (j := _absolute(tokens, i, ds, trigger=False)) is not None:
            ds.end = j
            return ds
        return None
    if (num := read_number(tokens, i)) is not None:
        return _duration(tokens, i, num.end, ds, num)
    if _dual(raw_w) is not None:
        return _duration(tokens, i, i, ds, None)
    return None


_YEAR_CONTEXT = frozenset(["حرب", "الحرب", "حربي", "ثورة", "الثورة", "انتفاضة", "الانتفاضة", "الاولي", "نكبة", "النكبة", "نكسة", "النكسة", "احداث", "انتخابات", "الانتخابات", "مونديال"])
#: part-of-day nouns after "من" -> afternoon/evening (+12 h)
_DAY_PART_PM = {"مساء": True, "صباح": False, "زوال": True, "عشية": True, "ظهر": True, "فجر": False, "ليل": True,
                "ليلة": True, "بعد": True}
_SINGULAR_UNITS = frozenset(["يوم", "اسبوع", "شهر", "سنة", "عام", "عقد", "ساعة", "دقيقة", "ثانية"])
_DAY_PARTS = frozenset(["صباح", "مساء", "ظهر", "عصر", "فجر", "ليلة", "منتصف", "صبيحة"])
_NOT_TODAY = frozenset(["الوطني", "العالمي", "الدولي", "الاول", "الثاني", "الثالث", "الرابع", "الخامس", "السابع", "الثامن", "التاسع", "العاشر", "الاخير", "التالي", "السابق", "نفسه", "ذاته", "الموعود"])


def _from_digits(tokens: Sequence[Token], i: int, ds: DateSpan) -> DateSpan | None:
    """Expressions that start with digits: 10:30, 12/09/2021, 12 شتنبر 2021, (1948), 3 أيام."""
    for reader in (_time_of_day, _numeric):
        if (j := reader(tokens, i, ds)) is not None:
            ds.end = j
            return ds
    if (j := _absolute(tokens, i, ds, trigger=False)) is not None:
        ds.end = j
        return ds
    ds.month = ds.day = None
    if _w(tokens, i - 1) == "(" and _year(tokens[i].norm) is not None:  # (1948)
        j = _year_expr(tokens, i, ds)
        if j is not None and _w(tokens, j) in (")", "-", "/"):
            ds.end = j
            return ds
    num = read_number(tokens, i)
    return _duration(tokens, i, num.end, ds, num) if num is not None else None


def _weekday(tokens: Sequence[Token], j: int, ds: DateSpan, wd: int) -> DateSpan:
    """After a weekday: an optional modifier (المنصرم) and an optional date (الموافق 5 / 8 / 2008)."""
    ds.weekday = wd
    if (mod := MODIFIERS.get(_w(tokens, j))) is not None:
        ds.shift, j = mod, j + 1
    k = j + (1 if _w(tokens, j) in ("،", ",") else 0)
    k += 1 if _w(tokens, k) == "الموافق" else 0
    sub = DateSpan(k, k)
    e = _numeric(tokens, k, sub) or _absolute(tokens, k, sub, trigger=False)
    if e is not None:
        ds.day, ds.month, ds.year, ds.hijri, j = sub.day, sub.month, sub.year, sub.hijri, e
    ds.end = j
    return ds


def _after_prep(tokens: Sequence[Token], i: int, raw_w: str) -> DateSpan | None:
    """في 2012, منذ يناير, منذ ثلاثة أيام, قبل أسبوعين, بعد شهر (منذ/قبل/بعد stay in the span when they
    make a point in time of a duration)."""
    bare = raw_w[1:] if raw_w[0] == "و" and len(raw_w) > 3 else raw_w
    sub = DateSpan(i + 1, i + 1)
    e = _absolute(tokens, i + 1, sub, trigger=True)
    if e is None and bare in ("في", "منذ", "حتى") and _year(_w(tokens, i + 1)) is not None and not _counted_after(
            tokens, i + 2):
        e = _year_expr(tokens, i + 1, sub)
    if e is not None:
        sub.end = e
        if bare == "منذ":
            sub.first, sub.clitic = i, raw_w[: len(raw_w) - len(bare)]
        return sub
    if bare == "منذ" and (inner := read_date(tokens, i + 1)) is not None and inner.type == "DATE" \
            and not inner.clitic and inner.count is None:  # منذ بداية السنة الجارية
        inner.first, inner.clitic = i, raw_w[: len(raw_w) - len(bare)]
        return inner
    if bare not in ("منذ", "قبل", "بعد"):
        return None
    ds = DateSpan(i, i, clitic=raw_w[: len(raw_w) - len(bare)])
    num = read_number(tokens, i + 1)
    k = num.end if num is not None else i + 1
    out = _duration(tokens, i + 1, k, ds, num, ago=-1 if bare in ("منذ", "قبل") else 1)
    if out is not None:
        out.first = i
        if bare != "منذ" and _w(tokens, out.end) in ("من", "على"):
            out.vague = True  # بعد عام من استئناف العلاقات: anchored to an event, not to publication
    return out


def _counted_after(tokens: Sequence[Token], k: int) -> bool:
    from marsad.text.numbers import counted_noun

    return counted_noun(_w(tokens, k)) is not None


def _dual(word: str) -> tuple[str, float] | None:
    """Dual time units: يومين -> ("day", 2.0), also behind ل/و/ب."""
    return TIME_DUALS.get(word) or (TIME_DUALS.get(word[1:]) if word[:1] in ("ل", "و", "ب") else None)


def _duration(tokens: Sequence[Token], i: int, k: int, ds: DateSpan, num: NumberSpan | None, *,
              ago: int = 0) -> DateSpan | None:
    """NUMBER UNIT or a dual unit (أسبوعين); with ``ago`` (منذ/قبل -1, بعد +1) a point in time."""
    w = _w(tokens, k)
    count: float | None
    if (dual := _dual(w)) is not None and (num is None or num.end == k and num.first == k):
        unit, count = dual
        if num is None and w not in TIME_DUALS:
            ds.clitic = w[:1]
    elif w in TIME_UNITS and num is not None:
        unit, count = TIME_UNITS[w], num.value
        if not ago:
            ds.first, ds.clitic = num.first, num.clitic
    elif w in TIME_UNITS and ago:  # قبل شهر, منذ سنة (one); منذ عقود, منذ سنوات (vague)
        unit, count = TIME_UNITS[w], (1.0 if w in _SINGULAR_UNITS else None)
    else:
        return None
    if unit == "decade":
        unit, count = "year", (count * 10 if count is not None else None)
    ds.unit, ds.count, ds.end, ds.ago = unit, count, k + 1, ago
    ds.vague = ago == 0 or count is None  # a duration (ثلاثة أيام) is not a point in time
    ds.type = "TIME" if unit in ("hour", "minute", "second") else "DATE"
    return ds


# --- resolution --------------------------------------------------------------------------------------


def _shift_months(d: date, months: int) -> date:
    y, m = divmod(d.year * 12 + d.month - 1 + months, 12)
    return date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def resolve_span(ds: DateSpan, published: date | None) -> str | None:
    """ISO text for a recognised expression, relative to ``published`` (None when it cannot be fixed)."""
    if ds.hijri or ds.vague:
        return None
    day = _resolve_day(ds, published) if (ds.unit or ds.weekday is not None or ds.month or ds.year) else None
    if ds.type == "TIME" and ds.hour is not None:
        hhmm = f"T{ds.hour % 24:02d}:{ds.minute or 0:02d}"
        return (day + hhmm) if day and len(day) == 10 else hhmm
    return day


def _resolve_day(ds: DateSpan, pub: date | None) -> str | None:
    if ds.month is not None:
        year = ds.year
        if year is None:
            if pub is None:
                return None
            year = pub.year
            this = date(year, ds.month, min(ds.day or 1, 28))
            if ds.shift < 0 and this > pub or ds.shift == 0 and this > pub + timedelta(days=180):
                year -= 1
            elif ds.shift > 0 and this < pub:
                year += 1
        if ds.day is None:
            return f"{year:04d}-{ds.month:02d}"
        try:
            return date(year, ds.month, ds.day).isoformat()
        except ValueError:
            return None
    if ds.year is not None:
        return f"{ds.year:04d}/{ds.year2:04d}" if ds.year2 else f"{ds.year:04d}"
    if pub is None:
        return None
    if ds.weekday is not None:
        delta = (ds.weekday - pub.weekday()) % 7
        if ds.shift > 0:
            return (pub + timedelta(days=delta or 7)).isoformat()
        back = (pub.weekday() - ds.weekday) % 7
        if ds.shift < 0:
            back = back or 7
        return (pub - timedelta(days=back)).isoformat()
    if ds.unit is None:
        return None
    point = ds.count is not None  # منذ ثلاثة أيام: a day; الأسبوع الماضي: the whole week
    n = int(ds.count or 0) * ds.ago if point else ds.shift
    if ds.unit == "day":
        return (pub + timedelta(days=n)).isoformat()
    if ds.unit == "week":
        if point:
            return (pub + timedelta(weeks=n)).isoformat()
        monday = pub - timedelta(days=pub.weekday()) + timedelta(weeks=n)
        return f"{monday.isoformat()}/{(monday + timedelta(days=6)).isoformat()}"
    if ds.unit == "month":
        d = _shift_months(pub, n)
        return f"{d.year:04d}-{d.month:02d}"
    if ds.unit == "year":
        return f"{pub.year + n:04d}"
    return None


def resolve(expr: str, published: date | str | None) -> str | None:
    """Resolve a date/time expression: resolve("الأربعاء المنصرم", date(2021, 12, 1)) -> "2021-11-24"."""
    from marsad.text.tokenize import tokenize

    if isinstance(published, str):
        published = date.fromisoformat(published[:10])
    tokens = tokenize(expr)
    if not tokens:
        return None
    ds = read_date(tokens, 0)
    if ds is None:
        return None
    return resolve_span(ds, published)
