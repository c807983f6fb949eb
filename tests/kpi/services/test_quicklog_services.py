"""kpi/services/quicklog.py: a mis-tapped call is taken back within 2 minutes, by its rep, with a trail."""

from datetime import date, timedelta

import pytest

from kpi.errors import ApplicationError
from kpi.models import CallLog, Meeting, Rollup, UndoneCall
from kpi.services import quicklog
from tests.factories import CallFactory, UserFactory, tokyo

pytestmark = pytest.mark.django_db


def test_undo_within_2_minutes_takes_back_the_call_and_its_appointment(
    rep, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(tokyo(2026, 11, 20, 11, 0), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        kept = quicklog.call_quick_log(rep=rep, result="no_answer")
        call = quicklog.call_quick_log(rep=rep, result="connected", appointment_for=tokyo(2026, 11, 27, 14, 0))
    time_machine.move_to(tokyo(2026, 11, 20, 11, 2), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        undone = quicklog.call_quick_log_undo(rep=rep, call_id=call.pk)
    assert list(CallLog.objects.values_list("pk", flat=True)) == [kept.pk] and not Meeting.objects.exists()
    day = Rollup.objects.get(granularity="day", scope="rep", scope_id=rep.pk, period_start=date(2026, 11, 20))
    assert (day.calls, day.connects, day.meetings) == (1, 0, 0)
    trail = UndoneCall.objects.get()
    assert (trail, trail.result, trail.meeting_external_id) == (undone, "connected", call.external_id)
    assert trail.started_at == tokyo(2026, 11, 20, 11, 0)


def test_a_late_undo_another_reps_call_and_an_imported_call_are_refused(rep, time_machine):
    time_machine.move_to(tokyo(2026, 11, 20, 11, 0), tick=False)
    call = quicklog.call_quick_log(rep=rep, result="busy")
    time_machine.move_to(tokyo(2026, 11, 20, 11, 0) + timedelta(minutes=2, seconds=1), tick=False)
    with pytest.raises(ApplicationError) as late:
        quicklog.call_quick_log_undo(rep=rep, call_id=call.pk)
    assert late.value.status == 400
    with pytest.raises(ApplicationError) as other:
        quicklog.call_quick_log_undo(rep=UserFactory(team=rep.team), call_id=call.pk)
    imported = CallFactory(rep=rep, started_at=tokyo(2026, 11, 20, 11, 2))
    with pytest.raises(ApplicationError) as not_quick:
        quicklog.call_quick_log_undo(rep=rep, call_id=imported.pk)
    assert other.value.status == not_quick.value.status == 404
    assert CallLog.objects.count() == 2 and not UndoneCall.objects.exists()
