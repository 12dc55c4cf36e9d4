"""marsad load: Parquet (as spark-ingest writes it) into PostgreSQL with COPY — idempotent, all or nothing,
and the same store as adding the analyses one by one."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_postgres import TEXT_A, TEXT_B, fresh_database, make, pg_url  # noqa: F401 - fixture

from marsad.errors import StoreError
from marsad.model import Analysis, Entity, Mention
from marsad.store import open_store
from marsad.store.loader import load_parquet
from marsad.store.parquet_tables import analysis_rows, error_row, write_tables

pytestmark = pytest.mark.postgres
NOW = "2024-01-01T00:00:00+00:00"


def analyses() -> list[Analysis]:
    a = make(TEXT_A, "news/a.txt", published="2017-01-02")
    a.mentions.append(Mention("GPE", 5, 12, "إسرائيل", 1, "اسرائيل", confidence=1))  # an int confidence
    a.entities.append(Entity("e1", "GPE", "إسرائيل", mentions=[0], variants=["إسرائيل"]))
    return [a, make(TEXT_B, "news/b.txt"), make(TEXT_A, "mirror/a.txt"),
            *[make(f"{TEXT_B} رقم {i}", f"news/n{i}.txt") for i in range(5)]]


def write(folder: Path, items: list[Analysis]) -> None:
    rows = [r for a in items for r in analysis_rows(a, NOW)]
    write_tables([*rows, error_row("bad.jsonl", "line 3", "read", "invalid JSON")], str(folder), rows_per_file=3)


@pytest.fixture
def other_url() -> Iterator[str]:
    import os

    yield from fresh_database(os.environ["MARSAD_TEST_PG"])


def test_load_twice_adds_once_and_equals_adding(pg_url: str, other_url: str, tmp_path: Path) -> None:  # noqa: F811
    write(tmp_path / "out", analyses())
    with open_store(pg_url) as store:
        first = load_parquet(str(tmp_path / "out"), store)
        assert (first.records, first.added, first.duplicates, first.unchanged, first.errors) == (8, 7, 1, 0, 1)
        again = load_parquet(str(tmp_path / "out"), store)
        assert (again.added, again.duplicates, again.unchanged) == (0, 0, 8)
        assert store.verify() == []
        loaded = store.stats()
        docs = list(store.iter_documents())
        hits = store.search("الهجرة", limit=50)
    with open_store(other_url) as direct:
        direct.add(analyses())
        want = direct.stats()
        want_docs = list(direct.iter_documents())
        want_hits = direct.search("الهجرة", limit=50)
    for key in ("documents", "sources", "duplicates", "paragraphs", "mentions", "entities", "first_published"):
        assert loaded[key] == want[key], key
    assert [d["id"] for d in docs] == [d["id"] for d in want_docs]  # same keys, same order
    assert docs[0]["entities"] == want_docs[0]["entities"]
    assert sorted(s["source"] for s in docs[0]["sources"]) == ["mirror/a.txt", "news/a.txt"]
    assert [(h.id, h.snippet) for h in hits.hits] == [(h.id, h.snippet) for h in want_hits.hits]


def test_load_after_add_records_new_sources_only(pg_url: str, tmp_path: Path) -> None:  # noqa: F811
    write(tmp_path / "out", analyses())
    with open_store(pg_url) as store:
        store.add(analyses()[:2])
        report = load_parquet(str(tmp_path / "out"), store)
        assert (report.added, report.duplicates, report.unchanged) == (5, 1, 2)
        assert store.stats()["documents"] == 7 and store.verify() == []


def test_a_failed_load_leaves_nothing_and_bad_folders_are_refused(pg_url: str, tmp_path: Path) -> None:  # noqa: F811
    write(tmp_path / "out", analyses())
    import psycopg

    with open_store(pg_url) as store:
        with psycopg.connect(pg_url, autocommit=True) as db:
            db.execute("ALTER TABLE entities ADD CONSTRAINT boom CHECK (type <> 'GPE')")
        with pytest.raises(StoreError, match="nothing was loaded"):
            load_parquet(str(tmp_path / "out"), store)
        assert store.stats()["documents"] == 0
        with pytest.raises(StoreError, match="manifest"):
            load_parquet(str(tmp_path), store)
        manifest = tmp_path / "out" / "manifest.json"
        manifest.write_text(json.dumps({"layout_version": 99}), encoding="utf-8")
        with pytest.raises(StoreError, match="layout"):
            load_parquet(str(tmp_path / "out"), store)
    with open_store(tmp_path / "lite.db") as lite, pytest.raises(StoreError, match="PostgreSQL only"):
        load_parquet(str(tmp_path / "out"), lite)


def test_the_load_command_reports_and_is_idempotent(pg_url: str, tmp_path: Path) -> None:  # noqa: F811
    import subprocess
    import sys

    write(tmp_path / "out", analyses())
    cmd = [sys.executable, "-m", "marsad", "load", str(tmp_path / "out"), "--db", pg_url, "--json"]
    first = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=True)
    assert json.loads(first.stdout)["added"] == 7
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=True)
    assert json.loads(again.stdout)["unchanged"] == 8
    bad = subprocess.run([*cmd[:4], str(tmp_path), "--db", pg_url], capture_output=True, text=True, timeout=120,
                         check=False)
    assert bad.returncode == 2 and "manifest" in bad.stderr
