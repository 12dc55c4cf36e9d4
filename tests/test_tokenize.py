"""Tokenisation, clitic splitting, stem offsets and search terms."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.text import fold, search_terms, split_clitics, tokenize
from marsad.text.tokenize import document_words, word_start

GOLD_DIR = Path(__file__).resolve().parent.parent / "marsad" / "resources" / "text"


def _gold(name: str) -> list[tuple[str, str, str]]:
    rows = []
    for line in (GOLD_DIR / name).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, prefix, stem = line.split("\t")
            rows.append((word, prefix, stem))
    return rows


def _texts(text: str) -> list[str]:
    return [text[t.start:t.end] for t in tokenize(text)]


@pytest.mark.parametrize(
    ("word", "prefix", "stem"),
    [
        ("وإسرائيل", "و", "اسرائيل"),
        ("ببيوض", "ب", "بيوض"),
        ("للرباط", "لل", "رباط"),
        ("الرباط", "ال", "رباط"),
        ("والاتفاق", "وال", "اتفاق"),
        ("وبالاتفاق", "وبال", "اتفاق"),
        ("لليبيا", "ل", "ليبيا"),
        ("للقاء", "ل", "لقاء"),
        ("لإسرائيل", "ل", "اسرائيل"),
        ("وأضاف", "و", "اضاف"),
        ("بالإضافة", "بال", "اضافة"),
        ("وبعد", "و", "بعد"),
        ("ألمانيا", "", "المانيا"),
        ("والمانيا", "و", "المانيا"),
        ("إلهام", "", "الهام"),
        ("التقى", "", "التقي"),
        ("الذي", "", "الذي"),
        ("الله", "", "الله"),
    ],
)
def test_split_clitics_examples(word: str, prefix: str, stem: str) -> None:
    assert split_clitics(word) == (prefix, stem)


@pytest.mark.parametrize(
    "word",
    ["بعد", "بين", "كان", "لكن", "فلسطين", "بيروت", "بيوض", "وزير", "ليبيا", "كتب", "فرنسا", "ولاية", "بلد",
     "وحدتين", "فكرة", "كمال", "بطاقة", "لقاء", "بلدينا", "وكالة", "بغداد", "وهران", "فاس", "ولي"],
)
def test_words_that_merely_start_with_clitic_letters_are_not_split(word: str) -> None:
    assert split_clitics(word) == ("", fold(word))


def test_normalised_input_gives_the_same_split() -> None:
    assert split_clitics(fold("وإسرائيل")) == split_clitics("وإسرائيل")


@pytest.mark.parametrize("name", ["clitic_gold.tsv", "clitic_heldout.tsv"])
def test_hand_checked_clitic_lists(name: str) -> None:
    rows = _gold(name)
    wrong = [(w, p, s, split_clitics(w)) for w, p, s in rows if split_clitics(w) != (p, s)]
    accuracy = 1 - len(wrong) / len(rows)
    assert len(rows) >= 60
    assert accuracy >= 0.95, wrong


def test_document_context_splits_rare_names() -> None:
    # بغانتس is in no corpus; غانتس standing alone in the same document makes it ب + غانتس.
    assert split_clitics("بغانتس") == ("", "بغانتس")
    text = "التقى غانتس وزير الدفاع. وقال بغانتس إن"
    toks = tokenize(text, doc=document_words(text))
    tok = next(t for t in toks if text[t.start:t.end] == "بغانتس")
    assert (tok.prefix, tok.stem) == ("ب", "غانتس")
    assert text[tok.stem_start:tok.end] == "غانتس"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("مقاتلاتF5", ["مقاتلات", "F5"]),
        ("طائرات F-16 وCOVID-19", ["طائرات", "F-16", "و", "COVID-19"]),
        ("بـ” غانتس “وزير", ["بـ", "”", "غانتس", "“", "وزير"]),
        ("22 مليون دولار.", ["22", "مليون", "دولار", "."]),
        ("نسبة 3.5% و٣٫٥", ["نسبة", "3.5", "%", "و", "٣٫٥"]),
        ("1,000,000 دينار", ["1,000,000", "دينار"]),
        ("انظر https://example.com/a?b=1.", ["انظر", "https://example.com/a?b=1", "."]),
        ("راسلونا info@marsad.org،", ["راسلونا", "info@marsad.org", "،"]),
        ("#تونس_الآن @jawharafm", ["#تونس_الآن", "@jawharafm"]),
        ("«قبة قفل السماء»", ["«", "قبة", "قفل", "السماء", "»"]),
        ("مُحَمَّدٌ ـ قال", ["مُحَمَّدٌ", "قال"]),  # a lone tatweel is not a token
        ("كلمة\u200fأخرى", ["كلمة", "أخرى"]),  # a bidi mark ends a word
        ("نصف\u200cكلمة", ["نصف\u200cكلمة"]),  # a joiner does not
        ("Привет мир", ["Привет", "мир"]),
        ("هل؟! نعم…", ["هل", "؟", "!", "نعم", "…"]),
    ],
)
def test_token_boundaries(text: str, expected: list[str]) -> None:
    assert _texts(text) == expected


def test_punctuation_is_not_a_word() -> None:
    toks = tokenize("قال: «نعم»")
    assert [t.is_word for t in toks] == [True, False, False, True, False]


def test_stem_start_through_tashkeel_and_tatweel() -> None:
    text = "وَالْمَغْرِبُ ولـلـربـاط"
    a, b = tokenize(text)
    assert (a.prefix, a.stem) == ("وال", "مغرب")
    assert text[a.stem_start:a.end] == "مَغْرِبُ"
    assert word_start(text, a) == text.index("الْ")
    assert (b.prefix, b.stem) == ("ولل", "رباط")
    assert fold(text[b.stem_start:b.end]) == "رباط"
    assert fold(text[word_start(text, b):b.end]) == "للرباط"


def test_start_and_end_restrict_the_range() -> None:
    text = "قال غانتس بعد لقائه ببيوض"
    toks = tokenize(text, 4, 13)
    assert [text[t.start:t.end] for t in toks] == ["غانتس", "بعد"]


def test_seed_article_tokens(seed_path: Path) -> None:
    text = seed_path.read_text(encoding="utf-8")
    toks = tokenize(text, doc=document_words(text))
    by_raw: dict[str, list] = {}
    for t in toks:
        by_raw.setdefault(text[t.start:t.end], []).append(t)
    expect = {"ببيوض": ("ب", "بيوض", "بيوض"), "للرباط": ("لل", "رباط", "رباط"),
              "وإسرائيل": ("و", "اسرائيل", "إسرائيل"), "بيوض": ("", "بيوض", "بيوض"),
              "بعد": ("", "بعد", "بعد"), "بين": ("", "بين", "بين"), "غانتس": ("", "غانتس", "غانتس"),
              "والوزير": ("وال", "وزير", "وزير"), "بإدارة": ("ب", "ادارة", "إدارة")}
    for raw, (prefix, stem, stem_raw) in expect.items():
        for t in by_raw[raw]:
            assert (t.prefix, t.stem) == (prefix, stem), raw
            assert text[t.stem_start:t.end] == stem_raw
    assert ["مقاتلات", "F5"] == [text[t.start:t.end] for t in toks if text[t.start:t.end] in ("مقاتلات", "F5")]
    i = next(i for i, t in enumerate(toks) if text[t.start:t.end] == "بـ")
    assert [text[t.start:t.end] for t in toks[i:i + 4]] == ["بـ", "”", "غانتس", "“"]
    for t in toks:
        assert t.start <= t.stem_start < t.end
        assert fold(text[t.start:t.end]) == t.norm


@pytest.mark.parametrize("variant", ["الاتفاق", "والاتفاق", "اتفاق", "بالاتفاق", "للاتفاق", "وللاتفاق"])
def test_search_terms_drop_clitics_and_article(variant: str) -> None:
    assert search_terms(variant) == ["اتفاق"]


@pytest.mark.parametrize(("text", "terms"), [
    ("وإسرائيل", ["اسرائيل"]), ("اسرائيل", ["اسرائيل"]), ("الاتفاقية الأمنية", ["اتفاقيه", "امنيه"]),
    ("طائرات F-16", ["طائرات", "f-16"]), ("«نعم»، قال.", ["نعم", "قال"]),
    ("#تونس_الآن و#الانتخابات", ["تونس", "الان", "و", "انتخابات"]), ("@jawharafm", ["@jawharafm"]),
])
def test_search_terms(text: str, terms: list[str]) -> None:
    assert search_terms(text) == terms


_ALPHABET = "ابتجدرسعفكلمنهويةىأإآءؤئ" "\u064e\u0650\u0651\u0640\u200c\u200f" " .،؟«»”“" "F5x-"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=40))
def test_property_tokens_point_into_the_raw_text(text: str) -> None:
    prev_end = 0
    for t in tokenize(text):
        assert prev_end <= t.start < t.end <= len(text)
        prev_end = t.end
        raw = text[t.start:t.end]
        assert t.norm == fold(raw)
        assert t.start <= t.stem_start <= t.end
        assert fold(text[t.stem_start:t.end]) == t.stem
        assert fold(text[t.start:t.stem_start]) == t.prefix
        assert t.prefix + t.stem == t.norm


# --- lexicon and commands -------------------------------------------------------------------------------


def test_build_lexicon_counts_normalised_words_and_hamza(tmp_path: Path) -> None:
    from marsad.text.lexicon import build_lexicon, read_lexicon, write_lexicon

    texts = ["ألمانيا وألمانيا ألمانيا المانيا", "الرباط الرباط للرباط"]
    lex = build_lexicon(texts, min_count=1, max_words=1000)
    assert lex.counts["المانيا"] == 3 and lex.hamza["المانيا"] == 2
    assert lex.counts["الرباط"] == 2 and "الرباط" not in lex.hamza
    assert lex.tokens == 7
    a, b = write_lexicon(lex, tmp_path / "a.tsv.gz"), write_lexicon(lex, tmp_path / "b.tsv.gz")
    assert a.read_bytes() == b.read_bytes()  # reproducible bytes
    back = read_lexicon(a)
    assert back.counts == lex.counts and back.hamza == lex.hamza and back.tokens == lex.tokens


def test_bad_lexicon_file_is_a_model_error(tmp_path: Path) -> None:
    from marsad.errors import ModelError
    from marsad.text.lexicon import read_lexicon

    bad = tmp_path / "x.tsv.gz"
    bad.write_bytes(b"not gzip")
    with pytest.raises(ModelError, match="marsad train lexicon"):
        read_lexicon(bad)


def test_eval_clitics_command() -> None:
    import json

    from typer.testing import CliRunner

    from marsad.cli import app

    result = CliRunner().invoke(app, ["eval", "clitics", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert {r["file"].rsplit("/", 1)[-1] for r in report} == {"clitic_gold.tsv", "clitic_heldout.tsv"}
    assert all(r["accuracy"] >= 0.95 for r in report)


def test_text_tokens_command() -> None:
    from typer.testing import CliRunner

    from marsad.cli import app

    result = CliRunner().invoke(app, ["text", "tokens", "ببيوض للرباط"])
    assert result.exit_code == 0, result.output
    assert "بيوض" in result.output and "رباط" in result.output


@pytest.mark.slow
def test_train_lexicon_rebuilds_the_shipped_file(data_dir: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from marsad.cli import app
    from marsad.text.lexicon import LEXICON_PATH

    out = tmp_path / "lexicon.tsv.gz"
    result = CliRunner().invoke(app, ["train", "lexicon", "--data", str(data_dir), "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == LEXICON_PATH.read_bytes()
