"""Sentence splitting: terminators, quotations, abbreviations, numbers, trimming."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.text.sentences import LONG_QUOTE, split_sentences


def _sents(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("قال الوزير. وأضاف المصدر.", ["قال الوزير.", "وأضاف المصدر."]),
        ("هل حضر؟ نعم! حضر", ["هل حضر؟", "نعم!", "حضر"]),
        ("ماذا؟! لا أعرف", ["ماذا؟!", "لا أعرف"]),
        ("أولا؛ ثانيا; ثالثا", ["أولا؛", "ثانيا;", "ثالثا"]),
        ("انتظر… ثم عاد", ["انتظر…", "ثم عاد"]),
        ("انتظر... ثم عاد", ["انتظر...", "ثم عاد"]),
        ("السطر الأول\nالسطر الثاني", ["السطر الأول", "السطر الثاني"]),
        ("  جملة أولى.   \n\n  جملة ثانية  ", ["جملة أولى.", "جملة ثانية"]),
        ("المنطقة.وقال الوزير", ["المنطقة.", "وقال الوزير"]),  # glued Arabic after a dot
    ],
)
def test_terminators(text: str, expected: list[str]) -> None:
    assert _sents(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "نما الاقتصاد بنسبة 3.5 بالمئة هذا العام",
        "قال د. محمد الصالح إن الوضع مستقر",
        "التقى م. أحمد بالوفد",
        "كتب ج. بوش رسالة",
        "حاضر أ. علي في الجامعة",
        "قال J. Smith ذلك",
        "زار Dr. Jones تونس",
        "الموقع www.jawharafm.net يعمل",
        "بلغ الدين 1.000.000 دينار",
    ],
)
def test_no_split_after_abbreviations_and_numbers(text: str) -> None:
    assert _sents(text) == [text]


def test_year_marker_ends_the_sentence() -> None:
    assert _sents("وقع ذلك عام 2021 م. ثم تغير كل شيء") == ["وقع ذلك عام 2021 م.", "ثم تغير كل شيء"]


def test_list_number_does_not_split() -> None:
    assert _sents("1. الأمن\n2. الاقتصاد") == ["1. الأمن", "2. الاقتصاد"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a short quotation with a full stop inside stays one sentence
        ("قال: «نحن مستعدون. سنواصل العمل» ثم غادر.", ["قال: «نحن مستعدون. سنواصل العمل» ثم غادر."]),
        ("قال “لن نتراجع. أبدا” وغادر.", ["قال “لن نتراجع. أبدا” وغادر."]),
        # reversed curly quotes as on the seed page
        ("التقى بـ” غانتس “وزير الأمن. ثم عاد", ["التقى بـ” غانتس “وزير الأمن.", "ثم عاد"]),
        ("قال ” نعم. لا “ ثم عاد", ["قال ” نعم. لا “ ثم عاد"]),
        ('قال "نعم. لا" ثم سكت', ['قال "نعم. لا" ثم سكت']),
        # a terminator right before the closing mark ends the sentence after the mark
        ("قال: «سنواصل العمل.» وغادر الوزير.", ["قال: «سنواصل العمل.»", "وغادر الوزير."]),
        # … unless the attribution follows after a comma
        ("“سنواصل العمل.”، قال الوزير.", ["“سنواصل العمل.”، قال الوزير."]),
        # the terminator after the closing mark
        ("قال “بين بلدينا”. ثم عاد", ["قال “بين بلدينا”.", "ثم عاد"]),
        # an unclosed quotation does not swallow the rest of the line
        ("قال « نعم. ثم عاد. وانتهى", ["قال « نعم.", "ثم عاد.", "وانتهى"]),
    ],
)
def test_quotations(text: str, expected: list[str]) -> None:
    assert _sents(text) == expected


def test_long_quotation_with_full_sentences_is_split() -> None:
    first = "إن الحكومة ستواصل العمل من أجل تحقيق الأهداف التي وضعتها منذ البداية في كل القطاعات."
    second = "ونحن ملتزمون بتنفيذ كل الإصلاحات الاقتصادية والاجتماعية التي وعدنا بها المواطنين في الجهات."
    third = "ولن نتراجع عن هذه الالتزامات مهما كانت الصعوبات التي تواجهنا في المرحلة القادمة من العمل."
    quote = f"«{first} {second} {third}»"
    assert len(quote) >= LONG_QUOTE
    text = f"وقال رئيس الحكومة {quote} وغادر."
    sents = _sents(text)
    assert sents[0].endswith(first) and sents[1] == second and sents[2] == third + "»"
    assert sents[3:] == ["وغادر."]


def test_start_end_and_trimming() -> None:
    text = "XX  جملة أولى. جملة ثانية.  YY"
    spans = split_sentences(text, 2, len(text) - 2)
    assert [text[s:e] for s, e in spans] == ["جملة أولى.", "جملة ثانية."]


def test_punctuation_only_piece_joins_previous() -> None:
    assert _sents("قال ذلك. .") == ["قال ذلك. ."]


def test_seed_article(seed_path: Path) -> None:
    text = seed_path.read_text(encoding="utf-8")
    sents = _sents(text)
    assert "التقى رئيس مكتب المملكة المغربية عبد الرحيم بيوض، بـ” غانتس “وزير الأمن الإسرائيلي، حيث تباحثا " \
           "تفعيل وتوسيع الاتفاقية الأمنية الموقع البلدين خلال زيارته الأخيرة إلى الرباط الأسبوع المنصرم." in sents
    quoted = next(s for s in sents if s.startswith("وقال غانتس بعد لقائه ببيوض"))
    assert quoted.endswith("بين بلدينا”.")
    assert any(s.endswith("صواريخ سام 6 وسام 7.") for s in sents)
    for s, e in split_sentences(text):
        assert text[s:e] == text[s:e].strip()
        assert "\n" not in text[s:e]


def test_stray_straight_quote_does_not_hide_a_boundary() -> None:
    text = 'بمقترح لإغلاق المساجد" و"حظر القرآن" دون تفاصيل حسب الوكالة.  وكتب النائب "هولندا لنا" أمس.'
    assert _sents(text) == ['بمقترح لإغلاق المساجد" و"حظر القرآن" دون تفاصيل حسب الوكالة.',
                            'وكتب النائب "هولندا لنا" أمس.']
