"""kpi/services/planner.py: applying a plan creates exactly the targets shown."""

from datetime import date
from decimal import Decimal

import pytest

from kpi.forms.planner import plan_input_parse
from kpi.models import Plan, Target
from kpi.services.planner import plan_apply, plan_save

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 10, 20)


def test_applying_creates_exactly_the_targets_shown(team_a, five, manager):
    plan = plan_save(
        plan_input=plan_input_parse(team=team_a, data={"month": "2026-11", "goal_value": "12"}),
        as_of=AS_OF,
        user=manager,
    )
    assert plan.version == 1
    assert plan_apply(plan=plan, user=manager) == 38
    rows = {(t.scope, t.scope_id, t.kpi_key): t.value for t in Target.objects.filter(period_start=date(2026, 11, 1))}
    assert len(rows) == 38  # 6 team counts + 2 team rates + 5 reps x 6 counts
    assert set(Target.objects.values_list("plan", "updated_by")) == {(plan.pk, manager.pk)}
    assert rows[("team", team_a.pk, "calls")] == 3350
    assert rows[("team", team_a.pk, "connect_rate")] == Decimal("0.5")
    assert rows[("team", team_a.pk, "effective_call_rate")] == Decimal("0.2")
    rep = five[0]
    assert rows[("rep", rep.pk, "calls")] == 36 * 19
    assert [
        rows[("rep", rep.pk, k)] for k in ("connects", "effective_calls", "meetings", "qualified_meetings", "orders")
    ] == [335, 134, 14, 8, 3]
    shown = {(t["scope"], t["scope_id"], t["kpi"]): Decimal(str(t["value"])) for t in plan.result["targets"]}
    assert shown == rows
    second = plan_save(
        plan_input=plan_input_parse(team=team_a, data={"month": "2026-11", "goal_value": "10"}),
        as_of=AS_OF,
        user=manager,
    )
    assert second.version == 2 and Plan.objects.count() == 2
