"""What the today page's quick-log reads."""

from datetime import date

from django.db.models import QuerySet

from accounts.models import User

from ..models import CallLog

RECENT_CALLS = 5


def calls_logged_on(*, rep: User, day: date) -> QuerySet[CallLog]:
    """The rep's latest calls of `day`, newest first."""
    return CallLog.objects.filter(rep=rep, local_date=day).order_by("-started_at")[:RECENT_CALLS]
