"""Targets: an editable reps x KPIs table per team and month, CSV import and export, and month-to-date
actual / pace / projected end-of-month per rep."""

from datetime import timedelta
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts import permissions
from accounts.models import User

from .. import catalog, periods
from ..models import Rollup, Target
from ..selectors.calendar import Calendar
from ..selectors.targets import projected_value
from ..services import targets as target_services
from .csv_export import csv_response
from .params import parse_month, today, wants_csv

MTD_KPIS = ("calls", "connects", "effective_calls", "meetings")


def _display(kpi: str, value) -> str:
    if value is None:
        return ""
    if catalog.get(kpi).kind == catalog.RATIO:
        return f"{(Decimal(value) * 100).normalize():f}"
    return f"{Decimal(value).normalize():f}"


@login_required
def targets_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    teams = list(permissions.teams_managed_by(user))
    permissions.require(bool(teams))
    raw_team = request.POST.get("team") or request.GET.get("team")
    team = next((t for t in teams if str(t.pk) == str(raw_team)), teams[0])
    day = today()
    month = parse_month(request.POST.get("month") or request.GET.get("month"), day)
    reps = list(User.objects.filter(team=team, role=User.Role.REP, is_active=True).order_by("name", "pk"))
    subjects = [("rep", r.pk, str(r)) for r in reps] + [("team", team.pk, _("Team total"))]
    scope_q = Q(scope="rep", scope_id__in=[r.pk for r in reps]) | Q(scope="team", scope_id=team.pk)
    existing = Target.objects.filter(
        scope_q, granularity=periods.MONTH, period_start=month, kpi_key__in=target_services.GRID_KPIS
    )
    errors: dict = {}
    import_errors: list = []
    if request.method == "POST" and request.POST.get("action") == "import":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise target_services.TargetImportError([(0, "file", _("choose a CSV file"))])
            n = target_services.targets_import(content=upload.read(), user=user)
            messages.success(request, _("Imported %(n)s targets.") % {"n": n})
            return redirect(f"{request.path}?team={team.pk}&month={month:%Y-%m}")
        except target_services.TargetImportError as exc:
            import_errors = exc.errors
    elif request.method == "POST":
        rows, deletions = [], []
        for scope, scope_id, _label in subjects:
            for kpi in target_services.GRID_KPIS:
                raw = (request.POST.get(f"v_{scope}_{scope_id}_{kpi}") or "").strip()
                if raw == "":
                    deletions.append((kpi, scope, scope_id, periods.MONTH, month))
                    continue
                try:
                    number = Decimal(raw.replace(",", ""))
                    if catalog.get(kpi).kind == catalog.RATIO:
                        number = number / 100
                    value = target_services.parse_value(kpi, str(number))
                except ArithmeticError:  # decimal.InvalidOperation: its message is not for people
                    errors[f"{scope}_{scope_id}_{kpi}"] = _("not a number")
                    continue
                except ValueError as exc:
                    errors[f"{scope}_{scope_id}_{kpi}"] = str(exc)
                    continue
                rows.append(target_services.TargetRow(kpi, scope, scope_id, periods.MONTH, month, value))
        if not errors:
            target_services.targets_write(rows=rows, deletions=deletions, user=user)
            messages.success(request, _("Targets saved."))
            return redirect(f"{request.path}?team={team.pk}&month={month:%Y-%m}")
    if wants_csv(request):
        all_rows = Target.objects.filter(
            scope_q,
            period_start__gte=periods.quarter_start(month),
            period_start__lte=periods.period_end(periods.MONTH, month),
        )
        return csv_response(
            f"targets_{team.pk}_{month:%Y-%m}.csv",
            target_services.CSV_COLUMNS,
            target_services.targets_export_rows(targets=all_rows.order_by("scope", "scope_id", "kpi_key")),
        )
    values = {(t.scope, t.scope_id, t.kpi_key): t.value for t in existing}
    grid = []
    for scope, scope_id, label in subjects:
        cells = []
        for kpi in target_services.GRID_KPIS:
            name = f"v_{scope}_{scope_id}_{kpi}"
            raw = request.POST.get(name) if errors else _display(kpi, values.get((scope, scope_id, kpi)))
            cells.append({"name": name, "value": raw or "", "error": errors.get(f"{scope}_{scope_id}_{kpi}")})
        grid.append({"label": label, "scope": scope, "cells": cells})
    return render(
        request,
        "kpi/targets.html",
        {
            "teams": teams,
            "team": team,
            "month": month,
            "kpis": target_services.GRID_KPIS,
            "grid": grid,
            "errors": errors,
            "import_errors": import_errors,
            "mtd": _month_to_date(reps, values, month, day),
            "mtd_kpis": MTD_KPIS,
            "prev": periods.month_start(month - timedelta(days=1)),
            "next": periods.next_period_start(periods.MONTH, month),
        },
    )


def _month_to_date(reps, values, month, day) -> list[dict]:
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
        workdays = rep.workday_set
        total = calendar.count(month, last, workdays)
        elapsed = calendar.count(month, min(day, last), workdays) if day >= month else 0
        cells = []
        for kpi in MTD_KPIS:
            actual = getattr(rows[rep.pk], kpi) if rep.pk in rows else 0
            target = values.get(("rep", rep.pk, kpi))
            expected = Decimal(target) * elapsed / total if target is not None and total else None
            projection = projected_value(
                actual=actual, first=month, last=last, as_of=day, calendar=calendar, workdays=workdays
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
