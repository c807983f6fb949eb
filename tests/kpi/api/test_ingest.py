"""kpi/api/ingest.py, REST ingest: per-record answers, idempotency, tokens that may ingest and nothing
else, and input that used to crash refused with a reason."""

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from kpi.models import CallLog, EmailTouch, Meeting, RecordRevision, Rollup
from kpi.services.integrations import integration_issue_token
from tests.factories import CallFactory, EmailFactory, tokyo

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(ops):
    _, token = integration_issue_token(name="MiiTel", source="miitel", created_by=ops)
    return token


@pytest.fixture
def client_with(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def call(external_id: str, rep_email: str, **extra) -> dict:
    return {
        "external_id": external_id,
        "rep_email": rep_email,
        "started_at": "2026-11-20T10:00:00+09:00",
        "duration_seconds": 130,
        "result": "connected",
        **extra,
    }


def test_calls_are_answered_per_record_and_good_ones_stored(client_with, rep, now, django_capture_on_commit_callbacks):
    CallFactory(rep=rep, source="miitel", external_id="old")
    records = [
        call("new-1", rep.email, reached_target=True, appointment_set=True, lead_external_id="L-1"),
        call("old", rep.email),
        call("bad", "ghost@example.jp", duration_seconds=-3),
        call(
            "new-2",
            rep.email,
            result="留守電",
            duration_seconds=0,
            lead_external_id="L-1",
            started_at="2026-11-20 11:00",
        ),
        call("new-1", rep.email),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = client_with.post(reverse("api-ingest-calls"), {"records": records}, format="json")
    assert response.status_code == 200
    body = response.json()
    # "old" was stored with other values (the factory's): the re-sent record corrects it.
    assert (body["created"], body["updated"], body["unchanged"], body["errors"]) == (2, 1, 0, 2)
    assert [r["status"] for r in body["results"]] == ["created", "updated", "error", "created", "error"]
    assert [(e["field"], e["code"]) for e in body["results"][2]["errors"]] == [
        ("rep_email", "unknown_rep"),
        ("duration_seconds", "negative_duration"),
    ]
    assert body["results"][4]["errors"][0]["code"] == "duplicate_in_file"
    assert set(CallLog.objects.filter(source="miitel").values_list("external_id", "is_follow_up")) == {
        ("old", False),
        ("new-1", False),
        ("new-2", True),
    }
    assert Meeting.objects.get().external_id == "new-1"
    day = Rollup.objects.get(granularity="day", scope="rep", scope_id=rep.pk, period_start=date(2026, 11, 20))
    # "old" was stored on 11/2 (no answer) and is corrected to 11/20, connected 130 s; the two new
    # calls: 1 connected 130 s, 1 voicemail. 11/2 is recomputed to nothing.
    assert (day.calls, day.connects, day.effective_calls, day.meetings) == (3, 2, 2, 1)
    old_day = Rollup.objects.filter(granularity="day", scope="rep", scope_id=rep.pk, period_start=date(2026, 11, 2))
    assert [r.calls for r in old_day] in ([], [0])


def test_resending_a_batch_changes_nothing(client_with, rep, now):
    records = [call(f"c-{i}", rep.email) for i in range(3)]
    first = client_with.post(reverse("api-ingest-calls"), {"records": records}, format="json").json()
    second = client_with.post(reverse("api-ingest-calls"), {"records": records}, format="json").json()
    assert (first["created"], second["created"], second["unchanged"]) == (3, 0, 3)
    assert CallLog.objects.count() == 3


def test_emails_and_meetings(client_with, rep, fs_user, now):
    emails = [
        {
            "external_id": "e-1",
            "rep_email": rep.email,
            "sent_at": "2026-11-19T10:00:00",
            "opened": True,
            "lead_external_id": "L-5",
        },
        {
            "external_id": "e-2",
            "rep_email": rep.email,
            "sent_at": "2026-11-20T10:00:00",
            "replied": "yes",
            "lead_external_id": "L-5",
        },
        {"external_id": "e-3", "rep_email": rep.email, "sent_at": "yesterday"},
    ]
    body = client_with.post(reverse("api-ingest-emails"), {"records": emails}, format="json").json()
    assert [r["status"] for r in body["results"]] == ["created", "created", "error"]
    assert body["results"][2]["errors"][0]["code"] == "bad_date"
    assert list(EmailTouch.objects.order_by("external_id").values_list("is_follow_up", "opened", "replied")) == [
        (False, True, False),
        (True, False, True),
    ]

    meetings = [
        {
            "external_id": "m-1",
            "rep_email": rep.email,
            "set_at": "2026-11-20T15:00:00",
            "scheduled_for": "2026-11-27T14:00:00",
            "fs_owner_email": fs_user.email,
        },
        {
            "external_id": "m-2",
            "rep_email": rep.email,
            "set_at": "2026-11-20T15:00:00",
            "status": "won",
            "amount_yen": "1200000.5",
        },
    ]
    body = client_with.post(reverse("api-ingest-meetings"), {"records": meetings}, format="json").json()
    assert [r["status"] for r in body["results"]] == ["created", "error"]
    assert body["results"][1]["errors"][0]["code"] == "bad_amount"
    meeting = Meeting.objects.get()
    assert (meeting.source, meeting.fs_owner, meeting.local_date) == ("miitel", fs_user, date(2026, 11, 20))


def test_batch_shape_is_checked(client_with, rep):
    url = reverse("api-ingest-calls")
    assert client_with.post(url, {"records": []}, format="json").status_code == 400
    assert client_with.post(url, {"records": ["x"]}, format="json").status_code == 400
    too_many = {"records": [{"external_id": str(i)} for i in range(10_001)]}
    response = client_with.post(url, too_many, format="json")
    assert response.status_code == 400
    assert "at most 10000" in response.json()["message"]
    assert "at most 10000" in response.json()["extra"]["fields"]["records"]


def test_token_cannot_read_dashboards_or_other_api(client_with, rep, team_a):
    values = client_with.get(
        "/api/v1/kpi-values/",
        {"kpi": "calls", "scope": "org", "granularity": "day", "start": "2026-11-01", "end": "2026-11-30"},
    )
    assert values.status_code == 403
    definitions = client_with.get("/api/v1/definitions/")
    assert definitions.status_code == 403
    # Pages use session logins only: a token is no login, so the page sends it to sign in.
    page = client_with.get(reverse("team_board", args=[team_a.pk]))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("login"))


def test_revoked_token_is_refused(client_with, rep, token):
    from kpi.models import Integration

    Integration.objects.update(is_active=False)
    response = client_with.post(reverse("api-ingest-calls"), {"records": [call("c", rep.email)]}, format="json")
    assert response.status_code == 401


@pytest.mark.parametrize("who", ["rep", "manager", "fs_user", "marketer"])
def test_people_other_than_ops_may_not_ingest(request, who, rep, now):
    client = APIClient()
    client.force_authenticate(request.getfixturevalue(who))
    response = client.post(reverse("api-ingest-calls"), {"records": [call("c", rep.email)]}, format="json")
    assert response.status_code == 403
    assert CallLog.objects.count() == 0


def test_ops_may_replay_a_payload_under_a_named_source(ops, rep, now):
    client = APIClient()
    client.force_authenticate(ops)
    body = client.post(
        reverse("api-ingest-calls"), {"records": [call("c", rep.email)], "source": "replay"}, format="json"
    ).json()
    assert body["created"] == 1
    assert CallLog.objects.get().source == "replay"


def test_one_call_per_request_is_created_once_with_its_meeting_and_follow_up(
    client_with, rep, now, django_capture_on_commit_callbacks
):
    # What an integration sends most: one call a request, in one statement, no staging table.
    EmailFactory(rep=rep, lead_external_id="L-3", sent_at=tokyo(2026, 11, 19, 9, 0))
    url = reverse("api-ingest-calls")
    one = call("solo", rep.email, appointment_set="yes", lead_external_id="L-3", note="tab\there \\ ok")
    with django_capture_on_commit_callbacks(execute=True) as first_callbacks:
        first = client_with.post(url, {"records": [one]}, format="json").json()
    with django_capture_on_commit_callbacks(execute=True) as again_callbacks:
        again = client_with.post(url, {"records": [one]}, format="json").json()
    assert first == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "errors": 0,
        "possible_duplicates": 0,
        "results": [{"external_id": "solo", "status": "created"}],
    }
    assert (again["created"], again["unchanged"], again["results"][0]["status"]) == (0, 1, "unchanged")
    assert (len(first_callbacks), again_callbacks) == (1, [])  # one rollup refresh, none for the resend
    stored = CallLog.objects.get()
    assert (stored.started_at, stored.local_date, stored.local_hour) == (
        tokyo(2026, 11, 20, 10, 0),
        date(2026, 11, 20),
        10,
    )
    assert (stored.is_follow_up, stored.appointment_set, stored.note) == (True, True, "tab\there \\ ok")
    meeting = Meeting.objects.get()
    assert (meeting.call, meeting.source, meeting.external_id, meeting.local_date) == (
        stored,
        "miitel",
        "solo",
        date(2026, 11, 20),
    )
    day = Rollup.objects.get(granularity="day", scope="rep", scope_id=rep.pk, period_start=date(2026, 11, 20))
    assert (day.calls, day.meetings, day.follow_ups) == (1, 1, 1)


def test_a_bad_record_does_not_make_a_good_one_with_its_id_a_repeat(client_with, rep, now):
    records = [call("same", "ghost@example.jp"), call("same", rep.email), call("same", rep.email, duration_seconds=9)]
    body = client_with.post(reverse("api-ingest-calls"), {"records": records}, format="json").json()
    assert [r["status"] for r in body["results"]] == ["error", "created", "error"]
    assert [e["code"] for e in body["results"][0]["errors"]] == ["unknown_rep"]
    assert [e["code"] for e in body["results"][2]["errors"]] == ["duplicate_in_file"]
    assert list(CallLog.objects.values_list("external_id", "duration_seconds")) == [("same", 130)]


def test_an_all_bad_batch_stores_nothing(client_with, rep, now, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        body = client_with.post(
            reverse("api-ingest-calls"), {"records": [call("x", rep.email, result="maybe")]}, format="json"
        ).json()
    assert (body["created"], body["errors"], callbacks) == (0, 1, [])
    assert CallLog.objects.count() == 0


def test_last_used_is_stamped_to_the_minute_not_on_every_request(client_with, token, rep, time_machine):
    from datetime import timedelta

    from django.utils import timezone

    from kpi.models import Integration

    url = reverse("api-ingest-calls")
    time_machine.move_to(tokyo(2026, 11, 20, 10, 0, 0), tick=False)
    client_with.post(url, {"records": [call("lu-1", rep.email)]}, format="json")
    first = Integration.objects.get().last_used_at
    assert first == timezone.now()
    time_machine.shift(timedelta(seconds=30))
    client_with.post(url, {"records": [call("lu-2", rep.email)]}, format="json")
    assert Integration.objects.get().last_used_at == first  # within the minute: no write
    time_machine.shift(timedelta(seconds=31))
    client_with.post(url, {"records": [call("lu-3", rep.email)]}, format="json")
    assert Integration.objects.get().last_used_at == first + timedelta(seconds=61)


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
            "amount_yen": 500,
        },
        {
            "external_id": "m-3",
            "rep_email": rep.email,
            "set_at": "2026-11-20T15:00:00",
            "status": "won",
            "amount_yen": 0,
        },
    ]
    body = api.post(reverse("api-ingest-meetings"), {"records": meetings}, format="json").json()
    assert [r["status"] for r in body["results"]] == ["error", "error", "created"]
    assert [r["errors"][0]["code"] for r in body["results"][:2]] == ["amount_required", "amount_without_order"]
    assert EmailTouch.objects.count() == 0
    assert list(Meeting.objects.values_list("external_id", "amount")) == [("m-3", 0)]


# --- strict and correctable --------------------------------------------------------------------


def _day(rep, day):
    return Rollup.objects.get(granularity="day", scope="rep", scope_id=rep.pk, period_start=day)


def test_zooms_duration_is_an_error_naming_the_field_not_0_s(client_with, rep, now):
    # Today's code dropped the key and stored 97 calls with 0 s.
    record = {**call("z-1", rep.email), "duration": 130}
    del record["duration_seconds"]
    url = reverse("api-ingest-calls")
    body = client_with.post(url, {"records": [record]}, format="json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["results"] == [
        {
            "external_id": "z-1",
            "status": "error",
            "errors": [
                {
                    "field": "duration",
                    "code": "unknown_field",
                    "reason": "unknown field: this endpoint does not take it (see the API documentation)"
                    " (did you mean duration_seconds?)",
                    "value": "130",
                }
            ],
        }
    ]
    assert not CallLog.objects.exists()
    body = client_with.post(url, {"records": [record]}, format="json", HTTP_ACCEPT_LANGUAGE="ja").json()
    assert body["results"][0]["errors"][0]["reason"] == (
        "不明な項目です。このエンドポイントでは受け付けません（API ドキュメントを参照）"
        "（もしかして duration_seconds ですか？）"
    )


def test_a_resent_call_with_a_longer_duration_is_updated_recounted_and_audited(
    client_with, token, rep, now, django_capture_on_commit_callbacks
):
    url = reverse("api-ingest-calls")
    with django_capture_on_commit_callbacks(execute=True):
        client_with.post(url, {"records": [call("c-1", rep.email, duration_seconds=30)]}, format="json")
    assert (_day(rep, date(2026, 11, 20)).connects, _day(rep, date(2026, 11, 20)).effective_calls) == (1, 0)
    with django_capture_on_commit_callbacks(execute=True):
        body = client_with.post(url, {"records": [call("c-1", rep.email, duration_seconds=130)]}, format="json")
    assert body.json()["results"] == [{"external_id": "c-1", "status": "updated"}]
    assert (body.json()["created"], body.json()["updated"], body.json()["unchanged"]) == (0, 1, 0)
    assert CallLog.objects.get().duration_seconds == 130
    # 130 s is at least the effective threshold (120 s): the day now has one effective call.
    assert _day(rep, date(2026, 11, 20)).effective_calls == 1
    revision = RecordRevision.objects.get()
    assert (revision.kind, revision.source, revision.external_id, revision.changes) == (
        "call",
        "miitel",
        "c-1",
        {"duration_seconds": [30, 130]},
    )
    assert revision.integration.source == "miitel" and revision.user is None


def test_a_resend_with_the_same_values_is_unchanged_and_writes_nothing(
    client_with, rep, now, django_capture_on_commit_callbacks
):
    url = reverse("api-ingest-calls")
    client_with.post(url, {"records": [call("c-1", rep.email, note="メモ")]}, format="json")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        body = client_with.post(url, {"records": [call("c-1", rep.email, note="メモ")]}, format="json").json()
    assert body["results"] == [{"external_id": "c-1", "status": "unchanged"}]
    assert (callbacks, RecordRevision.objects.count()) == ([], 0)


def test_a_partial_resend_changes_only_the_fields_it_carries(client_with, rep, now):
    url = reverse("api-ingest-calls")
    client_with.post(url, {"records": [call("c-1", rep.email, note="first", reached_target=True)]}, format="json")
    body = client_with.post(url, {"records": [{"external_id": "c-1", "result": "busy"}]}, format="json").json()
    assert body["results"][0]["status"] == "updated"
    stored = CallLog.objects.get()
    assert (stored.result, stored.duration_seconds, stored.note, stored.reached_target) == ("busy", 130, "first", True)
    assert RecordRevision.objects.get().changes == {"result": ["connected", "busy"]}


def test_a_new_record_without_its_required_fields_is_an_error(client_with, rep, now):
    body = client_with.post(
        reverse("api-ingest-meetings"), {"records": [{"external_id": "m-9", "status": "won"}]}, format="json"
    ).json()
    fields = {e["field"]: e["code"] for e in body["results"][0]["errors"]}
    assert fields == {"rep_email": "required", "set_at": "required", "amount_yen": "amount_required"}
    assert not Meeting.objects.exists()


def test_an_fs_outcome_is_pushed_for_an_existing_meeting(client_with, rep, now, django_capture_on_commit_callbacks):
    url = reverse("api-ingest-meetings")
    meeting = {"external_id": "m-1", "rep_email": rep.email, "set_at": "2026-11-20T10:00:00"}
    with django_capture_on_commit_callbacks(execute=True):
        client_with.post(url, {"records": [meeting]}, format="json")
    # The CRM knows the id and the outcome only.
    with django_capture_on_commit_callbacks(execute=True):
        body = client_with.post(
            url, {"records": [{"external_id": "m-1", "status": "won", "amount_yen": 1_200_000}]}, format="json"
        ).json()
    assert body["results"] == [{"external_id": "m-1", "status": "updated"}]
    stored = Meeting.objects.get()
    assert (stored.status, stored.amount, stored.outcome_at is not None) == ("won", 1_200_000, True)
    day = _day(rep, date(2026, 11, 20))
    assert (day.meetings, day.orders, day.order_amount) == (1, 1, 1_200_000)
    assert RecordRevision.objects.get().changes == {"status": ["scheduled", "won"], "amount": [None, "1200000"]}
    # Lost later: the stored amount goes with the won status, and the order leaves the day.
    with django_capture_on_commit_callbacks(execute=True):
        body = client_with.post(url, {"records": [{"external_id": "m-1", "status": "lost"}]}, format="json").json()
    assert body["results"][0]["status"] == "updated"
    assert (Meeting.objects.get().status, Meeting.objects.get().amount) == ("lost", None)
    day = _day(rep, date(2026, 11, 20))
    assert (day.orders, day.order_amount, day.qualified_meetings) == (0, 0, 1)


def test_an_ops_replay_is_audited_with_the_user(client, ops, rep, now):
    client.force_authenticate(ops)
    url = reverse("api-ingest-emails")
    email = {"external_id": "e-1", "rep_email": rep.email, "sent_at": "2026-11-20T10:00:00", "opened": False}
    client.post(url, {"records": [email], "source": "replay"}, format="json")
    body = client.post(url, {"records": [{**email, "opened": True}], "source": "replay"}, format="json").json()
    assert body["results"][0]["status"] == "updated"
    revision = RecordRevision.objects.get()
    assert (revision.kind, revision.user, revision.integration, revision.changes) == (
        "email",
        ops,
        None,
        {"opened": [False, True]},
    )
