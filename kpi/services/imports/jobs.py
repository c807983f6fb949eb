"""Import jobs: an uploaded file becomes a queued job (import_job_create), which a Celery task imports,
recording progress and the result.

State machine: queued -> running -> done | refused | failed. The task owns its retries; this module
owns the states. A run claims its job with a conditional update and works only if exactly one row
changed: a queued job, or a running job claimed by the same task id (its own retry, or the broker
redelivering the message of a worker that died mid-import). Any other message for the job is
skipped, so an upload is never imported twice in parallel. An exception (a lost database connection
included) leaves the job as it is, claimed by the task, and propagates: the import's own transaction
has rolled back, and the task either retries or, after its last attempt, records the failure
(import_job_fail). A job whose worker stopped and whose message never came back is reaped.
The task is sent through the outbox (kpi/services/enqueue.py): an upload made while the broker was
down stays queued only until the outbox sweep sends it; a queued job with nothing left to send (its
message was lost in the broker) is failed with a reason after the same timeout as a running one.
Bad data is a result (refused, with every bad row listed), never an exception.
"""

from datetime import timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db.models import BigIntegerField, Exists, OuterRef, Q
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_noop

from accounts.models import User

from ... import permissions as kpi_permissions
from ...models import ImportJob, ImportProfile, TaskOutbox
from .. import enqueue
from .calls import calls_import, count_lines
from .reps import reps_import

# Stored in English; the job page shows them in the reader's language (the catalogue has them).
WORKER_LOST = gettext_noop("worker stopped mid-import; upload the file again (rows already stored are not duplicated)")
TASK_LOST = gettext_noop("the import never started: its task was lost by the queue; upload the file again")


def import_job_create(
    *,
    kind: str,
    source: str,
    upload: UploadedFile,
    profile: ImportProfile | None,
    dry_run: bool,
    by: User,
    preview: bool = False,
) -> ImportJob:
    """An uploaded file as a queued job; the task that runs it is enqueued once this transaction commits.
    A preview job waits (status preview) until import_job_start."""
    job = ImportJob.objects.create(
        kind=kind,
        source=source,
        file=upload,
        original_name=upload.name[:255],
        profile=profile,
        dry_run=dry_run,
        created_by=by,
        status=ImportJob.Status.PREVIEW if preview else ImportJob.Status.QUEUED,
    )
    if not preview:
        enqueue.run_import_job(job_id=job.pk)
    return job


def import_job_start(*, job: ImportJob, profile: ImportProfile | None, dry_run: bool = False) -> bool:
    """A previewed job goes to the queue with the profile it was last previewed with; False if it had left
    the preview state already (a second click)."""
    started = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEW).update(
        status=ImportJob.Status.QUEUED, profile=profile, dry_run=dry_run
    )
    if started:
        enqueue.run_import_job(job_id=job.pk)
    return bool(started)


def _claimable(*, job_id: int, claim: str):
    return ImportJob.objects.filter(
        Q(status=ImportJob.Status.QUEUED) | Q(status=ImportJob.Status.RUNNING, claimed_by=claim), pk=job_id
    )


def import_job_run(*, job_id: int, claim: str) -> dict:
    """Run the job if it is queued, or running under this claim (the calling task's id)."""
    claimed = _claimable(job_id=job_id, claim=claim).update(
        status=ImportJob.Status.RUNNING, claimed_by=claim, started_at=timezone.now(), rows_done=0
    )
    if claimed != 1:
        return {"job": job_id, "skipped": "not queued"}
    job = ImportJob.objects.get(pk=job_id)
    path = job.file.path
    if job.kind == ImportJob.Kind.REPS:
        result = reps_import(path=path)
    else:
        ImportJob.objects.filter(pk=job.pk).update(rows_total=count_lines(path))

        def progress(rows: int) -> None:
            ImportJob.objects.filter(pk=job.pk).update(rows_done=rows)

        result = calls_import(
            path=path,
            source=job.source,
            dry_run=job.dry_run,
            profile=job.profile,
            allowed_reps=kpi_permissions.import_rep_ids_for(job.created_by),
            progress=progress,
        )
    # By claim, not status: a run that outlived the reaper's timeout still records what it did.
    ImportJob.objects.filter(pk=job.pk, claimed_by=claim).update(
        status=ImportJob.Status.REFUSED if result.refused else ImportJob.Status.DONE,
        rows_total=result.rows,
        rows_done=result.rows,
        created=result.created,
        unchanged=result.unchanged,
        errors=result.errors,
        summary=result.summary(),
        finished_at=timezone.now(),
    )
    return {"job": job_id, "created": result.created, "refused": result.refused}


def import_job_fail(*, job_id: int, claim: str, error: str) -> bool:
    """The task's last attempt failed: record it, unless the job has moved on without this claim."""
    return (
        _claimable(job_id=job_id, claim=claim).update(
            status=ImportJob.Status.FAILED, summary={"error": error}, finished_at=timezone.now()
        )
        == 1
    )


def import_jobs_reap_stale(*, older_than: timedelta) -> int:
    """Jobs running for longer than any import takes lost their worker: say so instead of 'running'."""
    cutoff = timezone.now() - older_than
    # Jobs claimed before started_at was recorded count from their upload.
    stale = Q(started_at__lt=cutoff) | Q(started_at__isnull=True, created_at__lt=cutoff)
    return ImportJob.objects.filter(stale, status=ImportJob.Status.RUNNING).update(
        status=ImportJob.Status.FAILED, summary={"error": WORKER_LOST}, finished_at=timezone.now()
    )


FINISHED = (ImportJob.Status.DONE, ImportJob.Status.REFUSED, ImportJob.Status.FAILED)


def import_uploads_delete_expired(*, older_than: timedelta) -> int:
    """Delete the uploaded files of imports that finished more than `older_than` ago (their rows are in
    the database; the file holds phone numbers and notes nobody needs to keep). The job itself stays:
    its counts, summary and list of refused rows. Returns how many files were deleted."""
    cutoff = timezone.now() - older_than
    expired = ImportJob.objects.filter(status__in=FINISHED, finished_at__lt=cutoff).exclude(file="")
    deleted = 0
    for job in expired.only("pk", "file").iterator():
        job.file.delete(save=False)  # a file already gone from disk is no error
        ImportJob.objects.filter(pk=job.pk).update(file="")
        deleted += 1
    return deleted


def import_jobs_fail_never_started(*, older_than: timedelta) -> int:
    """Jobs queued for longer than any import takes, with no send pending in the outbox: their message
    was lost in the broker. Say so instead of 'queued' forever (a pending send is the sweep's to make)."""
    cutoff = timezone.now() - older_than
    pending = (
        TaskOutbox.objects.filter(task=enqueue.RUN_IMPORT_JOB, sent_at__isnull=True)
        .annotate(job_id=Cast(KT("kwargs__job_id"), BigIntegerField()))
        .filter(job_id=OuterRef("pk"))
    )
    return (
        ImportJob.objects.filter(status=ImportJob.Status.QUEUED, created_at__lt=cutoff)
        .exclude(Exists(pending))
        .update(status=ImportJob.Status.FAILED, summary={"error": TASK_LOST}, finished_at=timezone.now())
    )
