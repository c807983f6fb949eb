"""Targets: an editable reps x KPIs table per team and month, CSV import and export, and month-to-date
actual / pace / projected end-of-month per rep."""

from datetime import timedelta
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts import permissions

from .. import catalog, periods
from ..errors import ApplicationError
from ..forms.targets import TargetGridForm, TargetImportForm, cell_name
from ..selectors import target_grid
from ..services import targets as target_services
from .csv_export import csv_response
from .params import parse_month, wants_csv


def _display(kpi: str, value) -> str:
    if value is None:
        return ""
    if catalog.get(kpi).kind == catalog.RATIO:
        return f"{(Decimal(value) * 100).normalize():f}"
    return f"{Decimal(value).normalize():f}"


@login_required
def targets_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    team, teams = permissions.managed_team_or_first(user, request.POST.get("team") or request.GET.get("team"))
    day = periods.today()
    month = parse_month(request.POST.get("month") or request.GET.get("month"), day)
    reps = target_grid.team_reps(team=team)
    subjects = [("rep", r.pk, str(r)) for r in reps] + [("team", team.pk, _("Team total"))]
    back = f"{request.path}?team={team.pk}&month={month:%Y-%m}"
    errors: dict = {}
    import_errors: list = []
    if request.method == "POST" and request.POST.get("action") == "import":
        upload = TargetImportForm(request.POST, request.FILES)
        try:
            if not upload.is_valid():
                raise ApplicationError(upload.errors["file"][0], fields={"0:file": upload.errors["file"][0]})
            n = target_services.targets_import(content=upload.cleaned_data["file"].read(), user=user)
            messages.success(request, _("Imported %(n)s targets.") % {"n": n})
            return redirect(back)
        except ApplicationError as exc:
            import_errors = target_services.import_error_rows(exc)
    elif request.method == "POST":
        form = TargetGridForm(request.POST, subjects=[(scope, scope_id) for scope, scope_id, _label in subjects])
        if form.is_valid():
            target_services.targets_grid_save(month=month, values=form.values(), user=user)
            messages.success(request, _("Targets saved."))
            return redirect(back)
        errors = form.cell_errors()
    if wants_csv(request):
        return csv_response(
            f"targets_{team.pk}_{month:%Y-%m}.csv",
            target_services.CSV_COLUMNS,
            target_services.targets_export_rows(
                targets=target_grid.quarter_targets_to(reps=reps, team=team, month=month)
            ),
        )
    values = target_grid.month_targets(reps=reps, team=team, month=month, kpis=target_services.GRID_KPIS)
    return render(
        request,
        "kpi/targets.html",
        {
            "teams": teams,
            "team": team,
            "month": month,
            "kpis": target_services.GRID_KPIS,
            "grid": _grid(subjects, values, errors, request.POST),
            "errors": errors,
            "import_errors": import_errors,
            "mtd": target_grid.month_to_date(reps=reps, values=values, month=month, day=day),
            "mtd_kpis": target_grid.MTD_KPIS,
            "prev": periods.month_start(month - timedelta(days=1)),
            "next": periods.next_period_start(periods.MONTH, month),
        },
    )


def _grid(subjects, values, errors, posted) -> list[dict]:
    """The grid's rows: what was typed when the save was refused, else the stored targets."""
    grid = []
    for scope, scope_id, label in subjects:
        cells = []
        for kpi in target_services.GRID_KPIS:
            name = cell_name(scope, scope_id, kpi)
            raw = posted.get(name) if errors else _display(kpi, values.get((scope, scope_id, kpi)))
            cells.append({"name": name, "value": raw or "", "error": errors.get(f"{scope}_{scope_id}_{kpi}")})
        grid.append({"label": label, "scope": scope, "cells": cells})
    return grid
