"""Normalisation rules and the offset map back to the raw text (including property-based checks)."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from marsad.text import fold, normalize


@pytest.mark.parametrize(
    ("raw", "norm"),
    [
        ("إسرائيل", "اسرائيل"),
        ("أنواع", "انواع"),
        ("آلاف", "الاف"),
        ("ٱلرحمن", "الرحمن"),
        ("مُحَمَّدٌ", "محمد"),
        ("عَرَبِيّ", "عربي"),
        ("بـ” غانتس “", 'ب" غانتس "'),
        ("جـــديد", "جديد"),
        ("إلى", "الي"),
        ("مصطفى", "مصطفي"),
        ("ایران", "ايران"),  # Persian yeh
        ("کرة", "كرة"),  # Persian kaf
        ("٢٠٢١", "2021"),
        ("۱۴۰۰", "1400"),
        ("٣٫٥", "3.5"),
        ("١٬٠٠٠", "1,000"),
        ("«قبة»", '"قبة"'),
        ("‘هارتس’", "'هارتس'"),
        ("22\u00a0مليون", "22 مليون"),
        ("تونس\u200f", "تونس"),
        ("\u202bغزة\u202c", "غزة"),
        ("ال\u200cدولة", "الدولة"),
        ("\ufeffنص", "نص"),
        ("ﻻ", "لا"),
        ("ﷲ", "الله"),
        ("ﺑﻴﺮﻭﺕ", "بيروت"),
        ("2010–2015", "2010-2015"),
        ("مسؤول", "مسؤول"),  # hamza on waw is kept
        ("مدرسة", "مدرسة"),  # ta marbuta kept by default
    ],
)
def test_normalize_rules(raw: str, norm: str) -> None:
    n = normalize(raw)
    assert n.text == norm
    assert fold(raw) == norm
    assert len(n.index) == len(n.text) + 1


@pytest.mark.parametrize(("raw", "norm"), [("مدرسة", "مدرسه"), ("الاتفاقية", "الاتفاقيه"), ("مكتبه", "مكتبه")])
def test_ta_marbuta_flag(raw: str, norm: str) -> None:
    assert normalize(raw, ta_marbuta=True).text == norm
    assert fold(raw, ta_marbuta=True) == norm


def test_offsets_skip_dropped_characters() -> None:
    raw = "بـ” غانتس"
    n = normalize(raw)
    assert n.text == 'ب" غانتس'
    assert n.raw_span(0, 1) == (0, 2)  # the tatweel after ب belongs to it
    rs, re_ = n.raw_span(3, 8)
    assert raw[rs:re_] == "غانتس"


def test_span_includes_trailing_marks() -> None:
    raw = "مُحَمَّدٌ قال"
    n = normalize(raw)
    rs, re_ = n.raw_span(0, 4)
    assert raw[rs:re_] == "مُحَمَّدٌ"


def test_offset_argument_shifts_index() -> None:
    raw = "xx إسرائيلُ yy"
    n = normalize(raw[3:11], offset=3)
    assert n.text == "اسرائيل"
    assert n.raw_span(0, len(n.text)) == (3, 11)


def test_cut_ligature_maps_to_whole_ligature() -> None:
    n = normalize("ﻻ")
    assert n.raw_span(0, 1) == (0, 1)
    assert n.raw_span(1, 2) == (0, 1)


def test_norm_span_inverts_raw_span() -> None:
    raw = "قال مُحَمَّدٌ إنّ"
    n = normalize(raw)
    assert n.norm_span(4, 13) == (4, 8)
    assert n.text[4:8] == "محمد"


def test_raw_span_rejects_bad_span() -> None:
    with pytest.raises(ValueError):
        normalize("abc").raw_span(2, 5)


# Characters that exercise every rule: letters, hamza forms, marks, tatweel, controls, ligatures,
# digits, quotes, spaces, Latin.
_ALPHABET = (
    "ابتثجحخدذرزسشصضطظعغفقكلمنهويءؤئةى" "أإآٱ" "\u064b\u064e\u064f\u0650\u0651\u0652\u0670\u0654"
    "\u0640" "\u200b\u200c\u200d\u200e\u200f\u202b\u202c\u2067\u2069\ufeff\u00ad"
    "ﻻﷲﺑﻴ" "٠١٩۴" "“”«»‘’\"'" " \u00a0\n.،؟" "aZ5"
)


def _aligned(n, s: int, e: int) -> bool:
    """Span boundaries that do not cut an expanded ligature in two."""
    idx = n.index
    ok_start = s == 0 or s == len(n.text) or idx[s - 1] != idx[s]
    ok_end = e == 0 or e == len(n.text) or idx[e - 1] != idx[e]
    return ok_start and ok_end


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=40), st.data(), st.booleans())
@example("بـ” غانتس “", None, False)
def test_property_span_roundtrip(raw: str, data, ta: bool) -> None:
    n = normalize(raw, ta_marbuta=ta)
    assert n.text == fold(raw, ta_marbuta=ta)
    assert len(n.index) == len(n.text) + 1
    assert list(n.index) == sorted(n.index)
    assert n.index[-1] == len(raw)
    if data is None:
        s, e = 0, len(n.text)
    else:
        s = data.draw(st.integers(0, len(n.text)))
        e = data.draw(st.integers(s, len(n.text)))
    rs, re_ = n.raw_span(s, e)
    assert 0 <= rs <= re_ <= len(raw)
    if _aligned(n, s, e):
        assert normalize(raw[rs:re_], ta_marbuta=ta).text == n.text[s:e]
    else:  # a cut ligature maps to the whole ligature: the span's text is inside its re-normalisation
        assert n.text[s:e] in normalize(raw[rs:re_], ta_marbuta=ta).text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=30), st.text(alphabet=_ALPHABET, max_size=30))
def test_property_offset_and_concatenation(left: str, right: str) -> None:
    whole = normalize(left + right)
    part = normalize(right, offset=len(left))
    assert whole.text == fold(left) + part.text
    assert whole.index[len(fold(left)):] == part.index


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=40))
def test_property_normalisation_is_idempotent(raw: str) -> None:
    once = fold(raw)
    assert fold(once) == once
