"""Periods and scopes above the day: weeks, months and quarters as sums of day (or month) rows, team
and organisation rows as sums of rep rows, and the rows a refresh no longer writes. The calendar
arithmetic is kpi/periods.py's."""

from datetime import date

from django.db import connection

from ... import periods
from ...db.sql_dates import date_expr
from ...models import MEASURE_FIELDS
from .conditions_sql import _ids_in, _in
from .tables import _SUMS, _UPSERT, ROLLUP_TABLE, _insert_into


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
    `replace` and `table`: as in days._insert_days."""
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
    `table`: as in days._insert_days.
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
