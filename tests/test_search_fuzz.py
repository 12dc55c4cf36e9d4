"""Hostile queries and filters through a real store: only QueryError ever escapes, never an SQLite error."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marsad.errors import QueryError
from marsad.model import Analysis, Document, Paragraph, Provenance
from marsad.store import open_store
from marsad.store.base import Store

TEXT = "قالت إسرائيل إن الاتفاق الأمني مع مصر لم يتغير، وأضافت تونس أن covid-19 انتهى."


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path: Path = tmp_path_factory.mktemp("fuzz") / "f.db"
    with open_store(path) as s:
        doc = Document(text=TEXT, provenance=Provenance(source="a.txt", format="page"), published="2017-01-01")
        a = Analysis(document=doc)
        a.paragraphs.append(Paragraph(1, 0, len(TEXT)))
        s.add([a])
        yield s


_PIECES = st.sampled_from(['"', "«", "(", ")", "-", "*", "OR", "AND", "NOT", "NEAR(", "title:", "'", ";",
                           "' OR 1=1 --", "\"; DROP TABLE documents; --", "%", "_", "\\", "اسرائيل",
                           "والاتفاق", "\u202e", "\u0651", "\u200d", "ـ", " ", "\x00", "\ud800", "🙂"])
_ANY = st.one_of(st.text(max_size=30), st.lists(_PIECES, max_size=12).map(" ".join),
                 st.lists(_PIECES, max_size=12).map("".join))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=_ANY, source=st.one_of(st.none(), _ANY), since=st.one_of(st.none(), _ANY))
def test_only_query_errors_escape_search(store: Store, query: str, source: str | None,
                                         since: str | None) -> None:
    try:
        result = store.search(query, source=source, since=since)
    except QueryError as exc:
        assert "\n" not in exc.one_line()
        return
    assert result.total >= len(result.hits)


@pytest.mark.parametrize("query", ["x" * 5000, "\ud800اسرائيل", "اسرائيل\x00"])
def test_oversized_or_invalid_text_is_a_query_error(store: Store, query: str) -> None:
    with pytest.raises(QueryError):
        store.search(query)
