"""kpi/services/imports/jobs.py import_uploads_delete_expired and its nightly task: uploaded files go
after IMPORT_UPLOAD_RETENTION_DAYS; the job, its counts and its refused rows stay."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from isales.celery import app
from kpi import tasks
from kpi.models import ImportJob
from kpi.services.imports.jobs import import_uploads_delete_expired
from tests.kpi.services.imports.helpers import calls_job

pytestmark = pytest.mark.django_db

ERRORS = [{"line": 3, "field": "started_at", "message": "not a date"}]


def finished(rep, *, days_ago: float, status=ImportJob.Status.REFUSED) -> ImportJob:
    job = calls_job(rep)
    ImportJob.objects.filter(pk=job.pk).update(
        status=status, finished_at=timezone.now() - timedelta(days=days_ago), errors=ERRORS, rows_total=3
    )
    job.refresh_from_db()
    return job


def test_files_past_retention_are_deleted_and_the_refused_rows_kept(rep):
    old, recent = finished(rep, days_ago=31), finished(rep, days_ago=29)
    old_path, recent_path = Path(old.file.path), Path(recent.file.path)
    assert import_uploads_delete_expired(older_than=timedelta(days=30)) == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert not old_path.exists()
    assert old.file.name == ""
    assert (old.status, old.errors, old.rows_total) == (ImportJob.Status.REFUSED, ERRORS, 3)
    assert recent_path.exists()
    assert recent.file.name != ""
    assert import_uploads_delete_expired(older_than=timedelta(days=30)) == 0


def test_unfinished_jobs_keep_their_file(rep):
    queued = calls_job(rep)
    ImportJob.objects.filter(pk=queued.pk).update(created_at=timezone.now() - timedelta(days=90))
    running = calls_job(rep)
    ImportJob.objects.filter(pk=running.pk).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now() - timedelta(days=90)
    )
    assert import_uploads_delete_expired(older_than=timedelta(days=30)) == 0
    assert Path(queued.file.path).exists() and Path(running.file.path).exists()


def test_a_file_already_gone_from_disk_is_no_error(rep):
    job = finished(rep, days_ago=40, status=ImportJob.Status.DONE)
    Path(job.file.path).unlink()
    assert import_uploads_delete_expired(older_than=timedelta(days=30)) == 1


def test_the_nightly_task_uses_the_retention_setting(rep, settings):
    settings.IMPORT_UPLOAD_RETENTION_DAYS = 7
    finished(rep, days_ago=8, status=ImportJob.Status.FAILED)
    finished(rep, days_ago=6)
    assert tasks.delete_expired_import_uploads.apply().get() == {"deleted": 1}
    schedule = app.conf.beat_schedule["import-upload-retention"]
    assert schedule["task"] == "kpi.tasks.delete_expired_import_uploads"
