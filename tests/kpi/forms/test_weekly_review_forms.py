"""kpi/forms/weekly_review.py: the week to review, any day of it; Monday shows the week that ended."""

from datetime import date

import pytest

from kpi.forms.weekly_review import WeekForm

WED = date(2026, 12, 2)


@pytest.mark.parametrize(
    ("data", "today", "week"),
    [
        ({}, WED, date(2026, 11, 30)),
        ({}, date(2026, 11, 30), date(2026, 11, 23)),  # Monday: the week that just ended
        ({"week": "2026-11-22"}, WED, date(2026, 11, 16)),  # a Sunday belongs to the week before it
        ({"week": "2026-12-09"}, WED, date(2026, 11, 30)),  # the future: the default
        ({"week": "x"}, WED, date(2026, 11, 30)),
    ],
)
def test_the_week_shown(data, today, week):
    assert WeekForm(data, today=today).week_start() == week
