"""Flat event/quote rows (GDELT-like) from the seed on hand-built mentions."""

from __future__ import annotations

import pytest
from test_events_seed import SEED, seed_analysis

from marsad.nlp.events import find_events
from marsad.nlp.events.export import event_rows, quote_rows
from marsad.nlp.quotes import find_quotes

pytestmark = pytest.mark.skipif(not (SEED / "article.txt").exists(), reason="shared seed sample not present")


def test_event_rows_for_the_arms_deal_and_the_signing() -> None:
    a = find_events(find_quotes(seed_analysis()))
    rows = {r["event_type"]: r for r in event_rows(a)}
    deal = rows["ARMS_TRANSFER"]
    assert (deal["actor1"], deal["actor2"], deal["item"], deal["value"]) == (
        "الصناعات الجوية الإسرائيلية", "المغرب", "هاروف", "22 مليون دولار")
    assert deal["root_code"] == "06" and deal["status"] == "ordered" and deal["date"] == "2021-12-01"
    sign = rows["SIGN_AGREEMENT"]
    assert (sign["actor1"], sign["actor2"], sign["cameo"]) == ("المغرب", "إسرائيل", "057")
    assert sign["key"].startswith("SIGN_AGREEMENT|")
    assert a.text[sign["trigger_start"]:sign["trigger_end"]] == sign["trigger"]


def test_quote_rows() -> None:
    a = find_quotes(seed_analysis())
    row = next(r for r in quote_rows(a) if r["paragraph"] == 2)
    assert (row["speaker"], row["verb"], row["channel"]) == ("بيني غانتس", "قال", "تويتر")
    assert a.text[row["start"]:row["end"]] == row["text"]
