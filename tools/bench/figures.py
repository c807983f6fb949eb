"""The figures: each measured next to the plain-SQL statement that computes the same numbers."""

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import NoReverseMatch, reverse

from accounts.models import Team, User
from kpi import periods
from kpi.models import CallLog
from kpi.services import board_cache, rollups
from kpi.services.rollups import rebuild

from .measure import Emitter, median, p95, repeat_ms, seconds, sql

PAGE_RUNS = 30
COLD_RUNS = 5  # cold page views: each right after its board's data version changed
SQL_RUNS = 30
REFRESH_RUNS = 5
ANCHOR_DAYS = 30  # the raw-call anchor's window, whatever the day of the month the bench runs on

# The measures the rollup takes from calls, per rep per local day, in one GROUP BY: the floor any
# rebuild has to pay. Materialised into a temp table so the planner cannot drop unused aggregates.
_DAY_AGGREGATE = """
CREATE TEMP TABLE bench_anchor AS
SELECT rep_id, local_date,
    COUNT(*) AS calls,
    COUNT(*) FILTER (WHERE duration_seconds >= 1) AS connects,
    COUNT(*) FILTER (WHERE reached_target) AS target_connects,
    COUNT(*) FILTER (WHERE duration_seconds >= 120) AS effective_calls,
    COUNT(*) FILTER (WHERE is_follow_up) AS follow_ups,
    COUNT(*) FILTER (WHERE is_follow_up AND duration_seconds >= 1) AS connectors,
    COUNT(*) FILTER (WHERE permission_granted) AS permissions
FROM kpi_calllog WHERE direction = 'outbound'{days}
GROUP BY rep_id, local_date
"""

_ONE_DAY = """
SELECT rep_id, COUNT(*), COUNT(*) FILTER (WHERE duration_seconds >= 1),
    COUNT(*) FILTER (WHERE duration_seconds >= 120), COUNT(*) FILTER (WHERE is_follow_up)
FROM kpi_calllog WHERE local_date = %(day)s AND direction = 'outbound'
GROUP BY rep_id
"""

# The board's month-to-date measures per rep, straight from the events (what the page would cost if
# it aggregated raw calls per view).
_MONTH_RAW = """
SELECT rep_id, SUM(calls), SUM(connects), SUM(effective_calls), SUM(meetings), SUM(qualified), SUM(orders)
FROM (
    SELECT rep_id, COUNT(*) AS calls, COUNT(*) FILTER (WHERE duration_seconds >= 1) AS connects,
        COUNT(*) FILTER (WHERE duration_seconds >= 120) AS effective_calls,
        0 AS meetings, 0 AS qualified, 0 AS orders
    FROM kpi_calllog
    WHERE direction = 'outbound' AND local_date BETWEEN %(first)s AND %(last)s {reps}
    GROUP BY rep_id
  UNION ALL
    SELECT rep_id, 0, 0, 0, COUNT(*), COUNT(*) FILTER (WHERE status IN ('qualified', 'won', 'lost')),
        COUNT(*) FILTER (WHERE status = 'won')
    FROM kpi_meeting
    WHERE kind = 'first' AND local_date BETWEEN %(first)s AND %(last)s {reps}
    GROUP BY rep_id
) AS m
GROUP BY rep_id
"""

_MONTH_DAY_ROLLUP = """
SELECT scope_id, SUM(calls), SUM(connects), SUM(effective_calls), SUM(meetings), SUM(qualified_meetings),
    SUM(orders)
FROM kpi_rollup
WHERE granularity = 'day' AND scope = 'rep' AND scope_id = ANY(%(reps)s) AND period_start BETWEEN %(first)s AND %(last)s
GROUP BY scope_id
"""


def rollup_figures(out: Emitter, *, last_day: date) -> None:
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE kpi_rollup, kpi_hourrollup")
    anchor = out.figure("day_aggregate_sql", _day_aggregate_seconds(), "s", note="plain GROUP BY rep, local day")
    tuned = out.figure(
        "day_aggregate_sql_tuned",
        _day_aggregate_seconds(tuned=True),
        "s",
        note="the same with the rebuild's session settings (work_mem, jit off)",
    )

    hours = {"s": 0.0}
    rebuild_hours = rebuild._rebuild_hours

    def timed_rebuild_hours(*args, **kwargs):
        hours["s"] += seconds(lambda: rebuild_hours(*args, **kwargs))

    rebuild._rebuild_hours = timed_rebuild_hours
    try:
        total = seconds(lambda: rollups.rollups_rebuild(wait=True))
    finally:
        rebuild._rebuild_hours = rebuild_hours
    out.figure("rollups_rebuild_full", total, "s", anchor=anchor, goal="< 60 s", ok=total < 60)
    without = total - hours["s"]
    out.figure(
        "rollups_rebuild_without_hours",
        without,
        "s",
        anchor=anchor,
        goal="<= 2x anchor",
        ok=without <= 2 * anchor["value"],
        ratio_to_tuned=round(without / tuned["value"], 3) if tuned["value"] else None,
    )
    out.figure("hour_rollup_rebuild", hours["s"], "s", anchor=anchor)
    _reconcile_figure(out, last_day)

    one_day = out.figure(
        "one_local_day_all_reps_sql",
        median(repeat_ms(sql(_ONE_DAY, {"day": last_day}), runs=REFRESH_RUNS)),
        "ms",
        note="plain GROUP BY rep for one local day",
    )
    rep_ids = list(User.objects.filter(role=User.Role.REP).values_list("pk", flat=True))
    rep_days = [(pk, last_day) for pk in rep_ids]
    refresh = []
    CallLog.objects.filter(source=REFRESH_SOURCE).delete()  # left by an interrupted run
    try:
        for run in range(REFRESH_RUNS + 1):  # the first run warms up and is not counted
            _ingest_one_call_each(rep_ids, last_day, run)
            took = seconds(lambda: rollups.rollups_refresh_rep_days(rep_days=rep_days)) * 1000
            if run:
                refresh.append(took)
    finally:
        CallLog.objects.filter(source=REFRESH_SOURCE).delete()
        rollups.rollups_refresh_rep_days(rep_days=rep_days)
    out.figure(
        "rollups_refresh_one_day_all_reps",
        median(refresh),
        "ms",
        anchor=one_day,
        goal="< 250 ms",
        ok=median(refresh) < 250,
        rep_days=len(rep_days),
        max=round(max(refresh), 3),
        note="after each run's batch of one new call per rep (every rep's day, week, month and quarter change)",
    )


def _reconcile_figure(out: Emitter, last_day: date) -> None:
    """The nightly reconcile (kpi/tasks.py): a backfill of the last ROLLUP_RECONCILE_DAYS days, in
    place, next to the plain day aggregate of the same days."""
    since = last_day - timedelta(days=settings.ROLLUP_RECONCILE_DAYS)
    window = _day_aggregate_seconds(since=since)
    anchor = out.figure("day_aggregate_sql_reconcile_window", window, "s", since=since.isoformat())
    took = seconds(lambda: rollups.rollups_rebuild(since=since, wait=True))
    out.figure("rollups_reconcile_nightly", took, "s", anchor=anchor, since=since.isoformat())


REFRESH_SOURCE = "bench-refresh"


def _ingest_one_call_each(rep_ids: list[int], day: date, run: int) -> None:
    """What precedes a real refresh: a batch of new calls on the day (one a rep, 17:xx Tokyo),
    so the refresh has changed numbers to write rather than identical rows to skip."""
    started = datetime.combine(day, time(17, run), tzinfo=periods.org_tz())
    CallLog.objects.bulk_create(
        CallLog(
            source=REFRESH_SOURCE,
            external_id=f"{run}-{rep_id}",
            rep_id=rep_id,
            started_at=started,
            local_date=day,
            local_hour=17,
            duration_seconds=150,
            result=CallLog.Result.CONNECTED,
        )
        for rep_id in rep_ids
    )


def _day_aggregate_seconds(*, tuned: bool = False, since: date | None = None) -> float:
    """Second of two runs (the first warms the cache the rebuild will find warm too); with `tuned`,
    one run inside a transaction carrying the rebuild's SET LOCAL settings; with `since`, the days
    from `since` only."""
    statement = _DAY_AGGREGATE.format(days=" AND local_date >= %(since)s" if since else "")
    result = 0.0
    for _ in range(1 if tuned else 2):
        with transaction.atomic(), connection.cursor() as cursor:
            if tuned:
                rebuild._tune_session()
            result = seconds(lambda c=cursor: c.execute(statement, {"since": since} if since else None))
            cursor.execute("DROP TABLE bench_anchor")
    return result


def page_figures(out: Emitter, *, today: date) -> None:
    # The anchor is a fixed 30-day window, not month-to-date: month-to-date is 1 day long on the 1st and
    # 23 business days on the 31st, so the anchor (and the page's ratio to it) would follow the calendar.
    # The window ends on the last day of the last complete month, which is the month the pages show.
    month_first = periods.month_start(periods.month_start(today) - timedelta(days=1))
    last = periods.period_end(periods.MONTH, month_first)
    first = last - timedelta(days=ANCHOR_DAYS - 1)
    team = Team.objects.order_by("pk").first()
    reps = list(User.objects.filter(team=team, role=User.Role.REP).values_list("pk", flat=True))
    manager = team.managers.order_by("pk").first()
    month = {"first": first, "last": last}
    window = f"{first}..{last}"

    raw = out.figure(
        "team_month_from_raw_calls_sql",
        median(
            repeat_ms(sql(_MONTH_RAW.format(reps="AND rep_id = ANY(%(reps)s)"), {**month, "reps": reps}), runs=SQL_RUNS)
        ),
        "ms",
        reps=len(reps),
        window=window,
    )
    rolled = median(repeat_ms(sql(_MONTH_DAY_ROLLUP, {**month, "reps": reps}), runs=SQL_RUNS))
    out.figure("team_month_from_day_rollup_sql", rolled, "ms", anchor=raw, reps=len(reps), window=window)

    team_url = reverse("team_board", kwargs={"team_id": team.pk}) + f"?g=month&d={month_first}"
    timings, queries = _page(manager, team_url)
    out.figure(
        "team_page_median",
        median(timings),
        "ms",
        anchor=raw,
        goal="< 50 ms and <= 0.1x anchor (10x faster than raw calls)",
        ok=median(timings) < 50 and median(timings) <= raw["value"] / 10,
        url=team_url,
        requests=len(timings),
    )
    out.figure("team_page_p95", p95(timings), "ms", anchor=raw, requests=len(timings))
    out.figure("team_page_queries", queries, "queries", goal="fixed whatever the team size (tests)")
    _cold_figure(out, "team_page_cold", _cold_page(manager, team_url, lambda: board_cache.bump_teams([team.pk])), raw)
    _rep_page_figures(out, team=team, manager=manager, reps=reps, month=month, window=window)

    try:
        org_url = reverse("org_board") + f"?g=month&d={month_first}"
    except NoReverseMatch:
        out.emit({"figure": "org_page", "skipped": "page not routed"})
        return
    org_raw = out.figure(
        "org_month_from_raw_calls_sql",
        median(repeat_ms(sql(_MONTH_RAW.format(reps=""), month), runs=5)),
        "ms",
        window=window,
    )
    ops = User.objects.filter(role=User.Role.OPS).order_by("pk").first()
    timings, queries = _page(ops, org_url)
    out.figure(
        "org_page_median",
        median(timings),
        "ms",
        anchor=org_raw,
        goal="< 50 ms",
        ok=median(timings) < 50,
        url=org_url,
        requests=len(timings),
    )
    out.figure("org_page_p95", p95(timings), "ms", anchor=org_raw, requests=len(timings))
    out.figure("org_page_queries", queries, "queries", goal="fixed whatever the organisation size (tests)")
    _cold_figure(out, "org_page_cold", _cold_page(ops, org_url, board_cache.bump), org_raw)


def _rep_page_figures(out: Emitter, *, team: Team, manager: User, reps: list[int], month: dict, window: str) -> None:
    """The rep page (trend of the last three months, funnel, heatmap, review items, latest calls) of the
    team's first rep, next to the raw-call aggregate of the same rep over the same window."""
    try:
        url = reverse("rep_page", kwargs={"rep_id": reps[0]})
    except NoReverseMatch:
        out.emit({"figure": "rep_page", "skipped": "page not routed"})
        return
    raw = out.figure(
        "rep_month_from_raw_calls_sql",
        median(
            repeat_ms(
                sql(_MONTH_RAW.format(reps="AND rep_id = ANY(%(reps)s)"), {**month, "reps": reps[:1]}), runs=SQL_RUNS
            )
        ),
        "ms",
        reps=1,
        window=window,
    )
    timings, queries = _page(manager, url)
    out.figure(
        "rep_page_median",
        median(timings),
        "ms",
        anchor=raw,
        goal="< 50 ms",
        ok=median(timings) < 50,
        url=url,
        requests=len(timings),
    )
    out.figure("rep_page_p95", p95(timings), "ms", anchor=raw, requests=len(timings))
    out.figure("rep_page_queries", queries, "queries", goal="fixed whatever the rep's history (tests)")
    _cold_figure(out, "rep_page_cold", _cold_page(manager, url, lambda: board_cache.bump_teams([team.pk])), raw)


def _cold_figure(out: Emitter, name: str, measured: tuple[list[float], int], anchor: dict) -> None:
    cold, queries = measured
    out.figure(
        name,
        median(cold),
        "ms",
        anchor=anchor,
        goal="< 150 ms",
        ok=median(cold) < 150,
        note="first view after a data change (board computed and rendered, then cached)",
        max=round(max(cold), 3),
        requests=len(cold),
        queries=queries,
    )


def _page(user: User, url: str) -> tuple[list[float], int]:
    """Whole-response times of PAGE_RUNS GETs after warm-up, and the queries one GET makes.

    The boards are cached per data version (kpi/services/board_cache.py): the warm-up fills the cache,
    so these are the views a manager makes between two data changes (the steady state)."""
    client = Client()
    client.force_login(user)
    with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):

        def get():
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"GET {url} as {user.email} answered {response.status_code}")

        timings = repeat_ms(get, runs=PAGE_RUNS, warmup=3)
        with CaptureQueriesContext(connection) as captured:
            get()
    return timings, len(captured.captured_queries)


def _cold_page(user: User, url: str, change: Callable[[], None]) -> tuple[list[float], int]:
    """Whole-response times of COLD_RUNS GETs, each right after `change()` gave the board a new data
    version (what a rollup refresh does), so each computes and renders the board; and its queries."""
    client = Client()
    client.force_login(user)
    timings: list[float] = []
    with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):

        def get():
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"GET {url} as {user.email} answered {response.status_code}")

        get()  # warms the process (templates, URL resolver), like the warm figure's warm-up
        for _ in range(COLD_RUNS):
            change()
            timings.append(seconds(get) * 1000)
        change()
        with CaptureQueriesContext(connection) as captured:
            get()
    return timings, len(captured.captured_queries)
