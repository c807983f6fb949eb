"""Job health: a run whose worker was killed (never finished) is closed as failed, saying why, once it
has been unfinished for longer than any run takes; finished and recent runs are left alone."""

from datetime import timedelta

import pytest

from kpi.models import JobRun
from kpi.services.jobs import WORKER_LOST, job_run, job_runs_close_stale
from tests.factories import tokyo

pytestmark = pytest.mark.django_db


def test_only_runs_unfinished_past_the_timeout_are_closed_as_failed(time_machine):
    time_machine.move_to(tokyo(2026, 11, 20, 2, 0))
    killed = JobRun.objects.create(name="backfill_rollups")  # its worker died inside the block
    with job_run("reconcile_rollups") as detail:
        detail["days"] = 35
    time_machine.shift(timedelta(hours=5))
    running = JobRun.objects.create(name="backfill_rollups")
    time_machine.shift(timedelta(hours=2))
    assert job_runs_close_stale(older_than=timedelta(hours=6)) == 1
    rows = {r.pk: (r.ok, r.detail, r.finished_at is not None) for r in JobRun.objects.all()}
    assert rows[killed.pk] == (False, {"error": WORKER_LOST}, True)
    assert rows[running.pk] == (None, {}, False)
    assert [r for pk, r in rows.items() if pk not in (killed.pk, running.pk)] == [(True, {"days": 35}, True)]
