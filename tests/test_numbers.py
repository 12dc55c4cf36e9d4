"""Arabic number parsing: digits, separators, number words, scales, fractions, duals."""

import pytest

from marsad.text import tokenize
from marsad.text.numbers import counted_noun, dual_noun, parse_digits, parse_number, read_number


@pytest.mark.parametrize(("text", "value"), [
    ("22", 22), ("٢٢", 22), ("1.5", 1.5), ("2,5", 2.5), ("٢٫٥", 2.5), ("1,500", 1500), ("1.000.000", 1e6),
    ("1,234.5", 1234.5), ("22 مليون", 22e6), ("٢٢ مليون", 22e6), ("1.5 مليار", 1.5e9), ("100 الف", 1e5),
    ("3 آلاف", 3000), ("ثلاثة ملايين", 3e6), ("واحد", 1), ("عشرة", 10), ("أحد عشر", 11), ("اثنا عشر", 12),
    ("ثلاثة عشر", 13), ("عشرون", 20), ("عشرين", 20), ("خمسة وعشرون", 25), ("واحد وعشرين مليون", 21e6),
    ("مائة", 100), ("مئة", 100), ("مئتان", 200), ("ثلاثمائة", 300), ("ثلاث مائة", 300), ("ألف", 1000),
    ("ألفين", 2000), ("مليونين", 2e6), ("مليار", 1e9), ("مائة وخمسون ألفا", 150000), ("نصف", 0.5),
    ("ربع", 0.25), ("نصف مليون", 5e5), ("مليون ونصف", 1.5e6), ("ربع مليار", 2.5e8), ("ثلاثة أرباع", 0.75),
    ("2 مليون و500 ألف", 2.5e6), ("وبـ22 مليون", 22e6), ("بثلاثة آلاف", 3000),
    ("3ر18", 18.3), ("15،6", 15.6),  # Tunisian TAP decimals (logical order) and Arabic-comma decimals
])
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["ثلاثة أربعة", "دولار", "", "مليون مليون", "الثلاثة"])
def test_not_one_number(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(("text", "scaled", "value"), [("1.500", False, 1.5), ("1,500", False, 1500), ("1,500", True, 1.5), ("20.370", False, 20.37),
                                                       ("0,5", False, 0.5), ("12,34,5", False, None)])
def test_parse_digits_separators(text: str, scaled: bool, value: float | None) -> None:
    assert parse_digits(text, scaled=scaled) == value


@pytest.mark.parametrize("text", ["عشرات", "مئات", "آلاف", "عشرات الآلاف"])
def test_vague_amounts_have_no_value(text: str) -> None:
    toks = tokenize(text)
    span = read_number(toks, 0)
    assert span is not None and span.value is None and span.end == len(toks)


def test_read_number_reports_clitic_and_stops_before_noun() -> None:
    toks = tokenize("وبـ22 مليون دولار")
    span = read_number(toks, 0)
    assert span is not None and span.value == 22e6
    assert toks[span.first].start == 3 and toks[span.end - 1].norm == "مليون"  # starts after و ب ـ


@pytest.mark.parametrize(("word", "lemma"), [("وحدتين", "وحدة"), ("طائرتين", "طائرة"), ("دولتين", "دولة"),
                                             ("لوحدتين", "وحدة")])
def test_dual_nouns(word: str, lemma: str) -> None:
    dual = dual_noun(word)
    assert dual is not None and dual[1] == lemma


@pytest.mark.parametrize("word", ["البلدين", "مقاتلين", "الطرفين", "بين", "ميلان", "وميلان", "اخران"])
def test_not_dual_counts(word: str) -> None:
    assert dual_noun(word) is None


@pytest.mark.parametrize(("word", "lemma"), [("دولة", "دولة"), ("جنود", "جندي"), ("قتيلا", "قتيل"), ("دول", "دولة")])
def test_counted_nouns(word: str, lemma: str) -> None:
    assert counted_noun(word) == lemma
