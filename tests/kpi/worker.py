"""The real Celery worker's broker and the services it needs (tests/kpi/conftest.py starts it).

Needs Redis and PostgreSQL. Outside CI a missing service skips the test with the reason; in CI
(CI=true) it fails, so a broken service can never pass unnoticed.
"""

import os
from pathlib import Path

import pytest

BROKER = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")


ROOT = Path(__file__).resolve().parents[2]  # the repository


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
