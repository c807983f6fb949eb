"""kpi/forms/boards.py: the period form falls back box by box; the columns form picks a view or any
catalogue KPIs and a sort, falling back to the standard view."""

from datetime import date

import pytest
from django.http import QueryDict

from kpi import catalog, periods
from kpi.forms.boards import BoardColumnsForm, PeriodForm

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


# --- BoardColumnsForm: the board's view, columns and order ------------------------------------------


def _columns(query: str):
    return BoardColumnsForm(QueryDict(query)).columns()


def test_no_choice_is_the_standard_view_in_name_order():
    columns = _columns("")
    assert (columns.view, columns.kpis, columns.sort) == ("standard", catalog.BOARD_KPIS, "")


def test_a_named_view_brings_its_kpis_including_those_on_no_page_before():
    assert _columns("v=marketing").kpis == (
        "emails_sent",
        "emails_delivered",
        "emails_opened",
        "open_rate",
        "permissions",
        "permission_rate",
    )


def test_any_catalogue_kpis_make_a_custom_view_in_the_order_picked_without_repeats():
    columns = _columns("k=calls_per_hour&k=target_connects&k=calls_per_hour&sort=target_connects&dir=asc")
    assert (columns.view, columns.kpis) == ("custom", ("calls_per_hour", "target_connects"))
    assert (columns.sort, columns.descending) == ("target_connects", False)


def test_an_unknown_kpi_or_view_falls_back_to_the_standard_view():
    assert _columns("k=bogus").view == "standard"
    assert _columns("v=bogus").view == "standard"


def test_a_sort_on_a_column_not_shown_or_malformed_is_dropped():
    assert _columns("v=activity&sort=open_rate").sort == ""
    assert _columns("sort=calls.bogus").sort == ""
    assert _columns("sort=calls.pace").sort == "calls.pace"
