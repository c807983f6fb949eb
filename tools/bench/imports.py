"""Import figures (CSV import, API ingest) for `python manage.py bench` (run(ctx) is called by the bench command).

- import_calls_end_to_end: a cp932 CSV of ctx.scale["import_rows"] rows with Japanese headers and
  values, imported by `manage.py import_calls` in a separate process (parse + validate + store +
  incremental rollups, Django start-up included), against the plain staged-COPY anchor measured in
  the same run: pre-formatted rows COPYed into a temp table, then INSERT ... ON CONFLICT DO NOTHING;
- the import process's peak RSS (a wrapper process reads its child's ru_maxrss);
- import_calls_profile_miitel: the same number of rows shaped as MiiTel's 応対履歴 export (cp932,
  its 13 columns, display names, 2026/11/05 09:21:00 times, 00:02:15 durations, 通話種別 feeding both
  direction and result) through `import_calls --profile miitel`, against the contract file's rate of
  the same run (goal >= 0.8x), with its peak RSS;
- re-importing the same file: time and new rows (goal 0);
- API: 10,000 calls in one request, and single-call requests (p95), in process through the full
  Django/DRF stack with an integration token. The single-call figure is measured as production
  serves it: a broker is configured, so the rollup refresh is a Celery task enqueued on commit (to a
  queue of the bench's own that no worker reads, deleted afterwards; CELERY_BROKER_URL, else Redis
  on localhost; a `skipped` line without one). The same requests with the refresh run eagerly
  inside them (no broker, as `make demo`) are a second, informational line.
"""

import json
import os
import random
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client
from kombu.exceptions import OperationalError as KombuOperationalError

from accounts.models import User
from isales.celery import app
from kpi import periods
from kpi.models import CallLog, Integration
from kpi.services.integrations import integration_issue_token

from .measure import median, p95

RESULTS_JA = ["不在", "不在", "話中", "留守電", "受付ブロック", "通話", "通話", "番号違い", "失敗"]
HEADER_JA = "通話ID,担当者メール,開始日時,通話時間(秒),発着信,結果,担当者接続,アポ獲得,リードID,メモ\r\n"
ANCHOR_SOURCE = "bench-anchor"
IMPORT_SOURCE = "bench-import"
MIITEL_SOURCE = "bench-miitel"
MIITEL_HEADER = (
    "通話種別,シーケンス ID,ユーザー名,発信元,発信先,取引先会社名,取引先担当者名,ダイヤル開始日時,通話開始日時,"
    "通話終了日時,呼出時間,通話時間,応対メモ\r\n"
)
API_SOURCE = "bench-api"
SINGLE_CALLS = 200
SINGLE_CALL_QUEUE = "bench-ingest-single-calls"
_WRAPPER = (
    "import resource, subprocess, sys; "
    "rc = subprocess.run(sys.argv[1:]).returncode; "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(rc)"
)


def write_calls_csv(path: Path, *, rows: int, emails: list[str], days: list[date], seed: int = 4) -> Path:
    """A phone-system export as Excel in Japan saves it: cp932, CRLF, Japanese headers and words.

    External ids are random (like a phone system's call UUIDs), which is what makes the unique
    index expensive to maintain.
    """
    rng = random.Random(seed)
    with path.open("w", encoding="cp932", newline="") as fh:
        fh.write(HEADER_JA)
        chunk = []
        for i in range(rows):
            day = days[i % len(days)]
            secs = rng.randrange(32_400)
            duration = 0 if rng.random() < 0.5 else rng.randrange(1, 900)
            result = "通話" if duration >= 60 else RESULTS_JA[rng.randrange(len(RESULTS_JA))]
            chunk.append(
                f"{rng.getrandbits(64):016x}{i:08x},{emails[i % len(emails)]},"
                f"{day.isoformat()} {9 + secs // 3600:02d}:{secs // 60 % 60:02d}:{secs % 60:02d},{duration},"
                f"発信,{result},{'はい' if duration >= 120 and rng.random() < 0.5 else 'いいえ'},"
                f"{'はい' if duration >= 300 and rng.random() < 0.1 else 'いいえ'},L{rng.randrange(rows // 4 + 1)},"
                f"{'担当者不在、再架電' if duration == 0 else ''}\r\n"
            )
            if len(chunk) == 10_000:
                fh.write("".join(chunk))
                chunk = []
        fh.write("".join(chunk))
    return path


def write_miitel_csv(path: Path, *, rows: int, names: list[str], days: list[date], seed: int = 4) -> Path:
    """The same calls as write_calls_csv would write (durations, hours, days, reps), as MiiTel exports them."""
    rng = random.Random(seed)
    with path.open("w", encoding="cp932", newline="") as fh:
        fh.write(MIITEL_HEADER)
        chunk = []
        for i in range(rows):
            day = days[i % len(days)].strftime("%Y/%m/%d")
            secs = rng.randrange(32_400)
            duration = 0 if rng.random() < 0.5 else rng.randrange(1, 900)
            ring = rng.randrange(3, 40)
            dial = f"{9 + secs // 3600:02d}:{secs // 60 % 60:02d}:{secs % 60:02d}"
            talk = f"{duration // 3600:02d}:{duration // 60 % 60:02d}:{duration % 60:02d}"
            kind, begun, ended = "発信 (不在)", "", ""
            if duration:
                kind, begun, ended = "発信", f"{day} {dial}", f"{day} {dial}"
            chunk.append(
                f"{kind},{rng.getrandbits(64):016x}{i:08x},{names[i % len(names)]},03-5555-{i % len(names):04d},"
                f"090-{rng.randrange(10_000):04d}-{rng.randrange(10_000):04d},株式会社サンプル{i % 97},山田,"
                f"{day} {dial},{begun},{ended},00:00:{ring:02d},{talk},"
                f"{'担当者不在、再架電' if duration == 0 else ''}\r\n"
            )
            if len(chunk) == 10_000:
                fh.write("".join(chunk))
                chunk = []
        fh.write("".join(chunk))
    return path


def _business_days(count: int) -> list[date]:
    days, day = [], periods.today() - timedelta(days=1)
    while len(days) < count:
        if periods.is_business_day(day):
            days.append(day)
        day -= timedelta(days=1)
    return days


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s.get("USER") or ""
    if s.get("PASSWORD"):
        auth += f":{s['PASSWORD']}"
    return f"postgres://{auth}@{s.get('HOST') or 'localhost'}:{s.get('PORT') or 5432}/{s['NAME']}"


def run_import(path: Path, *, source: str, extra: tuple[str, ...] = ()) -> dict:
    """manage.py import_calls in its own process; returns its JSON result, wall time and peak RSS."""
    env = {**os.environ, "DATABASE_URL": _database_url(), "CELERY_BROKER_URL": "", "CELERY_TASK_ALWAYS_EAGER": "true"}
    manage = Path(settings.BASE_DIR) / "manage.py"
    command = [
        sys.executable,
        "-c",
        _WRAPPER,
        sys.executable,
        str(manage),
        "import_calls",
        str(path),
        "--source",
        source,
        *extra,
        "--json",
    ]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"import_calls failed: {done.stderr[-2000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["seconds"] = elapsed
    result["max_rss_mb"] = int(done.stderr.strip().splitlines()[-1]) / 1024
    return result


def staged_copy_anchor(path: Path, *, rep_ids: dict[str, int]) -> float:
    """Plain staged COPY of the same rows (already typed, no validation, no rollups): rows/s."""
    tz = periods.org_tz()
    lines = []
    with path.open(encoding="cp932", newline="") as fh:
        next(fh)
        for line in fh:
            f = line.rstrip("\r\n").split(",")
            started = datetime.fromisoformat(f[2]).replace(tzinfo=tz)
            lines.append(
                f"{f[0]}\t{rep_ids[f[1]]}\t{started.isoformat()}\t{started.date()}\t{started.hour}\t{f[3]}\t"
                f"outbound\tconnected\tf\tf\t{f[8]}\t{f[9]}\n"
            )
    data = "".join(lines).encode()
    del lines
    cols = (
        "external_id, rep_id, started_at, local_date, local_hour, duration_seconds, direction, result, "
        "reached_target, appointment_set, lead_external_id, note"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_stage (external_id varchar(128), rep_id bigint, started_at timestamptz,"
            " local_date date, local_hour smallint, duration_seconds int, direction varchar(8), result varchar(16),"
            " reached_target bool, appointment_set bool, lead_external_id varchar(128), note text)"
        )
        started = time.perf_counter()
        with cursor.cursor.copy(f"COPY bench_stage ({cols}) FROM STDIN") as copy:
            for offset in range(0, len(data), 1 << 20):
                copy.write(data[offset : offset + (1 << 20)])
        cursor.execute(
            f"INSERT INTO kpi_calllog (source, {cols}, is_follow_up, permission_granted, created_at)"
            f" SELECT %s, {cols}, false, false, now() FROM bench_stage ON CONFLICT (source, external_id) DO NOTHING",
            [ANCHOR_SOURCE],
        )
        rows = cursor.rowcount
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_stage")
        # Leave the call table as the import will find it.
        cursor.execute("DELETE FROM kpi_calllog WHERE source = %s", [ANCHOR_SOURCE])
        cursor.execute("VACUUM ANALYZE kpi_calllog")
    return rows / elapsed


def api_figures(ctx, *, rep_email: str) -> None:

    Integration.objects.filter(source=API_SOURCE).delete()
    _, token = integration_issue_token(name="bench", source=API_SOURCE)
    client = Client(HTTP_AUTHORIZATION=f"Token {token}", SERVER_NAME="localhost")
    start = periods.today().isoformat()
    records = [
        {
            "external_id": f"api-{i}",
            "rep_email": rep_email,
            "started_at": f"{start}T10:{i % 60:02d}:00",
            "duration_seconds": i % 300,
            "result": "connected" if i % 2 else "no_answer",
        }
        for i in range(10_000)
    ]
    body = json.dumps({"records": records})
    started = time.perf_counter()
    response = client.post("/api/v1/ingest/calls/", body, content_type="application/json")
    bulk = time.perf_counter() - started
    created = response.json()["created"] if response.status_code == 200 else 0
    ctx.emit(
        {
            "figure": "api_bulk_10000_calls",
            "value": round(bulk, 3),
            "unit": "s",
            "goal": "< 2 s",
            "ok": bulk < 2 and created == 10_000,
            "created": created,
            "status": response.status_code,
        }
    )
    single = {**records[0], "started_at": f"{start}T11:00:00"}
    try:
        with _queued_tasks():
            timings = _single_calls(client, single, "queued")
    except (OSError, KombuOperationalError) as exc:
        ctx.emit({"figure": "api_single_call_p95", "skipped": f"no broker: {exc}"})
    else:
        ctx.emit(
            {
                "figure": "api_single_call_p95",
                "value": round(p95(timings), 2),
                "unit": "ms",
                "goal": "< 50 ms",
                "ok": p95(timings) < 50,
                "requests": len(timings),
                "median": round(median(timings), 2),
                "rollup_refresh": "enqueued to a broker on commit (production)",
            }
        )
    with _celery(task_always_eager=True):
        timings = _single_calls(client, single, "eager")
    ctx.emit(
        {
            "figure": "api_single_call_p95_eager",
            "value": round(p95(timings), 2),
            "unit": "ms",
            "goal": None,
            "ok": None,
            "requests": len(timings),
            "median": round(median(timings), 2),
            "rollup_refresh": "run inside the request (no broker, as make demo)",
        }
    )
    CallLog.objects.filter(source=API_SOURCE).delete()
    Integration.objects.filter(source=API_SOURCE).delete()


def _single_calls(client: Client, record: dict, label: str) -> list[float]:
    """Milliseconds of SINGLE_CALLS one-call requests, after 5 warm-up requests."""
    timings = []
    for i in range(SINGLE_CALLS + 5):
        one = json.dumps({"records": [{**record, "external_id": f"api-single-{label}-{i}"}]})
        started = time.perf_counter()
        response = client.post("/api/v1/ingest/calls/", one, content_type="application/json")
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200 or response.json()["created"] != 1:
            raise RuntimeError(f"single-call ingest failed: {response.status_code} {response.content[:500]!r}")
        if i >= 5:
            timings.append(elapsed)
    return timings


@contextmanager
def _celery(**conf):
    """Celery configured like this for the duration (the bench process's own app)."""

    saved = {key: app.conf[key] for key in conf}
    app.conf.update(conf)
    try:
        yield app
    finally:
        app.conf.update(saved)


@contextmanager
def _queued_tasks():
    """Celery as production runs it: tasks go to a broker instead of running in the request. They go
    to a queue of the bench's own, which no worker reads and which is deleted afterwards."""
    url = settings.CELERY_BROKER_URL or "redis://127.0.0.1:6379/0"
    with _celery(broker_url=url, task_always_eager=False, task_default_queue=SINGLE_CALL_QUEUE) as app:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1)
        try:
            yield
        finally:
            with app.connection_for_write() as conn:
                conn.default_channel.queue_delete(SINGLE_CALL_QUEUE)
                conn.default_channel.exchange_delete(SINGLE_CALL_QUEUE)


def run(ctx) -> None:

    rows = int(ctx.scale["import_rows"])
    emails = list(ctx.rep_emails)
    rep_ids = dict(User.objects.filter(email__in=emails).values_list("email", "pk"))
    days = _business_days(min(int(ctx.scale.get("days", 20)), 20))
    path = write_calls_csv(ctx.tmpdir / "calls_cp932.csv", rows=rows, emails=emails, days=days)

    anchor = staged_copy_anchor(path, rep_ids=rep_ids)
    ctx.emit(
        {
            "figure": "import_staged_copy_anchor",
            "value": round(anchor),
            "unit": "rows/s",
            "rows": rows,
            "note": "pre-typed rows: COPY into a temp table + INSERT ... ON CONFLICT DO NOTHING",
        }
    )

    first = run_import(path, source=IMPORT_SOURCE)
    rate = rows / first["seconds"]
    ctx.emit(
        {
            "figure": "import_calls_end_to_end",
            "value": round(rate),
            "unit": "rows/s",
            "goal": ">= 25000 rows/s and >= 0.6x anchor",
            "ok": rate >= 25_000 and rate >= 0.6 * anchor,
            "anchor": round(anchor),
            "ratio": round(rate / anchor, 3),
            "rows": rows,
            "created": first["created"],
            "seconds": round(first["seconds"], 2),
            "encoding": first["encoding"],
        }
    )
    ctx.emit(
        {
            "figure": "import_peak_rss",
            "value": round(first["max_rss_mb"], 1),
            "unit": "MB",
            "goal": "< 300 MB",
            "ok": first["max_rss_mb"] < 300,
            "rows": rows,
        }
    )

    again = run_import(path, source=IMPORT_SOURCE)
    ctx.emit(
        {
            "figure": "reimport_same_file",
            "value": round(again["seconds"], 2),
            "unit": "s",
            "goal": "< 30 s and 0 new rows",
            "ok": again["seconds"] < 30 and again["created"] == 0,
            "new_rows": again["created"],
            "unchanged": again["unchanged"],
            "rows": rows,
        }
    )

    # The preset's run on the same table the contract file's run found: its rows go first.
    CallLog.objects.filter(source=IMPORT_SOURCE).delete()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE kpi_calllog")
    name_of = dict(User.objects.filter(email__in=emails).values_list("email", "name"))
    names = [name_of[e] for e in emails]
    miitel = write_miitel_csv(ctx.tmpdir / "miitel_cp932.csv", rows=rows, names=names, days=days)
    through = run_import(miitel, source=MIITEL_SOURCE, extra=("--profile", "miitel"))
    profile_rate = rows / through["seconds"]
    ctx.emit(
        {
            "figure": "import_calls_profile_miitel",
            "value": round(profile_rate),
            "unit": "rows/s",
            "goal": ">= 0.8x import_calls_end_to_end",
            "ok": profile_rate >= 0.8 * rate and through["created"] == rows,
            "contract_rate": round(rate),
            "ratio": round(profile_rate / rate, 3),
            "rows": rows,
            "created": through["created"],
            "seconds": round(through["seconds"], 2),
            "encoding": through["encoding"],
            "max_rss_mb": round(through["max_rss_mb"], 1),
            "rss_ok": through["max_rss_mb"] < 300,
        }
    )
    CallLog.objects.filter(source=MIITEL_SOURCE).delete()

    api_figures(ctx, rep_email=emails[0])
