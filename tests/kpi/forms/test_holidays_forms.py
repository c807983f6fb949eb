"""kpi/forms/holidays.py: the holiday and year forms refuse bad input."""

from kpi.forms.holidays import HolidayForm, YearForm


def test_holiday_forms_refuse_bad_input():
    assert not HolidayForm({"date": "2026-13-40", "name": "x"}).is_valid()
    assert not HolidayForm({"date": "2026-12-28", "name": ""}).is_valid()
    assert YearForm({"year": "1999"}).year_or(2026) == 2026
    assert YearForm({"year": "abc"}).year_or(2026) == 2026
    assert YearForm({"year": "2030"}).year_or(2026) == 2030
