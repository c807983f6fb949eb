"""Import jobs: an uploaded file is imported by a Celery task, which records progress and the result.

The task claims its job (queued -> running) with a conditional update and works only if exactly one
row changed, so a redelivered message cannot import the same upload twice in parallel.
"""

from django.db import transaction
from django.utils import timezone

from ...models import ImportJob
from .calls import calls_import, count_lines


def import_job_enqueue(job: ImportJob) -> None:
    from ...tasks_ingestion import run_import_job

    transaction.on_commit(lambda: run_import_job.delay(job_id=job.pk))


def import_job_run(*, job_id: int) -> dict:
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING
    )
    if claimed != 1:
        return {"job": job_id, "skipped": "not queued"}
    job = ImportJob.objects.get(pk=job_id)
    path = job.file.path
    try:
        if job.kind == ImportJob.Kind.REPS:
            from .reps import reps_import

            result = reps_import(path=path)
        else:
            ImportJob.objects.filter(pk=job.pk).update(rows_total=count_lines(job.file.path))

            def progress(rows: int) -> None:
                ImportJob.objects.filter(pk=job.pk).update(rows_done=rows)

            result = calls_import(
                path=path,
                source=job.source,
                dry_run=job.dry_run,
                mapping=job.mapping.columns if job.mapping else None,
                progress=progress,
            )
    except Exception as exc:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED,
            summary={"error": f"{type(exc).__name__}: {exc}"},
            finished_at=timezone.now(),
        )
        raise
    ImportJob.objects.filter(pk=job.pk).update(
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
