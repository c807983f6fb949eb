"""kpi/views/lead_supply.py: a bad number writes nothing; the consistency warning for all three
departments."""

from datetime import date

import pytest
from django.urls import reverse

from kpi.forms.planner import plan_input_parse
from kpi.models import FsCapacity, LeadSupply
from kpi.services.planner import plan_save

pytestmark = pytest.mark.django_db


def test_a_bad_lead_supply_number_writes_nothing(client, marketer):
    client.force_login(marketer)
    response = client.post(reverse("lead_supply"), {"month": "2026-12", "leads_web": "12", "leads_event": "-3"})
    assert response.status_code == 200 and "leads_event" in response.context["errors"]
    assert not LeadSupply.objects.exists() and not FsCapacity.objects.exists()


def test_lead_supply_consistency_warning_for_all_three_departments(client, manager, marketer, fs_user, rep, team_a):
    plan_save(
        plan_input=plan_input_parse(team=team_a, data={"month": "2026-12", "goal_value": "3"}),
        as_of=date(2026, 11, 20),
        user=manager,
    )
    # 3 orders -> 10 qualified -> 17 meetings -> 170 effective -> 425 connects -> 850 calls: 170-284 leads.
    client.force_login(marketer)
    client.post(reverse("lead_supply"), {"month": "2026-12", "leads_web": "100", "leads_event": "50"})
    assert LeadSupply.objects.filter(month=date(2026, 12, 1)).count() == 2
    client.force_login(fs_user)
    client.post(reverse("lead_supply"), {"month": "2026-12", "fs_capacity": "10"})
    assert FsCapacity.objects.get().meetings == 10
    for user in (marketer, fs_user, manager):
        client.force_login(user)
        page = client.get(reverse("lead_supply") + "?month=2026-12")
        kinds = [(w.kind, w.level, w.needed, w.available) for w in page.context["warnings"]]
        assert kinds == [("leads", "warning", 170, 150), ("meetings", "warning", 17, 10)]
    client.force_login(manager)
    assert client.post(reverse("lead_supply"), {"month": "2026-12", "leads_web": "999"}).status_code == 403


def test_a_save_with_a_bad_month_is_refused_and_no_month_is_touched(client, marketer):
    from kpi import periods

    next_month = periods.next_period_start("month", periods.month_start(periods.today()))
    client.force_login(marketer)
    client.post(reverse("lead_supply"), {"month": f"{next_month:%Y-%m}", "leads_web": "100", "leads_event": "50"})
    for bad in ("2026-13", "abc", "9999-12", ""):
        response = client.post(reverse("lead_supply"), {"month": bad, "leads_web": "5"})
        assert response.status_code == 400 and "month" in response.context["errors"]
    assert dict(LeadSupply.objects.values_list("channel", "leads")) == {"web": 100, "event": 50}
    assert client.get(reverse("lead_supply") + "?month=9999-12").status_code == 200


def test_a_save_changes_only_the_boxes_it_sent(client, marketer):
    client.force_login(marketer)
    client.post(reverse("lead_supply"), {"month": "2026-12", "leads_web": "100", "leads_event": "50"})
    client.post(reverse("lead_supply"), {"month": "2026-12", "leads_web": "120"})
    assert dict(LeadSupply.objects.values_list("channel", "leads")) == {"web": 120, "event": 50}
    client.post(reverse("lead_supply"), {"month": "2026-12", "leads_event": ""})
    assert dict(LeadSupply.objects.values_list("channel", "leads")) == {"web": 120}
