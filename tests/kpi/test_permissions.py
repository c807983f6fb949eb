"""kpi/permissions.py loaders: 404 when there is nothing (or nothing the user may know of), 403 when the
user sees it but may not do what they ask; rep, manager and outsider for each."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from kpi.models import Plan, ReviewRule
from kpi.permissions import plan_for_user, planner_team_for_user, review_item_for_user, review_rule_for_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(team_a):
    return Plan.objects.create(team=team_a, month=date(2026, 12, 1), goal_value=10)


def test_review_item(item, rep, manager, outsider, ops):
    assert review_item_for_user(rep, item.pk) == item  # a rep sees their team's items
    with pytest.raises(PermissionDenied):
        review_item_for_user(rep, item.pk, write=True)  # ... but does not act on them
    assert review_item_for_user(manager, item.pk, write=True) == item
    assert review_item_for_user(ops, item.pk, write=True) == item
    with pytest.raises(Http404):
        review_item_for_user(outsider, item.pk)  # another team's item: as if there were none
    with pytest.raises(Http404):
        review_item_for_user(manager, 999_999)


def test_review_rule(item, rep, manager, outsider, ops, team_b):
    rule = item.rule
    assert review_rule_for_user(manager, rule.pk, write=True) == rule  # on one of the manager's reps
    with pytest.raises(PermissionDenied):
        review_rule_for_user(rep, rule.pk)  # reps see no rules
    with pytest.raises(PermissionDenied):
        review_rule_for_user(outsider, rule.pk)
    with pytest.raises(Http404):
        review_rule_for_user(manager, 999_999)
    other = ReviewRule.objects.create(kpi_key="calls", scope="team", scope_id=team_b.pk)
    assert review_rule_for_user(manager, other.pk) == other  # seen on the list ...
    with pytest.raises(PermissionDenied):
        review_rule_for_user(manager, other.pk, write=True)  # ... not changed
    assert review_rule_for_user(ops, other.pk, write=True) == other


def test_plan(plan, rep, manager, outsider, ops):
    assert plan_for_user(manager, plan.pk, write=True) == plan
    assert plan_for_user(ops, plan.pk, write=True) == plan
    assert plan_for_user(rep, plan.pk) == plan  # the rep's own team
    with pytest.raises(PermissionDenied):
        plan_for_user(rep, plan.pk, write=True)
    with pytest.raises(Http404):
        plan_for_user(outsider, plan.pk)
    with pytest.raises(Http404):
        plan_for_user(manager, 999_999)


def test_planner_team(team_a, team_b, rep, manager, ops):
    assert planner_team_for_user(manager, None) == team_a
    assert planner_team_for_user(ops, str(team_b.pk)) == team_b
    with pytest.raises(PermissionDenied):
        planner_team_for_user(manager, str(team_b.pk))
    with pytest.raises(PermissionDenied):
        planner_team_for_user(rep, None)
