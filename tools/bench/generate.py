"""The synthetic organisation: teams of 20 reps (plus a manager each), `days` business days ending
today, about 34 outbound calls a rep a business day (~50% connect >= 1 s, ~20% talk >= 120 s, business
hours 9-18 local), about 5 emails a rep a day, meetings from ~9% of the long calls, monthly targets.

Rows are made on the server with INSERT ... SELECT from generate_series: Python would need tens of
minutes for 17.7 M calls. The event tables' secondary indexes and constraints are dropped for the load
and rebuilt afterwards (one sorted build is far cheaper than 17.7 M index insertions), then ANALYZE.
The per-row numbers come from random() after setseed(), so a run at the same scale repeats exactly.
Calls are written in time order, as a phone system or a day's import delivers them, so the table's
physical order matches production's (what "all calls of one local day" reads depends on it).
"""

import sys
import time
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection

from accounts.models import Department, Team, User
from kpi import periods
from kpi.db import table_swap
from kpi.models import Target
from tools import synthetic

DOMAIN = "bench.isales.jp"
PASSWORD = "bench-pass-2026"
TEAM_SIZE = 20
EVENT_TABLES = ("kpi_calllog", "kpi_emailtouch", "kpi_meeting")
# Monthly rep targets per business day (the benchmark's), so the board shows attainment.
DAILY_TARGETS = {key: synthetic.DAILY_TARGETS[key] for key in ("calls", "connects", "effective_calls", "meetings")}
# Calls and emails a rep a day: the benchmark's mean +- 8 (+- 2), spread evenly by the ids.
_CALLS_LOW, _CALLS_SPAN = synthetic.CALLS_PER_DAY - 8, 17
_EMAILS_LOW, _EMAILS_SPAN = synthetic.EMAILS_PER_DAY - 2, 5

# Per (rep, day): 26 + (0..16) calls, mean 34, deterministic from the ids so lateral re-evaluation
# cannot be skipped by the planner (a generate_series without outer references runs only once).
# The calls' bands, results and rates are tools/synthetic.py's, rendered as SQL over random().
_CALLS = f"""
INSERT INTO kpi_calllog (source, external_id, rep_id, lead_external_id, started_at, local_date, local_hour,
    duration_seconds, direction, result, reached_target, appointment_set, is_follow_up, permission_granted,
    note, created_at)
SELECT 'bench', 'c' || rep_id || '-' || ord || '-' || i, rep_id, 'L' || rep_id || '-' || ((ord * 40 + i) / 4),
    (d + make_interval(secs => secs)) AT TIME ZONE %(tz)s, d, {synthetic.DAY_START_HOUR} + secs / 3600,
    duration, 'outbound',
    {synthetic.sql_call_result("duration", "u1", "u2")},
    reached, {synthetic.sql_call_appointment("duration", "u3")}, i %% 4 <> 1,
    {synthetic.sql_call_permission("reached", "u3")}, '', now()
FROM (
    SELECT *, {synthetic.sql_call_reached("duration", "u1", "u2")} AS reached
    FROM (
        SELECT *, {synthetic.sql_call_duration("u1", "u2")} AS duration
        FROM (
            SELECT r.id AS rep_id, dd.d, dd.ord, g.i, floor(random() * {synthetic.DAY_SECONDS})::int AS secs,
                   random() AS u1, random() AS u2, random() AS u3
            FROM bench_reps r CROSS JOIN bench_days dd
            CROSS JOIN LATERAL generate_series(1, {_CALLS_LOW}
                + ((r.id * 7919 + dd.ord * 104729) %% {_CALLS_SPAN})::int) AS g(i)
            WHERE dd.ord BETWEEN %(lo)s AND %(hi)s
        ) AS raw
    ) AS shaped
) AS rows
ORDER BY d, secs
"""

# Per (rep, day): 3 + (0..4) emails, mean 5.
_EMAILS = f"""
INSERT INTO kpi_emailtouch (source, external_id, rep_id, lead_external_id, sent_at, local_date, delivered, opened,
    replied, to_target, is_follow_up, permission_granted, created_at)
SELECT 'bench', 'e' || rep_id || '-' || ord || '-' || i, rep_id, 'L' || rep_id || '-' || (ord * 40 + i * 7),
    (d + make_interval(secs => secs)) AT TIME ZONE %(tz)s, d, {synthetic.sql_email_flags("u1", "u2", "u3")},
    false, now()
FROM (
    SELECT r.id AS rep_id, dd.d, dd.ord, g.i, floor(random() * {synthetic.DAY_SECONDS})::int AS secs,
           random() AS u1, random() AS u2, random() AS u3
    FROM bench_reps r CROSS JOIN bench_days dd
    CROSS JOIN LATERAL generate_series(1, {_EMAILS_LOW} + ((r.id * 31 + dd.ord * 17) %% {_EMAILS_SPAN})::int) AS g(i)
    WHERE dd.ord BETWEEN %(lo)s AND %(hi)s
) AS raw
"""

# One meeting per appointment call; outcomes settle after a week (FS mark them), won ones carry amounts
# (synthetic.MEETING_OUTCOMES by call id, amounts in steps of 100,000 yen).
_WON_LOW, _WON_HIGH = synthetic.WON_AMOUNT_YEN
_MEETINGS = f"""
INSERT INTO kpi_meeting (source, external_id, rep_id, fs_owner_id, lead_external_id, call_id, kind, set_at,
    local_date, scheduled_for, status, amount, outcome_at, note, created_at, updated_at)
SELECT 'bench', 'm' || c.id, c.rep_id, %(fs)s, c.lead_external_id, c.id, 'first', c.started_at, c.local_date,
    c.started_at + interval '5 days', s.status,
    CASE WHEN s.status = 'won' THEN {_WON_LOW} + (c.id %% {(_WON_HIGH - _WON_LOW) // 100_000 + 1}) * 100000 END,
    CASE WHEN s.status <> 'scheduled' THEN c.started_at + interval '6 days' END, '', now(), now()
FROM kpi_calllog c
CROSS JOIN LATERAL (
    SELECT CASE WHEN c.local_date > %(settled)s THEN 'scheduled'
                ELSE ({synthetic.sql_meeting_statuses()})[1 + (c.id %% 20)::int]
           END AS status
) AS s
WHERE c.appointment_set
"""


def business_days_ending(last: date, count: int) -> list[date]:
    """The `count` business days (weekdays that are not Japanese public holidays) up to `last`."""
    days: list[date] = []
    span = count * 3 // 2 + 30
    while len(days) < count:
        days = periods.business_days(last - timedelta(days=span), last)
        span *= 2
    return days[-count:]


def generate_organisation(*, reps: int, days: int, today: date, log=None) -> dict:
    """Create the organisation and its events in the (empty, migrated) bench database."""
    log = log or (lambda msg: print(msg, file=sys.stderr))
    people = _people(reps)
    business_days = business_days_ending(today, days)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute("SELECT setseed(0.42)")
        cursor.execute("CREATE TEMP TABLE bench_reps (id bigint PRIMARY KEY)")
        cursor.executemany("INSERT INTO bench_reps VALUES (%s)", [(r.pk,) for r in people["reps"]])
        cursor.execute("CREATE TEMP TABLE bench_days (ord int PRIMARY KEY, d date NOT NULL)")
        cursor.executemany("INSERT INTO bench_days VALUES (%s, %s)", list(enumerate(business_days)))
        saved = _drop_secondary_indexes(cursor)
        params = {"tz": settings.TIME_ZONE}
        chunk = max(1, 2_000_000 // (synthetic.CALLS_PER_DAY * reps))  # about 2 M calls a statement
        for lo in range(0, len(business_days), chunk):
            cursor.execute(_CALLS, {**params, "lo": lo, "hi": lo + chunk - 1})
            cursor.execute(_EMAILS, {**params, "lo": lo, "hi": lo + chunk - 1})
            done = min(len(business_days), lo + chunk)
            log(f"  generated {done}/{len(business_days)} days ({time.perf_counter() - started:.0f} s)")
        cursor.execute(_MEETINGS, {"fs": people["fs"].pk, "settled": today - timedelta(days=synthetic.SETTLE_DAYS)})
        load_seconds = time.perf_counter() - started
        log("  rebuilding event indexes")
        _restore(cursor, saved)
        cursor.execute("DROP TABLE bench_reps, bench_days")
        log("  analyze")
        cursor.execute("ANALYZE")
        counts = {}
        for table in EVENT_TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts[table] = cursor.fetchone()[0]
    _targets(people["reps"], today)
    return {
        "calls": counts["kpi_calllog"],
        "emails": counts["kpi_emailtouch"],
        "meetings": counts["kpi_meeting"],
        "first_day": business_days[0],
        "last_day": business_days[-1],
        "load_seconds": load_seconds,
        "total_seconds": time.perf_counter() - started,
    }


def _people(n_reps: int) -> dict:
    is_dept = Department.objects.get(code=Department.Code.IS)
    password = make_password(PASSWORD)  # one hash for every bench login
    n_teams = max(1, -(-n_reps // TEAM_SIZE))
    teams = Team.objects.bulk_create([Team(name=f"Bench team {t + 1:03d}", department=is_dept) for t in range(n_teams)])
    managers = User.objects.bulk_create(
        [
            User(
                email=f"manager{t + 1:03d}@{DOMAIN}",
                name=f"Manager {t + 1:03d}",
                role=User.Role.MANAGER,
                team=team,
                password=password,
            )
            for t, team in enumerate(teams)
        ]
    )
    for team, manager in zip(teams, managers, strict=True):
        team.managers.add(manager)
    reps = User.objects.bulk_create(
        [
            User(
                email=f"rep{i + 1:04d}@{DOMAIN}",
                name=f"Rep {i + 1:04d}",
                role=User.Role.REP,
                team=teams[i // TEAM_SIZE],
                password=password,
            )
            for i in range(n_reps)
        ]
    )
    fs = User.objects.create(email=f"fs@{DOMAIN}", name="FS", role=User.Role.FS, password=password)
    User.objects.create(email=f"ops@{DOMAIN}", name="Ops", role=User.Role.OPS, is_staff=True, password=password)
    return {"teams": teams, "managers": managers, "reps": reps, "fs": fs}


def _drop_secondary_indexes(cursor) -> list[tuple[str, str, str]]:
    """Drop unique/foreign-key constraints and plain indexes of the event tables; return how to rebuild them."""
    saved = []
    for table in EVENT_TABLES:
        for name, sql in table_swap.table_indexes(cursor, table, constraint_types="uf"):
            is_constraint = sql.startswith("ALTER TABLE")
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"' if is_constraint else f'DROP INDEX "{name}"')
            saved.append((table, name, sql))
    return saved


def _restore(cursor, saved: list[tuple[str, str, str]]) -> None:
    for _table, _name, sql in saved:
        cursor.execute(sql)


def _targets(reps: list[User], today: date) -> None:
    months = [periods.month_start(today - timedelta(days=31)), periods.month_start(today)]
    rows = []
    for month in months:
        bdays = len(periods.business_days(month, periods.period_end(periods.MONTH, month)))
        for rep in reps:
            rows += synthetic.month_targets(rep.pk, month, bdays, DAILY_TARGETS)
    Target.objects.bulk_create(rows, batch_size=5000)
