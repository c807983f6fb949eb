"""kpi/services/review_rules.py: create and update keep defaults and refuse bad input alike; an
unchanged save logs nothing; deactivated rules open no items and edited thresholds are what the next
evaluation uses."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry

from kpi.forms import form_fields
from kpi.forms.reviews import ReviewRuleEditForm, ReviewRuleForm
from kpi.models import ReviewItem, ReviewRule
from kpi.services.review_rules import review_rule_create, review_rule_set_active, review_rule_update
from kpi.services.reviews import review_entry_add, review_item_close, reviews_evaluate
from tests.kpi.helpers import rule_for

pytestmark = pytest.mark.django_db

NOV = date(2026, 11, 1)


AS_OF = date(2026, 11, 20)


EDITED = {"granularity": "week", "threshold_pct": "62.5", "min_sample": "45"}  # pace_aware unticked


def rule_update(*, rule_id: int, data: dict, user) -> ReviewRule:
    """The edit page's path: the form parses, the service saves."""
    form = ReviewRuleEditForm(data)
    assert form.is_valid(), form.errors
    return review_rule_update(rule_id=rule_id, user=user, **form.cleaned_data)


def rule_create(*, data: dict, user) -> ReviewRule:
    form = ReviewRuleForm(data)
    assert form.is_valid(), form.errors
    return review_rule_create(user=user, **form.cleaned_data)


@pytest.mark.usefixtures("english")
def test_saving_unchanged_values_logs_nothing(manager, team_rule):
    data = {"granularity": "month", "threshold_pct": "70", "min_sample": "30", "pace_aware": True}
    rule_update(rule_id=team_rule.pk, data=data, user=manager)
    assert not LogEntry.objects.exists()


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"threshold_pct": "250"}, "threshold_pct"),
        ({"min_sample": "-1"}, "min_sample"),
        ({"granularity": "day"}, "granularity"),
    ],
)
def test_create_and_update_refuse_the_same_input_with_the_same_message(manager, team_a, team_rule, data, field):
    good = {"kpi_key": "calls", "scope": "team", "scope_id": team_a.pk, "pace_aware": False, **EDITED}
    on_create, on_update = ReviewRuleForm({**good, **data}), ReviewRuleEditForm({**good, **data})
    assert not on_create.is_valid() and not on_update.is_valid()
    assert form_fields(on_create) == form_fields(on_update) and set(form_fields(on_create)) == {field}
    assert ReviewRule.objects.count() == 1


@pytest.mark.usefixtures("english")
def test_create_keeps_its_defaults(manager, team_a):
    rule = rule_create(data={"kpi_key": "calls", "scope": "team", "scope_id": str(team_a.pk)}, user=manager)
    assert (rule.granularity, rule.threshold_pct, rule.min_sample, rule.pace_aware) == ("month", Decimal(70), 30, True)
    assert rule.created_by == manager


@pytest.mark.usefixtures("english")
def test_a_deactivated_rule_opens_no_item_while_an_active_one_does(rep, manager, behind):
    active = rule_for("rep", rep.pk, kpi_key="calls")
    switched_off = rule_for("rep", rep.pk, kpi_key="calls", threshold_pct=90)
    review_rule_set_active(rule_id=switched_off.pk, active=False, user=manager)

    stats = reviews_evaluate(cadence="daily", as_of=AS_OF)

    assert stats["rules"] == 1
    assert list(ReviewItem.objects.values_list("rule_id", flat=True)) == [active.pk]


@pytest.mark.usefixtures("english")
def test_open_items_of_a_deactivated_rule_stay_open_and_can_be_worked(rep, manager, behind):
    rule = rule_for("rep", rep.pk, kpi_key="calls")
    reviews_evaluate(cadence="daily", as_of=AS_OF)
    item = ReviewItem.objects.get()

    review_rule_set_active(rule_id=rule.pk, active=False, user=manager)
    reviews_evaluate(cadence="daily", as_of=AS_OF)

    item.refresh_from_db()
    assert item.status == "open" and ReviewItem.objects.count() == 1
    review_entry_add(item=item, author=manager, cause="リスト枯渇", next_action="新リスト投入")
    review_item_close(item=item, user=manager, result="ルールを見直し")
    assert reviews_evaluate(cadence="daily", as_of=AS_OF)["opened"] == 0  # still off: nothing new

    review_rule_set_active(rule_id=rule.pk, active=True, user=manager)
    assert reviews_evaluate(cadence="daily", as_of=AS_OF)["opened"] == 1  # fires again once back on


@pytest.mark.usefixtures("english")
def test_an_edited_threshold_is_what_the_next_evaluation_uses(rep, manager, behind):
    # 100 of 1,400 is 7.1%: a rule firing below 7% stays quiet until it is raised to 7.5%.
    rule = rule_for("rep", rep.pk, kpi_key="calls", threshold_pct=7)
    assert reviews_evaluate(cadence="daily", as_of=AS_OF)["opened"] == 0
    data = {"granularity": "month", "threshold_pct": "7.5", "min_sample": "30", "pace_aware": True}
    rule_update(rule_id=rule.pk, data=data, user=manager)
    assert reviews_evaluate(cadence="daily", as_of=AS_OF)["opened"] == 1
