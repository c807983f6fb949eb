"""A rep logs a call by hand from the today page, optionally setting an appointment for FS."""

import uuid
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .. import periods
from ..errors import ApplicationError
from ..models import CallLog, Meeting, UndoneCall
from .imports.validate import MAX_DURATION
from .touches import rollups_enqueue_refresh

SOURCE = "quicklog"
# A mis-tapped button can be taken back this long after the tap, by the rep who tapped it.
UNDO_WINDOW = timedelta(minutes=2)
# What a rep presses: each button is a result; "connected" with a long talk is the usual effective call.
RESULTS = (
    CallLog.Result.NO_ANSWER,
    CallLog.Result.BUSY,
    CallLog.Result.VOICEMAIL,
    CallLog.Result.GATEKEEPER,
    CallLog.Result.CONNECTED,
    CallLog.Result.WRONG_NUMBER,
)


@transaction.atomic
def call_quick_log(
    *,
    rep: User,
    result: str,
    duration_seconds: int | None = None,
    note: str = "",
    reached_target: bool = False,
    appointment_for: datetime | None = None,
) -> CallLog:
    if result not in CallLog.Result.values:
        raise ApplicationError(f"unknown result {result!r}", fields={"result": "unknown result"})
    if duration_seconds is not None and not 0 <= duration_seconds <= MAX_DURATION:
        raise ApplicationError(
            "duration must be between 0 and 86,400 seconds", fields={"duration_seconds": "0 to 86,400"}
        )
    at = timezone.now()
    local = periods.local_datetime(at)
    if duration_seconds is None:
        # A connected call with no duration typed still reached someone: count it as a connect.
        duration_seconds = 1 if result == CallLog.Result.CONNECTED else 0
    call = CallLog.objects.create(
        source=SOURCE,
        external_id=uuid.uuid4().hex,
        rep=rep,
        started_at=at,
        local_date=local.date(),
        local_hour=local.hour,
        duration_seconds=duration_seconds,
        result=result,
        reached_target=reached_target,
        appointment_set=appointment_for is not None,
        note=note,
    )
    if appointment_for is not None:
        Meeting.objects.create(
            source=SOURCE,
            external_id=call.external_id,
            rep=rep,
            call=call,
            set_at=at,
            local_date=local.date(),
            scheduled_for=appointment_for,
            note=note,
        )
    rollups_enqueue_refresh([(rep.pk, local.date())])
    return call


def call_can_undo(call: CallLog, *, now: datetime | None = None) -> bool:
    return call.source == SOURCE and (now or timezone.now()) - call.started_at <= UNDO_WINDOW


@transaction.atomic
def call_quick_log_undo(*, rep: User, call_id: int) -> UndoneCall:
    """Take back a quick-logged call (and the appointment it set) within UNDO_WINDOW; the undo is
    kept in UndoneCall. Another rep's call, an imported one or an older one is refused."""
    call = CallLog.objects.select_for_update().filter(pk=call_id, rep=rep, source=SOURCE).first()
    if call is None:
        raise ApplicationError("no such quick-logged call", status=404)
    if not call_can_undo(call):
        raise ApplicationError("the undo window has passed", fields={"call": "too late to undo"})
    meeting = Meeting.objects.filter(source=SOURCE, external_id=call.external_id, rep=rep).first()
    undone = UndoneCall.objects.create(
        rep=rep,
        call_external_id=call.external_id,
        started_at=call.started_at,
        local_date=call.local_date,
        result=call.result,
        duration_seconds=call.duration_seconds,
        meeting_external_id=meeting.external_id if meeting else "",
    )
    if meeting is not None:
        meeting.delete()
    call.delete()
    rollups_enqueue_refresh([(rep.pk, undone.local_date)])
    return undone
