"""With the cache's Redis down (CACHE_URL on the docker-compose Redis), login and pages keep working."""

import socket

import pytest
from django.core.cache import caches
from django.test import override_settings
from django.urls import reverse

from isales import cache as fail_open

pytestmark = pytest.mark.django_db


def dead_redis_url() -> str:
    """A port nothing listens on: connecting is refused, as with a stopped Redis."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"redis://127.0.0.1:{port}/1"


@pytest.fixture
def redis_down(monkeypatch):
    url = dead_redis_url()
    settings = {
        "CACHES": {
            "default": {
                "BACKEND": "isales.cache.FailOpenRedisCache",
                "LOCATION": url,
                "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
            }
        },
        "SESSION_ENGINE": "django.contrib.sessions.backends.cached_db",
    }
    with override_settings(**settings):
        caches["default"]._down_until = 0.0
        yield caches["default"]
    caches["default"].close()


def test_reads_miss_and_writes_are_dropped(redis_down):
    assert redis_down.get("board", "fallback") == "fallback"
    assert redis_down.get_many(["a", "b"]) == {}
    redis_down.set("board", "<table>")
    redis_down.delete("board")
    assert redis_down.has_key("board") is False


def test_after_a_failure_redis_is_not_asked_again_for_a_while(redis_down, monkeypatch):
    redis_down.get("x")
    calls = []
    monkeypatch.setattr(fail_open.RedisCache, "get", lambda *a, **k: calls.append(a))
    assert redis_down.get("x", 7) == 7
    assert calls == []


def test_login_and_pages_work_while_redis_is_down(client, redis_down, manager, rep):
    response = client.post(reverse("login"), {"username": manager.email, "password": "pass-1234"})
    assert response.status_code == 302
    for url in (reverse("home"), reverse("team_board", args=[manager.team_id]), reverse("org_board")):
        assert client.get(url, follow=True).status_code == 200, url
    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": rep.email, "password": "pass-1234"})
    assert client.get(reverse("today")).status_code == 200
