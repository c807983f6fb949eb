"""Services enqueue tasks through the outbox: by registered name, after commit, inline when eager; a send
the broker refuses stays pending, the write stands, and the sweep sends it later with the same task id."""

from datetime import date, timedelta

import pytest
from celery import current_app

from kpi.models import CallLog, Rollup, TaskOutbox
from kpi.services import enqueue
from tests.factories import CallFactory, tokyo

pytestmark = pytest.mark.django_db


def test_every_name_enqueued_is_a_registered_task():
    names = {value for value in vars(enqueue).values() if isinstance(value, str) and value.startswith("kpi.tasks.")}
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


@pytest.fixture
def broker_down():
    """Not eager, and the broker a closed port: every send is refused at once."""
    from tests.faults.conftest import DOWN, point_broker

    conf = current_app.conf
    saved = (conf.task_always_eager, conf.broker_url)
    conf.task_always_eager = False
    point_broker(DOWN)
    yield
    conf.task_always_eager = saved[0]
    point_broker(saved[1])


def test_a_send_the_broker_refuses_leaves_the_row_pending_and_the_write_stands(
    rep, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        CallFactory(rep=rep, started_at=tokyo(2026, 11, 2, 10, 0))
        enqueue.refresh_rep_days(rep_days=[[rep.pk, "2026-11-02"]])  # no exception reaches the caller
    row = TaskOutbox.objects.get()
    assert (row.kwargs, row.sent_at, row.attempts) == ({"rep_days": [[rep.pk, "2026-11-02"]]}, None, 1)
    assert CallLog.objects.count() == 1


def test_the_sweep_sends_what_is_pending_past_the_grace_with_the_same_task_id(
    rep, time_machine, django_capture_on_commit_callbacks, broker_down
):
    time_machine.move_to(tokyo(2026, 11, 20, 9, 0))
    CallFactory(rep=rep, started_at=tokyo(2026, 11, 2, 10, 0), duration_seconds=150, result=CallLog.Result.CONNECTED)
    with django_capture_on_commit_callbacks(execute=True):
        enqueue.refresh_rep_days(rep_days=[[rep.pk, "2026-11-02"]])
    task_id = TaskOutbox.objects.get().task_id
    assert enqueue.outbox_sweep() == {"pending": 0, "sent": 0, "deleted": 0}  # still within its grace
    time_machine.shift(timedelta(minutes=1))
    assert enqueue.outbox_sweep() == {"pending": 1, "sent": 0, "deleted": 0}  # the broker is still down
    assert TaskOutbox.objects.get().attempts == 2

    current_app.conf.task_always_eager = True  # the broker is back (eager: the task runs inline)
    assert enqueue.outbox_sweep() == {"pending": 1, "sent": 1, "deleted": 0}
    row = TaskOutbox.objects.get()
    assert (row.task_id, row.attempts, row.last_error) == (task_id, 3, "")
    assert row.sent_at is not None
    day = Rollup.objects.get(granularity="day", scope="rep", scope_id=rep.pk, period_start=date(2026, 11, 2))
    assert (day.calls, day.connects) == (1, 1)
    time_machine.shift(timedelta(days=8))  # sent rows are kept a week
    assert enqueue.outbox_sweep() == {"pending": 0, "sent": 0, "deleted": 1}
