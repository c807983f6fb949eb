"""kpi/views/marketing.py: managers, marketing and ops see the marketing page; reps and FS do not.
The funnel by channel exports as CSV."""

from datetime import date

import pytest
from django.urls import reverse

from kpi.models import Lead, LeadSupply
from tests.factories import CallFactory, tokyo
from tests.kpi.views.helpers import get

pytestmark = pytest.mark.django_db


def test_marketing_managers_and_ops_see_it_reps_and_fs_do_not(client, rep, manager, marketer, ops, fs_user):
    url = reverse("marketing")
    for user, status in ((marketer, 200), (manager, 200), (ops, 200), (rep, 403), (fs_user, 403)):
        client.logout()
        assert get(client, user, url).status_code == status, user


def test_page_shows_supply_against_plan_and_the_funnel_csv(client, marketer, rep):
    LeadSupply.objects.create(month=date(2026, 11, 1), channel="seminar", leads=4)
    Lead.objects.create(source="t", external_id="s1", channel="seminar", created_at=tokyo(2026, 11, 10, 9, 0))
    CallFactory(rep=rep, lead_external_id="s1", started_at=tokyo(2026, 11, 11, 9, 0))
    html = get(client, marketer, reverse("marketing") + "?month=2026-11").content.decode()
    assert "25%" in html  # 1 of 4 planned seminar leads
    assert 'data-channel="seminar"' in html
    response = client.get(reverse("marketing"), {"month": "2026-11", "format": "csv"})
    assert response.content.decode("utf-8-sig").splitlines() == [
        "channel,leads,touched,reached,meetings,qualified,won,order_amount",
        "seminar,1,1,0,0,0,0,0",
    ]
