"""kpi/management/commands/evaluate_reviews.py: the command opens the review item."""

from decimal import Decimal

import pytest

pytestmark = pytest.mark.django_db


def test_evaluate_reviews_command_opens_the_item(evaluated_item, rep, manager):
    assert (evaluated_item.scope_id, evaluated_item.responsible, evaluated_item.attainment_pct) == (
        rep.pk,
        manager,
        Decimal("7.1"),
    )
