"""kpi/views/planner.py: who may plan, for which teams; compute, save and apply from the page."""

import json
import re

import pytest
from django.urls import reverse

from kpi.models import Plan, Target

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["rep", "fs_user", "marketer"])
def test_only_managers_and_ops_plan_and_set_targets(client, request, who, manager):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("planner")).status_code == 403
    assert client.get(reverse("targets")).status_code == 403
    assert client.get(reverse("review_rules")).status_code == 403


def test_a_manager_plans_and_sets_targets_for_their_own_teams_only(client, manager, team_a, team_b):
    client.force_login(manager)
    assert client.get(reverse("planner") + f"?team={team_b.pk}").status_code == 403
    page = client.get(reverse("planner") + f"?team={team_a.pk}")
    assert [t.pk for t in page.context["teams"]] == [team_a.pk]
    page = client.get(reverse("targets") + f"?team={team_b.pk}&month=2026-11")  # another team: refused
    assert page.status_code == 403


def test_planner_page_computes_saves_and_applies(client, manager, rep, team_a):
    client.force_login(manager)
    form = {"team": team_a.pk, "month": "2026-12", "goal_kind": "orders", "goal_value": "3"}
    page = client.post(reverse("planner"), {**form, "action": "compute"})
    assert page.status_code == 200 and page.context["result"]["stages"][-1]["required"] == 3
    assert Plan.objects.count() == 0
    saved = client.post(reverse("planner"), {**form, "action": "save"})
    plan = Plan.objects.get()
    assert saved.url == reverse("plan_detail", args=[plan.pk])
    assert client.get(saved.url).status_code == 200
    client.post(reverse("plan_apply", args=[plan.pk]))
    assert Target.objects.filter(plan=plan).count() == len(plan.result["targets"])


def test_the_walk_back_has_a_chart_of_its_stages_drawn_from_json(client, manager, rep, team_a):
    """The waterfall from the goal back to calls: data for static/js/charts.js, next to the stage table."""
    client.force_login(manager)
    form = {"team": team_a.pk, "month": "2026-12", "goal_kind": "orders", "goal_value": "6", "action": "compute"}
    html = client.post(reverse("planner"), form).content.decode()
    data = json.loads(re.search(r'<script id="walkback-data" type="application/json">(.*?)</script>', html, re.S)[1])
    assert data["labels"][0] == "受注数"
    assert data["series"][0]["data"][0] == 6  # the goal itself, first; calls last
    assert data["labels"][-1] == "架電数"
    assert 'src="/static/js/charts.js"' in html
