"""kpi/forms/kpi_sheet.py: the draft form refuses bad conditions."""

from kpi import conditions
from kpi.forms.kpi_sheet import DraftForm


def test_draft_form_refuses_bad_conditions(manager):
    current = conditions.default_params("connects")
    form = DraftForm(
        {"c_min_duration_seconds": "-5", "unit": "count", "direction": "higher", "review_cadence": "monthly"},
        key="connects",
        current=current,
    )
    assert not form.is_valid()
    assert {"c_min_duration_seconds", "c_results", "effective_from", "reason"} <= set(form.errors)
