"""Targets: an editable grid per team (its reps and the team total) or for the organisation, for one
day, week, month or quarter; the history of its changes; CSV import and export; and for a team's month
the month-to-date actual / pace / projected end-of-month per rep."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts import permissions

from .. import periods
from ..errors import ApplicationError
from ..forms.targets import (
    GRANULARITY_LABELS,
    TargetGridForm,
    TargetImportForm,
    TargetPeriodForm,
    cell_name,
    neighbours,
)
from ..selectors import target_grid
from ..services import targets as target_services
from .csv_export import csv_response
from .params import wants_csv


def _scope(user, query: TargetPeriodForm, scope: str, team_id, posted: bool):
    """(team or None for the organisation, the teams for the switcher). Naming a team the user does not
    manage is 403 (404 when there is none), never a fallback to another team."""
    if scope == "org":
        permissions.require(user.is_ops)
        return None, list(permissions.teams_managed_by(user))
    if team_id is not None:
        return permissions.team_for_user(user, team_id, manage=True), list(permissions.teams_managed_by(user))
    permissions.require(not (posted or query.team_given()))  # a team that is no id: refused, not replaced
    return permissions.managed_team_or_first(user, None)


@login_required
def targets_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    day = periods.today()
    posted = request.method == "POST"
    query = TargetPeriodForm(request.POST if posted else request.GET, today=day)
    scope, team_id, granularity, start = query.period()
    team, teams = _scope(user, query, scope, team_id, posted)
    reps = target_grid.team_reps(team=team, first=start) if team else []
    if team:
        subjects = [("rep", r.pk, str(r)) for r in reps] + [("team", team.pk, _("Team total"))]
    else:
        subjects = [("org", 0, _("Organisation"))]
    where = (
        f"scope=org&g={granularity}&d={start:%Y-%m-%d}"
        if team is None
        else f"team={team.pk}&g={granularity}&d={start:%Y-%m-%d}"
    )
    back = f"{request.path}?{where}"
    errors: dict = {}
    import_errors: list = []
    if posted and request.POST.get("action") == "import":
        upload = TargetImportForm(request.POST, request.FILES)
        try:
            if not upload.is_valid():
                raise ApplicationError(upload.errors["file"][0], fields={"0:file": upload.errors["file"][0]})
            n = target_services.targets_import(content=upload.cleaned_data["file"].read(), user=user)
            messages.success(request, _("Imported %(n)s targets.") % {"n": n})
            return redirect(back)
        except ApplicationError as exc:
            import_errors = target_services.import_error_rows(exc)
    elif posted:
        form = TargetGridForm(request.POST, subjects=[(s, sid) for s, sid, _label in subjects])
        if form.is_valid():
            target_services.targets_grid_save(granularity=granularity, start=start, values=form.values(), user=user)
            messages.success(request, _("Targets saved."))
            return redirect(back)
        errors = form.cell_errors()
    if wants_csv(request):
        name = team.pk if team else "org"
        return csv_response(
            f"targets_{name}_{start:%Y-%m}.csv",
            target_services.CSV_COLUMNS,
            target_services.targets_export_rows(
                targets=target_grid.quarter_targets_to(reps=reps, team=team, month=periods.month_start(start))
            ),
        )
    pairs = [(s, sid) for s, sid, _label in subjects]
    values = target_grid.period_targets(
        subjects=pairs, granularity=granularity, start=start, kpis=target_services.GRID_KPIS
    )
    prev, nxt = neighbours(granularity, start)
    month_view = team is not None and granularity == periods.MONTH
    return render(
        request,
        "kpi/targets.html",
        {
            "teams": teams,
            "team": team,
            "scope": "org" if team is None else "team",
            "can_org": user.is_ops,
            "granularity": granularity,
            "granularities": GRANULARITY_LABELS,
            "start": start,
            "end": periods.period_end(granularity, start),
            "kpis": target_services.GRID_KPIS,
            "kpi_heads": [(k, target_services.unit_of(k)) for k in target_services.GRID_KPIS],
            "grid": _grid(subjects, values, errors, request.POST),
            "errors": errors,
            "import_errors": import_errors,
            "history": [
                (c, target_services.entry_text(c.kpi, c.old), target_services.entry_text(c.kpi, c.new))
                for c in target_grid.target_history(
                    subjects={(s, sid): label for s, sid, label in subjects}, granularity=granularity, start=start
                )
            ],
            "mtd": target_grid.month_to_date(reps=reps, values=values, month=start, day=day) if month_view else [],
            "mtd_kpis": target_grid.MTD_KPIS,
            "prev": prev,
            "next": nxt,
            "where": where,
        },
    )


def _grid(subjects, values, errors, posted) -> list[dict]:
    """The grid's rows: what was typed when the save was refused, else the stored targets."""
    grid = []
    for scope, scope_id, label in subjects:
        cells = []
        for kpi in target_services.GRID_KPIS:
            name = cell_name(scope, scope_id, kpi)
            stored = target_services.entry_text(kpi, values.get((scope, scope_id, kpi)))
            raw = posted.get(name, stored) if errors else stored
            cells.append({"name": name, "value": raw or "", "error": errors.get(f"{scope}_{scope_id}_{kpi}")})
        grid.append({"label": label, "scope": scope, "cells": cells})
    return grid
