"""Thin Celery wrappers: plain arguments in, one service call, and each task's own retry policy.

Only errors that can succeed next time are retried: a held rollup lock and lost database
connections. Bad data is not retried.
"""

from datetime import date, timedelta

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from . import periods
from .db.locks import LockBusy
from .services import enqueue, rollups
from .services.feeds import feeds_watch
from .services.imports.jobs import (
    import_job_fail,
    import_job_run,
    import_jobs_fail_never_started,
    import_jobs_reap_stale,
    import_uploads_delete_expired,
)
from .services.jobs import job_run, job_runs_close_stale
from .services.notifications import weekly_digests_send
from .services.reminders import definition_drafts_notify, definition_reviews_remind
from .services.reviews import reviews_evaluate, reviews_recheck
from .services.webhooks import MAX_ATTEMPTS, RETRY, webhook_backoff, webhook_deliver

DB_TRANSIENT = (OperationalError, InterfaceError)
TRANSIENT = (LockBusy, *DB_TRANSIENT)
# A job-health row unfinished this long lost its worker: longer than the longest full rebuild.
JOB_RUN_STALE_MINUTES = 6 * 60


@shared_task(autoretry_for=TRANSIENT, retry_backoff=5, retry_backoff_max=300, max_retries=10)
def refresh_rep_days(*, rep_days: list[list]) -> dict:
    pairs = [(int(rep), date.fromisoformat(day)) for rep, day in rep_days]
    return rollups.rollups_refresh_rep_days(rep_days=pairs)


@shared_task(autoretry_for=TRANSIENT, retry_backoff=30, retry_backoff_max=600, max_retries=20)
def backfill_rollups(*, since: str | None = None) -> dict:
    with job_run("backfill_rollups") as detail:
        detail.update(rollups.rollups_rebuild(since=date.fromisoformat(since) if since else None))
        return detail


@shared_task(autoretry_for=TRANSIENT, retry_backoff=30, retry_backoff_max=600, max_retries=20)
def reconcile_rollups() -> dict:
    """Nightly: rebuild the recent days that late imports and FS outcome updates may have touched."""
    days = getattr(settings, "ROLLUP_RECONCILE_DAYS", 35)
    since = periods.today() - timedelta(days=days)
    with job_run("reconcile_rollups") as detail:
        detail.update(rollups.rollups_rebuild(since=since))
        return detail


@shared_task(autoretry_for=DB_TRANSIENT, retry_backoff=60, max_retries=5)
def evaluate_reviews(*, cadence: str = "daily") -> dict:
    with job_run(f"evaluate_reviews_{cadence}") as detail:
        detail.update(reviews_evaluate(cadence=cadence))
        return detail


@shared_task(autoretry_for=DB_TRANSIENT, retry_backoff=60, max_retries=5)
def remind_definition_reviews() -> dict:
    with job_run("remind_definition_reviews") as detail:
        detail.update(definition_reviews_remind())
        return detail


def _import_job_failed(task, exc, task_id, args, kwargs, einfo) -> None:
    """Celery calls this once the task has failed for good (not on a retry): record it on the job."""
    import_job_fail(job_id=kwargs["job_id"], claim=task_id, error=f"{type(exc).__name__}: {exc}")


@shared_task(bind=True, autoretry_for=DB_TRANSIENT, retry_backoff=10, max_retries=3, on_failure=_import_job_failed)
def run_import_job(self, *, job_id: int) -> dict:
    """Import one uploaded file. Bad data is a result (refused), not a retry. The task id, the same on
    every retry and redelivery, is the claim that lets this task resume a job it left running."""
    return import_job_run(job_id=job_id, claim=self.request.id)


@shared_task(autoretry_for=DB_TRANSIENT, retry_backoff=60, max_retries=5)
def reap_stale_import_jobs() -> dict:
    """Mark as failed, with the reason, the jobs left running by a worker that stopped and whose message
    never came back, and the jobs still queued whose message the broker lost."""
    older_than = timedelta(minutes=settings.IMPORT_JOB_STALE_MINUTES)
    return {
        "reaped": import_jobs_reap_stale(older_than=older_than),
        "never_started": import_jobs_fail_never_started(older_than=older_than),
    }


@shared_task(autoretry_for=DB_TRANSIENT, retry_backoff=60, max_retries=3)
def watch_feeds() -> dict:
    """Every 15 minutes: tell ops and managers the same day when a feed goes quiet or falls far below usual."""
    with job_run("watch_feeds") as detail:
        detail.update(feeds_watch())
        return detail


@shared_task(autoretry_for=DB_TRANSIENT, retry_backoff=60, max_retries=5)
def recheck_reviews() -> dict:
    """Every morning after the evaluation: open items whose re-check date came or whose definitions changed."""
    with job_run("recheck_reviews") as detail:
        detail.update(reviews_recheck())
        return detail


@shared_task(autoretry_for=DB_TRANSIENT, retry_backoff=60, max_retries=5)
def delete_expired_import_uploads() -> dict:
    """Nightly: uploaded files older than IMPORT_UPLOAD_RETENTION_DAYS go; jobs and refused rows stay."""
    days = settings.IMPORT_UPLOAD_RETENTION_DAYS
    return {"deleted": import_uploads_delete_expired(older_than=timedelta(days=days))}


@shared_task(autoretry_for=DB_TRANSIENT, retry_backoff=10, max_retries=3)
def sweep_outbox() -> dict:
    """Send the tasks that committed writes left pending while the broker was down (no job-health row:
    it runs every minute and says what it did in its result)."""
    return enqueue.outbox_sweep()


@shared_task(autoretry_for=DB_TRANSIENT, retry_backoff=60, max_retries=5)
def close_stale_job_runs() -> dict:
    """Close as failed the job-health rows of runs whose worker was killed before they finished."""
    minutes = getattr(settings, "JOB_RUN_STALE_MINUTES", JOB_RUN_STALE_MINUTES)
    return {"closed": job_runs_close_stale(older_than=timedelta(minutes=minutes))}


@shared_task(autoretry_for=DB_TRANSIENT, retry_backoff=60, max_retries=5)
def send_weekly_digests() -> dict:
    """Monday morning: each manager's teams' past week, by mail and to the teams' chat webhooks."""
    with job_run("send_weekly_digests") as detail:
        detail.update(weekly_digests_send())
        return detail


@shared_task(bind=True, max_retries=MAX_ATTEMPTS - 1)
def deliver_webhook(self, *, delivery_id: int) -> dict:
    """One chat message; a 5xx, 429 or network error is tried again after 30 s, 60 s, 120 s, 240 s."""
    retries = self.request.retries
    outcome = webhook_deliver(delivery_id=delivery_id, last_attempt=retries >= self.max_retries)
    if outcome == RETRY:
        if self.request.is_eager:  # run inline (demo, tests): no worker comes back later, so try again now
            return self.apply(kwargs={"delivery_id": delivery_id}, retries=retries + 1).result
        raise self.retry(countdown=webhook_backoff(retries))
    return {"delivery": delivery_id, "status": outcome}


@shared_task(autoretry_for=DB_TRANSIENT, retry_backoff=60, max_retries=5)
def notify_definition_drafts() -> dict:
    """Signers are told once that a definition draft waits for their department."""
    with job_run("notify_definition_drafts") as detail:
        detail.update(definition_drafts_notify())
        return detail
