"""Import job states: a run works only on a job in the state it expects; failures and reaping say so."""

from datetime import timedelta

import pytest
from django.utils.timezone import now as now_aware

from kpi.models import CallLog, ImportJob, TaskOutbox
from kpi.services import enqueue
from kpi.services.imports.jobs import (
    TASK_LOST,
    WORKER_LOST,
    import_job_fail,
    import_job_run,
    import_jobs_fail_never_started,
    import_jobs_reap_stale,
)
from tests.kpi.services.imports.helpers import WorkerKilled, calls_job, insert_failing

pytestmark = pytest.mark.django_db


def test_a_running_job_is_resumed_only_under_its_own_claim(monkeypatch, rep, now):
    job = calls_job(rep)
    insert_failing(monkeypatch, WorkerKilled())
    with pytest.raises(WorkerKilled):
        import_job_run(job_id=job.pk, claim="task-a")
    assert import_job_run(job_id=job.pk, claim="task-b") == {"job": job.pk, "skipped": "not queued"}
    assert import_job_run(job_id=job.pk, claim="task-a") == {"job": job.pk, "created": 3, "refused": False}
    assert import_job_run(job_id=job.pk, claim="task-a") == {"job": job.pk, "skipped": "not queued"}
    assert CallLog.objects.count() == 3


def test_a_failure_is_recorded_only_on_a_job_the_task_still_holds(rep, now):
    done = calls_job(rep)
    import_job_run(job_id=done.pk, claim="task-a")
    assert not import_job_fail(job_id=done.pk, claim="task-a", error="OperationalError: late")
    assert ImportJob.objects.get(pk=done.pk).status == ImportJob.Status.DONE
    queued = calls_job(rep)  # the claim itself failed: the job never left the queue
    assert import_job_fail(job_id=queued.pk, claim="task-b", error="OperationalError: down")
    queued.refresh_from_db()
    assert (queued.status, queued.summary) == (ImportJob.Status.FAILED, {"error": "OperationalError: down"})


def test_only_jobs_running_past_the_timeout_are_reaped(monkeypatch, rep, now):
    insert_failing(monkeypatch, WorkerKilled(), WorkerKilled())
    stale, fresh, queued = calls_job(rep), calls_job(rep), calls_job(rep)
    with pytest.raises(WorkerKilled):
        import_job_run(job_id=stale.pk, claim="task-a")
    now.shift(timedelta(minutes=90))
    with pytest.raises(WorkerKilled):
        import_job_run(job_id=fresh.pk, claim="task-b")
    now.shift(timedelta(minutes=60))
    assert import_jobs_reap_stale(older_than=timedelta(minutes=120)) == 1
    statuses = dict(ImportJob.objects.values_list("pk", "status"))
    assert statuses == {stale.pk: "failed", fresh.pk: "running", queued.pk: "queued"}
    assert ImportJob.objects.get(pk=stale.pk).summary == {"error": WORKER_LOST}


def test_a_queued_job_is_failed_with_a_reason_only_when_nothing_is_left_to_send(rep, now):
    # Both uploads were made while the broker was down; one send was then lost inside the broker.
    lost, waiting = calls_job(rep), calls_job(rep)
    for job in (lost, waiting):
        TaskOutbox.objects.create(task=enqueue.RUN_IMPORT_JOB, kwargs={"job_id": job.pk}, task_id=f"t-{job.pk}")
    TaskOutbox.objects.filter(kwargs__job_id=lost.pk).update(sent_at=now_aware())
    now.shift(timedelta(minutes=150))
    recent = calls_job(rep)
    assert import_jobs_fail_never_started(older_than=timedelta(minutes=120)) == 1
    statuses = dict(ImportJob.objects.values_list("pk", "status"))
    # The pending send is the outbox sweep's to make; the recent upload is within any queue's wait.
    assert (statuses[lost.pk], statuses[waiting.pk], statuses[recent.pk]) == ("failed", "queued", "queued")
    assert ImportJob.objects.get(pk=lost.pk).summary == {"error": TASK_LOST}
