"""kpi/api/targets.py: list, bulk upsert and history with the targets page's permissions."""

from datetime import date
from decimal import Decimal

import pytest

from kpi.models import Target, TargetChange
from kpi.services.targets import TargetRow, targets_write

pytestmark = pytest.mark.django_db

NOV = date(2026, 11, 1)
URL, HISTORY = "/api/v1/targets/", "/api/v1/targets/history/"


def entry(scope, scope_id, value, kpi="calls", granularity="month", start="2026-11-01"):
    return {
        "kpi": kpi,
        "scope": scope,
        "scope_id": scope_id,
        "granularity": granularity,
        "period_start": start,
        "value": value,
    }


def test_a_manager_upserts_lists_and_reads_the_history_of_their_teams_targets(client, manager, rep, team_a):
    client.force_login(manager)
    body = {"targets": [entry("rep", rep.pk, "680"), entry("team", team_a.pk, "45", kpi="connect_rate")]}
    response = client.post(URL, body, format="json")
    assert (response.status_code, response.json()) == (200, {"written": 2})
    assert Target.objects.get(kpi_key="connect_rate").value == Decimal("0.45")
    client.post(
        URL,
        {"targets": [entry("rep", rep.pk, "700"), entry("team", team_a.pk, None, kpi="connect_rate")]},
        format="json",
    )
    listed = client.get(URL + "?granularity=month&start=2026-11-01&end=2026-11-30").json()
    assert [(t["kpi"], t["scope"], t["value"], t["unit"]) for t in listed["results"]] == [
        ("calls", "rep", "700", "count")
    ]
    history = client.get(HISTORY).json()["results"]
    assert [(h["kpi"], h["old_value"], h["new_value"], h["source"], h["changed_by"]) for h in history] == [
        ("connect_rate", "45", None, "api", manager.pk),
        ("calls", "680", "700", "api", manager.pk),
        ("connect_rate", None, "45", "api", manager.pk),
        ("calls", None, "680", "api", manager.pk),
    ]


def test_another_teams_scope_is_403_and_nothing_is_written(client, manager, rep, outsider, team_b):
    targets_write(rows=[TargetRow("calls", "rep", rep.pk, "month", NOV, Decimal(600))], user=None, source="csv")
    client.force_login(manager)
    body = {"targets": [entry("rep", rep.pk, "650"), entry("rep", outsider.pk, "10"), entry("team", team_b.pk, "1")]}
    response = client.post(URL, body, format="json")
    assert response.status_code == 403
    assert set(response.json()["extra"]["fields"]) == {"targets[1]", "targets[2]"}
    assert Target.objects.get().value == Decimal(600)
    assert client.post(URL, {"targets": [entry("org", 0, "5")]}, format="json").status_code == 403
    # Another team's targets are not listed either.
    targets_write(rows=[TargetRow("calls", "rep", outsider.pk, "month", NOV, Decimal(9))], user=None, source="csv")
    assert [t["scope_id"] for t in client.get(URL).json()["results"]] == [rep.pk]
    assert [h["scope_id"] for h in client.get(HISTORY).json()["results"]] == [rep.pk]


def test_bad_entries_are_refused_whole_naming_each_field(client, ops, rep):
    client.force_login(ops)
    body = {
        "targets": [
            entry("rep", rep.pk, "680"),
            entry("rep", rep.pk, "10.5", kpi="meetings"),
            entry("rep", rep.pk, "0.45", kpi="connect_rate"),
            entry("team", 999999, "1"),
            entry("rep", rep.pk, "1", granularity="week", start="2026-11-18"),
            entry("org", 0, "1", start="9999-12-01"),
        ]
    }
    response = client.post(URL, body, format="json")
    assert response.status_code == 400
    assert sorted(response.json()["extra"]["fields"]) == [
        "targets[1].value",
        "targets[2].value",
        "targets[3].scope_id",
        "targets[4].period_start",
        "targets[5].period_start",
    ]
    assert not Target.objects.exists() and not TargetChange.objects.exists()


def test_people_who_manage_no_team_get_403(client, rep, marketer):
    for user in (rep, marketer):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.get(HISTORY).status_code == 403
        assert client.post(URL, {"targets": [entry("rep", user.pk, "1")]}, format="json").status_code == 403


def test_ops_may_set_the_organisations_targets(client, ops):
    client.force_login(ops)
    response = client.post(
        URL,
        {"targets": [entry("org", 0, "40", kpi="orders", granularity="quarter", start="2026-10-01")]},
        format="json",
    )
    assert response.status_code == 200
    assert client.get(URL + "?scope=org").json()["results"][0]["value"] == "40"
