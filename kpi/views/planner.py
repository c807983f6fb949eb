"""The KGI planner: goal -> walk-back table -> verdict -> saved version -> applied targets."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts import permissions

from .. import periods
from ..errors import ApplicationError
from ..forms.planner import plan_input_parse
from ..permissions import plan_for_user, planner_team_for_user
from ..selectors import consistency
from ..selectors.plans import plan_check, plan_preview, plans_for, trailing_rates
from ..services import planner
from .csv_export import csv_response
from .funnel_rows import STEP_LABELS, VERDICTS, amount_source, rate_rows, stage_rows
from .params import parse_month, wants_csv


@login_required
def planner_page(request: HttpRequest) -> HttpResponse:
    team = planner_team_for_user(request.user, request.POST.get("team") or request.GET.get("team"))
    day = periods.today()
    month = parse_month(
        request.POST.get("month") or request.GET.get("month"),
        periods.next_period_start(periods.MONTH, periods.month_start(day)),
    )
    result, errors = None, {}
    if request.method == "POST":
        try:
            plan_input = plan_input_parse(team=team, data=request.POST.dict(), percent=True)
            if request.POST.get("action") == "save":
                plan = planner.plan_save(plan_input=plan_input, as_of=day, user=request.user)
                messages.success(request, _("Plan saved as version %(v)s.") % {"v": plan.version})
                return redirect("plan_detail", pk=plan.pk)
            result = plan_preview(plan_input=plan_input, as_of=day)
        except ApplicationError as exc:
            errors = exc.fields
    window, trailing = trailing_rates(team_id=team.pk, as_of=day)
    summary, warnings = consistency.month_consistency(month=month)
    return render(
        request,
        "kpi/planner.html",
        {
            "teams": permissions.teams_managed_by(request.user),
            "team": team,
            "month": month,
            "result": result,
            "errors": errors,
            "form": request.POST if request.method == "POST" else {},
            "trailing": trailing,
            "history": plans_for(team_ids=[team.pk])[:30],
            "warnings": warnings,
            "summary": summary,
            "window": window,
            "rate_rows": rate_rows(result) if result else None,
            "amount_source": amount_source(result) if result else None,
            "stage_rows": stage_rows(result) if result else None,
            "verdict": VERDICTS.get(result["verdict"]) if result else None,
            "trailing_rows": [
                {
                    "key": r.key,
                    "label": STEP_LABELS[r.key],
                    "rate": r.rate,
                    "source": r.source,
                    "num": r.num,
                    "den": r.den,
                }
                for r in trailing
            ],
        },
    )


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_for_user(request.user, pk, write=True)
    if wants_csv(request):
        return csv_response(
            f"plan_{plan.team_id}_{plan.month:%Y-%m}_v{plan.version}.csv",
            ["kpi", "scope", "scope_id", "name", "month", "value"],
            [
                [t["kpi"], t["scope"], t["scope_id"], t.get("name", plan.team.name), plan.month.isoformat(), t["value"]]
                for t in plan.result.get("targets", [])
            ],
        )
    day = periods.today()
    _summary, warnings = consistency.month_consistency(month=plan.month)
    check = plan_check(plan=plan, as_of=day) if day >= plan.month else None
    return render(
        request,
        "kpi/planner_plan.html",
        {
            "plan": plan,
            "result": plan.result,
            "check": check,
            "warnings": warnings,
            "history": plans_for(team_ids=[plan.team_id], month=plan.month),
            "rate_rows": rate_rows(plan.result),
            "amount_source": amount_source(plan.result),
            "stage_rows": stage_rows(plan.result),
            "verdict": VERDICTS.get(plan.result.get("verdict")),
            "broken_label": STEP_LABELS.get(check.broken) if check and check.broken else None,
            "check_rows": [{"label": STEP_LABELS[s.key], "s": s} for s in check.steps] if check else [],
            "target_rows": plan.result.get("targets", []),
        },
    )


@login_required
def plan_apply(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_for_user(request.user, pk, write=True)
    permissions.require(request.method == "POST")
    written = planner.plan_apply(plan=plan, user=request.user)
    messages.success(request, _("Plan applied: %(n)s targets written.") % {"n": written})
    return redirect("plan_detail", pk=plan.pk)
