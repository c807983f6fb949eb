"""Pure date math for KPI periods: local days, ISO weeks, months, quarters, business days. No ORM.

Every timestamp is bucketed by the organisation's local calendar (settings.TIME_ZONE, Asia/Tokyo by
default): a call at 23:30 UTC is on the next Tokyo day. Converting with zoneinfo, not a fixed +9 h
offset, keeps this right for an organisation in a zone with daylight saving time.
"""

from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import jpholiday
from django.conf import settings
from django.utils import timezone

DAY, WEEK, MONTH, QUARTER = "day", "week", "month", "quarter"
GRANULARITIES = (DAY, WEEK, MONTH, QUARTER)


def org_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_datetime(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: attach the organisation's time zone first")
    return moment.astimezone(org_tz())


def today() -> date:
    """The organisation's calendar day now (the one place that reads the clock for a date)."""
    return local_date(timezone.now())


def now() -> datetime:
    """The organisation's local time now."""
    return local_datetime(timezone.now())


# Pace moves in steps of this many minutes, so a cached board and a fresh page agree on it.
PACE_STEP_MINUTES = 15


def pace_moment(moment: datetime | None = None) -> datetime:
    """`moment` (default now) in local time, rounded down to the pace step."""
    local = local_datetime(moment) if moment is not None else now()
    return local.replace(minute=local.minute - local.minute % PACE_STEP_MINUTES, second=0, microsecond=0)


def workday_window(work_hours: Decimal | float | None = None) -> tuple[time, Decimal]:
    """(start, length in hours) of a working day: the organisation's start, the rep's hours plus the break."""
    start = time.fromisoformat(settings.WORKDAY_START)
    hours = Decimal(str(work_hours if work_hours is not None else settings.WORKDAY_HOURS))
    return start, hours + Decimal(str(settings.WORKDAY_BREAK_HOURS))


def day_share(day: date, moment: datetime, work_hours: Decimal | float | None = None) -> Decimal:
    """How much of `day`'s working time has passed at `moment` (local): 1 for a past day, 0 for a future
    one; today 0 before the day starts, 1 after it ends, linear in between (09:00-18:00: 13:30 is 1/2)."""
    local = local_datetime(moment)
    if day != local.date():
        return Decimal(1) if day < local.date() else Decimal(0)
    start, length = workday_window(work_hours)
    if not length:
        return Decimal(1)
    minutes = Decimal((local.hour * 60 + local.minute) - (start.hour * 60 + start.minute))
    return min(Decimal(1), max(Decimal(0), minutes / (length * 60)))


def local_date(moment: datetime) -> date:
    return local_datetime(moment).date()


def week_start(day: date) -> date:
    """ISO week: Monday start, so a Sunday-night call belongs to the week that began six days earlier."""
    return day - timedelta(days=day.weekday())


def month_start(day: date) -> date:
    return day.replace(day=1)


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


_STARTS = {DAY: lambda d: d, WEEK: week_start, MONTH: month_start, QUARTER: quarter_start}


def period_start(granularity: str, day: date) -> date:
    return _STARTS[granularity](day)


def next_period_start(granularity: str, start: date) -> date:
    if granularity == DAY:
        return start + timedelta(days=1)
    if granularity == WEEK:
        return start + timedelta(days=7)
    months = 1 if granularity == MONTH else 3
    month_index = start.month - 1 + months
    return date(start.year + month_index // 12, month_index % 12 + 1, 1)


def period_end(granularity: str, start: date) -> date:
    """Last day (inclusive) of the period that begins on `start`."""
    return next_period_start(granularity, start) - timedelta(days=1)


def iter_periods(granularity: str, first: date, last: date) -> Iterator[date]:
    """Starts of every period that overlaps [first, last]."""
    start = period_start(granularity, first)
    while start <= last:
        yield start
        start = next_period_start(granularity, start)


def iter_days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def is_public_holiday(day: date) -> bool:
    return jpholiday.is_holiday(day)


def is_business_day(day: date, *, company_holidays: Iterable[date] = (), workdays: Iterable[int] = range(5)) -> bool:
    """A working weekday of the rep that is neither a Japanese public holiday nor a company holiday."""
    return day.weekday() in set(workdays) and not is_public_holiday(day) and day not in set(company_holidays)


def business_days(
    first: date, last: date, *, company_holidays: Iterable[date] = (), workdays: Iterable[int] = range(5)
) -> list[date]:
    holidays, weekdays = frozenset(company_holidays), frozenset(workdays)
    return [
        d for d in iter_days(first, last) if d.weekday() in weekdays and d not in holidays and not is_public_holiday(d)
    ]
