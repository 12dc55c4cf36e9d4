"""Short version of the web load run (bench/web_bench.py; full figures in docs/reliability.md): a real
`marsad serve` over real articles, 20 concurrent clients a scenario, on SQLite and on PostgreSQL — zero errors."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import DATA, REPO
from test_postgres import fresh_database

pytestmark = pytest.mark.slow
SCENARIO = re.compile(r"^(search page|search API|article page|article API)\s+\S+\s+(\d+)\s+(\d+)\s", re.MULTILINE)


@pytest.fixture(scope="module")
def articles() -> list[str]:
    folder = DATA / "news" / "ant_jawharafm" / "politic"
    if not folder.is_dir():
        pytest.skip(f"{folder} not found (set MARSAD_DATA)")
    return [str(p) for p in sorted(folder.iterdir())[:40]]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield str(tmp_path / "load.db")
        return
    base = os.environ.get("MARSAD_TEST_PG")
    if not base:
        pytest.skip("MARSAD_TEST_PG not set; scripts/test.sh starts a server and sets it")
    yield from fresh_database(base)


def test_concurrent_clients_get_no_errors(articles: list[str], store_url: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "MARSAD_DB"}
    ingest = subprocess.run([sys.executable, "-m", "marsad", "ingest", *articles, "--db", store_url],
                            capture_output=True, text=True, env=env, timeout=600, check=False)
    assert ingest.returncode == 0, ingest.stderr
    proc = subprocess.run([sys.executable, str(REPO / "bench" / "web_bench.py"), "--db", store_url, "--clients", "20",
                           "--seconds", "3", "--targets", "20"],
                          capture_output=True, text=True, env=env, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "store: 40 articles" in proc.stdout
    rows = SCENARIO.findall(proc.stdout)
    assert len(rows) == 4, proc.stdout
    for name, requests, errors in rows:
        assert int(requests) > 0 and int(errors) == 0, (name, proc.stdout)
