"""The rep's today page: progress against today's target, and the quick-log of one call."""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from accounts import permissions

from .. import catalog, periods
from ..errors import ApplicationError
from ..forms.today import QuickLogForm
from ..selectors.boards import rep_today
from ..selectors.calendar import Calendar
from ..selectors.today import calls_logged_on
from ..selectors.values import kpi_series
from ..services import board_cache, quicklog


@login_required
def today(request: HttpRequest) -> HttpResponse:
    """The most opened page: its numbers are cached like the boards (per rep, day, pace step and data
    version), so a rep reloading it between calls costs a token read, not a dozen rollup reads."""
    rep, day = request.user, periods.today()
    working = Calendar(day, day).is_business_day(day, rep.workday_set)

    def render_numbers() -> str:
        trend = kpi_series(
            kpi="calls",
            scope="rep",
            scope_id=rep.pk,
            granularity=periods.DAY,
            start=periods.month_start(day),
            end=day,
            as_of=day,
            workdays=rep.workday_set,
            work_hours=rep.work_hours_per_day,
        )
        chart = {
            "labels": [f"{v.period_start.month}/{v.period_start.day}" for v in trend],
            "actual": [v.value for v in trend],
            "target": [float(v.target) if v.target is not None else None for v in trend],
            "actual_label": str(_("Calls")),
            "target_label": str(_("Daily target")),
        }
        return render_to_string(
            "kpi/partials/today_numbers.html",
            {"cards": rep_today(rep=rep, today=day), "kpis": catalog.TODAY_KPIS, "trend": trend, "trend_chart": chart},
        )

    numbers = board_cache.today_html(rep_id=rep.pk, team_id=rep.team_id, day=day, render=render_numbers)
    return render(request, "kpi/today.html", {"numbers": numbers, "day": day, "working": working})


@login_required
def quick_log(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_log_calls(request.user))
    form = QuickLogForm(request.POST or None)
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise ApplicationError("invalid quick-log form", fields=form.errors)
            data = form.cleaned_data
            quicklog.call_quick_log(
                rep=request.user,
                result=data["result"],
                duration_seconds=data["duration_seconds"],
                note=data["note"],
                reached_target=data["reached_target"],
                appointment_for=data["appointment_for"],
            )
            messages.success(request, _("Call logged."))
        except ApplicationError:  # a bad box, or a duration over a day
            messages.error(request, _("The call was not logged: check the duration."))
        return redirect("today")
    today = periods.local_date(datetime.now(periods.org_tz()))
    recent = list(calls_logged_on(rep=request.user, day=today))
    undoable = {c.pk for c in recent if quicklog.call_can_undo(c)}
    return render(
        request,
        "kpi/partials/today_quick_log.html",
        {"form": form, "results": quicklog.RESULTS, "recent": recent, "undoable": undoable},
    )


@login_required
def quick_log_undo(request: HttpRequest, pk: int) -> HttpResponse:
    """Take back a mis-tapped call within a couple of minutes (kept in the undo trail)."""
    permissions.require(permissions.can_log_calls(request.user) and request.method == "POST")
    try:
        quicklog.call_quick_log_undo(rep=request.user, call_id=pk)
        messages.success(request, _("Call taken back."))
    except ApplicationError as exc:
        if exc.status == 404:
            raise Http404 from None
        messages.error(request, _("Too late to undo: a call can be taken back for 2 minutes."))
    return redirect("today")
