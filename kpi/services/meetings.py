"""FS outcomes of meetings handed over by IS. Outcomes count on the IS rep and the day it was set."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ..errors import ApplicationError
from ..models import Meeting
from .touches import rollups_enqueue_refresh

OUTCOMES = (
    Meeting.Status.HELD,
    Meeting.Status.NO_SHOW,
    Meeting.Status.QUALIFIED,
    Meeting.Status.DISQUALIFIED,
    Meeting.Status.WON,
    Meeting.Status.LOST,
)


def outcome_problem(status: str, amount) -> str | None:
    """The one rule for an outcome's amount, for the FS page and the ingest API alike: a won meeting
    carries its order amount (0 or more), any other status none. Returns an error code or None."""
    if status == Meeting.Status.WON:
        return "amount_required" if amount is None or amount < 0 else None
    return "amount_without_order" if amount is not None else None


@transaction.atomic
def meeting_record_outcome(*, meeting: Meeting, status: str, amount: Decimal | None = None, by=None) -> Meeting:
    if status not in OUTCOMES:
        raise ApplicationError(f"unknown outcome {status!r}", fields={"status": "unknown outcome"})
    if status != Meeting.Status.WON:
        amount = None  # the FS form keeps the amount box filled when the status changes
    if outcome_problem(status, amount):
        raise ApplicationError(
            "a won meeting needs its order amount (JPY, 0 or more)", fields={"amount": "JPY, 0 or more"}
        )
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    meeting.status, meeting.amount, meeting.outcome_at = status, amount, timezone.now()
    if by is not None and meeting.fs_owner_id is None:
        meeting.fs_owner = by
    meeting.save(update_fields=["status", "amount", "outcome_at", "fs_owner", "updated_at"])
    rollups_enqueue_refresh([(meeting.rep_id, meeting.local_date)])
    return meeting
