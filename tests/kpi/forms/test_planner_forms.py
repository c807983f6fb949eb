"""kpi/forms/planner.py: bad plan input refused whole, every error named, nothing written."""

from decimal import Decimal

import pytest

from kpi.errors import ApplicationError
from kpi.forms.planner import plan_input_parse
from kpi.models import Plan

pytestmark = pytest.mark.django_db


def test_a_bad_plan_is_refused_whole(team_a):
    with pytest.raises(ApplicationError) as err:
        plan_input_parse(team=team_a, data={"month": "2026-11", "goal_value": "12.5"})
    assert list(err.value.fields) == ["goal_value"] and err.value.status == 400
    assert not Plan.objects.exists()


def test_bad_input_is_rejected_with_every_error(team_a):
    with pytest.raises(ApplicationError) as err:
        plan_input_parse(
            team=team_a, data={"month": "nope", "goal_value": "-3", "rate_connect": "1.5", "goal_kind": "x"}
        )
    assert set(err.value.fields) == {"month", "goal_value", "rate_connect", "goal_kind"}
    assert Plan.objects.count() == 0


def test_the_pages_rate_boxes_take_percent_like_every_other_form(team_a):
    data = {"month": "2026-12", "goal_value": "10", "rate_connect": "45", "rate_win": "12.5"}
    plan = plan_input_parse(team=team_a, data=data, percent=True)
    assert plan.rates == {"connect": Decimal("0.45"), "win": Decimal("0.125")}
    with pytest.raises(ApplicationError) as err:
        plan_input_parse(team=team_a, data={**data, "rate_connect": "150"}, percent=True)
    assert list(err.value.fields) == ["rate_connect"]
