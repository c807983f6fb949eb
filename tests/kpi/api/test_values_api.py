"""kpi/api/values.py, GET /api/v1/kpi-values/: shape, validation, ranges, access."""

from datetime import date

import pytest
from django.urls import reverse

from kpi.models import CallLog, Rollup, Target
from kpi.services.integrations import integration_issue_token
from kpi.services.rollups import rollups_rebuild
from tests.factories import CallFactory, tokyo
from tests.kpi.api.helpers import URL, get

pytestmark = pytest.mark.django_db


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
        "expected": "20",
        "attainment": "0.25",
        "period_attainment": "0.25",
        "pending": 0,
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


@pytest.mark.parametrize(
    "params, field",
    [
        ({"granularity": "day", "start": "9999-12-01", "end": "9999-12-31"}, "start"),
        ({"granularity": "quarter", "start": "0001-01-01", "end": "0001-02-01"}, "start"),
        ({"granularity": "day", "start": "2020-01-01", "end": "2100-12-31"}, "end"),
    ],
)
def test_kpi_values_rejects_extreme_ranges_with_400(client, ops, params, field):
    client.force_login(ops)
    response = client.get(reverse("api-kpi-values"), {"kpi": "calls", "scope": "org", **params})
    assert response.status_code == 400
    assert field in response.json()["extra"]["fields"]


def test_attainment_is_against_pace_as_on_the_pages(client, rep, team_a, time_machine):
    # 1,900 calls in November (19 business days, 100 a day); Friday 11-20 at 13:30: 13 whole days and half
    # of today have passed, so 1,350 are expected. 675 calls made: 50% against pace, 35.5% of the month.
    time_machine.move_to(tokyo(2026, 11, 20, 13, 30))
    Target.objects.create(
        kpi_key="calls", scope="rep", scope_id=rep.pk, granularity="month", period_start=date(2026, 11, 1), value=1900
    )
    Rollup.objects.create(granularity="month", scope="rep", scope_id=rep.pk, period_start=date(2026, 11, 1), calls=675)
    month = {"kpi": "calls", "granularity": "month", "start": "2026-11-01", "end": "2026-11-30"}
    nov = get(client, rep, scope="rep", scope_id=rep.pk, **month).json()["results"][0]
    assert (nov["target"], nov["expected"], nov["attainment"], nov["period_attainment"]) == (
        "1900",
        "1350",
        "0.5",
        "0.355263",
    )
    # The team has no target of its own: its reps' (the team board's figure).
    team = get(client, rep, scope="team", scope_id=team_a.pk, **month).json()["results"][0]
    assert (team["target"], team["expected"]) == ("1900", "1350")
