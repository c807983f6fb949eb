"""kpi/services/notifications.py: the Monday digest of a manager's teams' week, with its numbers, in
the manager's language, once per manager; the team's chat webhook gets the same week."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail

from kpi.models import NoticeSettings, ReviewItem, ReviewRule, Rollup, TeamWebhook, WebhookDelivery
from kpi.services.notifications import weekly_digests_send
from tests.factories import tokyo

pytestmark = pytest.mark.django_db

WEEK = date(2026, 11, 16)


def _item(rep, team, time_machine, when, **fields):
    time_machine.move_to(when)
    rule = ReviewRule.objects.create(kpi_key="calls", scope="rep", granularity="month")
    return ReviewItem.objects.create(
        rule=rule,
        kpi_key="calls",
        scope="rep",
        scope_id=rep.pk,
        team=team,
        granularity="month",
        threshold_pct=70,
        min_sample=30,
        pace_aware=True,
        period_start=date(2026, 11, 1),
        as_of=when.date(),
        target=1900,
        expected=1400,
        attainment_pct=Decimal("7.1"),
        **fields,
    )


@pytest.fixture
def week(team_a, rep, time_machine):
    """Team A's week of the 16th: 300 calls, 140 connects; an item opened on the 17th, one from the
    week before recovered on the 20th, both open."""
    Rollup.objects.create(
        granularity="week", scope="team", scope_id=team_a.pk, period_start=WEEK, calls=300, connects=140
    )
    _item(rep, team_a, time_machine, tokyo(2026, 11, 17, 7, 0))
    _item(rep, team_a, time_machine, tokyo(2026, 11, 10, 7, 0), recovered_on=date(2026, 11, 20))
    time_machine.move_to(tokyo(2026, 11, 23, 7, 40))  # Monday morning


def test_the_weekly_digest_has_the_teams_numbers_in_the_managers_language(week, manager, team_a, settings):
    settings.SITE_URL = "https://kpi.example.jp"
    NoticeSettings.objects.create(user=manager, language="en")
    stats = weekly_digests_send()
    assert stats == {"week": "2026-11-16", "managers": 1, "teams": 1, "mails": 1}
    (sent,) = mail.outbox
    assert sent.to == [manager.email] and sent.subject == "Weekly digest: the week of 2026-11-16"
    lines = sent.body.splitlines()
    assert lines[0] == "東京第1チーム · 2026-11-16 – 2026-11-22"
    assert "- Calls: 300 / Target —" in lines
    assert "- Connects: 140 / Target —" in lines
    assert (
        "Review items opened in the week: 1 · Open now: 2 · Recovered, waiting to be closed: 1 · Re-checks due: 0"
        in lines
    )
    assert f"https://kpi.example.jp/teams/{team_a.pk}/review/?week=2026-11-16" in lines


def test_the_digest_is_japanese_by_default_and_goes_to_the_teams_webhook(
    week, manager, team_a, django_capture_on_commit_callbacks
):
    TeamWebhook.objects.create(team=team_a, kind="slack", url="http://127.0.0.1:9/none", is_active=False)
    hook = TeamWebhook.objects.create(team=team_a, kind="slack", url="http://127.0.0.1:9/none")
    weekly_digests_send()
    (sent,) = mail.outbox
    assert sent.subject == "週次ダイジェスト: 2026-11-16 の週"
    assert "レビュー案件 週内の発生: 1 · 現在対応中: 2" in sent.body
    (delivery,) = WebhookDelivery.objects.all()  # the inactive hook gets nothing
    assert delivery.webhook == hook and "300" in delivery.payload["text"]
