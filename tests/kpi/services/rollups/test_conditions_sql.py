"""kpi/services/rollups/conditions_sql.py: definitions choose which call results (dispositions) count
as connects and effective calls, and the rollups follow only once a version is agreed."""

from datetime import date

import pytest

from kpi.models import HourRollup, Rollup
from kpi.services.rollups import rollups_rebuild
from tests.factories import CallFactory, tokyo
from tests.kpi.helpers import agree

pytestmark = pytest.mark.django_db

NOV1, NOV10 = date(2026, 11, 1), date(2026, 11, 10)


CALLS = [(200, "connected"), (150, "voicemail"), (30, "gatekeeper"), (5, "connected"), (0, "no_answer")]


@pytest.fixture
def calls(rep):
    for minute, (seconds, result) in enumerate(CALLS):
        CallFactory(rep=rep, started_at=tokyo(2026, 11, 10, 10, minute), duration_seconds=seconds, result=result)
    rollups_rebuild()


def day(rep) -> tuple[int, int]:
    row = Rollup.objects.get(granularity="day", scope="rep", scope_id=rep.pk, period_start=NOV10)
    return row.connects, row.effective_calls


def test_by_default_every_result_counts(calls, rep):
    assert day(rep) == (4, 2)


def test_connects_limited_to_connected_also_narrows_effective_calls_and_the_hour_rollup(
    calls, rep, manager, fs_user, marketer
):
    agree("connects", {"min_duration_seconds": 1, "results": ["connected"]}, manager, fs_user, marketer)
    assert day(rep) == (2, 1)
    hour = HourRollup.objects.get(rep=rep, date=NOV10, hour=10)
    assert (hour.calls, hour.connects, hour.effective_calls) == (5, 2, 1)


def test_effective_calls_limited_to_connected_leaves_connects_alone(calls, rep, manager, fs_user, marketer):
    agree("effective_calls", {"min_duration_seconds": 120, "results": ["connected"]}, manager, fs_user, marketer)
    assert day(rep) == (4, 1)


def test_a_draft_results_condition_changes_nothing_until_agreed(calls, rep, manager, fs_user):
    agree("connects", {"min_duration_seconds": 1, "results": ["connected"]}, manager, fs_user)
    assert day(rep) == (4, 2)
