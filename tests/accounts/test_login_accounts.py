"""Login: lockout after repeated wrong passwords, Django's full password policy, idle session expiry."""

import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from isales.middleware import SEEN_KEY

pytestmark = pytest.mark.django_db


def attempt(client, user, password, lang="en"):
    client.cookies["django_language"] = lang
    return client.post(reverse("login"), {"username": user.email, "password": password})


def test_five_wrong_passwords_lock_the_login_and_the_right_one_is_then_refused(client, rep):
    for _ in range(4):
        assert attempt(client, rep, "wrong-guess").status_code == 200
    locked = attempt(client, rep, "wrong-guess")
    assert locked.status_code == 429
    right = attempt(client, rep, "pass-1234")
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    html = right.content.decode()
    assert "Too many failed logins" in html
    assert "This login is locked for 15 minutes after too many wrong passwords." in html


def test_lockout_page_in_japanese(client, rep):
    for _ in range(5):
        attempt(client, rep, "wrong-guess", lang="ja")
    html = attempt(client, rep, "pass-1234", lang="ja").content.decode()
    assert "ログインの失敗が多すぎます" in html
    assert "15 分間ロック" in html


def test_lockout_is_per_login_another_user_still_logs_in(client, rep, teammate):
    for _ in range(5):
        attempt(client, rep, "wrong-guess")
    assert attempt(client, teammate, "pass-1234").status_code == 302


def test_a_success_before_the_limit_resets_the_count(client, rep):
    for _ in range(4):
        attempt(client, rep, "wrong-guess")
    assert attempt(client, rep, "pass-1234").status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        attempt(client, rep, "wrong-guess")
    assert attempt(client, rep, "pass-1234").status_code == 302


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short-1", "too short"),
        ("password123", "too common"),
        ("4830129576123", "entirely numeric"),
        ("hanako.sato.rep", "too similar"),
    ],
)
def test_password_policy_refuses_weak_passwords(rep, password, reason):
    rep.email = "hanako.sato.rep@example.jp"
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user=rep)
    assert reason in " ".join(refused.value.messages)


def test_password_policy_accepts_a_long_unusual_one(rep):
    validate_password("夕焼け-kettle-47-grove", user=rep)


def test_session_expires_after_the_idle_time_and_moves_on_with_activity(client, rep):
    assert attempt(client, rep, "pass-1234").status_code == 302
    age = client.session.get_expiry_age()
    assert age == 120 * 60
    # A request after the refresh interval moves the expiry forward (the session is saved again).
    session = client.session
    session[SEEN_KEY] = int(time.time()) - 301
    session.save()
    before = client.session.get_expiry_date()
    client.get(reverse("today"))
    assert client.session.get_expiry_date() > before
    assert client.session[SEEN_KEY] >= int(time.time()) - 2


def test_an_idle_session_is_gone(client, rep):
    with override_settings(SESSION_COOKIE_AGE=1, SESSION_IDLE_REFRESH=0):
        attempt(client, rep, "pass-1234")
        assert client.get(reverse("today")).status_code == 200
        time.sleep(1.1)
        response = client.get(reverse("today"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
