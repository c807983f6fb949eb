"""The manager's weekly review: target vs actual, open items, the funnel with its bottleneck, last week
against this week, and the weekday x hour connect-rate heatmap with the best hours."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from accounts import permissions
from accounts.models import Team, User

from .. import catalog, periods
from ..models import ReviewItem
from ..selectors import funnel, heatmap
from ..selectors.boards import team_board
from ..selectors.plans import latest_plan
from ..selectors.reviews import HINTS, items_ordered
from ..services.reviews import subject_labels
from .csv_export import csv_response
from .funnel_rows import STEP_LABELS
from .params import today, wants_csv

WEEKDAYS = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]
HEATMAP_DAYS = 56  # eight weeks: enough calls per weekday x hour cell to mean something


@login_required
def weekly_review_home(request: HttpRequest) -> HttpResponse:
    team = permissions.teams_visible_to(request.user).first()
    permissions.require(team is not None and (request.user.is_ops or request.user.role == User.Role.MANAGER))
    return redirect("weekly_review", team_id=team.pk)


@login_required
def weekly_review(request: HttpRequest, team_id: int) -> HttpResponse:
    team = get_object_or_404(Team, pk=team_id)
    permissions.require(permissions.can_manage_team(request.user, team.pk))
    day = today()
    this_week = periods.week_start(day)
    last_week = this_week - timedelta(days=7)
    month = periods.month_start(day)
    this_sums = funnel.team_sums(team_id=team.pk, first=this_week, last=day)
    last_sums = funnel.team_sums(team_id=team.pk, first=last_week, last=this_week - timedelta(days=1))
    month_sums = funnel.team_sums(team_id=team.pk, first=month, last=day)

    plan = latest_plan(team_id=team.pk, month=month)
    if plan is not None:
        reference = {k: Decimal(v["rate"]) for k, v in plan.result.get("rates", {}).items()}
        reference_label = "plan"
    else:
        reference, reference_label = dict(funnel.BENCHMARK_RATES), "benchmark"
    rates = funnel.actual_rates(month_sums)
    # Steps with fewer attempts than their minimum sample cannot be the bottleneck yet.
    judged = {k: rates[k] for k, _n, den in funnel.STEPS if (month_sums[den] or 0) >= funnel.MIN_DENOMINATOR[k]}
    bottleneck = funnel.bottleneck(judged, reference)
    steps = [
        {
            "key": k,
            "label": STEP_LABELS[k],
            "num": n,
            "den": d,
            "actual": rates[k],
            "reference": reference.get(k),
            "is_bottleneck": k == bottleneck,
        }
        for k, n, d in funnel.STEPS
    ]

    rows, totals = team_board(team=team, granularity=periods.MONTH, day=month, as_of=day)
    _week_rows, week_totals = team_board(team=team, granularity=periods.WEEK, day=this_week, as_of=day)
    rep_ids = [r.rep.pk for r in rows]
    hours, cells = heatmap.connect_heatmap(rep_ids=rep_ids, first=day - timedelta(days=HEATMAP_DAYS), last=day)
    compare = [{"stage": s, "last": int(last_sums[s] or 0), "this": int(this_sums[s] or 0)} for s in funnel.STAGES]
    last_rates, this_rates = funnel.actual_rates(last_sums), funnel.actual_rates(this_sums)
    rate_compare = [
        {"key": k, "label": STEP_LABELS[k], "last": last_rates[k], "this": this_rates[k]} for k, _n, _d in funnel.STEPS
    ]
    items = list(
        items_ordered(ReviewItem.objects.filter(team=team, status=ReviewItem.Status.OPEN).select_related("team"))
    )
    labels = subject_labels(items)

    if wants_csv(request):
        table = request.GET.get("table", "funnel")
        if table == "heatmap":
            return csv_response(
                f"heatmap_{team.pk}.csv",
                ["weekday", "hour", "calls", "connects"],
                [[w, h, c.calls, c.connects] for (w, h), c in sorted(cells.items())],
            )
        if table == "compare":
            return csv_response(
                f"weeks_{team.pk}.csv",
                ["stage", "last_week", "this_week"],
                [[c["stage"], c["last"], c["this"]] for c in compare],
            )
        return csv_response(
            f"funnel_{team.pk}_{month:%Y-%m}.csv",
            ["stage", "count"],
            [[s, int(month_sums[s] or 0)] for s in funnel.STAGES],
        )
    grid = [
        {"weekday": WEEKDAYS[w], "cells": [cells.get((w, h)) for h in hours]}
        for w in range(7)
        if any((w, h) in cells for h in hours) or w < 5
    ]
    return render(
        request,
        "kpi/weekly_review.html",
        {
            "team": team,
            "teams": [
                t for t in permissions.teams_visible_to(request.user) if permissions.can_manage_team(request.user, t.pk)
            ],
            "day": day,
            "this_week": this_week,
            "last_week": last_week,
            "month": month,
            "rows": rows,
            "totals": totals,
            "week_totals": week_totals,
            "kpis": catalog.BOARD_KPIS,
            "items": [(i, labels[i.pk], HINTS.get(i.hint, "")) for i in items],
            "stages": [{"stage": s, "count": int(month_sums[s] or 0)} for s in funnel.STAGES],
            "steps": steps,
            "bottleneck_label": STEP_LABELS.get(bottleneck or ""),
            "bottleneck": bottleneck,
            "reference_label": reference_label,
            "compare": compare,
            "rate_compare": rate_compare,
            "hours": hours,
            "grid": grid,
            "best_hours": heatmap.best_hours(cells),
            "chart": {"labels": list(funnel.STAGES), "counts": [int(month_sums[s] or 0) for s in funnel.STAGES]},
        },
    )
