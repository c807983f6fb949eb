"""kpi/views/targets.py: the targets grid and CSV import: bad values listed, nothing written."""

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
        f"connect_rate,rep,{rep.email},week,2026-11-03,0.5\n"
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
