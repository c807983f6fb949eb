"""What a board's columns are and what each cell carries beyond target and actual: chosen sets of KPIs
(views), sorting by any column, the change against the previous period at the same elapsed point,
the definition versions each column was computed with, and the team's burn-up against its target.

Every function reads in a fixed number of queries, whatever the number of rows or columns.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Sum

from .. import catalog, periods
from ..models import MEASURE_FIELDS, Rollup
from .values import KpiValue, kpi_meta

# Board views: named sets of catalogue KPIs. "standard" is what boards showed before views existed.
VIEWS: dict[str, tuple[str, ...]] = {
    "standard": catalog.BOARD_KPIS,
    "activity": ("calls", "connects", "effective_calls", "work_hours", "calls_per_hour", "follow_ups"),
    "conversion": ("connect_rate", "effective_call_rate", "meeting_rate", "qualified_meeting_rate", "order_rate"),
    "approach": (
        "target_attempts",
        "target_connects",
        "target_connect_rate",
        "follow_ups",
        "connectors",
        "follow_up_connect_rate",
    ),
    "outcome": ("meetings", "qualified_meetings", "qualified_meeting_rate", "orders", "order_rate", "order_amount"),
    "marketing": ("emails_sent", "emails_delivered", "emails_opened", "open_rate", "permissions", "permission_rate"),
}
DEFAULT_VIEW = "standard"
CUSTOM_VIEW = "custom"
MAX_COLUMNS = 12


@dataclass(frozen=True)
class Columns:
    """The columns a board shows and how its rows are ordered."""

    view: str
    kpis: tuple[str, ...]
    sort: str = ""  # "" (by name), a KPI key (by actual) or "<kpi>.pace" (by attainment against pace)
    descending: bool = True

    @property
    def cache_variant(self) -> str:
        return f"{self.view}:{','.join(self.kpis)}:{self.sort}:{'d' if self.descending else 'a'}"

    @property
    def sort_kpi(self) -> str:
        return self.sort.split(".")[0]


def sort_rows(rows: list, columns: Columns) -> list:
    """Rows (each with .values in column order) by the chosen column; a row without a value goes last."""
    if not columns.sort or columns.sort_kpi not in columns.kpis:
        return rows
    index = columns.kpis.index(columns.sort_kpi)
    by_pace = columns.sort.endswith(".pace")

    def key(row):
        v = row.values[index]
        number = v.pace_attainment if by_pace else v.value
        return number is None, (-number if columns.descending else number) if number is not None else 0

    return sorted(rows, key=key)


# --- definition versions per column ---------------------------------------------------------------


@dataclass(frozen=True)
class ColumnVersions:
    label: str  # "v1", "v2", or "connects v1+v2" when the period spans a change
    spans_change: bool


def column_versions(versions: dict) -> ColumnVersions:
    """The versions a column's numbers come from: one short label when every measure used one version."""
    if not versions:
        return ColumnVersions("", False)
    spans = any(len(nums) > 1 for nums in versions.values())
    distinct = {tuple(nums) for nums in versions.values()}
    if not spans and len(distinct) == 1:
        return ColumnVersions(f"v{next(iter(distinct))[0]}", False)
    label = ", ".join(f"{k} v{'+v'.join(str(n) for n in nums)}" for k, nums in sorted(versions.items()))
    return ColumnVersions(label, spans)


# --- the change against the previous period -------------------------------------------------------


def previous_window(granularity: str, first: date, as_of: date, calendar=None) -> tuple[date, date]:
    """The previous period up to the same elapsed point.

    For a period still running on `as_of`, the previous period up to the day on which as many business
    days had passed as have passed now (so 3 working days of December meet 3 working days of November,
    not November 1-3 with its Sunday and holiday); without a calendar, the same number of calendar days.
    Capped at the previous period's end. A finished period meets the whole previous period.
    """
    if granularity == periods.DAY:
        # A day meets the business day before it, whole (day rollups have no hours): Monday meets
        # Friday, not Sunday.
        before = calendar.business_days(first - timedelta(days=7), first - timedelta(days=1)) if calendar else []
        previous = before[-1] if before else first - timedelta(days=1)
        return previous, previous
    prev_first = periods.period_start(granularity, first - timedelta(days=1))
    prev_end = periods.period_end(granularity, prev_first)
    last = periods.period_end(granularity, first)
    if not first <= as_of <= last:
        return prev_first, prev_end
    if calendar is None:
        return prev_first, min(prev_end, prev_first + (as_of - first))
    elapsed = calendar.count(first, as_of)
    days = calendar.business_days(prev_first, prev_end)
    if elapsed == 0:  # nothing worked yet: compare with the previous period before its first business day
        return prev_first, (days[0] - timedelta(days=1)) if days else prev_end
    return prev_first, days[elapsed - 1] if elapsed <= len(days) else prev_end


def previous_values(
    *, kpis, scope: str, scope_ids, granularity: str, first: date, as_of: date, timeline, calendar=None
) -> dict[int, list]:
    """{scope_id: [previous value per KPI]} summed from day rollups of the previous window (1 query)."""
    prev_first, prev_last = previous_window(granularity, first, as_of, calendar)
    rows = (
        Rollup.objects.filter(
            granularity=periods.DAY,
            scope=scope,
            scope_id__in=list(scope_ids),
            period_start__range=(prev_first, prev_last),
        )
        .values("scope_id")
        .annotate(**{f: Sum(f) for f in MEASURE_FIELDS})
    )
    sums = {r["scope_id"]: r for r in rows}
    metas = {k: kpi_meta(kpi=k, first=prev_first, last=prev_last, timeline=timeline) for k in kpis}
    out = {}
    for scope_id in scope_ids:
        found = sums.get(scope_id) or {}
        measures = {f: found.get(f) or 0 for f in MEASURE_FIELDS}
        out[scope_id] = [catalog.get(k).compute(measures, metas[k].denominator)[2] for k in kpis]
    return out


@dataclass(frozen=True)
class Delta:
    kpi: str
    change: Decimal | int | None  # None: either side has no value

    @property
    def direction(self) -> str:
        if not self.change:
            return "flat"
        better = (self.change > 0) == (catalog.get(self.kpi).direction == catalog.HIGHER)
        return "up" if better else "down"


def deltas(values: list[KpiValue], previous: list) -> list[Delta]:
    return [
        Delta(v.kpi, None if v.value is None or p is None else v.value - p)
        for v, p in zip(values, previous, strict=True)
    ]


# --- the team's burn-up --------------------------------------------------------------------------


@dataclass(frozen=True)
class BurnUp:
    kpi: str
    days: list[date]
    actual: list[int | None]  # cumulative; None for days after as_of
    target: list[Decimal]  # cumulative share of the period's target by each day's end
    total_target: Decimal | None


def burn_up(
    *, kpi: str, scope: str, scope_id: int, first: date, last: date, as_of: date, target: Decimal | None, calendar
) -> BurnUp:
    """Cumulative daily actual of a count KPI against the period's target spread over business days (1 query)."""
    daily = dict(
        Rollup.objects.filter(
            granularity=periods.DAY, scope=scope, scope_id=scope_id, period_start__range=(first, last)
        ).values_list("period_start", catalog.get(kpi).numerator)
    )
    days = list(periods.iter_days(first, last))
    business = set(calendar.business_days(first, last))
    per_day = Decimal(target) / len(business) if target and business else Decimal(0)
    actual, planned, running, done = [], [], 0, 0
    for day in days:
        running += daily.get(day) or 0
        actual.append(running if day <= as_of else None)
        if day in business:
            done += 1
        planned.append(round(per_day * done, 1))
    return BurnUp(kpi, days, actual, planned, Decimal(target) if target else None)


# --- the boards as pages read them --------------------------------------------------------------


def computed_kpis(columns: Columns) -> tuple[str, ...]:
    """The shown columns, then what every view needs besides: the activity KPIs a row's colour follows
    and meetings for the leaders list (so the red count and the leaders do not change with the view)."""
    extra = tuple(k for k in (*catalog.STATUS_KPIS, "meetings") if k not in columns.kpis)
    return columns.kpis + tuple(dict.fromkeys(extra))


@dataclass(frozen=True)
class BoardLine:
    """One row as a page shows it: the row (rep or team) and its columns' values and changes."""

    row: object
    values: list[KpiValue]
    deltas: list[Delta]

    @property
    def status(self) -> str:
        return self.row.status


@dataclass(frozen=True)
class BoardPage:
    columns: Columns
    lines: list[BoardLine]
    totals: list[KpiValue]
    total_deltas: list[Delta]
    versions: list[ColumnVersions]
    previous: tuple[date, date]
    rows: list  # every computed KPI per row, for leaders and the red count


def board_page(
    *,
    columns: Columns,
    rows: list,
    totals: list,
    scope: str,
    ids,
    total_scope,
    total_id,
    granularity,
    first: date,
    as_of: date,
    timeline,
    calendar=None,
) -> BoardPage:
    """Rows and totals cut to the shown columns, with their changes, sorted as asked (2 queries)."""
    n = len(columns.kpis)
    common = dict(granularity=granularity, first=first, as_of=as_of, timeline=timeline, calendar=calendar)
    prev = previous_values(kpis=columns.kpis, scope=scope, scope_ids=ids, **common)
    prev_total = previous_values(kpis=columns.kpis, scope=total_scope, scope_ids=[total_id], **common)[total_id]
    lines = [
        BoardLine(row, row.values[:n], deltas(row.values[:n], prev[row_id]))
        for row, row_id in zip(rows, ids, strict=True)
    ]
    return BoardPage(
        columns=columns,
        lines=sort_rows(lines, columns),
        totals=totals[:n],
        total_deltas=deltas(totals[:n], prev_total),
        versions=[column_versions(v.definition_versions) for v in totals[:n]],
        previous=previous_window(granularity, first, as_of, calendar),
        rows=rows,
    )


@dataclass(frozen=True)
class TeamTrend:
    kpi: str
    weeks: list[date]
    series: list[tuple[object, list]]  # (team, [value per week])


def team_trend(*, kpi: str, teams: list, as_of: date, timeline, weeks: int = 12) -> TeamTrend:
    """A KPI per team for the last `weeks` ISO weeks up to as_of's week, from week rollups (1 query)."""
    spec = catalog.get(kpi)
    last = periods.week_start(as_of)
    starts = [last - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    denominator = kpi_meta(kpi=kpi, first=starts[0], last=as_of, timeline=timeline).denominator
    fields = tuple(dict.fromkeys((spec.numerator, *denominator)))
    rows = Rollup.objects.filter(
        granularity=periods.WEEK,
        scope="team",
        scope_id__in=[t.pk for t in teams],
        period_start__range=(starts[0], last),
    ).values_list("scope_id", "period_start", *fields)
    found = {(r[0], r[1]): dict(zip(fields, r[2:], strict=True)) for r in rows}
    series = [
        (team, [spec.compute(found.get((team.pk, week), {}), denominator)[2] for week in starts]) for team in teams
    ]
    return TeamTrend(kpi, starts, series)
