"""Publication dates from source fields become ISO 8601 where the format is known, else stay as given."""

from __future__ import annotations

import pytest

from marsad.ingest.common import clean_date


@pytest.mark.parametrize("value,expected", [
    ("2017-01-21T20:46:00+01:00", "2017-01-21T20:46:00+01:00"),
    ("2024-03-05", "2024-03-05"),
    ("2024-03-05T10:00:00Z", "2024-03-05T10:00:00Z"),
    ("21/01/2017", "2017-01-21"),
    ("2017-01-21T204600", "2017-01-21T20:46:00"),
    ("Tue, 19 Mar 2024 17:05:00 +0100", "2024-03-19T17:05:00+01:00"),
    (1710864300, "2024-03-19T16:05:00Z"),
    (1710864300000, "2024-03-19T16:05:00Z"),
    ("12 مارس 2024", "2024-03-12"),
    ("الثلاثاء 14 فيفري 2017", "2017-02-14"),
    ("5 يوليوز 2023", "2023-07-05"),
    ("قبل قليل", "قبل قليل"),
    ("sometime", "sometime"),
    ("  ", None),
    (None, None),
])
def test_clean_date(value: object, expected: str | None) -> None:
    assert clean_date(value) == expected
