"""kpi/permissions.py loaders: 404 when there is nothing (or nothing the user may know of), 403 when
the user may not have it; the pages answer what the loaders do."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from accounts.models import User
from kpi import conditions, permissions
from kpi.models import ImportJob, Integration, Plan, ReviewItem, ReviewRule
from kpi.permissions import (
    definition_for_user,
    definition_version_for_user,
    plan_for_user,
    planner_team_for_user,
    review_item_for_user,
    review_items_visible_to,
    review_rule_for_user,
)
from kpi.services import definitions
from kpi.services.integrations import integration_issue_token
from tests.factories import MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def connects_draft(manager):
    return definitions.definition_version_draft(
        key="connects",
        params=conditions.default_params("connects"),
        effective_from=date(2026, 12, 1),
        reason="check",
        actor=manager,
    )


def test_definition_loader_reads_for_everyone_and_writes_for_proposers(rep, manager, outsider):
    for user in (rep, manager, outsider):
        assert definition_for_user(user, "connects").key == "connects"
    assert definition_for_user(manager, "connects", write=True).key == "connects"
    for user in (rep, outsider):
        with pytest.raises(PermissionDenied):
            definition_for_user(user, "connects", write=True)
    with pytest.raises(Http404):
        definition_for_user(manager, "nope", write=True)


def test_version_loader_404_then_403_for_non_signers(rep, manager, outsider, ops, connects_draft):
    assert definition_version_for_user(rep, connects_draft.pk) == connects_draft
    assert definition_version_for_user(manager, connects_draft.pk, write=True) == connects_draft
    for user in (rep, outsider, ops):
        with pytest.raises(PermissionDenied):
            definition_version_for_user(user, connects_draft.pk, write=True)
    for user in (rep, manager):
        with pytest.raises(Http404):
            definition_version_for_user(user, 999_999)


MISSING = 987654


CAST = ["rep", "manager", "other_manager", "outsider", "fs_user", "ops"]


@pytest.fixture
def other_manager(team_b):
    user = UserFactory(email="manager-b@example.jp", role=User.Role.MANAGER, team=team_b)
    team_b.managers.add(user)
    return user


@pytest.fixture
def job(manager):
    return ImportJob.objects.create(
        kind=ImportJob.Kind.CALLS, source="upload", original_name="x.csv", created_by=manager
    )


@pytest.fixture
def integration(db):
    return integration_issue_token(name="Phone", source="phone")[0]


def outcome(call):
    try:
        return call().pk
    except Http404:
        return 404
    except PermissionDenied:
        return 403


def _cases(allowed: set[str]):
    return [(who, who in allowed) for who in CAST]


@pytest.mark.parametrize(("who", "allowed"), _cases({"manager", "ops"}))
def test_import_job_for_user(request, who, allowed, job):
    """A job uploaded by team A's manager: theirs and ops'; another team's manager finds nothing (404)."""
    user = request.getfixturevalue(who)
    denied = 404 if who == "other_manager" else 403
    assert outcome(lambda: permissions.import_job_for_user(user, job.pk)) == (job.pk if allowed else denied)
    assert outcome(lambda: permissions.import_job_for_user(user, MISSING)) == 404


@pytest.mark.parametrize(("who", "allowed"), _cases({"ops"}))
def test_integration_for_user(request, who, allowed, integration):
    user = request.getfixturevalue(who)
    expected = integration.pk if allowed else 403
    assert outcome(lambda: permissions.integration_for_user(user, integration.pk)) == expected
    assert outcome(lambda: permissions.integration_for_user(user, integration.pk, write=True)) == expected
    assert outcome(lambda: permissions.integration_for_user(user, MISSING, write=True)) == 404


@pytest.mark.parametrize(("who", "allowed"), _cases({"fs_user", "ops"}))
def test_meeting_for_user(request, who, allowed, rep):
    user = request.getfixturevalue(who)
    meeting = MeetingFactory(rep=rep)
    assert outcome(lambda: permissions.meeting_for_user(user, meeting.pk, write=True)) == (
        meeting.pk if allowed else 403
    )
    assert outcome(lambda: permissions.meeting_for_user(user, MISSING, write=True)) == 404


def test_pages_answer_what_the_loaders_do(client, ops, manager, other_manager, job, integration):
    client.force_login(manager)
    assert client.get(reverse("import_job", args=[job.pk])).status_code == 200
    client.force_login(other_manager)
    assert client.get(reverse("import_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("import_job", args=[MISSING])).status_code == 404
    assert client.post(reverse("integration_revoke", args=[integration.pk])).status_code == 403
    client.force_login(ops)
    assert client.post(reverse("integration_revoke", args=[MISSING])).status_code == 404
    assert client.post(reverse("integration_revoke", args=[integration.pk])).status_code == 302
    assert not Integration.objects.get(pk=integration.pk).is_active


@pytest.fixture
def plan(team_a):
    return Plan.objects.create(team=team_a, month=date(2026, 12, 1), goal_value=10)


def test_review_item(item, rep, teammate, manager, outsider, ops):
    assert review_item_for_user(rep, item.pk) == item  # a rep sees the items about themselves
    with pytest.raises(PermissionDenied):
        review_item_for_user(rep, item.pk, write=True)  # ... but does not act on them
    with pytest.raises(Http404):
        review_item_for_user(teammate, item.pk)  # a teammate's coaching notes: as if there were none
    assert review_item_for_user(manager, item.pk, write=True) == item
    assert review_item_for_user(ops, item.pk, write=True) == item
    with pytest.raises(Http404):
        review_item_for_user(outsider, item.pk)  # another team's item: as if there were none
    with pytest.raises(Http404):
        review_item_for_user(manager, 999_999)


def test_review_items_visible_to_follows_the_item_loader(item, rep, teammate, manager, outsider, fs_user, ops):
    """The list and the loader answer the same: the rep's own items for the rep, the team's items for
    its managers, every item for ops, none for a teammate, another team or FS."""
    team_item = ReviewItem.objects.get(pk=item.pk)
    team_item.pk, team_item.scope, team_item.scope_id = None, "team", item.team_id
    team_item.save()
    assert list(review_items_visible_to(rep)) == [item]
    assert list(review_items_visible_to(teammate)) == []
    assert set(review_items_visible_to(manager)) == {item, team_item}
    for user, item_ in ((rep, team_item), (teammate, item)):
        with pytest.raises(Http404):
            review_item_for_user(user, item_.pk)
    assert list(review_items_visible_to(outsider)) == []
    assert list(review_items_visible_to(fs_user)) == []
    assert set(review_items_visible_to(ops)) == {item, team_item}
    assert list(review_items_visible_to(outsider)) == []
    assert list(review_items_visible_to(fs_user)) == []


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
    with pytest.raises(Http404):
        review_rule_for_user(manager, other.pk)  # another team's rule: not even seen
    shared = ReviewRule.objects.create(kpi_key="calls", scope="team", scope_id=None)
    assert review_rule_for_user(manager, shared.pk) == shared  # a rule for every team: seen ...
    with pytest.raises(PermissionDenied):
        review_rule_for_user(manager, shared.pk, write=True)  # ... not changed
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
    with pytest.raises(Http404):  # asked for a team that does not exist, as every team loader answers
        planner_team_for_user(manager, "999999")
