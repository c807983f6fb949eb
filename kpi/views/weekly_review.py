"""The manager's weekly review: target vs actual, open items, the funnel with its bottleneck, last week
against this week, and the weekday x hour connect-rate heatmap with the best hours. What it shows is
read in one go by kpi/selectors/weekly_review.py; this page only labels and lays it out."""

from dataclasses import asdict
from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from accounts import permissions

from .. import catalog, funnel, periods
from .. import permissions as kpi_permissions
from ..forms.weekly_review import WeekForm
from ..selectors import heatmap
from ..selectors.notices import team_webhooks_of
from ..selectors.weekly_review import WeeklyReview, weekly_review_for
from .csv_export import csv_response
from .funnel_rows import STEP_LABELS
from .params import wants_csv

WEEKDAYS = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]


@login_required
def weekly_review_home(request: HttpRequest) -> HttpResponse:
    team = permissions.teams_visible_to(request.user).first()
    permissions.require(team is not None and kpi_permissions.can_act_on_review_items(request.user))
    return redirect("weekly_review", team_id=team.pk)


@login_required
def weekly_review(request: HttpRequest, team_id: int) -> HttpResponse:
    team = permissions.team_for_user(request.user, team_id, manage=True)
    today = periods.today()
    week = WeekForm(request.GET, today=today).week_start()
    day = min(week + timedelta(days=6), today)  # a past week through its Sunday, the current one through today
    review = weekly_review_for(team=team, week_start=week, as_of=day)
    if wants_csv(request):
        return _csv(review, request.GET.get("table", "funnel"))
    counts = [int(review.month_sums[s] or 0) for s in funnel.STAGES]
    return render(
        request,
        "kpi/weekly_review.html",
        {
            "team": team,
            "teams": list(permissions.teams_managed_by(request.user)),
            "day": day,
            "is_current": review.is_current,
            "prev_week": week - timedelta(days=7),
            "next_week": week + timedelta(days=7) if week < periods.week_start(today) else None,
            "week_end": week + timedelta(days=6),
            "rechecks": review.rechecks,
            "outcomes": review.outcomes,
            "this_week": review.this_week,
            "last_week": review.last_week,
            "month": review.month,
            "rows": review.rows,
            "totals": review.totals,
            "week_totals": review.week_totals,
            "kpis": catalog.BOARD_KPIS,
            "items": [(i.item, i.subject, i.hint) for i in review.items],
            "stages": review.stages,
            "steps": [{**asdict(s), "label": STEP_LABELS[s.key]} for s in review.steps],
            "bottleneck_label": STEP_LABELS.get(review.bottleneck or ""),
            "bottleneck": review.bottleneck,
            "reference_label": review.reference,
            "compare": review.compare,
            "rate_compare": [{**r, "label": STEP_LABELS[r["key"]]} for r in review.rate_compare],
            "hours": review.hours,
            "grid": _grid(review),
            "best_hours": review.best_hours,
            "heatmap_min": heatmap.MIN_CALLS_FOR_CELL,
            "chart": {"labels": list(funnel.STAGES), "counts": counts},
            "webhooks": team_webhooks_of(team.pk),
        },
    )


def _grid(review: WeeklyReview) -> list[dict]:
    """Weekday rows of the heatmap: Monday to Friday always, the weekend when someone called."""
    hours, cells = review.hours, review.cells
    return [
        {"weekday": WEEKDAYS[w], "cells": [cells.get((w, h)) for h in hours]}
        for w in range(7)
        if any((w, h) in cells for h in hours) or w < 5
    ]


def _csv(review: WeeklyReview, table: str) -> HttpResponse:
    team_id, cells = review.team.pk, review.cells
    if table == "heatmap":
        return csv_response(
            f"heatmap_{team_id}.csv",
            ["weekday", "hour", "calls", "connects"],
            [[w, h, c.calls, c.connects] for (w, h), c in sorted(cells.items())],
        )
    if table == "compare":
        return csv_response(
            f"weeks_{team_id}.csv",
            ["stage", "last_week", "this_week"],
            [[c["stage"], c["last"], c["this"]] for c in review.compare],
        )
    return csv_response(
        f"funnel_{team_id}_{review.month:%Y-%m}.csv",
        ["stage", "count"],
        [[s, int(review.month_sums[s] or 0)] for s in funnel.STAGES],
    )
