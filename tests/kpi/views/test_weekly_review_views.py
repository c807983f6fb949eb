"""kpi/views/weekly_review.py: the weekly review page is for the manager only."""

from datetime import date

import pytest
from django.urls import reverse

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
