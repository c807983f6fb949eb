"""kpi/selectors/targets.py: targets for any period (explicit day / week / quarter targets, monthly
spread, projection) and the pace of a month with public holidays."""

from datetime import date
from decimal import Decimal

import pytest

from kpi.models import Target
from kpi.selectors.calendar import Calendar
from kpi.selectors.targets import period_target, projected_value, targets_in_window, team_period_targets
from kpi.services import board_cache
from kpi.services.targets import TargetRow, targets_write
from tests.kpi.helpers import month_target

pytestmark = pytest.mark.django_db

NOV = date(2026, 11, 1)


AS_OF = date(2026, 11, 20)


def test_pace_on_a_month_with_public_holidays_counts_business_days(rep):
    month_target(rep, "calls", 1900)
    monthly = targets_in_window(kpis=["calls"], scope="rep", scope_ids=[rep.pk], first=NOV, last=date(2026, 11, 30))
    got = period_target(
        kpi="calls",
        monthly=monthly,
        scope_id=rep.pk,
        first=NOV,
        last=date(2026, 11, 30),
        as_of=AS_OF,
        calendar=Calendar.for_months(NOV, NOV),
    )
    assert got.target == Decimal(1900)
    assert got.expected == Decimal(1400)  # 100 x 14 business days, not 1900 x 15 / 21 weekdays


def target_for(rep, first, last, as_of, kpi="calls"):
    loaded = targets_in_window(kpis=[kpi], scope="rep", scope_ids=[rep.pk], first=first, last=last)
    return period_target(
        kpi=kpi,
        monthly=loaded,
        scope_id=rep.pk,
        first=first,
        last=last,
        as_of=as_of,
        calendar=Calendar.for_months(first, last),
    )


def test_explicit_week_target_wins_over_the_monthly_spread(rep):
    Target.objects.create(
        kpi_key="calls", scope="rep", scope_id=rep.pk, granularity="month", period_start=date(2026, 11, 1), value=1900
    )
    Target.objects.create(
        kpi_key="calls", scope="rep", scope_id=rep.pk, granularity="week", period_start=date(2026, 11, 2), value=360
    )
    # Week of 11-02: 4 business days (11-03 is Culture Day), 90 a day; by Wednesday 11-04, 2 have passed.
    week = target_for(rep, date(2026, 11, 2), date(2026, 11, 8), date(2026, 11, 4))
    assert (week.target, week.expected) == (Decimal(360), Decimal(180))
    # The following week has no week target: the month spreads, 100 a business day x 5.
    nxt = target_for(rep, date(2026, 11, 9), date(2026, 11, 15), date(2026, 11, 20))
    assert (nxt.target, nxt.expected) == (Decimal(500), Decimal(500))


def test_day_target_and_quarter_spread(rep):
    Target.objects.create(
        kpi_key="calls", scope="rep", scope_id=rep.pk, granularity="day", period_start=date(2026, 11, 20), value=40
    )
    day = target_for(rep, date(2026, 11, 20), date(2026, 11, 20), date(2026, 11, 19))
    assert (day.target, day.expected) == (Decimal(40), Decimal(0))
    # Q4 2026 has 21 + 19 + 23 = 63 business days; 6,300 calls spread 100 a day, so November gets 1,900.
    Target.objects.create(
        kpi_key="meetings",
        scope="rep",
        scope_id=rep.pk,
        granularity="quarter",
        period_start=date(2026, 10, 1),
        value=6300,
    )
    month = target_for(rep, date(2026, 11, 1), date(2026, 11, 30), date(2026, 11, 20), kpi="meetings")
    assert (month.target, month.expected) == (Decimal(1900), Decimal(1400))


def test_projected_end_of_month_uses_business_days():
    calendar = Calendar(date(2026, 11, 1), date(2026, 11, 30), holidays=[])
    got = projected_value(
        actual=700, first=date(2026, 11, 1), last=date(2026, 11, 30), as_of=date(2026, 11, 20), calendar=calendar
    )
    assert (got.elapsed_days, got.total_days, got.projected) == (14, 19, Decimal(950))  # 700 / 14 x 19


def _team_calls_target(team, django_assert_num_queries, queries):
    calendar = Calendar.for_months(NOV, NOV)
    with django_assert_num_queries(queries):
        found = team_period_targets(
            kpis=["calls"],
            team_ids=[team.pk],
            first=NOV,
            last=date(2026, 11, 30),
            as_of=AS_OF,
            calendar=calendar,
        )
    return found[("calls", team.pk)].target.quantize(Decimal(1))


def test_team_targets_are_kept_until_a_target_or_a_person_changes_not_when_calls_arrive(
    rep, teammate, team_a, ops, django_assert_num_queries
):
    month_target(rep, "calls", 1900)
    month_target(teammate, "calls", 1000)
    # The version tokens, the reps, their targets and the team's own.
    assert _team_calls_target(team_a, django_assert_num_queries, 4) == Decimal(2900)
    board_cache.bump_teams([team_a.pk])  # what a rollup refresh after new calls does
    assert _team_calls_target(team_a, django_assert_num_queries, 1) == Decimal(2900)  # tokens only
    targets_write(rows=[TargetRow("calls", "rep", rep.pk, "month", NOV, Decimal(2000))], user=ops, source="grid")
    assert _team_calls_target(team_a, django_assert_num_queries, 4) == Decimal(3000)
    teammate.is_active = False
    teammate.save()
    assert _team_calls_target(team_a, django_assert_num_queries, 4) == Decimal(2000)
