"""Everything the manager's weekly review shows, read at once: the month's funnel against the plan (or
the benchmark) with its bottleneck, last week against this week, the reps' board, the open items and
the weekday x hour connect rates."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from accounts.models import Team

from .. import funnel, periods
from ..models import ReviewItem
from . import heatmap
from .boards import team_board
from .funnel import team_sums
from .plans import latest_plan
from .reviews import HINTS, open_items_of, subject_labels

HEATMAP_DAYS = 56  # eight weeks: enough calls per weekday x hour cell to mean something


@dataclass(frozen=True)
class FunnelStep:
    key: str
    num: str
    den: str
    actual: Decimal | None
    reference: Decimal | None
    is_bottleneck: bool


@dataclass(frozen=True)
class OpenItem:
    item: ReviewItem
    subject: str
    hint: str


@dataclass(frozen=True)
class WeeklyReview:
    team: Team
    as_of: date
    this_week: date
    last_week: date
    month: date
    month_sums: dict  # the month's counts so far, by stage
    steps: list[FunnelStep]  # the month's rates against the reference
    bottleneck: str | None  # the step furthest below its reference, among those with enough attempts
    reference: str  # "plan" (the month's latest plan) or "benchmark"
    compare: list[dict]  # {stage, last, this}: counts, last week against this week
    rate_compare: list[dict]  # {key, last, this}: rates, last week against this week
    rows: list  # the reps' month board
    totals: object
    week_totals: object
    items: list[OpenItem]
    hours: list[int]
    cells: dict  # {(weekday, hour): cell}
    best_hours: list

    @property
    def stages(self) -> list[dict]:
        return [{"stage": s, "count": int(self.month_sums[s] or 0)} for s in funnel.STAGES]


def funnel_steps(*, month_sums: dict, reference: dict) -> tuple[list[FunnelStep], str | None]:
    """The month's step rates against the reference and the bottleneck (steps with fewer attempts than
    their minimum sample cannot be it yet)."""
    rates = funnel.actual_rates(month_sums)
    bottleneck = funnel.bottleneck(funnel.judged(rates, month_sums), reference)
    steps = [FunnelStep(k, n, d, rates[k], reference.get(k), k == bottleneck) for k, n, d in funnel.STEPS]
    return steps, bottleneck


def weekly_review_for(*, team: Team, week_start: date, as_of: date) -> WeeklyReview:
    last_week, month = week_start - timedelta(days=7), periods.month_start(as_of)
    this_sums = team_sums(team_id=team.pk, first=week_start, last=as_of)
    last_sums = team_sums(team_id=team.pk, first=last_week, last=week_start - timedelta(days=1))
    month_sums = team_sums(team_id=team.pk, first=month, last=as_of)
    plan = latest_plan(team_id=team.pk, month=month)
    if plan is not None:
        reference = {k: Decimal(v["rate"]) for k, v in plan.result.get("rates", {}).items()}
    else:
        reference = dict(funnel.BENCHMARK_RATES)
    steps, bottleneck = funnel_steps(month_sums=month_sums, reference=reference)
    rows, totals = team_board(team=team, granularity=periods.MONTH, day=month, as_of=as_of)
    _week_rows, week_totals = team_board(team=team, granularity=periods.WEEK, day=week_start, as_of=as_of)
    hours, cells = heatmap.connect_heatmap(
        rep_ids=[r.rep.pk for r in rows], first=as_of - timedelta(days=HEATMAP_DAYS), last=as_of
    )
    last_rates, this_rates = funnel.actual_rates(last_sums), funnel.actual_rates(this_sums)
    items = open_items_of(team=team)
    labels = subject_labels(items)
    return WeeklyReview(
        team=team,
        as_of=as_of,
        this_week=week_start,
        last_week=last_week,
        month=month,
        month_sums=month_sums,
        steps=steps,
        bottleneck=bottleneck,
        reference="plan" if plan is not None else "benchmark",
        compare=[{"stage": s, "last": int(last_sums[s] or 0), "this": int(this_sums[s] or 0)} for s in funnel.STAGES],
        rate_compare=[{"key": k, "last": last_rates[k], "this": this_rates[k]} for k, _n, _d in funnel.STEPS],
        rows=rows,
        totals=totals,
        week_totals=week_totals,
        items=[OpenItem(i, labels[i.pk], HINTS.get(i.hint, "")) for i in items],
        hours=hours,
        cells=cells,
        best_hours=heatmap.best_hours(cells),
    )
