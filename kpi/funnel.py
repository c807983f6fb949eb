"""The funnel's arithmetic: calls -> connects -> effective calls -> meetings -> qualified -> orders.

Pure: no models, no queries; every count comes in (kpi/selectors/funnel.py reads them from rollups).
Step rates are ratios of summed counts (never means of daily ratios). Benchmarks: DESIGN.md gives the
call figures only (about 50% of calls connect for >= 1 s, about 20% talk for >= 2 min, so 40% of
connects become effective conversations, and 34 calls a rep a day). The later steps have no published
figure; the values below are this product's own defaults and the UI labels them as such.
"""

import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from . import catalog

STAGES = ("calls", "connects", "effective_calls", "meetings", "qualified_meetings", "orders")
# (step key, numerator stage, denominator stage)
STEPS = (
    ("connect", "connects", "calls"),
    ("effective", "effective_calls", "connects"),
    ("meeting", "meetings", "effective_calls"),
    ("qualified", "qualified_meetings", "meetings"),
    ("win", "orders", "qualified_meetings"),
)
BENCHMARK_RATES = {
    "connect": Decimal("0.50"),  # DESIGN.md (amptalk): >= 1 s
    "effective": Decimal("0.40"),  # DESIGN.md: 20% of calls >= 2 min, i.e. 0.20 / 0.50 of connects
    "meeting": Decimal("0.10"),  # product default: 1 appointment per 10 real conversations
    "qualified": Decimal("0.60"),  # product default: FS judges 6 in 10 meetings worth pursuing
    "win": Decimal("0.30"),  # product default: 3 in 10 qualified meetings close
}
# The FS-judged steps count only matured cohorts: meetings still waiting for FS leave the qualified
# step's denominator, qualified meetings not yet won or lost the win step's (sums carry the counts).
PENDING_OF_STEP = {"qualified": catalog.AWAITING_FS, "win": catalog.OPEN_QUALIFIED}
FROM_DESIGN = frozenset({"connect", "effective"})
BENCHMARK_CALLS_PER_DAY = 34
# History thinner than this is not trusted for a step's rate; the benchmark is used instead.
MIN_CALLS = 200
MIN_DENOMINATOR = {"connect": 200, "effective": 50, "meeting": 30, "qualified": 10, "win": 10}
TRAILING_DAYS = 90


@dataclass(frozen=True)
class StepRate:
    key: str
    numerator: str
    denominator: str
    rate: Decimal
    source: str  # "history" | "benchmark"
    num: int
    den: int


def step_counts(sums: dict, key: str, num_stage: str, den_stage: str) -> tuple[int, int]:
    """(numerator, denominator) of a step, the denominator without its pending meetings."""
    den = int(sums.get(den_stage) or 0) - int(sums.get(PENDING_OF_STEP.get(key, ""), 0) or 0)
    return int(sums.get(num_stage) or 0), max(den, 0)


def pending_of(sums: dict, key: str) -> int:
    """How many meetings of a step's cohort still wait for their outcome."""
    return int(sums.get(PENDING_OF_STEP.get(key, ""), 0) or 0)


def trailing_window(as_of: date) -> tuple[date, date]:
    """The 90 days before as_of (as_of itself is still in progress)."""
    return as_of - timedelta(days=TRAILING_DAYS), as_of - timedelta(days=1)


def step_rates(sums: dict) -> list[StepRate]:
    """Each step's rate from history, or the benchmark where history is too thin (fewer than 200 calls
    in all, or fewer than the step's minimum denominator)."""
    thin = (sums.get("calls") or 0) < MIN_CALLS
    out = []
    for key, num_stage, den_stage in STEPS:
        num, den = step_counts(sums, key, num_stage, den_stage)
        if thin or den < MIN_DENOMINATOR[key] or num == 0:
            out.append(StepRate(key, num_stage, den_stage, BENCHMARK_RATES[key], "benchmark", num, den))
        else:
            rate = (Decimal(num) / Decimal(den)).quantize(Decimal("0.0001"))
            out.append(StepRate(key, num_stage, den_stage, rate, "history", num, den))
    return out


def actual_rates(sums: dict) -> dict:
    """{step: rate or None} from summed counts, with no benchmark fallback."""
    out = {}
    for key, num_stage, den_stage in STEPS:
        num, den = step_counts(sums, key, num_stage, den_stage)
        out[key] = (Decimal(num) / Decimal(den)) if den else None
    return out


def bottleneck(rates: dict, reference: dict) -> str | None:
    """The step furthest below its reference rate (actual / reference lowest, and under 1)."""
    worst, worst_ratio = None, Decimal(1)
    for key, _, _ in STEPS:
        actual, ref = rates.get(key), reference.get(key)
        if actual is None or not ref:
            continue
        ratio = Decimal(actual) / Decimal(ref)
        if ratio < worst_ratio:
            worst, worst_ratio = key, ratio
    return worst


def judged(rates: dict, sums: dict) -> dict:
    """The rates whose denominator reached the step's minimum: a step with fewer attempts cannot be
    called the bottleneck yet."""
    return {k: rates.get(k) for k, n, d in STEPS if step_counts(sums, k, n, d)[1] >= MIN_DENOMINATOR[k]}


HINT_FACTOR = Decimal("0.8")
HINT_MIN_SAMPLE = 20


def diagnosis(sums: dict) -> str:
    """Where a subject's funnel leaks, walking it in order: the first step clearly under its benchmark
    (below 80% of it) names the cause. connect: calling hours and list quality; effective: the talk
    script; meeting: hearing and closing; volume when those rates hold."""
    rates = actual_rates(sums)
    for key, _num, den in STEPS[:3]:
        # A step with too few attempts says nothing yet: 8 conversations without a meeting is noise.
        if (sums.get(den) or 0) < HINT_MIN_SAMPLE:
            continue
        if rates[key] is not None and rates[key] < BENCHMARK_RATES[key] * HINT_FACTOR:
            return key
    return "volume"


# --- the walk back from a goal to calls per rep per business day ---------------------------------
# Every required count is rounded UP (ceil) at each step, and the next step divides the rounded count,
# because half a meeting cannot be booked; the exact figures are kept next to the rounded ones.

STRETCH = Decimal("1.15")  # up to 15% above recent capacity is a stretch, beyond that not feasible
DEFAULT_ORDER_AMOUNT = Decimal(1_000_000)  # used only when the team has no orders in 90 days
TOUCHES_PER_LEAD = (3, 5)  # DESIGN.md: 3-5 touches per prospect
REP_KPIS = ("connects", "effective_calls", "meetings", "qualified_meetings", "orders")
GOAL_REVENUE = "revenue"


def _ceil(value: Decimal) -> int:
    return math.ceil(value)


def _s(value) -> str | None:
    return None if value is None else str(value)


def walk_back(*, orders: Decimal, rates: dict) -> list[dict]:
    """From an orders goal (exact, maybe fractional) back through every step: calls first. `rates` is
    {step: {"rate": Decimal, "source": str}}."""
    required = _ceil(orders)
    # A revenue goal divided by the average order gives a long fraction: 2 places, like the other steps.
    exact_orders = orders if orders == orders.to_integral_value() else orders.quantize(Decimal("0.01"))
    stages = [{"stage": "orders", "exact": _s(exact_orders), "required": required, "rate": None, "step": None}]
    for key, _num_stage, den_stage in reversed(STEPS):
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
    stages.reverse()
    return stages


def calls_per_rep_day(*, calls: int, reps: int, business_days: int) -> Decimal | None:
    """Exact calls each rep makes each business day; None without reps or business days."""
    return Decimal(calls) / (reps * business_days) if reps and business_days else None


def verdict(*, per_rep: int | None, capacity: Decimal) -> str:
    if per_rep is None:
        return "no_reps"
    if per_rep <= capacity:
        return "feasible"
    if per_rep <= capacity * STRETCH:
        return "stretch"
    return "infeasible"


def plan_rates(*, trailing: list[StepRate], edited: dict) -> dict:
    """{step: rate, source, the trailing rate beside it}: the edited rate where there is one."""
    by_key = {r.key: r for r in trailing}
    rates = {}
    for key, num_stage, den_stage in STEPS:
        t = by_key[key]
        rate = {"rate": edited[key], "source": "edited"} if key in edited else {"rate": t.rate, "source": t.source}
        rates[key] = {**rate, "num": num_stage, "den": den_stage, "trailing": t.rate, "trailing_source": t.source}
    return rates


def order_amount(*, edited: Decimal | None, sums: dict) -> tuple[Decimal, str]:
    """(average order amount, its source): edited, the trailing history, or the assumed default."""
    if edited:
        return edited, "edited"
    if sums["orders"]:
        return (Decimal(sums["order_amount"]) / sums["orders"]).quantize(Decimal(1)), "history"
    return DEFAULT_ORDER_AMOUNT, "benchmark"


@dataclass(frozen=True)
class PlanFacts:
    """Everything a plan is computed from, read beforehand (kpi/selectors/plans.py plan_preview)."""

    team_id: int
    month: date
    as_of: date
    window: tuple[date, date]
    goal_kind: str
    goal_value: Decimal
    edited_rates: dict
    edited_amount: Decimal | None
    sums: dict  # the team's trailing counts
    reps: list[tuple[int, str]]  # (pk, name) of the active reps
    business_days: int  # in the month planned
    trailing_business_days: int  # in the window


def plan_result(facts: PlanFacts) -> dict:
    """The walk back as a JSON-ready dict (what is shown is exactly what is saved and applied)."""
    sums, team_id, reps = facts.sums, facts.team_id, facts.reps
    rates = plan_rates(trailing=step_rates(sums), edited=facts.edited_rates)
    amount, amount_source = order_amount(edited=facts.edited_amount, sums=sums)
    orders = facts.goal_value / amount if facts.goal_kind == GOAL_REVENUE else facts.goal_value
    stages = walk_back(orders=orders, rates=rates)
    counts = {s["stage"]: s["required"] for s in stages}
    bdays = facts.business_days
    per_rep_exact = calls_per_rep_day(calls=counts["calls"], reps=len(reps), business_days=bdays)
    per_rep = _ceil(per_rep_exact) if per_rep_exact is not None else None
    recent = None
    if sums["calls"] >= MIN_CALLS and reps:
        rep_days = len(reps) * facts.trailing_business_days
        recent = (Decimal(sums["calls"]) / rep_days).quantize(Decimal("0.1")) if rep_days else None
    capacity = recent if recent is not None else Decimal(BENCHMARK_CALLS_PER_DAY)
    first, last = facts.window
    return {
        "team_id": team_id,
        "month": facts.month.isoformat(),
        "as_of": facts.as_of.isoformat(),
        "window": [first.isoformat(), last.isoformat()],
        "goal_kind": facts.goal_kind,
        "goal_value": _s(facts.goal_value),
        "avg_order_amount": {"value": _s(amount), "source": amount_source},
        "rates": {k: {**v, "rate": _s(v["rate"]), "trailing": _s(v["trailing"])} for k, v in rates.items()},
        "history": {k: int(sums[k]) for k in STAGES},
        "stages": stages,
        "reps": len(reps),
        "business_days": bdays,
        "calls_per_rep_day_exact": _s(per_rep_exact.quantize(Decimal("0.01")) if per_rep_exact else None),
        "calls_per_rep_day": per_rep,
        "recent_calls_per_rep_day": _s(recent),
        "benchmark_calls_per_day": BENCHMARK_CALLS_PER_DAY,
        "verdict": verdict(per_rep=per_rep, capacity=capacity),
        "leads_needed": [
            _ceil(Decimal(counts["calls"]) / TOUCHES_PER_LEAD[1]),
            _ceil(Decimal(counts["calls"]) / TOUCHES_PER_LEAD[0]),
        ],
        "targets": plan_targets(team_id=team_id, counts=counts, rates=rates, reps=reps, per_rep=per_rep, bdays=bdays),
    }


def plan_targets(*, team_id: int, counts: dict, rates: dict, reps: list, per_rep: int | None, bdays: int) -> list:
    """The month's targets the plan writes when applied: the team's counts and rates, each rep's share."""
    targets = [{"kpi": s, "scope": "team", "scope_id": team_id, "value": counts[s]} for s in STAGES]
    connect = rates["connect"]["rate"]
    targets.append({"kpi": "connect_rate", "scope": "team", "scope_id": team_id, "value": _s(connect)})
    effective = (connect * rates["effective"]["rate"]).quantize(Decimal("0.0001"))
    targets.append({"kpi": "effective_call_rate", "scope": "team", "scope_id": team_id, "value": _s(effective)})
    if per_rep is None:
        return targets
    for pk, name in reps:
        targets.append({"kpi": "calls", "scope": "rep", "scope_id": pk, "name": name, "value": per_rep * bdays})
        for kpi in REP_KPIS:
            share = _ceil(Decimal(counts[kpi]) / len(reps))
            targets.append({"kpi": kpi, "scope": "rep", "scope_id": pk, "name": name, "value": share})
    return targets
