"""FS works through open meetings page by page, earliest first; the CSV export has all of them."""

from datetime import timedelta

import pytest
from django.urls import reverse

from ..factories import MeetingFactory, tokyo

pytestmark = pytest.mark.django_db


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
    assert lines[0] == "set_at,rep,status,amount,scheduled_for,lead"
    assert len(lines) == 61


def test_reps_cannot_open_the_fs_list(client, rep):
    client.force_login(rep)
    assert client.get(reverse("fs_meetings")).status_code == 403


def test_leads_csv_exports_every_lead_not_just_the_page(client, marketer):
    from django.utils import timezone

    from kpi.models import Lead

    Lead.objects.bulk_create(
        Lead(source="web", external_id=f"L{i}", company=f"会社{i}", created_at=timezone.now()) for i in range(205)
    )
    client.force_login(marketer)
    lines = client.get(reverse("leads"), {"format": "csv"}).content.decode("utf-8-sig").splitlines()
    assert len(lines) == 206
