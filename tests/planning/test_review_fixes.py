"""Found in review: bad input on planning pages, rate targets entered as percentages, and
queries per review item."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from kpi.models import ReviewItem, ReviewRule, Target

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def _item(rep, kpi="connect_rate", scope_id=None, as_of=date(2026, 11, 20)):
    rule = ReviewRule.objects.create(kpi_key=kpi, scope="rep")
    return ReviewItem.objects.create(
        rule=rule,
        kpi_key=kpi,
        scope="rep",
        scope_id=scope_id or rep.pk,
        team=rep.team,
        granularity="month",
        threshold_pct=rule.threshold_pct,
        min_sample=rule.min_sample,
        pace_aware=rule.pace_aware,
        period_start=date(2026, 11, 1),
        as_of=as_of,
        actual=Decimal("0.2"),
        target=Decimal("0.5"),
        expected=Decimal("0.5"),
        attainment_pct=Decimal("40.0"),
    )


def test_a_rate_target_of_50_is_refused_not_saved_as_5000_percent(client, manager, rep):
    item = _item(rep)
    client.force_login(manager)
    response = client.post(
        reverse("review_item", args=[item.pk]), {"cause": "c", "next_action": "a", "new_target": "50"}
    )
    assert "0.5 = 50%" in response.content.decode()
    assert not Target.objects.exists()
    client.post(reverse("review_item", args=[item.pk]), {"cause": "c", "next_action": "a", "new_target": "0.45"})
    assert Target.objects.get(kpi_key="connect_rate").value == Decimal("0.45")


def test_superscript_digits_are_bad_input_not_500(client, manager, marketer, team_a):
    client.force_login(manager)
    assert client.get(reverse("planner"), {"team": "²"}).status_code == 200
    response = client.post(
        reverse("review_rules"),
        {"kpi_key": "calls", "scope": "team", "scope_id": "²", "granularity": "month", "threshold_pct": "70"},
    )
    assert response.status_code == 200  # the form again, with the scope refused
    assert not ReviewRule.objects.exists()
    client.force_login(marketer)
    assert client.post(reverse("lead_supply"), {"leads_web": "²"}).status_code == 200


def test_review_list_labels_every_item_in_one_query(client, manager, team_a, django_assert_max_num_queries):
    client.force_login(manager)

    def count():
        with django_assert_max_num_queries(40) as ctx:
            client.get(reverse("review_items"))
        return len(ctx.captured_queries)

    _item(UserFactory(team=team_a))
    one = count()
    for _n in range(5):
        _item(UserFactory(team=team_a))
    assert count() == one
