"""kpi/periods.py, the pure date math of KPI periods: every expected date below is worked out by hand.

Calendars used (Tokyo is UTC+9 all year):

    December 2026              January 2027               November 2026
    Mo Tu We Th Fr Sa Su       Mo Tu We Th Fr Sa Su       Mo Tu We Th Fr Sa Su
        1  2  3  4  5  6                    1  2  3                          1
     7  8  9 10 11 12 13        4  5  6  7  8  9 10        2  3  4  5  6  7  8
    14 15 16 17 18 19 20       11 12 13 14 15 16 17        9 10 11 12 13 14 15
    21 22 23 24 25 26 27       18 19 20 21 22 23 24       16 17 18 19 20 21 22
    28 29 30 31                25 26 27 28 29 30 31       23 24 25 26 27 28 29
                                                          30

Japanese public holidays: 2027-01-01 (New Year's Day, a Friday), 2027-01-11 (Coming-of-Age Day, the
second Monday), 2026-11-03 (Culture Day, a Tuesday), 2026-11-23 (Labour Thanksgiving Day, a Monday).
2026-12-31 is a Thursday: ISO week 2026-W53 runs Mon 2026-12-28 .. Sun 2027-01-03 and 2027-W01 starts
on Mon 2027-01-04.
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from kpi import periods

DAY, WEEK, MONTH, QUARTER = periods.DAY, periods.WEEK, periods.MONTH, periods.QUARTER


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


# Local days and times


def test_the_organisation_zone_is_tokyo():
    assert periods.org_tz() == ZoneInfo("Asia/Tokyo")
    assert periods.GRANULARITIES == ("day", "week", "month", "quarter")


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (utc(2026, 11, 2, 23, 30), date(2026, 11, 3)),  # 08:30 on the 3rd in Tokyo
        (utc(2026, 11, 2, 14, 59, 59), date(2026, 11, 2)),  # 23:59:59 in Tokyo: still the 2nd
        (utc(2026, 11, 2, 15, 0), date(2026, 11, 3)),  # midnight in Tokyo: the 3rd begins
        (utc(2026, 12, 31, 15, 0), date(2027, 1, 1)),  # New Year in Tokyo while London is still in 2026
        (utc(2026, 11, 2, 0, 0), date(2026, 11, 2)),  # 09:00 in Tokyo
    ],
)
def test_local_date_of_a_utc_instant(moment, expected):
    assert periods.local_date(moment) == expected


def test_local_datetime_is_the_tokyo_wall_clock():
    local = periods.local_datetime(utc(2026, 11, 2, 15, 0))
    assert (local.date(), local.hour, local.minute) == (date(2026, 11, 3), 0, 0)
    assert local.utcoffset() == timedelta(hours=9)


def test_an_instant_in_another_zone_is_converted_not_relabelled():
    # 18:30 in New York (EST, UTC-5 after 2026-11-01) is 23:30 UTC, so 08:30 the next morning in Tokyo.
    new_york = datetime(2026, 11, 2, 18, 30, tzinfo=ZoneInfo("America/New_York"))
    local = periods.local_datetime(new_york)
    assert (local.date(), local.hour, local.minute) == (date(2026, 11, 3), 8, 30)


def test_a_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="naive datetime"):
        periods.local_date(datetime(2026, 11, 2, 10, 0))


def test_an_organisation_in_a_zone_with_daylight_saving_time(settings):
    settings.TIME_ZONE = "America/New_York"
    # Summer (EDT, UTC-4): 03:30 UTC on 2026-07-02 is 23:30 on the 1st.
    assert periods.local_date(utc(2026, 7, 2, 3, 30)) == date(2026, 7, 1)
    # Winter (EST, UTC-5): 04:30 UTC on 2026-12-02 is 23:30 on the 1st, 05:00 UTC is midnight on the 2nd.
    assert periods.local_date(utc(2026, 12, 2, 4, 30)) == date(2026, 12, 1)
    assert periods.local_date(utc(2026, 12, 2, 5, 0)) == date(2026, 12, 2)


# Period starts


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 12, 31), date(2026, 12, 28)),  # Thursday of 2026-W53
        (date(2027, 1, 1), date(2026, 12, 28)),  # New Year's Day is still in 2026-W53
        (date(2027, 1, 3), date(2026, 12, 28)),  # Sunday: the last day of 2026-W53
        (date(2027, 1, 4), date(2027, 1, 4)),  # Monday: 2027-W01 begins
        (date(2026, 11, 8), date(2026, 11, 2)),  # a Sunday-night call belongs to the week begun six days earlier
    ],
)
def test_week_start_is_the_iso_monday(day, expected):
    assert periods.week_start(day) == expected
    assert expected.weekday() == 0


def test_iso_week_53_of_2026_agrees_with_isocalendar():
    assert date(2026, 12, 31).isocalendar()[:2] == (2026, 53)
    assert date(2027, 1, 3).isocalendar()[:2] == (2026, 53)
    assert date(2027, 1, 4).isocalendar()[:2] == (2027, 1)
    assert periods.week_start(date(2026, 12, 31)) == date.fromisocalendar(2026, 53, 1) == date(2026, 12, 28)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 30), date(2026, 11, 1)),
        (date(2026, 11, 1), date(2026, 11, 1)),
        (date(2027, 2, 28), date(2027, 2, 1)),
    ],
)
def test_month_start(day, expected):
    assert periods.month_start(day) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 1), date(2026, 1, 1)),
        (date(2026, 3, 31), date(2026, 1, 1)),
        (date(2026, 4, 1), date(2026, 4, 1)),
        (date(2026, 6, 30), date(2026, 4, 1)),
        (date(2026, 8, 15), date(2026, 7, 1)),
        (date(2026, 11, 18), date(2026, 10, 1)),
        (date(2026, 12, 31), date(2026, 10, 1)),
    ],
)
def test_quarter_start_is_calendar_quarters(day, expected):
    assert periods.quarter_start(day) == expected


@pytest.mark.parametrize(
    ("granularity", "expected"),
    [
        (DAY, date(2026, 12, 31)),
        (WEEK, date(2026, 12, 28)),
        (MONTH, date(2026, 12, 1)),
        (QUARTER, date(2026, 10, 1)),
    ],
)
def test_period_start_of_new_years_eve(granularity, expected):
    assert periods.period_start(granularity, date(2026, 12, 31)) == expected


def test_an_unknown_granularity_has_no_period():
    with pytest.raises(KeyError):
        periods.period_start("year", date(2026, 12, 31))


# Next starts and ends


@pytest.mark.parametrize(
    ("granularity", "start", "expected"),
    [
        (DAY, date(2026, 12, 31), date(2027, 1, 1)),
        (DAY, date(2028, 2, 28), date(2028, 2, 29)),  # 2028 is a leap year
        (WEEK, date(2026, 12, 28), date(2027, 1, 4)),  # 2026-W53 -> 2027-W01
        (WEEK, date(2026, 11, 30), date(2026, 12, 7)),
        (MONTH, date(2026, 1, 1), date(2026, 2, 1)),
        (MONTH, date(2026, 11, 1), date(2026, 12, 1)),
        (MONTH, date(2026, 12, 1), date(2027, 1, 1)),  # across the year
        (QUARTER, date(2026, 1, 1), date(2026, 4, 1)),
        (QUARTER, date(2026, 7, 1), date(2026, 10, 1)),
        (QUARTER, date(2026, 10, 1), date(2027, 1, 1)),  # across the year
    ],
)
def test_next_period_start(granularity, start, expected):
    assert periods.next_period_start(granularity, start) == expected


@pytest.mark.parametrize(
    ("granularity", "start", "expected"),
    [
        (DAY, date(2026, 12, 31), date(2026, 12, 31)),
        (WEEK, date(2026, 12, 28), date(2027, 1, 3)),
        (MONTH, date(2026, 11, 1), date(2026, 11, 30)),
        (MONTH, date(2026, 12, 1), date(2026, 12, 31)),
        (MONTH, date(2027, 2, 1), date(2027, 2, 28)),
        (MONTH, date(2028, 2, 1), date(2028, 2, 29)),
        (QUARTER, date(2026, 10, 1), date(2026, 12, 31)),
        (QUARTER, date(2027, 1, 1), date(2027, 3, 31)),
        (QUARTER, date(2027, 4, 1), date(2027, 6, 30)),
    ],
)
def test_period_end_is_the_last_day_inclusive(granularity, start, expected):
    assert periods.period_end(granularity, start) == expected


# Iterating


def test_iter_periods_gives_every_period_overlapping_the_range():
    assert list(periods.iter_periods(WEEK, date(2026, 12, 31), date(2027, 1, 12))) == [
        date(2026, 12, 28),
        date(2027, 1, 4),
        date(2027, 1, 11),
    ]
    assert list(periods.iter_periods(MONTH, date(2026, 11, 15), date(2027, 1, 1))) == [
        date(2026, 11, 1),
        date(2026, 12, 1),
        date(2027, 1, 1),
    ]
    assert list(periods.iter_periods(QUARTER, date(2026, 11, 15), date(2027, 4, 1))) == [
        date(2026, 10, 1),
        date(2027, 1, 1),
        date(2027, 4, 1),
    ]
    assert list(periods.iter_periods(DAY, date(2026, 12, 31), date(2027, 1, 2))) == [
        date(2026, 12, 31),
        date(2027, 1, 1),
        date(2027, 1, 2),
    ]


def test_iter_periods_of_an_empty_range_is_empty():
    assert list(periods.iter_periods(DAY, date(2026, 11, 2), date(2026, 11, 1))) == []


def test_iter_days_includes_both_ends():
    assert list(periods.iter_days(date(2026, 12, 30), date(2027, 1, 2))) == [
        date(2026, 12, 30),
        date(2026, 12, 31),
        date(2027, 1, 1),
        date(2027, 1, 2),
    ]
    assert list(periods.iter_days(date(2026, 11, 5), date(2026, 11, 5))) == [date(2026, 11, 5)]
    assert list(periods.iter_days(date(2026, 11, 5), date(2026, 11, 4))) == []


# Holidays and business days


@pytest.mark.parametrize(
    ("day", "holiday"),
    [
        (date(2027, 1, 1), True),  # New Year's Day
        (date(2027, 1, 11), True),  # Coming-of-Age Day
        (date(2026, 11, 3), True),  # Culture Day
        (date(2026, 11, 23), True),  # Labour Thanksgiving Day
        (date(2026, 12, 31), False),  # New Year's Eve is a company matter, not a public holiday
        (date(2027, 1, 12), False),
        (date(2027, 1, 2), False),  # a Saturday, but no public holiday
    ],
)
def test_is_public_holiday(day, holiday):
    assert periods.is_public_holiday(day) is holiday


def test_is_business_day():
    assert periods.is_business_day(date(2027, 1, 12))  # Tuesday
    assert not periods.is_business_day(date(2027, 1, 1))  # Friday, New Year's Day
    assert not periods.is_business_day(date(2027, 1, 11))  # Monday, Coming-of-Age Day
    assert not periods.is_business_day(date(2027, 1, 2))  # Saturday
    assert not periods.is_business_day(date(2027, 1, 3))  # Sunday
    assert not periods.is_business_day(date(2027, 1, 12), company_holidays=[date(2027, 1, 12)])
    # A rep who works Monday to Saturday: Saturday counts, Sunday and public holidays still do not.
    assert periods.is_business_day(date(2027, 1, 9), workdays=range(6))
    assert not periods.is_business_day(date(2027, 1, 10), workdays=range(6))
    assert not periods.is_business_day(date(2027, 1, 11), workdays=range(6))


def test_business_days_of_january_2027():
    # 21 weekdays (Fri 1; 4-8; 11-15; 18-22; 25-29) less New Year's Day (Fri 1) and Coming-of-Age Day (Mon 11).
    days = periods.business_days(date(2027, 1, 1), date(2027, 1, 31))
    assert len(days) == 19
    assert days[:6] == [date(2027, 1, d) for d in (4, 5, 6, 7, 8, 12)]
    assert days[-1] == date(2027, 1, 29)
    assert date(2027, 1, 1) not in days and date(2027, 1, 11) not in days


def test_business_days_with_company_holidays_and_a_six_day_week():
    jan_first, jan_last = date(2027, 1, 1), date(2027, 1, 31)
    closed = [date(2027, 1, 4), date(2027, 1, 5), date(2027, 1, 9)]  # 9th is a Saturday: no weekday lost
    assert len(periods.business_days(jan_first, jan_last, company_holidays=closed)) == 17
    # Monday to Saturday: the 19 weekdays plus five Saturdays (2, 9, 16, 23, 30).
    assert len(periods.business_days(jan_first, jan_last, workdays=range(6))) == 24
    # Both: 24 less the three closed days.
    assert len(periods.business_days(jan_first, jan_last, company_holidays=closed, workdays=range(6))) == 21


def test_business_days_of_november_2026_and_across_the_year():
    # 21 weekdays less Culture Day (Tue 3) and Labour Thanksgiving Day (Mon 23).
    assert len(periods.business_days(date(2026, 11, 1), date(2026, 11, 30))) == 19
    # Mon 28 .. Thu 31 December, then Monday 4 January (1 January is a holiday, 2-3 a weekend).
    assert periods.business_days(date(2026, 12, 28), date(2027, 1, 4)) == [
        date(2026, 12, 28),
        date(2026, 12, 29),
        date(2026, 12, 30),
        date(2026, 12, 31),
        date(2027, 1, 4),
    ]
    assert periods.business_days(date(2027, 1, 2), date(2027, 1, 3)) == []


# --- pace: how much of a working day has passed (09:00-18:00: 8 hours of work and a 1-hour break) ---


@pytest.mark.parametrize(
    ("hour", "minute", "share"),
    [(8, 0, "0"), (9, 0, "0"), (13, 30, "0.5"), (18, 0, "1"), (23, 0, "1")],
)
def test_day_share_counts_today_by_the_working_hours_passed(hour, minute, share):
    tokyo = ZoneInfo("Asia/Tokyo")
    moment = datetime(2026, 11, 20, hour, minute, tzinfo=tokyo)
    assert periods.day_share(date(2026, 11, 20), moment) == Decimal(share)


def test_day_share_of_past_and_future_days_and_of_a_shorter_day():
    moment = datetime(2026, 11, 20, 12, 30, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert periods.day_share(date(2026, 11, 19), moment) == 1
    assert periods.day_share(date(2026, 11, 21), moment) == 0
    # A 6-hour rep works 09:00-16:00 (7 hours with the break): at 12:30, 3.5 of 7 have passed.
    assert periods.day_share(date(2026, 11, 20), moment, Decimal("6")) == Decimal("0.5")


def test_pace_moment_moves_in_15_minute_steps():
    assert periods.pace_moment(utc(2026, 11, 20, 1, 14, 59)) == datetime(
        2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Asia/Tokyo")
    )
