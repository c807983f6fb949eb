"""kpi/api/review_items.py: each item says which rule settings fired it."""

from decimal import Decimal

import pytest

pytestmark = pytest.mark.django_db


def test_review_items_api_says_which_rule_settings_fired_it(client, evaluated_item, manager):
    evaluated_item.rule.threshold_pct = Decimal("55.0")  # edited after the item opened
    evaluated_item.rule.save()
    client.force_login(manager)
    (row,) = [i for i in client.get("/api/v1/review-items/").json()["results"] if i["id"] == evaluated_item.pk]
    assert (row["threshold_pct"], row["min_sample"], row["pace_aware"]) == ("70.0", 30, True)
