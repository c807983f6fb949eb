"""Import pages: upload (calls or reps), history, job progress and the full error list."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts import permissions

from ..models import ColumnMapping, ImportJob
from ..services.imports.columns import CALL_COLUMNS
from ..services.imports.errors import reason_text
from ..services.imports.jobs import import_job_enqueue
from .csv_export import csv_response


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=pgettext_lazy("kind", "What"), choices=ImportJob.Kind.choices, initial=ImportJob.Kind.CALLS
    )
    file = forms.FileField(label=_("CSV file"))
    source = forms.SlugField(
        label=_("Source"),
        max_length=64,
        initial="upload",
        help_text=_("e.g. miitel, zoom-phone; the same id from the same source is one call"),
    )
    mapping = forms.ModelChoiceField(label=_("Column mapping"), queryset=ColumnMapping.objects.all(), required=False)
    dry_run = forms.BooleanField(label=_("Dry run (check and count, store nothing)"), required=False)


class MappingForm(forms.Form):
    name = forms.CharField(label=_("Mapping name"), max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for column in CALL_COLUMNS:
            self.fields[column] = forms.CharField(label=column, max_length=100, required=False)


@login_required
def imports(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_import(request.user))
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["kind"] == ImportJob.Kind.REPS:
            permissions.require(permissions.can_administer(request.user))
        upload = form.cleaned_data["file"]
        job = ImportJob.objects.create(
            kind=form.cleaned_data["kind"],
            source=form.cleaned_data["source"],
            file=upload,
            original_name=upload.name[:255],
            mapping=form.cleaned_data["mapping"],
            dry_run=form.cleaned_data["dry_run"],
            created_by=request.user,
        )
        import_job_enqueue(job)
        return redirect("import_job", job_id=job.pk)
    jobs = ImportJob.objects.all()
    if request.GET.get("format") == "csv":  # the whole history; the page shows the latest 50
        return _jobs_csv(jobs.iterator(chunk_size=500))
    jobs = jobs[:50]
    return render(
        request,
        "kpi/imports.html",
        {"form": form, "jobs": jobs, "mapping_form": MappingForm(), "mappings": ColumnMapping.objects.all()},
    )


@login_required
def mapping_save(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_import(request.user) and request.method == "POST")
    form = MappingForm(request.POST)
    if form.is_valid():
        columns = {c: form.cleaned_data[c] for c in CALL_COLUMNS if form.cleaned_data[c]}
        ColumnMapping.objects.update_or_create(
            name=form.cleaned_data["name"], defaults={"columns": columns, "created_by": request.user}
        )
        messages.success(request, _("Column mapping saved."))
    else:
        messages.error(request, _("The mapping needs a name."))
    return redirect("imports")


@login_required
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    permissions.require(permissions.can_import(request.user))
    job = get_object_or_404(ImportJob, pk=job_id)
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
