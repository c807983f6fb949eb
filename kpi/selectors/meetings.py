"""What the FS meetings page reads."""

from django.db.models import F, Q, QuerySet

from ..models import Meeting


def meetings_for_fs(*, status: str, owner=None, search: str = "") -> QuerySet[Meeting]:
    """status "open": what FS works through, the meetings still waiting for an outcome, earliest first;
    anything else: every meeting, newest first. `owner`: only that FS's meetings; `search`: each word
    in the lead's company or id, the IS rep's name or the hand-over note."""
    meetings = Meeting.objects.select_related("rep", "fs_owner", "lead")
    if owner is not None:
        meetings = meetings.filter(fs_owner=owner)
    for word in search.split()[:5]:
        meetings = meetings.filter(
            Q(lead__company__icontains=word)
            | Q(lead_external_id__icontains=word)
            | Q(rep__name__icontains=word)
            | Q(note__icontains=word)
        )
    if status == "open":
        meetings = meetings.filter(status__in=[Meeting.Status.SCHEDULED, Meeting.Status.HELD])
        return meetings.order_by(F("scheduled_for").asc(nulls_last=True), "set_at")
    return meetings.order_by("-set_at")
