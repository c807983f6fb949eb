"""KPI values per period, read from rollups: numerator, denominator, value, target, pace, attainment
and the definition versions that produced the number."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .. import catalog, periods
from ..models import MEASURE_FIELDS, Rollup
from . import definitions
from .calendar import Calendar
from .funnel import pending_by_day
from .targets import as_of_share, period_target, targets_in_window, team_target_sources, team_targets_from


@dataclass(frozen=True)
class KpiValue:
    kpi: str
    period_start: date
    period_end: date
    numerator: int | Decimal
    denominator: int | Decimal | None
    value: Decimal | int | None
    target: Decimal | None = None
    expected: Decimal | None = None
    definition_versions: dict = field(default_factory=dict)
    # Outcome KPIs (catalog.Kpi.pending): meetings of the period's cohort whose FS outcome is still
    # open, and the cohort's size (the meetings set in the period).
    pending: int = 0
    cohort: int = 0

    @property
    def attainment(self) -> Decimal | None:
        """Actual against the whole period's target (1 = 100%)."""
        return _ratio(self.kpi, self.value, self.target)

    @property
    def matured_expected(self) -> Decimal | None:
        """The pace an outcome count is judged against: what is expected by now, for the judged share
        of the cohort only (None while nothing is judged yet). Other KPIs: the pace itself."""
        if self.expected is None or not self.pending or catalog.get(self.kpi).kind != catalog.COUNT:
            return self.expected
        judged = self.cohort - self.pending
        return Decimal(self.expected) * judged / self.cohort if judged > 0 and self.cohort else None

    @property
    def pace_attainment(self) -> Decimal | None:
        """Actual against what should have been reached by now (equals attainment for past periods);
        outcome counts against the judged part of the cohort."""
        return _ratio(self.kpi, self.value, self.matured_expected)

    @property
    def is_pending(self) -> bool:
        """Nothing of the cohort judged yet: shown as pending, never as 0%."""
        return bool(self.pending) and (self.value is None or self.matured_expected is None)


def _ratio(kpi: str, actual, target) -> Decimal | None:
    if actual is None or not target:
        return None
    if catalog.get(kpi).direction == catalog.LOWER:
        return Decimal(target) / Decimal(actual) if actual else None
    return Decimal(actual) / Decimal(target)


def measures_of(row) -> dict:
    return {f: getattr(row, f) for f in MEASURE_FIELDS} if row is not None else dict.fromkeys(MEASURE_FIELDS, 0)


@dataclass(frozen=True)
class KpiMeta:
    """What a KPI's definitions say for a period: the denominator in force and the versions used.
    The same for every rep and team, so boards compute it once per KPI, not once per cell."""

    denominator: tuple[str, ...]
    versions: dict


def kpi_meta(*, kpi: str, first: date, last: date, timeline) -> KpiMeta:
    spec = catalog.get(kpi)
    applied = definitions.params_on(timeline, kpi, last)
    params = applied.params if applied else None
    keys = definitions.measure_keys_for(kpi, params)
    return KpiMeta(
        definitions.denominator_for(spec, params), definitions.versions_in_range(timeline, keys, first, last)
    )


def kpi_value_from(
    *, kpi: str, sums: dict, first: date, last: date, timeline, target=None, meta: KpiMeta | None = None
) -> KpiValue:
    meta = meta or kpi_meta(kpi=kpi, first=first, last=last, timeline=timeline)
    spec = catalog.get(kpi)
    num, den, value = spec.compute(sums, meta.denominator)
    return KpiValue(
        kpi=kpi,
        period_start=first,
        period_end=last,
        numerator=num,
        denominator=den,
        value=value,
        target=target.target if target else None,
        expected=target.expected if target else None,
        definition_versions=meta.versions,
        pending=int(sums.get(spec.pending) or 0) if spec.pending else 0,
        cohort=int(sums.get("meetings") or 0),
    )


def kpi_series(
    *,
    kpi: str,
    scope: str,
    scope_id: int,
    granularity: str,
    start: date,
    end: date,
    as_of: date,
    workdays=range(5),
    work_hours=None,
) -> list[KpiValue]:
    """One value per period overlapping [start, end], empty periods included (at most 6 queries).

    Targets and pace are the boards' own: a team's target is team_period_targets', and today counts
    by the share of working time passed (`work_hours`, None for the organisation's day)."""
    catalog.get(kpi)
    starts = list(periods.iter_periods(granularity, start, end))
    if not starts:
        return []
    last_day = periods.period_end(granularity, starts[-1])
    rows = {
        r.period_start: r
        for r in Rollup.objects.filter(
            granularity=granularity, scope=scope, scope_id=scope_id, period_start__range=(starts[0], starts[-1])
        )
    }
    timeline = definitions.approved_timeline()
    if scope == "team":
        teams = team_target_sources(kpis=[kpi], team_ids=[scope_id], first=starts[0], last=last_day)
    else:
        monthly = targets_in_window(kpis=[kpi], scope=scope, scope_ids=[scope_id], first=starts[0], last=last_day)
    calendar = Calendar.for_months(starts[0], last_day)
    share = as_of_share(as_of, work_hours)
    pending_days = (
        pending_by_day(scope=scope, scope_id=scope_id, first=starts[0], last=last_day)
        if catalog.get(kpi).pending
        else {}
    )
    values = []
    for first in starts:
        last = periods.period_end(granularity, first)
        if scope == "team":
            found = team_targets_from(teams, first=first, last=last, as_of=as_of, calendar=calendar)
            target = found.get((kpi, scope_id))
        else:
            target = period_target(
                kpi=kpi,
                monthly=monthly,
                scope_id=scope_id,
                first=first,
                last=last,
                as_of=as_of,
                calendar=calendar,
                workdays=workdays,
                share=share,
            )
        pending = {k: sum(c[k] for d, c in pending_days.items() if first <= d <= last) for k in catalog.PENDING_KEYS}
        values.append(
            kpi_value_from(
                kpi=kpi,
                sums=measures_of(rows.get(first)) | pending,
                first=first,
                last=last,
                timeline=timeline,
                target=target,
            )
        )
    return values
