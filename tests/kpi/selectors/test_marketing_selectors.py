"""kpi/selectors/marketing.py: lead supply against plan per channel, and the month's leads by channel
through the funnel, each lead counted once per step (Tokyo month boundaries)."""

from datetime import date
from decimal import Decimal

import pytest

from kpi.models import Lead, LeadSupply, Meeting
from kpi.selectors.marketing import funnel_by_channel, supply_against_plan
from tests.factories import CallFactory, EmailFactory, MeetingFactory, tokyo

pytestmark = pytest.mark.django_db
DEC = date(2026, 12, 1)


def _lead(external_id, channel, created):
    return Lead.objects.create(source="test", external_id=external_id, channel=channel, created_at=created)


def test_supply_against_plan_counts_leads_created_in_the_tokyo_month(rep):
    LeadSupply.objects.create(month=DEC, channel="web", leads=10)
    _lead("w1", "web", tokyo(2026, 12, 1, 0, 10))
    _lead("w2", "web", tokyo(2026, 12, 31, 23, 50))
    _lead("w0", "web", tokyo(2026, 11, 30, 23, 50))  # November in Tokyo
    _lead("a1", "ad", tokyo(2026, 12, 5, 12, 0))
    rows = {r.channel: r for r in supply_against_plan(month=DEC)}
    assert (rows["web"].planned, rows["web"].actual, rows["web"].attainment) == (10, 2, Decimal("0.2"))
    assert (rows["ad"].planned, rows["ad"].actual, rows["ad"].attainment) == (None, 1, None)
    assert rows["event"].actual == 0


def test_funnel_by_channel_counts_each_lead_once_per_step(rep):
    won = _lead("w1", "web", tokyo(2026, 12, 1, 9, 0))
    _lead("w2", "web", tokyo(2026, 12, 2, 9, 0))
    _lead("w3", "web", tokyo(2026, 12, 3, 9, 0))
    for minute in range(3):  # three calls on one lead: one touched lead
        CallFactory(rep=rep, lead_external_id="w1", started_at=tokyo(2026, 12, 2, 10, minute), reached_target=True)
    EmailFactory(rep=rep, lead_external_id="w2", sent_at=tokyo(2026, 12, 2, 11, 0))
    MeetingFactory(rep=rep, lead=won, status=Meeting.Status.WON, amount=500_000)
    [web] = funnel_by_channel(month=DEC)
    assert web.channel == "web"
    assert web.counts == {"leads": 3, "touched": 2, "reached": 1, "meetings": 1, "qualified": 1, "won": 1}
    assert web.amount == 500_000
    assert web.rate("touched") == Decimal(2) / 3
