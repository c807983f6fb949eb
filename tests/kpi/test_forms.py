"""Page forms (kpi/forms/): bad input is refused with its message and nothing is written."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from kpi import periods
from kpi.forms.boards import PeriodForm
from kpi.forms.lead_supply import LeadSupplyForm
from kpi.forms.meetings import OutcomeForm
from kpi.forms.targets import TargetGridForm, cell_name
from kpi.forms.today import QuickLogForm
from kpi.models import CallLog, FsCapacity, Lead, LeadSupply, Meeting, Target

from ..factories import MeetingFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 18)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, (periods.MONTH, date(2026, 11, 1))),
        ({"g": "week", "d": "2026-11-05"}, (periods.WEEK, date(2026, 11, 2))),
        ({"g": "day", "d": "2026-11-05"}, (periods.DAY, date(2026, 11, 5))),
        ({"g": "year", "d": "2026-11-05"}, (periods.MONTH, date(2026, 11, 1))),
        ({"g": "day", "d": "2026-13-45"}, (periods.DAY, TODAY)),
        ({"g": "quarter", "d": "nope"}, (periods.MONTH, date(2026, 11, 1))),
    ],
)
def test_the_period_form_falls_back_per_box(query, expected):
    assert PeriodForm(query, today=TODAY).period() == expected


def test_quick_log_form_reads_the_appointment_as_local_time():
    form = QuickLogForm({"result": "connected", "appointment_for": "2026-11-20T10:00"})
    assert form.is_valid()
    assert form.cleaned_data["appointment_for"].utcoffset().total_seconds() == 9 * 3600


@pytest.mark.parametrize("duration", ["-5", "abc", "90000"])
def test_a_bad_quick_log_writes_nothing(client, rep, duration):
    client.force_login(rep)
    response = client.post(reverse("quick_log"), {"result": "connected", "duration_seconds": duration}, follow=True)
    assert CallLog.objects.count() == 0
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_outcome_form_reads_yen_with_commas():
    form = OutcomeForm({"meeting": "7", "status": "won", "amount": "1,200,000"})
    assert form.is_valid() and form.cleaned_data["amount"] == 1_200_000 and form.meeting_id() == 7
    assert OutcomeForm({"meeting": "x"}).meeting_id() == 0
    assert not OutcomeForm({"meeting": "7", "status": "won", "amount": "lots"}).is_valid()


@pytest.mark.parametrize("amount", ["lots", ""])
def test_a_won_meeting_without_a_usable_amount_writes_nothing(client, fs_user, rep, amount):
    meeting = MeetingFactory(rep=rep)
    client.force_login(fs_user)
    client.post(reverse("fs_meetings"), {"meeting": meeting.pk, "status": "won", "amount": amount})
    meeting.refresh_from_db()
    assert (meeting.status, meeting.amount) == (Meeting.Status.SCHEDULED, None)


def test_lead_supply_form_offers_only_the_boxes_the_user_may_fill():
    assert list(LeadSupplyForm({}, can_supply=False, can_capacity=True).fields) == ["fs_capacity"]
    form = LeadSupplyForm({"leads_web": "12", "fs_capacity": "x"}, can_supply=True, can_capacity=True)
    assert not form.is_valid() and list(form.first_errors()) == ["fs_capacity"]


def test_a_bad_lead_supply_number_writes_nothing(client, marketer):
    client.force_login(marketer)
    response = client.post(reverse("lead_supply"), {"month": "2026-12", "leads_web": "12", "leads_event": "-3"})
    assert response.status_code == 200 and "leads_event" in response.context["errors"]
    assert not LeadSupply.objects.exists() and not FsCapacity.objects.exists()


def test_target_grid_form_reads_counts_and_percent(rep):
    subjects = [("rep", rep.pk)]
    data = {cell_name("rep", rep.pk, "calls"): "1,000", cell_name("rep", rep.pk, "connect_rate"): "45"}
    form = TargetGridForm(data, subjects=subjects)
    assert form.is_valid()
    values = form.values()
    assert values[("rep", rep.pk, "calls")] == Decimal(1000)
    assert values[("rep", rep.pk, "connect_rate")] == Decimal("0.45")
    assert values[("rep", rep.pk, "meetings")] is None
    bad = TargetGridForm({cell_name("rep", rep.pk, "calls"): "-1"}, subjects=subjects)
    assert not bad.is_valid() and list(bad.cell_errors()) == [f"rep_{rep.pk}_calls"]


def test_a_target_import_without_a_file_is_listed_and_writes_nothing(client, manager, team_a):
    client.force_login(manager)
    response = client.post(reverse("targets"), {"action": "import", "team": team_a.pk, "month": "2026-11"})
    assert [(n, col) for n, col, _reason in response.context["import_errors"]] == [(0, "file")]
    assert not Target.objects.exists()


def test_a_duplicate_lead_id_is_refused_beside_the_form(client, marketer):
    client.force_login(marketer)
    data = {"company": "株式会社テスト", "channel": Lead.Channel.values[0], "external_id": "L-1"}
    client.post(reverse("leads"), data)
    response = client.post(reverse("leads"), {**data, "company": "別会社"})
    assert "lead id L-1 already exists" in response.context["form"].non_field_errors()
    assert Lead.objects.count() == 1


def test_a_second_integration_with_the_same_source_is_refused(client, ops):
    client.force_login(ops)
    client.post(reverse("integrations"), {"name": "Phone", "source": "phone"})
    response = client.post(reverse("integrations"), {"name": "Phone 2", "source": "phone"})
    assert "source" in response.context["form"].errors and response.context["token"] is None
