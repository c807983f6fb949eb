"""Services enqueue tasks by registered name, after commit, and the tasks still run inline when eager."""

from datetime import date

import pytest
from celery import current_app

from kpi.models import CallLog, Rollup
from kpi.services import enqueue
from tests.factories import CallFactory, tokyo

pytestmark = pytest.mark.django_db


def test_every_name_enqueued_is_a_registered_task():
    names = {value for key, value in vars(enqueue).items() if key.isupper()}
    assert names == {
        "kpi.tasks.refresh_rep_days",
        "kpi.tasks.backfill_rollups",
        "kpi.tasks.run_import_job",
        "kpi.tasks.deliver_webhook",
    }
    assert names <= set(current_app.tasks)


def test_enqueued_by_name_runs_inline_when_eager_and_only_after_commit(rep, django_capture_on_commit_callbacks):
    assert current_app.conf.task_always_eager  # the test settings have no broker
    CallFactory(rep=rep, started_at=tokyo(2026, 11, 2, 10, 0), duration_seconds=150, result=CallLog.Result.CONNECTED)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue.refresh_rep_days(rep_days=[[rep.pk, "2026-11-02"]])
    assert len(callbacks) == 1
    assert not Rollup.objects.exists()
    callbacks[0]()
    day = Rollup.objects.get(granularity="day", scope="rep", scope_id=rep.pk, period_start=date(2026, 11, 2))
    assert (day.calls, day.connects) == (1, 1)
