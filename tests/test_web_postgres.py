"""The web app over a PostgreSQL store (env MARSAD_TEST_PG): every API route and page answers, and gives the
same results as over an SQLite store holding the same articles (search: same hits; scores differ by design)."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
psycopg = pytest.importorskip("psycopg")

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from test_postgres import fresh_database  # tests/ is on sys.path
from test_web_api import GANTZ, HOSTILE, RECORDS, TOKEN

from marsad.store import open_store
from marsad.web.app import create_app
from marsad.workflows import ingest

pytestmark = pytest.mark.postgres

INGEST_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")


def _records_file(folder: Path) -> Path:
    RECORDS[2]["text"] = RECORDS[0]["text"]
    path = folder / "records.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in RECORDS) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    yield from fresh_database(os.environ.get("MARSAD_TEST_PG") or pytest.skip("MARSAD_TEST_PG not set"))


@pytest.fixture(scope="module")
def clients(pg_url: str, tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> Iterator[dict[str, TestClient]]:
    folder = tmp_path_factory.mktemp("webpg")
    inputs = [str(seed_path), str(_records_file(folder))]
    sqlite_path = str(folder / "web.db")
    for url in (sqlite_path, pg_url):
        with open_store(url) as store:
            report = ingest(inputs, store)
        assert report.added == 5, report.problems
    with TestClient(create_app(sqlite_path, token=TOKEN)) as lite, TestClient(create_app(pg_url, token=TOKEN)) as pg:
        yield {"sqlite": lite, "pg": pg}


def _strip(value: Any) -> Any:
    """Drop what legitimately differs between two stores: ingest times, store size, schema version."""
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items()
                if k not in ("ingested_at", "db_bytes", "schema_version", "generated", "generated_at")}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def both(clients: dict[str, TestClient], path: str, params: dict[str, Any] | None = None) -> tuple[Any, Any]:
    lite, pg = (clients[k].get(path, params=params) for k in ("sqlite", "pg"))
    assert pg.status_code == lite.status_code, (path, params, pg.status_code, pg.text[:300])
    if pg.headers.get("content-type", "").startswith("application/json"):
        return _strip(lite.json()), _strip(pg.json())
    return tuple(INGEST_TIME.sub("<ingest time>", r.text) for r in (lite, pg))  # type: ignore[return-value]


def first_id(clients: dict[str, TestClient], path: str, params: dict[str, Any] | None = None) -> str:
    return str(clients["sqlite"].get(path, params=params).json()["items"][0]["id"])


@pytest.mark.parametrize(("path", "params"), [
    ("/api/articles", {}),
    ("/api/articles", {"limit": 2, "offset": 1}),
    ("/api/articles", {"source": "hespress"}),
    ("/api/articles", {"source": "HESPRESS"}),
    ("/api/articles", {"since": "2022-03", "until": "2022-03-05"}),
    ("/api/articles", {"entity": GANTZ}),
    ("/api/articles", {"event_type": "MEET"}),
    ("/api/entities", {}),
    ("/api/entities", {"type": "PLACE"}),
    ("/api/entities", {"q": "اسبانيا"}),
    ("/api/entities", {"q": "Spain"}),
    ("/api/entities", {"q": "\x00غانتس"}),
    ("/api/entities/" + GANTZ, {}),
    ("/api/entities/nobody-at-all", {}),
    ("/api/events", {}),
    ("/api/events", {"type": "MEET", "since": "2022", "until": "2022-03"}),
    ("/api/events", {"entity": GANTZ, "source": "hespress"}),
    ("/api/events.csv", {}),
    ("/api/quotes", {}),
    ("/api/quotes", {"entity": GANTZ}),
    ("/api/speakers", {}),
    ("/api/stories", {"min_articles": 1}),
    ("/api/stats", {}),
    ("/api/brief", {"since": "2022-03-01"}),
    ("/api/brief", {"since": "7d", "topic": "غانتس"}),
    ("/api/search", {"q": "\"", "limit": 5}),
])
def test_api_answers_the_same_on_both_backends(clients: dict[str, TestClient], path: str,
                                               params: dict[str, Any]) -> None:
    lite, pg = both(clients, path, params)
    assert pg == lite


@pytest.mark.parametrize("params", [{"q": "غانتس"}, {"q": "واشنطن OR مدريد"}, {"q": "\"صفقة أسلحة\""},
                                    {"q": "غانتس", "source": "hespress"}, {"q": "غانتس", "since": "2022-03-02"},
                                    {"q": "غانتس", "entity": GANTZ}, {"q": "غانتس", "event_type": "MEET"}])
def test_search_finds_the_same_articles(clients: dict[str, TestClient], params: dict[str, str]) -> None:
    lite, pg = both(clients, "/api/search", {**params, "limit": 100})
    assert pg["total"] == lite["total"] > 0
    assert sorted(h["id"] for h in pg["items"]) == sorted(h["id"] for h in lite["items"])
    snippets = {h["id"]: h["snippet"] for h in lite["items"]}
    assert all(h["snippet"] == snippets[h["id"]] for h in pg["items"])


def test_article_copies_and_stories_agree(clients: dict[str, TestClient]) -> None:
    for item in clients["sqlite"].get("/api/articles", params={"limit": 100}).json()["items"]:
        lite, pg = both(clients, f"/api/articles/{item['id']}")
        assert pg == lite
        lite, pg = both(clients, f"/api/articles/{item['id']}/copies")
        assert pg == lite
    copies = clients["pg"].get(f"/api/articles/{first_id(clients, '/api/articles', {'source': 'hespress'})}/copies")
    assert [c["source"] for c in copies.json()["items"]] == ["repost"]
    story = first_id(clients, "/api/stories", {"min_articles": 1})
    lite, pg = both(clients, f"/api/stories/{story}")
    assert pg == lite and pg["articles"]


@pytest.mark.parametrize("path", ["/", "/search", "/search?q=غانتس&source=hespress", "/entities", "/entities?type=PLACE",
                                  "/events", "/quotes", "/stories?min_articles=1", "/brief?since=2022-03-01",
                                  "/entity/" + GANTZ])
def test_pages_render_the_same(clients: dict[str, TestClient], path: str) -> None:
    lite, pg = both(clients, path)
    assert "Traceback" not in pg and pg == lite


def test_article_and_story_pages_render_the_same(clients: dict[str, TestClient]) -> None:
    doc = first_id(clients, "/api/articles", {"source": "hespress"})
    story = first_id(clients, "/api/stories", {"min_articles": 1})
    for path in (f"/article/{doc}", f"/story/{story}"):
        lite, pg = both(clients, path)
        assert pg == lite


def test_upload_with_the_token_lands_in_postgres(clients: dict[str, TestClient]) -> None:
    text = "أعلنت تونس عن اتفاق جديد مع الاتحاد الأوروبي حول الهجرة في العاصمة تونس.".encode()
    assert clients["pg"].post("/api/ingest", files={"file": ("a.txt", text)}).status_code == 401
    for name in ("pg", "sqlite"):  # both stores, so later comparisons still hold the same articles
        r = clients[name].post("/api/ingest", files={"file": ("a.txt", text)},
                               headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 200 and r.json()["added"] == 1
    pg, doc = clients["pg"], r.json()["ids"][0]
    assert pg.get(f"/api/articles/{doc}").json()["id"] == doc
    assert pg.get("/api/search", params={"q": "الهجرة"}).json()["items"][0]["id"] == doc
    assert pg.get("/api/stats").json()["documents"] == 6  # caches follow the new content
    lite, pgs = both(clients, "/api/stories", {"min_articles": 1, "limit": 100})
    assert pgs == lite


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=HOSTILE, source=HOSTILE, entity=HOSTILE)
def test_hostile_parameters_get_the_same_answer_and_never_a_500(clients: dict[str, TestClient], q: str, source: str,
                                                                 entity: str) -> None:
    for url, params in (("/api/search", {"q": q, "source": source}), ("/search", {"q": q, "entity": entity}),
                        ("/api/articles", {"source": source, "entity": entity}), ("/api/entities", {"q": q}),
                        ("/api/quotes", {"speaker": q}), ("/api/events", {"source": source})):
        lite, pg = (clients[k].get(url, params=params) for k in ("sqlite", "pg"))
        assert pg.status_code == lite.status_code in (200, 400, 404, 422), (url, params, pg.text[:300])
        assert "Traceback" not in pg.text
        if pg.status_code == 200 and url == "/api/search":
            assert sorted(h["id"] for h in pg.json()["items"]) == sorted(h["id"] for h in lite.json()["items"])
        elif pg.status_code == 200 and url.startswith("/api/"):
            assert _strip(pg.json()) == _strip(lite.json()), (url, params)
