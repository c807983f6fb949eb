"""kpi/api/auth.py, permissions.py, throttling.py: token scopes (ingest / read KPI values), rate limits."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from kpi.api import throttling
from kpi.models import CallLog, Integration
from kpi.services.integrations import integration_issue_token
from kpi.services.rollups import rollups_rebuild
from tests.factories import CallFactory, tokyo

pytestmark = pytest.mark.django_db

VALUES = {"kpi": "calls", "granularity": "month", "start": "2026-11-01", "end": "2026-11-30"}


def token_client(scope: str, name: str) -> APIClient:
    _, token = integration_issue_token(name=name, source=name.lower(), scope=scope)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def one_call(rep) -> dict:
    return {
        "external_id": "c-1",
        "rep_email": rep.email,
        "started_at": "2026-11-20T10:00:00+09:00",
        "duration_seconds": 130,
        "result": "connected",
    }


@pytest.fixture
def november(rep, teammate, outsider):
    """November: rep 3 calls, teammate 2 (team A: 5), outsider 1 (team B); organisation 6."""
    for who, n in ((rep, 3), (teammate, 2), (outsider, 1)):
        for i in range(n):
            CallFactory(rep=who, started_at=tokyo(2026, 11, 2 + i, 10, 0), result=CallLog.Result.CONNECTED)
    rollups_rebuild()


def test_token_that_is_not_utf8_is_401_not_500(rep):
    client = APIClient()
    response = client.post(
        reverse("api-ingest-calls"),
        {"records": []},
        format="json",
        HTTP_AUTHORIZATION=b"Token \xff\xfe".decode("latin-1"),
    )
    assert response.status_code == 401


def test_read_token_gets_kpi_values_of_org_team_and_rep(november, rep, team_a, team_b):
    client = token_client(Integration.Scope.READ, "Looker")
    for scope, scope_id, calls in (
        ("org", None, 6),
        ("team", team_a.pk, 5),
        ("team", team_b.pk, 1),
        ("rep", rep.pk, 3),
    ):
        params = {**VALUES, "scope": scope, **({"scope_id": scope_id} if scope_id else {})}
        response = client.get(reverse("api-kpi-values"), params)
        assert response.status_code == 200, (scope, response.content)
        assert response.json()["results"][0]["value"] == str(calls)


def test_read_token_cannot_ingest_or_read_anything_else(rep):
    client = token_client(Integration.Scope.READ, "Sheets")
    response = client.post(reverse("api-ingest-calls"), {"records": [one_call(rep)]}, format="json")
    assert response.status_code == 403
    assert CallLog.objects.count() == 0
    assert client.get("/api/v1/definitions/").status_code == 403
    assert client.get("/api/v1/review-items/").status_code == 403


def test_ingest_token_cannot_read_values(november, rep):
    client = token_client(Integration.Scope.INGEST, "MiiTel")
    response = client.get(reverse("api-kpi-values"), {**VALUES, "scope": "org"})
    assert response.status_code == 403
    ingest = client.post(reverse("api-ingest-calls"), {"records": [one_call(rep)]}, format="json")
    assert ingest.status_code == 200
    assert CallLog.objects.filter(external_id="c-1").count() == 1


def test_a_token_is_ingest_scoped_unless_issued_for_reading():
    integration, _ = integration_issue_token(name="Zoom", source="zoom")
    assert integration.scope == Integration.Scope.INGEST


def test_each_token_has_its_own_budget_then_429(rep, monkeypatch):
    monkeypatch.setattr(throttling.TokenRateThrottle, "THROTTLE_RATES", {"token": "3/min"})
    first, second = token_client("read", "BI-1"), token_client("read", "BI-2")
    params = {**VALUES, "scope": "org"}
    codes = [first.get(reverse("api-kpi-values"), params).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert int(first.get(reverse("api-kpi-values"), params)["Retry-After"]) > 0
    assert second.get(reverse("api-kpi-values"), params).status_code == 200


def test_each_person_has_their_own_budget_then_429(ops, manager, monkeypatch):
    monkeypatch.setattr(throttling.PersonRateThrottle, "THROTTLE_RATES", {"user": "2/min"})
    client = APIClient()
    client.force_login(ops)
    codes = [client.get("/api/v1/definitions/").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    other = APIClient()
    other.force_login(manager)
    assert other.get("/api/v1/definitions/").status_code == 200
