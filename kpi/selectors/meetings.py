"""What the FS meetings page reads."""

from django.db.models import F, QuerySet

from ..models import Meeting


def meetings_for_fs(*, status: str) -> QuerySet[Meeting]:
    """status "open": what FS works through, the meetings still waiting for an outcome, earliest first;
    anything else: every meeting, newest first."""
    meetings = Meeting.objects.select_related("rep", "fs_owner")
    if status == "open":
        meetings = meetings.filter(status__in=[Meeting.Status.SCHEDULED, Meeting.Status.HELD])
        return meetings.order_by(F("scheduled_for").asc(nulls_last=True), "set_at")
    return meetings.order_by("-set_at")
