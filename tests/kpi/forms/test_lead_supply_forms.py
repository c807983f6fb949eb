"""kpi/forms/lead_supply.py: the form offers only the boxes the user may fill."""

import pytest

from kpi.forms.lead_supply import LeadSupplyForm

pytestmark = pytest.mark.django_db


def test_lead_supply_form_offers_only_the_boxes_the_user_may_fill():
    assert list(LeadSupplyForm({}, can_supply=False, can_capacity=True).fields) == ["fs_capacity"]
    form = LeadSupplyForm({"leads_web": "12", "fs_capacity": "x"}, can_supply=True, can_capacity=True)
    assert not form.is_valid() and list(form.first_errors()) == ["fs_capacity"]
