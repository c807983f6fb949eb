"""What the planner page reads: plan history, planned against actual rates, and the step that broke."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .. import periods
from ..models import Plan
from . import funnel
from .calendar import Calendar


@dataclass(frozen=True)
class StepCheck:
    key: str
    planned: Decimal
    actual: Decimal | None
    num: int
    den: int

    @property
    def ratio(self) -> Decimal | None:
        return None if self.actual is None or not self.planned else self.actual / self.planned


@dataclass(frozen=True)
class PlanCheck:
    plan: Plan
    steps: list[StepCheck]
    broken: str | None  # step key, or "volume" when calls run behind pace while rates hold
    calls_actual: int
    calls_expected: Decimal


def plans_for(*, team_ids, month: date | None = None):
    plans = Plan.objects.filter(team_id__in=list(team_ids)).select_related("team", "created_by")
    return plans.filter(month=month) if month else plans


def latest_plans(*, month: date) -> list[Plan]:
    """The newest version of each team's plan for a month."""
    seen, out = set(), []
    for plan in Plan.objects.filter(month=month).select_related("team").order_by("team_id", "-version"):
        if plan.team_id not in seen:
            seen.add(plan.team_id)
            out.append(plan)
    return out


def latest_plan(*, team_id: int, month: date) -> Plan | None:
    """The newest version of one team's plan for a month."""
    return Plan.objects.filter(team_id=team_id, month=month).order_by("-version").first()


def plan_check(*, plan: Plan, as_of: date) -> PlanCheck:
    """Month-to-date actual rates of the plan's team against the planned ones."""
    last = min(as_of, periods.period_end(periods.MONTH, plan.month))
    sums = funnel.team_sums(team_id=plan.team_id, first=plan.month, last=last)
    actual = funnel.actual_rates(sums)
    planned = {k: Decimal(v["rate"]) for k, v in plan.result.get("rates", {}).items()}
    steps = [
        StepCheck(key, planned[key], actual[key], int(sums[num]), int(sums[den]))
        for key, num, den in funnel.STEPS
        if key in planned
    ]
    # A step with fewer attempts than its minimum cannot be called broken yet.
    judged = {k: v for k, v in actual.items() if next(s.den for s in steps if s.key == k) >= funnel.MIN_DENOMINATOR[k]}
    broken = funnel.bottleneck(judged, planned)
    month_last = periods.period_end(periods.MONTH, plan.month)
    calendar = Calendar(plan.month, month_last)
    total = calendar.count(plan.month, month_last)
    elapsed = calendar.count(plan.month, last) if as_of >= plan.month else 0
    planned_calls = next((s["required"] for s in plan.result.get("stages", []) if s["stage"] == "calls"), 0)
    expected = Decimal(planned_calls) * elapsed / total if total else Decimal(0)
    worst = next((s for s in steps if s.key == broken), None)
    # Volume broke when calls run further behind pace than any rate runs behind its plan.
    if expected and Decimal(sums["calls"]) / expected < Decimal(1):
        volume_ratio = Decimal(sums["calls"]) / expected
        if worst is None or worst.ratio is None or volume_ratio < worst.ratio:
            broken = "volume"
    return PlanCheck(plan, steps, broken, int(sums["calls"]), expected)
