"""kpi/selectors/feeds.py: a feed's day so far against the median of the same weekday, same clock
time, of the four weeks before, by arrival time; quiet means nothing for two hours when usually
there is; new feeds are "learning", holidays are left out of "usual"."""

from datetime import date, timedelta

import pytest

from kpi.models import CallLog, CompanyHoliday
from kpi.selectors.feeds import feed_health
from tests.factories import CallFactory, tokyo

pytestmark = pytest.mark.django_db


def _arrive(rep, source, at, n=1):
    for _i in range(n):
        call = CallFactory(rep=rep, source=source, started_at=at)
        CallLog.objects.filter(pk=call.pk).update(created_at=at)


def _row(now, source="miitel"):
    return next(r for r in feed_health(now=now) if r.source == source)


def test_usual_is_the_median_of_the_same_weekday_by_the_same_time(rep):
    thursday = date(2026, 11, 26)
    for weeks, (morning, afternoon) in enumerate([(30, 5), (40, 5), (50, 5), (10, 5)], start=1):
        d = thursday - timedelta(weeks=weeks)
        _arrive(rep, "miitel", tokyo(d.year, d.month, d.day, 10, 0), morning)
        _arrive(rep, "miitel", tokyo(d.year, d.month, d.day, 15, 0), afternoon)  # after "now": not counted
    _arrive(rep, "miitel", tokyo(2026, 11, 26, 10, 0), 33)
    row = _row(tokyo(2026, 11, 26, 11, 0))
    assert (row.received, row.usual, row.share_pct, row.state) == (33, 35, 94, "ok")
    assert row.last_received_at == tokyo(2026, 11, 26, 10, 0)


def test_nothing_for_two_hours_when_usually_there_is_is_quiet(rep):
    thursday = date(2026, 11, 26)
    for weeks in range(1, 5):
        d = thursday - timedelta(weeks=weeks)
        _arrive(rep, "miitel", tokyo(d.year, d.month, d.day, 9, 30), 40)
        _arrive(rep, "miitel", tokyo(d.year, d.month, d.day, 12, 30), 20)
    _arrive(rep, "miitel", tokyo(2026, 11, 26, 9, 30), 40)  # the morning came, then the feed stopped
    row = _row(tokyo(2026, 11, 26, 13, 0))
    assert (row.received, row.usual, row.received_recent, row.usual_recent, row.state) == (40, 60, 0, 20, "quiet")


def test_a_new_feed_is_learning_and_a_holiday_week_does_not_lower_usual(rep):
    _arrive(rep, "zoom", tokyo(2026, 11, 19, 10, 0), 50)
    assert _row(tokyo(2026, 11, 26, 11, 0), "zoom").state == "learning"
    # 2026-11-19 made a company holiday: the three other Thursdays alone make "usual".
    for weeks in (2, 3, 4):
        d = date(2026, 11, 26) - timedelta(weeks=weeks)
        _arrive(rep, "zoom", tokyo(d.year, d.month, d.day, 10, 0), 50)
    _arrive(rep, "zoom", tokyo(2026, 11, 19, 10, 0), 0)
    CallLog.objects.filter(started_at__date=date(2026, 11, 19)).delete()
    CompanyHoliday.objects.create(date=date(2026, 11, 19), name="創立記念日")
    row = _row(tokyo(2026, 11, 26, 11, 0), "zoom")
    assert (row.usual, row.state) == (50, "quiet")
