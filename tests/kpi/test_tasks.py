"""Import tasks: the task owns its retries, the job's state says what happened, a lost worker is reaped."""

from datetime import timedelta

import pytest
from celery import current_app
from django.db import OperationalError
from django.urls import reverse

from kpi import tasks
from kpi.models import CallLog, ImportJob
from tests.kpi.services.imports.helpers import WorkerKilled, calls_job, insert_failing

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _as_on_a_worker(monkeypatch):
    """Eager tasks that propagate errors (the settings') raise Retry instead of retrying and never
    call on_failure; without propagation an eager task retries inline and fails as on a worker."""
    monkeypatch.setitem(current_app.conf, "task_eager_propagates", False)


def test_a_transient_database_error_is_retried_and_imports_the_file_once(monkeypatch, rep, now):
    job = calls_job(rep)
    inserts = insert_failing(monkeypatch, OperationalError("server closed the connection unexpectedly"))
    tasks.run_import_job.apply(kwargs={"job_id": job.pk})
    job.refresh_from_db()
    assert len(inserts) == 2
    assert (job.status, job.created, job.unchanged, job.errors) == (ImportJob.Status.DONE, 3, 0, [])
    assert CallLog.objects.count() == 3


def test_an_import_failing_on_every_attempt_ends_failed_with_the_error(monkeypatch, rep, now):
    job = calls_job(rep)
    inserts = insert_failing(monkeypatch, *[OperationalError("database is down")] * 4)
    assert tasks.run_import_job.apply(kwargs={"job_id": job.pk}).failed()
    job.refresh_from_db()
    assert len(inserts) == 4  # the first attempt and three retries
    assert job.status == ImportJob.Status.FAILED
    assert job.summary == {"error": "OperationalError: database is down"}
    assert not CallLog.objects.exists()


def test_bad_data_is_refused_without_a_retry(monkeypatch, rep, now):
    job = calls_job(rep, duration=-1)
    inserts = insert_failing(monkeypatch)
    tasks.run_import_job.apply(kwargs={"job_id": job.pk})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.REFUSED
    assert inserts == []
    assert not CallLog.objects.exists()


def test_a_redelivered_message_resumes_the_job_its_killed_worker_left_running(monkeypatch, rep, now):
    job = calls_job(rep)
    insert_failing(monkeypatch, WorkerKilled())
    with pytest.raises(WorkerKilled):
        tasks.run_import_job.apply(kwargs={"job_id": job.pk}, task_id="delivery-1")
    assert ImportJob.objects.get().status == ImportJob.Status.RUNNING
    # acks_late: the broker hands the same message (same task id) to another worker.
    tasks.run_import_job.apply(kwargs={"job_id": job.pk}, task_id="delivery-1")
    job.refresh_from_db()
    assert (job.status, job.created) == (ImportJob.Status.DONE, 3)
    assert CallLog.objects.count() == 3


def test_a_job_left_running_by_a_lost_worker_is_reaped_and_its_page_says_so(client, ops, monkeypatch, rep, now):
    job = calls_job(rep)
    insert_failing(monkeypatch, WorkerKilled())
    with pytest.raises(WorkerKilled):
        tasks.run_import_job.apply(kwargs={"job_id": job.pk})
    tasks.reap_stale_import_jobs.apply()
    assert ImportJob.objects.get().status == ImportJob.Status.RUNNING  # still within any import's time
    now.shift(timedelta(hours=4))
    assert tasks.reap_stale_import_jobs.apply().get() == {"reaped": 1, "never_started": 0}
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    client.force_login(ops)  # a job with no uploader (the command line) is organisation-wide
    page = client.get(reverse("import_job", args=[job.pk])).content.decode()
    assert (
        "取り込み中にワーカーが停止しました。ファイルをもう一度アップロードしてください" in page
    )  # in Japanese, the default
    client.cookies["django_language"] = "en"
    page = client.get(reverse("import_job", args=[job.pk])).content.decode()
    assert "worker stopped mid-import" in page
    assert 'hx-trigger="every 1s"' not in page  # the page stops polling
