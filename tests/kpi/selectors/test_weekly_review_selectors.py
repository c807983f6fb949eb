"""kpi/selectors/weekly_review.py: the weekly review read in one go, its bottleneck worked out by hand.

Team A in November 2026, as of Friday the 20th (this week from Monday the 16th):
the month so far has 400 calls, 180 connects, 36 conversations, 2 meetings, 1 qualified, 0 orders.
Connect 180/400 = 0.45, effective 36/180 = 0.20, meeting 2/36 = 0.056; qualified (2 meetings < 10) and
win (1 qualified < 10) have too few attempts to be judged.
"""

from datetime import date
from decimal import Decimal

import pytest

from kpi.models import Plan, ReviewCheck, ReviewEntry, ReviewItem, ReviewRule, Rollup
from kpi.selectors.weekly_review import team_week, weekly_review_for
from tests.factories import tokyo
from tests.kpi.helpers import day_row

pytestmark = pytest.mark.django_db

AS_OF, THIS_WEEK = date(2026, 11, 20), date(2026, 11, 16)


@pytest.fixture
def month(team_a, rep):
    # Last week (9th-15th): 100 calls, 40 connects. This week: 300 calls, 140 connects.
    day_row("team", team_a.pk, date(2026, 11, 10), calls=100, connects=40, effective_calls=6)
    day_row("team", team_a.pk, date(2026, 11, 17), calls=300, connects=140, effective_calls=30, meetings=2)
    day_row("team", team_a.pk, date(2026, 11, 18), qualified_meetings=1)


def test_against_the_benchmarks_the_effective_step_is_the_bottleneck(team_a, month):
    review = weekly_review_for(team=team_a, week_start=THIS_WEEK, as_of=AS_OF)
    # Against the benchmarks: connect 0.45/0.50 = 0.90, effective 0.20/0.40 = 0.50, meeting
    # 0.056/0.10 = 0.56: effective is furthest below.
    assert (review.reference, review.bottleneck) == ("benchmark", "effective")
    steps = {s.key: s for s in review.steps}
    assert steps["connect"].actual == Decimal("0.45") and steps["connect"].reference == Decimal("0.50")
    assert steps["effective"].is_bottleneck and not steps["meeting"].is_bottleneck
    assert steps["win"].actual == 0  # 0 of 1: lowest of all, but not judged on one qualified meeting
    assert review.month_sums["calls"] == 400 and review.stages[0] == {"stage": "calls", "count": 400}
    assert review.compare[:2] == [
        {"stage": "calls", "last": 100, "this": 300},
        {"stage": "connects", "last": 40, "this": 140},
    ]
    assert (review.last_week, review.month) == (date(2026, 11, 9), date(2026, 11, 1))


def test_against_the_plan_the_meeting_step_is_the_bottleneck(team_a, month):
    planned = {"connect": "0.45", "effective": "0.18", "meeting": "0.10", "qualified": "0.6", "win": "0.3"}
    Plan.objects.create(
        team=team_a,
        month=date(2026, 11, 1),
        goal_value=5,
        result={"rates": {k: {"rate": v} for k, v in planned.items()}},
    )
    review = weekly_review_for(team=team_a, week_start=THIS_WEEK, as_of=AS_OF)
    # connect 0.45/0.45 = 1, effective 0.20/0.18 = 1.11 (ahead), meeting 0.056/0.10 = 0.56.
    assert (review.reference, review.bottleneck) == ("plan", "meeting")


def test_the_open_items_come_with_whom_they_are_about(team_a, rep, time_machine):
    time_machine.move_to(tokyo(2026, 11, 20, 18, 0))
    rule = ReviewRule.objects.create(kpi_key="calls", scope="rep", granularity="month")
    common = {"rule": rule, "kpi_key": "calls", "scope": "rep", "scope_id": rep.pk, "team": team_a}
    numbers = {
        "target": 1900,
        "expected": 1400,
        "attainment_pct": Decimal("7.1"),
        "threshold_pct": 70,
        "pace_aware": True,
    }
    dates = {"granularity": "month", "period_start": date(2026, 11, 1), "as_of": AS_OF, "hint": "volume", **numbers}
    ReviewItem.objects.create(**common, **dates, min_sample=30)
    closed = ReviewItem.objects.create(
        **common, **dates | {"period_start": date(2026, 10, 1)}, min_sample=30, status="closed"
    )
    review = weekly_review_for(team=team_a, week_start=THIS_WEEK, as_of=AS_OF)
    assert [(i.subject, i.item.status) for i in review.items] == [(str(rep), "open")]
    assert closed.pk not in [i.item.pk for i in review.items] and review.items[0].hint


def _opened(rep, team, time_machine, when, **fields) -> ReviewItem:
    time_machine.move_to(when)
    rule = ReviewRule.objects.create(kpi_key="calls", scope="rep", granularity="month")
    return ReviewItem.objects.create(
        rule=rule,
        kpi_key="calls",
        scope="rep",
        scope_id=rep.pk,
        team=team,
        granularity="month",
        threshold_pct=70,
        min_sample=30,
        pace_aware=True,
        period_start=date(2026, 11, 1),
        as_of=when.date(),
        target=1900,
        expected=1400,
        attainment_pct=Decimal("7.1"),
        **fields,
    )


def test_a_past_week_shows_its_open_items_rechecks_and_the_outcome_of_the_week_before(
    team_a, rep, manager, time_machine
):
    """Week of Monday 16 November, read on 2 December: the item opened on the 10th (the week before)
    was re-checked on the 18th (recovered, 76.5%) and closed on the 25th; the item opened on the 24th
    did not exist yet that week."""
    early = _opened(rep, team_a, time_machine, tokyo(2026, 11, 10, 7, 0))
    ReviewEntry.objects.create(item=early, author=manager, cause="c", next_action="n", recheck_on=date(2026, 11, 18))
    ReviewCheck.objects.create(
        item=early,
        reason="recheck",
        checked_on=date(2026, 11, 18),
        period_start=date(2026, 11, 1),
        through=date(2026, 11, 17),
        actual=1000,
        expected=1307,
        attainment_pct=Decimal("76.5"),
        fired=False,
    )
    _opened(rep, team_a, time_machine, tokyo(2026, 11, 24, 7, 0))
    time_machine.move_to(tokyo(2026, 11, 25, 12, 0))
    early.status, early.result, early.recovered_on = "closed", "回復を確認", date(2026, 11, 18)
    early.closed_at = tokyo(2026, 11, 25, 12, 0)
    early.save()
    time_machine.move_to(tokyo(2026, 12, 2, 9, 0))
    review = weekly_review_for(team=team_a, week_start=THIS_WEEK, as_of=date(2026, 11, 22))
    assert not review.is_current
    assert [i.item.pk for i in review.items] == [early.pk]  # open at the week's end, closed since
    (recheck,) = review.rechecks
    assert (recheck.item.pk, recheck.recheck_on, recheck.rechecked_on) == (
        early.pk,
        date(2026, 11, 18),
        date(2026, 11, 18),
    )
    assert (recheck.attainment_pct, recheck.recovered) == (Decimal("76.5"), True)
    (outcome,) = review.outcomes
    assert (outcome.item.pk, outcome.state, outcome.attainment_pct) == (early.pk, "closed", Decimal("76.5"))
    later = weekly_review_for(team=team_a, week_start=date(2026, 11, 30), as_of=date(2026, 12, 2))
    assert later.is_current and [o.item.as_of for o in later.outcomes] == [date(2026, 11, 24)]


def test_the_digest_week_counts_the_teams_items_and_totals(team_a, rep, manager, time_machine):
    Rollup.objects.create(
        granularity="week", scope="team", scope_id=team_a.pk, period_start=THIS_WEEK, calls=300, connects=140
    )
    _opened(rep, team_a, time_machine, tokyo(2026, 11, 17, 7, 0))
    _opened(rep, team_a, time_machine, tokyo(2026, 11, 10, 7, 0), recovered_on=date(2026, 11, 20))
    time_machine.move_to(tokyo(2026, 11, 23, 7, 40))
    week = team_week(team=team_a, week_start=THIS_WEEK)
    assert (week.opened, week.open_now, week.recovered, week.rechecks_due) == (1, 2, 1, 0)
    totals = {v.kpi: v for v in week.totals}
    assert (totals["calls"].value, totals["connects"].value) == (300, 140)
