"""The query parser: what each syntax compiles to, clear errors for malformed input, and a property test
that no string can make FTS5 fail (every input either compiles to a MATCH SQLite accepts or is a QueryError)."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marsad.errors import QueryError
from marsad.store.query import And, Not, Or, Term, compile_query, parse
from marsad.store.schema_sqlite import FTS_TOKENIZE


@pytest.mark.parametrize(("query", "match"), [
    ("اسرائيل", '"اسرائيل"'),
    ("وإسرائيل", '"اسرائيل"'),  # clitic split exactly like the index
    ("لإسرائيل", '"اسرائيل"'),
    ("الاتفاق مصر", '("اتفاق" AND "مصر")'),
    ("الاتفاق AND مصر", '("اتفاق" AND "مصر")'),
    ('"الاتفاق الأمني"', '"اتفاق امني"'),
    ("«الاتفاق الأمني»", '"اتفاق امني"'),
    ("تونس OR مصر", '("تونس" OR "مصر")'),
    ("اتفاق -مصر", '("اتفاق" NOT "مصر")'),
    ("اتفاق NOT مصر", '("اتفاق" NOT "مصر")'),
    ("(تونس OR مصر) اتفاق", '(("تونس" OR "مصر") AND "اتفاق")'),
    ("اتفاق -(مصر OR تونس)", '("اتفاق" NOT ("مصر" OR "تونس"))'),
    ("اسرائ*", '"اسرائ"*'),
    ("اسرائيل،مصر", '"اسرائيل مصر"'),  # one "word" of several terms is a phrase, as in the index
    ("NEAR", '"near"'),  # FTS5 keywords are plain quoted words
    ("or and", '("or" AND "and")'),  # only upper-case operators are operators
    ("اتفاق ؟", '"اتفاق"'),  # punctuation is not searched
])
def test_compiles_to_quoted_fts5(query: str, match: str) -> None:
    assert compile_query(query).match == match


def test_ast_shape_and_positive_terms() -> None:
    node = parse('(تونس OR "الاتفاق الأمني") -مصر')
    assert node == And((Or((Term(("تونس",)), Term(("اتفاق", "امني")))), Not(Term(("مصر",)))))
    assert compile_query('(تونس OR "الاتفاق الأمني") -مصر').terms == {"تونس", "اتفاق", "امني"}


@pytest.mark.parametrize(("query", "reason"), [
    ("", "empty query"),
    ("   ", "empty query"),
    ('"الاتفاق الأمني', "unbalanced quote"),
    ("(تونس OR مصر", "unbalanced parenthesis"),
    ("تونس)", "unbalanced parenthesis"),
    ("تونس OR", "OR needs a word on both sides"),
    ("OR تونس", "OR needs a word on both sides"),
    ("تونس OR OR مصر", "OR needs a word on both sides"),
    ("AND تونس", "AND needs a word before"),
    ("تونس AND", "AND needs a word after"),
    ("تونس NOT", "NOT needs a word after"),
    ("تونس -", "stray '-'"),
    ("-تونس", "only of excluded words"),
    ("NOT تونس", "only of excluded words"),
    ("تونس OR -مصر", "cannot be one side of OR"),
    ("--تونس مصر", "double negation"),
    ("()", "empty parentheses"),
    ("؟ !", "no searchable words"),
    ("(" * 40 + "تونس" + ")" * 40, "too deeply nested"),
    (" ".join(f"كلمة{i}" for i in range(70)), "too many words"),
])
def test_malformed_queries_get_a_clear_message(query: str, reason: str) -> None:
    with pytest.raises(QueryError, match=reason) as info:
        compile_query(query)
    assert info.value.query == query


@pytest.fixture(scope="module")
def fts() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute(f"CREATE VIRTUAL TABLE f USING fts5(title, body, tokenize=\"{FTS_TOKENIZE}\")")
    db.execute("INSERT INTO f VALUES ('اسرائيل', 'اتفاق امني مصر تونس near or and covid 19')")
    return db


_PIECES = st.sampled_from(['"', "«", "»", "(", ")", "-", "*", "^", ":", "+", "{", "}", "OR", "AND", "NOT",
                           "NEAR", "NEAR(", "title:", "body:", "'", ";", "--", "/*", "DROP TABLE", "اسرائيل",
                           "وإسرائيل", "الاتفاق", "\u200f", "\u064e", "ـ", "؟", "1", "x", " ", " ", "\n", "\\"])
_QUERIES = st.one_of(st.text(max_size=40), st.lists(_PIECES, max_size=14).map("".join),
                     st.lists(st.one_of(_PIECES, st.text(max_size=3)), max_size=10).map(" ".join))


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=_QUERIES)
def test_any_string_compiles_to_valid_fts5_or_raises_query_error(fts: sqlite3.Connection, query: str) -> None:
    try:
        compiled = compile_query(query)
    except QueryError:
        return
    # a valid MATCH: SQLite must accept it (an OperationalError here is the bug this test exists for)
    fts.execute("SELECT count(*) FROM f WHERE f MATCH ?", (compiled.match,)).fetchone()


@pytest.mark.parametrize(("query", "arabic"), [("Morocco", "مغرب"), ("Israel", "اسرائيل"), ('"Saudi Arabia"', "سعوديه")])
def test_english_place_names_also_search_their_arabic_names(query: str, arabic: str) -> None:
    from marsad.store.query import Or, compile_query

    compiled = compile_query(query)
    assert isinstance(compiled.ast, Or)
    assert arabic in compiled.terms


def test_unknown_latin_words_stay_plain_terms() -> None:
    from marsad.store.query import Term, compile_query

    assert isinstance(compile_query("Harop").ast, Term)


def test_short_english_words_are_not_expanded_but_acronyms_are() -> None:
    from marsad.store.query import Or, Term, compile_query

    assert isinstance(compile_query("or").ast, Term)
    assert isinstance(compile_query("USA").ast, Or)
