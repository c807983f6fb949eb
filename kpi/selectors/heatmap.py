"""Weekday x hour connect rates and the best hours to call, from HourRollup."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from ..models import HourRollup

MIN_CALLS_FOR_BEST = 20  # an hour with fewer calls is too noisy to recommend
MIN_CALLS_FOR_CELL = 10  # a cell with fewer calls shows its count, greyed out, and no rate: 1 call is not 100%


@dataclass(frozen=True)
class Cell:
    calls: int
    connects: int

    @property
    def thin(self) -> bool:
        return self.calls < MIN_CALLS_FOR_CELL

    @property
    def rate(self) -> Decimal | None:
        """The connect rate; None under the minimum sample."""
        return Decimal(self.connects) / self.calls if not self.thin else None


def connect_heatmap(*, rep_ids, first: date, last: date) -> tuple[list[int], dict]:
    """(hours present, {(weekday, hour): Cell})."""
    rows = (
        HourRollup.objects.filter(rep_id__in=list(rep_ids), date__range=(first, last))
        .values("weekday", "hour")
        .annotate(calls=Sum("calls"), connects=Sum("connects"))
    )
    cells = {(r["weekday"], r["hour"]): Cell(r["calls"] or 0, r["connects"] or 0) for r in rows}
    hours = sorted({h for _, h in cells}) or list(range(9, 19))
    return hours, cells


def best_hours(cells: dict, *, top: int = 3) -> list[tuple[int, Decimal, int]]:
    """The hours of day with the highest connect rate (weekdays summed): [(hour, rate, calls)]."""
    by_hour: dict[int, list[int]] = {}
    for (_, hour), cell in cells.items():
        calls_connects = by_hour.setdefault(hour, [0, 0])
        calls_connects[0] += cell.calls
        calls_connects[1] += cell.connects
    ranked = [(hour, Decimal(c) / n, n) for hour, (n, c) in by_hour.items() if n >= MIN_CALLS_FOR_BEST]
    ranked.sort(key=lambda t: (-t[1], t[0]))
    return ranked[:top]
