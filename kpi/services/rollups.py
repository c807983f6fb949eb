"""Rollups: recompute base measures per rep-day from events, then weeks, months and quarters per rep,
team and organisation from those days. Every write recomputes its buckets and replaces them (delete,
then insert ... on conflict update), so running anything twice leaves identical rows.

Day rows are computed with the definition versions in force on each day: the range is cut into
segments wherever an approved version takes effect, and each segment uses its own thresholds.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from .. import catalog, periods, signals
from ..models import MEASURE_FIELDS, CallLog, EmailTouch, HourRollup, Meeting, Rollup
from ..selectors import definitions
from . import table_swap
from .locks import xact_lock
from .sql_dates import date_expr

LOCK = "kpi-rollups"
ROLLUP_TABLE = Rollup._meta.db_table
HOUR_TABLE = HourRollup._meta.db_table
# In this order: quarters are summed from the month rows written just before them.
AGGREGATE_GRANULARITIES = (periods.WEEK, periods.MONTH, periods.QUARTER)
ALL_SCOPES = ("rep", "team", "org")
_COLS = ", ".join(MEASURE_FIELDS)
_SUMS = ", ".join(f"SUM({f})" for f in MEASURE_FIELDS)
_UPSERT = " ON CONFLICT (granularity, scope, scope_id, period_start) DO UPDATE SET " + ", ".join(
    f"{f} = excluded.{f}" for f in (*MEASURE_FIELDS, "computed_at")
)


def _insert_into(table: str) -> str:
    return f"INSERT INTO {table} (granularity, scope, scope_id, period_start, {_COLS}, computed_at) "


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
        for day, day_rep_ids in sorted(by_day.items()):
            for seg_first, seg_last in _segments(day, day, timeline):
                _insert_days(seg_first, seg_last, sorted(day_rep_ids), timeline, now, replace=True)
            _delete_stale("rep", sorted(day_rep_ids), [(periods.DAY, day, day)], now)
        rep_ids = sorted(set().union(*by_day.values()))
        team_ids = _team_ids_of(rep_ids)
        buckets = [(periods.DAY, day, day) for day in sorted(by_day)]
        for day in sorted(by_day):
            _rebuild_scopes(periods.DAY, day, day, team_ids, now, replace=True)
        for granularity in AGGREGATE_GRANULARITIES:
            starts = sorted({periods.period_start(granularity, d) for d in by_day})
            spans = [(granularity, start, periods.period_end(granularity, start)) for start in starts]
            for _g, start, end in spans:
                _rebuild_periods(granularity, start, end, ("rep",), rep_ids, now, replace=True)
            # Before anything sums them (team rows, quarters from months): every rep row of these
            # buckets this run did not write has lost its events.
            _delete_stale("rep", rep_ids, spans, now)
            for _g, start, end in spans:
                _rebuild_scopes(granularity, start, end, team_ids, now, replace=True)
            buckets.extend(spans)
        _delete_stale("team", team_ids, buckets, now)
        _delete_stale("org", [0], buckets, now)
        signals.rollups_changed.send(sender=None, team_ids=team_ids)
    return {"rep_days": sum(len(r) for r in by_day.values()), "days": len(by_day)}


def rollups_rebuild(*, since: date | None = None, wait: bool = False) -> dict:
    """Backfill or full rebuild of every rollup from `since` (everything when None).

    Takes the rollup lock without waiting (LockBusy when another rebuild runs; the task retries).
    A full rebuild on PostgreSQL fills fresh copies of the two rollup tables and swaps them in
    (kpi/services/table_swap.py); a backfill replaces the rows from `since` in place.
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
    swap = since is None and connection.vendor == "postgresql"
    with transaction.atomic(), xact_lock(LOCK, wait=wait):
        _tune_session()
        now = timezone.now()
        if swap:
            table, hour_table = table_swap.fresh_copy(ROLLUP_TABLE), table_swap.fresh_copy(HOUR_TABLE)
        else:
            _delete_all_from(since)
            table, hour_table = ROLLUP_TABLE, HOUR_TABLE
        for seg_first, seg_last in _segments(first, last, timeline):
            _insert_days(seg_first, seg_last, None, timeline, now, table=table)
        # The sums below read the day rows just written: without statistics of them the planner
        # took a fresh table for empty and joined each rep-day to its rep one by one (44 s, not 1 s).
        _analyze(table, _ROLLUP_KEYS)
        _rebuild_scopes(periods.DAY, first, last, None, now, table=table)
        for granularity in AGGREGATE_GRANULARITIES:
            start = periods.period_start(granularity, first)
            end = periods.period_end(granularity, periods.period_start(granularity, last))
            if since is None:
                # Every day row is fresh: team and organisation periods are summed from their own
                # 27 k day rows, not from every rep's period rows joined to the rep's team again.
                _rebuild_periods(granularity, start, end, ALL_SCOPES, None, now, table=table)
            else:
                # The first week, month or quarter begins before `since`: its team days were summed
                # earlier, maybe before a rep changed teams. Reps count toward their team of now.
                _rebuild_periods(granularity, start, end, ("rep",), None, now)
                _rebuild_scopes(granularity, start, end, None, now)
        _finish(ROLLUP_TABLE, table, _ROLLUP_KEYS)
        # Last: its 4.6 M logged rows (bench scale) filled the WAL enough to start two checkpoints,
        # which slowed whatever ran next (the day rows' insert took 3.2 s instead of 2.3).
        _rebuild_hours(first, last, timeline, hour_table)
        if swap:
            table_swap.swap_in(ROLLUP_TABLE, table)
            table_swap.swap_in(HOUR_TABLE, hour_table)
        signals.rollups_changed.send(sender=None, team_ids=None)
    # A --since after the last event rebuilds nothing: report 0 days, not a negative count.
    return {"first": first.isoformat(), "last": last.isoformat(), "days": max(0, (last - first).days + 1)}


def _tune_session() -> None:
    """PostgreSQL settings for this transaction only (SET LOCAL ends with it).

    Measured by `manage.py bench` at 1,000 reps x 520 days (docs/benchmarks.md): with the default
    4 MB work_mem the rep x day x hour GROUP BY spills to disk, and JIT compilation (inlining and
    optimisation kick in on statements this large) cost 4.7 s of a 13 s day aggregate without making
    the aggregation faster. PostgreSQL plans 2 parallel workers by default whatever the cores: on 2 cores
    the leader and one worker aggregated the calls' days in 3.8-3.9 s, the leader and two in 4.4 s.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(f"SET LOCAL max_parallel_workers_per_gather = {int(settings.ROLLUP_PARALLEL_WORKERS)}")


# The columns queries filter, join and group on; measure columns are only ever summed.
_ROLLUP_KEYS = "granularity, scope, scope_id, period_start"
_HOUR_KEYS = "rep_id, date, weekday, hour"


def _finish(original: str, table: str, keys: str) -> None:
    """A filled table: a fresh copy of `original` gets its indexes, then either gets statistics."""
    if table != original:
        table_swap.build_indexes(original, table)
    _analyze(table, keys)


def _analyze(table: str, columns: str) -> None:
    """Fresh planner statistics after a rebuild replaced a table's contents.

    Without them the planner kept the row counts of the empty tables and read a 20-rep team's
    month from the day rows by sequential scan (73 ms instead of about 1 ms at 1,000 reps x 520 days),
    and the incremental refresh right after a rebuild took 1.2 s. Only `columns`: the row count is
    updated whatever the columns, and skipping the measures halved the time (0.4 -> 0.2 s a run).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table} ({columns})")


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


def _team_ids_of(rep_ids: list[int]) -> list[int]:
    params: dict = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT team_id FROM accounts_user WHERE team_id IS NOT NULL AND "
            f"{_ids_in('id', 'rep', rep_ids, params)} ORDER BY team_id",
            params,
        )
        return [row[0] for row in cursor.fetchall()]


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
        sql += f" AND {_ids_in('rep_id', 'rep', rep_ids, params)}"
    return sql


def _ids_in(column: str, name: str, ids: list[int], params: dict) -> str:
    """`column` is one of `ids`. On PostgreSQL one array parameter: planning an IN list of 1,000
    parameters took ~4 ms a statement (0.7 ms with the array), and a refresh runs about fifteen.
    Cast to bigint[]: psycopg sends small ids as smallint[], against which PostgreSQL compares each
    row with every element instead of hashing the array (one day's 34 k calls: 99 ms instead of 10)."""
    if ids and connection.vendor == "postgresql":
        params[name] = list(ids)
        return f"{column} = ANY(%({name})s::bigint[])"
    return f"{column} IN {_in(name, ids, params)}"


def _in(name: str, values, params: dict) -> str:
    """A named-placeholder IN list: ("%(name0)s", ...), with the values added to params."""
    if not values:
        return "(NULL)"  # PostgreSQL rejects "IN ()"; "IN (NULL)" matches nothing on both databases
    names = [f"{name}{i}" for i in range(len(values))]
    params.update(zip(names, values, strict=True))
    return "(" + ", ".join(f"%({n})s" for n in names) + ")"


_DAY_CALLS = "kpi_rollup_day_calls"
_DAY_EMAILS = "kpi_rollup_day_emails"
_HOURS = "kpi_rollup_hours"


def _count(condition: str | None = None) -> str:
    """COUNT(*) [FILTER (WHERE condition)] as an integer: summing bigints keeps a separate
    accumulator allocated per group, which made the 520 k-group day aggregate ~30% slower."""
    counted = f"COUNT(*) FILTER (WHERE {condition})" if condition else "COUNT(*)"
    return f"CAST({counted} AS integer)"


def _sum(column: str) -> str:
    return f"CAST(SUM({column}) AS integer)"


def _call_filters(c: dict, params: dict) -> dict[str, str]:
    """The WHERE of each call measure under conditions `c` (one version's definitions).

    Integer and boolean tests come before the direction's string comparison: PostgreSQL evaluates
    a filter's ANDs in the order written, and comparing the direction first in six filters per call
    cost 4 s of a 10.5 s day aggregate over 17.7 M calls (bench, 1,000 reps x 520 days).
    """
    is_call = f"direction IN {_in('dir', c['directions'], params)}"
    connect_results = _result_filter("cres", c["connect_results"], params)
    connect = f"duration_seconds >= %(connect_s)s AND {is_call}{connect_results}"
    effective_results = _result_filter("eres", c["effective_results"], params)
    return {
        "calls": is_call,
        "connects": connect,
        "target_connects": f"reached_target AND {is_call}",
        "effective_calls": f"duration_seconds >= %(effective_s)s AND {connect}{effective_results}",
        "follow_ups": f"is_follow_up AND {is_call}",
        "connectors": f"is_follow_up AND duration_seconds >= %(connector_s)s AND {is_call}",
    }


def _segment_sql(first: date, last: date, rep_ids: list[int] | None, timeline) -> tuple[dict, dict, str, dict]:
    """For the events of [first, last] (one definition segment) and `rep_ids` (all when None): the
    conditions in force, the statement parameters, the events' WHERE and each call measure's filter."""
    c = _conditions(timeline, first)
    params: dict = {"connect_s": c["connect_s"], "effective_s": c["effective_s"], "connector_s": c["connector_s"]}
    where = _event_filter(first, last, rep_ids, params)
    return c, params, where, _call_filters(c, params)


def _insert_days(
    first: date,
    last: date,
    rep_ids: list[int] | None,
    timeline,
    now,
    replace: bool = False,
    table: str = ROLLUP_TABLE,
) -> None:
    """Rep-day rows: calls + emails + meetings per rep and local day (and, when `replace`, the hour rows).

    Written in day order. `replace`: rows of the range may exist (incremental refresh) and are
    updated in place; a rebuild has emptied the range first, or fills a fresh table, and only inserts.
    """
    c, params, where, f = _segment_sql(first, last, rep_ids, timeline)
    params["now"] = now
    qualified = _in("qual", [str(s) for s in Meeting.QUALIFIED_STATUSES], params)
    kinds = _in("kind", c["meeting_kinds"], params)
    if replace:  # a few rep-days: the call measures were staged by hour already (one scan, not two)
        calls = _day_select(
            _HOURS, {m: _sum(m) for m in (*f, "permissions", "touches")} | {"target_attempts": _sum("calls")}
        )
    else:
        calls = _day_select(
            f"kpi_calllog WHERE {where}",
            {m: _count(condition) for m, condition in f.items()}
            | {"target_attempts": _count(f["calls"]), "permissions": _count("permission_granted"), "touches": _count()},
        )
    emails = _day_select(
        f"kpi_emailtouch WHERE {where}",
        {
            "target_connects": _count("replied AND to_target") if c["email_replies"] else "0",
            "target_attempts": _count("to_target"),
            "follow_ups": _count("is_follow_up"),
            "connectors": _count("is_follow_up AND replied"),
            "emails_sent": _count(),
            "emails_delivered": _count("delivered"),
            "emails_opened": _count("opened"),
            "permissions": _count("permission_granted"),
            "touches": _count(),
        },
    )
    meetings = _day_select(
        f"kpi_meeting WHERE {where} AND kind IN {kinds}",
        {
            "meetings": _count(),
            "qualified_meetings": _count(f"status IN {qualified}"),
            "orders": _count("status = 'won'"),
            "order_amount": "COALESCE(SUM(amount) FILTER (WHERE status = 'won'), 0)",
        },
    )
    with connection.cursor() as cursor:
        if replace:
            _stage_hours(cursor, where, f, params, every_call_measure=True)
            _replace_hours(cursor, where.replace("local_date", "date"), params)
        else:
            # Millions of events: the two large aggregates each run as a CREATE TABLE AS, which may
            # use parallel workers (an INSERT ... SELECT may not). Staged apart, the emails' share
            # took 1.4 s instead of 2.2 s (bench scale).
            calls = _staged(cursor, _DAY_CALLS, calls, params)
            emails = _staged(cursor, _DAY_EMAILS, emails, params)
        # Work hours count on days the rep was active (any call or email), from the rep's schedule.
        # Written day by day, as a day's rows arrive in production: a refresh of one day for every
        # rep then updates a few dozen pages, not one page per rep.
        cursor.execute(
            _insert_into(table)
            + f"""
            SELECT 'day', 'rep', d.rep_id, d.local_date, {", ".join(f"d.{m}" for m in _DAY_MEASURES[:-1])},
                   CASE WHEN d.touches > 0 THEN u.work_hours_per_day ELSE 0 END, %(now)s
            FROM (
                SELECT rep_id, local_date, {", ".join(f"SUM({m}) AS {m}" for m in _DAY_MEASURES)}
                FROM ({calls} UNION ALL {emails} UNION ALL {meetings}) AS p
                GROUP BY rep_id, local_date
            ) AS d JOIN accounts_user u ON u.id = d.rep_id
            ORDER BY d.local_date, d.rep_id
            """
            + (_UPSERT if replace else ""),
            params,
        )
        for temp in (_HOURS,) if replace else (_DAY_CALLS, _DAY_EMAILS):
            cursor.execute(f"DROP TABLE {temp}")


def _day_select(source: str, measures: dict[str, str]) -> str:
    """Per rep and local day from `source` (a table and its WHERE): every day measure, 0 where
    `measures` has no expression for it."""
    columns = ", ".join(f"{measures.get(m, '0')} AS {m}" for m in _DAY_MEASURES)
    return f"SELECT rep_id, local_date, {columns} FROM {source} GROUP BY rep_id, local_date"


def _staged(cursor, name: str, select: str, params: dict) -> str:
    """Materialise `select` as temp table `name`; a SELECT of it."""
    cursor.execute(f"DROP TABLE IF EXISTS {name}")
    cursor.execute(f"CREATE TEMP TABLE {name} AS {select}", params)
    return f"SELECT * FROM {name}"


# The day measures summed from events, in MEASURE_FIELDS order; work hours come from the rep's
# schedule instead, and `touches` (any call or email) decides whether the rep worked that day.
_DAY_MEASURES = (*(m for m in MEASURE_FIELDS if m != "work_hours"), "touches")


def _stage_hours(cursor, where: str, f: dict, params: dict, every_call_measure: bool) -> None:
    """Calls per rep x local day x local hour in a temp table: the hour rollup's three measures, or
    (`every_call_measure`) every call measure of the day rows too."""
    measures = {"calls": f["calls"], "connects": f["connects"], "effective_calls": f["effective_calls"]}
    if every_call_measure:
        measures |= {
            "target_connects": f["target_connects"],
            "follow_ups": f["follow_ups"],
            "connectors": f["connectors"],
            "permissions": "permission_granted",
            "touches": None,
        }
    cursor.execute(f"DROP TABLE IF EXISTS {_HOURS}")
    cursor.execute(
        f"""
        CREATE TEMP TABLE {_HOURS} AS
        SELECT rep_id, local_date, local_hour, {", ".join(f"{_count(c)} AS {m}" for m, c in measures.items())}
        FROM kpi_calllog WHERE {where}
        GROUP BY rep_id, local_date, local_hour
        """,
        params,
    )


def _rebuild_hours(first: date, last: date, timeline, table: str) -> None:
    """Rebuild: hour rows (calls, connects, effective calls by rep x local day x local hour) for hours
    where the rep made at least one call attempt, into a range emptied before or a fresh table.

    Inserted in the key's order: 4.6 M rows in hash order made every index insertion a random page
    of a btree larger than shared_buffers. A fresh table gets its key built after the load.
    """
    for seg_first, seg_last in _segments(first, last, timeline):
        _c, params, where, f = _segment_sql(seg_first, seg_last, None, timeline)
        with connection.cursor() as cursor:
            _insert_hours(cursor, where, f, params, table)
    _finish(HOUR_TABLE, table, _HOUR_KEYS)


def _insert_hours(cursor, where: str, f: dict, params: dict, table: str) -> None:
    _stage_hours(cursor, where, f, params, every_call_measure=False)
    cursor.execute(
        f"""
        INSERT INTO {table} (rep_id, date, weekday, hour, calls, connects, effective_calls)
        SELECT rep_id, local_date, {date_expr("weekday", "local_date")}, local_hour, calls, connects, effective_calls
        FROM {_HOURS} WHERE calls > 0
        ORDER BY rep_id, local_date, local_hour
        """,
        params,
    )
    cursor.execute(f"DROP TABLE {_HOURS}")


_HOURS_NOW = "kpi_rollup_hours_now"


def _replace_hours(cursor, where: str, params: dict) -> None:
    """Refresh: bring the range's hour rows to the staged calls, writing only what differs.

    The current rows are read once; an ingested batch usually adds calls to one or two hours of a
    rep's day, so most hours are left as they are (no new row version), and an hour that lost all
    its call attempts is deleted.
    """
    match = "s.rep_id = n.rep_id AND s.local_date = n.date AND s.local_hour = n.hour"
    cursor.execute(f"DROP TABLE IF EXISTS {_HOURS_NOW}")
    cursor.execute(
        f"CREATE TEMP TABLE {_HOURS_NOW} AS SELECT rep_id, date, hour, calls, connects, effective_calls"
        f" FROM kpi_hourrollup WHERE {where}",
        params,
    )
    gone = (
        f"SELECT n.rep_id, n.date, n.hour FROM {_HOURS_NOW} n"
        f" LEFT JOIN {_HOURS} s ON {match} AND s.calls > 0 WHERE s.rep_id IS NULL"
    )
    # Calls are rarely deleted, so usually no hour has lost them: counting first spares the DELETE's
    # walk over every refreshed rep's hour rows. A count, not EXISTS: for EXISTS the planner chose a
    # nested loop over the unanalysed temp tables (1.3 s for 8,800 hours instead of a hash join).
    cursor.execute(f"SELECT COUNT(*) FROM ({gone}) AS g")
    if cursor.fetchone()[0]:
        cursor.execute(f"DELETE FROM kpi_hourrollup WHERE {where} AND (rep_id, date, hour) IN ({gone})", params)
    cursor.execute(
        f"""
        INSERT INTO kpi_hourrollup (rep_id, date, weekday, hour, calls, connects, effective_calls)
        SELECT s.rep_id, s.local_date, {date_expr("weekday", "s.local_date")}, s.local_hour,
               s.calls, s.connects, s.effective_calls
        FROM {_HOURS} s LEFT JOIN {_HOURS_NOW} n ON {match}
        WHERE s.calls > 0 AND (n.rep_id IS NULL OR n.calls <> s.calls OR n.connects <> s.connects
                               OR n.effective_calls <> s.effective_calls)
        ORDER BY s.rep_id, s.local_date, s.local_hour
        ON CONFLICT (rep_id, date, hour) DO UPDATE
        SET calls = excluded.calls, connects = excluded.connects, effective_calls = excluded.effective_calls
        """,
        params,
    )
    cursor.execute(f"DROP TABLE {_HOURS_NOW}")


# --- periods and scopes above the day --------------------------------------------------------------


def _delete_stale(scope: str, scope_ids: list[int], buckets: list[tuple[str, date, date]], now) -> None:
    """Rows of `scope_ids` in these buckets (granularity, first, last) this run did not write: their
    events or reps are gone. One statement for all the buckets of a scope.

    Refreshes upsert rather than delete and re-insert: an update that changes no indexed column and
    fits on its page (the table is half-filled, migration 0011) is a heap-only (HOT) update, which
    writes neither of the table's indexes.
    """
    if not buckets or not scope_ids:
        return
    params: dict = {"scope": scope, "now": now}
    ranges = []
    for i, (granularity, first, last) in enumerate(buckets):
        params.update({f"g{i}": granularity, f"f{i}": first, f"l{i}": last})
        ranges.append(f"(granularity = %(g{i})s AND period_start BETWEEN %(f{i})s AND %(l{i})s)")
    sql = (
        f"DELETE FROM kpi_rollup WHERE scope = %(scope)s AND {_ids_in('scope_id', 'id', scope_ids, params)}"
        f" AND computed_at <> %(now)s AND ({' OR '.join(ranges)})"
    )
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


def _rebuild_periods(
    granularity: str,
    first: date,
    last: date,
    scopes: tuple[str, ...],
    rep_ids: list[int] | None,
    now,
    replace: bool = False,
    table: str = ROLLUP_TABLE,
) -> None:
    """Weeks and months of `scopes` as sums of their day rows, quarters as sums of their (already
    rebuilt) month rows: three rows a rep instead of sixty. `rep_ids` narrows the rep scope;
    `replace` and `table`: as in _insert_days."""
    source = periods.MONTH if granularity == periods.QUARTER else periods.DAY
    params: dict = {"g": granularity, "source": source, "now": now, "first": first, "last": last}
    if first == periods.period_start(granularity, first) and last == periods.period_end(granularity, first):
        bucket, group = "%(first)s", ""  # one period (a refresh): no date arithmetic per row
    else:
        bucket = date_expr(granularity, "period_start")
        group = f", {bucket}"
    sql = (
        _insert_into(table)
        + f"""
        SELECT %(g)s, scope, scope_id, {bucket}, {_SUMS}, %(now)s
        FROM {table}
        WHERE granularity = %(source)s AND scope IN {_in("scope", scopes, params)}
          AND period_start BETWEEN %(first)s AND %(last)s
        """
    )
    if rep_ids is not None:
        sql += f" AND {_ids_in('scope_id', 'rep', rep_ids, params)}"
    order = f"{group[2:]}, scope, scope_id" if group else "scope, scope_id"
    sql += f" GROUP BY scope, scope_id{group} ORDER BY {order}" + (_UPSERT if replace else "")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _rebuild_scopes(
    granularity: str,
    first: date,
    last: date,
    team_ids: list[int] | None,
    now,
    replace: bool = False,
    table: str = ROLLUP_TABLE,
) -> None:
    """Team and organisation rows as sums of rep rows of the same granularity.

    Reps count toward the team they belong to now (team history is not kept). `replace` and
    `table`: as in _insert_days.
    """
    upsert = _UPSERT if replace else ""
    params: dict = {"g": granularity, "now": now, "first": first, "last": last}
    team_filter = f" AND {_ids_in('u.team_id', 'team', team_ids, params)}" if team_ids is not None else ""
    rep_sums = ", ".join(f"SUM(r.{f})" for f in MEASURE_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(
            _insert_into(table)
            + f"""
            SELECT %(g)s, 'team', u.team_id, r.period_start, {rep_sums}, %(now)s
            FROM {table} r JOIN accounts_user u ON u.id = r.scope_id
            WHERE r.granularity = %(g)s AND r.scope = 'rep' AND r.period_start BETWEEN %(first)s AND %(last)s
              AND u.team_id IS NOT NULL{team_filter}
            GROUP BY u.team_id, r.period_start
            """
            + upsert,
            params,
        )
        cursor.execute(
            _insert_into(table)
            + f"""
            SELECT %(g)s, 'org', 0, period_start, {_SUMS}, %(now)s
            FROM {table}
            WHERE granularity = %(g)s AND scope = 'rep' AND period_start BETWEEN %(first)s AND %(last)s
            GROUP BY period_start
            """
            + upsert,
            params,
        )
