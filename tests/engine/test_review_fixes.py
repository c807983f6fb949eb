"""Found in review: extreme dates on the values API, and quarter targets costing a query per rep."""

from datetime import date

import pytest
from django.urls import reverse

from kpi.models import Target

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


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


def _board_queries(client, manager, team, django_assert_max_num_queries) -> int:
    client.force_login(manager)
    with django_assert_max_num_queries(60) as ctx:
        assert client.get(reverse("team_board", args=[team.pk])).status_code == 200
    return len(ctx.captured_queries)


def test_quarter_targets_do_not_add_a_query_per_rep(
    client, manager, team_a, time_machine, django_assert_max_num_queries
):
    time_machine.move_to(date(2026, 11, 20))

    def add_reps(n):
        for _ in range(n):
            rep = UserFactory(team=team_a)
            Target.objects.create(
                kpi_key="calls",
                scope="rep",
                scope_id=rep.pk,
                granularity="quarter",
                period_start=date(2026, 10, 1),
                value=1900,
            )

    add_reps(2)
    two = _board_queries(client, manager, team_a, django_assert_max_num_queries)
    add_reps(8)
    assert _board_queries(client, manager, team_a, django_assert_max_num_queries) == two
