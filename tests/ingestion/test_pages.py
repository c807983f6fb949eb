"""Ingestion pages: upload, job result, integrations, quick-log, FS outcomes, leads; who may use them."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kpi.models import CallLog, ImportJob, Integration, Lead, Meeting, Rollup

from ..factories import MeetingFactory, tokyo
from .helpers import EN_HEADER

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def now(time_machine):
    time_machine.move_to(tokyo(2026, 11, 20, 18, 0))


def csv_upload(rows: list[list], name: str = "calls.csv") -> SimpleUploadedFile:
    text = "\r\n".join([",".join(EN_HEADER)] + [",".join(map(str, r)) for r in rows]) + "\r\n"
    return SimpleUploadedFile(name, text.encode("cp932"), content_type="text/csv")


def test_upload_refused_then_imported(client, manager, rep, now, django_capture_on_commit_callbacks):
    client.force_login(manager)
    bad = csv_upload([["c-1", rep.email, "2026-11-20 10:00", -1, "outbound", "通話", "", "", "", ""]])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports"), {"kind": "calls", "file": bad, "source": "zoom"})
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("import_job", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert job.status == "queued" or ImportJob.objects.get().status == "refused"
    assert "negative duration" in page or "負の" in page
    good = csv_upload([["c-1", rep.email, "2026-11-20 10:00", 130, "outbound", "通話", "", "", "", ""]])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports"), {"kind": "calls", "file": good, "source": "zoom"})
    job = ImportJob.objects.order_by("-pk").first()
    assert (job.status, job.created, job.unchanged) == ("done", 1, 0)
    errors_csv = client.get(reverse("import_job", args=[job.pk - 1]), {"format": "csv"}).content.decode("utf-8-sig")
    assert errors_csv.splitlines()[1].startswith("2,duration_seconds")
    assert CallLog.objects.count() == 1


@pytest.mark.parametrize("who", ["rep", "fs_user", "marketer"])
def test_only_managers_and_ops_import(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("imports")).status_code == 403


def test_integrations_issue_once_and_revoke(client, ops, manager):
    client.force_login(manager)
    assert client.get(reverse("integrations")).status_code == 403
    client.force_login(ops)
    page = client.post(reverse("integrations"), {"name": "Zoom", "source": "zoom-phone"}).content.decode()
    integration = Integration.objects.get()
    assert integration.token_prefix in page
    assert integration.token_prefix not in client.get(reverse("integrations")).content.decode().replace(
        f"{integration.token_prefix}…", ""
    )
    client.post(reverse("integration_revoke", args=[integration.pk]))
    assert not Integration.objects.get().is_active


def test_quick_log_updates_todays_numbers(client, rep, now, django_capture_on_commit_callbacks):
    client.force_login(rep)
    assert client.get(reverse("quick_log")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("quick_log"), {"result": "connected", "duration_seconds": "150"})
        client.post(reverse("quick_log"), {"result": "no_answer"})
        client.post(reverse("quick_log"), {"result": "connected", "appointment_for": "2026-11-27T14:00"})
    day = Rollup.objects.get(granularity="day", scope="rep", scope_id=rep.pk, period_start=date(2026, 11, 20))
    assert (day.calls, day.connects, day.effective_calls, day.meetings) == (3, 2, 1, 1)
    meeting = Meeting.objects.get()
    assert meeting.scheduled_for == tokyo(2026, 11, 27, 14, 0)


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


def test_marketing_records_leads(client, marketer, rep):
    client.force_login(rep)
    assert client.get(reverse("leads")).status_code == 403
    client.force_login(marketer)
    client.post(reverse("leads"), {"company": "株式会社サンプル", "channel": "seminar", "external_id": "L-1"})
    lead = Lead.objects.get()
    assert (lead.company, lead.channel, lead.external_id) == ("株式会社サンプル", "seminar", "L-1")
