"""GET /api/v1/kpi-values/ and the definitions API: shape, validation, access, OpenAPI schema."""

from datetime import date

import pytest
import yaml
from rest_framework.test import APIClient

from kpi import conditions
from kpi.models import CallLog, DefinitionVersion, Target
from kpi.services import definitions
from kpi.services.integrations import integration_issue_token
from kpi.services.rollups import rollups_rebuild

from ..factories import CallFactory, tokyo

pytestmark = pytest.mark.django_db
URL = "/api/v1/kpi-values/"


@pytest.fixture
def client():
    return APIClient()


@pytest.fixture
def november(rep, teammate):
    """rep: 11-02 four calls (two connected 150 s), 11-16 one call; monthly calls target 20."""
    connected = CallLog.Result.CONNECTED
    for seconds in (0, 0, 150, 150):
        CallFactory(rep=rep, started_at=tokyo(2026, 11, 2, 10, 0), duration_seconds=seconds, result=connected)
    CallFactory(rep=rep, started_at=tokyo(2026, 11, 16, 10, 0))
    CallFactory(rep=teammate, started_at=tokyo(2026, 11, 2, 10, 0))
    Target.objects.create(
        kpi_key="calls", scope="rep", scope_id=rep.pk, granularity="month", period_start=date(2026, 11, 1), value=20
    )
    Target.objects.create(
        kpi_key="connect_rate",
        scope="rep",
        scope_id=rep.pk,
        granularity="month",
        period_start=date(2026, 11, 1),
        value="0.5",
    )
    rollups_rebuild()


def get(client, user, **params):
    client.force_login(user)
    return client.get(URL, params, HTTP_ACCEPT_LANGUAGE="en")


def test_month_values_with_target_and_attainment(client, november, rep):
    resp = get(
        client,
        rep,
        kpi="calls",
        scope="rep",
        scope_id=rep.pk,
        granularity="month",
        start="2026-11-01",
        end="2026-12-31",
    )
    assert resp.status_code == 200
    body = resp.json()
    assert (body["kpi"], body["unit"], body["scope"], body["scope_id"], body["granularity"]) == (
        "calls",
        "count",
        "rep",
        rep.pk,
        "month",
    )
    nov, dec = body["results"]
    assert nov == {
        "period_start": "2026-11-01",
        "period_end": "2026-11-30",
        "numerator": "5",
        "denominator": None,
        "value": "5",
        "target": "20",
        "attainment": "0.25",
        "definition_versions": {"calls": [1]},
    }
    assert (dec["value"], dec["target"], dec["attainment"]) == ("0", None, None)


def test_rate_as_decimal_strings_and_zero_denominator_is_null(client, november, rep):
    resp = get(
        client,
        rep,
        kpi="connect_rate",
        scope="rep",
        scope_id=rep.pk,
        granularity="week",
        start="2026-11-02",
        end="2026-11-15",
    )
    first, second = resp.json()["results"]
    assert (first["numerator"], first["denominator"], first["value"]) == ("2", "4", "0.5")
    assert first["attainment"] == "1"  # 0.5 against the 0.5 target
    assert first["definition_versions"] == {"connect_rate": [1], "connects": [1], "calls": [1]}
    assert (second["numerator"], second["denominator"], second["value"], second["attainment"]) == ("0", "0", None, None)


def test_team_and_org_scopes(client, november, manager, rep):
    resp = get(
        client,
        manager,
        kpi="calls",
        scope="team",
        scope_id=rep.team_id,
        granularity="day",
        start="2026-11-02",
        end="2026-11-02",
    )
    assert resp.json()["results"][0]["value"] == "5"
    resp = get(client, manager, kpi="calls", scope="org", granularity="quarter", start="2026-11-02", end="2026-11-02")
    assert resp.json()["scope_id"] == 0
    assert resp.json()["results"][0] == {**resp.json()["results"][0], "period_start": "2026-10-01", "value": "6"}


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"kpi": "vibes"}, "kpi", "not a valid choice"),
        ({"scope": "galaxy"}, "scope", "not a valid choice"),
        ({"granularity": "year"}, "granularity", "not a valid choice"),
        ({"start": "2026-13-01"}, "start", "Date has wrong format"),
        ({"end": "2026-10-01"}, "end", "must be on or after start"),
        ({"scope_id": "abc"}, "scope_id", "valid integer"),
        ({"scope_id": None}, "scope_id", "required for scope=rep"),
        ({"granularity": "day", "start": "2020-01-01"}, "end", "at most 400"),
        ({"kpi": None}, "kpi", "required"),
    ],
)
def test_bad_parameters_are_named_in_a_400(client, rep, params, field, message):
    query = {
        "kpi": "calls",
        "scope": "rep",
        "scope_id": rep.pk,
        "granularity": "month",
        "start": "2026-11-01",
        "end": "2026-11-30",
        **params,
    }
    query = {k: v for k, v in query.items() if v is not None}
    resp = get(client, rep, **query)
    assert resp.status_code == 400
    assert message in " ".join(resp.json()["extra"]["fields"][field])


def test_org_with_a_scope_id_is_refused(client, manager):
    resp = get(
        client, manager, kpi="calls", scope="org", scope_id=3, granularity="month", start="2026-11-01", end="2026-11-30"
    )
    assert resp.status_code == 400 and "scope_id" in resp.json()["extra"]["fields"]


@pytest.mark.parametrize(
    ("who", "scope", "target", "allowed"),
    [
        ("rep", "rep", "rep", True),
        ("teammate", "rep", "rep", False),
        ("outsider", "team", "team_a", False),
        ("rep", "org", None, False),
        ("manager", "rep", "rep", True),
        ("manager", "team", "team_b", False),
        ("fs_user", "team", "team_a", False),
        ("marketer", "org", None, True),
        ("ops", "team", "team_b", True),
    ],
)
def test_scope_access(client, request, who, scope, target, allowed):
    user = request.getfixturevalue(who)
    params = {"kpi": "calls", "scope": scope, "granularity": "month", "start": "2026-11-01", "end": "2026-11-30"}
    if target:
        params["scope_id"] = request.getfixturevalue(target).pk
    resp = get(client, user, **params)
    assert resp.status_code == (200 if allowed else 403)


def test_anonymous_and_integration_tokens_cannot_read(client, rep):
    params = {
        "kpi": "calls",
        "scope": "rep",
        "scope_id": rep.pk,
        "granularity": "month",
        "start": "2026-11-01",
        "end": "2026-11-30",
    }
    assert client.get(URL, params).status_code in (401, 403)
    _, token = integration_issue_token(name="Phone", source="phone")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    for url in (URL, "/api/v1/definitions/", "/api/v1/definitions/calls/"):
        resp = client.get(url, params)
        assert resp.status_code == 403, url
    resp = client.post("/api/v1/definitions/calls/versions/", {}, format="json")
    assert resp.status_code == 403


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


def test_openapi_schema_documents_kpi_values(client, rep):
    client.force_login(rep)
    resp = client.get("/api/schema/")
    assert resp.status_code == 200
    schema = yaml.safe_load(resp.content)
    op = schema["paths"]["/api/v1/kpi-values/"]["get"]
    names = {p["name"]: p for p in op["parameters"]}
    assert {"kpi", "scope", "scope_id", "granularity", "start", "end"} <= set(names)
    assert names["scope"]["schema"]["enum"] == ["rep", "team", "org"]
    assert names["granularity"]["schema"]["enum"] == ["day", "week", "month", "quarter"]
    assert "meeting_rate" in names["kpi"]["schema"]["enum"]
    results = schema["components"]["schemas"]["KpiValue"]["properties"]
    assert {"period_start", "numerator", "denominator", "value", "target", "attainment", "definition_versions"} <= (
        set(results)
    )
    assert "/api/v1/definitions/{key}/" in schema["paths"]
