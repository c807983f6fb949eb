"""Rebuilds and backfills are idempotent, atomic and never overlap.

"Killing a worker mid-backfill" is simulated by making a late step of rollups_rebuild raise after the
day rows were already deleted and rewritten: the transaction must leave the previous rows intact, and
the retry must give exactly the rows of an uninterrupted run.
"""

import threading
from datetime import date
from unittest import mock

import pytest
from django.db import connection, transaction

from kpi.db.locks import LockBusy, xact_lock
from kpi.models import CallLog, Rollup
from kpi.services.rollups import rebuild, rollups_rebuild, rollups_refresh_rep_days
from tests.factories import CallFactory, UserFactory, tokyo
from tests.kpi.helpers import snapshot

pytestmark = pytest.mark.django_db


class OperationalError_(Exception):
    """Stands in for the database error a killed worker's connection raises."""


def test_rebuild_twice_gives_identical_rows(activity):
    rollups_rebuild()
    first = snapshot()
    rollups_rebuild()
    assert snapshot() == first
    rollups_rebuild(since=date(2026, 11, 10))
    assert snapshot() == first
    assert len(first[0]) > 0 and len(first[1]) > 0


def test_crash_mid_backfill_keeps_previous_rows_and_retry_equals_an_uninterrupted_run(activity, rep):
    rollups_rebuild()
    before = snapshot()
    # New activity arrives; the backfill that should pick it up dies halfway.
    CallFactory(rep=rep, started_at=tokyo(2026, 11, 20, 10, 0), duration_seconds=400, result=CallLog.Result.CONNECTED)
    real = rebuild._rebuild_periods
    calls = {"n": 0}

    def dies_on_the_second_granularity(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OperationalError_("server closed the connection unexpectedly")
        return real(*args, **kwargs)

    with (
        mock.patch.object(rebuild, "_rebuild_periods", side_effect=dies_on_the_second_granularity),
        pytest.raises(OperationalError_),
    ):
        rollups_rebuild(since=date(2026, 11, 10))
    assert calls["n"] == 2  # the day rows and the weeks had been rewritten when it died
    assert snapshot() == before

    rollups_rebuild(since=date(2026, 11, 10))  # the retry
    retried = snapshot()
    assert retried != before
    rollups_rebuild()  # an uninterrupted full run
    assert snapshot() == retried


def test_incremental_refresh_for_a_rep_without_team(db):
    loner = UserFactory(team=None)
    CallFactory(rep=loner, started_at=tokyo(2026, 11, 2, 10, 0), duration_seconds=5)
    rollups_refresh_rep_days(rep_days=[(loner.pk, date(2026, 11, 2))])
    assert Rollup.objects.get(granularity="month", scope="org", period_start=date(2026, 11, 1)).calls == 1
    assert not Rollup.objects.filter(scope="team").exists()


def test_rebuild_without_events_clears_rollups(activity):
    rollups_rebuild()
    CallLog.objects.all().delete()
    from kpi.models import EmailTouch

    EmailTouch.objects.all().delete()
    rollups_rebuild()
    assert snapshot() == ([], [])


@pytest.mark.django_db(transaction=True)
def test_a_second_rebuild_is_refused_while_the_lock_is_held(rep):
    if connection.vendor != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's; SQLite serialises writers itself")
    CallFactory(rep=rep, started_at=tokyo(2026, 11, 2, 10, 0))
    held, release, outcome = threading.Event(), threading.Event(), {}

    def holder():
        try:
            with transaction.atomic(), xact_lock(rebuild.LOCK):
                held.set()
                release.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=holder)
    thread.start()
    try:
        assert held.wait(30)
        try:
            rollups_rebuild()
        except LockBusy as exc:
            outcome["busy"] = exc
    finally:
        release.set()
        thread.join(30)
    assert "busy" in outcome
    assert not Rollup.objects.exists()
    rollups_rebuild()  # once the holder committed, the retry runs
    assert Rollup.objects.filter(granularity="day", scope="rep", scope_id=rep.pk).get().calls == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL session settings")
@pytest.mark.django_db(transaction=True)  # the rebuild's own transaction, so SET LOCAL's end shows
@pytest.mark.parametrize("workers", [1, 3])
def test_rebuild_statements_use_the_configured_parallel_workers(settings, workers):
    # On 2 cores, leader + 2 workers aggregated the calls' days 0.6 s slower than leader + 1 (bench).
    settings.ROLLUP_PARALLEL_WORKERS = workers
    with transaction.atomic(), connection.cursor() as cursor:
        rebuild._tune_session()
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == str(workers)
    with connection.cursor() as cursor:  # SET LOCAL: the setting ends with the rebuild's transaction
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "2"
