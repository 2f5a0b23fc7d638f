"""Dates as the exports write them (``ingest.formats.cells.parse_date``), and day/month ambiguity."""

from __future__ import annotations

from datetime import date

import pytest

from ingest.formats.cells import parse_date


@pytest.mark.parametrize(("text", "day"), [
    ("3/15/2024 2:30 PM", date(2024, 3, 15)),  # Salesforce en_US date-time, 12-hour clock
    ("11/4/2024 10:41 AM", date(2024, 11, 4)),
    ("3/15/2024 14:30", date(2024, 3, 15)),
    ("2024-03-15 12:00 UTC", date(2024, 3, 15)),
    ("2025-11-17 22:05:06 UTC", date(2025, 11, 17)),
    ("15.03.2024", date(2024, 3, 15)),  # German Excel
    ("15.03.2024 14:30", date(2024, 3, 15)),
    ("15.03.24", date(2024, 3, 15)),
    # The forms read before: unchanged.
    ("08 Jan 2024", date(2024, 1, 8)), ("7-Feb-22", date(2022, 2, 7)), ("2024-03-12 09:14", date(2024, 3, 12)),
    ("2019-11-06T02:08:20", date(2019, 11, 6)), ("2024/02/01 15:02:55 UTC", date(2024, 2, 1)),
    ("1/29/26, 2:37 PM", date(2026, 1, 29)), ("3/15/2024", date(2024, 3, 15)), ("Jan 2024", date(2024, 1, 1)),
    ("Wed Jun 24 12:43:42 UTC 2026", date(2026, 6, 24)), ("2019", date(2019, 1, 1)),
])
def test_every_shape_the_exports_write(text, day):
    assert parse_date(text) == day


def test_ambiguous_dates_keep_each_shapes_rule_whatever_came_before():
    """Slashes are month first (the US exports that write them), dots day first (the locales that write
    them); a date read before in the other shape does not turn the rule round."""
    assert parse_date("15.03.2024") == date(2024, 3, 15)
    assert parse_date("03/04/2024") == date(2024, 3, 4)  # month first, after a day-first date too
    assert parse_date("04.03.2024") == date(2024, 3, 4)
    assert parse_date("3/4/2024 2:30 PM") == date(2024, 3, 4)
    assert parse_date("03.04.2024") == date(2024, 4, 3)


@pytest.mark.parametrize("text", ["15/03/2024", "2024-03-15 24:00 UTC", "32.01.2024", "3/15/2024 14:30 PM"])
def test_impossible_or_unknown_shapes_are_not_dates(text):
    with pytest.raises(ValueError):
        parse_date(text)
