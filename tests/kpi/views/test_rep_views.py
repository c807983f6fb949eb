"""kpi/views/rep.py: the rep page and the call list are for the rep, the team's managers and ops; to
everyone else the rep does not exist (404). The page reads a fixed number of queries whatever the
rep's history; the call list filters, pages and exports in the organisation's time zone."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from kpi.services.rollups import rollups_rebuild
from tests.factories import CallFactory, UserFactory, tokyo
from tests.kpi.views.helpers import get

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client, rep):
    assert get(client, None, reverse("rep_page", args=[rep.pk])).status_code == 302


def test_the_rep_their_manager_and_ops_see_the_page(client, rep, manager, ops):
    for user in (rep, manager, ops):
        client.logout()
        assert get(client, user, reverse("rep_page", args=[rep.pk])).status_code == 200
        assert get(client, user, reverse("rep_calls", args=[rep.pk])).status_code == 200


def test_teammates_outsiders_other_managers_fs_and_marketing_get_404(
    client, rep, teammate, outsider, team_b, fs_user, marketer
):
    other_manager = UserFactory(email="boss-b@example.jp", role=User.Role.MANAGER, team=team_b)
    team_b.managers.add(other_manager)
    for user in (teammate, outsider, other_manager, fs_user, marketer):
        client.logout()
        assert get(client, user, reverse("rep_page", args=[rep.pk])).status_code == 404, user
        assert get(client, user, reverse("rep_calls", args=[rep.pk])).status_code == 404, user


def test_a_manager_is_not_a_rep_page(client, ops, manager):
    assert get(client, ops, reverse("rep_page", args=[manager.pk])).status_code == 404


def _calls(rep, days: int):
    for n in range(days):
        day = date(2026, 11, 20) - timedelta(days=n)
        CallFactory(
            rep=rep, started_at=tokyo(day.year, day.month, day.day, 10, 0), duration_seconds=150, result="connected"
        )


def _page_queries(client, url) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_page_query_count_does_not_grow_with_history(client, rep, manager, time_machine, django_assert_num_queries):
    time_machine.move_to(tokyo(2026, 11, 20, 18, 0))
    _calls(rep, 1)
    rollups_rebuild()
    client.force_login(manager)
    url = reverse("rep_page", args=[rep.pk])
    client.get(url)
    short = _page_queries(client, url)
    _calls(UserFactory(team=rep.team), 5)
    for n in range(60):
        day = date(2026, 11, 20) - timedelta(days=n)
        CallFactory(rep=rep, started_at=tokyo(day.year, day.month, day.day, 15, 0))
    rollups_rebuild()
    cache.clear()
    with django_assert_num_queries(short):
        client.get(url)
    with django_assert_num_queries(short):
        client.get(f"{url}?kpi=connect_rate&g=day")


def test_page_shows_the_trend_funnel_heatmap_and_latest_calls(client, rep, manager, time_machine):
    time_machine.move_to(tokyo(2026, 11, 20, 18, 0))
    _calls(rep, 3)
    rollups_rebuild()
    html = get(client, manager, reverse("rep_page", args=[rep.pk])).content.decode()
    for part in ('id="rep-trend"', 'id="rep-funnel-table"', 'id="heatmap"', 'id="call-list"', 'id="rep-trend-data"'):
        assert part in html
    assert "<script>" not in html  # chart code lives in static files (no inline script)
    assert html.count('data-call="') == 3


def test_call_list_csv_is_in_tokyo_time_and_follows_the_filters(client, rep, manager):
    CallFactory(rep=rep, external_id="c-late", started_at=tokyo(2026, 11, 20, 8, 30), result="connected")
    CallFactory(rep=rep, external_id="c-other", started_at=tokyo(2026, 11, 19, 8, 30), result="busy")
    client.force_login(manager)
    response = client.get(reverse("rep_calls", args=[rep.pk]), {"format": "csv", "day": "2026-11-20"})
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("external_id,started_at_local,")
    assert lines[1:] == ["c-late,2026-11-20T08:30:00+09:00,0,outbound,connected,,,"]


def test_call_list_pages_fifty_calls_at_a_time(client, rep, manager):
    for minute in range(51):
        CallFactory(rep=rep, started_at=tokyo(2026, 11, 20, 9, 0) + timedelta(minutes=minute))
    client.force_login(manager)
    url = reverse("rep_calls", args=[rep.pk])
    assert client.get(url).content.decode().count('data-call="') == 50
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count('data-call="') == 1
    assert "2026-11-20 09:00" in second  # the oldest call comes last


def test_my_numbers_sends_a_rep_to_their_own_page_and_others_nowhere(client, rep, manager):
    assert get(client, rep, reverse("my_rep_page")).url == reverse("rep_page", args=[rep.pk])
    client.logout()
    assert get(client, manager, reverse("my_rep_page")).status_code == 404
