"""The funnel's counts read from rollups; what is done with them is pure arithmetic in kpi/funnel.py."""

from datetime import date

from django.db.models import Sum

from .. import periods
from ..models import MEASURE_FIELDS, Rollup


def team_sums(*, team_id: int, first: date, last: date) -> dict:
    """Summed day rollups of one team over [first, last]."""
    sums = Rollup.objects.filter(
        granularity=periods.DAY, scope="team", scope_id=team_id, period_start__range=(first, last)
    ).aggregate(**{f: Sum(f) for f in MEASURE_FIELDS})
    return {k: (v or 0) for k, v in sums.items()}
