"""The entry points, each one transaction under the rollup lock: an incremental refresh of the rep-days
ingestion touched, and a backfill or full rebuild. Called by kpi/tasks.py, management commands and
the bench; they write through days.py, periods.py and hours.py in the order the sums need."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from ... import periods, signals
from ...db import table_swap
from ...db.locks import xact_lock
from ...models import CallLog, EmailTouch, Meeting
from ...selectors import definitions
from .conditions_sql import _ids_in, _segments
from .days import _insert_days
from .hours import _rebuild_hours
from .periods import _delete_stale, _rebuild_periods, _rebuild_scopes
from .tables import _ROLLUP_KEYS, HOUR_TABLE, ROLLUP_TABLE, _analyze, _finish

LOCK = "kpi-rollups"
# In this order: quarters are summed from the month rows written just before them.
AGGREGATE_GRANULARITIES = (periods.WEEK, periods.MONTH, periods.QUARTER)
ALL_SCOPES = ("rep", "team", "org")


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
    (kpi/db/table_swap.py); a backfill replaces the rows from `since` in place.
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


# --- what the entry points read and clear -----------------------------------------------------------


def _event_bounds() -> tuple[date, date] | None:
    lows, highs = [], []
    for model in (CallLog, EmailTouch, Meeting):
        agg = model.objects.aggregate(lo=Min("local_date"), hi=Max("local_date"))
        if agg["lo"]:
            lows.append(agg["lo"])
            highs.append(agg["hi"])
    return (min(lows), max(highs)) if lows else None


def _team_ids_of(rep_ids: list[int]) -> list[int]:
    params: dict = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT team_id FROM accounts_user WHERE team_id IS NOT NULL AND "
            f"{_ids_in('id', 'rep', rep_ids, params)} ORDER BY team_id",
            params,
        )
        return [row[0] for row in cursor.fetchall()]


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
