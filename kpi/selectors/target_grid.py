"""What the targets page reads: a team's reps, the targets of a grid's subjects for one period, their
history, the CSV export's rows, and month-to-date actual / pace / projected end of month per rep."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Q, QuerySet

from accounts.models import Team, User

from .. import periods
from ..models import Rollup, Target, TargetChange
from .calendar import Calendar
from .targets import as_of_share, period_target, projected_value

MTD_KPIS = ("calls", "connects", "effective_calls", "meetings")


def team_reps(*, team: Team, first: date | None = None) -> list[User]:
    """The team's reps working on `first` or after it (a leaver stays until their last day)."""
    working = Q(is_active=True, last_day__isnull=True)
    if first is not None:
        working |= Q(last_day__gte=first)
    return list(User.objects.filter(working, team=team, role=User.Role.REP).order_by("name", "pk"))


def period_targets(*, subjects, granularity: str, start: date, kpis) -> dict[tuple[str, int, str], Decimal]:
    """{(scope, scope id, kpi): value} of the subjects' targets set for exactly that period."""
    if not subjects:
        return {}
    scopes = Q()
    for scope, scope_id in subjects:
        scopes |= Q(scope=scope, scope_id=scope_id)
    existing = Target.objects.filter(scopes, granularity=granularity, period_start=start, kpi_key__in=kpis)
    return {(t.scope, t.scope_id, t.kpi_key): t.value for t in existing}


@dataclass(frozen=True)
class Change:
    at: datetime
    by: str
    subject: str
    kpi: str
    granularity: str
    period_start: date
    old: Decimal | None
    new: Decimal | None
    source: str
    source_label: str


def target_history(*, subjects: dict[tuple[str, int], str], granularity: str, start: date, limit: int = 50):
    """The latest changes of the subjects' targets for that period, newest first (one query).
    `subjects`: {(scope, scope id): label}."""
    if not subjects:
        return []
    scopes = Q()
    for scope, scope_id in subjects:
        scopes |= Q(scope=scope, scope_id=scope_id)
    rows = (
        TargetChange.objects.filter(scopes, granularity=granularity, period_start=start)
        .select_related("changed_by")
        .order_by("-changed_at", "-pk")[:limit]
    )
    return [
        Change(
            at=c.changed_at,
            by=str(c.changed_by) if c.changed_by else "",
            subject=subjects[(c.scope, c.scope_id)],
            kpi=c.kpi_key,
            granularity=c.granularity,
            period_start=c.period_start,
            old=c.old_value,
            new=c.new_value,
            source=c.source,
            source_label=c.get_source_display(),
        )
        for c in rows
    ]


def _scopes(reps: list[User], team: Team | None) -> Q:
    if team is None:
        return Q(scope="org", scope_id=0)
    return Q(scope="rep", scope_id__in=[r.pk for r in reps]) | Q(scope="team", scope_id=team.pk)


def quarter_targets_to(*, reps: list[User], team: Team | None, month: date) -> QuerySet[Target]:
    """Every target of the reps and the team (None: the organisation) from the quarter's start to the end
    of `month` (the CSV)."""
    return Target.objects.filter(
        _scopes(reps, team),
        period_start__gte=periods.quarter_start(month),
        period_start__lte=periods.period_end(periods.MONTH, month),
    ).order_by("scope", "scope_id", "kpi_key")


def month_to_date(*, reps: list[User], values: dict, month: date, day: date) -> list[dict]:
    """Per rep and count KPI: actual so far, expected by today (pace) and projected end of month."""
    last = periods.period_end(periods.MONTH, month)
    calendar = Calendar(month, last)
    rows = {
        r.scope_id: r
        for r in Rollup.objects.filter(
            granularity=periods.MONTH, scope="rep", scope_id__in=[r.pk for r in reps], period_start=month
        )
    }
    out = []
    for rep in reps:
        workdays, share = rep.workday_set, as_of_share(day, rep.work_hours_per_day)
        cells = []
        for kpi in MTD_KPIS:
            actual = getattr(rows[rep.pk], kpi) if rep.pk in rows else 0
            target = values.get(("rep", rep.pk, kpi))
            # The pace every board uses (kpi/selectors/targets.py), for this rep's days and hours.
            paced = period_target(
                kpi=kpi,
                monthly={(kpi, rep.pk, month): target} if target is not None else {},
                scope_id=rep.pk,
                first=month,
                last=last,
                as_of=day,
                calendar=calendar,
                workdays=workdays,
                share=share,
            )
            expected = paced.expected if paced is not None else None
            projection = projected_value(
                actual=actual, first=month, last=last, as_of=day, calendar=calendar, workdays=workdays, share=share
            )
            cells.append(
                {
                    "kpi": kpi,
                    "actual": actual,
                    "target": target,
                    "expected": expected,
                    "projected": projection.projected,
                    "att": Decimal(actual) / expected if expected else None,
                }
            )
        out.append({"rep": rep, "cells": cells})
    return out
