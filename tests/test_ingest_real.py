"""Readers on the real corpora in ../shared/data/news (slow: 10k files)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from marsad.errors import IngestError
from marsad.ingest import read
from marsad.model import Analysis, Document
from marsad.nlp.layout import layout

DATA = Path(os.environ.get("MARSAD_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
NEWS = DATA / "news"

pytestmark = pytest.mark.slow


def _split(inputs: list[str]) -> tuple[list[Document], list[IngestError]]:
    out = list(read(inputs))
    return ([o for o in out if isinstance(o, Document)], [o for o in out if isinstance(o, IngestError)])


def test_ant_jawharafm_reads_every_article() -> None:
    docs, errors = _split([str(NEWS / "ant_jawharafm")])
    assert not errors
    assert len(docs) == 10161
    assert all(d.provenance.format == "trec" for d in docs)
    assert sum(1 for d in docs if not d.title) == 4  # four localNews files have an empty <TITLE>
    assert sum(1 for d in docs if d.published and d.published[:2] == "20") == 10161
    assert sum(1 for d in docs if not d.text) == 23  # headline-only articles, kept
    assert len({d.provenance.record for d in docs}) == 10161
    for d in docs[:200]:
        paras = layout(Analysis(document=d)).paragraphs
        assert all(d.text[p.start:p.end].strip() == d.text[p.start:p.end] for p in paras)


def test_marsum_csv_reads_every_article_with_headline() -> None:
    docs, errors = _split([str(NEWS / "marsum_goud")])
    assert not errors
    assert len(docs) == 1981
    assert all(d.provenance.format == "csv" and d.title and d.text for d in docs)
    assert all(d.title == d.meta["summary"] for d in docs)
    assert docs[0].title == "كوريا داعمة المغرب على الصحرا ديالو"
