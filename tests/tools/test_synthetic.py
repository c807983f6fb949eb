"""tools/synthetic.py: the one shape of synthetic activity, rendered in Python (the demo) and in SQL
(the bench). The Python samplers match the benchmark shares, and the SQL expressions put the same
uniform draws in the same bands with the same durations and results."""

import math
import random
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from tools import synthetic


class Draws:
    """A stand-in for random.Random that maps scripted uniform draws the way the SQL does."""

    def __init__(self, *values: float):
        self.values = list(values)

    def random(self) -> float:
        return self.values.pop(0)

    def randint(self, low: int, high: int) -> int:
        return low + math.floor(self.random() * (high - low + 1))

    def choice(self, seq):
        return seq[math.floor(self.random() * len(seq))]


def test_python_calls_have_the_benchmark_shares():
    rng = random.Random(7)
    calls = [synthetic.sample_call(rng) for _ in range(20_000)]
    share = lambda pred: sum(1 for c in calls if pred(c)) / len(calls)  # noqa: E731
    assert share(lambda c: c.duration_seconds >= 1) == pytest.approx(0.50, abs=0.015)
    assert share(lambda c: c.result == "gatekeeper") == pytest.approx(0.06, abs=0.01)
    assert share(lambda c: c.duration_seconds >= 120) == pytest.approx(0.20, abs=0.015)
    connected = [c for c in calls if c.result == "connected"]
    assert sum(c.reached_target for c in connected) / len(connected) == pytest.approx(0.55, abs=0.02)
    long_talks = [c for c in calls if c.duration_seconds >= 120]
    assert sum(c.appointment_set for c in long_talks) / len(long_talks) == pytest.approx(0.09, abs=0.02)
    assert all(synthetic.DAY_START_HOUR <= c.hour < synthetic.DAY_END_HOUR for c in calls)
    assert not any(c.permission_granted and not c.reached_target for c in calls)


def test_a_low_skill_rep_has_fewer_long_talks():
    rng = random.Random(7)
    low = [synthetic.sample_call(rng, skill=0.5) for _ in range(20_000)]
    assert sum(c.duration_seconds >= 120 for c in low) / len(low) == pytest.approx(0.25, abs=0.015)


def test_python_emails_have_the_benchmark_shares():
    rng = random.Random(3)
    emails = [synthetic.sample_email(rng) for _ in range(20_000)]
    assert sum(e.opened for e in emails) / len(emails) == pytest.approx(0.35, abs=0.015)
    assert sum(e.replied for e in emails) / len(emails) == pytest.approx(0.07, abs=0.01)
    assert not any(e.replied and not e.opened for e in emails)


@pytest.mark.parametrize(
    ("roll", "may_close", "status"),
    [
        (0.0, True, "no_show"),
        (0.0999, True, "no_show"),
        (0.1, True, "disqualified"),
        (0.3499, True, "disqualified"),
        (0.35, True, "won"),
        (0.55, True, "lost"),
        (0.75, True, "qualified"),
        (0.9999, True, "qualified"),
        (0.4, False, "qualified"),
        (0.6, False, "qualified"),
        (0.2, False, "disqualified"),
    ],
)
def test_meeting_outcomes_by_twentieths(roll, may_close, status):
    assert synthetic.meeting_outcome(roll, may_close=may_close) == status


def test_the_sql_meeting_array_holds_the_same_twentieths():
    slots = synthetic.sql_meeting_statuses().removeprefix("ARRAY[").removesuffix("]").replace("'", "").split(", ")
    assert len(slots) == 20
    assert Counter(slots) == dict(synthetic.MEETING_OUTCOMES)
    # Slot n holds what the Python sampler returns for a roll of n / 20.
    assert slots == [synthetic.meeting_outcome(n / 20) for n in range(20)]


def test_month_targets_scale_by_business_days():
    rows = synthetic.month_targets(7, date(2026, 3, 1), 20, {"calls": 34, "meetings": Decimal("0.8")}, {"r": 1})
    assert [(t.kpi_key, t.value) for t in rows] == [("calls", 34 * 20), ("meetings", 16), ("r", 1)]
    assert {(t.scope, t.scope_id, t.granularity) for t in rows} == {("rep", 7, "month")}


@pytest.mark.django_db
def test_sql_and_python_put_the_same_draws_in_the_same_band():
    if connection.vendor != "postgresql":
        pytest.skip("the bench's SQL runs on PostgreSQL")
    grid = [(u1 / 100, u2 / 10) for u1 in range(100) for u2 in (0, 3, 5, 9)] + [(0.4999, 0.999), (0.5599, 0.0)]
    values = ", ".join(f"({u1}::float8, {u2}::float8)" for u1, u2 in grid)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT u1, u2, duration, {synthetic.sql_call_result('duration', 'u1', 'u2')},"
            f" {synthetic.sql_call_reached('duration', 'u1', 'u2')}"
            f" FROM (SELECT u1, u2, {synthetic.sql_call_duration('u1', 'u2')} AS duration"
            f" FROM (VALUES {values}) AS v(u1, u2)) AS shaped"
        )
        rows = cursor.fetchall()
    assert len(rows) == len(grid)
    for u1, u2, duration, result, reached in rows:
        assert synthetic.call_outcome(Draws(u1, u2)) == (duration, result), (u1, u2)
        assert reached == (result == "connected" and u2 < synthetic.REACHED_RATE)
