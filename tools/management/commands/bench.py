"""`python manage.py bench`: generate a synthetic organisation in a separate PostgreSQL database and
print the performance figures as JSON lines (see docs/benchmarks.md)."""

import os
import platform
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from accounts.models import User
from kpi import periods
from tools.bench import database, figures, generate, load
from tools.bench.context import BenchContext, run_module
from tools.bench.measure import Emitter

PARTS = ("rollups", "pages", "imports", "load")
# The imports part was called "ingestion" until the house was renamed; old commands keep working.
ALIASES = {"ingestion": "imports"}


class Command(BaseCommand):
    help = "Benchmark rollups, dashboards and imports on a synthetic organisation; prints JSON lines."

    def add_arguments(self, parser):
        parser.add_argument("--reps", type=int, default=50, help="IS reps (teams of 20). Default 50.")
        parser.add_argument("--days", type=int, default=60, help="Business days of history. Default 60.")
        parser.add_argument("--import-rows", type=int, default=10_000, help="Rows in the import figures' files.")
        parser.add_argument(
            "--keep",
            action="store_true",
            help="Keep the bench database afterwards, and reuse it when it already holds this scale.",
        )
        parser.add_argument("--only", default=",".join(PARTS), help=f"Comma-separated subset of {','.join(PARTS)}.")
        parser.add_argument("--load-users", type=int, default=50, help="Concurrent users of the load figure.")
        parser.add_argument("--load-seconds", type=float, default=60, help="Length of the load figure's run.")

    def handle(
        self,
        *args,
        reps: int,
        days: int,
        import_rows: int,
        keep: bool,
        only: str,
        load_users: int = 50,
        load_seconds: float = 60,
        **options,
    ):
        parts = {ALIASES.get(p.strip(), p.strip()) for p in only.split(",") if p.strip()}
        if unknown := parts - set(PARTS):
            raise CommandError(f"--only: unknown part(s) {', '.join(sorted(unknown))}; choose from {', '.join(PARTS)}.")
        if reps < 1 or days < 1 or import_rows < 1:
            raise CommandError("--reps, --days and --import-rows must be at least 1.")
        database.require_postgresql()
        name = database.bench_database_name()
        scale = {"reps": reps, "days": days, "import_rows": import_rows}
        out = Emitter(scale={**scale, "cores": _cores()}, write=self._write_line)
        today = periods.today()
        with database.bench_database(name, reuse=keep) as reused:
            info = _meta(scale) if reused else None
            if info is None:
                if reused:
                    self.stderr.write(f"{name} holds another scale; regenerating it.")
                    database.reset_schema()
                self.stderr.write(f"Generating {reps} reps x {days} business days into {name} ...")
                info = generate.generate_organisation(reps=reps, days=days, today=today, log=self.stderr.write)
                _save_meta(scale, info)
                out.figure("generate_calls", info["calls"] / info["load_seconds"], "rows/s", calls=info["calls"])
            out.emit(
                {
                    "figure": "dataset",
                    "calls": info["calls"],
                    "emails": info["emails"],
                    "meetings": info["meetings"],
                    "first_day": str(info["first_day"]),
                    "last_day": str(info["last_day"]),
                    "database": name,
                    "reused": reused,
                }
            )
            out.figure("database_size", _database_mb(), "MB")
            last_day = info["last_day"]
            if "rollups" in parts:
                figures.rollup_figures(out, last_day=last_day)
            elif parts & {"pages", "load"} and not _has_rollups():
                figures.rollups.rollups_rebuild(wait=True)
            if "pages" in parts:
                figures.page_figures(out, today=today)
            if "imports" in parts:
                self._imports(out, scale)
            if "load" in parts:
                self.stderr.write(f"load: {load_users} users for {load_seconds:g} s against gunicorn ...")
                load.load_figures(out, users=load_users, duration=load_seconds)
            out.figure("database_size_after", _database_mb(), "MB")
        if not keep:
            database.drop_database(name)

    def _write_line(self, line: str) -> None:
        """One figure per line, flushed at once so a long run can be watched (make bench | tee)."""
        self.stdout.write(line)
        self.stdout.flush()

    def _imports(self, out: Emitter, scale: dict) -> None:
        emails = list(User.objects.filter(role=User.Role.REP).order_by("email").values_list("email", flat=True))
        with tempfile.TemporaryDirectory(prefix="isales-bench-") as tmp:
            ctx = BenchContext(scale=scale, tmpdir=Path(tmp), rep_emails=emails, emit=out.emit)
            started = time.perf_counter()
            if not run_module("imports", ctx):
                out.emit({"figure": "imports", "skipped": "tools/bench/imports.py with run(ctx) not present"})
                return
            self.stderr.write(f"import figures took {time.perf_counter() - started:.1f} s")


def _cores() -> int:

    return os.cpu_count() or 0


def _database_mb() -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0] / 1024 / 1024


def _has_rollups() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM kpi_rollup)")
        return cursor.fetchone()[0]


def _meta(scale: dict) -> dict | None:
    """What an earlier --keep run generated, when it was this scale (and the same day)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('bench_meta') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return None
        cursor.execute(
            "SELECT calls, emails, meetings, first_day, last_day FROM bench_meta"
            " WHERE reps = %s AND days = %s AND generated_on = %s",
            [scale["reps"], scale["days"], periods.today()],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip(("calls", "emails", "meetings", "first_day", "last_day"), row, strict=True))


def _save_meta(scale: dict, info: dict) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_meta (reps int, days int, generated_on date, calls bigint, emails bigint,"
            " meetings bigint, first_day date, last_day date, machine text)"
        )
        cursor.execute(
            "INSERT INTO bench_meta VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [
                scale["reps"],
                scale["days"],
                periods.today(),
                info["calls"],
                info["emails"],
                info["meetings"],
                info["first_day"],
                info["last_day"],
                platform.node(),
            ],
        )
