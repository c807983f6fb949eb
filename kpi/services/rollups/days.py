"""The day aggregate: rep-day rows summed from calls, emails and meetings under the conditions of one
definition segment, with the rep's work hours on days the rep was active."""

from datetime import date

from django.db import connection

from ...models import MEASURE_FIELDS, Meeting
from .conditions_sql import _count, _in, _segment_sql
from .hours import _HOURS, _replace_hours, _stage_hours
from .tables import _UPSERT, ROLLUP_TABLE, _insert_into

_DAY_CALLS = "kpi_rollup_day_calls"
_DAY_EMAILS = "kpi_rollup_day_emails"


# The day measures summed from events, in MEASURE_FIELDS order; work hours come from the rep's
# schedule instead, and `touches` (any call or email) decides whether the rep worked that day.
_DAY_MEASURES = (*(m for m in MEASURE_FIELDS if m != "work_hours"), "touches")


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


def _sum(column: str) -> str:
    return f"CAST(SUM({column}) AS integer)"
