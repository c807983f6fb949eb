"""kpi/views/targets.py: the targets grid and CSV import: bad values listed, nothing written."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kpi.models import Target

pytestmark = pytest.mark.django_db


def test_a_target_import_without_a_file_is_listed_and_writes_nothing(client, manager, team_a):
    client.force_login(manager)
    response = client.post(reverse("targets"), {"action": "import", "team": team_a.pk, "month": "2026-11"})
    assert [(n, col) for n, col, _reason in response.context["import_errors"]] == [(0, "file")]
    assert not Target.objects.exists()


def test_targets_grid_saves_and_bad_values_write_nothing(client, manager, rep, team_a):
    client.force_login(manager)
    url = reverse("targets") + f"?team={team_a.pk}&month=2026-11"
    assert client.get(url).status_code == 200
    data = {"team": team_a.pk, "month": "2026-11", f"v_rep_{rep.pk}_calls": "680", f"v_rep_{rep.pk}_connect_rate": "45"}
    client.post(reverse("targets"), data)
    got = {t.kpi_key: t.value for t in Target.objects.filter(scope_id=rep.pk)}
    assert got == {"calls": Decimal(680), "connect_rate": Decimal("0.45")}
    client.post(reverse("targets"), {**data, f"v_rep_{rep.pk}_calls": "700", f"v_rep_{rep.pk}_meetings": "abc"})
    assert Target.objects.get(scope_id=rep.pk, kpi_key="calls").value == Decimal(680)


def test_target_csv_import_lists_every_error_and_writes_nothing(client, manager, rep, outsider, team_a):
    client.force_login(manager)
    content = (
        "kpi,scope,scope_ref,granularity,period_start,value\n"
        f"calls,rep,{rep.email},month,2026-11-01,600\n"
        "calls,rep,nobody@example.jp,month,2026-11-01,600\n"
        f"connect_rate,rep,{rep.email},week,2026-11-03,50\n"
        f"calls,rep,{outsider.email},month,2026-11-01,10\n"
        f"bogus,team,{team_a.name},month,2026-11-01,-1\n"
    ).encode()
    response = client.post(
        reverse("targets"),
        {"action": "import", "team": team_a.pk, "month": "2026-11", "file": SimpleUploadedFile("t.csv", content)},
    )
    errors = response.context["import_errors"]
    assert [(n, col) for n, col, _ in errors] == [(3, "scope_ref"), (4, "period_start"), (5, "scope_ref"), (6, "kpi")]
    assert Target.objects.count() == 0
    good = f"kpi,scope,scope_ref,granularity,period_start,value\ncalls,rep,{rep.email},week,2026-11-02,150\n"
    client.post(
        reverse("targets"),
        {"action": "import", "team": team_a.pk, "month": "2026-11", "file": SimpleUploadedFile("t.csv", good.encode())},
    )
    assert Target.objects.get().granularity == "week"
    export = client.get(reverse("targets") + f"?team={team_a.pk}&month=2026-11&format=csv")
    assert f"calls,rep,{rep.email},week,2026-11-02,150" in export.content.decode("utf-8-sig")


def _month_targets(rep, kpis, month=date(2026, 11, 1)):
    from kpi.services.targets import TargetRow, targets_write

    rows = [TargetRow(kpi, "rep", rep.pk, "month", month, Decimal(value)) for kpi, value in kpis.items()]
    targets_write(rows=rows, user=None, source="csv")


def test_a_grid_post_changes_only_the_boxes_it_sent(client, manager, rep, teammate, team_a):
    _month_targets(rep, {"calls": 600, "meetings": 12})
    _month_targets(teammate, {"calls": 500})
    client.force_login(manager)
    # One box typed, one box emptied; the other targets were not in the post.
    client.post(
        reverse("targets"),
        {
            "team": team_a.pk,
            "g": "month",
            "d": "2026-11-01",
            f"v_rep_{rep.pk}_calls": "650",
            f"v_rep_{rep.pk}_meetings": "",
        },
    )
    got = {(t.scope_id, t.kpi_key): t.value for t in Target.objects.all()}
    assert got == {(rep.pk, "calls"): Decimal(650), (teammate.pk, "calls"): Decimal(500)}


def test_a_post_for_a_team_the_manager_does_not_manage_is_403_and_writes_nothing(
    client, manager, rep, outsider, team_a, team_b
):
    _month_targets(rep, {"calls": 600, "meetings": 12, "orders": 2})
    client.force_login(manager)
    response = client.post(reverse("targets"), {"team": team_b.pk, "month": "2026-11"})
    assert response.status_code == 403
    response = client.post(reverse("targets"), {"team": "abc", "month": "2026-11"})
    assert response.status_code == 403
    response = client.post(reverse("targets"), {"team": 999999, "month": "2026-11"})
    assert response.status_code == 404
    assert Target.objects.filter(scope_id=rep.pk).count() == 3
    assert client.get(reverse("targets") + f"?team={team_b.pk}").status_code == 403


def test_a_grid_change_appears_in_the_history_with_its_actor_and_path(client, manager, rep, team_a):
    _month_targets(rep, {"calls": 600})
    client.force_login(manager)
    client.post(
        reverse("targets"),
        {
            "team": team_a.pk,
            "g": "month",
            "d": "2026-11-01",
            f"v_rep_{rep.pk}_calls": "650",
            f"v_rep_{rep.pk}_connect_rate": "45",
        },
    )
    page = client.get(reverse("targets") + f"?team={team_a.pk}&month=2026-11")
    rows = [(c.by, c.subject, c.kpi, old, new, c.source) for c, old, new in page.context["history"]]
    assert sorted(rows) == [
        ("", str(rep), "calls", "", "600", "csv"),
        (str(manager), str(rep), "calls", "600", "650", "grid"),
        (str(manager), str(rep), "connect_rate", "", "45", "grid"),
    ]
    assert "600" in page.content.decode() and "650" in page.content.decode()


def test_the_grid_edits_weeks_and_quarters_and_ops_edit_the_organisation(client, manager, ops, rep, team_a):
    client.force_login(manager)
    client.post(
        reverse("targets"), {"team": team_a.pk, "g": "week", "d": "2026-11-18", f"v_team_{team_a.pk}_calls": "900"}
    )
    assert Target.objects.get().period_start == date(2026, 11, 16)
    assert client.get(reverse("targets") + "?scope=org").status_code == 403
    client.force_login(ops)
    client.post(reverse("targets"), {"scope": "org", "g": "quarter", "d": "2026-10-01", "v_org_0_orders": "40"})
    org = Target.objects.get(scope="org")
    assert (org.granularity, org.period_start, org.value) == ("quarter", date(2026, 10, 1), Decimal(40))
    page = client.get(reverse("targets") + "?scope=org&g=quarter&d=2026-11-05")
    assert page.context["grid"][0]["cells"][5]["value"] == "40"


def test_edge_dates_in_the_query_string_fall_back_to_this_month(client, manager, team_a):
    client.force_login(manager)
    for query in ("month=9999-12", "d=0001-01-01&g=day", "d=9999-12-31&g=quarter"):
        assert client.get(reverse("targets") + f"?team={team_a.pk}&{query}").status_code == 200


def test_one_bad_query_parameter_does_not_reset_the_team(client, manager, team_a):
    client.force_login(manager)
    page = client.get(reverse("targets") + f"?team={team_a.pk}&g=fortnight&d=2026-11-18")
    assert (page.status_code, page.context["team"], page.context["granularity"]) == (200, team_a, "month")
