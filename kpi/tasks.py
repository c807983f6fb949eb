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
from .db.locks import LockBusy
from .services import rollups
from .services.jobs import job_run

TRANSIENT = (LockBusy, OperationalError, InterfaceError)


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


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=60, max_retries=5)
def evaluate_reviews(*, cadence: str = "daily") -> dict:
    from .services.reviews import reviews_evaluate

    with job_run(f"evaluate_reviews_{cadence}") as detail:
        detail.update(reviews_evaluate(cadence=cadence))
        return detail


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=60, max_retries=5)
def remind_definition_reviews() -> dict:
    from .services.reminders import definition_reviews_remind

    with job_run("remind_definition_reviews") as detail:
        detail.update(definition_reviews_remind())
        return detail


# The ingestion area's tasks live in their own module; importing it here registers them with workers.
from .tasks_ingestion import run_import_job  # noqa: E402, F401
