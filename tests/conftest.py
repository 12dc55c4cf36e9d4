"""Shared test fixtures and the span-consistency helper used across stage tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from marsad.model import Analysis

REPO = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("MARSAD_DATA", REPO.parent / "shared" / "data"))
SEED_DIR = REPO.parent / "shared" / "samples" / "seed"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    if not DATA.is_dir():
        pytest.skip(f"shared data not found at {DATA}")
    return DATA


@pytest.fixture(scope="session")
def seed_path() -> Path:
    path = SEED_DIR / "article.txt"
    if not path.is_file():
        pytest.skip(f"seed article not found at {path}")
    return path


@pytest.fixture(scope="session")
def seed_expected() -> dict:
    import json

    path = SEED_DIR / "expected.json"
    if not path.is_file():
        pytest.skip(f"seed expectations not found at {path}")
    return json.loads(path.read_text(encoding="utf-8"))


def assert_spans(a: Analysis) -> None:
    """Every span of every layer points into the raw text and its text is exactly raw[start:end]."""
    raw = a.document.text
    n = len(raw)
    for p in a.paragraphs:
        assert 0 <= p.start <= p.end <= n
        for s in p.sentences:
            assert p.start <= s.start <= s.end <= p.end
            for t in s.tokens:
                assert s.start <= t.start < t.end <= s.end
    for m in a.mentions:
        assert 0 <= m.start < m.end <= n and raw[m.start:m.end] == m.text, m
    for q in a.quotes:
        assert 0 <= q.start <= q.end <= n and raw[q.start:q.end] == q.text, q
    for e in a.events:
        assert raw[e.trigger_start:e.trigger_end] == e.trigger, e
        for arg in e.arguments:
            assert raw[arg.start:arg.end] == arg.text, arg
