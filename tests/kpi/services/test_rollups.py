"""Rollups against a hand-computed week of one rep (Mon 2026-11-02 .. Sun 11-08, Tokyo).

Day by day for `rep` (outbound unless said otherwise):
  11-02  no answer 0 s; connected 45 s; connected 180 s reaching the decision maker;
         inbound 300 s (not a call attempt); 2 emails to the target, one opened and replied;
         a meeting that was won for 1,200,000 JPY
  11-03  connected 130 s, logged as 2026-11-02 23:30 UTC (= 08:30 Tokyo, the next day);
         a meeting FS disqualified
  11-08  Sunday 22:00 Tokyo, connected 5 s: still ISO week 11-02
  11-09  Monday 00:30 Tokyo (Sunday 15:30 UTC), no answer: the next week
"""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from kpi import catalog
from kpi.models import MEASURE_FIELDS, CallLog, HourRollup, Meeting, Rollup
from kpi.services.rollups import rollups_rebuild, rollups_refresh_rep_days
from tests.factories import CallFactory, EmailFactory, MeetingFactory, tokyo

pytestmark = pytest.mark.django_db


@pytest.fixture
def week(rep, teammate, outsider):
    connected = CallLog.Result.CONNECTED
    CallFactory(rep=rep, started_at=tokyo(2026, 11, 2, 10, 0))
    CallFactory(rep=rep, started_at=tokyo(2026, 11, 2, 10, 30), duration_seconds=45, result=connected)
    CallFactory(
        rep=rep, started_at=tokyo(2026, 11, 2, 11, 0), duration_seconds=180, result=connected, reached_target=True
    )
    CallFactory(
        rep=rep,
        started_at=tokyo(2026, 11, 2, 14, 0),
        duration_seconds=300,
        result=connected,
        direction=CallLog.Direction.INBOUND,
    )
    CallFactory(rep=rep, started_at=datetime(2026, 11, 2, 23, 30, tzinfo=UTC), duration_seconds=130, result=connected)
    CallFactory(rep=rep, started_at=tokyo(2026, 11, 8, 22, 0), duration_seconds=5, result=connected)
    CallFactory(rep=rep, started_at=datetime(2026, 11, 8, 15, 30, tzinfo=UTC))
    EmailFactory(rep=rep, opened=True, replied=True)
    EmailFactory(rep=rep)
    MeetingFactory(rep=rep, status=Meeting.Status.WON, amount=Decimal(1_200_000))
    MeetingFactory(rep=rep, set_at=tokyo(2026, 11, 3, 9, 0), status=Meeting.Status.DISQUALIFIED)
    # Same team, 11-02: two calls, one connected for 60 s. Other team: one call.
    CallFactory(rep=teammate, started_at=tokyo(2026, 11, 2, 9, 0))
    CallFactory(rep=teammate, started_at=tokyo(2026, 11, 2, 9, 5), duration_seconds=60, result=connected)
    CallFactory(rep=outsider, started_at=tokyo(2026, 11, 2, 9, 0))


def row(granularity, scope, scope_id, start):
    return Rollup.objects.get(granularity=granularity, scope=scope, scope_id=scope_id, period_start=start)


def snapshot():
    return sorted(Rollup.objects.values_list("granularity", "scope", "scope_id", "period_start", *MEASURE_FIELDS))


def hours():
    return sorted(
        HourRollup.objects.values_list("rep_id", "date", "weekday", "hour", "calls", "connects", "effective_calls")
    )


def test_rep_days_match_hand_computed_values(week, rep):
    rollups_rebuild()
    nov2 = row("day", "rep", rep.pk, date(2026, 11, 2))
    assert (nov2.calls, nov2.connects, nov2.effective_calls, nov2.target_connects) == (3, 2, 1, 2)
    assert nov2.target_attempts == 5  # 3 calls + 2 emails to the target person
    assert (nov2.emails_sent, nov2.emails_delivered, nov2.emails_opened) == (2, 2, 1)
    assert (nov2.meetings, nov2.qualified_meetings, nov2.orders) == (1, 1, 1)
    assert nov2.order_amount == Decimal(1_200_000)
    assert nov2.work_hours == Decimal(8)


def test_call_at_2330_utc_counts_on_the_next_tokyo_day(week, rep):
    rollups_rebuild()
    nov3 = row("day", "rep", rep.pk, date(2026, 11, 3))
    assert (nov3.calls, nov3.connects, nov3.effective_calls, nov3.meetings, nov3.qualified_meetings) == (1, 1, 1, 1, 0)


def test_sunday_night_call_is_in_its_iso_week_and_monday_0030_in_the_next(week, rep):
    rollups_rebuild()
    first = row("week", "rep", rep.pk, date(2026, 11, 2))
    assert (first.calls, first.connects, first.effective_calls, first.meetings) == (5, 4, 2, 2)
    assert first.work_hours == Decimal(24)  # three active days x 8 h
    second = row("week", "rep", rep.pk, date(2026, 11, 9))
    assert (second.calls, second.connects) == (1, 0)


def test_period_ratio_is_ratio_of_sums_not_mean_of_daily_ratios(week, rep):
    rollups_rebuild()
    w = row("week", "rep", rep.pk, date(2026, 11, 2))
    _, _, rate = catalog.get("connect_rate").compute({"calls": w.calls, "connects": w.connects})
    assert rate == Decimal("0.8")  # 4 / 5; the mean of daily rates would be (2/3 + 1 + 1) / 3 = 0.889
    month = row("month", "rep", rep.pk, date(2026, 11, 1))
    assert (month.calls, month.connects, month.effective_calls) == (6, 4, 2)
    quarter = row("quarter", "rep", rep.pk, date(2026, 10, 1))
    assert quarter.calls == 6


def test_team_and_org_rows_sum_their_reps(week, team_a, team_b):
    rollups_rebuild()
    team_day = row("day", "team", team_a.pk, date(2026, 11, 2))
    assert (team_day.calls, team_day.connects) == (5, 3)
    assert row("day", "team", team_b.pk, date(2026, 11, 2)).calls == 1
    org_day = row("day", "org", 0, date(2026, 11, 2))
    assert (org_day.calls, org_day.connects) == (6, 3)
    assert row("month", "org", 0, date(2026, 11, 1)).calls == 9


def test_zero_denominator_is_no_value_not_zero():
    assert catalog.get("connect_rate").compute({"calls": 0, "connects": 0})[2] is None


def test_rebuilding_twice_changes_nothing(week):
    rollups_rebuild()
    first = snapshot()
    rollups_rebuild()
    assert snapshot() == first
    assert len(first) > 0


def test_incremental_refresh_touches_only_the_given_rep_days(week, rep, teammate):
    rollups_rebuild()
    before = snapshot()
    CallFactory(rep=rep, started_at=tokyo(2026, 11, 5, 10, 0), duration_seconds=200, result=CallLog.Result.CONNECTED)
    rollups_refresh_rep_days(rep_days=[(rep.pk, date(2026, 11, 5))])
    assert row("day", "rep", rep.pk, date(2026, 11, 5)).effective_calls == 1
    assert row("week", "rep", rep.pk, date(2026, 11, 2)).calls == 6
    assert row("month", "team", rep.team_id, date(2026, 11, 1)).calls == 9  # 7 + teammate 2
    assert row("month", "org", 0, date(2026, 11, 1)).calls == 10
    # An hour that already had calls gains one (updated in place), and a new hour appears.
    CallFactory(rep=rep, started_at=tokyo(2026, 11, 2, 10, 45), duration_seconds=150, result=CallLog.Result.CONNECTED)
    CallFactory(rep=rep, started_at=tokyo(2026, 11, 2, 16, 0))
    rollups_refresh_rep_days(rep_days=[(rep.pk, date(2026, 11, 2)), (rep.pk, date(2026, 11, 5))])
    ten = HourRollup.objects.get(rep=rep, date=date(2026, 11, 2), hour=10)
    assert (ten.calls, ten.connects, ten.effective_calls) == (3, 2, 1)
    assert HourRollup.objects.get(rep=rep, date=date(2026, 11, 2), hour=16).calls == 1
    # Re-running the same refresh is a no-op, and it equals a full rebuild.
    rollups_refresh_rep_days(rep_days=[(rep.pk, date(2026, 11, 2)), (rep.pk, date(2026, 11, 5))])
    incremental, incremental_hours = snapshot(), hours()
    rollups_rebuild()
    assert snapshot() == incremental
    assert hours() == incremental_hours
    assert incremental != before


def test_refresh_drops_buckets_whose_events_are_gone(week, rep, outsider, team_b):
    """Refreshes rewrite rows in place; rows no event supports any more must not linger."""
    rollups_rebuild()
    nov2 = date(2026, 11, 2)
    CallLog.objects.filter(rep=rep, local_date=nov2, local_hour=11).delete()
    CallLog.objects.filter(rep=outsider).delete()
    rollups_refresh_rep_days(rep_days=[(rep.pk, nov2), (outsider.pk, nov2)])
    assert not HourRollup.objects.filter(rep=rep, date=nov2, hour=11).exists()
    assert HourRollup.objects.filter(rep=rep, date=nov2, hour=10).get().calls == 2
    assert not Rollup.objects.filter(scope="rep", scope_id=outsider.pk).exists()
    assert not Rollup.objects.filter(scope="team", scope_id=team_b.pk).exists()
    assert row("day", "org", 0, nov2).calls == 4  # 6 - rep's 11:00 - the outsider's
    incremental, incremental_hours = snapshot(), hours()
    rollups_rebuild()
    assert snapshot() == incremental
    assert hours() == incremental_hours


def test_hour_rollup_buckets_by_local_hour_and_weekday(week, rep):
    rollups_rebuild()
    ten = HourRollup.objects.get(rep=rep, date=date(2026, 11, 2), hour=10)
    assert (ten.weekday, ten.calls, ten.connects) == (0, 2, 1)
    sunday = HourRollup.objects.get(rep=rep, date=date(2026, 11, 8), hour=22)
    assert sunday.weekday == 6
