"""SIGKILL the real ``marsad ingest`` over real articles (short version of bench/crash_harness.py, 100+ trials
there). tests/test_store_crash.py kills a library writer of synthetic articles; this kills the CLI end to end."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

import pytest

HARNESS = Path(__file__).resolve().parent.parent / "bench" / "crash_harness.py"


def _harness():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("crash_harness", HARNESS)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["crash_harness"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_sigkilled_ingests_lose_nothing_and_leave_no_half_article(data_dir: Path, tmp_path: Path) -> None:
    h = _harness()
    h.NEWS = data_dir / "news"
    h.CALIBRATION = h.calibrate(tmp_path)
    rng = random.Random(11)
    trials = [h.trial(i, rng, tmp_path, 12, False) for i in range(5)]
    for t in trials:
        assert t.problems == [] and t.lost == 0 and t.duplicates == 0, t
    assert sum(t.expected for t in trials) >= 5 * 6


def test_check_store_finds_a_half_written_article(tmp_path: Path) -> None:
    """The checker must be able to fail: delete one paragraph row behind the store's back."""
    import sqlite3

    from marsad.model import Analysis, Document, Paragraph, Provenance
    from marsad.store import open_store

    h = _harness()
    db = tmp_path / "h.db"
    text = "فقرة أولى عن تونس\nفقرة ثانية عن المغرب"
    a = Analysis(Document(text=text, provenance=Provenance(source="h.txt", format="page")))
    a.paragraphs += [Paragraph(1, 0, 17), Paragraph(2, 18, len(text))]
    with open_store(db) as store:
        store.add([a])
    assert h.check_store(db)[0] == []
    con = sqlite3.connect(db)
    con.execute("DELETE FROM paragraphs WHERE idx = 2")
    con.commit()
    con.close()
    problems = h.check_store(db)[0]
    assert any("paragraphs rows 1, JSON 2" in p for p in problems), problems
