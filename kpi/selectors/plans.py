"""What the planner page reads: a plan's preview from the team's trailing history, plan history,
planned against actual rates, and the step that broke."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from accounts.models import Team, User

from .. import funnel, periods
from ..models import Plan
from .calendar import Calendar
from .funnel import team_sums


@dataclass(frozen=True)
class PlanInput:
    team: Team
    month: date
    goal_kind: str
    goal_value: Decimal
    rates: dict  # {step: Decimal} overrides, missing = trailing/benchmark
    avg_order_amount: Decimal | None = None


def plan_preview(*, plan_input: PlanInput, as_of: date) -> dict:
    """The walk back (kpi/funnel.py plan_result) from the team's trailing 90 days, its active reps and
    the business days of the month planned."""
    team, month = plan_input.team, plan_input.month
    first, last = funnel.trailing_window(as_of)
    month_end = periods.period_end(periods.MONTH, month)
    calendar = Calendar(min(first, month), month_end)
    reps = User.objects.filter(team=team, role=User.Role.REP, is_active=True).order_by("pk")
    facts = funnel.PlanFacts(
        team_id=team.pk,
        month=month,
        as_of=as_of,
        window=(first, last),
        goal_kind=plan_input.goal_kind,
        goal_value=plan_input.goal_value,
        edited_rates=plan_input.rates,
        edited_amount=plan_input.avg_order_amount,
        sums=team_sums(team_id=team.pk, first=first, last=last),
        reps=[(rep.pk, str(rep)) for rep in reps],
        business_days=calendar.count(month, month_end),
        trailing_business_days=calendar.count(first, last),
    )
    return funnel.plan_result(facts)


def trailing_rates(*, team_id: int, as_of: date) -> tuple[tuple[date, date], list[funnel.StepRate]]:
    """(window, each step's trailing rate) of one team: what the planner shows before any goal."""
    first, last = funnel.trailing_window(as_of)
    return (first, last), funnel.step_rates(team_sums(team_id=team_id, first=first, last=last))


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
    sums = team_sums(team_id=plan.team_id, first=plan.month, last=last)
    actual = funnel.actual_rates(sums)
    planned = {k: Decimal(v["rate"]) for k, v in plan.result.get("rates", {}).items()}
    steps = [
        StepCheck(key, planned[key], actual[key], *funnel.step_counts(sums, key, num, den))
        for key, num, den in funnel.STEPS
        if key in planned
    ]
    broken = funnel.bottleneck(funnel.judged(actual, sums), planned)
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
