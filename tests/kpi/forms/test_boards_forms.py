"""kpi/forms/boards.py: the period form falls back box by box."""

from datetime import date

import pytest

from kpi import periods
from kpi.forms.boards import PeriodForm

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 18)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, (periods.MONTH, date(2026, 11, 1))),
        ({"g": "week", "d": "2026-11-05"}, (periods.WEEK, date(2026, 11, 2))),
        ({"g": "day", "d": "2026-11-05"}, (periods.DAY, date(2026, 11, 5))),
        ({"g": "year", "d": "2026-11-05"}, (periods.MONTH, date(2026, 11, 1))),
        ({"g": "day", "d": "2026-13-45"}, (periods.DAY, TODAY)),
        ({"g": "quarter", "d": "nope"}, (periods.MONTH, date(2026, 11, 1))),
    ],
)
def test_the_period_form_falls_back_per_box(query, expected):
    assert PeriodForm(query, today=TODAY).period() == expected
