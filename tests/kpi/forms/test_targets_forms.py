"""kpi/forms/targets.py: the target grid form reads counts and percentages."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from kpi.forms.targets import TargetGridForm, TargetPeriodForm, cell_name

pytestmark = pytest.mark.django_db


def test_target_grid_form_reads_counts_and_percent(rep):
    subjects = [("rep", rep.pk)]
    data = {
        cell_name("rep", rep.pk, "calls"): "1,000",
        cell_name("rep", rep.pk, "connect_rate"): "45",
        cell_name("rep", rep.pk, "orders"): "",
    }
    form = TargetGridForm(data, subjects=subjects)
    assert form.is_valid()
    values = form.values()
    assert values[("rep", rep.pk, "calls")] == Decimal(1000)
    assert values[("rep", rep.pk, "connect_rate")] == Decimal("0.45")
    assert values[("rep", rep.pk, "orders")] is None  # sent empty: clears that target
    assert ("rep", rep.pk, "meetings") not in values  # not sent: left alone
    bad = TargetGridForm({cell_name("rep", rep.pk, "calls"): "-1"}, subjects=subjects)
    assert not bad.is_valid() and list(bad.cell_errors()) == [f"rep_{rep.pk}_calls"]


@pytest.mark.parametrize(
    ("kpi", "typed", "reason"),
    [
        ("calls", "10.5", "a whole number"),
        ("connect_rate", "0.45", "a rate in percent (45 = 45%), not a fraction"),
        ("connect_rate", "120", "a rate in percent, 0 to 100 (45 = 45%)"),
        ("calls", "1e20", "too large"),
    ],
)
def test_a_grid_box_takes_one_unit_per_kpi_kind(rep, kpi, typed, reason):
    with translation.override("en"):
        form = TargetGridForm({cell_name("rep", rep.pk, kpi): typed}, subjects=[("rep", rep.pk)])
        assert not form.is_valid()
        assert form.cell_errors() == {f"rep_{rep.pk}_{kpi}": reason}


def test_the_period_form_bounds_dates_and_reads_the_older_month_parameter():
    today = date(2026, 11, 18)
    assert TargetPeriodForm({"month": "2026-10"}, today=today).period() == ("team", None, "month", date(2026, 10, 1))
    assert TargetPeriodForm({"g": "week", "d": "2026-11-18"}, today=today).period()[2:] == ("week", date(2026, 11, 16))
    assert TargetPeriodForm({"g": "quarter", "d": "2026-11-18"}, today=today).period()[3] == date(2026, 10, 1)
    for edge in ("9999-12", "0001-01-01", "2026-13-01"):
        assert TargetPeriodForm({"month": edge}, today=today).period()[3] == date(2026, 11, 1)
