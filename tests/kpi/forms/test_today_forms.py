"""kpi/forms/today.py: the quick-log form reads the appointment as local time."""

import pytest

from kpi.forms.today import QuickLogForm

pytestmark = pytest.mark.django_db


def test_quick_log_form_reads_the_appointment_as_local_time():
    form = QuickLogForm({"result": "connected", "appointment_for": "2026-11-20T10:00"})
    assert form.is_valid()
    assert form.cleaned_data["appointment_for"].utcoffset().total_seconds() == 9 * 3600
