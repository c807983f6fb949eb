"""`manage.py bench --only load` end to end at a tiny scale: gunicorn on the bench database, signed-in
users on the page mix, the figures as JSON lines. No timing is asserted: only that every figure comes
out and that no request failed."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from tests.tools.test_bench_command import own_database_name
from tools.bench import database

pytestmark = pytest.mark.django_db(transaction=True)


def test_load_figure_runs_signed_in_users_against_gunicorn(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("the bench needs PostgreSQL (CI runs this there)")
    name = own_database_name("benchload")
    monkeypatch.setenv("BENCH_DATABASE_NAME", name)
    out = StringIO()
    try:
        call_command(
            "bench",
            *("--reps", "3", "--days", "3", "--only", "load", "--load-users", "4", "--load-seconds", "2"),
            stdout=out,
            stderr=StringIO(),
        )
    finally:
        database.drop_database(name)
    by_name = {line["figure"]: line for line in map(json.loads, out.getvalue().splitlines())}
    assert by_name["load_errors"]["value"] == 0, by_name["load_errors"]["by_page"]
    assert by_name["load_requests"]["value"] > 0
    assert by_name["load_requests"]["users"] == 4
    assert {"load_throughput", "load_client_p50", "load_client_p95", "load_server_today_p50"} <= set(by_name)
    assert by_name["load_server_today_p50"]["goal"] == "< 40 ms"
    # 4 users: 2 reps, 1 manager, 1 ops; their pages all answered 200 through gunicorn.
    assert {"load_server_team_board_p50", "load_server_org_board_p50", "load_server_kpi_sheet_p50"} <= set(by_name)
