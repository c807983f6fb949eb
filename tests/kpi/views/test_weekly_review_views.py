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
    client.get(url)  # managing teams is a change of people: the cached team targets are read again once
    with CaptureQueriesContext(connection) as five_teams:
        assert len(client.get(url).context["teams"]) == 5
    assert len(five_teams.captured_queries) == len(one_team.captured_queries)


def test_any_past_week_with_previous_and_next(client, manager, team_a, time_machine):
    """On Wednesday 2 December the page can go back to the week of 16 November; the week's rows are
    that week's (300 calls then, none this week)."""
    from kpi.models import Rollup
    from tests.factories import tokyo

    time_machine.move_to(tokyo(2026, 12, 2, 9, 0))
    Rollup.objects.create(
        granularity="week", scope="team", scope_id=team_a.pk, period_start=date(2026, 11, 16), calls=300
    )
    client.force_login(manager)
    url = reverse("weekly_review", args=[team_a.pk])
    current = client.get(url)
    assert (current.context["this_week"], current.context["next_week"]) == (date(2026, 11, 30), None)
    assert current.context["week_totals"][0].value == 0
    past = client.get(url, {"week": "2026-11-18"})  # any day of the week
    assert past.context["this_week"] == date(2026, 11, 16) and past.context["day"] == date(2026, 11, 22)
    assert (past.context["prev_week"], past.context["next_week"]) == (date(2026, 11, 9), date(2026, 11, 23))
    assert past.context["week_totals"][0].value == 300 and not past.context["is_current"]
    page = past.content.decode()
    assert 'href="?week=2026-11-09"' in page and 'href="?week=2026-11-23"' in page
    assert client.get(url, {"week": "2027-01-04"}).context["this_week"] == date(2026, 11, 30)  # future: default
    assert client.get(url, {"week": "11/16"}).context["this_week"] == date(2026, 11, 30)  # bad: default


def test_on_monday_morning_the_week_that_ended_is_shown(client, manager, team_a, time_machine):
    from tests.factories import tokyo

    time_machine.move_to(tokyo(2026, 11, 30, 8, 0))
    client.force_login(manager)
    response = client.get(reverse("weekly_review", args=[team_a.pk]))
    assert (response.context["this_week"], response.context["day"]) == (date(2026, 11, 23), date(2026, 11, 29))
