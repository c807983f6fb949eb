"""A worker killed with SIGKILL mid-import and mid-backfill: the transaction it held rolls back, the
broker hands its unacknowledged message (same task id) to the next worker, which resumes the job
instead of skipping it; the rollups end equal to a full rebuild, no job is left queued or running,
and the killed run's job-health row is closed as failed."""

import time
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kpi.models import CallLog, ImportJob, JobRun, Rollup, TaskOutbox
from kpi.services import definitions
from kpi.services.imports.jobs import import_job_create
from kpi.services.jobs import WORKER_LOST, job_runs_close_stale
from kpi.services.rollups import rollups_rebuild
from tests.factories import CallFactory, tokyo
from tests.kpi.helpers import draft
from tests.kpi.services.imports.helpers import EN_HEADER

from .conftest import assert_equal_to_full_rebuild

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def calls_file(rep, n: int) -> SimpleUploadedFile:
    # n calls on 2026-11-20, one a minute from 09:00: every third one connected for 150 s.
    rows = []
    for i in range(n):
        connected = i % 3 == 0
        at = f"2026-11-20 {9 + i // 60:02d}:{i % 60:02d}"
        rows.append([f"c-{i}", rep.email, at, 150 if connected else 0, "outbound", "通話" if connected else "不在"])
        rows[-1] += [""] * (len(EN_HEADER) - len(rows[-1]))
    text = "\r\n".join([",".join(EN_HEADER)] + [",".join(map(str, r)) for r in rows]) + "\r\n"
    return SimpleUploadedFile("calls.csv", text.encode())


def no_job_stuck() -> None:
    assert not ImportJob.objects.filter(status__in=["queued", "running"]).exists()
    assert not JobRun.objects.filter(finished_at__isnull=True).exists()
    assert not TaskOutbox.objects.filter(sent_at__isnull=True).exists()


def test_worker_killed_mid_import_the_redelivered_task_resumes_the_job(live, rep, manager):
    first = live.start_worker(pause_in="kpi.services.imports.calls.rollups_enqueue_refresh")
    job = import_job_create(
        kind="calls", source="zoom", upload=calls_file(rep, 300), profile=None, dry_run=False, by=manager
    )
    # The worker pauses inside the import's transaction, after the insert and before the commit.
    live.wait_for(lambda: ImportJob.objects.filter(pk=job.pk, status="running").exists(), what="the import")
    live.wait_for(lambda: ImportJob.objects.get(pk=job.pk).rows_total == 300, what="the rows counted")
    live.kill(first)
    job.refresh_from_db()
    assert (job.status, CallLog.objects.count()) == ("running", 0)  # the insert rolled back with the worker
    claim = job.claimed_by
    assert claim == TaskOutbox.objects.get(task="kpi.tasks.run_import_job").task_id

    live.start_worker()  # the broker gives the unacknowledged message back after its visibility timeout
    live.wait_for(lambda: ImportJob.objects.get(pk=job.pk).status == "done", timeout=120, what="the resumed import")
    job.refresh_from_db()
    assert (job.claimed_by, job.created, job.rows_done) == (claim, 300, 300)
    assert CallLog.objects.count() == 300
    day = Rollup.objects.filter(granularity="day", scope="rep", scope_id=rep.pk, period_start=date(2026, 11, 20))
    live.wait_for(lambda: day.exists(), what="the import's rollup refresh")
    # 300 calls; every third (100) connected for 150 s: 100 connects, 100 effective calls.
    assert (day.get().calls, day.get().connects, day.get().effective_calls) == (300, 100, 100)
    no_job_stuck()
    assert_equal_to_full_rebuild()


def test_worker_killed_mid_backfill_rolls_back_and_the_next_worker_backfills(live, rep, manager, fs_user, marketer):
    for on in (16, 20):
        CallFactory(rep=rep, started_at=tokyo(2026, 11, on, 10, 0), duration_seconds=100, result="connected")
    rollups_rebuild()
    # The backfill pauses in its last step, after it has replaced the day rows, before its commit.
    first = live.start_worker(pause_in="kpi.services.rollups.rebuild._rebuild_hours")
    version = draft(manager, seconds=90, effective_from=date(2026, 11, 15))
    for user in (manager, fs_user, marketer):
        definitions.definition_version_decide(version_id=version.pk, actor=user, approve=True)
    live.wait_for(lambda: JobRun.objects.filter(name="backfill_rollups").exists(), what="the backfill to start")
    killed = JobRun.objects.get(name="backfill_rollups")
    time.sleep(2)  # well inside the 30 s pause
    live.kill(first)
    day16 = Rollup.objects.get(granularity="day", scope="rep", scope_id=rep.pk, period_start=date(2026, 11, 16))
    assert day16.effective_calls == 0  # the killed backfill's rows rolled back: the old definition still

    live.start_worker()
    live.wait_for(
        lambda: JobRun.objects.filter(name="backfill_rollups", ok=True).exists(),
        timeout=120,
        what="the redelivered backfill",
    )
    assert job_runs_close_stale(older_than=timedelta(0)) == 1
    killed.refresh_from_db()
    assert (killed.ok, killed.detail) == (False, {"error": WORKER_LOST})
    days = Rollup.objects.filter(granularity="day", scope="rep", scope_id=rep.pk).order_by("period_start")
    assert list(days.values_list("period_start", "effective_calls")) == [
        (date(2026, 11, 16), 1),
        (date(2026, 11, 20), 1),
    ]
    # 100 s calls are effective under the 90 s threshold from 11-15
    no_job_stuck()
    assert_equal_to_full_rebuild()
