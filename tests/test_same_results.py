"""The same real articles give the same documents, entities, events, quotes and search hits whichever path
they take: `marsad ingest` into SQLite, `marsad ingest` into PostgreSQL, and Spark + `marsad load`."""

from __future__ import annotations

import os
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_postgres import fresh_database

from marsad.store import open_store
from marsad.store.base import Store
from marsad.workflows import ingest

pytestmark = [pytest.mark.slow, pytest.mark.postgres]
QUERIES = ["تونس", "وزير", '"وزارة الشؤون الثقافية"', "مهرجان OR فيلم", "فيلم -تونس", "ثقاف*", "الحكومة",
           "Jawhara", "2017"]


@pytest.fixture(scope="module")
def inputs(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    folder = data_dir / "news" / "ant_jawharafm"
    files = [p for cat in ("culture", "politic") if (folder / cat).is_dir()
             for p in sorted((folder / cat).iterdir())[:10]]
    if len(files) < 10:
        pytest.skip(f"too few ANT articles under {folder}")
    tmp = tmp_path_factory.mktemp("same")
    with zipfile.ZipFile(tmp / "mirror.zip", "w") as zf:  # two articles again, from another source
        for p in files[:2]:
            zf.write(p, f"mirror/{p.name}")
    (tmp / "broken.jsonl").write_text('{"text": "نص"\n', encoding="utf-8")
    return [*map(str, files), str(tmp / "mirror.zip"), str(tmp / "broken.jsonl")]


def _pg_base() -> str:
    base = os.environ.get("MARSAD_TEST_PG")
    if not base:
        pytest.skip("MARSAD_TEST_PG not set (scripts/test.sh starts a server and sets it)")
    return base


@pytest.fixture(scope="module")
def sqlite_store(inputs: list[str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    with open_store(tmp_path_factory.mktemp("lite") / "s.db") as store:
        report = ingest(inputs, store)
        assert report.skipped == 1 and report.duplicates == 2
        yield store


@pytest.fixture(scope="module")
def pg_store(inputs: list[str]) -> Iterator[Store]:
    for url in fresh_database(_pg_base()):
        with open_store(url) as store:
            ingest(inputs, store)
            yield store


@pytest.fixture(scope="module")
def spark_store(inputs: list[str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    base = _pg_base()
    pytest.importorskip("pyspark")
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        pytest.skip("Spark needs Java 17+ (apt-get install default-jre-headless)")
    from marsad.spark import spark_ingest
    from marsad.store.loader import load_parquet

    out = tmp_path_factory.mktemp("spark") / "out"
    report = spark_ingest(inputs, str(out), master="local[2]")
    assert report.counts["errors"] == 1
    for url in fresh_database(base):
        with open_store(url) as store:
            load_parquet(str(out), store)
            yield store


def snapshot(store: Store) -> dict[str, Any]:
    """Everything that must agree, without the ingestion times."""
    docs = {}
    for doc in store.iter_documents():
        doc = dict(doc)
        doc["source"] = {k: v for k, v in doc["source"].items() if k != "ingested_at"}
        doc["sources"] = sorted((s["source"], s["record"] or "") for s in doc["sources"])
        docs[doc["id"]] = doc
    stats = {k: v for k, v in store.stats().items() if k not in ("db_bytes", "path", "schema_version")}
    hits = {}
    for q in QUERIES:
        result = store.search(q, limit=1000)
        hits[q] = (result.total, sorted((h.id, h.snippet) for h in result.hits))
    return {"docs": docs, "stats": stats, "hits": hits}


@pytest.fixture(scope="module")
def expected(sqlite_store: Store) -> dict[str, Any]:
    snap = snapshot(sqlite_store)
    assert len(snap["docs"]) >= 10 and any(d["entities"] for d in snap["docs"].values())
    assert all(snap["hits"][q][0] > 0 for q in QUERIES[:3])
    return snap


def _same(got: dict[str, Any], want: dict[str, Any]) -> None:
    assert list(got["docs"]) == list(want["docs"])  # same documents, stored in the same order
    for doc_id, doc in want["docs"].items():
        for key in ("entities", "events", "quotes", "paragraphs", "title", "published", "sources"):
            assert got["docs"][doc_id][key] == doc[key], (doc_id, key)
        assert got["docs"][doc_id] == doc, doc_id
    assert got["stats"] == want["stats"]
    for q in QUERIES:
        assert got["hits"][q] == want["hits"][q], q


def test_postgresql_ingest_matches_sqlite(pg_store: Store, expected: dict[str, Any]) -> None:
    _same(snapshot(pg_store), expected)


def test_spark_then_load_matches_sqlite(spark_store: Store, expected: dict[str, Any]) -> None:
    _same(snapshot(spark_store), expected)
