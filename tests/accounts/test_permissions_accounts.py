"""accounts/permissions.py: team_for_user and the rules: 404 for no such team, 403 for a team one may
not see; lead supply, API and target-setting rules."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from accounts import permissions
from accounts.models import User
from accounts.permissions import may_set_targets
from kpi.api.auth import IntegrationPrincipal
from kpi.models import Integration
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MISSING = 987654


@pytest.fixture
def other_manager(team_b):
    user = UserFactory(email="manager-b@example.jp", role=User.Role.MANAGER, team=team_b)
    team_b.managers.add(user)
    return user


def outcome(call):
    try:
        return call().pk
    except Http404:
        return 404
    except PermissionDenied:
        return 403


@pytest.mark.parametrize(
    ("who", "see_a", "manage_a"),
    [("rep", "a", 403), ("manager", "a", "a"), ("other_manager", 403, 403), ("outsider", 403, 403), ("ops", "a", "a")],
)
def test_team_for_user_answers_404_403_or_the_team(request, who, see_a, manage_a, team_a):
    user = request.getfixturevalue(who)
    expected = {"a": team_a.pk, 403: 403}
    assert outcome(lambda: permissions.team_for_user(user, team_a.pk)) == expected[see_a]
    assert outcome(lambda: permissions.team_for_user(user, team_a.pk, manage=True)) == expected[manage_a]
    assert outcome(lambda: permissions.team_for_user(user, MISSING)) == 404
    assert outcome(lambda: permissions.team_for_user(user, MISSING, manage=True)) == 404


def test_team_among_visible_gives_the_switcher_too(manager, other_manager, team_a, team_b):
    team, teams = permissions.team_among_visible(manager, team_a.pk)
    assert (team, teams) == (team_a, [team_a])
    assert outcome(lambda: permissions.team_among_visible(other_manager, team_a.pk)[0]) == 403
    assert outcome(lambda: permissions.team_among_visible(other_manager, MISSING)[0]) == 404


def test_managed_team_or_first_falls_back_and_refuses_who_manages_none(manager, rep, team_a, team_b):
    assert permissions.managed_team_or_first(manager, team_b.pk) == (team_a, [team_a])
    assert permissions.managed_team_or_first(manager, "junk")[0] == team_a
    with pytest.raises(PermissionDenied):
        permissions.managed_team_or_first(rep, team_a.pk)


def test_the_team_board_answers_what_the_loader_does(client, rep, other_manager, team_a):
    client.force_login(other_manager)
    assert client.get(reverse("team_board", args=[team_a.pk])).status_code == 403
    assert client.get(reverse("team_board", args=[MISSING])).status_code == 404
    client.force_login(rep)
    assert client.get(reverse("team_board", args=[team_a.pk])).status_code == 200


@pytest.mark.parametrize(
    ("who", "view", "supply", "capacity"),
    [
        ("rep", False, False, False),
        ("manager", True, False, False),
        ("marketer", True, True, False),
        ("fs_user", True, False, True),
        ("ops", True, True, True),
    ],
)
def test_lead_supply_rules(request, who, view, supply, capacity):
    user = request.getfixturevalue(who)
    assert permissions.can_view_lead_supply(user) is view
    assert permissions.can_plan_lead_supply(user) is supply
    assert permissions.can_plan_fs_capacity(user) is capacity


def test_api_rules_know_a_person_from_an_integration(rep, ops):
    assert permissions.is_person(rep) and not permissions.can_ingest_by_hand(rep)
    assert permissions.can_ingest_by_hand(ops)
    assert not permissions.is_person(IntegrationPrincipal(integration=Integration(name="MiiTel", source="miitel")))


def test_a_manager_may_set_the_targets_of_their_teams_and_reps_only(manager, rep, outsider, ops, team_a, team_b):
    loner = UserFactory(team=None)
    rep_teams = {rep.pk: team_a.pk, outsider.pk: team_b.pk, loner.pk: None}
    may = may_set_targets(manager, rep_teams)
    checks = [("team", team_a.pk), ("team", team_b.pk), ("rep", rep.pk), ("rep", outsider.pk), ("rep", loner.pk)]
    assert [may(scope, scope_id) for scope, scope_id in [*checks, ("org", 0)]] == [
        True,
        False,
        True,
        False,
        False,
        False,
    ]
    assert may_set_targets(ops, rep_teams)("org", 0)
    assert not may_set_targets(rep, rep_teams)("rep", rep.pk)  # reps set no targets, not even their own
