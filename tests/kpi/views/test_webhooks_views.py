"""kpi/views/webhooks.py: the team's managers add and switch off chat webhooks from the weekly review;
a bad address is refused with nothing saved; another team's manager gets 403."""

import pytest
from django.urls import reverse

from kpi.models import TeamWebhook, WebhookDelivery

pytestmark = pytest.mark.django_db


def test_the_manager_adds_lists_and_switches_off_a_webhook(client, manager, team_a, english):
    client.force_login(manager)
    url = reverse("team_webhooks", args=[team_a.pk])
    client.post(url, {"action": "add", "kind": "slack", "url": "https://hooks.slack.com/services/T0/B0/secret"})
    hook = TeamWebhook.objects.get()
    assert (hook.team, hook.kind, hook.is_active) == (team_a, "slack", True)
    WebhookDelivery.objects.create(
        webhook=hook, payload={"text": "x"}, status="sent", attempts=[{"status": 500}, {"status": 200}]
    )
    page = client.get(reverse("weekly_review", args=[team_a.pk])).content.decode()
    assert "https://hooks.slack.com/…" in page and "secret" not in page  # the secret path is not shown
    assert "2 attempts" in page
    client.post(url, {"webhook_id": hook.pk, "active": "0"})
    hook.refresh_from_db()
    assert not hook.is_active


@pytest.mark.parametrize(("kind", "address"), [("slack", "not a url"), ("irc", "https://example.com/h"), ("teams", "")])
def test_a_bad_webhook_is_refused_and_nothing_saved(client, manager, team_a, kind, address):
    client.force_login(manager)
    client.post(reverse("team_webhooks", args=[team_a.pk]), {"action": "add", "kind": kind, "url": address})
    assert not TeamWebhook.objects.exists()


def test_another_teams_manager_gets_403(client, manager, team_b):
    hook = TeamWebhook.objects.create(team=team_b, kind="slack", url="https://hooks.slack.com/x")
    client.force_login(manager)
    response = client.post(reverse("team_webhooks", args=[team_b.pk]), {"webhook_id": hook.pk, "active": "0"})
    assert response.status_code == 403
    hook.refresh_from_db()
    assert hook.is_active
