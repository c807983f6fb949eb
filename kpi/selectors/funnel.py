"""The funnel read from rollups: calls -> connects -> effective calls -> meetings -> qualified -> orders.

Step rates are ratios of summed counts (never means of daily ratios). Benchmarks: DESIGN.md gives the
call figures only (about 50% of calls connect for >= 1 s, about 20% talk for >= 2 min, so 40% of
connects become effective conversations, and 34 calls a rep a day). The later steps have no published
figure; the values below are this product's own defaults and the UI labels them as such.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Sum

from .. import periods
from ..models import MEASURE_FIELDS, Rollup

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


def team_sums(*, team_id: int, first: date, last: date) -> dict:
    """Summed day rollups of one team over [first, last]."""
    sums = Rollup.objects.filter(
        granularity=periods.DAY, scope="team", scope_id=team_id, period_start__range=(first, last)
    ).aggregate(**{f: Sum(f) for f in MEASURE_FIELDS})
    return {k: (v or 0) for k, v in sums.items()}


def trailing_window(as_of: date) -> tuple[date, date]:
    """The 90 days before as_of (as_of itself is still in progress)."""
    return as_of - timedelta(days=TRAILING_DAYS), as_of - timedelta(days=1)


def step_rates(sums: dict) -> list[StepRate]:
    """Each step's rate from history, or the benchmark where history is too thin (fewer than 200 calls
    in all, or fewer than the step's minimum denominator)."""
    thin = (sums.get("calls") or 0) < MIN_CALLS
    out = []
    for key, num_stage, den_stage in STEPS:
        num, den = int(sums.get(num_stage) or 0), int(sums.get(den_stage) or 0)
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
        den = sums.get(den_stage) or 0
        out[key] = (Decimal(sums.get(num_stage) or 0) / Decimal(den)) if den else None
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
