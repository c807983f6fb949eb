"""The data-feeds page: ops and managers read feed health; only ops see and decide duplicate calls;
reps, FS and marketing are refused."""

import pytest

from kpi.models import CallDuplicate, CallLog
from kpi.services.imports.records import calls_ingest
from tests.factories import CallFactory, tokyo

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(rep, now):
    CallFactory(rep=rep, source="miitel", external_id="m-1", started_at=tokyo(2026, 11, 20, 10))
    calls_ingest(
        records=[
            {
                "external_id": "z-1",
                "rep_email": rep.email,
                "started_at": "2026-11-20T10:00:02+09:00",
                "result": "connected",
            }
        ],
        source="zoom",
    )
    return CallDuplicate.objects.get()


def test_ops_see_the_pair_and_keep_one(client, ops, pair):
    client.force_login(ops)
    page = client.get("/feeds/")
    assert page.status_code == 200
    assert "m-1" in page.content.decode() and "z-1" in page.content.decode()
    response = client.post(f"/feeds/duplicates/{pair.pk}/", {"keep": "first"})
    assert response.status_code == 302
    assert list(CallLog.objects.values_list("external_id", flat=True)) == ["m-1"]


def test_managers_read_feed_health_but_not_the_pairs(client, manager, pair):
    client.force_login(manager)
    page = client.get("/feeds/")
    assert page.status_code == 200
    assert "miitel" in page.content.decode()  # the feed table
    assert "m-1" not in page.content.decode()  # pairs are for ops
    assert client.post(f"/feeds/duplicates/{pair.pk}/", {"keep": "first"}).status_code == 403
    assert CallLog.objects.count() == 2


@pytest.mark.parametrize("who", ["rep", "fs_user", "marketer"])
def test_people_who_do_not_run_imports_are_refused(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/feeds/").status_code == 403


def test_an_unknown_pair_is_404(client, ops, db):
    client.force_login(ops)
    assert client.post("/feeds/duplicates/999/", {"keep": "first"}).status_code == 404
