"""kpi/api/definitions.py: list, detail, draft and decide through the definitions API."""

from datetime import date

import pytest

from kpi import conditions
from kpi.models import DefinitionVersion
from kpi.services import definitions

pytestmark = pytest.mark.django_db


def test_definitions_list_and_detail(client, rep, manager):
    definitions.definition_version_draft(
        key="effective_calls",
        params={**conditions.default_params("effective_calls"), "conditions": {"min_duration_seconds": 90}},
        effective_from=date(2026, 11, 15),
        reason="shorter hearing",
        actor=manager,
    )
    client.force_login(rep)
    listing = client.get("/api/v1/definitions/").json()
    keys = [d["key"] for d in listing["results"]]
    assert len(keys) == 26 and keys[0] == "calls"
    detail = client.get("/api/v1/definitions/effective_calls/").json()
    assert detail["current_version"] == 1
    assert detail["formula_en"] == "Connected calls lasting at least the threshold, with a result that counts"
    v1, v2 = detail["versions"]
    assert (v1["status"], v1["params"]["conditions"]["min_duration_seconds"]) == ("approved", 120)
    assert (v2["status"], v2["effective_from"], v2["created_by"]) == ("draft", "2026-11-15", str(manager))
    assert [a["action"] for a in detail["audit"]] == ["drafted", "installed"]
    assert client.get("/api/v1/definitions/nope/").status_code == 404


def test_draft_and_decide_through_the_api(client, manager, fs_user, marketer, rep, django_capture_on_commit_callbacks):
    client.force_login(rep)
    body = {"params": conditions.default_params("connects"), "effective_from": "2026-12-01", "reason": "x"}
    assert client.post("/api/v1/definitions/connects/versions/", body, format="json").status_code == 403
    client.force_login(manager)
    bad = {**body, "params": {"unit": "count"}}
    resp = client.post("/api/v1/definitions/connects/versions/", bad, format="json")
    assert resp.status_code == 400 and any("required property" in e for e in resp.json()["extra"]["fields"]["params"])
    resp = client.post("/api/v1/definitions/connects/versions/", body, format="json")
    assert resp.status_code == 201
    version_id = resp.json()["id"]
    client.force_login(rep)
    url = f"/api/v1/definition-versions/{version_id}/decision/"
    assert client.post(url, {"approve": True}, format="json").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        for user in (manager, fs_user, marketer):
            client.force_login(user)
            assert client.post(url, {"approve": True}, format="json").status_code == 200
    assert DefinitionVersion.objects.get(pk=version_id).status == "approved"
    assert client.post(url, {"approve": True}, format="json").status_code == 403
