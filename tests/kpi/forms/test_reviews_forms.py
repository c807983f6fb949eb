"""kpi/forms/reviews.py: bad rule and entry input refused, every field named; the items filter."""

from datetime import date
from decimal import Decimal

import pytest

from kpi.forms import form_fields
from kpi.forms.reviews import ReviewEntryForm, ReviewItemsFilterForm, ReviewRuleForm

pytestmark = pytest.mark.django_db


def test_a_new_rule_takes_its_defaults_and_names_every_bad_field():
    good = ReviewRuleForm({"kpi_key": "calls", "scope": "team", "scope_id": "3"})
    assert good.is_valid()
    assert good.cleaned_data == {
        "kpi_key": "calls",
        "scope": "team",
        "scope_id": 3,
        "granularity": "month",
        "threshold_pct": Decimal("70.0"),
        "min_sample": 30,
        "pace_aware": True,
    }
    bad = ReviewRuleForm({"kpi_key": "nope", "scope": "x", "scope_id": "a", "threshold_pct": "72.55"})
    assert not bad.is_valid()
    assert list(form_fields(bad)) == ["kpi_key", "scope", "scope_id", "threshold_pct"]


def test_an_entry_refuses_a_bad_date_and_target():
    form = ReviewEntryForm(
        {"cause": "c", "next_action": "n", "recheck_on": "2026-13-01", "new_target": "x"}, kpi_key="calls"
    )
    assert not form.is_valid()
    assert set(form_fields(form)) == {"recheck_on", "new_target"}
    ok = ReviewEntryForm(
        {"cause": "c", "next_action": "n", "recheck_on": "2026-12-01", "new_target": ""}, kpi_key="calls"
    )
    assert (
        ok.is_valid() and ok.cleaned_data["recheck_on"] == date(2026, 12, 1) and ok.cleaned_data["new_target"] is None
    )


def test_the_items_filter_falls_back_to_all():
    assert ReviewItemsFilterForm({"status": "open"}).status_value == "open"
    assert ReviewItemsFilterForm({"status": "bogus"}).status_value == "all"
    assert ReviewItemsFilterForm({}).status_value == "all"
