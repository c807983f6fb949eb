"""Fault tests: the test process sends tasks through the outbox to a real Redis broker (or to a closed
port, the broker down), and real Celery workers, started and killed with SIGKILL here, run them
against the test database.

Needs Redis and PostgreSQL: outside CI a missing service skips the test with the reason; in CI it fails.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field

import pytest
from celery import current_app
from django.db import connection
from kombu import pools

from kpi.models import HourRollup, Rollup
from kpi.services import rollups
from tests.kpi.worker import BROKER, ROOT, _missing, _redis_ok

DOWN = "redis://127.0.0.1:1/0"  # nothing listens on port 1: every connection is refused at once

# A worker of the fault tests: the project's app, with a short visibility timeout so that a message
# left unacknowledged by a killed worker comes back in seconds (Redis's default is an hour), and, when
# FAULT_PAUSE_IN names a rollup step, a pause inside that step so that SIGKILL lands mid-transaction.
WORKER = """
import os, sys, time
from isales.celery import app
app.conf.broker_transport_options = {"visibility_timeout": 3}
app.conf.task_default_queue = sys.argv[1]  # tasks the worker sends (an import's refreshes) come back to it
pause = os.environ.get("FAULT_PAUSE_IN")
if pause:
    import django
    django.setup()
    module_name, name = pause.rsplit(".", 1)
    import importlib
    module = importlib.import_module(module_name)
    real = getattr(module, name)
    def paused(*args, **kwargs):
        print("FAULT-PAUSED", flush=True)
        time.sleep(float(os.environ.get("FAULT_PAUSE_SECONDS", "30")))
        return real(*args, **kwargs)
    setattr(module, name, paused)
app.worker_main(["worker", "--pool=solo", "-Q", sys.argv[1], "--loglevel=warning", "-n", sys.argv[2]])
"""


def point_broker(url: str) -> None:
    """The test process's app sends to `url` from now on (its connection pools are dropped)."""
    current_app.conf.broker_url = url
    current_app._pool = None
    current_app.amqp._producer_pool = None
    pools.reset()


@dataclass
class Live:
    queue: str
    env: dict
    workers: list = field(default_factory=list)

    def start_worker(self, pause_in: str | None = None, pause_seconds: float = 30) -> subprocess.Popen:
        env = {**self.env, "FAULT_PAUSE_IN": pause_in or "", "FAULT_PAUSE_SECONDS": str(pause_seconds)}
        name = f"w{len(self.workers)}-{self.queue}@%h"
        proc = subprocess.Popen(
            [sys.executable, "-c", WORKER, self.queue, name],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        self.workers.append(proc)
        return proc

    @staticmethod
    def kill(proc: subprocess.Popen) -> None:
        """kill -9: no shutdown, no acknowledgement, the task's transaction cut off."""
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=20)

    @staticmethod
    def wait_for(predicate, timeout: float = 90, what: str = "the condition") -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}")

    def stop_all(self) -> None:
        for proc in self.workers:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()


@pytest.fixture
def live(settings, tmp_path):
    """The test process as a producer to a real broker on a queue of its own, and workers to start."""
    if connection.vendor != "postgresql":
        _missing("the fault tests share the test database with their workers, which needs PostgreSQL")
    if not _redis_ok():
        _missing(f"Redis is not answering at {BROKER}")
    db = connection.settings_dict
    queue = f"faults-{uuid.uuid4().hex[:8]}"
    settings.MEDIA_ROOT = tmp_path
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": BROKER,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "ISALES_MEDIA_ROOT": str(tmp_path),
    }
    conf = current_app.conf
    saved = (conf.task_always_eager, conf.broker_url, conf.task_default_queue)
    conf.task_always_eager = False
    conf.task_default_queue = queue
    point_broker(BROKER)
    state = Live(queue=queue, env=env)
    try:
        yield state
    finally:
        state.stop_all()
        conf.task_always_eager, _, conf.task_default_queue = saved
        point_broker(saved[1])


def rollup_rows() -> dict:
    """Every rollup and hour-rollup row, by its key, without ids and timestamps."""
    rows = {}
    for model in (Rollup, HourRollup):
        skip = {"id", "computed_at", "updated_at", "created_at"}
        names = [f.attname for f in model._meta.concrete_fields if f.attname not in skip]
        for values in model.objects.values_list(*names):
            rows[(model.__name__, *values)] = True
    return rows


def assert_equal_to_full_rebuild() -> None:
    """The rollups as the faults left them, row for row, against a full rebuild from the events."""
    before = rollup_rows()
    rollups.rollups_rebuild(wait=True)
    after = rollup_rows()
    assert sorted(before) == sorted(after)
    assert len(after) > 0
