"""kpi/views/meetings.py: FS works through open meetings page by page, earliest first, and records
outcomes; the CSV export has all of them; bad input is refused."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import User
from kpi.models import (
    Lead,
    Meeting,
    Rollup,
)
from tests.factories import MeetingFactory, UserFactory, tokyo

pytestmark = pytest.mark.django_db


def test_fs_form_with_a_bad_meeting_id_is_404_and_zero_amount_exports(client, fs_user, rep):
    client.force_login(fs_user)
    assert client.post(reverse("fs_meetings"), {"meeting": "abc", "status": "held"}).status_code == 404
    MeetingFactory(rep=rep, status=Meeting.Status.WON, amount=0)
    lines = client.get(reverse("fs_meetings"), {"status": "all", "format": "csv"}).content.decode("utf-8-sig")
    assert lines.splitlines()[1].split(",")[3] == "0"


@pytest.fixture
def sixty_open_meetings(rep):
    start = tokyo(2026, 11, 24, 10, 0)
    # Created latest-first, so the page order must come from scheduled_for, not insertion.
    return [MeetingFactory(rep=rep, scheduled_for=start + timedelta(hours=59 - i)) for i in range(60)]


def test_open_meetings_are_paged_earliest_first(client, fs_user, sixty_open_meetings):
    client.force_login(fs_user)
    first = client.get(reverse("fs_meetings"))
    assert len(first.context["meetings"]) == 50
    assert first.context["meetings"][0].scheduled_for == tokyo(2026, 11, 24, 10, 0)
    assert "2ページ中1ページ目（商談60件）" in first.content.decode()
    second = client.get(reverse("fs_meetings"), {"page": 2})
    assert len(second.context["meetings"]) == 10


def test_csv_exports_every_open_meeting_not_just_a_page(client, fs_user, sixty_open_meetings):
    client.force_login(fs_user)
    response = client.get(reverse("fs_meetings"), {"format": "csv"})
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "set_at,rep,status,amount,scheduled_for,lead,company,note"
    assert len(lines) == 61


def test_reps_cannot_open_the_fs_list(client, rep):
    client.force_login(rep)
    assert client.get(reverse("fs_meetings")).status_code == 403


def test_fs_records_outcomes(client, fs_user, rep, marketer, now, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(rep=rep, set_at=tokyo(2026, 11, 18, 15, 0))
    client.force_login(marketer)
    assert client.get(reverse("fs_meetings")).status_code == 403
    client.force_login(fs_user)
    client.post(reverse("fs_meetings"), {"meeting": meeting.pk, "status": "won", "amount": ""})
    assert Meeting.objects.get().status == "scheduled"  # a win needs its amount
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("fs_meetings"), {"meeting": meeting.pk, "status": "won", "amount": "1200000"})
    meeting.refresh_from_db()
    assert (meeting.status, meeting.amount, meeting.fs_owner) == ("won", Decimal("1200000"), fs_user)
    day = Rollup.objects.get(granularity="day", scope="rep", scope_id=rep.pk, period_start=date(2026, 11, 18))
    assert (day.meetings, day.qualified_meetings, day.orders, day.order_amount) == (1, 1, 1, 1200000)


@pytest.mark.parametrize("amount", ["lots", ""])
def test_a_won_meeting_without_a_usable_amount_writes_nothing(client, fs_user, rep, amount):
    meeting = MeetingFactory(rep=rep)
    client.force_login(fs_user)
    client.post(reverse("fs_meetings"), {"meeting": meeting.pk, "status": "won", "amount": amount})
    meeting.refresh_from_db()
    assert (meeting.status, meeting.amount) == (Meeting.Status.SCHEDULED, None)


def test_csv_times_are_tokyo_time(client, fs_user, rep):
    MeetingFactory(rep=rep, set_at=tokyo(2026, 11, 2, 10, 0), scheduled_for=tokyo(2026, 11, 5, 14, 0))
    client.force_login(fs_user)
    line = client.get(reverse("fs_meetings"), {"format": "csv"}).content.decode("utf-8-sig").splitlines()[1]
    assert line.startswith(f"2026-11-02T10:00:00+09:00,{rep.email},scheduled,,2026-11-05T14:00:00+09:00,")


def test_fs_finds_their_meetings_with_company_and_hand_over_note(client, fs_user, rep):
    other_fs = UserFactory(role=User.Role.FS)
    acme = Lead.objects.create(external_id="L-1", company="アクメ商事", created_at=tokyo(2026, 11, 1, 9, 0))
    MeetingFactory(rep=rep, fs_owner=fs_user, lead=acme, lead_external_id="L-1", note="予算は来期、決裁者同席")
    MeetingFactory(rep=rep, fs_owner=other_fs, lead_external_id="L-2", note="資料送付済み")
    client.force_login(fs_user)
    page = client.get(reverse("fs_meetings")).content.decode()
    assert "アクメ商事" in page and "予算は来期、決裁者同席" in page and "資料送付済み" in page
    mine = client.get(reverse("fs_meetings"), {"mine": "1"})
    assert [m.lead_external_id for m in mine.context["meetings"]] == ["L-1"]
    found = client.get(reverse("fs_meetings"), {"q": "資料"})
    assert [m.lead_external_id for m in found.context["meetings"]] == ["L-2"]
    assert [m.lead_external_id for m in client.get(reverse("fs_meetings"), {"q": "アクメ"}).context["meetings"]] == [
        "L-1"
    ]


def test_no_outcome_is_preselected_for_a_meeting_waiting_for_one(client, fs_user, rep):
    MeetingFactory(rep=rep)
    client.force_login(fs_user)
    page = client.get(reverse("fs_meetings")).content.decode()
    select = page.split('<select name="status"')[1].split("</select>")[0]
    assert select.count(" selected") == 1 and '<option value="" selected disabled>' in select
