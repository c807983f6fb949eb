"""kpi/api/plans.py: plans computed and saved only for the teams one manages."""

import pytest

pytestmark = pytest.mark.django_db


def test_plan_api_computes_and_saves_only_for_managed_teams(client, manager, rep, team_a, team_b):
    client.force_login(manager)
    body = {"team": team_a.pk, "month": "2026-12", "goal_value": "3"}
    computed = client.post("/api/v1/plans/", body, content_type="application/json")
    assert computed.status_code == 200 and computed.json()["stages"][-1]["required"] == 3
    saved = client.post("/api/v1/plans/", {**body, "save": True}, content_type="application/json")
    assert saved.status_code == 201 and saved.json()["version"] == 1
    other = client.post("/api/v1/plans/", {**body, "team": team_b.pk}, content_type="application/json")
    assert other.status_code == 403
    bad = client.post("/api/v1/plans/", {**body, "goal_value": "0"}, content_type="application/json")
    assert bad.status_code == 400 and "goal_value" in bad.json()["extra"]["fields"]
    missing = client.post("/api/v1/plans/", {**body, "team": 999_999}, content_type="application/json")
    assert missing.status_code == 404 and missing.json()["message"]
