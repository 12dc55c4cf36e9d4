"""`marsad events` / `marsad quotes` through the real CLI runner, checked against the stored analyses."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from marsad.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> str:
    path = str(tmp_path_factory.mktemp("listing") / "m.db")
    result = runner.invoke(app, ["ingest", str(seed_path), "samples", "--db", path, "--quiet"])
    assert result.exit_code == 0, result.output
    return path


def test_arms_deal_of_morocco_as_csv(db: str) -> None:
    result = runner.invoke(app, ["events", "--db", db, "--type", "arms_transfer", "--actor", "المغرب", "--to", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 1
    deal = rows[0]
    assert (deal["actor1"], deal["actor2"], deal["item"]) == ("الصناعات الجوية الإسرائيلية", "المغرب", "هاروف")
    assert deal["value"] == "22 مليون دولار" and deal["cameo"] == "062"


def test_event_filters_narrow_and_dates_bound(db: str) -> None:
    every = json.loads(runner.invoke(app, ["events", "--db", db, "--json"]).stdout)
    meets = json.loads(runner.invoke(app, ["events", "--db", db, "--type", "MEET", "--json"]).stdout)
    assert meets and all(r["event_type"] == "MEET" for r in meets) and len(meets) < len(every)
    future = json.loads(runner.invoke(app, ["events", "--db", db, "--since", "2999", "--json"]).stdout)
    assert future == []


def test_quotes_by_speaker(db: str) -> None:
    result = runner.invoke(app, ["quotes", "--db", db, "--speaker", "غانتس", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["speaker"] for r in rows] == ["بيني غانتس"]
    assert rows[0]["text"].startswith("كان من دواعي سروري اليوم")
    assert rows[0]["channel"] == "تويتر"


def test_bad_output_format_is_a_usage_error(db: str) -> None:
    result = runner.invoke(app, ["events", "--db", db, "--to", "xml"])
    assert result.exit_code == 2
