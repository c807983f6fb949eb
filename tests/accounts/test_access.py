"""Who sees which page: the cast is a rep and teammate in team A, an outsider in team B, team A's
manager, an FS member, a marketer and ops."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def get(client, user, url):
    if user is not None:
        client.force_login(user)
    return client.get(url)


def test_anonymous_is_sent_to_login(client, team_a):
    response = client.get(reverse("team_board", args=[team_a.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_rep_sees_own_team_board_but_not_another_team(client, rep, team_a, team_b):
    assert get(client, rep, reverse("team_board", args=[team_a.pk])).status_code == 200
    assert get(client, rep, reverse("team_board", args=[team_b.pk])).status_code == 403


def test_manager_sees_managed_team_only(client, manager, team_a, team_b):
    assert get(client, manager, reverse("team_board", args=[team_a.pk])).status_code == 200
    assert get(client, manager, reverse("team_board", args=[team_b.pk])).status_code == 403


def test_fs_and_marketing_do_not_see_team_boards(client, fs_user, marketer, team_a):
    assert get(client, fs_user, reverse("team_board", args=[team_a.pk])).status_code == 403
    assert get(client, marketer, reverse("team_board", args=[team_a.pk])).status_code == 403


def test_ops_sees_every_team_and_job_health(client, ops, team_a, team_b):
    assert get(client, ops, reverse("team_board", args=[team_b.pk])).status_code == 200
    assert get(client, ops, reverse("job_health")).status_code == 200


def test_job_health_is_ops_only(client, manager):
    assert get(client, manager, reverse("job_health")).status_code == 403


def test_org_board_for_managers_marketing_and_ops_not_reps(client, rep, manager, marketer, ops, team_a):
    url = reverse("org_board")
    assert get(client, rep, url).status_code == 403
    for user in (manager, marketer, ops):
        client.logout()
        assert get(client, user, url).status_code == 200


def test_unknown_team_is_404(client, ops):
    assert get(client, ops, reverse("team_board", args=[999_999])).status_code == 404


def test_home_sends_each_role_to_its_page(client, rep, manager, team_a):
    assert get(client, rep, reverse("home")).url == reverse("today")
    client.logout()
    assert get(client, manager, reverse("home")).url == reverse("team_board", args=[team_a.pk])


def test_org_structure_is_ops_only_and_exports_members(client, ops, manager, rep, teammate, fs_user):
    assert get(client, manager, reverse("org_structure")).status_code == 403
    client.logout()
    response = get(client, ops, reverse("org_structure") + "?format=csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "email,name,role,team,work_hours,workdays"
    assert f"{rep.email},{rep.name},rep,{rep.team.name},8.00,01234" in lines
    assert f"{fs_user.email},{fs_user.name},fs,,8.00,01234" in lines


def test_fs_and_marketing_land_on_their_own_pages(client, fs_user, marketer):
    assert get(client, fs_user, reverse("home")).url == reverse("fs_meetings")
    client.logout()
    assert get(client, marketer, reverse("home")).url == reverse("org_board")
