"""Input that used to crash (database errors, 500s) is refused with a reason instead."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from kpi.models import CallLog, EmailTouch, Meeting
from kpi.services.imports import calls_import
from kpi.services.integrations import integration_issue_token

from ..factories import MeetingFactory, tokyo
from .helpers import EN_HEADER, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def now(time_machine):
    time_machine.move_to(tokyo(2026, 11, 20, 18, 0))


@pytest.fixture
def api(ops):
    _, token = integration_issue_token(name="CRM", source="crm", created_by=ops)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_file_with_huge_duration_nul_or_year_one_is_refused_row_by_row(tmp_path, rep, now):
    rows = [
        ["c-1", rep.email, "2026-11-20 10:00", 99_999_999_999, "outbound", "connected", "", "", "", ""],
        ["c-2", rep.email, "2026-11-20 10:00", 10, "outbound", "connected", "", "", "", "note\x00"],
        ["c-3", rep.email, "0001-01-01T00:00:00+09:00", 10, "outbound", "connected", "", "", "", ""],
        ["c-4", rep.email, "2026-11-20 10:00", 86_400, "outbound", "connected", "", "", "", ""],
    ]
    result = calls_import(path=write_csv(tmp_path / "calls.csv", EN_HEADER, rows), source="zoom")
    assert [(e["row"], e["column"], e["code"]) for e in result.errors] == [
        (2, "duration_seconds", "duration_too_long"),
        (3, "note", "nul_character"),
        (4, "started_at", "bad_date"),
    ]
    assert CallLog.objects.count() == 0


def test_api_refuses_nul_text_and_won_meetings_without_amount(api, rep, now):
    emails = [{"external_id": "e\x00", "rep_email": rep.email, "sent_at": "2026-11-20T10:00:00"}]
    body = api.post(reverse("api-ingest-emails"), {"records": emails}, format="json").json()
    assert body["results"][0]["errors"][0]["code"] == "nul_character"
    meetings = [
        {"external_id": "m-1", "rep_email": rep.email, "set_at": "2026-11-20T15:00:00", "status": "won"},
        {
            "external_id": "m-2",
            "rep_email": rep.email,
            "set_at": "2026-11-20T15:00:00",
            "status": "held",
            "amount": 500,
        },
        {"external_id": "m-3", "rep_email": rep.email, "set_at": "2026-11-20T15:00:00", "status": "won", "amount": 0},
    ]
    body = api.post(reverse("api-ingest-meetings"), {"records": meetings}, format="json").json()
    assert [r["status"] for r in body["results"]] == ["error", "error", "created"]
    assert [r["errors"][0]["code"] for r in body["results"][:2]] == ["amount_required", "amount_without_order"]
    assert EmailTouch.objects.count() == 0
    assert list(Meeting.objects.values_list("external_id", "amount")) == [("m-3", 0)]


def test_token_that_is_not_utf8_is_401_not_500(rep):
    client = APIClient()
    response = client.post(
        reverse("api-ingest-calls"),
        {"records": []},
        format="json",
        HTTP_AUTHORIZATION=b"Token \xff\xfe".decode("latin-1"),
    )
    assert response.status_code == 401


def test_fs_form_with_a_bad_meeting_id_is_404_and_zero_amount_exports(client, fs_user, rep):
    client.force_login(fs_user)
    assert client.post(reverse("fs_meetings"), {"meeting": "abc", "status": "held"}).status_code == 404
    MeetingFactory(rep=rep, status=Meeting.Status.WON, amount=0)
    lines = client.get(reverse("fs_meetings"), {"status": "all", "format": "csv"}).content.decode("utf-8-sig")
    assert lines.splitlines()[1].split(",")[3] == "0"
