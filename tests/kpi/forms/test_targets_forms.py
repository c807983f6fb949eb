"""kpi/forms/targets.py: the target grid form reads counts and percentages."""

from decimal import Decimal

import pytest

from kpi.forms.targets import TargetGridForm, cell_name

pytestmark = pytest.mark.django_db


def test_target_grid_form_reads_counts_and_percent(rep):
    subjects = [("rep", rep.pk)]
    data = {cell_name("rep", rep.pk, "calls"): "1,000", cell_name("rep", rep.pk, "connect_rate"): "45"}
    form = TargetGridForm(data, subjects=subjects)
    assert form.is_valid()
    values = form.values()
    assert values[("rep", rep.pk, "calls")] == Decimal(1000)
    assert values[("rep", rep.pk, "connect_rate")] == Decimal("0.45")
    assert values[("rep", rep.pk, "meetings")] is None
    bad = TargetGridForm({cell_name("rep", rep.pk, "calls"): "-1"}, subjects=subjects)
    assert not bad.is_valid() and list(bad.cell_errors()) == [f"rep_{rep.pk}_calls"]
