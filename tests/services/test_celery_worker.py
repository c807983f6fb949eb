"""A real Celery worker consumes a rollup task from Redis and writes the rollups to PostgreSQL.

Needs Redis and PostgreSQL. Outside CI a missing service skips the test with the reason; in CI
(CI=true) it fails, so a broken service can never pass unnoticed.
"""

import os
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection

from kpi.models import CallLog, Rollup
from kpi.tasks import refresh_rep_days

from ..factories import CallFactory, tokyo

BROKER = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")
ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _missing(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"required service missing in CI: {reason}")
    pytest.skip(reason)


def _redis_ok() -> bool:
    import redis

    try:
        return redis.Redis.from_url(BROKER, socket_connect_timeout=2).ping()
    except redis.RedisError:
        return False


@pytest.fixture
def worker(settings):
    if connection.vendor != "postgresql":
        _missing("the worker test shares the test database, which needs PostgreSQL (set DATABASE_URL)")
    if not _redis_ok():
        _missing(f"Redis is not answering at {BROKER}")
    db = connection.settings_dict
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": BROKER,
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "isales", "worker", "--pool=solo", "-Q", queue, "--loglevel=warning"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        yield queue
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


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
