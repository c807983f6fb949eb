"""The broker down at a write and at a definition's third approval: the write answers success, its
task waits in the outbox, and once the broker is back the sweep sends it; the rollups end equal to a
full rebuild, with nothing left pending."""

from datetime import date, timedelta

import pytest
from rest_framework.test import APIClient

from kpi.models import CallLog, DefinitionVersion, JobRun, Rollup, TaskOutbox
from kpi.services import enqueue
from kpi.services.integrations import integration_issue_token
from kpi.services.rollups import rollups_rebuild
from tests.factories import CallFactory, tokyo
from tests.kpi.helpers import draft

from .conftest import BROKER, DOWN, assert_equal_to_full_rebuild, point_broker

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

NOV20 = date(2026, 11, 20)


def calls(rep):
    def record(external_id, seconds, result):
        return {
            "external_id": external_id,
            "rep_email": rep.email,
            "started_at": "2026-11-20T10:00:00+09:00",
            "duration_seconds": seconds,
            "result": result,
        }

    return {"records": [record("c-1", 130, "connected"), record("c-2", 20, "voicemail")]}


def day(rep, on):
    return Rollup.objects.filter(granularity="day", scope="rep", scope_id=rep.pk, period_start=on).first()


def test_broker_down_at_a_write_answers_success_and_the_sweep_repairs_after_a_retry(live, rep, ops):
    _, token = integration_issue_token(name="MiiTel", source="miitel", created_by=ops)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    point_broker(DOWN)
    response = client.post("/api/v1/ingest/calls/", calls(rep), format="json")
    assert response.status_code == 200  # was 500 although the calls were committed
    assert response.json()["created"] == 2
    assert CallLog.objects.count() == 2
    pending = TaskOutbox.objects.get()
    assert (pending.task, pending.sent_at, pending.attempts) == (enqueue.REFRESH_REP_DAYS, None, 1)
    assert "Connection refused" in pending.last_error
    assert day(rep, NOV20) is None

    # The broker is back; the client retries its batch: nothing new, and the pending refresh is sent.
    point_broker(BROKER)
    live.start_worker()
    retry = client.post("/api/v1/ingest/calls/", calls(rep), format="json")
    assert (retry.status_code, retry.json()["created"], retry.json()["unchanged"]) == (200, 0, 2)
    assert enqueue.outbox_sweep(grace=timedelta(0))["sent"] >= 1
    live.wait_for(lambda: day(rep, NOV20) is not None, what="the swept refresh")
    live.wait_for(lambda: not TaskOutbox.objects.filter(sent_at__isnull=True).exists(), what="an empty outbox")
    row = day(rep, NOV20)
    # The default definitions: every result of 1 s or more connects; 120 s or more is effective.
    assert (row.calls, row.connects, row.effective_calls) == (2, 2, 1)
    assert_equal_to_full_rebuild()


def test_broker_down_at_the_third_approval_still_backfills_through_the_outbox(live, rep, manager, fs_user, marketer):
    # Two 100 s connected calls on 11-16 and 11-20: not effective under 120 s, effective under 90 s
    # from 11-15. Rollups exist from before the change.
    for on in (16, 20):
        CallFactory(rep=rep, started_at=tokyo(2026, 11, on, 10, 0), duration_seconds=100, result="connected")
    rollups_rebuild()
    assert day(rep, date(2026, 11, 16)).effective_calls == 0
    version = draft(manager, seconds=90, effective_from=date(2026, 11, 15))
    client = APIClient()
    url = f"/api/v1/definition-versions/{version.pk}/decision/"
    for user in (manager, fs_user):
        client.force_login(user)
        assert client.post(url, {"approve": True}, format="json").status_code == 200
    point_broker(DOWN)
    client.force_login(marketer)
    assert client.post(url, {"approve": True}, format="json").status_code == 200
    assert DefinitionVersion.objects.get(pk=version.pk).status == "approved"
    backfill = TaskOutbox.objects.get(task=enqueue.BACKFILL_ROLLUPS)
    assert (backfill.kwargs, backfill.sent_at) == ({"since": "2026-11-15"}, None)
    assert day(rep, date(2026, 11, 16)).effective_calls == 0  # the old definition, for now

    point_broker(BROKER)
    live.start_worker()
    assert enqueue.outbox_sweep(grace=timedelta(0)) == {"pending": 1, "sent": 1, "deleted": 0}
    live.wait_for(lambda: JobRun.objects.filter(name="backfill_rollups", ok=True).exists(), what="the backfill")
    assert [day(rep, date(2026, 11, on)).effective_calls for on in (16, 20)] == [1, 1]
    assert not TaskOutbox.objects.filter(sent_at__isnull=True).exists()
    assert_equal_to_full_rebuild()
