"""Writing many targets at once (the targets grid, a CSV import): every row lands, a row written again
is updated in place, the work does not grow with the rows, and exactly the boards that show them
are invalidated."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kpi.models import Target, TargetChange
from kpi.services import board_cache
from kpi.services.targets import TargetRow, targets_write
from tests.factories import TeamFactory, UserFactory, tokyo

pytestmark = pytest.mark.django_db

NOV, DEC = date(2026, 11, 1), date(2026, 12, 1)


def rows_for(reps, value, months=(NOV,), kpis=("calls", "meetings")):
    return [TargetRow(k, "rep", r.pk, "month", m, Decimal(value)) for r in reps for k in kpis for m in months]


def stored():
    return {(t.kpi_key, t.scope_id, t.period_start): t.value for t in Target.objects.all()}


def test_rows_are_written_then_updated_in_place(rep, teammate, ops):
    targets_write(rows=rows_for([rep, teammate], 300), user=ops, source="csv")
    ids = set(Target.objects.values_list("pk", flat=True))
    targets_write(
        rows=[*rows_for([rep], 350), TargetRow("calls", "team", rep.team_id, "month", NOV, 900)], user=ops, source="csv"
    )

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
    targets_write(
        rows=rows_for([rep], 300, kpis=("calls",)) + rows_for([rep], 320, kpis=("calls",)), user=ops, source="csv"
    )
    assert stored() == {("calls", rep.pk, NOV): 320}


def test_the_queries_do_not_grow_with_the_rows(team_a, ops):
    # Up to one INSERT's batch: 1,000 rows, or about 110 on SQLite (999 parameters a statement).
    few, many = [UserFactory(team=team_a)], [UserFactory(team=team_a) for _ in range(20)]
    with CaptureQueriesContext(connection) as small:
        targets_write(rows=rows_for(few, 10), user=ops, source="csv")
    with CaptureQueriesContext(connection) as large:
        targets_write(rows=rows_for(many, 10, months=(NOV, DEC)), user=ops, source="csv")  # 80 rows
    assert Target.objects.count() == 2 + 80
    assert len(large.captured_queries) == len(small.captured_queries)


def test_only_the_boards_showing_the_targets_get_new_tokens(rep, outsider, ops):
    untouched = TeamFactory()
    keys = [board_cache.ORG, *(board_cache.team_key(t) for t in (rep.team_id, outsider.team_id, untouched.pk))]
    before = board_cache.tokens(keys)

    targets_write(rows=rows_for([rep], 300), user=ops, source="csv")

    after = board_cache.tokens(keys)
    changed = [key for key, old, new in zip(keys, before, after, strict=True) if old != new]
    assert changed == [board_cache.ORG, board_cache.team_key(rep.team_id)]


def history():
    return [
        (c.kpi_key, c.scope_id, c.old_value, c.new_value, c.source, c.changed_by_id)
        for c in TargetChange.objects.order_by("kpi_key", "pk")
    ]


def test_every_change_is_recorded_once_with_who_old_new_and_path(rep, manager, ops):
    targets_write(rows=rows_for([rep], 300), user=ops, source="csv")
    targets_write(rows=rows_for([rep], 300, kpis=("calls",)), user=manager, source="grid")  # unchanged: no entry
    targets_write(
        rows=rows_for([rep], 320, kpis=("calls",)),
        deletions=[("meetings", "rep", rep.pk, "month", NOV), ("orders", "rep", rep.pk, "month", NOV)],
        user=manager,
        source="grid",
    )
    assert history() == [
        ("calls", rep.pk, None, Decimal(300), "csv", ops.pk),
        ("calls", rep.pk, Decimal(300), Decimal(320), "grid", manager.pk),
        ("meetings", rep.pk, None, Decimal(300), "csv", ops.pk),
        ("meetings", rep.pk, Decimal(300), None, "grid", manager.pk),  # the deletion, not the missing orders
    ]


def test_plan_and_review_writes_are_recorded_with_their_path(team_a, rep, manager, item, time_machine):
    from kpi.forms.planner import plan_input_parse
    from kpi.services.planner import plan_apply, plan_save
    from kpi.services.reviews import review_entry_add

    plan = plan_save(
        plan_input=plan_input_parse(team=team_a, data={"month": "2026-11", "goal_value": "3"}),
        as_of=date(2026, 10, 20),
        user=manager,
    )
    plan_apply(plan=plan, user=manager)
    planned = TargetChange.objects.get(scope="rep", scope_id=rep.pk, kpi_key="calls")
    assert (planned.source, planned.changed_by, planned.plan, planned.old_value) == ("plan", manager, plan, None)
    # In October, the review's new target goes by default to the next month: November, the plan's month.
    time_machine.move_to(tokyo(2026, 10, 20, 12, 0))
    review_entry_add(item=item, author=manager, cause="few calls", next_action="call blocks", new_target=Decimal(900))
    reviewed = TargetChange.objects.filter(source="review").get()
    assert (reviewed.changed_by, reviewed.old_value, reviewed.new_value) == (manager, planned.new_value, Decimal(900))
