"""What the targets page reads: a team's reps, their and the team's month targets, the CSV export's
rows, and month-to-date actual / pace / projected end of month per rep."""

from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet

from accounts.models import Team, User

from .. import periods
from ..models import Rollup, Target
from .calendar import Calendar
from .targets import as_of_share, period_target, projected_value

MTD_KPIS = ("calls", "connects", "effective_calls", "meetings")


def team_reps(*, team: Team) -> list[User]:
    return list(User.objects.filter(team=team, role=User.Role.REP, is_active=True).order_by("name", "pk"))


def _scopes(reps: list[User], team: Team) -> Q:
    return Q(scope="rep", scope_id__in=[r.pk for r in reps]) | Q(scope="team", scope_id=team.pk)


def month_targets(*, reps: list[User], team: Team, month: date, kpis) -> dict[tuple[str, int, str], Decimal]:
    """{(scope, scope id, kpi): value} of the reps' and the team's monthly targets for `month`."""
    existing = Target.objects.filter(
        _scopes(reps, team), granularity=periods.MONTH, period_start=month, kpi_key__in=kpis
    )
    return {(t.scope, t.scope_id, t.kpi_key): t.value for t in existing}


def quarter_targets_to(*, reps: list[User], team: Team, month: date) -> QuerySet[Target]:
    """Every target of the reps and the team from the quarter's start to the end of `month` (the CSV)."""
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
