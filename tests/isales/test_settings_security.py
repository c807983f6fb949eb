"""Production settings refuse a guessable secret at startup, and set HSTS, secure cookies and HTTPS."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from isales.security import weak_secret_reason

ROOT = Path(__file__).resolve().parents[2]
STRONG = "k3J9-vQx_7Lp2Zr8Tn4Wb6Yc1Hd5Fg0Ms3Ue7Ia9Ok2Pl4Rq6Sj8Vw0Xy1Zt3"

SHOW = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'hsts': s.SECURE_HSTS_SECONDS, 'sub': s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
    "'ssl': s.SECURE_SSL_REDIRECT, 'cookie': s.SESSION_COOKIE_SECURE, 'csrf': s.CSRF_COOKIE_SECURE, "
    "'debug': s.DEBUG}))"
)


def start(debug: str, secret: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_SETTINGS_MODULE="isales.settings", DJANGO_DEBUG=debug)
    if secret is not None:
        env["DJANGO_SECRET_KEY"] = secret
    return subprocess.run([sys.executable, "-c", SHOW], cwd=ROOT, env=env, capture_output=True, text=True)


@pytest.mark.parametrize(
    "secret",
    [
        "change-me",
        "CHANGE-ME",
        "collectstatic-only",
        "short-but-random-Xy7",
        "a" * 60,
        "django-insecure-" + "x1y2z3" * 9,
    ],
)
def test_a_weak_secret_stops_production_startup(secret):
    result = start("false", secret)
    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY is refused with DJANGO_DEBUG=false" in result.stderr


def test_a_missing_secret_stops_production_startup():
    result = start("false", None)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_a_strong_secret_starts_production_with_https_only_settings():
    result = start("false", STRONG)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "hsts": 31536000,
        "sub": True,
        "ssl": True,
        "cookie": True,
        "csrf": True,
        "debug": False,
    }


def test_debug_mode_keeps_its_development_key():
    assert start("true", None).returncode == 0


def test_the_reason_names_what_is_wrong():
    assert weak_secret_reason("change-me") == "it is a published example value"
    assert weak_secret_reason("x" * 49) == "it is shorter than 50 characters"
    assert weak_secret_reason("ab" * 30) == "it has fewer than 5 different characters"
    assert weak_secret_reason(STRONG) is None


def test_env_example_is_safe_for_production():
    lines = dict(
        line.split("=", 1)
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#") and "=" in line
    )
    assert lines["DJANGO_DEBUG"] == "false"
    assert weak_secret_reason(lines["DJANGO_SECRET_KEY"]) is not None  # a placeholder that cannot start
