"""The business-day calendar: weekends, Japanese public holidays (jpholiday), company holidays kept
by ops, and each rep's working weekdays. Used for pace and for spreading monthly targets.
Company holidays are written in kpi/services/holidays.py."""

from collections.abc import Iterable
from datetime import date

import jpholiday

from .. import periods
from ..models import CompanyHoliday

WEEKDAYS = frozenset(range(5))


def company_holidays(first: date, last: date) -> frozenset[date]:
    """The dates of the company holidays in [first, last]."""
    return frozenset(CompanyHoliday.objects.filter(date__range=(first, last)).values_list("date", flat=True))


class Calendar:
    """Business days over a window, loaded with one query; pure lookups afterwards."""

    def __init__(self, first: date, last: date, holidays: Iterable[date] | None = None):
        self.first, self.last = first, last
        self.holidays = frozenset(holidays) if holidays is not None else company_holidays(first, last)
        # A board asks for the same month's business days once per rep and KPI (160 times for 20
        # reps); the public-holiday lookup made that a third of the page's time.
        self._days: dict[tuple[date, date, frozenset[int]], tuple[date, ...]] = {}

    @classmethod
    def for_months(cls, first: date, last: date) -> "Calendar":
        """A calendar for every month or quarter target a period inside [first, last] can draw on: the
        whole quarters around it, still one query."""
        return cls(periods.quarter_start(first), periods.period_end(periods.QUARTER, periods.quarter_start(last)))

    def business_days(self, first: date, last: date, workdays: Iterable[int] = WEEKDAYS) -> list[date]:
        key = (first, last, frozenset(workdays))
        if key not in self._days:
            self._days[key] = tuple(
                periods.business_days(first, last, company_holidays=self.holidays, workdays=workdays)
            )
        return list(self._days[key])

    def count(self, first: date, last: date, workdays: Iterable[int] = WEEKDAYS) -> int:
        return len(self.business_days(first, last, workdays))

    def is_business_day(self, day: date, workdays: Iterable[int] = WEEKDAYS) -> bool:
        return periods.is_business_day(day, company_holidays=self.holidays, workdays=workdays)


def company_holidays_in(*, first: date, last: date) -> list[CompanyHoliday]:
    """The company holidays of [first, last] with their names, for the holidays page."""
    return list(CompanyHoliday.objects.filter(date__range=(first, last)))


def company_holiday(*, holiday_id: int) -> CompanyHoliday | None:
    return CompanyHoliday.objects.filter(pk=holiday_id).first()


def public_holidays(year: int) -> list[tuple[date, str]]:
    """Japanese public holidays of a year (jpholiday), including substitute holidays."""
    return [(day, name) for day, name in jpholiday.year_holidays(year)]
