"""kpi/views/holidays.py: only ops manage company holidays; a holiday changes pace, not rollups."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from kpi.models import CompanyHoliday, Rollup, Target
from kpi.selectors.calendar import Calendar
from kpi.selectors.targets import period_target, targets_in_window
from kpi.services.rollups import rollups_rebuild
from tests.factories import CallFactory, tokyo
from tests.kpi.views.helpers import en

pytestmark = pytest.mark.django_db


def test_only_ops_manage_holidays(client, rep, manager, ops):
    for user in (rep, manager):
        client.force_login(user)
        assert client.get("/holidays/").status_code == 403
        assert client.post("/holidays/", {"date": "2026-12-28", "name": "x"}).status_code == 403
    assert not CompanyHoliday.objects.exists()


def test_ops_adds_lists_and_deletes_company_holidays(client, ops):
    client.force_login(ops)
    en(client)
    page = client.get("/holidays/", {"year": 2026}).content.decode()
    assert "文化の日" in page and "2026-11-03" in page  # public holidays alongside
    assert "244 business days in 2026" in page  # 261 weekdays - 17 public holidays on weekdays
    resp = client.post("/holidays/?year=2026", {"date": "2026-12-28", "name": "年末休業"}, follow=True)
    page = resp.content.decode()
    assert "Added 年末休業 on" in page and 'data-date="2026-12-28"' in page
    assert "243 business days in 2026" in page
    dup = client.post("/holidays/?year=2026", {"date": "2026-12-28", "name": "again"}).content.decode()
    assert "This date is already a company holiday." in dup
    missing = client.post("/holidays/?year=2026", {"date": "2026-12-29", "name": " "}).content.decode()
    assert "This field is required" in missing
    assert CompanyHoliday.objects.count() == 1
    csv = client.get("/holidays/", {"year": 2026, "format": "csv"}).content.decode("utf-8-sig").splitlines()
    assert "2026-12-28,company,年末休業" in csv and "2026-11-03,public,文化の日" in csv
    holiday = CompanyHoliday.objects.get()
    client.post(reverse("holiday_delete", args=[holiday.pk]))
    assert not CompanyHoliday.objects.exists()


def test_a_holiday_changes_pace_not_rollups(rep, client, ops):
    """November 2026 has 19 business days; a target of 38 calls is 2 a day. By 11-20 (14 business
    days) pace is 28. Closing 11-16 leaves 18 days: 38 / 18 x 13 = 27.44."""
    CallFactory(rep=rep, started_at=tokyo(2026, 11, 16, 10))
    Target.objects.create(
        kpi_key="calls", scope="rep", scope_id=rep.pk, granularity="month", period_start=date(2026, 11, 1), value=38
    )
    rollups_rebuild()
    before = list(Rollup.objects.values_list("granularity", "scope", "scope_id", "period_start", "calls"))

    def pace():
        first, last = date(2026, 11, 1), date(2026, 11, 30)
        monthly = targets_in_window(kpis=["calls"], scope="rep", scope_ids=[rep.pk], first=first, last=last)
        return period_target(
            kpi="calls",
            monthly=monthly,
            scope_id=rep.pk,
            first=first,
            last=last,
            as_of=date(2026, 11, 20),
            calendar=Calendar.for_months(first, last),
        )

    assert pace().expected == Decimal(28)
    client.force_login(ops)
    client.post("/holidays/", {"date": "2026-11-16", "name": "創立記念日"})
    assert pace().expected.quantize(Decimal("0.01")) == Decimal("27.44")
    assert list(Rollup.objects.values_list("granularity", "scope", "scope_id", "period_start", "calls")) == before
