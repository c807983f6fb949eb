"""KGI reverse planning: from an orders or revenue goal, walk the funnel back to calls per rep per day.

Rounding: every required count is rounded UP (ceil) at each step, and the next step divides the
rounded count, because half a meeting cannot be booked; the exact figures are kept next to the
rounded ones so the page can show both. A revenue goal becomes orders with the team's trailing
average order amount (order_amount / orders over 90 days), which the manager may edit.
"""

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Team, User

from .. import periods
from ..models import Plan
from ..selectors import funnel
from ..selectors.calendar import Calendar
from .targets import TargetRow, targets_write

STRETCH = Decimal("1.15")  # up to 15% above recent capacity is a stretch, beyond that not feasible
DEFAULT_ORDER_AMOUNT = Decimal(1_000_000)  # used only when the team has no orders in 90 days
TOUCHES_PER_LEAD = (3, 5)  # DESIGN.md: 3-5 touches per prospect
REP_KPIS = ("connects", "effective_calls", "meetings", "qualified_meetings", "orders")


class PlanError(ValueError):
    def __init__(self, errors: dict):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class PlanInput:
    team: Team
    month: date
    goal_kind: str
    goal_value: Decimal
    rates: dict  # {step: Decimal} overrides, missing = trailing/benchmark
    avg_order_amount: Decimal | None = None


def _dec(value, field: str, errors: dict, *, upper: Decimal | None = None) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors[field] = _("Enter a number.")
        return None
    if not number.is_finite() or number <= 0 or (upper is not None and number > upper):
        errors[field] = _("Must be above 0 and at most %(max)s.") % {"max": upper} if upper else _("Must be above 0.")
        return None
    return number


def plan_input_parse(*, team: Team, data: dict) -> PlanInput:
    """Validate raw form or API data; every problem is reported at once."""
    errors: dict = {}
    try:
        month = periods.month_start(date.fromisoformat(str(data.get("month", ""))[:10] or "x"))
    except ValueError:
        errors["month"] = _("Enter a month as YYYY-MM-DD or YYYY-MM.")
        month = None
    if month is None and len(str(data.get("month", ""))) == 7:
        try:
            month = date.fromisoformat(f"{data['month']}-01")
            errors.pop("month")
        except ValueError:
            pass
    kind = data.get("goal_kind") or Plan.Goal.ORDERS
    if kind not in Plan.Goal.values:
        errors["goal_kind"] = _("Choose orders or revenue.")
    goal = _dec(data.get("goal_value"), "goal_value", errors)
    if goal is None and "goal_value" not in errors:
        errors["goal_value"] = _("Enter the goal.")
    rates = {}
    for key, _num, _den in funnel.STEPS:
        value = _dec(data.get(f"rate_{key}"), f"rate_{key}", errors, upper=Decimal(1))
        if value is not None:
            rates[key] = value
    amount = _dec(data.get("avg_order_amount"), "avg_order_amount", errors)
    if errors:
        raise PlanError(errors)
    if goal != goal.to_integral_value():
        raise PlanError({"goal_value": _("Enter a whole number.")})
    return PlanInput(team, month, kind, goal, rates, amount)


def _ceil(value: Decimal) -> int:
    return math.ceil(value)


def _s(value) -> str | None:
    return None if value is None else str(value)


def plan_compute(*, plan_input: PlanInput, as_of: date) -> dict:
    """The walk back, as a JSON-ready dict (what is shown is exactly what is saved and applied)."""
    team, month = plan_input.team, plan_input.month
    first, last = funnel.trailing_window(as_of)
    sums = funnel.team_sums(team_id=team.pk, first=first, last=last)
    trailing = {r.key: r for r in funnel.step_rates(sums)}
    rates = {}
    for key, num_stage, den_stage in funnel.STEPS:
        if key in plan_input.rates:
            rates[key] = {"rate": plan_input.rates[key], "source": "edited"}
        else:
            rates[key] = {"rate": trailing[key].rate, "source": trailing[key].source}
        rates[key].update(
            num=num_stage, den=den_stage, trailing=trailing[key].rate, trailing_source=trailing[key].source
        )

    if plan_input.avg_order_amount:
        amount, amount_source = plan_input.avg_order_amount, "edited"
    elif sums["orders"]:
        amount = (Decimal(sums["order_amount"]) / sums["orders"]).quantize(Decimal(1))
        amount_source = "history"
    else:
        amount, amount_source = DEFAULT_ORDER_AMOUNT, "benchmark"

    if plan_input.goal_kind == Plan.Goal.REVENUE:
        orders_exact = plan_input.goal_value / amount
    else:
        orders_exact = plan_input.goal_value
    required = _ceil(orders_exact)
    stages = [{"stage": "orders", "exact": _s(orders_exact), "required": required, "rate": None, "step": None}]
    for key, _num_stage, den_stage in reversed(funnel.STEPS):
        exact = Decimal(required) / rates[key]["rate"]
        required = _ceil(exact)
        stages.append(
            {
                "stage": den_stage,
                "exact": _s(exact.quantize(Decimal("0.01"))),
                "required": required,
                "rate": _s(rates[key]["rate"]),
                "step": key,
                "source": rates[key]["source"],
            }
        )
    stages.reverse()  # calls first
    counts = {s["stage"]: s["required"] for s in stages}

    reps = list(User.objects.filter(team=team, role=User.Role.REP, is_active=True).order_by("pk"))
    calendar = Calendar(min(first, month), periods.period_end(periods.MONTH, month))
    bdays = calendar.count(month, periods.period_end(periods.MONTH, month))
    per_rep_exact = Decimal(counts["calls"]) / (len(reps) * bdays) if reps and bdays else None
    per_rep = _ceil(per_rep_exact) if per_rep_exact is not None else None

    recent = None
    if sums["calls"] >= funnel.MIN_CALLS and reps:
        rep_days = len(reps) * calendar.count(first, last)
        recent = (Decimal(sums["calls"]) / rep_days).quantize(Decimal("0.1")) if rep_days else None
    capacity = recent if recent is not None else Decimal(funnel.BENCHMARK_CALLS_PER_DAY)
    if per_rep is None:
        verdict = "no_reps"
    elif per_rep <= capacity:
        verdict = "feasible"
    elif per_rep <= capacity * STRETCH:
        verdict = "stretch"
    else:
        verdict = "infeasible"

    targets = [{"kpi": s, "scope": "team", "scope_id": team.pk, "value": counts[s]} for s in funnel.STAGES]
    connect = rates["connect"]["rate"]
    targets.append({"kpi": "connect_rate", "scope": "team", "scope_id": team.pk, "value": _s(connect)})
    targets.append(
        {
            "kpi": "effective_call_rate",
            "scope": "team",
            "scope_id": team.pk,
            "value": _s((connect * rates["effective"]["rate"]).quantize(Decimal("0.0001"))),
        }
    )
    if per_rep is not None:
        for rep in reps:
            targets.append(
                {"kpi": "calls", "scope": "rep", "scope_id": rep.pk, "name": str(rep), "value": per_rep * bdays}
            )
            for kpi in REP_KPIS:
                targets.append(
                    {
                        "kpi": kpi,
                        "scope": "rep",
                        "scope_id": rep.pk,
                        "name": str(rep),
                        "value": _ceil(Decimal(counts[kpi]) / len(reps)),
                    }
                )
    return {
        "team_id": team.pk,
        "month": month.isoformat(),
        "as_of": as_of.isoformat(),
        "window": [first.isoformat(), last.isoformat()],
        "goal_kind": plan_input.goal_kind,
        "goal_value": _s(plan_input.goal_value),
        "avg_order_amount": {"value": _s(amount), "source": amount_source},
        "rates": {k: {**v, "rate": _s(v["rate"]), "trailing": _s(v["trailing"])} for k, v in rates.items()},
        "history": {k: int(sums[k]) for k in funnel.STAGES},
        "stages": stages,
        "reps": len(reps),
        "business_days": bdays,
        "calls_per_rep_day_exact": _s(per_rep_exact.quantize(Decimal("0.01")) if per_rep_exact else None),
        "calls_per_rep_day": per_rep,
        "recent_calls_per_rep_day": _s(recent),
        "benchmark_calls_per_day": funnel.BENCHMARK_CALLS_PER_DAY,
        "verdict": verdict,
        "leads_needed": [
            _ceil(Decimal(counts["calls"]) / TOUCHES_PER_LEAD[1]),
            _ceil(Decimal(counts["calls"]) / TOUCHES_PER_LEAD[0]),
        ],
        "targets": targets,
    }


def _rates_of(result: dict) -> dict:
    return {k: {"rate": v["rate"], "source": v["source"]} for k, v in result["rates"].items()} | {
        "avg_order_amount": result["avg_order_amount"]
    }


@transaction.atomic
def plan_save(*, plan_input: PlanInput, as_of: date, user: User | None) -> Plan:
    """Keep the computed plan as the next version of this team's plan for the month."""
    result = plan_compute(plan_input=plan_input, as_of=as_of)
    # Lock the team row so two saves cannot take the same version number.
    Team.objects.select_for_update().filter(pk=plan_input.team.pk).first()
    latest = Plan.objects.filter(team=plan_input.team, month=plan_input.month).aggregate(v=Max("version"))["v"]
    return Plan.objects.create(
        team=plan_input.team,
        month=plan_input.month,
        goal_kind=plan_input.goal_kind,
        goal_value=plan_input.goal_value,
        version=(latest or 0) + 1,
        rates=_rates_of(result),
        result=result,
        created_by=user,
    )


@transaction.atomic
def plan_apply(*, plan: Plan, user: User | None) -> int:
    """Create (or overwrite) the month's targets exactly as the saved plan shows them."""
    rows = [
        TargetRow(row["kpi"], row["scope"], row["scope_id"], periods.MONTH, plan.month, Decimal(str(row["value"])))
        for row in plan.result.get("targets", [])
    ]
    written = targets_write(rows=rows, user=user, plan=plan)
    plan.applied_at = timezone.now()
    plan.save(update_fields=["applied_at"])
    return written
