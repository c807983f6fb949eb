"""Rollups: recompute base measures per rep-day from events, then weeks, months and quarters per rep,
team and organisation from those days. Every write recomputes its buckets and replaces them (delete,
then insert ... on conflict update), so running anything twice leaves identical rows.

Day rows are computed with the definition versions in force on each day: the range is cut into
segments wherever an approved version takes effect, and each segment uses its own thresholds.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from accounts.models import User

from .. import catalog, periods, signals
from ..models import MEASURE_FIELDS, CallLog, EmailTouch, Meeting
from . import definitions
from .locks import xact_lock
from .sql_dates import date_expr

LOCK = "kpi-rollups"
AGGREGATE_GRANULARITIES = (periods.WEEK, periods.MONTH, periods.QUARTER)
_COLS = ", ".join(MEASURE_FIELDS)
_SUMS = ", ".join(f"SUM({f})" for f in MEASURE_FIELDS)
_UPSERT = " ON CONFLICT (granularity, scope, scope_id, period_start) DO UPDATE SET " + ", ".join(
    f"{f} = excluded.{f}" for f in (*MEASURE_FIELDS, "computed_at")
)
_INSERT = f"INSERT INTO kpi_rollup (granularity, scope, scope_id, period_start, {_COLS}, computed_at) "


# --- public entry points (called by kpi/tasks.py) ------------------------------------------------


def rollups_refresh_rep_days(*, rep_days: Iterable[tuple[int, date]]) -> dict:
    """Incremental refresh after ingestion: only the touched rep-days and the periods above them."""
    by_day: dict[date, set[int]] = defaultdict(set)
    for rep_id, day in rep_days:
        by_day[day].add(rep_id)
    if not by_day:
        return {"rep_days": 0}
    timeline = definitions.approved_timeline()
    with transaction.atomic(), xact_lock(LOCK):
        _tune_session()
        now = timezone.now()
        for day, rep_ids in sorted(by_day.items()):
            _rebuild_days(day, day, sorted(rep_ids), timeline, now)
        rep_ids = sorted(set().union(*by_day.values()))
        team_ids = sorted(
            t for t in User.objects.filter(pk__in=rep_ids).values_list("team_id", flat=True).distinct() if t
        )
        for day in sorted(by_day):
            _rebuild_scopes(periods.DAY, day, day, team_ids, now)
        for granularity in AGGREGATE_GRANULARITIES:
            for start in sorted({periods.period_start(granularity, d) for d in by_day}):
                end = periods.period_end(granularity, start)
                _rebuild_rep_periods(granularity, start, end, rep_ids, now)
                _rebuild_scopes(granularity, start, end, team_ids, now)
        signals.rollups_changed.send(sender=None, team_ids=team_ids)
    return {"rep_days": sum(len(r) for r in by_day.values()), "days": len(by_day)}


def rollups_rebuild(*, since: date | None = None, wait: bool = False) -> dict:
    """Backfill or full rebuild of every rollup from `since` (everything when None).

    Takes the rollup lock without waiting (LockBusy when another rebuild runs; the task retries).
    """
    bounds = _event_bounds()
    if bounds is None:
        with transaction.atomic(), xact_lock(LOCK, wait=wait):
            _delete_all_from(since)
            signals.rollups_changed.send(sender=None, team_ids=None)
        return {"days": 0}
    first, last = bounds
    if since is not None:
        first = since
    timeline = definitions.approved_timeline()
    with transaction.atomic(), xact_lock(LOCK, wait=wait):
        _tune_session()
        now = timezone.now()
        _delete_all_from(since)
        for seg_first, seg_last in _segments(first, last, timeline):
            _insert_days(seg_first, seg_last, None, timeline, now)
        _rebuild_scopes(periods.DAY, first, last, None, now)
        for granularity in AGGREGATE_GRANULARITIES:
            start = periods.period_start(granularity, first)
            end = periods.period_end(granularity, periods.period_start(granularity, last))
            _rebuild_rep_periods(granularity, start, end, None, now)
            _rebuild_scopes(granularity, start, end, None, now)
        _analyze()
        signals.rollups_changed.send(sender=None, team_ids=None)
    # A --since after the last event rebuilds nothing: report 0 days, not a negative count.
    return {"first": first.isoformat(), "last": last.isoformat(), "days": max(0, (last - first).days + 1)}


def _tune_session() -> None:
    """PostgreSQL settings for this transaction only (SET LOCAL ends with it).

    Measured by `manage.py bench` at 1,000 reps x 520 days (docs/benchmarks.md): with the default
    4 MB work_mem the rep x day x hour GROUP BY spills to disk, and JIT compilation (inlining and
    optimisation kick in on statements this large) cost 4.7 s of a 13 s day aggregate without making
    the aggregation faster.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL jit = off")


def _analyze() -> None:
    """Fresh planner statistics after a rebuild replaced the tables' contents.

    Without them the planner kept the row counts of the empty tables and read a 20-rep team's
    month from the day rows by sequential scan (73 ms instead of about 1 ms at 1,000 reps x 520 days),
    and the incremental refresh right after a rebuild took 1.2 s.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE kpi_rollup, kpi_hourrollup")


# --- day level -----------------------------------------------------------------------------------


def _event_bounds() -> tuple[date, date] | None:
    lows, highs = [], []
    for model in (CallLog, EmailTouch, Meeting):
        agg = model.objects.aggregate(lo=Min("local_date"), hi=Max("local_date"))
        if agg["lo"]:
            lows.append(agg["lo"])
            highs.append(agg["hi"])
    return (min(lows), max(highs)) if lows else None


def _segments(first: date, last: date, timeline) -> list[tuple[date, date]]:
    """Cut [first, last] wherever an approved definition version takes effect."""
    cuts = sorted({span.start for spans in timeline.values() for span in spans if first < span.start <= last})
    bounds, start = [], first
    for cut in cuts:
        bounds.append((start, cut.fromordinal(cut.toordinal() - 1)))
        start = cut
    bounds.append((start, last))
    return bounds


def _rebuild_days(first: date, last: date, rep_ids: list[int] | None, timeline, now) -> None:
    _delete("day", "rep", first, last, rep_ids)
    _delete_hours(first, last, rep_ids)
    for seg_first, seg_last in _segments(first, last, timeline):
        _insert_days(seg_first, seg_last, rep_ids, timeline, now)


def _conditions(timeline, day: date) -> dict:
    def cond(key: str, name: str):
        applied = definitions.params_on(timeline, key, day)
        params = applied.params if applied else definitions.default_params(key)
        return definitions.condition(params, key, name)

    return {
        "directions": cond("calls", "directions"),
        "connect_s": cond("connects", "min_duration_seconds"),
        "connect_results": cond("connects", "results"),
        "effective_s": cond("effective_calls", "min_duration_seconds"),
        "effective_results": cond("effective_calls", "results"),
        "connector_s": cond("connectors", "min_duration_seconds"),
        "email_replies": cond("target_connects", "include_email_replies"),
        "meeting_kinds": cond("meetings", "kinds"),
    }


def _result_filter(name: str, results: list[str], params: dict) -> str:
    """ " AND result IN (...)" for a results condition; nothing when every result counts (the default)."""
    if set(results) >= set(catalog.ALL_RESULTS):
        return ""
    return f" AND result IN {_in(name, results, params)}"


def _event_filter(first: date, last: date, rep_ids: list[int] | None, params: dict) -> str:
    params.update(first=first, last=last)
    sql = "local_date BETWEEN %(first)s AND %(last)s"
    if rep_ids is not None:
        sql += f" AND rep_id IN {_in('rep', rep_ids, params)}"
    return sql


def _in(name: str, values, params: dict) -> str:
    """A named-placeholder IN list: ("%(name0)s", ...), with the values added to params."""
    if not values:
        return "(NULL)"  # PostgreSQL rejects "IN ()"; "IN (NULL)" matches nothing on both databases
    names = [f"{name}{i}" for i in range(len(values))]
    params.update(zip(names, values, strict=True))
    return "(" + ", ".join(f"%({n})s" for n in names) + ")"


_DAY_SUMS = ", ".join(f"SUM(p.{f})" for f in MEASURE_FIELDS if f != "work_hours")


_STAGE = "kpi_rollup_call_hours"


def _stage_calls(cursor, where: str, c: dict, params: dict) -> None:
    """One pass over the calls: every call measure per rep x local day x local hour, in a temp table
    that both the hour rollup and the day rows read (the call log is scanned once, not twice)."""
    is_call = f"direction IN {_in('dir', c['directions'], params)}"
    connect = f"{is_call} AND duration_seconds >= %(connect_s)s" + _result_filter("cres", c["connect_results"], params)
    effective = f"{connect} AND duration_seconds >= %(effective_s)s" + _result_filter(
        "eres", c["effective_results"], params
    )
    cursor.execute(f"DROP TABLE IF EXISTS {_STAGE}")
    cursor.execute(
        f"""
        CREATE TEMP TABLE {_STAGE} AS
        SELECT rep_id, local_date, local_hour,
            COUNT(*) FILTER (WHERE {is_call}) AS calls,
            COUNT(*) FILTER (WHERE {connect}) AS connects,
            COUNT(*) FILTER (WHERE {is_call} AND reached_target) AS target_connects,
            COUNT(*) FILTER (WHERE {effective}) AS effective_calls,
            COUNT(*) FILTER (WHERE {is_call} AND is_follow_up) AS follow_ups,
            COUNT(*) FILTER (WHERE {is_call} AND is_follow_up AND duration_seconds >= %(connector_s)s)
                AS connectors,
            COUNT(*) FILTER (WHERE permission_granted) AS permissions,
            COUNT(*) AS touches
        FROM kpi_calllog WHERE {where}
        GROUP BY rep_id, local_date, local_hour
        """,
        params,
    )


def _insert_days(first: date, last: date, rep_ids: list[int] | None, timeline, now) -> None:
    """Calls by hour (staged once), then hour rows and rep-day rows: calls + emails + meetings."""
    c = _conditions(timeline, first)
    params: dict = {
        "now": now,
        "connect_s": c["connect_s"],
        "effective_s": c["effective_s"],
        "connector_s": c["connector_s"],
    }
    where = _event_filter(first, last, rep_ids, params)
    qualified = _in("qual", [str(s) for s in Meeting.QUALIFIED_STATUSES], params)
    kinds = _in("kind", c["meeting_kinds"], params)
    email_target_connect = "COUNT(*) FILTER (WHERE replied AND to_target)" if c["email_replies"] else "0"
    # Work hours count on days the rep was active (any call or email), from the rep's schedule.
    sql = (
        _INSERT
        + f"""
        SELECT 'day', 'rep', p.rep_id, p.local_date, {_DAY_SUMS},
               CASE WHEN SUM(p.touches) > 0 THEN MAX(u.work_hours_per_day) ELSE 0 END, %(now)s
        FROM (
            SELECT rep_id, local_date,
                SUM(calls) AS calls, SUM(connects) AS connects, SUM(target_connects) AS target_connects,
                SUM(calls) AS target_attempts, SUM(effective_calls) AS effective_calls,
                SUM(follow_ups) AS follow_ups, SUM(connectors) AS connectors,
                0 AS emails_sent, 0 AS emails_delivered, 0 AS emails_opened,
                0 AS meetings, 0 AS qualified_meetings,
                SUM(permissions) AS permissions,
                0 AS orders, 0 AS order_amount, SUM(touches) AS touches
            FROM {_STAGE}
            GROUP BY rep_id, local_date
          UNION ALL
            SELECT rep_id, local_date, 0, 0,
                {email_target_connect},
                COUNT(*) FILTER (WHERE to_target),
                0,
                COUNT(*) FILTER (WHERE is_follow_up),
                COUNT(*) FILTER (WHERE is_follow_up AND replied),
                COUNT(*), COUNT(*) FILTER (WHERE delivered), COUNT(*) FILTER (WHERE opened),
                0, 0,
                COUNT(*) FILTER (WHERE permission_granted),
                0, 0, COUNT(*)
            FROM kpi_emailtouch WHERE {where}
            GROUP BY rep_id, local_date
          UNION ALL
            SELECT rep_id, local_date, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                COUNT(*),
                COUNT(*) FILTER (WHERE status IN {qualified}),
                0,
                COUNT(*) FILTER (WHERE status = 'won'),
                COALESCE(SUM(amount) FILTER (WHERE status = 'won'), 0),
                0
            FROM kpi_meeting WHERE {where} AND kind IN {kinds}
            GROUP BY rep_id, local_date
        ) AS p
        JOIN accounts_user u ON u.id = p.rep_id
        WHERE true
        GROUP BY p.rep_id, p.local_date
        ORDER BY p.rep_id, p.local_date
        """
        + _UPSERT
    )
    with connection.cursor() as cursor:
        _stage_calls(cursor, where, c, params)
        _insert_hours(cursor, params)
        cursor.execute(sql, params)
        cursor.execute(f"DROP TABLE {_STAGE}")


def _insert_hours(cursor, params: dict) -> None:
    """Hour rows from the staged calls: hours where the rep made at least one call attempt.

    Inserted in the unique index's order: 4.6 M rows in hash order made every index insertion a
    random page of a btree larger than shared_buffers.
    """
    cursor.execute(
        f"""
        INSERT INTO kpi_hourrollup (rep_id, date, weekday, hour, calls, connects, effective_calls)
        SELECT rep_id, local_date, {date_expr("weekday", "local_date")}, local_hour, calls, connects, effective_calls
        FROM {_STAGE} WHERE calls > 0
        ORDER BY rep_id, local_date, local_hour
        """,
        params,
    )


def _delete_hours(first: date, last: date, rep_ids: list[int] | None) -> None:
    params: dict = {}
    where = _event_filter(first, last, rep_ids, params).replace("local_date", "date")
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM kpi_hourrollup WHERE {where}", params)


# --- periods and scopes above the day --------------------------------------------------------------


def _delete(granularity: str, scope: str, first: date, last: date, scope_ids: list[int] | None) -> None:
    params: dict = {"g": granularity, "scope": scope, "first": first, "last": last}
    sql = (
        "DELETE FROM kpi_rollup WHERE granularity = %(g)s AND scope = %(scope)s"
        " AND period_start BETWEEN %(first)s AND %(last)s"
    )
    if scope_ids is not None:
        sql += f" AND scope_id IN {_in('id', scope_ids, params)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _delete_all_from(since: date | None) -> None:
    with connection.cursor() as cursor:
        if since is None:
            cursor.execute("DELETE FROM kpi_rollup WHERE 1 = %(one)s", {"one": 1})
            cursor.execute("DELETE FROM kpi_hourrollup WHERE 1 = %(one)s", {"one": 1})
            return
        for granularity in periods.GRANULARITIES:
            cursor.execute(
                "DELETE FROM kpi_rollup WHERE granularity = %(g)s AND period_start >= %(start)s",
                {"g": granularity, "start": periods.period_start(granularity, since)},
            )
        cursor.execute("DELETE FROM kpi_hourrollup WHERE date >= %(since)s", {"since": since})


def _rebuild_rep_periods(granularity: str, first: date, last: date, rep_ids: list[int] | None, now) -> None:
    """Rep weeks / months / quarters as sums of the rep's day rows."""
    _delete(granularity, "rep", first, last, rep_ids)
    params: dict = {"g": granularity, "now": now, "first": first, "last": last}
    trunc = date_expr(granularity, "period_start")
    sql = (
        _INSERT
        + f"""
        SELECT %(g)s, 'rep', scope_id, {trunc}, {_SUMS}, %(now)s
        FROM kpi_rollup
        WHERE granularity = 'day' AND scope = 'rep' AND period_start BETWEEN %(first)s AND %(last)s
        """
    )
    if rep_ids is not None:
        sql += f" AND scope_id IN {_in('rep', rep_ids, params)}"
    sql += f" GROUP BY scope_id, {trunc}" + _UPSERT
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _rebuild_scopes(granularity: str, first: date, last: date, team_ids: list[int] | None, now) -> None:
    """Team and organisation rows as sums of rep rows of the same granularity.

    Reps count toward the team they belong to now (team history is not kept).
    """
    _delete(granularity, "team", first, last, team_ids)
    _delete(granularity, "org", first, last, [0])
    params: dict = {"g": granularity, "now": now, "first": first, "last": last}
    team_filter = f" AND u.team_id IN {_in('team', team_ids, params)}" if team_ids is not None else ""
    rep_sums = ", ".join(f"SUM(r.{f})" for f in MEASURE_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(
            _INSERT
            + f"""
            SELECT %(g)s, 'team', u.team_id, r.period_start, {rep_sums}, %(now)s
            FROM kpi_rollup r JOIN accounts_user u ON u.id = r.scope_id
            WHERE r.granularity = %(g)s AND r.scope = 'rep' AND r.period_start BETWEEN %(first)s AND %(last)s
              AND u.team_id IS NOT NULL{team_filter}
            GROUP BY u.team_id, r.period_start
            """
            + _UPSERT,
            params,
        )
        cursor.execute(
            _INSERT
            + f"""
            SELECT %(g)s, 'org', 0, period_start, {_SUMS}, %(now)s
            FROM kpi_rollup
            WHERE granularity = %(g)s AND scope = 'rep' AND period_start BETWEEN %(first)s AND %(last)s
            GROUP BY period_start
            """
            + _UPSERT,
            params,
        )
