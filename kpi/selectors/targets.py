"""Targets as dashboards need them: for any period, the target and the value expected by a given day.

A monthly count target spreads evenly over the month's business days; a day, week or range target is
the sum of its business days' shares, and the expected value by day D (pace) is the share of the
business days up to D. Rate targets do not spread: the month's rate applies to every part of it.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .. import catalog, periods
from ..models import Target
from ..services.calendar import WEEKDAYS, Calendar


@dataclass(frozen=True)
class PeriodTarget:
    target: Decimal
    expected: Decimal  # what should have been reached by as_of (= target for a finished period)


def targets_by_month(*, kpis, scope: str, scope_ids, first: date, last: date) -> dict:
    """{(kpi, scope_id, month_start): value} for monthly targets overlapping [first, last] (one query)."""
    rows = Target.objects.filter(
        kpi_key__in=list(kpis),
        scope=scope,
        scope_id__in=list(scope_ids),
        granularity=periods.MONTH,
        period_start__range=(periods.month_start(first), last),
    ).values_list("kpi_key", "scope_id", "period_start", "value")
    return {(k, s, p): v for k, s, p, v in rows}


def period_target(
    *,
    kpi: str,
    monthly: dict,
    scope_id: int,
    first: date,
    last: date,
    as_of: date,
    calendar: Calendar,
    workdays=WEEKDAYS,
) -> PeriodTarget | None:
    """Target for [first, last] from monthly targets; None when no month in it has one."""
    months = list(periods.iter_periods(periods.MONTH, first, last))
    values = {m: monthly.get((kpi, scope_id, m)) for m in months}
    if all(v is None for v in values.values()):
        return None
    if catalog.get(kpi).kind == catalog.RATIO:
        value = next(v for v in values.values() if v is not None)
        return PeriodTarget(value, value)
    target = expected = Decimal(0)
    for month, value in values.items():
        if value is None:
            continue
        month_days = calendar.business_days(month, periods.period_end(periods.MONTH, month), workdays)
        if not month_days:
            continue
        share = Decimal(value) / len(month_days)
        in_period = [d for d in month_days if first <= d <= last]
        target += share * len(in_period)
        expected += share * len([d for d in in_period if d <= as_of])
    return PeriodTarget(target, expected)
