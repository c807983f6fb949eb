"""kpi/views/org_structure.py: ops only, exports members, keeps its address."""

import pytest
from django.urls import resolve, reverse

from tests.kpi.views.helpers import get

pytestmark = pytest.mark.django_db


def test_org_structure_is_ops_only_and_exports_members(client, ops, manager, rep, teammate, fs_user):
    assert get(client, manager, reverse("org_structure")).status_code == 403
    client.logout()
    response = get(client, ops, reverse("org_structure") + "?format=csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "email,name,role,team,work_hours,workdays"
    assert f"{rep.email},{rep.name},rep,{rep.team.name},8.00,01234" in lines
    assert f"{fs_user.email},{fs_user.name},fs,,8.00,01234" in lines


def test_org_structure_keeps_its_address():
    assert reverse("org_structure") == "/accounts/structure/"
    assert resolve("/accounts/structure/").func.__module__ == "kpi.views.org_structure"
    assert resolve("/accounts/login/").url_name == "login"
