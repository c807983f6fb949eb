"""kpi/selectors/rep.py: the rep's funnel next to the team's, the heatmap's minimum sample, the rep's
open review items and the call list's filters."""

from datetime import date
from decimal import Decimal

import pytest

from kpi.models import CallLog, ReviewItem
from kpi.selectors.rep import rep_calls, rep_funnel, rep_heatmap, rep_review_items
from kpi.services.rollups import rollups_rebuild
from tests.factories import CallFactory, tokyo
from tests.kpi.helpers import day_row

pytestmark = pytest.mark.django_db


def test_funnel_shows_the_reps_counts_and_step_rates_next_to_the_teams(rep, team_a):
    day_row("rep", rep.pk, date(2026, 11, 2), calls=40, connects=20, effective_calls=8, meetings=2)
    day_row("team", team_a.pk, date(2026, 11, 2), calls=100, connects=40, effective_calls=10, meetings=2)
    day_row("rep", rep.pk, date(2026, 10, 30), calls=999)  # before the window
    funnel = rep_funnel(rep=rep, first=date(2026, 11, 1), last=date(2026, 11, 30))
    assert [(s.stage, s.rep, s.team) for s in funnel.stages[:4]] == [
        ("calls", 40, 100),
        ("connects", 20, 40),
        ("effective_calls", 8, 10),
        ("meetings", 2, 2),
    ]
    steps = {s.key: (s.rep, s.team) for s in funnel.steps}
    assert steps["connect"] == (Decimal("0.5"), Decimal("0.4"))
    assert steps["effective"] == (Decimal("0.4"), Decimal("0.25"))
    assert steps["meeting"] == (Decimal("0.25"), Decimal("0.2"))
    assert steps["win"] == (None, None)  # no qualified meetings: no rate, not 0%


def test_heatmap_cells_under_the_minimum_sample_keep_their_counts_but_have_no_rate(rep):
    for minute in range(9):  # Monday Nov 16, 10:00: 9 calls, all connected
        CallFactory(rep=rep, started_at=tokyo(2026, 11, 16, 10, minute), duration_seconds=60, result="connected")
    for minute in range(10):  # Tuesday Nov 17, 11:00: 10 calls, 4 connected
        connected = minute < 4
        CallFactory(
            rep=rep,
            started_at=tokyo(2026, 11, 17, 11, minute),
            duration_seconds=60 if connected else 0,
            result="connected" if connected else "no_answer",
        )
    rollups_rebuild()
    hours, grid, _first, _last = rep_heatmap(rep=rep, as_of=date(2026, 11, 20))
    cells = {(c.weekday, c.hour): c for _w, row in grid for c in row}
    assert hours == [10, 11]
    assert (cells[(0, 10)].calls, cells[(0, 10)].connects, cells[(0, 10)].rate) == (9, 9, None)
    assert cells[(1, 11)].rate == Decimal("0.4")
    assert [w for w, _row in grid] == [0, 1, 2, 3, 4]  # weekdays always, no weekend calls


def test_review_items_are_the_reps_open_ones(item, rep, manager, teammate):
    assert rep_review_items(viewer=manager, rep=rep) == [item]
    assert rep_review_items(viewer=manager, rep=teammate) == []
    ReviewItem.objects.filter(pk=item.pk).update(status=ReviewItem.Status.CLOSED)
    assert rep_review_items(viewer=manager, rep=rep) == []


def test_call_list_filters_by_day_result_and_lead(rep, teammate):
    CallFactory(rep=rep, started_at=tokyo(2026, 11, 20, 9, 0), result="connected", lead_external_id="L-1")
    late = CallFactory(rep=rep, started_at=tokyo(2026, 11, 20, 23, 30), result="busy", lead_external_id="L-2")
    CallFactory(rep=rep, started_at=tokyo(2026, 11, 19, 10, 0), result="connected", lead_external_id="L-1")
    CallFactory(rep=teammate, started_at=tokyo(2026, 11, 20, 10, 0))
    assert rep_calls(rep=rep).count() == 3
    assert rep_calls(rep=rep, day=date(2026, 11, 20)).first() == late  # newest first
    assert rep_calls(rep=rep, day=date(2026, 11, 20), result=CallLog.Result.CONNECTED).count() == 1
    assert rep_calls(rep=rep, lead="l-1").count() == 2
