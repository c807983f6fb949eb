"""A review item of team A's rep, opened by a rule on that rep (7% of a 1,900-call target)."""

from datetime import date

import pytest

from kpi.models import ReviewItem, ReviewRule


@pytest.fixture
def item(team_a, rep):
    rule = ReviewRule.objects.create(kpi_key="calls", scope="rep", scope_id=rep.pk, granularity="month")
    return ReviewItem.objects.create(
        rule=rule,
        kpi_key="calls",
        scope="rep",
        scope_id=rep.pk,
        team=team_a,
        granularity="month",
        threshold_pct=70,
        min_sample=30,
        pace_aware=True,
        period_start=date(2026, 11, 1),
        as_of=date(2026, 11, 20),
        target=1900,
        expected=1400,
        attainment_pct=7,
    )
