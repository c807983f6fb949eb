"""Migration 0013 gives each existing review item the rule as it fired, read back from the rule's
change log once; a rule edited after the item opened must not rewrite the item's threshold."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("kpi", "0012_rollup_period_rep_rows")]


LOG = [("admin", "0003_logentry_add_action_flag_choices")]  # not a dependency of kpi 0012: asked for too


AFTER = [("kpi", "0013_review_item_rule_as_fired")]


@pytest.fixture
def old_schema():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    yield executor.loader.project_state(BEFORE + LOG).apps
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_items_keep_the_threshold_they_fired_under(old_schema):
    apps = old_schema
    Rule, Item = apps.get_model("kpi", "ReviewRule"), apps.get_model("kpi", "ReviewItem")
    LogEntry, ContentType = apps.get_model("admin", "LogEntry"), apps.get_model("contenttypes", "ContentType")
    editor = apps.get_model("accounts", "User").objects.create(email="ops@example.jp", role="ops")
    # The rule as it is now: lowered from 70% to 60% and its minimum sample raised after the first item.
    rule = Rule.objects.create(kpi_key="calls", scope="rep", threshold_pct=Decimal("60.0"), min_sample=50)
    item = dict(kpi_key="calls", scope="rep", scope_id=1, granularity="month", period_start=date(2026, 11, 1))
    numbers = dict(as_of=date(2026, 11, 20), target=10, expected=10, attainment_pct=Decimal("40.0"))
    before_edit = Item.objects.create(rule=rule, **item, **numbers)
    edited_at = before_edit.opened_at + timedelta(hours=1)
    LogEntry.objects.create(
        action_time=edited_at,
        user=editor,
        content_type=ContentType.objects.get_for_model(Rule),
        object_id=str(rule.pk),
        object_repr=str(rule.pk),
        action_flag=2,
        change_message=json.dumps({"changed": {"threshold_pct": ["70.0", "60.0"], "min_sample": [30, 50]}}),
    )
    after_edit = Item.objects.create(rule=rule, **{**item, "scope_id": 2}, **numbers)
    Item.objects.filter(pk=after_edit.pk).update(opened_at=edited_at + timedelta(minutes=5))

    MigrationExecutor(connection).migrate(AFTER)

    from kpi.models import ReviewItem

    # Only the columns 0013 knows: later migrations add more to the model.
    rows = ReviewItem.objects.values_list("pk", "threshold_pct", "min_sample", "pace_aware")
    got = {pk: (threshold, sample, pace) for pk, threshold, sample, pace in rows}
    assert got == {before_edit.pk: (Decimal("70.0"), 30, True), after_edit.pk: (Decimal("60.0"), 50, True)}
