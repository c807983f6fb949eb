"""What the data-feeds page and the feed watch read: per source, when it last sent something, what
it sent today so far against what it usually sends by this time on this weekday, and the calls two
sources both sent.

"Usually" is the median of the same weekday in the previous four weeks, same clock time, counting
records by when they arrived (created_at): a feed is judged against its own arrival pattern, so a
nightly file and a live phone-system push are both judged fairly.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from statistics import median

from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils import timezone

from accounts.models import User

from .. import periods
from ..models import CallDuplicate, CallLog, EmailTouch, Integration
from .calendar import Calendar

WEEKS_BACK = 4
RECENT = timedelta(hours=2)
_EVENTS = (CallLog, EmailTouch)


@dataclass(frozen=True)
class FeedRow:
    source: str
    last_received_at: datetime | None
    received: int  # today so far
    usual: float  # by this time on this weekday
    received_recent: int  # in the last two hours
    usual_recent: float
    state: str  # ok, low, quiet, learning, small, off_hours

    @property
    def share_pct(self) -> int | None:
        return round(100 * self.received / self.usual) if self.usual else None


def _counts(start: datetime, end: datetime) -> dict[str, tuple[int, int]]:
    """source -> (records in [start, end), of which in the last two hours before end)."""
    totals: dict[str, list[int]] = {}
    for model in _EVENTS:
        rows = (
            model.objects.filter(created_at__gte=start, created_at__lt=end)
            .values("source")
            .annotate(n=Count("id"), recent=Count("id", filter=Q(created_at__gte=end - RECENT)))
        )
        for row in rows:
            pair = totals.setdefault(row["source"], [0, 0])
            pair[0] += row["n"]
            pair[1] += row["recent"]
    return {source: (n, recent) for source, (n, recent) in totals.items()}


def _watching(now: datetime, calendar: Calendar) -> bool:
    start, end = getattr(settings, "FEED_WATCH_HOURS", (9, 18))
    local = periods.local_datetime(now)
    return calendar.is_business_day(local.date()) and start <= local.hour < end


def feed_health(*, now: datetime | None = None) -> list[FeedRow]:
    now = now or timezone.now()
    tz = periods.org_tz()
    local = periods.local_datetime(now)
    today = local.date()
    elapsed = local - datetime.combine(today, time(0), tzinfo=tz)
    calendar = Calendar(today - timedelta(weeks=WEEKS_BACK), today)
    # Earlier same weekdays that were business days (a holiday would pull "usual" down).
    past = [
        day for day in (today - timedelta(weeks=k) for k in range(1, WEEKS_BACK + 1)) if calendar.is_business_day(day)
    ]
    today_counts = _counts(datetime.combine(today, time(0), tzinfo=tz), now)
    past_counts = [
        _counts(datetime.combine(d, time(0), tzinfo=tz), datetime.combine(d, time(0), tzinfo=tz) + elapsed)
        for d in past
    ]
    since = now - timedelta(weeks=WEEKS_BACK + 1)
    last = {}
    for model in _EVENTS:
        for row in model.objects.filter(created_at__gte=since).values("source").annotate(at=Max("created_at")):
            last[row["source"]] = max(filter(None, (last.get(row["source"]), row["at"])))
    sources = (
        set(last) | set(today_counts) | set(Integration.objects.filter(is_active=True).values_list("source", flat=True))
    )
    watching = _watching(now, calendar)
    rows = []
    for source in sorted(sources):
        received, recent = today_counts.get(source, (0, 0))
        history = [counts.get(source, (0, 0)) for counts in past_counts]
        seen_days = sum(1 for n, _ in history if n)
        usual = median(n for n, _ in history) if history else 0
        usual_recent = median(r for _, r in history) if history else 0
        rows.append(
            FeedRow(
                source=source,
                last_received_at=last.get(source),
                received=received,
                usual=usual,
                received_recent=recent,
                usual_recent=usual_recent,
                state=_state(received, usual, recent, usual_recent, seen_days, watching),
            )
        )
    return rows


def _state(received: int, usual: float, recent: int, usual_recent: float, seen_days: int, watching: bool) -> str:
    if not watching:
        return "off_hours"
    if seen_days < 2:
        return "learning"
    if usual < getattr(settings, "FEED_MIN_USUAL", 20):
        return "small"
    if recent == 0 and usual_recent >= getattr(settings, "FEED_MIN_RECENT", 10):
        return "quiet"
    if received < getattr(settings, "FEED_LOW_SHARE", 0.3) * usual:
        return "low"
    return "ok"


def feed_alert_recipients(*, source: str) -> list[User]:
    """Ops, and the managers of the teams whose reps' calls came from this source lately."""
    since = timezone.now() - timedelta(weeks=WEEKS_BACK + 1)
    teams = CallLog.objects.filter(source=source, created_at__gte=since).values("rep__team").distinct()
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(role=User.Role.OPS) | Q(role=User.Role.MANAGER, managed_teams__in=teams))
        .distinct()
        .order_by("email")
    )


def call_duplicates_open(*, limit: int = 200) -> list[CallDuplicate]:
    return list(
        CallDuplicate.objects.filter(status=CallDuplicate.Status.OPEN).select_related("rep", "first", "second")[:limit]
    )


def call_duplicates_open_count() -> int:
    return CallDuplicate.objects.filter(status=CallDuplicate.Status.OPEN).count()


def call_duplicates_decided(*, limit: int = 20) -> list[CallDuplicate]:
    return list(
        CallDuplicate.objects.exclude(status=CallDuplicate.Status.OPEN)
        .select_related("rep", "resolved_by")
        .order_by("-resolved_at")[:limit]
    )
