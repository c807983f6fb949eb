"""kpi/forms/lead_supply.py: the form offers only the boxes the user may fill."""

import pytest

from kpi.forms.lead_supply import LeadSupplyForm

pytestmark = pytest.mark.django_db


def test_lead_supply_form_offers_only_the_boxes_the_user_may_fill():
    assert list(LeadSupplyForm({}, can_supply=False, can_capacity=True).fields) == ["fs_capacity"]
    form = LeadSupplyForm({"leads_web": "12", "fs_capacity": "x"}, can_supply=True, can_capacity=True)
    assert not form.is_valid() and list(form.first_errors()) == ["fs_capacity"]


def test_the_month_of_a_save_is_required_and_exact():
    from datetime import date

    from kpi.forms.lead_supply import LeadSupplyMonthForm

    form = LeadSupplyMonthForm({"month": "2026-12"})
    assert form.is_valid() and form.cleaned_data["month"] == date(2026, 12, 1)
    for bad in ("", "2026-13", "1999-12", "2101-01", "１２"):
        assert not LeadSupplyMonthForm({"month": bad}).is_valid()
    big = LeadSupplyForm({"leads_web": "99999999999"}, can_supply=True, can_capacity=False)
    assert not big.is_valid() and list(big.first_errors()) == ["leads_web"]
