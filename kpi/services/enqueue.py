"""Enqueue Celery tasks from services without importing kpi.tasks (tasks call services, never back).

An outbox: each function writes a TaskOutbox row in the caller's transaction, so the task to send is
committed with the data or not at all. Once the transaction commits the row is sent by registered
name; if the broker is down then, the write still answers success, the row stays pending and the
periodic sweep (outbox_sweep, scheduled in isales/celery.py) sends it when the broker is back. A row
keeps its task id across sends, and every task sent this way is idempotent, so a resend never does
the work twice in a way anyone can see.

A signature whose task is registered in this process goes through Task.apply_async, which honours
CELERY_TASK_ALWAYS_EAGER (the demo and the tests run the task inline, and its errors propagate as
before); kpi.apps registers kpi.tasks at start-up so that is always the case.
"""

import logging
import uuid
from datetime import timedelta

from celery import current_app
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..models import TaskOutbox

logger = logging.getLogger(__name__)

REFRESH_REP_DAYS = "kpi.tasks.refresh_rep_days"
BACKFILL_ROLLUPS = "kpi.tasks.backfill_rollups"
RUN_IMPORT_JOB = "kpi.tasks.run_import_job"
DELIVER_WEBHOOK = "kpi.tasks.deliver_webhook"

# A send that cannot reach the broker gives up quickly: the write has committed and answers; the sweep
# sends the row later.
SEND_RETRY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
# The sweep leaves alone rows younger than this: their own on-commit send is still on its way.
SWEEP_GRACE = timedelta(seconds=30)
# Sent rows are kept this long (what was sent, when, after how many attempts), then deleted.
SENT_KEPT = timedelta(days=7)


def _outbox(name: str, **kwargs) -> TaskOutbox:
    row = TaskOutbox.objects.create(task=name, kwargs=kwargs, task_id=uuid.uuid4().hex)
    transaction.on_commit(lambda: outbox_send(row=row))
    return row


def outbox_send(*, row: TaskOutbox) -> bool:
    """Send one row's task; True when the broker took it (or it ran inline), False when it stays pending."""
    signature = current_app.signature(row.task, kwargs=row.kwargs)
    if current_app.conf.task_always_eager:
        signature.apply_async(task_id=row.task_id)
    else:
        try:
            signature.apply_async(task_id=row.task_id, retry=True, retry_policy=SEND_RETRY)
        except Exception as exc:  # the broker is unreachable: the committed row waits for the sweep
            error = f"{type(exc).__name__}: {exc}"[:1000]
            TaskOutbox.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1, last_error=error)
            logger.warning("task %s %s not sent, left for the outbox sweep: %s", row.task, row.task_id, error)
            return False
    TaskOutbox.objects.filter(pk=row.pk).update(sent_at=timezone.now(), attempts=F("attempts") + 1, last_error="")
    return True


def outbox_sweep(*, grace: timedelta = SWEEP_GRACE, limit: int = 1000) -> dict:
    """Send again every row still pending after `grace` (oldest first), and forget rows sent long ago."""
    now = timezone.now()
    pending = list(TaskOutbox.objects.filter(sent_at__isnull=True, created_at__lt=now - grace).order_by("pk")[:limit])
    sent = 0
    for row in pending:
        if not outbox_send(row=row):
            break  # the broker is still down: the next sweep tries again
        sent += 1
    deleted, _ = TaskOutbox.objects.filter(sent_at__lt=now - SENT_KEPT).delete()
    return {"pending": len(pending), "sent": sent, "deleted": deleted}


def refresh_rep_days(*, rep_days: list[list]) -> None:
    _outbox(REFRESH_REP_DAYS, rep_days=rep_days)


def backfill_rollups(*, since: str | None) -> None:
    _outbox(BACKFILL_ROLLUPS, since=since)


def run_import_job(*, job_id: int) -> None:
    _outbox(RUN_IMPORT_JOB, job_id=job_id)


def deliver_webhook(*, delivery_id: int) -> None:
    _outbox(DELIVER_WEBHOOK, delivery_id=delivery_id)
