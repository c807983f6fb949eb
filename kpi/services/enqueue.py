"""Enqueue Celery tasks from services without importing kpi.tasks (tasks call services, never back).

Each function sends its task by registered name once the surrounding transaction commits, so a
worker never reads rows that are not there yet. A signature whose task is registered in this process
goes through Task.apply_async, which honours CELERY_TASK_ALWAYS_EAGER (the demo and the tests run
the task inline); kpi.apps registers kpi.tasks at start-up so that is always the case.
"""

from celery import current_app
from django.db import transaction

REFRESH_REP_DAYS = "kpi.tasks.refresh_rep_days"
BACKFILL_ROLLUPS = "kpi.tasks.backfill_rollups"
RUN_IMPORT_JOB = "kpi.tasks.run_import_job"
DELIVER_WEBHOOK = "kpi.tasks.deliver_webhook"


def _on_commit(name: str, **kwargs) -> None:
    transaction.on_commit(lambda: current_app.signature(name, kwargs=kwargs).delay())


def refresh_rep_days(*, rep_days: list[list]) -> None:
    _on_commit(REFRESH_REP_DAYS, rep_days=rep_days)


def backfill_rollups(*, since: str | None) -> None:
    _on_commit(BACKFILL_ROLLUPS, since=since)


def run_import_job(*, job_id: int) -> None:
    _on_commit(RUN_IMPORT_JOB, job_id=job_id)


def deliver_webhook(*, delivery_id: int) -> None:
    _on_commit(DELIVER_WEBHOOK, delivery_id=delivery_id)
