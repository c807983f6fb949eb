"""What the rep's today page and the manager's team board show, in a fixed number of queries."""

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q

from accounts.models import Team, User

from .. import catalog, periods
from ..models import Meeting, Rollup
from . import definitions
from .calendar import WEEKDAYS, Calendar
from .funnel import pending_outcomes
from .targets import as_of_share, period_target, targets_in_window, team_period_targets
from .values import KpiValue, kpi_meta, kpi_value_from, measures_of

RED_BELOW = Decimal("0.70")
AMBER_BELOW = Decimal("1.00")


def status_of(attainment: Decimal | None) -> str:
    """Traffic light for an attainment (1 = 100%): red under 70%, amber under 100%."""
    if attainment is None:
        return "none"
    if attainment < RED_BELOW:
        return "red"
    return "amber" if attainment < AMBER_BELOW else "green"


def row_status(values: list[KpiValue]) -> str:
    """A board row's colour: the worst of its activity KPIs (catalog.STATUS_KPIS) against pace."""
    order = {"red": 0, "amber": 1, "green": 2, "none": 3}
    statuses = [status_of(v.pace_attainment) for v in values if v.kpi in catalog.STATUS_KPIS]
    return min(statuses, key=order.__getitem__, default="none")


@dataclass(frozen=True)
class PeriodCard:
    label: str
    granularity: str
    first: date
    last: date
    values: list[KpiValue]


class _Row:
    values: list[KpiValue]

    @property
    def status(self) -> str:
        return row_status(self.values)


@dataclass(frozen=True)
class BoardRow(_Row):
    rep: User
    values: list[KpiValue]


@dataclass(frozen=True)
class PageContext:
    """What every board on a page shares: the definitions in force and the holiday calendar, read once."""

    timeline: dict
    calendar: Calendar

    @classmethod
    def load(cls, first: date, last: date) -> "PageContext":
        return cls(definitions.approved_timeline(), Calendar.for_months(first, last))


def _values_for(
    *,
    kpis,
    scope,
    scope_ids,
    granularity,
    first,
    last,
    as_of,
    workdays_of,
    ctx: PageContext,
    hours_of=lambda _: None,
    targets=None,
) -> dict:
    """{scope_id: [KpiValue per kpi]} for one period, 3 queries whatever the number of scopes: rollups,
    pending outcomes, targets (none when `targets`, {(kpi, scope_id): PeriodTarget}, are given).
    Pace counts today by the share of the scope's working hours passed (`hours_of`, None for the organisation's)."""
    period = periods.period_start(granularity, first)
    rows = {
        r.scope_id: r
        for r in Rollup.objects.filter(
            granularity=granularity, scope=scope, scope_id__in=scope_ids, period_start=period
        )
    }
    timeline, calendar = ctx.timeline, ctx.calendar
    pending = {}
    if any(catalog.get(k).pending for k in kpis):
        pending = pending_outcomes(scope=scope, scope_ids=scope_ids, first=first, last=last)
    if targets is None:
        monthly = targets_in_window(kpis=kpis, scope=scope, scope_ids=scope_ids, first=first, last=last)
    metas = {k: kpi_meta(kpi=k, first=first, last=last, timeline=timeline) for k in kpis}
    out = {}
    for scope_id in scope_ids:
        sums = measures_of(rows.get(scope_id)) | pending.get(scope_id, {})
        if targets is None:
            workdays, share = workdays_of(scope_id), as_of_share(as_of, hours_of(scope_id))
            found = {
                k: period_target(
                    kpi=k,
                    monthly=monthly,
                    scope_id=scope_id,
                    first=first,
                    last=last,
                    as_of=as_of,
                    calendar=calendar,
                    workdays=workdays,
                    share=share,
                )
                for k in kpis
            }
        else:
            found = {k: targets.get((k, scope_id)) for k in kpis}
        out[scope_id] = [
            kpi_value_from(kpi=k, sums=sums, first=first, last=last, timeline=timeline, meta=metas[k], target=found[k])
            for k in kpis
        ]
    return out


def rep_today(*, rep: User, today: date) -> list[PeriodCard]:
    """Today, this week and this month for one rep, each against target and pace."""
    week = periods.week_start(today)
    ctx = PageContext.load(min(week, periods.month_start(today)), max(week + timedelta(days=6), today))
    cards = []
    for label, granularity in (("today", periods.DAY), ("week", periods.WEEK), ("month", periods.MONTH)):
        first = periods.period_start(granularity, today)
        last = periods.period_end(granularity, first)
        values = _values_for(
            kpis=catalog.TODAY_KPIS,
            scope="rep",
            scope_ids=[rep.pk],
            granularity=granularity,
            first=first,
            last=last,
            as_of=today,
            workdays_of=lambda _: rep.workday_set,
            hours_of=lambda _: rep.work_hours_per_day,
            ctx=ctx,
        )[rep.pk]
        cards.append(PeriodCard(label, granularity, first, last, values))
    return cards


def team_board(
    *, team: Team, granularity: str, day: date, as_of: date, kpis=catalog.BOARD_KPIS
) -> tuple[list[BoardRow], list[KpiValue]]:
    """Reps x `kpis` (board KPIs by default) for the period containing `day`, plus the team's own totals."""
    first = periods.period_start(granularity, day)
    last = periods.period_end(granularity, first)
    # Reps working in the period: a leaver stays on the boards of periods up to their last day.
    working = Q(is_active=True, last_day__isnull=True) | Q(last_day__gte=first)
    reps = list(User.objects.filter(working, team=team, role=User.Role.REP).order_by("name"))
    workdays = {r.pk: r.workday_set for r in reps}
    hours = {r.pk: r.work_hours_per_day for r in reps}
    ctx = PageContext.load(first, last)
    per_rep = _values_for(
        kpis=kpis,
        scope="rep",
        scope_ids=[r.pk for r in reps],
        granularity=granularity,
        first=first,
        last=last,
        as_of=as_of,
        workdays_of=lambda pk: workdays[pk],
        hours_of=lambda pk: hours[pk],
        ctx=ctx,
    )
    totals = _values_for(
        kpis=kpis,
        scope="team",
        scope_ids=[team.pk],
        granularity=granularity,
        first=first,
        last=last,
        as_of=as_of,
        workdays_of=lambda _: WEEKDAYS,
        ctx=ctx,
        targets=team_period_targets(
            kpis=kpis, team_ids=[team.pk], first=first, last=last, as_of=as_of, calendar=ctx.calendar
        ),
    )[team.pk]
    return [BoardRow(r, per_rep[r.pk]) for r in reps], totals


def team_wins(*, team: Team, first: date, last: date, limit: int = 5) -> list[Meeting]:
    """Orders won from meetings the team's reps set in the period, largest first (one query)."""
    return list(
        Meeting.objects.filter(rep__team=team, local_date__range=(first, last), status=Meeting.Status.WON)
        .select_related("rep", "lead")
        .order_by("-amount", "-local_date")[:limit]
    )


def leaders(rows: list[BoardRow], kpi: str, limit: int = 3, kpis=catalog.BOARD_KPIS) -> list[tuple[User, KpiValue]]:
    """The reps with the most of a count KPI in the period (from the rows already read)."""
    index = list(kpis).index(kpi)
    ranked = sorted(((r.rep, r.values[index]) for r in rows), key=lambda rv: -(rv[1].value or 0))
    return [rv for rv in ranked[:limit] if rv[1].value]


def _with_part_targets(total: KpiValue, part_values: list[KpiValue]) -> KpiValue:
    """Without a target of its own, a count KPI's organisation target is the sum of its teams' targets."""
    if total.target is not None or catalog.get(total.kpi).kind != catalog.COUNT:
        return total
    with_target = [v for v in part_values if v.target is not None]
    if not with_target:
        return total
    return replace(total, target=sum(v.target for v in with_target), expected=sum(v.expected for v in with_target))


@dataclass(frozen=True)
class TeamRow(_Row):
    team: Team
    values: list[KpiValue]


def org_board(
    *, granularity: str, day: date, as_of: date, kpis=catalog.BOARD_KPIS
) -> tuple[list[TeamRow], list[KpiValue]]:
    """Teams x board KPIs plus organisation totals, in a fixed number of queries.

    Each team's target is the one the team board shows (targets.team_period_targets): its own, else
    the sum of its active reps' targets.
    """
    first = periods.period_start(granularity, day)
    last = periods.period_end(granularity, first)
    teams = list(Team.objects.filter(department__code="is").order_by("name"))
    team_ids = [t.pk for t in teams]
    ctx = PageContext.load(first, last)
    kwargs = dict(
        granularity=granularity,
        first=first,
        last=last,
        as_of=as_of,
        workdays_of=lambda _: WEEKDAYS,
        ctx=ctx,
    )
    per_team = _values_for(
        kpis=kpis,
        scope="team",
        scope_ids=team_ids,
        targets=team_period_targets(
            kpis=kpis, team_ids=team_ids, first=first, last=last, as_of=as_of, calendar=ctx.calendar
        ),
        **kwargs,
    )
    org = _values_for(kpis=kpis, scope="org", scope_ids=[0], **kwargs)[0]
    rows = [TeamRow(team, per_team[team.pk]) for team in teams]
    org = [_with_part_targets(v, [r.values[i] for r in rows]) for i, v in enumerate(org)]
    return rows, org
