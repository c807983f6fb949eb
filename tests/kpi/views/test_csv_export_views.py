"""kpi/views/csv_export.py: the one place every export's cells pass through (OWASP CSV injection), and
every CSV writes times in the organisation's zone with the offset."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from kpi.views.csv_export import csv_response, safe_cell


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-", "'-"),
        # Numbers, and text that is only a plain number, stay numbers.
        (-3, -3),
        (Decimal("-1.50"), Decimal("-1.50")),
        (-0.25, -0.25),
        ("-3", "-3"),
        ("-0.2500", "-0.2500"),
        ("+81", "+81"),
        ("1e-3", "1e-3"),
        # Anything else is left as it is.
        ("佐藤 花子", "佐藤 花子"),
        ("a=1", "a=1"),
        ("", ""),
        (None, None),
        (True, True),
    ],
)
def test_formula_leading_text_gets_an_apostrophe_and_numbers_stay(value, written):
    assert safe_cell(value) == written


def test_header_and_rows_both_pass_through_it():
    response = csv_response("x.csv", ["=h", "n"], [["=SUM(A1)", -3], ["ok", "-3"]])
    assert response.content.decode("utf-8-sig").splitlines() == ["'=h,n", "'=SUM(A1),-3", "ok,-3"]


def test_csv_times_are_tokyo_time_with_the_offset():
    response = csv_response("x.csv", ["at", "day"], [[datetime(2026, 11, 20, 1, 30, tzinfo=UTC), date(2026, 11, 20)]])
    lines = response.content.decode("utf-8-sig").splitlines()
    # 01:30 UTC is 10:30 in Tokyo; a plain date stays as it is.
    assert lines[1] == "2026-11-20T10:30:00+09:00,2026-11-20"
