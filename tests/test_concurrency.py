"""Processes at once on one SQLite store: two CLI ingests (overlapping inputs, racing to create the store) and
searches through the CLI, the library and the web API while they write. No corruption, nothing lost or
doubled, and no lock error — let alone a traceback. (Threads sharing one store: tests/test_search_props.py.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from marsad.store import open_store

TOWNS = ("تونس", "الرباط", "القاهرة", "عمان", "بيروت", "الجزائر")


def write_jsonl(path: Path, start: int, n: int) -> None:
    lines = []
    for i in range(start, start + n):
        town = TOWNS[i % len(TOWNS)]
        text = (f"قال وزير الخارجية في {town} إن الاتفاق رقم {i} سيوقع الأسبوع المقبل.\n\n"
                f"وأضاف أن الوفد سيزور مصر لبحث التعاون الأمني، وفق ما نقلت وكالة الأنباء. رقم {i}")
        lines.append(json.dumps({"id": str(i), "title": f"خبر {i} عن {town}", "text": text,
                                 "date": f"2017-01-{1 + i % 28:02d}"}, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def cli(*args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, COLUMNS="200", NO_COLOR="1")
    return subprocess.Popen([sys.executable, "-m", "marsad", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def finish(proc: subprocess.Popen[str]) -> tuple[int, str]:
    out, err = proc.communicate(timeout=300)
    return proc.returncode, out + err


@pytest.mark.slow
def test_two_ingests_and_searches_at_once(tmp_path: Path) -> None:
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    write_jsonl(a, 0, 40)
    write_jsonl(b, 20, 40)  # 20 articles in both files: same content, two sources
    db = tmp_path / "c.db"  # does not exist yet: both ingests race to create it
    procs = [cli("ingest", str(a), "--db", str(db), "-q", "--batch-size", "3"),
             cli("ingest", str(b), "--db", str(db), "-q", "--batch-size", "5")]
    searches: list[tuple[int, str]] = []
    lib_errors: list[Exception] = []

    def library_reader() -> None:
        while any(p.poll() is None for p in procs):
            try:
                if db.exists():
                    with open_store(db, create=False) as store:
                        store.search("الاتفاق")
                        store.stats()
            except Exception as exc:  # noqa: BLE001 - every error is a failure, reported below
                lib_errors.append(exc)
            time.sleep(0.05)

    reader = threading.Thread(target=library_reader)
    reader.start()
    while any(p.poll() is None for p in procs):
        if db.exists():
            searches.append(finish(cli("search", "الاتفاق", "--db", str(db))))
        time.sleep(0.2)
    reader.join()
    results = [finish(p) for p in procs]
    for code, output in results + searches:
        assert "Traceback" not in output and "locked" not in output and "busy" not in output, output
    assert [code for code, _ in results] == [0, 0], results
    assert all(code == 0 for code, _ in searches), searches
    assert lib_errors == []
    with open_store(db) as store:
        stats = store.stats()
        assert (stats["documents"], stats["sources"]) == (60, 80)  # 60 contents, 20 of them seen twice
        assert store.search("الاتفاق").total == 60
        assert store.verify() == []


@pytest.mark.slow
def test_web_answers_searches_while_the_cli_ingests(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from marsad.web.app import create_app

    src = tmp_path / "w.jsonl"
    write_jsonl(src, 0, 80)
    db = tmp_path / "w.db"
    write_jsonl(tmp_path / "seed.jsonl", 1000, 1)
    assert finish(cli("ingest", str(tmp_path / "seed.jsonl"), "--db", str(db), "-q"))[0] == 0
    statuses: list[int] = []
    with TestClient(create_app(str(db), token="t" * 32), raise_server_exceptions=False) as client:
        proc = cli("ingest", str(src), "--db", str(db), "-q", "--batch-size", "2")
        while proc.poll() is None:
            for path in ("/api/search?q=الاتفاق", "/search?q=الاتفاق", "/api/stats"):
                r = client.get(path)
                statuses.append(r.status_code)
                assert r.status_code == 200, (path, r.status_code, r.text[:300])
        code, output = finish(proc)
        assert code == 0 and "Traceback" not in output, output
        assert client.get("/api/search", params={"q": "الاتفاق"}).json()["total"] == 81
    assert len(statuses) >= 3


@pytest.mark.slow
@pytest.mark.postgres
def test_postgresql_two_cli_ingests_while_the_web_answers(tmp_path: Path) -> None:
    """PostgreSQL: two `marsad ingest` processes (overlapping inputs, one fresh database both migrate) while
    the web app searches it; nothing lost or doubled, no error."""
    base = os.environ.get("MARSAD_TEST_PG")
    if not base:
        pytest.skip("MARSAD_TEST_PG not set; scripts/test.sh starts a server and sets it")
    from fastapi.testclient import TestClient
    from test_postgres import fresh_database

    from marsad.web.app import create_app

    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    write_jsonl(a, 0, 40)
    write_jsonl(b, 20, 40)
    for url in fresh_database(base):
        procs = [cli("ingest", str(a), "--db", url, "-q", "--batch-size", "3"),
                 cli("ingest", str(b), "--db", url, "-q", "--batch-size", "5")]
        statuses: list[int] = []
        for _ in range(600):  # the web app needs the migrated schema one of the ingests creates
            with open_store(url) as store:
                if store.stats()["documents"]:
                    break
            time.sleep(0.05)
        with TestClient(create_app(url, token="t" * 32), raise_server_exceptions=False) as client:
            while any(p.poll() is None for p in procs):
                for path in ("/api/search?q=الاتفاق", "/search?q=الاتفاق", "/api/stats", "/api/entities"):
                    r = client.get(path)
                    statuses.append(r.status_code)
                    assert r.status_code == 200, (path, r.status_code, r.text[:300])
            results = [finish(p) for p in procs]
            for code, output in results:
                assert code == 0 and "Traceback" not in output, output
            assert client.get("/api/search", params={"q": "الاتفاق"}).json()["total"] == 60
        with open_store(url) as store:
            stats = store.stats()
            assert (stats["documents"], stats["sources"]) == (60, 80)
            assert store.verify() == []
        assert statuses
