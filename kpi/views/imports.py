"""Import pages: upload (calls or reps), history, job progress and the full error list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from accounts import permissions

from .. import permissions as kpi_permissions
from ..forms.imports import MappingForm, UploadForm
from ..models import ImportJob
from ..selectors.imports import column_mappings, import_jobs
from ..services.imports.errors import reason_text
from ..services.imports.jobs import import_job_create
from ..services.imports.mappings import column_mapping_save
from .csv_export import csv_response


@login_required
def imports(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_import(request.user))
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["kind"] == ImportJob.Kind.REPS:
            permissions.require(permissions.can_import_reps(request.user))
        job = import_job_create(
            kind=data["kind"],
            source=data["source"],
            upload=data["file"],
            mapping=data["mapping"],
            dry_run=data["dry_run"],
            by=request.user,
        )
        return redirect("import_job", job_id=job.pk)
    jobs = import_jobs()
    if request.GET.get("format") == "csv":  # the whole history; the page shows the latest 50
        return _jobs_csv(jobs.iterator(chunk_size=500))
    jobs = jobs[:50]
    return render(
        request,
        "kpi/imports.html",
        {"form": form, "jobs": jobs, "mapping_form": MappingForm(), "mappings": column_mappings()},
    )


@login_required
def mapping_save(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_import(request.user) and request.method == "POST")
    form = MappingForm(request.POST)
    if form.is_valid():
        column_mapping_save(name=form.cleaned_data["name"], columns=form.columns(), by=request.user)
        messages.success(request, _("Column mapping saved."))
    else:
        messages.error(request, _("The mapping needs a name."))
    return redirect("imports")


@login_required
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    job = kpi_permissions.import_job_for_user(request.user, job_id)
    errors = [{**e, "reason": reason_text(e["code"])} for e in job.errors]
    if request.GET.get("format") == "csv":
        return _errors_csv(job, errors)
    template = "kpi/partials/import_job_status.html" if request.headers.get("HX-Request") else "kpi/import_job.html"
    percent = min(100, round(100 * job.rows_done / job.rows_total)) if job.rows_total else 0
    return render(
        request,
        template,
        {
            "job": job,
            "errors": errors,
            "percent": percent,
            "running": job.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING),
        },
    )


def _errors_csv(job: ImportJob, errors: list[dict]) -> HttpResponse:
    rows = ([e["row"], e["column"], e["reason"], e["value"]] for e in errors)
    return csv_response(f"import-{job.pk}-errors.csv", ["row", "column", "reason", "value"], rows)


def _jobs_csv(jobs) -> HttpResponse:
    header = ["id", "kind", "file", "source", "status", "rows", "created", "unchanged", "errors", "created_at"]
    rows = (
        [
            j.pk,
            j.kind,
            j.original_name,
            j.source,
            j.status,
            j.rows_total,
            j.created,
            j.unchanged,
            len(j.errors),
            j.created_at.isoformat(),
        ]
        for j in jobs
    )
    return csv_response("imports.csv", header, rows)
