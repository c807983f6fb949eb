"""accounts/views.py: ops create, edit and deactivate people and send them a one-time sign-in link;
nobody else reaches these pages; the last ops user cannot be demoted or deactivated."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import User

pytestmark = pytest.mark.django_db


def _signs_in(client, email: str, password: str) -> bool:
    """Through the login form, as a person would (the login throttle needs the request)."""
    client.logout()
    response = client.post(reverse("login"), {"username": email, "password": password})
    return response.status_code == 302 and "_auth_user_id" in client.session


def person_data(**changes):
    data = {
        "email": "new.rep@example.jp",
        "name": "新人 一郎",
        "role": "rep",
        "team": "",
        "workdays": ["0", "1", "2", "3"],
        "work_hours_per_day": "7.5",
    }
    return {**data, **changes}


def test_only_ops_reach_the_people_pages(client, rep, manager, marketer, ops):
    for user in (rep, manager, marketer):
        client.force_login(user)
        for url in (reverse("people"), reverse("person_new"), reverse("person", args=[rep.pk])):
            assert client.get(url).status_code == 403
        assert (
            client.post(
                reverse("person", args=[rep.pk]), {"action": "deactivate", "last_day": "2026-11-01"}
            ).status_code
            == 403
        )
    rep.refresh_from_db()
    assert rep.is_active
    client.force_login(ops)
    page = client.get(reverse("people"))
    assert page.status_code == 200
    assert [p.email for p in page.context["people"]] == sorted(
        [rep.email, manager.email, marketer.email, ops.email], key=lambda e: User.objects.get(email=e).name
    )


def test_ops_create_a_rep_who_sets_a_password_through_the_one_time_link(client, ops, team_a):
    client.force_login(ops)
    response = client.post(reverse("person_new"), person_data(team=team_a.pk))
    new = User.objects.get(email="new.rep@example.jp")
    assert response.url == reverse("person", args=[new.pk])
    assert (new.team, new.workdays, new.work_hours_per_day, new.has_usable_password()) == (
        team_a,
        "0123",
        Decimal("7.5"),
        False,
    )
    (invite,) = mail.outbox
    assert invite.to == ["new.rep@example.jp"]
    link = re.search(r"https?://\S+", invite.body).group(0)
    client.logout()
    form = client.get(link, follow=True)
    assert form.context["validlink"]
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": "kpi-Passw0rd-2026", "new_password2": "kpi-Passw0rd-2026"}
    )
    assert done.url == reverse("login")
    assert _signs_in(client, "new.rep@example.jp", "kpi-Passw0rd-2026")
    client.logout()
    assert not client.get(link, follow=True).context["validlink"]  # used once: no longer works


def test_ops_edit_role_teams_and_hours(client, ops, rep, team_a, team_b):
    client.force_login(ops)
    data = person_data(
        email=rep.email, name=rep.name, role="manager", team=team_a.pk, managed_teams=[team_a.pk, team_b.pk]
    )
    client.post(
        reverse("person", args=[rep.pk]),
        {**data, "workdays": ["0", "1", "2", "3", "4", "5"], "work_hours_per_day": "6"},
    )
    rep.refresh_from_db()
    assert (rep.role, rep.workdays, rep.work_hours_per_day) == ("manager", "012345", Decimal(6))
    assert set(rep.managed_teams.all()) == {team_a, team_b}
    bad = client.post(reverse("person", args=[rep.pk]), {**data, "work_hours_per_day": "30", "email": "ops@example.jp"})
    assert bad.status_code == 400
    assert set(bad.context["form"].errors) == {"work_hours_per_day"}
    taken = client.post(reverse("person", args=[rep.pk]), {**data, "email": "ops@example.jp"})
    assert taken.status_code == 400 and set(taken.context["form"].errors) == {"email"}


def test_a_deactivated_user_cannot_sign_in_and_keeps_their_history(client, ops, rep):
    from kpi.models import CallLog
    from tests.factories import CallFactory

    CallFactory(rep=rep)
    client.force_login(ops)
    last_day = timezone.localdate() - timedelta(days=3)
    client.post(reverse("person", args=[rep.pk]), {"action": "deactivate", "last_day": last_day.isoformat()})
    rep.refresh_from_db()
    assert (rep.is_active, rep.last_day) == (False, last_day)
    assert CallLog.objects.filter(rep=rep).count() == 1
    assert not _signs_in(client, rep.email, "pass-1234")
    client.force_login(ops)
    assert rep.email not in [p.email for p in client.get(reverse("people")).context["people"]]
    assert rep.email in [p.email for p in client.get(reverse("people") + "?status=inactive").context["people"]]
    future = client.post(
        reverse("person", args=[ops.pk]),
        {"action": "deactivate", "last_day": (timezone.localdate() + timedelta(days=40)).isoformat()},
    )
    assert future.status_code == 400
    client.post(reverse("person", args=[rep.pk]), {"action": "reactivate"})
    rep.refresh_from_db()
    assert (rep.is_active, rep.last_day) == (True, None)


def test_the_last_ops_user_can_be_neither_demoted_nor_deactivated(client, ops):
    client.force_login(ops)
    data = person_data(email=ops.email, name=ops.name, role="manager")
    response = client.post(reverse("person", args=[ops.pk]), data)
    assert response.status_code == 400 and "role" in response.context["form"].errors
    today = timezone.localdate().isoformat()
    response = client.post(reverse("person", args=[ops.pk]), {"action": "deactivate", "last_day": today})
    assert response.status_code == 400 and response.context["leave"].errors
    ops.refresh_from_db()
    assert (ops.role, ops.is_active) == ("ops", True)
    # With a second ops user, the first may step down.
    client.post(reverse("person_new"), person_data(email="ops2@example.jp", role="ops"))
    client.post(reverse("person", args=[ops.pk]), data)
    ops.refresh_from_db()
    assert ops.role == "manager"


def test_a_password_reset_link_is_mailed_to_an_active_user(client, ops, rep):
    client.force_login(ops)
    client.post(reverse("person", args=[rep.pk]), {"action": "send_link"})
    (reset,) = mail.outbox
    assert reset.to == [rep.email] and "/accounts/password/" in reset.body
    assert rep.has_usable_password()  # the old password works until the new one is set


def test_a_user_is_created_even_when_the_invitation_mail_fails(client, ops, monkeypatch):
    def refuse(self, messages):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    client.force_login(ops)
    response = client.post(reverse("person_new"), person_data(), follow=True)
    assert User.objects.filter(email="new.rep@example.jp").exists()
    assert [m.level_tag for m in response.context["messages"]] == ["warning"]
