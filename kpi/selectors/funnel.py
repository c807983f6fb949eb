"""The funnel's counts read from rollups; what is done with them is pure arithmetic in kpi/funnel.py.

Next to the summed measures sit the pending counts (catalog.PENDING_KEYS): meetings whose FS outcome
is still open. Outcome rates and the funnel's later steps leave them out (matured cohorts only).
"""

from datetime import date

from django.db.models import Count, Q, Sum

from .. import catalog, periods
from ..models import MEASURE_FIELDS, Meeting, Rollup

S = Meeting.Status
AWAITING_FS = (S.SCHEDULED, S.HELD)
PENDING_FILTERS = {
    catalog.AWAITING_FS: Q(status__in=AWAITING_FS),
    catalog.OPEN_MEETINGS: Q(status__in=(*AWAITING_FS, S.QUALIFIED)),
    catalog.OPEN_QUALIFIED: Q(status=S.QUALIFIED),
}
_GROUP = {"rep": "rep_id", "team": "rep__team_id"}


def pending_outcomes(*, scope: str, scope_ids, first: date, last: date) -> dict[int, dict[str, int]]:
    """{scope_id: {pending key: count}} of the meetings set in [first, last] (one query); the
    organisation's under 0. Scopes with nothing pending are left out."""
    meetings = Meeting.objects.filter(local_date__range=(first, last))
    counts = {key: Count("pk", filter=q) for key, q in PENDING_FILTERS.items()}
    if scope == "org":
        row = meetings.filter(PENDING_FILTERS[catalog.OPEN_MEETINGS]).aggregate(**counts)
        return {0: row} if any(row.values()) else {}
    group = _GROUP[scope]
    rows = (
        meetings.filter(PENDING_FILTERS[catalog.OPEN_MEETINGS], **{f"{group}__in": list(scope_ids)})
        .values(group)
        .annotate(**counts)
    )
    return {r.pop(group): r for r in rows}


def pending_by_day(*, scope: str, scope_id: int, first: date, last: date) -> dict[date, dict[str, int]]:
    """{day: {pending key: count}} of one scope's meetings set in [first, last] (one query)."""
    meetings = Meeting.objects.filter(local_date__range=(first, last)).filter(PENDING_FILTERS[catalog.OPEN_MEETINGS])
    if scope != "org":
        meetings = meetings.filter(**{_GROUP[scope]: scope_id})
    counts = {key: Count("pk", filter=q) for key, q in PENDING_FILTERS.items()}
    return {r.pop("local_date"): r for r in meetings.values("local_date").annotate(**counts)}


def team_sums(*, team_id: int, first: date, last: date) -> dict:
    """Summed day rollups of one team over [first, last], with its pending counts."""
    sums = Rollup.objects.filter(
        granularity=periods.DAY, scope="team", scope_id=team_id, period_start__range=(first, last)
    ).aggregate(**{f: Sum(f) for f in MEASURE_FIELDS})
    pending = pending_outcomes(scope="team", scope_ids=[team_id], first=first, last=last).get(team_id, {})
    return {k: (v or 0) for k, v in sums.items()} | {k: pending.get(k, 0) for k in catalog.PENDING_KEYS}
