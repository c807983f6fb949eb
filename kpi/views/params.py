"""What pages read from the query string: the month (?month=), the period (?g=, ?d=; parsed by
kpi/forms/boards.py), CSV (?format=). Bad input falls back to a default rather than erroring on a
hand-edited URL; a date outside the window the product holds data for (kpi/bounds.py: 2000-01-01 to
the end of next year) is clamped to its edge, so ?month=9999-12 shows the last month there is, and no
year 1 or 9999 reaches the period arithmetic (where it crashed boards, targets and lead supply)."""

from datetime import date, timedelta

from django.http import HttpRequest

from .. import bounds, periods
from ..forms.boards import GRANULARITIES, PeriodForm


def parse_month(raw: str | None, default: date) -> date:
    if not raw:
        return periods.month_start(bounds.clamp_date(default))
    try:
        day = date.fromisoformat(raw if len(raw) > 7 else f"{raw}-01")
    except ValueError:
        day = default
    return periods.month_start(bounds.clamp_date(day))


def wants_csv(request) -> bool:
    return request.GET.get("format") == "csv"


def period_params(request: HttpRequest) -> tuple[str, date, date]:
    """Granularity (?g=), the first day of the period (?d=) and today, read by PeriodForm (kpi/forms/boards.py)."""
    as_of = periods.today()
    granularity, first = PeriodForm(request.GET, today=as_of).period()
    return granularity, first, as_of


def period_context(granularity: str, first: date, today: date | None = None) -> dict:
    """The period toolbar: ‹ the period before (the day before this one's first, whatever its length),
    › the next, and Day/Week/Month links to the period of that length holding today when today is in
    view (else this period's first day)."""
    today = today or periods.today()
    last = periods.period_end(granularity, first)
    anchor = today if first <= today <= last else first
    return {
        "granularity": granularity,
        "granularities": GRANULARITIES,
        "granularity_links": [(g, periods.period_start(g, anchor)) for g in GRANULARITIES],
        "first": first,
        "last": last,
        "prev": periods.period_start(granularity, first - timedelta(days=1)),
        "next": periods.next_period_start(granularity, first),
    }
