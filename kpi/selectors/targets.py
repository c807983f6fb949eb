"""Targets as dashboards need them: for any period, the target and the value expected by a given day.

Targets may be set per day, week, month or quarter. For a period the most specific source wins:
an explicit target for exactly that period; otherwise the monthly targets of the months it overlaps;
otherwise the quarter's target. A count target spreads evenly over the business days of the period
it was set for; a day, week or range target is the sum of its business days' shares, and the
expected value by day D (pace) is the share of the business days before D plus, for D itself, the share
of D's working time passed (periods.day_share: at 09:00 nothing of today is expected yet, at 18:00 all
of it). Rate targets do not spread: the rate applies to every part of the period.

A team's target is the team's own target when it has one, else the sum of its active reps' targets
(team_period_targets): the team board, the organisation board and the API all read it from there.
"""

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q

from accounts import permissions
from accounts.models import User

from .. import catalog, periods
from ..models import Target, TargetChange
from .board_versions import ALL, TARGETS, board_tokens, cached
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


def granularity_of(first: date, last: date) -> str | None:
    """The granularity whose period is exactly [first, last], if any."""
    for granularity in periods.GRANULARITIES:
        if periods.period_start(granularity, first) == first and periods.period_end(granularity, first) == last:
            return granularity
    return None


def as_of_share(as_of: date, work_hours=None) -> Decimal:
    """How much of as_of's working time has passed now (1 for a past day): the pace's part of today."""
    return periods.day_share(as_of, periods.pace_moment(), work_hours)


def _counts(calendar, span_first, span_last, first, last, as_of, workdays) -> tuple[int, int, int, bool]:
    """(business days of the span, of them in [first, last], of those before as_of, whether as_of is one)."""
    key = (span_first, span_last, first, last, as_of, frozenset(workdays))
    memo = calendar.__dict__.setdefault("_spread_counts", {})
    if key not in memo:
        days = calendar.business_days(span_first, span_last, workdays)
        in_period = [d for d in days if first <= d <= last]
        memo[key] = (len(days), len(in_period), sum(1 for d in in_period if d < as_of), as_of in in_period)
    return memo[key]


def _spread(
    value, *, span_first, span_last, first, last, as_of, calendar, workdays, share=Decimal(1)
) -> tuple[Decimal, Decimal]:
    """The share of a count target set for [span_first, span_last] falling in [first, last], and by as_of
    (as_of itself counting `share` of a day)."""
    total, in_period, before, today = _counts(calendar, span_first, span_last, first, last, as_of, workdays)
    if not total:
        return Decimal(0), Decimal(0)
    per_day = Decimal(value) / total
    return per_day * in_period, per_day * (before + (share if today else 0))


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
    share: Decimal | None = None,
) -> PeriodTarget | None:
    """Target for [first, last]; None when no target covers it. `share` is how much of as_of's working
    time has passed (default: read from the clock at the organisation's hours, see as_of_share)."""
    if share is None:
        share = as_of_share(as_of)
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
                share=share,
            )
            # A target set for a day with no business day (a rep working a Saturday) still counts.
            if not calendar.business_days(first, last, workdays):
                target = Decimal(value)
                expected = target if as_of > last else target * share if as_of == last else Decimal(0)
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
            share=share,
        )
    return _spread_over(
        values,
        periods.MONTH,
        kpi=kpi,
        first=first,
        last=last,
        as_of=as_of,
        calendar=calendar,
        workdays=workdays,
        share=share,
    )


def _from_quarters(*, kpi, monthly, scope_id, first, last, as_of, calendar, workdays, share) -> PeriodTarget | None:
    values = {
        q: monthly.get((periods.QUARTER, kpi, scope_id, q)) for q in periods.iter_periods(periods.QUARTER, first, last)
    }
    if all(v is None for v in values.values()):
        return None
    return _spread_over(
        values,
        periods.QUARTER,
        kpi=kpi,
        first=first,
        last=last,
        as_of=as_of,
        calendar=calendar,
        workdays=workdays,
        share=share,
    )


def _spread_over(values: dict, granularity: str, *, kpi, first, last, as_of, calendar, workdays, share) -> PeriodTarget:
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
            share=share,
        )
        target += part
        expected += by_now
    return PeriodTarget(target, expected)


def team_period_targets(
    *, kpis, team_ids, first: date, last: date, as_of: date, calendar: Calendar
) -> dict[tuple[str, int], PeriodTarget]:
    """{(kpi, team id): target} for [first, last], in 2 queries: the team's own target when it has one,
    else (count KPIs) the sum of its active reps' targets, each spread over the rep's working days and
    paced by the rep's hours. The one definition of a team's target: every board and the API use it."""
    kpis, team_ids = list(kpis), list(team_ids)

    def compute():
        loaded = team_target_sources(kpis=kpis, team_ids=team_ids, first=first, last=last)
        return team_targets_from(loaded, first=first, last=last, as_of=as_of, calendar=calendar)

    key = _team_targets_key(kpis=kpis, team_ids=team_ids, first=first, last=last, as_of=as_of)
    return cached(key, compute, 24 * 60 * 60)


def _team_targets_key(*, kpis, team_ids, first: date, last: date, as_of: date) -> str:
    """Team targets are kept per targets version, not per data version: a rollup refresh (new calls)
    does not change them, so the first board view after one does not spread 1,000 reps' targets again
    (about a third of the organisation board's cold view). Target writes replace TARGETS
    (board_cache.bump_target_scopes); people, teams and holidays replace ALL."""
    tokens = board_tokens([TARGETS, ALL])
    scope = hashlib.blake2b(repr((kpis, sorted(team_ids))).encode(), digest_size=12).hexdigest()
    pace = periods.pace_moment().strftime("%H%M")  # today's share of the pace moves with the clock
    return ":".join(["team-targets", scope, str(first), str(last), str(as_of), pace, *map(str, tokens)])


@dataclass(frozen=True)
class TeamTargetSources:
    kpis: list
    team_ids: list
    reps: list  # (rep id, team id, workdays, hours per day) of active reps
    own: dict
    of_reps: dict


def team_target_sources(*, kpis, team_ids, first: date, last: date) -> TeamTargetSources:
    """What team targets over [first, last] are made of, in 2 queries (a series loads it once)."""
    kpis, team_ids = list(kpis), list(team_ids)
    reps = list(
        User.objects.filter(team_id__in=team_ids, role=User.Role.REP, is_active=True).values_list(
            "pk", "team_id", "workdays", "work_hours_per_day"
        )
    )
    own = targets_in_window(kpis=kpis, scope="team", scope_ids=team_ids, first=first, last=last)
    of_reps = targets_in_window(kpis=kpis, scope="rep", scope_ids=[r[0] for r in reps], first=first, last=last)
    return TeamTargetSources(kpis, team_ids, reps, own, of_reps)


def team_targets_from(
    loaded: TeamTargetSources, *, first: date, last: date, as_of: date, calendar: Calendar
) -> dict[tuple[str, int], PeriodTarget]:
    kpis, team_ids, reps, own, of_reps = loaded.kpis, loaded.team_ids, loaded.reps, loaded.own, loaded.of_reps
    window = dict(first=first, last=last, as_of=as_of, calendar=calendar)
    org_share = as_of_share(as_of)
    out = {}
    with_own = {(key[0], key[1]) if len(key) == 3 else (key[1], key[2]) for key in own}  # (kpi, team id)
    for kpi in kpis:
        for team_id in team_ids:
            if (kpi, team_id) not in with_own:
                continue
            found = period_target(kpi=kpi, monthly=own, scope_id=team_id, share=org_share, **window)
            if found is not None:
                out[(kpi, team_id)] = found
    # A spread is linear in the value: reps of a team who work the same days and hours, and whose
    # targets come from the same kind of source, are summed first and spread once (1,000 reps one
    # by one made this the organisation board's main cost).
    exact = granularity_of(first, last)
    exact = exact if exact != periods.MONTH else None
    months = list(periods.iter_periods(periods.MONTH, first, last))
    quarters = list(periods.iter_periods(periods.QUARTER, first, last))
    shares: dict = {}
    for kpi in kpis:
        if catalog.get(kpi).kind != catalog.COUNT:
            continue
        groups: dict[tuple, dict] = {}
        for rep_id, team_id, workdays, hours in reps:
            if (kpi, team_id) in out:
                continue
            if exact and (exact, kpi, rep_id, first) in of_reps:
                found = {(exact, kpi, 0, first): of_reps[(exact, kpi, rep_id, first)]}
            else:
                found = {(kpi, 0, m): of_reps[(kpi, rep_id, m)] for m in months if (kpi, rep_id, m) in of_reps}
                found = found or {
                    (periods.QUARTER, kpi, 0, q): of_reps[(periods.QUARTER, kpi, rep_id, q)]
                    for q in quarters
                    if (periods.QUARTER, kpi, rep_id, q) in of_reps
                }
            if not found:
                continue
            kind = next(iter(found))[:-3] if len(next(iter(found))) == 4 else ()
            group = groups.setdefault((team_id, workdays, hours, kind), {})
            for key, value in found.items():
                group[key] = group.get(key, Decimal(0)) + Decimal(value)
        sums: dict[int, list[Decimal]] = {}
        for (team_id, workdays, hours, _kind), summed in groups.items():
            if hours not in shares:
                shares[hours] = as_of_share(as_of, hours)
            found = period_target(
                kpi=kpi,
                monthly=summed,
                scope_id=0,
                workdays=frozenset(int(c) for c in workdays),
                share=shares[hours],
                **window,
            )
            if found is not None:
                total = sums.setdefault(team_id, [Decimal(0), Decimal(0)])
                total[0] += found.target
                total[1] += found.expected
        for team_id, (target, expected) in sums.items():
            out[(kpi, team_id)] = PeriodTarget(target, expected)
    return out


@dataclass(frozen=True)
class Projection:
    elapsed_days: int
    total_days: int
    projected: Decimal | None  # None before the first business day has passed


def projected_value(
    *, actual, first: date, last: date, as_of: date, calendar: Calendar, workdays=WEEKDAYS, share=None
) -> Projection:
    """End-of-period value if the pace so far continues: actual / elapsed business days x all of them,
    today counting the share of its working time passed."""
    total = calendar.count(first, last, workdays)
    elapsed = calendar.count(first, min(as_of, last), workdays) if as_of >= first else 0
    worked = Decimal(elapsed)
    if first <= as_of <= last and calendar.is_business_day(as_of, workdays):
        worked += (as_of_share(as_of) if share is None else share) - 1
    if not worked or actual is None:
        return Projection(elapsed, total, None)
    return Projection(elapsed, total, Decimal(actual) * total / worked)


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
