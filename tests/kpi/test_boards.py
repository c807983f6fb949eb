"""The team board reads rollups in a fixed number of queries and exports what it shows."""

from datetime import date

import pytest
from django.urls import reverse

from kpi.models import CallLog, Target
from kpi.services.rollups import rollups_rebuild

from ..factories import CallFactory, UserFactory, tokyo

pytestmark = pytest.mark.django_db


def _team_of(team, n):
    reps = [UserFactory(team=team) for _ in range(n)]
    for rep in reps:
        CallFactory(
            rep=rep, started_at=tokyo(2026, 11, 20, 10, 0), duration_seconds=200, result=CallLog.Result.CONNECTED
        )
        Target.objects.create(
            kpi_key="calls", scope="rep", scope_id=rep.pk, granularity="month", period_start=date(2026, 11, 1), value=38
        )
    rollups_rebuild()
    return reps


def _queries(client, manager, team, django_assert_max_num_queries):
    client.force_login(manager)
    url = reverse("team_board", args=[team.pk])
    with django_assert_max_num_queries(50) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_team_board_query_count_does_not_grow_with_reps(
    client, manager, team_a, time_machine, django_assert_max_num_queries
):
    time_machine.move_to(tokyo(2026, 11, 20, 18, 0))
    _team_of(team_a, 3)
    three = _queries(client, manager, team_a, django_assert_max_num_queries)
    _team_of(team_a, 9)
    twelve = _queries(client, manager, team_a, django_assert_max_num_queries)
    assert three == twelve


def test_team_board_csv_has_targets_actuals_and_attainment(client, manager, rep, team_a, time_machine):
    time_machine.move_to(tokyo(2026, 11, 20, 18, 0))
    for minute in range(7):
        CallFactory(rep=rep, started_at=tokyo(2026, 11, 20, 10, minute))
    Target.objects.create(
        kpi_key="calls", scope="rep", scope_id=rep.pk, granularity="month", period_start=date(2026, 11, 1), value=38
    )
    rollups_rebuild()
    client.force_login(manager)
    response = client.get(reverse("team_board", args=[team_a.pk]), {"format": "csv"})
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("rep,calls_target,calls_actual,calls_attainment")
    # 38 calls in November's 19 business days; 14 elapsed by the 20th: pace 28, 7 / 28 = 0.25.
    assert lines[1].startswith(f"{rep.email},38.0000,7,0.2500")
