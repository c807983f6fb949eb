"""Thin Celery wrappers: plain arguments in, one service call, and each task's own retry policy.

Only errors that can succeed next time are retried: a held rollup lock and lost database
connections. Bad data is not retried.
"""

from datetime import date, timedelta

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from . import periods
from .services import rollups
from .services.imports.jobs import import_job_run
from .services.jobs import job_run
from .services.locks import LockBusy
from .services.reminders import definition_reviews_remind
from .services.reviews import reviews_evaluate

DB_TRANSIENT = (OperationalError, InterfaceError)
TRANSIENT = (LockBusy, *DB_TRANSIENT)


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
    since = periods.local_date(timezone.now()) - timedelta(days=days)
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


@shared_task(autoretry_for=DB_TRANSIENT, retry_backoff=10, max_retries=3)
def run_import_job(*, job_id: int) -> dict:
    """Import one uploaded file. Bad data is a result (refused), not a retry."""
    return import_job_run(job_id=job_id)
