"""kpi/selectors/plans.py, KGI reverse planning, hand-computed (team of 5 reps, November 2026 = 19
business days): the preview walks a goal back to calls per rep per day; the check names the step that
broke."""

from datetime import date
from decimal import Decimal

import pytest

from kpi.forms.planner import plan_input_parse
from kpi.selectors.plans import plan_preview
from kpi.services.planner import plan_save
from tests.factories import TeamFactory
from tests.kpi.helpers import day_row

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 10, 20)


def compute(team, **data):
    return plan_preview(plan_input=plan_input_parse(team=team, data={"month": "2026-11", **data}), as_of=AS_OF)


def test_orders_goal_walks_back_to_calls_per_rep_per_day(team_a, five):
    result = compute(team_a, goal_kind="orders", goal_value="12")
    required = {s["stage"]: s["required"] for s in result["stages"]}
    assert required == {
        "orders": 12,
        "qualified_meetings": 40,
        "meetings": 67,
        "effective_calls": 670,
        "connects": 1675,
        "calls": 3350,
    }
    exact = {s["stage"]: s["exact"] for s in result["stages"]}
    assert exact["meetings"] == "66.67"
    assert all(r["source"] == "benchmark" for r in result["rates"].values())
    assert (result["reps"], result["business_days"]) == (5, 19)
    assert (result["calls_per_rep_day_exact"], result["calls_per_rep_day"]) == ("35.26", 36)
    assert result["recent_calls_per_rep_day"] is None
    assert result["verdict"] == "stretch"
    assert result["leads_needed"] == [670, 1117]  # 3350 calls at 5 and at 3 touches a lead


def test_revenue_goal_uses_trailing_average_order_amount_and_history_rates(team_a, five):
    # 90 trailing days: 1,000 calls, 450 connects, 180 effective, 20 meetings, 12 qualified,
    # 3 orders worth 2,400,000 JPY -> 800,000 per order.
    day_row(
        "team",
        team_a.pk,
        date(2026, 10, 1),
        calls=1000,
        connects=450,
        effective_calls=180,
        meetings=20,
        qualified_meetings=12,
        orders=3,
        order_amount=2_400_000,
    )
    result = compute(team_a, goal_kind="revenue", goal_value="10000000", rate_connect="0.5")
    assert result["avg_order_amount"] == {"value": "800000", "source": "history"}
    rates = result["rates"]
    assert (rates["connect"]["rate"], rates["connect"]["source"]) == ("0.5", "edited")
    assert (rates["effective"]["rate"], rates["effective"]["source"]) == ("0.4000", "history")
    assert rates["meeting"]["rate"] == "0.1111"
    assert rates["win"]["rate"] == "0.2500"
    required = {s["stage"]: s["required"] for s in result["stages"]}
    # 10,000,000 / 800,000 = 12.5 -> 13 orders; 13/0.25 = 52; 52/0.6 = 86.67 -> 87;
    # 87/0.1111 = 783.08 -> 784; 784/0.4 = 1960; 1960/0.5 = 3920.
    assert required == {
        "orders": 13,
        "qualified_meetings": 52,
        "meetings": 87,
        "effective_calls": 784,
        "connects": 1960,
        "calls": 3920,
    }
    # 1,000 calls over 5 reps x 59 business days (2026-07-22 .. 10-19: 64 weekdays less 8/11, 9/21,
    # 9/22, 9/23 and 10/12) = 3.39, shown as 3.4 a day: not feasible.
    assert result["recent_calls_per_rep_day"] == "3.4"
    assert result["verdict"] == "infeasible"


def test_no_reps_means_no_per_rep_figure(team_a):
    other = TeamFactory(name="空チーム")
    result = compute(other, goal_value="5")
    assert result["verdict"] == "no_reps" and result["calls_per_rep_day"] is None


def test_plan_page_names_the_step_that_broke(team_a, five, manager):
    from kpi.selectors.plans import plan_check

    plan = plan_save(
        plan_input=plan_input_parse(team=team_a, data={"month": "2026-11", "goal_value": "12"}),
        as_of=AS_OF,
        user=manager,
    )
    # Month to date through 11-20 (14 of 19 business days): pace expects 3350 x 14 / 19 = 2468.4 calls.
    # 2,500 calls are on pace, but only 30% connect (planned 50%): the connect step broke.
    day_row(
        "team",
        team_a.pk,
        date(2026, 11, 2),
        calls=2500,
        connects=750,
        effective_calls=300,
        meetings=30,
        qualified_meetings=18,
        orders=5,
    )
    check = plan_check(plan=plan, as_of=date(2026, 11, 20))
    assert check.broken == "connect"
    connect = next(s for s in check.steps if s.key == "connect")
    assert (connect.planned, connect.actual, connect.num, connect.den) == (Decimal("0.5"), Decimal("0.3"), 750, 2500)
    assert [s.key for s in check.steps if s.actual is not None and s.actual < s.planned] == ["connect", "win"]
    assert check.calls_expected.quantize(Decimal("0.1")) == Decimal("2468.4")


def test_plan_page_names_volume_when_rates_hold_but_calls_lag(team_a, five, manager):
    from kpi.selectors.plans import plan_check

    plan = plan_save(
        plan_input=plan_input_parse(team=team_a, data={"month": "2026-11", "goal_value": "12"}),
        as_of=AS_OF,
        user=manager,
    )
    day_row(
        "team",
        team_a.pk,
        date(2026, 11, 2),
        calls=1000,
        connects=500,
        effective_calls=200,
        meetings=20,
        qualified_meetings=12,
        orders=4,
    )
    assert plan_check(plan=plan, as_of=date(2026, 11, 20)).broken == "volume"
