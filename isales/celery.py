"""Celery app and the one place where every periodic job is scheduled.

Each periodic job carries an expiry so that a backlog (a stopped worker, a long outage) cannot pile
up duplicate runs; the tasks themselves also take a database lock before working.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "isales.settings")

app = Celery("isales")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

HOUR = 60 * 60

app.conf.beat_schedule = {
    # Recompute yesterday and the days before it that late imports may have touched.
    "nightly-rollup-reconcile": {
        "task": "kpi.tasks.reconcile_rollups",
        "schedule": crontab(hour=2, minute=15),
        "options": {"expires": 6 * HOUR},
    },
    # Month-to-date review rules, every business morning before stand-up.
    "daily-review-evaluation": {
        "task": "kpi.tasks.evaluate_reviews",
        "schedule": crontab(hour=7, minute=0),
        "kwargs": {"cadence": "daily"},
        "options": {"expires": 12 * HOUR},
    },
    # Past-week review rules, Monday morning.
    "weekly-review-evaluation": {
        "task": "kpi.tasks.evaluate_reviews",
        "schedule": crontab(hour=7, minute=10, day_of_week="mon"),
        "kwargs": {"cadence": "weekly"},
        "options": {"expires": 12 * HOUR},
    },
    # Open review items whose re-check date came (or whose definitions changed), after the evaluation.
    "daily-review-recheck": {
        "task": "kpi.tasks.recheck_reviews",
        "schedule": crontab(hour=7, minute=20),
        "options": {"expires": 12 * HOUR},
    },
    # Each manager's digest of their teams' past week, Monday morning before the weekly review.
    "weekly-manager-digest": {
        "task": "kpi.tasks.send_weekly_digests",
        "schedule": crontab(hour=7, minute=40, day_of_week="mon"),
        "options": {"expires": 12 * HOUR},
    },
    # Definition drafts waiting for a department's approval: its signers are told once.
    "definition-drafts-notify": {
        "task": "kpi.tasks.notify_definition_drafts",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 10 * 60},
    },
    # Definitions whose review cadence (monthly / quarterly) comes due.
    "definition-review-reminders": {
        "task": "kpi.tasks.remind_definition_reviews",
        "schedule": crontab(hour=8, minute=0),
        "options": {"expires": 12 * HOUR},
    },
    # Imports left running by a worker that stopped (and whose message never came back) are failed
    # with a message saying so, instead of showing "running" forever.
    "stale-import-reaper": {
        "task": "kpi.tasks.reap_stale_import_jobs",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 10 * 60},
    },
    # A feed that goes quiet or falls far below its usual volume is told the same working day.
    "feed-watch": {
        "task": "kpi.tasks.watch_feeds",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 10 * 60},
    },
    # Uploaded import files past IMPORT_UPLOAD_RETENTION_DAYS are deleted; jobs and refused rows stay.
    "import-upload-retention": {
        "task": "kpi.tasks.delete_expired_import_uploads",
        "schedule": crontab(hour=3, minute=30),
        "options": {"expires": 12 * HOUR},
    },
    # Tasks that committed writes could not send while the broker was down (the outbox): sent as soon
    # as it is back, so every write gets its rollup refresh and every approval its backfill.
    "outbox-sweep": {
        "task": "kpi.tasks.sweep_outbox",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Job-health rows of runs whose worker was killed are closed as failed, saying so.
    "stale-job-run-closer": {
        "task": "kpi.tasks.close_stale_job_runs",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 10 * 60},
    },
}
