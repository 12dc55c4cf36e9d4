"""Hostile search syntax through the library, the CLI and the web API: results or a one-line QueryError
(CLI exit 2, HTTP 4xx), never a traceback or a 500. (tests/test_search_fuzz.py covers filters and store errors.)"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marsad.errors import QueryError
from marsad.model import Analysis, Document, Paragraph, Provenance
from marsad.store import open_store
from marsad.store.base import Store

TEXTS = ("قال وزير الخارجية الإسرائيلي إن الاتفاق الأمني مع مصر لم يتغير.",
         "أعلنت تونس والمغرب عن «اتفاق» جديد بقيمة 3 مليون دولار NEAR الحدود.",
         "Covid-19: الرئيس ماكرون يزور الجزائر (AND OR NOT) \"quoted\".")

#: FTS5 and SQL syntax, quoting, our own operators, and characters that trip naive Unicode handling.
PIECES = ('"', "'", "«", "»", "“", "”", "(", ")", "((", "))", "-", "+", "*", "^", ":", "{", "}", "[", "]",
          "OR", "AND", "NOT", "|", "NEAR", "NEAR(", "NEAR/3", "title:", "body:", "doc_fts", "rank", "MATCH",
          "' OR 1=1 --", "\"; DROP TABLE documents; --", "UNION SELECT", "/*", "*/", "\\", "%", "_", "?", ";",
          "\u202e", "\u202b", "\u2067", "\u200f", "\u061c", "\u0651", "\u064e", "\u0300\u0301\u0302", "\u200d",
          "\ufeff", "ـــ", "ﻻ", "🙂", "١٢٣", "اسرائيل", "والاتفاق", "الأمني", "تونس", "مصر", "x" * 300, " ")
QUERIES = st.one_of(st.lists(st.sampled_from(PIECES), max_size=14).map(" ".join),
                    st.lists(st.sampled_from(PIECES), max_size=14).map("".join),
                    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path: Path = tmp_path_factory.mktemp("qfuzz") / "q.db"
    with open_store(path) as s:
        docs = []
        for i, text in enumerate(TEXTS):
            a = Analysis(Document(text=text, provenance=Provenance(source=f"q/{i}.txt", format="page"),
                                  title=f"عنوان {i} <script>", published="2017-01-0" + str(i + 1)))
            a.paragraphs.append(Paragraph(1, 0, len(text)))
            docs.append(a)
        s.add(docs)
    return path


@pytest.fixture(scope="module")
def store(db: Path) -> Iterator[Store]:
    with open_store(db) as s:
        yield s


@settings(max_examples=400, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=QUERIES)
def test_library_gives_results_or_a_one_line_query_error(store: Store, query: str) -> None:
    try:
        result = store.search(query, limit=5)
    except QueryError as exc:
        assert "\n" not in exc.one_line() and exc.reason
        return
    assert 0 <= len(result.hits) <= min(5, result.total)
    for hit in result.hits:
        assert isinstance(hit.snippet, str) and hit.id


def _cli(db: Path, query: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, COLUMNS="200", NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", "marsad", "search", "--db", str(db), "--", query],
                          check=False, capture_output=True, text=True, timeout=60, env=env)


@pytest.mark.slow
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=QUERIES.filter(lambda q: "\x00" not in q))
def test_cli_exits_0_with_results_or_2_with_one_line(db: Path, query: str) -> None:
    proc = _cli(db, query)
    assert "Traceback" not in proc.stderr + proc.stdout
    assert proc.returncode in (0, 2), (proc.returncode, proc.stderr)
    if proc.returncode == 2:
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("marsad: error: bad query"), proc.stderr
    else:
        assert "results" in proc.stdout


@pytest.mark.parametrize("query", ['"', "' OR 1=1 --", "\u202e(\u202c", "((((((((((((((((((((((((((((((((((غزة"])
def test_cli_known_hostile_queries(db: Path, query: str) -> None:
    proc = _cli(db, query)
    assert "Traceback" not in proc.stderr and proc.returncode in (0, 2), proc.stderr


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=QUERIES)
def test_web_search_never_answers_500(db: Path, query: str) -> None:
    from fastapi.testclient import TestClient

    from marsad.web.app import create_app

    global _CLIENT
    if _CLIENT is None:
        _CLIENT = TestClient(create_app(str(db), token="t" * 32), raise_server_exceptions=False)
    for path in ("/api/search", "/search"):
        r = _CLIENT.get(path, params={"q": query})
        assert r.status_code < 500, (path, query, r.status_code, r.text[:300])
        assert "Traceback" not in r.text


_CLIENT = None
