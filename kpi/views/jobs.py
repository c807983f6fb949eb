"""Job health (ops): the last background runs and how fresh the rollups are."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts import permissions

from ..selectors.jobs import job_runs_latest, last_rollup_written_at


@login_required
def job_health(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_administer(request.user))
    return render(
        request,
        "kpi/jobs.html",
        {"runs": job_runs_latest(), "last_rollup_at": last_rollup_written_at()},
    )
