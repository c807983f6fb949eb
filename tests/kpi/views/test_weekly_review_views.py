"""kpi/views/weekly_review.py: the weekly review page is for the manager only."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import TeamFactory
from tests.kpi.helpers import day_row

pytestmark = pytest.mark.django_db


def test_weekly_review_page_for_the_manager_only(client, manager, rep, outsider, team_a):
    day_row("team", team_a.pk, date(2026, 11, 2), calls=100, connects=20, effective_calls=10, meetings=1)
    client.force_login(manager)
    home = client.get(reverse("weekly_review_home"))
    assert home.url == reverse("weekly_review", args=[team_a.pk])
    assert client.get(home.url).status_code == 200
    assert client.get(home.url + "?format=csv&table=heatmap").status_code == 200
    client.force_login(outsider)
    assert client.get(home.url).status_code == 403


def test_the_team_switcher_offers_the_managed_teams_in_queries_that_do_not_grow(client, manager, team_a):
    """The switcher once asked 'may they manage it?' per visible team: one query more per team."""
    client.force_login(manager)
    url = reverse("weekly_review", args=[team_a.pk])
    client.get(url)  # warm the session and the caches
    with CaptureQueriesContext(connection) as one_team:
        assert [t.pk for t in client.get(url).context["teams"]] == [team_a.pk]
    more = TeamFactory.create_batch(4)
    manager.managed_teams.add(*more)
    with CaptureQueriesContext(connection) as five_teams:
        assert len(client.get(url).context["teams"]) == 5
    assert len(five_teams.captured_queries) == len(one_team.captured_queries)
