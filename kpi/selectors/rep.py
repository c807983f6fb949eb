"""What the rep page shows: one KPI's daily or weekly trend against target and pace over the last
months, the rep's funnel next to the team's, the rep's weekday x hour connect heatmap, open review
items about the rep, and the rep's calls. Rollups only, except the call list (the calls themselves).
A fixed number of queries whatever the period or the rep's history."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from accounts.models import User

from .. import funnel, periods
from ..models import MEASURE_FIELDS, CallLog, ReviewItem, Rollup
from .heatmap import Cell, connect_heatmap
from .reviews import items_visible_to
from .values import KpiValue, kpi_series

TREND_MONTHS = 3  # the trend covers this month and the two before it
HEATMAP_WEEKS = 8
MIN_HEAT_CALLS = 10  # a cell with fewer calls shows its counts but no colour: one call is not a rate


@dataclass(frozen=True)
class FunnelStage:
    stage: str
    rep: int
    team: int


@dataclass(frozen=True)
class FunnelStep:
    key: str
    rep: Decimal | None
    team: Decimal | None


@dataclass(frozen=True)
class RepFunnel:
    first: date
    last: date
    stages: list[FunnelStage]
    steps: list[FunnelStep]


@dataclass(frozen=True)
class HeatCell:
    weekday: int
    hour: int
    calls: int
    connects: int

    @property
    def rate(self) -> Decimal | None:
        """None below the minimum sample: the cell is shown with its counts, uncoloured."""
        return Decimal(self.connects) / self.calls if self.calls >= MIN_HEAT_CALLS else None


@dataclass(frozen=True)
class RepPage:
    rep: User
    kpi: str
    granularity: str
    trend: list[KpiValue]
    funnel: RepFunnel
    hours: list[int]
    heat: list[tuple[int, list[HeatCell]]]  # (weekday, cells by hour)
    heat_first: date
    heat_last: date


def trend_start(as_of: date) -> date:
    month = periods.month_start(as_of)
    for _ in range(TREND_MONTHS - 1):
        month = periods.month_start(month - timedelta(days=1))
    return month


def _sums(scope: str, scope_id: int, first: date, last: date) -> dict:
    return {
        k: v or 0
        for k, v in Rollup.objects.filter(
            granularity=periods.DAY, scope=scope, scope_id=scope_id, period_start__range=(first, last)
        )
        .aggregate(**{f: Sum(f) for f in MEASURE_FIELDS})
        .items()
    }


def _rate(sums: dict, num: str, den: str) -> Decimal | None:
    return Decimal(sums[num]) / sums[den] if sums[den] else None


def rep_funnel(*, rep: User, first: date, last: date) -> RepFunnel:
    """The rep's and the rep's team's funnel over [first, last], from day rollups (2 queries)."""
    mine = _sums("rep", rep.pk, first, last)
    team = _sums("team", rep.team_id, first, last) if rep.team_id else dict.fromkeys(MEASURE_FIELDS, 0)
    return RepFunnel(
        first,
        last,
        [FunnelStage(s, int(mine[s]), int(team[s])) for s in funnel.STAGES],
        [FunnelStep(key, _rate(mine, n, d), _rate(team, n, d)) for key, n, d in funnel.STEPS],
    )


def rep_heatmap(*, rep: User, as_of: date) -> tuple[list[int], list[tuple[int, list[HeatCell]]], date, date]:
    """The last HEATMAP_WEEKS weeks' calls and connects per weekday and hour (1 query); weekdays always,
    the weekend only when the rep called then."""
    first, last = as_of - timedelta(weeks=HEATMAP_WEEKS) + timedelta(days=1), as_of
    hours, cells = connect_heatmap(rep_ids=[rep.pk], first=first, last=last)
    empty = Cell(0, 0)
    grid = [
        (w, [HeatCell(w, h, cells.get((w, h), empty).calls, cells.get((w, h), empty).connects) for h in hours])
        for w in range(7)
        if w < 5 or any((w, h) in cells for h in hours)
    ]
    return hours, grid, first, last


def rep_page(*, rep: User, kpi: str, granularity: str, as_of: date) -> RepPage:
    """Everything the rep page draws, in a fixed number of queries (7)."""
    trend = kpi_series(
        kpi=kpi,
        scope="rep",
        scope_id=rep.pk,
        granularity=granularity,
        start=trend_start(as_of),
        end=as_of,
        as_of=as_of,
        workdays=rep.workday_set,
    )
    month = periods.month_start(as_of)
    hours, heat, heat_first, heat_last = rep_heatmap(rep=rep, as_of=as_of)
    return RepPage(
        rep=rep,
        kpi=kpi,
        granularity=granularity,
        trend=trend,
        funnel=rep_funnel(rep=rep, first=month, last=as_of),
        hours=hours,
        heat=heat,
        heat_first=heat_first,
        heat_last=heat_last,
    )


def rep_review_items(*, viewer: User, rep: User, limit: int = 20) -> list[ReviewItem]:
    """Open review items about the rep that the viewer may see (kpi/permissions.py decides), newest first."""
    return list(
        items_visible_to(viewer)
        .filter(scope="rep", scope_id=rep.pk, status=ReviewItem.Status.OPEN)
        .order_by("-opened_at", "-pk")[:limit]
    )


def rep_calls(*, rep: User, day: date | None = None, result: str = "", lead: str = "") -> QuerySet[CallLog]:
    """The rep's calls, newest first; narrowed to a local day, a result, or a lead (id or company)."""
    calls = CallLog.objects.filter(rep=rep).select_related("lead").order_by("-local_date", "-started_at", "-pk")
    if day is not None:
        calls = calls.filter(local_date=day)
    if result:
        calls = calls.filter(result=result)
    if lead:
        calls = calls.filter(Q(lead_external_id__icontains=lead) | Q(lead__company__icontains=lead))
    return calls
