"""The dashboards read a fixed number of queries whatever the number of reps (no N+1), whether the
board comes from the cache (warm) or is computed and rendered (cold: first view after a data change)."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kpi import periods
from kpi.services.rollups import rollups_rebuild

from ..factories import CallFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def add_reps(team, count: int) -> None:
    today = timezone.now()
    for _ in range(count):
        rep = UserFactory(team=team)
        CallFactory(rep=rep, started_at=today - timedelta(hours=1), duration_seconds=130, result="connected")
        CallFactory(rep=rep, started_at=today - timedelta(days=3))


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def cold_and_warm(client, url: str) -> tuple[int, int]:
    """Queries of a view that computes the board, then of the next one (served from the cache)."""
    cache.clear()
    return queries_of(client, url), queries_of(client, url)


# Rollup, target, calendar, definition and meeting tables: what only computing a board reads.
BOARD_TABLES = ("kpi_rollup", "kpi_target", "kpi_companyholiday", "kpi_definitionversion", "kpi_meeting")


def test_team_board_query_count_is_the_same_for_3_and_12_reps(client, team_a, manager, django_assert_num_queries):
    add_reps(team_a, 3)
    rollups_rebuild()
    client.force_login(manager)
    url = reverse("team_board", kwargs={"team_id": team_a.pk})
    client.get(url)  # first request may warm per-process caches
    cold_3, warm_3 = cold_and_warm(client, url)
    add_reps(team_a, 9)
    rollups_rebuild()  # a new data version: the next view computes the board again
    with django_assert_num_queries(cold_3):
        response = client.get(url)
    assert response.content.decode().count('data-rep="') == 12
    with django_assert_num_queries(warm_3):
        response = client.get(url)
    assert response.content.decode().count('data-rep="') == 12
    # Warm: session, user, the visible teams (permission, team and switcher), the data version, the
    # review badge. Nothing that grows with the team or the period.
    assert warm_3 <= 5 < cold_3


def test_team_board_query_count_is_the_same_for_every_granularity_and_size(client, team_a, manager):
    add_reps(team_a, 3)
    rollups_rebuild()
    client.force_login(manager)
    url = reverse("team_board", kwargs={"team_id": team_a.pk})
    client.get(url)
    small = {g: cold_and_warm(client, f"{url}?g={g}") for g in ("day", "week", "month")}
    add_reps(team_a, 9)
    rollups_rebuild()
    assert {g: cold_and_warm(client, f"{url}?g={g}") for g in ("day", "week", "month")} == small


def test_org_board_query_count_is_the_same_for_3_and_12_reps(client, ops, django_assert_num_queries):
    teams = [TeamFactory(), TeamFactory()]
    add_reps(teams[0], 3)
    rollups_rebuild()
    client.force_login(ops)
    url = reverse("org_board")
    client.get(url)
    cold_3, warm_3 = cold_and_warm(client, url)
    add_reps(teams[0], 5)
    add_reps(teams[1], 4)
    add_reps(TeamFactory(), 0)  # an empty team is a row too, not a query
    rollups_rebuild()
    with django_assert_num_queries(cold_3):
        client.get(url)
    with django_assert_num_queries(warm_3):
        client.get(url)
    assert warm_3 <= 4 < cold_3  # session, user, data version, review badge


@pytest.mark.parametrize("name", ["team_board", "org_board"])
def test_a_cached_board_reads_no_board_data(client, team_a, manager, name):
    add_reps(team_a, 3)
    rollups_rebuild()
    client.force_login(manager)
    url = reverse(name, kwargs={"team_id": team_a.pk} if name == "team_board" else {})
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    assert not [t for t in BOARD_TABLES if t in sql]


def test_month_to_date_reads_the_month_rollup_not_the_events(client, team_a, manager):
    """The board's numbers equal the events' sums, yet the page never touches an event table."""
    add_reps(team_a, 3)
    rollups_rebuild()
    client.force_login(manager)
    url = reverse("team_board", kwargs={"team_id": team_a.pk})
    with CaptureQueriesContext(connection) as captured:
        client.get(f"{url}?g=month&d={periods.local_date(timezone.now()).isoformat()}")
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    assert "kpi_calllog" not in sql and "kpi_emailtouch" not in sql
