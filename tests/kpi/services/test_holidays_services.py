"""kpi/services/holidays.py: a bad company holiday is refused with the field named."""

from datetime import date

import pytest

from kpi.errors import ApplicationError
from kpi.models import CompanyHoliday
from kpi.services.holidays import company_holiday_add


def test_holiday_service_refuses_with_the_field_named(db):
    with pytest.raises(ApplicationError) as refused:
        company_holiday_add(day=date(2026, 12, 28), name="  ")
    assert list(refused.value.fields) == ["name"] and not CompanyHoliday.objects.exists()
    company_holiday_add(day=date(2026, 12, 28), name="年末")
    with pytest.raises(ApplicationError) as refused:
        company_holiday_add(day=date(2026, 12, 28), name="again")
    assert list(refused.value.fields) == ["date"] and CompanyHoliday.objects.count() == 1
