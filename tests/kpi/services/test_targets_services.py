"""Writing many targets at once (the targets grid, a CSV import): every row lands, a row written again
is updated in place, the work does not grow with the rows, and exactly the boards that show them
are invalidated."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kpi.models import Target
from kpi.services import board_cache
from kpi.services.targets import TargetRow, targets_write
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

NOV, DEC = date(2026, 11, 1), date(2026, 12, 1)


def rows_for(reps, value, months=(NOV,), kpis=("calls", "meetings")):
    return [TargetRow(k, "rep", r.pk, "month", m, Decimal(value)) for r in reps for k in kpis for m in months]


def stored():
    return {(t.kpi_key, t.scope_id, t.period_start): t.value for t in Target.objects.all()}


def test_rows_are_written_then_updated_in_place(rep, teammate, ops):
    targets_write(rows=rows_for([rep, teammate], 300), user=ops)
    ids = set(Target.objects.values_list("pk", flat=True))
    targets_write(rows=[*rows_for([rep], 350), TargetRow("calls", "team", rep.team_id, "month", NOV, 900)], user=ops)

    assert stored() == {
        ("calls", rep.pk, NOV): 350,
        ("meetings", rep.pk, NOV): 350,
        ("calls", teammate.pk, NOV): 300,
        ("meetings", teammate.pk, NOV): 300,
        ("calls", rep.team_id, NOV): 900,
    }
    assert ids < set(Target.objects.values_list("pk", flat=True))  # updated rows kept their ids
    assert set(Target.objects.values_list("updated_by", flat=True)) == {ops.pk}


def test_a_later_row_for_the_same_target_wins(rep, ops):
    targets_write(rows=rows_for([rep], 300, kpis=("calls",)) + rows_for([rep], 320, kpis=("calls",)), user=ops)
    assert stored() == {("calls", rep.pk, NOV): 320}


def test_the_queries_do_not_grow_with_the_rows(team_a, ops):
    # Up to one INSERT's batch: 1,000 rows, or about 110 on SQLite (999 parameters a statement).
    few, many = [UserFactory(team=team_a)], [UserFactory(team=team_a) for _ in range(20)]
    with CaptureQueriesContext(connection) as small:
        targets_write(rows=rows_for(few, 10), user=ops)
    with CaptureQueriesContext(connection) as large:
        targets_write(rows=rows_for(many, 10, months=(NOV, DEC)), user=ops)  # 80 rows
    assert Target.objects.count() == 2 + 80
    assert len(large.captured_queries) == len(small.captured_queries)


def test_only_the_boards_showing_the_targets_get_new_tokens(rep, outsider, ops):
    untouched = TeamFactory()
    keys = [board_cache.ORG, *(board_cache.team_key(t) for t in (rep.team_id, outsider.team_id, untouched.pk))]
    before = board_cache.tokens(keys)

    targets_write(rows=rows_for([rep], 300), user=ops)

    after = board_cache.tokens(keys)
    changed = [key for key, old, new in zip(keys, before, after, strict=True) if old != new]
    assert changed == [board_cache.ORG, board_cache.team_key(rep.team_id)]
