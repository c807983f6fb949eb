"""What pages read from the query string: today, the month (?month=), the period (?g=, ?d=), CSV (?format=).
Bad input falls back to a default rather than erroring on a hand-edited URL."""

from datetime import date

from django.http import HttpRequest
from django.utils import timezone

from .. import periods


def today() -> date:
    return periods.local_date(timezone.now())


def parse_month(raw: str | None, default: date) -> date:
    if not raw:
        return periods.month_start(default)
    try:
        return periods.month_start(date.fromisoformat(raw if len(raw) > 7 else f"{raw}-01"))
    except ValueError:
        return periods.month_start(default)


def wants_csv(request) -> bool:
    return request.GET.get("format") == "csv"


GRANULARITIES = (periods.DAY, periods.WEEK, periods.MONTH)


def parse_day(raw: str | None) -> date | None:
    return date.fromisoformat(raw) if raw else None


def period_params(request: HttpRequest) -> tuple[str, date, date]:
    """Granularity (?g=day|week|month) and the day (?d=YYYY-MM-DD) of the period to show; bad input falls
    back to the current month rather than erroring on a hand-edited URL."""
    granularity = request.GET.get("g", periods.MONTH)
    if granularity not in GRANULARITIES:
        granularity = periods.MONTH
    as_of = today()
    try:
        day = parse_day(request.GET.get("d")) or as_of
    except ValueError:
        day = as_of
    return granularity, periods.period_start(granularity, day), as_of


def period_context(granularity: str, first: date) -> dict:
    prev_day = first - (periods.next_period_start(granularity, first) - first)
    return {
        "granularity": granularity,
        "granularities": GRANULARITIES,
        "first": first,
        "last": periods.period_end(granularity, first),
        "prev": periods.period_start(granularity, prev_day),
        "next": periods.next_period_start(granularity, first),
    }
