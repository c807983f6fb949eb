"""kpi/views/csv_export.py: every CSV writes times in the organisation's zone with the offset."""

from datetime import UTC, date, datetime

from kpi.views.csv_export import csv_response


def test_csv_times_are_tokyo_time_with_the_offset():
    response = csv_response("x.csv", ["at", "day"], [[datetime(2026, 11, 20, 1, 30, tzinfo=UTC), date(2026, 11, 20)]])
    lines = response.content.decode("utf-8-sig").splitlines()
    # 01:30 UTC is 10:30 in Tokyo; a plain date stays as it is.
    assert lines[1] == "2026-11-20T10:30:00+09:00,2026-11-20"
