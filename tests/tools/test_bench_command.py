"""`manage.py bench` end to end at a tiny scale: every figure comes out as a valid JSON line.

The command needs PostgreSQL; on SQLite the same call must refuse with a clear message instead.
No timing is asserted here: speed belongs in the benchmark's output, not in unit tests.
"""

import json
from io import StringIO

import psycopg
import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from accounts.models import User
from tools.bench import database

pytestmark = pytest.mark.django_db(transaction=True)


def own_database_name(suffix: str) -> str:
    """A name of this test database's own: runs from other checkouts against the same server would
    otherwise drop each other's bench database in the middle of a test."""
    return f"{settings.DATABASES['default']['NAME']}_{suffix}"


ROLLUP_FIGURES = {
    "generate_calls",
    "dataset",
    "database_size",
    "day_aggregate_sql",
    "day_aggregate_sql_tuned",
    "rollups_rebuild_full",
    "rollups_rebuild_without_hours",
    "hour_rollup_rebuild",
    "day_aggregate_sql_reconcile_window",
    "rollups_reconcile_nightly",
    "one_local_day_all_reps_sql",
    "rollups_refresh_one_day_all_reps",
    "database_size_after",
}
PAGE_FIGURES = {
    "team_month_from_raw_calls_sql",
    "team_month_from_day_rollup_sql",
    "team_page_median",
    "team_page_p95",
    "team_page_queries",
    "team_page_cold",
    "rep_month_from_raw_calls_sql",
    "rep_page_median",
    "rep_page_p95",
    "rep_page_queries",
    "rep_page_cold",
}
ORG_FIGURES = {"org_month_from_raw_calls_sql", "org_page_median", "org_page_p95", "org_page_queries", "org_page_cold"}


@pytest.fixture
def bench_db(monkeypatch):
    name = own_database_name("benchtest")
    monkeypatch.setenv("BENCH_DATABASE_NAME", name)
    yield name
    if connection.vendor == "postgresql":
        database.drop_database(name)


def run_bench(*args) -> list[dict]:
    out = StringIO()
    call_command("bench", *args, stdout=out, stderr=StringIO())
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]


def test_bench_prints_every_figure_as_json_lines(bench_db, rep):
    app_db = settings.DATABASES["default"]["NAME"]
    if connection.vendor != "postgresql":
        with pytest.raises(CommandError, match="needs PostgreSQL"):
            run_bench("--reps", "3", "--days", "4")
        return
    lines = run_bench("--reps", "3", "--days", "4", "--only", "rollups,pages")
    names = {line["figure"] for line in lines}
    assert names >= ROLLUP_FIGURES | PAGE_FIGURES
    assert names >= ORG_FIGURES or any(line.get("skipped") == "page not routed" for line in lines)
    for line in lines:
        assert line["scale"]["reps"] == 3 and line["scale"]["days"] == 4
    by_name = {line["figure"]: line for line in lines}
    # 3 reps x 4 business days, 26..42 calls each: the generator's shape, not a timing.
    assert 3 * 4 * 26 <= by_name["dataset"]["calls"] <= 3 * 4 * 42
    rebuild = by_name["rollups_rebuild_full"]
    assert rebuild["unit"] == "s" and rebuild["anchor_figure"] == "day_aggregate_sql"
    assert rebuild["ratio"] == pytest.approx(rebuild["value"] / rebuild["anchor"], rel=0.01)
    assert isinstance(rebuild["ok"], bool)
    assert by_name["rollups_refresh_one_day_all_reps"]["rep_days"] == 3
    reconcile = by_name["rollups_reconcile_nightly"]
    assert reconcile["anchor_figure"] == "day_aggregate_sql_reconcile_window"
    assert reconcile["since"] == by_name["day_aggregate_sql_reconcile_window"]["since"]
    assert by_name["team_page_queries"]["value"] > 0
    # The cold view computes the board the warm views read from the cache.
    assert by_name["team_page_cold"]["queries"] > by_name["team_page_queries"]["value"]
    assert by_name["org_page_cold"]["queries"] > by_name["org_page_queries"]["value"]
    # The run left the application database connected again, untouched, and dropped its own.
    assert settings.DATABASES["default"]["NAME"] == app_db
    assert list(User.objects.values_list("email", flat=True)) == [rep.email]
    assert not database._exists(bench_db)


def test_only_and_keep_reuse_the_generated_database(bench_db):
    if connection.vendor != "postgresql":
        with pytest.raises(CommandError, match="needs PostgreSQL"):
            run_bench("--reps", "2", "--days", "2", "--keep")
        return
    first = run_bench("--reps", "2", "--days", "2", "--keep", "--only", "pages")
    second = run_bench("--reps", "2", "--days", "2", "--keep", "--only", "pages")
    assert {line["figure"] for line in first} >= {"generate_calls", "team_page_median"}
    assert "generate_calls" not in {line["figure"] for line in second}
    assert [line["reused"] for line in second if line["figure"] == "dataset"] == [True]
    assert "rollups_rebuild_full" not in {line["figure"] for line in second}


def test_bad_arguments_are_refused_with_a_clear_message(bench_db):
    with pytest.raises(CommandError, match="unknown part"):
        run_bench("--only", "rollups,speed")
    with pytest.raises(CommandError, match="at least 1"):
        run_bench("--reps", "0")


def test_bench_database_must_differ_from_the_application_database(monkeypatch):
    monkeypatch.setenv("BENCH_DATABASE_NAME", settings.DATABASES["default"]["NAME"])
    if connection.vendor != "postgresql":
        with pytest.raises(CommandError, match="needs PostgreSQL"):
            run_bench("--reps", "1", "--days", "1")
        return
    with pytest.raises(CommandError, match="must differ"):
        run_bench("--reps", "1", "--days", "1")


def test_import_figures_get_the_context_contract(bench_db, monkeypatch):
    """tools/bench/imports.py receives scale, a temp dir, the reps' emails and emit()."""
    seen = {}

    def fake_run_module(name, ctx):
        seen.update(name=name, ctx=ctx, tmp_existed=ctx.tmpdir.is_dir())
        (ctx.tmpdir / "calls.csv").write_text("x")
        ctx.emit({"figure": "import_calls_end_to_end", "value": 1.0, "unit": "s"})
        return True

    monkeypatch.setattr("tools.management.commands.bench.run_module", fake_run_module)
    if connection.vendor != "postgresql":
        with pytest.raises(CommandError, match="needs PostgreSQL"):
            run_bench("--reps", "2", "--days", "1", "--only", "ingestion")
        return
    lines = run_bench("--reps", "2", "--days", "1", "--import-rows", "7", "--only", "imports")
    ctx = seen["ctx"]
    assert seen["name"] == "imports" and seen["tmp_existed"]
    assert ctx.scale == {"reps": 2, "days": 1, "import_rows": 7}
    assert ctx.rep_emails == ["rep0001@bench.isales.jp", "rep0002@bench.isales.jp"]
    assert not ctx.tmpdir.exists()
    emitted = [line for line in lines if line["figure"] == "import_calls_end_to_end"]
    assert emitted[0]["scale"]["import_rows"] == 7


def test_missing_imports_module_is_reported_as_skipped(bench_db, monkeypatch):
    monkeypatch.setattr("tools.bench.context.importlib.util.find_spec", lambda name: None)
    if connection.vendor != "postgresql":
        with pytest.raises(CommandError, match="needs PostgreSQL"):
            run_bench("--reps", "1", "--days", "1", "--only", "ingestion")
        return
    lines = run_bench("--reps", "1", "--days", "1", "--only", "ingestion")
    skipped = {"figure": "imports", "skipped": "tools/bench/imports.py with run(ctx) not present"}
    assert skipped.items() <= lines[-2].items()


def test_bench_refuses_to_drop_a_database_it_did_not_create():
    """A BENCH_DATABASE_NAME pointing at someone else's database must never wipe it."""
    if connection.vendor != "postgresql":
        pytest.skip("the bench databases live on PostgreSQL (CI runs this there)")
    name = own_database_name("not_a_bench_db")
    with database._admin_connection() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(**database._connection_params(), dbname=name, autocommit=True) as conn:
        conn.execute("CREATE TABLE precious (x int)")
    try:
        with pytest.raises(CommandError, match="not created by the benchmark"):
            database.drop_database(name)
        with (
            pytest.raises(CommandError, match="not created by the benchmark"),
            database.bench_database(name, reuse=True),
        ):
            pass
        assert database._exists(name)
    finally:
        with database._admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.mark.parametrize("today", ["2026-12-01", "2026-12-31"])
def test_page_figures_measure_the_last_complete_month_whatever_the_day(bench_db, today):
    """On the 1st and on the 31st the page figures' window is the same month: the anchor and the page's
    ratio to it must not follow the day of the month."""
    if connection.vendor != "postgresql":
        pytest.skip("the bench needs PostgreSQL (CI runs this there)")
    with time_machine.travel(f"{today} 12:00 +09:00", tick=False):
        lines = run_bench("--reps", "2", "--days", "2", "--only", "pages")
    windows = {line["figure"]: line.get("window") for line in lines}
    assert windows["team_month_from_raw_calls_sql"] == "2026-11-01..2026-11-30"
    assert windows["org_month_from_raw_calls_sql"] == "2026-11-01..2026-11-30"
    pages = {line["figure"]: line["url"] for line in lines if line["figure"] in ("team_page_median", "org_page_median")}
    assert all(url.endswith("?g=month&d=2026-11-01") for url in pages.values())
