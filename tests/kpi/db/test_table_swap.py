"""A full rebuild on PostgreSQL loads fresh copies of the rollup tables and swaps them in.

What a user would notice if the swap went wrong: a refresh failing after the nightly rebuild (its
upsert needs the bucket key), boards slowing down (a lost index), refresh updates no longer staying
on their page (lost fillfactor), or a rebuild that dies halfway leaving the boards empty.
"""

import threading
from datetime import date
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from kpi.db import table_swap
from kpi.models import CallLog, JobRun, Rollup
from kpi.services.rollups import rollups_rebuild, rollups_refresh_rep_days
from tests.factories import CallFactory, tokyo

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the swap is PostgreSQL's full-rebuild path"),
]

TABLES = ("kpi_rollup", "kpi_hourrollup")


def schema(table: str) -> dict:
    with connection.cursor() as cursor:
        indexes = table_swap.table_indexes(cursor, table, constraint_types="pufc")
        cursor.execute("SELECT reloptions FROM pg_class WHERE oid = %s::regclass", [table])
        options = cursor.fetchone()[0]
        cursor.execute(
            "SELECT attname, format_type(atttypid, atttypmod), attnotnull, pg_get_expr(d.adbin, d.adrelid)"
            " FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
            " WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
            [table],
        )
        columns = cursor.fetchall()
        cursor.execute("SELECT count(*) FROM pg_class WHERE relname LIKE %s", [f"%{table_swap.SUFFIX}%"])
        leftovers = cursor.fetchone()[0]
    return {"indexes": indexes, "options": options, "columns": columns, "leftovers": leftovers}


@pytest.fixture
def calls(rep, teammate):
    for user in (rep, teammate):
        CallFactory(rep=user, started_at=tokyo(2026, 11, 2, 10, 0), duration_seconds=150)
        CallFactory(rep=user, started_at=tokyo(2026, 11, 3, 15, 0), duration_seconds=20)


def test_full_rebuild_keeps_every_key_index_and_setting_of_both_tables(calls):
    before = {table: schema(table) for table in TABLES}
    assert any(name == "rollup_period" for name, _sql in before["kpi_rollup"]["indexes"])
    assert before["kpi_rollup"]["options"] == ["fillfactor=50"]

    rollups_rebuild()

    assert {table: schema(table) for table in TABLES} == before
    assert Rollup.objects.filter(granularity="day", scope="rep").count() == 4


def test_refresh_after_a_full_rebuild_updates_the_swapped_table_in_place(calls, rep):
    rollups_rebuild()
    CallFactory(rep=rep, started_at=tokyo(2026, 11, 2, 11, 0), duration_seconds=200)
    rollups_refresh_rep_days(rep_days=[(rep.pk, date(2026, 11, 2))])
    day = Rollup.objects.get(granularity="day", scope="rep", scope_id=rep.pk, period_start=date(2026, 11, 2))
    month = Rollup.objects.get(granularity="month", scope="org", period_start=date(2026, 11, 1))
    assert (day.calls, day.effective_calls, month.calls) == (2, 2, 5)


def test_a_rebuild_that_dies_before_the_swap_leaves_the_old_rows_and_no_copy(calls, rep):
    rollups_rebuild()
    rows = sorted(Rollup.objects.values_list("granularity", "scope", "scope_id", "period_start", "calls"))
    CallFactory(rep=rep, started_at=tokyo(2026, 11, 4, 9, 0), duration_seconds=90, result=CallLog.Result.CONNECTED)

    with (
        mock.patch.object(table_swap, "swap_in", side_effect=RuntimeError("worker killed")),
        pytest.raises(RuntimeError),
    ):
        rollups_rebuild()

    assert sorted(Rollup.objects.values_list("granularity", "scope", "scope_id", "period_start", "calls")) == rows
    assert all(schema(table)["leftovers"] == 0 for table in TABLES)


def test_a_table_with_foreign_keys_is_refused_not_swapped(db):
    with pytest.raises(ValueError, match="kpi_calllog has foreign keys or a sequence"):
        table_swap.fresh_copy("kpi_calllog")


def test_a_backfill_replaces_rows_in_place_without_a_copy(calls, rep):
    rollups_rebuild()
    with mock.patch.object(table_swap, "fresh_copy", side_effect=AssertionError("a backfill must not swap")):
        rollups_rebuild(since=date(2026, 11, 3))
    assert Rollup.objects.filter(granularity="day", scope="rep", period_start=date(2026, 11, 3)).count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_swap_blocked_by_a_long_reader_gives_up_and_changes_nothing(calls, rep, monkeypatch):
    rollups_rebuild()
    before = sorted(Rollup.objects.values_list("granularity", "scope", "scope_id", "period_start", "calls"))
    CallFactory(rep=rep, started_at=tokyo(2026, 11, 4, 9, 0))
    monkeypatch.setattr(table_swap, "SWAP_LOCK_TIMEOUT", "300ms")
    reading, release = threading.Event(), threading.Event()

    def long_report():  # a reader in a transaction of its own, still open when the swap comes
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM kpi_rollup")
                reading.set()
                release.wait(30)
        finally:
            connection.close()

    reader = threading.Thread(target=long_report)
    reader.start()
    try:
        assert reading.wait(30)
        with pytest.raises(CommandError, match="kpi_rollup stayed in use by another session for 300ms"):
            call_command("rebuild_rollups")
    finally:
        release.set()
        reader.join(30)

    assert sorted(Rollup.objects.values_list("granularity", "scope", "scope_id", "period_start", "calls")) == before
    assert all(schema(table)["leftovers"] == 0 for table in TABLES)
    assert JobRun.objects.filter(name="rebuild_rollups", ok=False).count() == 1
    rollups_rebuild()  # the reader is gone: the retry swaps
    assert Rollup.objects.filter(granularity="day", scope="rep", scope_id=rep.pk).count() == 3
