"""Pages and API of the planning area: who may see and do what, and bad input refused whole."""

from decimal import Decimal

import pytest

pytestmark = pytest.mark.django_db


def test_evaluate_reviews_command_opens_the_item(evaluated_item, rep, manager):
    assert (evaluated_item.scope_id, evaluated_item.responsible, evaluated_item.attainment_pct) == (
        rep.pk,
        manager,
        Decimal("7.1"),
    )
