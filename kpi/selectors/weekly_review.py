"""Everything the manager's weekly review shows, read at once, for any week: the month's funnel against
the plan (or the benchmark) with its bottleneck, the week before against the week, the reps' board,
the items open at the week's end, the re-checks that fell in the week (and any still overdue), the
outcome of the items opened the week before, and the weekday x hour connect rates. A past week is
read through its Sunday; the current one through today.

team_week (the Monday digest) is the week's team totals and review counts, without the heavy parts."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import F, Q

from accounts.models import Team

from .. import funnel, periods
from ..models import ReviewItem
from . import heatmap
from .boards import team_board
from .funnel import team_sums
from .plans import latest_plan
from .reviews import HINTS, item_checks, rechecks_due_among, subject_labels, with_recheck

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
class Recheck:
    item: ReviewItem
    subject: str
    recheck_on: date
    rechecked_on: date | None  # None: still due
    attainment_pct: Decimal | None  # of the latest re-check
    recovered: bool | None


@dataclass(frozen=True)
class Outcome:
    item: ReviewItem
    subject: str
    attainment_pct: Decimal | None  # now: of the latest re-check, None when never re-checked
    state: str  # "closed" | "recovered" | "open"


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
    rechecks: list[Recheck]
    outcomes: list[Outcome]
    is_current: bool
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


def open_at(*, team: Team, moment_day: date):
    """The team's items open at the end of `moment_day` (opened by then, not closed by then)."""
    end = _end_of(moment_day)
    return ReviewItem.objects.filter(team=team, opened_at__lt=end).filter(
        Q(status=ReviewItem.Status.OPEN) | Q(closed_at__gte=end)
    )


def _end_of(day: date) -> datetime:
    """Midnight after `day`, Tokyo time."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=periods.org_tz())


def _latest_checks(items: list[ReviewItem]) -> dict:
    latest = {}
    for item in items:
        checks = item_checks(item)
        if checks:
            latest[item.pk] = checks[-1]
    return latest


def week_rechecks(*, team: Team, week_start: date, is_current: bool) -> list[Recheck]:
    """Re-checks whose date fell in the week (and, for the current week, any still overdue), with their
    outcome when they ran."""
    items = with_recheck(ReviewItem.objects.filter(team=team))
    window = Q(recheck_on__range=(week_start, week_start + timedelta(days=6)))
    if is_current:
        window |= Q(recheck_on__lt=week_start, status=ReviewItem.Status.OPEN) & (
            Q(rechecked_on__isnull=True) | Q(rechecked_on__lt=F("recheck_on"))
        )
    found = list(items.filter(window).order_by("recheck_on", "pk"))
    labels, latest = subject_labels(found), _latest_checks(found)
    rows = []
    for item in found:
        ran = item.rechecked_on if item.rechecked_on and item.rechecked_on >= item.recheck_on else None
        check = latest.get(item.pk) if ran else None
        rows.append(
            Recheck(
                item,
                labels[item.pk],
                item.recheck_on,
                ran,
                check.attainment_pct if check else None,
                check.recovered if check else None,
            )
        )
    return rows


def week_outcomes(*, team: Team, week_start: date) -> list[Outcome]:
    """The items opened in the week before `week_start` and where they stand now."""
    first = week_start - timedelta(days=7)
    opened = list(
        ReviewItem.objects.filter(
            team=team,
            opened_at__gte=_end_of(first - timedelta(days=1)),
            opened_at__lt=_end_of(week_start - timedelta(days=1)),
        ).order_by("opened_at", "pk")
    )
    labels, latest = subject_labels(opened), _latest_checks(opened)
    rows = []
    for item in opened:
        check = latest.get(item.pk)
        state = "recovered" if item.recovered_on else "open"
        if item.status == ReviewItem.Status.CLOSED:
            state = "closed"
        rows.append(Outcome(item, labels[item.pk], check.attainment_pct if check else None, state))
    return rows


def weekly_review_for(*, team: Team, week_start: date, as_of: date) -> WeeklyReview:
    """The review of the week starting `week_start`, read through `as_of` (its Sunday, or today)."""
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
    is_current = as_of >= periods.today()
    items = list(open_at(team=team, moment_day=as_of).select_related("team").order_by("-opened_at", "-pk"))
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
        rechecks=week_rechecks(team=team, week_start=week_start, is_current=is_current),
        outcomes=week_outcomes(team=team, week_start=week_start),
        is_current=is_current,
        hours=hours,
        cells=cells,
        best_hours=heatmap.best_hours(cells),
    )


@dataclass(frozen=True)
class TeamWeek:
    """A team's week as the Monday digest tells it."""

    team: Team
    week_start: date
    week_end: date
    totals: list  # the team's board KPIs for the week (value, target, attainment)
    opened: int  # review items opened in the week
    open_now: int
    rechecks_due: int
    recovered: int  # open items marked recovered


def team_week(*, team: Team, week_start: date) -> TeamWeek:
    week_end = week_start + timedelta(days=6)
    _rows, totals = team_board(team=team, granularity=periods.WEEK, day=week_start, as_of=week_end)
    items = ReviewItem.objects.filter(team=team)
    open_items = items.filter(status=ReviewItem.Status.OPEN)
    return TeamWeek(
        team=team,
        week_start=week_start,
        week_end=week_end,
        totals=totals,
        opened=items.filter(
            opened_at__gte=_end_of(week_start - timedelta(days=1)), opened_at__lt=_end_of(week_end)
        ).count(),
        open_now=open_items.count(),
        rechecks_due=rechecks_due_among(items, on=periods.today()).count(),
        recovered=open_items.filter(recovered_on__isnull=False).count(),
    )
