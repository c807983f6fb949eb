"""Org structure (Admin): the ops page listing teams, managers and members, at /accounts/structure/."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts import permissions
from accounts.selectors import org_structure as read_org_structure

from .csv_export import csv_response

WEEKDAY_LABELS = "月火水木金土日"


@login_required
def org_structure(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_administer(request.user))
    teams, unassigned = read_org_structure()
    if request.GET.get("format") == "csv":
        rows = [
            (u.email, u.name, u.role, team.name, u.work_hours_per_day, u.workdays)
            for team in teams
            for u in team.active_members
        ] + [(u.email, u.name, u.role, "", u.work_hours_per_day, u.workdays) for u in unassigned]
        return csv_response("org-structure.csv", ["email", "name", "role", "team", "work_hours", "workdays"], rows)
    return render(request, "kpi/org_structure.html", {"teams": teams, "unassigned": unassigned})
