"""Celery limits: tasks end before Redis redelivers them, redelivery comes before the stale-import reaper."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from isales.celery import app

ROOT = Path(__file__).resolve().parents[2]


def test_limits_grow_from_soft_to_hard_to_redelivery_to_reaping():
    assert app.conf.task_soft_time_limit == 20 * 60
    assert app.conf.task_time_limit == 25 * 60
    assert app.conf.broker_transport_options["visibility_timeout"] == 30 * 60
    assert settings.IMPORT_JOB_STALE_MINUTES * 60 == 180 * 60


def test_a_send_to_a_down_broker_gives_up_fast():
    assert app.conf.broker_connection_timeout == 1.0
    assert app.conf.broker_transport_options["socket_connect_timeout"] == 1.0
    assert app.conf.task_publish_retry_policy["max_retries"] == 2


def test_a_visibility_timeout_past_the_reaper_stops_startup():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "isales.settings", "CELERY_VISIBILITY_TIMEOUT": str(4 * 3600)}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "CELERY_VISIBILITY_TIMEOUT < IMPORT_JOB_STALE_MINUTES" in result.stderr
