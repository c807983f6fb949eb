"""Rollup rows written directly: review and planner tests need exact sums, not thousands of calls."""

from datetime import date

from kpi.models import Rollup


def day_row(scope: str, scope_id: int, day: date, **measures) -> Rollup:
    return Rollup.objects.create(granularity="day", scope=scope, scope_id=scope_id, period_start=day, **measures)
