"""Import pages: upload (calls or reps), the preview of a call file through an import profile (and the
profile editor on it), import profiles, history, job progress and the full error list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import permissions

from .. import permissions as kpi_permissions
from ..errors import ApplicationError
from ..forms.imports import FIELD_LABELS, ProfileForm, UnknownValuesForm, UploadForm
from ..models import ImportJob, ImportProfile
from ..selectors.imports import import_jobs, import_profiles
from ..services.imports.errors import reason_text
from ..services.imports.jobs import import_job_create, import_job_start
from ..services.imports.mappings import (
    import_profile_add_values,
    import_profile_delete,
    import_profile_save,
    import_profiles_ensure_builtin,
)
from ..services.imports.profiles import Profile, profile_preview, profile_suggest
from ..services.imports.reader import CsvStream
from .csv_export import csv_response


@login_required
def imports(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_import(request.user))
    import_profiles_ensure_builtin()
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["kind"] == ImportJob.Kind.REPS:
            permissions.require(permissions.can_import_reps(request.user))
        profile = data["profile"] if data["kind"] == ImportJob.Kind.CALLS else None
        # Through a profile, a call file is always previewed first: its warnings are seen before it is stored.
        preview = data["kind"] == ImportJob.Kind.CALLS and (profile is not None or "preview" in request.POST)
        job = import_job_create(
            kind=data["kind"],
            source=data["source"] or (profile.source if profile and profile.source else "upload"),
            upload=data["file"],
            profile=profile,
            dry_run=data["dry_run"],
            by=request.user,
            preview=preview,
        )
        return redirect("import_preview" if preview else "import_job", job_id=job.pk)
    jobs = import_jobs(request.user)
    if request.GET.get("format") == "csv":  # the whole history; the page shows the latest 50
        return _jobs_csv(jobs.iterator(chunk_size=500))
    return render(
        request,
        "kpi/imports.html",
        {
            "form": form,
            "jobs": jobs[:50],
            "profiles": import_profiles(),
            "can_manage_profiles": kpi_permissions.can_manage_import_profiles(request.user),
        },
    )


def _preview_profile(request: HttpRequest, job: ImportJob):
    """The profile the preview reads with: ?profile=<id> (switching), else the job's."""
    chosen = request.GET.get("profile") or request.POST.get("profile")
    if chosen and str(chosen).isdecimal():
        return get_object_or_404(ImportProfile, pk=int(chosen))
    return job.profile


@login_required
def import_preview(request: HttpRequest, job_id: int) -> HttpResponse:
    job = kpi_permissions.import_job_for_user(request.user, job_id)
    if job.status != ImportJob.Status.PREVIEW:
        return redirect("import_job", job_id=job.pk)
    profile = _preview_profile(request, job)
    may_edit = kpi_permissions.can_manage_import_profiles(request.user)
    preview = profile_preview(
        path=job.file.path, profile=profile, allowed_reps=kpi_permissions.import_rep_ids_for(request.user)
    )
    base = Profile.of(profile) if profile is not None else profile_suggest(preview.header)
    initial = ProfileForm.initial_for(base)
    if profile is None:
        initial.update(name="", source=job.source if job.source != "upload" else "")
    context = {
        "job": job,
        "profile": profile,
        "preview": preview,
        "profiles": import_profiles(),
        "may_edit": may_edit,
        "labels": FIELD_LABELS,
        "errors": [{**e, "reason": reason_text(e["code"])} for e in preview.errors],
        "warnings": [{**w, "reason": reason_text(w["code"])} for w in preview.warning_counts],
        "values_form": UnknownValuesForm(unknown=preview.unknown) if profile is not None else None,
        "profile_form": ProfileForm(initial=initial, headers=preview.header) if may_edit else None,
        # Without a profile the preview reads the file as a profile would be suggested: it is only a start.
        "can_import": profile is not None
        and not preview.unreadable
        and not preview.missing_fields
        and not preview.missing_headers,
    }
    return render(request, "kpi/import_preview.html", context)


@login_required
def import_start(request: HttpRequest, job_id: int) -> HttpResponse:
    job = kpi_permissions.import_job_for_user(request.user, job_id, write=True)
    permissions.require(request.method == "POST")
    if _preview_profile(request, job) is None:
        messages.error(request, _("Pick or save a profile before importing a previewed file."))
        return redirect("import_preview", job_id=job.pk)
    import_job_start(job=job, profile=_preview_profile(request, job), dry_run="dry_run" in request.POST)
    return redirect("import_job", job_id=job.pk)


def _back(request: HttpRequest, profile: ImportProfile | None = None) -> HttpResponse:
    job = request.POST.get("job")
    if job and job.isdecimal():
        url = reverse("import_preview", args=[int(job)])
        return redirect(f"{url}?profile={profile.pk}" if profile else url)
    return redirect("imports")


@login_required
def profile_save(request: HttpRequest, profile_id: int | None = None) -> HttpResponse:
    """Create a profile (from a preview, or blank) or change one: ops only."""
    permissions.require(kpi_permissions.can_manage_import_profiles(request.user))
    profile = get_object_or_404(ImportProfile, pk=profile_id) if profile_id else None
    job = request.POST.get("job") or request.GET.get("job")
    headers = None
    if job and str(job).isdecimal():
        preview_job = kpi_permissions.import_job_for_user(request.user, int(job))
        headers = CsvStream(preview_job.file.path).header
    if request.method == "POST":
        form = ProfileForm(request.POST, headers=headers)
        if form.is_valid():
            try:
                saved = import_profile_save(
                    name=form.cleaned_data["name"], fields=form.profile_fields(), by=request.user, profile=profile
                )
            except ApplicationError as exc:
                form.add_error("name", str(exc))
            else:
                messages.success(request, _("Import profile saved."))
                return _back(request, saved)
    else:
        form = ProfileForm(initial=ProfileForm.initial_for(profile) if profile else {}, headers=headers)
    return render(request, "kpi/import_profile.html", {"form": form, "profile": profile, "job": job})


@login_required
def profile_values_add(request: HttpRequest, profile_id: int) -> HttpResponse:
    """Add the values a preview found to the profile, in one submit: ops only."""
    permissions.require(kpi_permissions.can_manage_import_profiles(request.user) and request.method == "POST")
    profile = get_object_or_404(ImportProfile, pk=profile_id)
    job = kpi_permissions.import_job_for_user(request.user, int(request.POST.get("job", "0") or 0))
    preview = profile_preview(path=job.file.path, profile=profile)
    form = UnknownValuesForm(request.POST, unknown=preview.unknown)
    if form.is_valid():
        added = import_profile_add_values(profile=profile, values=form.values())
        messages.success(request, _("%(n)s values added to the profile.") % {"n": added})
    return _back(request, profile)


@login_required
def profile_delete(request: HttpRequest, profile_id: int) -> HttpResponse:
    permissions.require(kpi_permissions.can_manage_import_profiles(request.user) and request.method == "POST")
    profile = get_object_or_404(ImportProfile, pk=profile_id)
    import_profile_delete(profile=profile)
    if profile.builtin:
        messages.success(request, _("Built-in profile reset."))
    else:
        messages.success(request, _("Import profile deleted."))
    return redirect("imports")


@login_required
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    job = kpi_permissions.import_job_for_user(request.user, job_id)
    if job.status == ImportJob.Status.PREVIEW:
        return redirect("import_preview", job_id=job.pk)
    errors = [{**e, "reason": reason_text(e["code"])} for e in job.errors]
    if request.GET.get("format") == "csv":
        return _errors_csv(job, errors)
    template = "kpi/partials/import_job_status.html" if request.headers.get("HX-Request") else "kpi/import_job.html"
    percent = min(100, round(100 * job.rows_done / job.rows_total)) if job.rows_total else 0
    summary = job.summary or {}
    return render(
        request,
        template,
        {
            "job": job,
            "errors": errors,
            "percent": percent,
            "running": job.status in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING),
            "per_rep_day": kpi_permissions.import_lines_visible(request.user, summary.get("per_rep_day") or []),
            "warnings": [{**w, "reason": reason_text(w["code"])} for w in summary.get("warning_counts") or []],
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
