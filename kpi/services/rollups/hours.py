"""The weekday x hour rollup: calls, connects and effective calls per rep, local day and local hour,
staged from the calls in a temp table that a refresh also sums into its day rows."""

from datetime import date

from django.db import connection

from ...db.sql_dates import date_expr
from .conditions_sql import _count, _segment_sql, _segments
from .tables import _HOUR_KEYS, HOUR_TABLE, _finish

_HOURS = "kpi_rollup_hours"


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
