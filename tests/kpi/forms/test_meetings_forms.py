"""kpi/forms/meetings.py: the outcome form reads yen with commas."""

import pytest

from kpi.forms.meetings import OutcomeForm

pytestmark = pytest.mark.django_db


def test_outcome_form_reads_yen_with_commas():
    form = OutcomeForm({"meeting": "7", "status": "won", "amount": "1,200,000"})
    assert form.is_valid() and form.cleaned_data["amount"] == 1_200_000 and form.meeting_id() == 7
    assert OutcomeForm({"meeting": "x"}).meeting_id() == 0
    assert not OutcomeForm({"meeting": "7", "status": "won", "amount": "lots"}).is_valid()
