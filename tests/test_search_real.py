"""Search over real articles (ANT, Jawhara FM): every spelling and clitic form finds the same documents."""

from __future__ import annotations

import re
from itertools import islice
from pathlib import Path

import pytest

from marsad.errors import MarsadError
from marsad.ingest import read
from marsad.pipeline import Pipeline
from marsad.store import open_store


@pytest.mark.slow
def test_spelling_and_clitic_variants_agree_on_real_news(data_dir: Path, tmp_path: Path) -> None:
    layout = Pipeline(["layout"])
    docs = [d for d in islice(read([str(data_dir / "news" / "ant_jawharafm" / "internationalNews")]), 1500)
            if not isinstance(d, MarsadError)]
    with open_store(tmp_path / "real.db") as store:
        store.add_batches(layout(d) for d in docs)
        groups = [["إسرائيل", "اسرائيل", "وإسرائيل", "لإسرائيل"], ["الاتفاق", "والاتفاق", "اتفاق"]]
        for group in groups:
            results = [store.search(q, limit=1000) for q in group]
            assert results[0].total > 5
            assert all({h.id for h in r.hits} == {h.id for h in results[0].hits} for r in results)
            # every document with the bare form or a clitic form (وإسرائيل, لإسرائيل ...) is a hit
            texts = {d.id: d.text for d in docs}
            with_clitic = {i for i, t in texts.items() if re.search(rf"(?<!\w)[وفبل]{group[0]}(?!\w)", t)}
            bare = {i for i, t in texts.items() if re.search(rf"(?<!\w){group[0]}(?!\w)", t)}
            hits = {h.id for h in results[0].hits}
            assert with_clitic and with_clitic <= hits and bare <= hits
