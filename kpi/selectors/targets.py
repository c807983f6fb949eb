"""Targets as dashboards need them: for any period, the target and the value expected by a given day.

Targets may be set per day, week, month or quarter. For a period the most specific source wins:
an explicit target for exactly that period; otherwise the monthly targets of the months it overlaps;
otherwise the quarter's target. A count target spreads evenly over the business days of the period
it was set for; a day, week or range target is the sum of its business days' shares, and the
expected value by day D (pace) is the share of the business days up to D. Rate targets do not spread:
the rate applies to every part of the period.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import OuterRef, Q, Subquery, Sum

from accounts import permissions
from accounts.models import User

from .. import catalog, periods
from ..models import Target, TargetChange
from .calendar import WEEKDAYS, Calendar


@dataclass(frozen=True)
class PeriodTarget:
    target: Decimal
    expected: Decimal  # what should have been reached by as_of (= target for a finished period)


def targets_in_window(*, kpis, scope: str, scope_ids, first: date, last: date) -> dict:
    """Targets overlapping [first, last] in one query.

    Monthly targets are keyed (kpi, scope_id, month_start); day, week and quarter targets are keyed
    (granularity, kpi, scope_id, period_start), so callers that only know months keep working.
    """
    rows = Target.objects.filter(
        kpi_key__in=list(kpis),
        scope=scope,
        scope_id__in=list(scope_ids),
        period_start__range=(periods.quarter_start(first) - timedelta(days=6), last),
    ).values_list("kpi_key", "scope_id", "granularity", "period_start", "value")
    out: dict = {}
    for k, s, g, p, v in rows:
        if g == periods.MONTH:
            out[(k, s, p)] = v
        else:
            out[(g, k, s, p)] = v
    return out


def rep_targets_by_team(*, kpis, team_ids, first: date, last: date) -> dict:
    """{(kpi, team_id, month_start): sum of the team's reps' monthly targets} in one query."""
    rows = (
        Target.objects.filter(
            kpi_key__in=list(kpis),
            scope="rep",
            granularity=periods.MONTH,
            period_start__range=(periods.month_start(first), last),
        )
        .annotate(team_id=Subquery(User.objects.filter(pk=OuterRef("scope_id")).values("team_id")[:1]))
        .filter(team_id__in=list(team_ids))
        .values("kpi_key", "team_id", "period_start")
        .annotate(total=Sum("value"))
    )
    return {(r["kpi_key"], r["team_id"], r["period_start"]): r["total"] for r in rows}


def granularity_of(first: date, last: date) -> str | None:
    """The granularity whose period is exactly [first, last], if any."""
    for granularity in periods.GRANULARITIES:
        if periods.period_start(granularity, first) == first and periods.period_end(granularity, first) == last:
            return granularity
    return None


def _spread(value, *, span_first, span_last, first, last, as_of, calendar, workdays) -> tuple[Decimal, Decimal]:
    """The share of a count target set for [span_first, span_last] falling in [first, last], and by as_of."""
    days = calendar.business_days(span_first, span_last, workdays)
    if not days:
        return Decimal(0), Decimal(0)
    share = Decimal(value) / len(days)
    in_period = [d for d in days if first <= d <= last]
    return share * len(in_period), share * len([d for d in in_period if d <= as_of])


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
    """Target for [first, last]; None when no target covers it."""
    is_rate = catalog.get(kpi).kind == catalog.RATIO
    exact = granularity_of(first, last)
    if exact and exact != periods.MONTH:
        value = monthly.get((exact, kpi, scope_id, first))
        if value is not None:
            if is_rate:
                return PeriodTarget(value, value)
            target, expected = _spread(
                value,
                span_first=first,
                span_last=last,
                first=first,
                last=last,
                as_of=as_of,
                calendar=calendar,
                workdays=workdays,
            )
            # A target set for a day with no business day (a rep working a Saturday) still counts.
            if not calendar.business_days(first, last, workdays):
                target = Decimal(value)
                expected = target if as_of >= last else Decimal(0)
            return PeriodTarget(target, expected)
    months = list(periods.iter_periods(periods.MONTH, first, last))
    values = {m: monthly.get((kpi, scope_id, m)) for m in months}
    if all(v is None for v in values.values()):
        return _from_quarters(
            kpi=kpi,
            monthly=monthly,
            scope_id=scope_id,
            first=first,
            last=last,
            as_of=as_of,
            calendar=calendar,
            workdays=workdays,
        )
    return _spread_over(
        values, periods.MONTH, kpi=kpi, first=first, last=last, as_of=as_of, calendar=calendar, workdays=workdays
    )


def _from_quarters(*, kpi, monthly, scope_id, first, last, as_of, calendar, workdays) -> PeriodTarget | None:
    values = {
        q: monthly.get((periods.QUARTER, kpi, scope_id, q)) for q in periods.iter_periods(periods.QUARTER, first, last)
    }
    if all(v is None for v in values.values()):
        return None
    return _spread_over(
        values, periods.QUARTER, kpi=kpi, first=first, last=last, as_of=as_of, calendar=calendar, workdays=workdays
    )


def _spread_over(values: dict, granularity: str, *, kpi, first, last, as_of, calendar, workdays) -> PeriodTarget:
    """Combine the targets set per month (or quarter) that overlap [first, last]: a rate applies as is,
    a count contributes its business-day share to the period and to the pace."""
    if catalog.get(kpi).kind == catalog.RATIO:
        value = next(v for v in values.values() if v is not None)
        return PeriodTarget(value, value)
    target = expected = Decimal(0)
    for span_first, value in values.items():
        if value is None:
            continue
        span_last = periods.period_end(granularity, span_first)
        part, by_now = _spread(
            value,
            span_first=span_first,
            span_last=span_last,
            first=first,
            last=last,
            as_of=as_of,
            calendar=calendar,
            workdays=workdays,
        )
        target += part
        expected += by_now
    return PeriodTarget(target, expected)


@dataclass(frozen=True)
class Projection:
    elapsed_days: int
    total_days: int
    projected: Decimal | None  # None before the first business day has passed


def projected_value(
    *, actual, first: date, last: date, as_of: date, calendar: Calendar, workdays=WEEKDAYS
) -> Projection:
    """End-of-period value if the pace so far continues: actual / elapsed business days x all of them."""
    total = calendar.count(first, last, workdays)
    elapsed = calendar.count(first, min(as_of, last), workdays) if as_of >= first else 0
    if not elapsed or actual is None:
        return Projection(elapsed, total, None)
    return Projection(elapsed, total, Decimal(actual) * total / elapsed)


def _scopes_managed_by(user: User):
    """The targets `user` may read and set, as a filter (None: every target, for ops)."""
    managed = permissions.team_ids_managed_by(user)
    if managed is None:
        return None
    reps = User.objects.filter(team_id__in=managed).values("pk")
    return Q(scope="team", scope_id__in=managed) | Q(scope="rep", scope_id__in=reps)


def _filtered(queryset, user: User, *, kpi=None, scope=None, scope_id=None, granularity=None, start=None, end=None):
    allowed = _scopes_managed_by(user)
    if allowed is not None:
        queryset = queryset.filter(allowed)
    for field, value in (
        ("kpi_key", kpi),
        ("scope", scope),
        ("scope_id", scope_id),
        ("granularity", granularity),
        ("period_start__gte", start),
        ("period_start__lte", end),
    ):
        if value is not None:
            queryset = queryset.filter(**{field: value})
    return queryset


def targets_for_user(*, user: User, **filters):
    """The targets API's list: the targets `user` manages (ops: all), narrowed by `filters`."""
    return _filtered(Target.objects.all(), user, **filters).order_by(
        "period_start", "scope", "scope_id", "kpi_key", "pk"
    )


def target_changes_for_user(*, user: User, **filters):
    """The targets API's history: changes of the targets `user` manages, newest first."""
    return _filtered(TargetChange.objects.select_related("changed_by"), user, **filters).order_by("-changed_at", "-pk")
