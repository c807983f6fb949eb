"""kpi/selectors/weekly_review.py: the weekly review read in one go, its bottleneck worked out by hand.

Team A in November 2026, as of Friday the 20th (this week from Monday the 16th):
the month so far has 400 calls, 180 connects, 36 conversations, 2 meetings, 1 qualified, 0 orders.
Connect 180/400 = 0.45, effective 36/180 = 0.20, meeting 2/36 = 0.056; qualified (2 meetings < 10) and
win (1 qualified < 10) have too few attempts to be judged.
"""

from datetime import date
from decimal import Decimal

import pytest

from kpi.models import Plan, ReviewItem, ReviewRule
from kpi.selectors.weekly_review import weekly_review_for
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


def test_the_open_items_come_with_whom_they_are_about(team_a, rep):
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
