"""A real Celery worker consumes a rollup task from Redis and writes the rollups to PostgreSQL.

Needs Redis and PostgreSQL. Outside CI a missing service skips the test with the reason; in CI
(CI=true) it fails, so a broken service can never pass unnoticed.
"""

import time
from datetime import date

import pytest
from celery import Celery

from kpi.models import CallLog, Rollup
from kpi.tasks import refresh_rep_days
from tests.factories import CallFactory, tokyo
from tests.kpi.worker import BROKER

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_worker_consumes_rollup_task_from_redis(worker, rep):
    CallFactory(rep=rep, started_at=tokyo(2026, 11, 2, 10, 0), duration_seconds=150, result=CallLog.Result.CONNECTED)
    CallFactory(rep=rep, started_at=tokyo(2026, 11, 2, 11, 0))
    # A producer of its own: the test process's app is eager (no broker in its settings).
    with Celery(broker=BROKER) as producer:
        producer.send_task(refresh_rep_days.name, kwargs={"rep_days": [[rep.pk, "2026-11-02"]]}, queue=worker)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        row = Rollup.objects.filter(granularity="day", scope="rep", scope_id=rep.pk, period_start=date(2026, 11, 2))
        if row.exists():
            break
        time.sleep(0.3)
    day = Rollup.objects.get(granularity="day", scope="rep", scope_id=rep.pk, period_start=date(2026, 11, 2))
    assert (day.calls, day.connects, day.effective_calls) == (2, 1, 1)
    assert (
        Rollup.objects.get(
            granularity="month", scope="team", scope_id=rep.team_id, period_start=date(2026, 11, 1)
        ).calls
        == 2
    )
