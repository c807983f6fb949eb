"""kpi/selectors/board_columns.py: the previous period at the same elapsed point, the change against it,
definition versions per column, sorting by any column, and the team's burn-up against its target.
December 2026 has 23 business days and no public holiday; November 3 (Culture Day) is a holiday."""

from datetime import date
from decimal import Decimal

import pytest

from kpi import periods
from kpi.selectors.board_columns import (
    BoardLine,
    Columns,
    Delta,
    burn_up,
    column_versions,
    deltas,
    previous_values,
    previous_window,
    sort_rows,
)
from kpi.selectors.calendar import Calendar
from kpi.selectors.definitions import approved_timeline
from kpi.selectors.values import KpiValue
from kpi.templatetags.board_format import delta_text
from tests.kpi.helpers import day_row

pytestmark = pytest.mark.django_db

DEC1, DEC3 = date(2026, 12, 1), date(2026, 12, 3)


def test_the_previous_month_is_cut_at_the_same_number_of_business_days():
    # Dec 1-3 are 3 business days; in November they are the 2nd, 4th and 5th (1st a Sunday, 3rd a holiday).
    calendar = Calendar(date(2026, 11, 1), date(2026, 12, 31))
    assert previous_window(periods.MONTH, DEC1, DEC3, calendar) == (date(2026, 11, 1), date(2026, 11, 5))


def test_without_a_calendar_the_previous_period_is_cut_at_the_same_number_of_days():
    assert previous_window(periods.MONTH, DEC1, DEC3) == (date(2026, 11, 1), date(2026, 11, 3))


def test_a_finished_period_meets_the_whole_previous_period():
    calendar = Calendar(date(2026, 9, 1), date(2026, 10, 31))
    assert previous_window(periods.MONTH, date(2026, 10, 1), DEC3, calendar) == (date(2026, 9, 1), date(2026, 9, 30))


def test_a_week_meets_last_week_up_to_the_same_weekday():
    calendar = Calendar(date(2026, 11, 23), date(2026, 12, 6))
    # Thursday Dec 3 is the 4th business day of its week; last week's 23rd is Labour Thanksgiving Day,
    # so its 4th business day is Friday the 27th.
    assert previous_window(periods.WEEK, date(2026, 11, 30), DEC3, calendar) == (
        date(2026, 11, 23),
        date(2026, 11, 27),
    )


def test_previous_values_sum_the_previous_window_from_day_rollups(rep):
    day_row("rep", rep.pk, date(2026, 11, 2), calls=10, connects=4)
    day_row("rep", rep.pk, date(2026, 11, 5), calls=6, connects=2)
    day_row("rep", rep.pk, date(2026, 11, 6), calls=100, connects=90)  # after the same point: left out
    calendar = Calendar(date(2026, 11, 1), date(2026, 12, 31))
    values = previous_values(
        kpis=("calls", "connect_rate"),
        scope="rep",
        scope_ids=[rep.pk],
        granularity=periods.MONTH,
        first=DEC1,
        as_of=DEC3,
        timeline=approved_timeline(),
        calendar=calendar,
    )
    assert values[rep.pk] == [16, Decimal(6) / Decimal(16)]


def _value(kpi, value, expected=None):
    return KpiValue(kpi, DEC1, date(2026, 12, 31), value, None, value, expected=expected)


def test_the_change_is_a_difference_and_rates_read_in_percentage_points():
    changes = deltas(
        [_value("calls", 20), _value("connect_rate", Decimal("0.5")), _value("calls", None)], [16, Decimal("0.375"), 3]
    )
    assert [d.change for d in changes] == [4, Decimal("0.125"), None]
    assert [d.direction for d in changes] == ["up", "up", "flat"]
    assert delta_text(changes[0].change, "calls") == "+4"
    assert delta_text(changes[1].change, "connect_rate") == "+12.5pt"
    assert delta_text(Decimal("-0.021"), "connect_rate") == "−2.1pt"
    assert delta_text(0, "calls") == "±0"
    assert delta_text(None, "calls") == "—"


def test_a_column_names_one_version_or_every_version_of_a_period_that_spans_a_change():
    assert column_versions({"calls": [1], "connects": [1]}) == column_versions({"calls": [1]})
    assert column_versions({"calls": [1]}).label == "v1"
    spanning = column_versions({"calls": [1], "effective_calls": [1, 2]})
    assert (spanning.label, spanning.spans_change) == ("calls v1, effective_calls v1+v2", True)


class _Row:
    def __init__(self, name, calls, expected):
        self.name, self.values = name, [_value("calls", calls, expected)]


def _lines(*rows):
    return [BoardLine(r, r.values, []) for r in rows]


def test_rows_sort_by_actual_or_attainment_either_way_with_no_value_last():
    a, b, c = _Row("a", 10, 40), _Row("b", 30, 30), _Row("c", None, 10)
    lines = _lines(a, b, c)
    by = lambda sort, desc=True: [x.row.name for x in sort_rows(lines, Columns("standard", ("calls",), sort, desc))]  # noqa: E731
    assert by("calls") == ["b", "a", "c"]
    assert by("calls", desc=False) == ["a", "b", "c"]
    assert by("calls.pace") == ["b", "a", "c"]  # 100% before 25%
    assert by("") == ["a", "b", "c"]  # name order, as read


def test_burn_up_accumulates_actuals_against_the_target_spread_over_business_days(team_a):
    day_row("team", team_a.pk, date(2026, 12, 1), calls=5)
    day_row("team", team_a.pk, date(2026, 12, 2), calls=7)
    burn = burn_up(
        kpi="calls",
        scope="team",
        scope_id=team_a.pk,
        first=DEC1,
        last=date(2026, 12, 31),
        as_of=date(2026, 12, 2),
        target=Decimal(46),
        calendar=Calendar(DEC1, date(2026, 12, 31)),
    )
    # 46 calls over 23 business days: 2 a day; Saturday the 5th adds nothing.
    assert burn.actual[:3] == [5, 12, None]
    assert burn.target[:6] == [2, 4, 6, 8, 8, 8]
    assert burn.target[-1] == 46


def test_delta_direction_follows_the_kpi_direction():
    assert Delta("calls", -3).direction == "down"


def test_a_day_meets_the_business_day_before_it():
    calendar = Calendar(date(2026, 11, 23), date(2026, 11, 30))
    # Monday Nov 30 meets Friday Nov 27; Tuesday Nov 24 meets Friday Nov 20 (Monday the 23rd is a holiday).
    assert previous_window(periods.DAY, date(2026, 11, 30), DEC3, calendar) == (date(2026, 11, 27), date(2026, 11, 27))
    calendar = Calendar(date(2026, 11, 17), date(2026, 11, 24))
    assert previous_window(periods.DAY, date(2026, 11, 24), DEC3, calendar) == (date(2026, 11, 20), date(2026, 11, 20))
