"""Data feeds: flag calls two sources both sent, let ops keep one, and raise an alert when a feed
goes quiet or falls far below its usual volume while people are working.

Flagging runs inside the import's (or API batch's) transaction, on the rep-days it touched, before
their rollups are refreshed: a pair ops already decided is decided again the same way, so the
rollups never count a call ops removed, even when the same file comes in again.
"""

from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, models, transaction
from django.db.models import F, Max, Min
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User

from .. import periods
from ..errors import ApplicationError
from ..models import CallDuplicate, CallLog, FeedAlert
from ..selectors.feeds import FeedRow, feed_alert_recipients, feed_health
from .touches import rollups_enqueue_refresh

_SNAPSHOT_FIELDS = ("id", "source", "external_id", "started_at", "duration_seconds", "result", "lead_external_id")


def _window() -> timedelta:
    return timedelta(seconds=getattr(settings, "CROSS_SOURCE_WINDOW_SECONDS", 5))


def _snapshot(call: dict) -> dict:
    local = periods.local_datetime(call["started_at"])
    return {**call, "started_at": local.isoformat(), "started_local": local.strftime("%Y-%m-%d %H:%M:%S")}


def _same_call(a: dict, b: dict, window: timedelta) -> bool:
    """Two rows of one rep, a few seconds apart, from two sources, not naming two different leads."""
    if a["source"] == b["source"] or abs(a["started_at"] - b["started_at"]) > window:
        return False
    return not (a["lead_external_id"] and b["lead_external_id"] and a["lead_external_id"] != b["lead_external_id"])


def _reps(keys) -> set[int]:
    return {rep for rep, _day in keys}


def _days(keys) -> set[date]:
    return {day for _rep, day in keys}


def call_duplicates_flag(
    rep_days: Iterable[tuple[int, date]], *, started_between: tuple[datetime, datetime] | None = None
) -> int:
    """Flag cross-source pairs on these rep-days; returns how many pairs are open there afterwards.

    Only rep-days holding calls of two or more sources are looked at closer (one grouped query finds
    them), so a single-source organisation pays one index range scan per import.

    `started_between` (earliest, latest start of the calls just written) narrows the look to those
    times give or take the window: a pair with a new call lies inside it, and a contiguous stretch of
    a rep-day keeps every call's neighbours, so an API request with one call does not re-read the
    whole day. File imports pass nothing (their calls span the days anyway).
    """
    keys = {(int(rep), day) for rep, day in rep_days}
    if not keys:
        return 0
    days = _days(keys)
    window = _window()
    span = (started_between[0] - window, started_between[1] + window) if started_between else None
    calls = CallLog.objects.filter(rep_id__in=_reps(keys), local_date__range=(min(days), max(days)))
    if span:
        calls = calls.filter(started_at__range=span)
    mixed = {
        (row["rep_id"], row["local_date"])
        for row in calls.values("rep_id", "local_date")
        # min < max: two sources at least, without the sort a COUNT(DISTINCT) needs.
        .annotate(first=Min("source"), last=Max("source"))
        .filter(first__lt=F("last"))
    } & keys
    if not mixed:
        return 0
    now = timezone.now()
    for candidates in _neighbours_from_another_source(mixed, span):
        rows = {
            call["id"]: call
            for call in CallLog.objects.filter(pk__in={pk for pair in candidates for pk in pair}).values(
                "rep_id", "local_date", *_SNAPSHOT_FIELDS
            )
        }
        found = []
        for a_id, b_id in candidates:
            a, b = rows[a_id], rows[b_id]
            if (a["rep_id"], a["local_date"]) in mixed and _same_call(a, b, window):
                # Ordered by (source, id) in the source, not by row id: a row removed and imported
                # again gets a new id, and must still be the same pair.
                first, second = sorted((a, b), key=lambda c: (c["source"], c["external_id"]))
                found.append(_pair(a["rep_id"], a["local_date"], first, second, now))
        CallDuplicate.objects.bulk_create(found, ignore_conflicts=True)
    _decide_again(mixed)
    return CallDuplicate.objects.filter(
        status=CallDuplicate.Status.OPEN, rep_id__in=_reps(mixed), local_date__in=_days(mixed)
    ).count()


# A rep's calls of one day in start order: a call sent by two sources sits next to its twin, or one
# further when a third call started within the same seconds.
_NEXT_OFFSETS = (1, 2)
_BATCH = 5_000


def _neighbours_from_another_source(
    rep_days: set[tuple[int, date]], span: tuple[datetime, datetime] | None
) -> Iterator[list[tuple[int, int]]]:
    """Batches of (id, id): each call and the next (or next but one) call of its rep-day from another
    source that started within the window. One pass of window functions in the database; batches in
    Python, so memory stays bounded even when a whole month arrives again under another source name."""
    reps, days = sorted(_reps(rep_days)), sorted(_days(rep_days))
    seconds = _window().total_seconds()
    vendor = connection.vendor
    gap = _GAP_SQL[vendor if vendor in _GAP_SQL else "sqlite"]
    sql = _NEIGHBOURS_SQL.format(
        reps=", ".join(["%s"] * len(reps)),
        days=", ".join(["%s"] * len(days)),
        gap1=gap.format(offset=1),
        gap2=gap.format(offset=2),
        span="AND started_at BETWEEN %s AND %s" if span else "",
    )
    with connection.cursor() as cursor:
        bounds = [connection.ops.adapt_datetimefield_value(moment) for moment in span or ()]
        cursor.execute(sql, [seconds, seconds, *reps, *days, *bounds, seconds, seconds])
        while batch := cursor.fetchmany(_BATCH):
            yield [pair for a, b1, b2 in batch for pair in ((a, b1), (a, b2)) if pair[1] is not None]


# Seconds from a call's start to the start of the call `offset` places later in its rep-day.
_GAP_SQL = {
    "postgresql": "EXTRACT(EPOCH FROM LEAD(started_at, {offset}) OVER w - started_at)",
    "sqlite": "(julianday(LEAD(started_at, {offset}) OVER w) - julianday(started_at)) * 86400",
}
_NEIGHBOURS_SQL = """
SELECT id, CASE WHEN s1 <> source AND g1 <= %s THEN n1 END, CASE WHEN s2 <> source AND g2 <= %s THEN n2 END
FROM (
    SELECT id, source,
           LEAD(id, 1) OVER w AS n1, LEAD(source, 1) OVER w AS s1, {gap1} AS g1,
           LEAD(id, 2) OVER w AS n2, LEAD(source, 2) OVER w AS s2, {gap2} AS g2
    FROM kpi_calllog
    WHERE rep_id IN ({reps}) AND local_date IN ({days}) {span}
    WINDOW w AS (PARTITION BY rep_id, local_date ORDER BY started_at, id)
) calls
WHERE (s1 <> source AND g1 <= %s) OR (s2 <> source AND g2 <= %s)
"""


def _pair(rep: int, day: date, first: dict, second: dict, now) -> CallDuplicate:
    return CallDuplicate(
        first_id=first["id"],
        second_id=second["id"],
        first_source=first["source"],
        first_external_id=first["external_id"],
        second_source=second["source"],
        second_external_id=second["external_id"],
        rep_id=rep,
        local_date=day,
        found_at=now,
    )


def _decide_again(rep_days: set[tuple[int, date]]) -> None:
    """A call ops removed that came in again (the same file re-imported) is removed again."""
    decided = CallDuplicate.objects.filter(
        status__in=(CallDuplicate.Status.KEPT_FIRST, CallDuplicate.Status.KEPT_SECOND),
        rep_id__in=_reps(rep_days),
        local_date__in=_days(rep_days),
    )
    for pair in decided:
        source, external_id, pointer = (
            (pair.second_source, pair.second_external_id, "second")
            if pair.status == CallDuplicate.Status.KEPT_FIRST
            else (pair.first_source, pair.first_external_id, "first")
        )
        if CallLog.objects.filter(source=source, external_id=external_id).delete()[0]:
            setattr(pair, f"{pointer}_id", None)
            pair.save(update_fields=[f"{pointer}_id"])
    # A pair one of whose rows is gone (removed by a decision above) has nothing left to decide.
    CallDuplicate.objects.filter(status=CallDuplicate.Status.OPEN, rep_id__in=_reps(rep_days)).filter(
        models.Q(first__isnull=True) | models.Q(second__isnull=True)
    ).delete()


def call_duplicate_resolve(*, pair_id: int, keep: str, by: User) -> CallDuplicate:
    """Ops decide one pair: keep "first", keep "second" (the other row is deleted), or "distinct"."""
    choices = {
        "first": CallDuplicate.Status.KEPT_FIRST,
        "second": CallDuplicate.Status.KEPT_SECOND,
        "distinct": CallDuplicate.Status.DISTINCT,
    }
    if keep not in choices:
        raise ApplicationError(_("Choose which call to keep."), fields={"keep": _("Choose which call to keep.")})
    with transaction.atomic():
        pair = CallDuplicate.objects.select_for_update().filter(pk=pair_id).first()
        if pair is None:
            raise ApplicationError(_("That pair no longer exists."), status=404)
        if pair.status != CallDuplicate.Status.OPEN:
            raise ApplicationError(_("This pair was already decided."), status=409)
        # Both calls as they were, kept with the decision: it outlives the row it removes.
        calls = {
            c["id"]: c for c in CallLog.objects.filter(pk__in=(pair.first_id, pair.second_id)).values(*_SNAPSHOT_FIELDS)
        }
        pair.first_snapshot = _snapshot(calls[pair.first_id]) if pair.first_id in calls else {}
        pair.second_snapshot = _snapshot(calls[pair.second_id]) if pair.second_id in calls else {}
        removed = {"first": "second", "second": "first"}.get(keep)
        if removed:
            CallLog.objects.filter(pk=getattr(pair, f"{removed}_id")).delete()
            setattr(pair, f"{removed}_id", None)
        pair.status, pair.resolved_at, pair.resolved_by = choices[keep], timezone.now(), by
        pair.save()
        if removed:
            rollups_enqueue_refresh([(pair.rep_id, pair.local_date)])
    return pair


def feed_alerts_raise(rows: list[FeedRow], *, day: date) -> list[FeedAlert]:
    """Record the feeds found quiet or low today, and tell ops and the managers of the teams the
    feed serves, once per feed and state a day, in each person's language."""
    raised = []
    for row in rows:
        if row.state not in (FeedAlert.State.QUIET, FeedAlert.State.LOW):
            continue
        alert, created = FeedAlert.objects.get_or_create(
            source=row.source,
            day=day,
            state=row.state,
            defaults={"received": row.received, "usual": round(row.usual), "raised_at": timezone.now()},
        )
        if created:
            raised.append(alert)
            _feed_alert_notify(alert, feed_alert_recipients(source=row.source))
    return raised


def _feed_alert_notify(alert: FeedAlert, people: list[User]) -> None:
    for person in people:
        if not person.email:
            continue
        with translation.override(getattr(person, "language", "") or settings.LANGUAGE_CODE):
            if alert.state == FeedAlert.State.QUIET:
                subject = _("Feed %(source)s is quiet") % {"source": alert.source}
            else:
                subject = _("Feed %(source)s is far below its usual volume") % {"source": alert.source}
            body = _(
                "%(source)s sent %(received)s records today so far; on this weekday it has usually sent "
                "%(usual)s by this time. Check the phone system's export or the integration: %(url)s"
            ) % {
                "source": alert.source,
                "received": alert.received,
                "usual": alert.usual,
                "url": settings.SITE_URL + reverse("feeds"),
            }
        send_mail(subject, body, None, [person.email])


def feeds_watch(*, now=None) -> dict:
    """The feed watch (beat, every 15 minutes): judge every feed now and raise what is new today."""
    rows = feed_health(now=now)
    day = periods.local_date(now or timezone.now())
    raised = feed_alerts_raise(rows, day=day)
    return {"feeds": len(rows), "raised": [f"{a.source}:{a.state}" for a in raised]}
