"""Ingest-time duplicates and stories in PostgreSQL (schema v2; env MARSAD_TEST_PG): the same rows and answers
as the SQLite store for the same articles, across restarts, two writers and an upgrade from schema v1; the
CLI commands over them; entity corrections."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_postgres import fresh_database  # tests/ is on sys.path
from test_store_v3 import add_in_batches, corpus, frequent_sweeps  # noqa: F401  (autouse fixture)
from typer.testing import CliRunner

from marsad.model import Analysis
from marsad.store import open_store
from marsad.store.base import Store
from marsad.store.sqlite import SQLiteStore

psycopg = pytest.importorskip("psycopg")
pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_url() -> Iterator[str]:
    yield from fresh_database(os.environ.get("MARSAD_TEST_PG") or pytest.skip("MARSAD_TEST_PG not set"))


@pytest.fixture(scope="module")
def docs() -> list[Analysis]:
    return corpus()


def answers(store: Store) -> dict[str, Any]:
    """What the tracking tables answer, comparable across backends."""
    stories = [(s.id, s.title, s.first, s.last, s.articles, dict(s.sources), dict(s.entities))
               for s in store.list_stories()]
    first = store.list_stories()[0].id
    story = store.story(first)
    return {"groups": store.near_duplicate_groups(), "stories": stories,
            "big": [s.id for s in store.list_stories(min_articles=3)],
            "story": (story.id, story.articles) if story else None}


@pytest.fixture(scope="module")
def expected(docs: list[Analysis], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    with pytest.MonkeyPatch.context() as mp:
        from marsad.stories import StoryClusterer

        mp.setattr(StoryClusterer, "sweep_every", 7)
        with SQLiteStore(tmp_path_factory.mktemp("ref") / "ref.db") as store:
            add_in_batches(store, docs)
            out = answers(store)
    assert out["groups"] and any(g["copies"] for g in out["groups"]) and len(out["big"]) >= 1
    return out


def test_postgres_keeps_the_same_duplicates_and_stories_as_sqlite(pg_url: str, docs: list[Analysis],
                                                                 expected: dict[str, Any]) -> None:
    with open_store(pg_url) as store:
        assert store.tracks_at_ingest
        add_in_batches(store, docs)
        assert answers(store) == expected
        assert store.verify() == [] and store.update_tracking() == 0
        assert store.story("S999999") is None


def test_restart_and_two_writers_equal_one_run(pg_url: str, docs: list[Analysis], expected: dict[str, Any]) -> None:
    half = len(docs) // 2 + 1
    with open_store(pg_url) as store:
        add_in_batches(store, docs[:half])
    a, b = open_store(pg_url), open_store(pg_url)  # rebuilt from the rows; then each sees the other's writes
    try:
        for k in range(half, len(docs), 5):
            (a if (k // 5) % 2 else b).add(docs[k:k + 5])
        assert answers(a) == expected and a.verify() == []
    finally:
        a.close()
        b.close()


def test_a_v1_store_upgrades_and_catches_up(pg_url: str, docs: list[Analysis], expected: dict[str, Any],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import marsad.store.postgres as pg

    every = pg.migrations()
    monkeypatch.setattr(pg, "migrations", lambda: every[:1])
    with pg.PostgresStore(pg_url, track=False) as store:  # the release before the tracking tables
        add_in_batches(store, docs[:20])
        assert store.stats()["schema_version"] == 1
    monkeypatch.setattr(pg, "migrations", lambda: every)
    with open_store(pg_url) as store:
        assert store.stats()["schema_version"] == 2
        assert store.verify() == []  # untracked documents are no problem (bulk loads leave them too)
        stored = store.stats()["documents"]
        assert stored >= 19 and store.update_tracking() == stored and store.update_tracking() == 0
        add_in_batches(store, docs[20:])
        assert answers(store) == expected


def test_entity_corrections_survive_on_postgres(pg_url: str) -> None:
    with open_store(pg_url) as store:
        store.add_entity_override("merge", "a1", "b2")
        store.add_entity_override("split", "c3", variants=["غانتس"])
    with open_store(pg_url) as store:
        rows = store.entity_overrides()
    assert [(r["kind"], r["a"], r["b"], r["variants"]) for r in rows] == [
        ("merge", "a1", "b2", None), ("split", "c3", None, ["غانتس"])]


def test_cli_duplicates_stories_story_and_brief_agree_on_both_backends(pg_url: str, docs: list[Analysis],
                                                                       tmp_path: Path) -> None:
    from marsad.cli import app

    lite = str(tmp_path / "t.db")
    for url in (lite, pg_url):
        with open_store(url) as store:
            add_in_batches(store, docs)
    runner = CliRunner()

    def run(*args: str) -> list[Any]:
        outs = []
        for url in (lite, pg_url):
            r = runner.invoke(app, [*args, "--db", url])
            assert r.exit_code == 0, r.output
            outs.append(r.stdout)
        return outs

    a, b = run("duplicates", "--json")
    assert json.loads(a) == json.loads(b) != []
    a, b = run("stories", "--json", "--min-articles", "2")
    assert json.loads(a) == json.loads(b) != []
    a, b = run("story", json.loads(a)[0]["id"], "--json")
    assert json.loads(a) == json.loads(b)
    a, b = run("brief", "--format", "json")
    assert json.loads(a) == json.loads(b)


def test_the_web_app_observes_articles_stored_without_tracking(pg_url: str, docs: list[Analysis],
                                                               expected: dict[str, Any]) -> None:
    import time

    from fastapi.testclient import TestClient

    from marsad.store.postgres import PostgresStore
    from marsad.web.app import create_app

    with PostgresStore(pg_url, track=False) as store:  # as a bulk load (`marsad load`) leaves them
        add_in_batches(store, docs)
        assert store.list_stories() == []
    with TestClient(create_app(pg_url, warm_caches=True)) as client:
        for _ in range(200):
            if "stories" in client.app.state.web.cache:
                break
            time.sleep(0.05)
        items = client.get("/api/stories", params={"min_articles": 3, "limit": 100}).json()["items"]
    assert sorted(s["id"] for s in items) == sorted(expected["big"])


def test_entity_rows_and_layer_queries_equal_sqlite(pg_url: str, tmp_path: Path) -> None:
    from test_store_v3 import entity_analyses

    with SQLiteStore(tmp_path / "t.db") as lite, open_store(pg_url) as pg:
        for store in (lite, pg):
            store.add(entity_analyses())
        rows = list(lite.iter_entity_rows())
        assert rows and list(pg.iter_entity_rows()) == rows
        assert pg.entity_counts() == lite.entity_counts() and pg.entity_counts()[0] > 0
        assert pg.entity_counts(type="PLACE", q="المغرب") == lite.entity_counts(type="PLACE", q="المغرب")
        assert pg.events() == lite.events() and pg.quotes() == lite.quotes()
