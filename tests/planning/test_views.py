"""Pages and API of the planning area: who may see and do what, and bad input refused whole."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from kpi.forms.planner import plan_input_parse
from kpi.models import FsCapacity, LeadSupply, Plan, ReviewItem, ReviewRule, Target
from kpi.services.planner import plan_save

from .helpers import day_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(rep, manager, time_machine):
    from tests.factories import tokyo

    time_machine.move_to(tokyo(2026, 11, 21, 9, 0))
    rule = ReviewRule.objects.create(kpi_key="calls", scope="rep", granularity="month")
    Target.objects.create(
        kpi_key="calls", scope="rep", scope_id=rep.pk, granularity="month", period_start=date(2026, 11, 1), value=1900
    )
    day_row("rep", rep.pk, date(2026, 11, 2), calls=100)
    call_command("evaluate_reviews", "--as-of", "2026-11-20")
    return ReviewItem.objects.get(rule=rule)


def test_review_badge_counts_the_open_items_of_the_teams_one_manages(item, manager, outsider, team_b, ops):
    from kpi.selectors.reviews import open_count_for

    elsewhere = ReviewItem.objects.get(pk=item.pk)
    elsewhere.pk, elsewhere.scope_id, elsewhere.team = None, outsider.pk, team_b
    elsewhere.save()
    closed = ReviewItem.objects.get(pk=item.pk)
    closed.pk, closed.scope_id, closed.status = None, manager.pk, "closed"
    closed.save()
    assert (open_count_for(manager), open_count_for(ops), open_count_for(outsider)) == (1, 2, 0)
    team_b.managers.add(manager)
    assert open_count_for(manager) == 2


def test_evaluate_reviews_command_opens_the_item(item, rep, manager):
    assert (item.scope_id, item.responsible, item.attainment_pct) == (rep.pk, manager, Decimal("7.1"))


def test_outsider_rep_can_neither_see_nor_act_on_another_teams_item(client, item, outsider):
    client.force_login(outsider)
    assert client.get(reverse("review_item", args=[item.pk])).status_code == 404
    response = client.post(reverse("review_item", args=[item.pk]), {"cause": "x", "next_action": "y"})
    assert response.status_code == 404
    assert item.pk not in [i["id"] for i in client.get("/api/v1/review-items/").json()["results"]]
    assert item.entries.count() == 0


def test_teammate_rep_sees_but_cannot_act(client, item, teammate):
    client.force_login(teammate)
    assert client.get(reverse("review_item", args=[item.pk])).status_code == 200
    response = client.post(reverse("review_item", args=[item.pk]), {"action": "close", "result": "x"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.status == "open"


def test_manager_records_the_trail_and_closes(client, item, manager):
    client.force_login(manager)
    page = client.get(reverse("review_items"))
    assert 'id="review-badge">1<' in page.content.decode()
    # The range that was compared, not "2026-11-01 (月)": a weekday in Japanese, not "monthly".
    assert "<td>2026-11-01 – 2026-11-20</td>" in page.content.decode()
    url = reverse("review_item", args=[item.pk])
    bad = client.post(url, {"cause": "", "next_action": "", "recheck_on": "soon"})
    assert bad.status_code == 200 and item.entries.count() == 0
    client.post(
        url, {"cause": "リスト不足", "next_action": "新規リスト", "recheck_on": "2026-11-27", "new_target": "1500"}
    )
    assert Target.objects.get(scope_id=item.scope_id, kpi_key="calls").value == Decimal(1500)
    client.post(url, {"action": "close", "result": "改善を確認"})
    item.refresh_from_db()
    assert (item.status, item.result, item.entries.count()) == ("closed", "改善を確認", 1)
    csv = client.get(reverse("review_items") + "?format=csv").content.decode("utf-8-sig")
    assert csv.splitlines()[1].startswith(f"{item.pk},closed,calls,rep,")


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
    page = client.get(reverse("targets") + f"?team={team_b.pk}&month=2026-11")  # falls back to their team
    assert (page.status_code, page.context["team"].pk) == (200, team_a.pk)


def test_targets_grid_saves_and_bad_values_write_nothing(client, manager, rep, team_a):
    client.force_login(manager)
    url = reverse("targets") + f"?team={team_a.pk}&month=2026-11"
    assert client.get(url).status_code == 200
    data = {"team": team_a.pk, "month": "2026-11", f"v_rep_{rep.pk}_calls": "680", f"v_rep_{rep.pk}_connect_rate": "45"}
    client.post(reverse("targets"), data)
    got = {t.kpi_key: t.value for t in Target.objects.filter(scope_id=rep.pk)}
    assert got == {"calls": Decimal(680), "connect_rate": Decimal("0.45")}
    client.post(reverse("targets"), {**data, f"v_rep_{rep.pk}_calls": "700", f"v_rep_{rep.pk}_meetings": "abc"})
    assert Target.objects.get(scope_id=rep.pk, kpi_key="calls").value == Decimal(680)


def test_target_csv_import_lists_every_error_and_writes_nothing(client, manager, rep, outsider, team_a):
    client.force_login(manager)
    content = (
        "kpi,scope,scope_ref,granularity,period_start,value\n"
        f"calls,rep,{rep.email},month,2026-11-01,600\n"
        "calls,rep,nobody@example.jp,month,2026-11-01,600\n"
        f"connect_rate,rep,{rep.email},week,2026-11-03,0.5\n"
        f"calls,rep,{outsider.email},month,2026-11-01,10\n"
        f"bogus,team,{team_a.name},month,2026-11-01,-1\n"
    ).encode()
    response = client.post(
        reverse("targets"),
        {"action": "import", "team": team_a.pk, "month": "2026-11", "file": SimpleUploadedFile("t.csv", content)},
    )
    errors = response.context["import_errors"]
    assert [(n, col) for n, col, _ in errors] == [(3, "scope_ref"), (4, "period_start"), (5, "scope_ref"), (6, "kpi")]
    assert Target.objects.count() == 0
    good = f"kpi,scope,scope_ref,granularity,period_start,value\ncalls,rep,{rep.email},week,2026-11-02,150\n"
    client.post(
        reverse("targets"),
        {"action": "import", "team": team_a.pk, "month": "2026-11", "file": SimpleUploadedFile("t.csv", good.encode())},
    )
    assert Target.objects.get().granularity == "week"
    export = client.get(reverse("targets") + f"?team={team_a.pk}&month=2026-11&format=csv")
    assert f"calls,rep,{rep.email},week,2026-11-02,150" in export.content.decode("utf-8-sig")


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


def test_plan_api_computes_and_saves_only_for_managed_teams(client, manager, rep, team_a, team_b):
    client.force_login(manager)
    body = {"team": team_a.pk, "month": "2026-12", "goal_value": "3"}
    computed = client.post("/api/v1/plans/", body, content_type="application/json")
    assert computed.status_code == 200 and computed.json()["stages"][-1]["required"] == 3
    saved = client.post("/api/v1/plans/", {**body, "save": True}, content_type="application/json")
    assert saved.status_code == 201 and saved.json()["version"] == 1
    other = client.post("/api/v1/plans/", {**body, "team": team_b.pk}, content_type="application/json")
    assert other.status_code == 403
    bad = client.post("/api/v1/plans/", {**body, "goal_value": "0"}, content_type="application/json")
    assert bad.status_code == 400 and "goal_value" in bad.json()["errors"]


def test_lead_supply_consistency_warning_for_all_three_departments(client, manager, marketer, fs_user, rep, team_a):
    plan_save(
        plan_input=plan_input_parse(team=team_a, data={"month": "2026-12", "goal_value": "3"}),
        as_of=date(2026, 11, 20),
        user=manager,
    )
    # 3 orders -> 10 qualified -> 17 meetings -> 170 effective -> 425 connects -> 850 calls: 170-284 leads.
    client.force_login(marketer)
    client.post(reverse("lead_supply"), {"month": "2026-12", "leads_web": "100", "leads_event": "50"})
    assert LeadSupply.objects.filter(month=date(2026, 12, 1)).count() == 2
    client.force_login(fs_user)
    client.post(reverse("lead_supply"), {"month": "2026-12", "fs_capacity": "10"})
    assert FsCapacity.objects.get().meetings == 10
    for user in (marketer, fs_user, manager):
        client.force_login(user)
        page = client.get(reverse("lead_supply") + "?month=2026-12")
        kinds = [(w.kind, w.level, w.needed, w.available) for w in page.context["warnings"]]
        assert kinds == [("leads", "warning", 170, 150), ("meetings", "warning", 17, 10)]
    client.force_login(manager)
    assert client.post(reverse("lead_supply"), {"month": "2026-12", "leads_web": "999"}).status_code == 403


def test_weekly_review_page_for_the_manager_only(client, manager, rep, outsider, team_a):
    day_row("team", team_a.pk, date(2026, 11, 2), calls=100, connects=20, effective_calls=10, meetings=1)
    client.force_login(manager)
    home = client.get(reverse("weekly_review_home"))
    assert home.url == reverse("weekly_review", args=[team_a.pk])
    assert client.get(home.url).status_code == 200
    assert client.get(home.url + "?format=csv&table=heatmap").status_code == 200
    client.force_login(outsider)
    assert client.get(home.url).status_code == 403


def test_definition_review_reminder_is_sent_once_per_cadence(ops, time_machine):
    from django.core import mail

    from kpi.services.reminders import definition_reviews_remind
    from tests.factories import tokyo

    time_machine.move_to(tokyo(2027, 6, 1, 8, 0))
    first = definition_reviews_remind()
    assert first["due"] > 0 and len(mail.outbox) == 1 and mail.outbox[0].to == [ops.email]
    assert "http://127.0.0.1:8000/kpi-sheet/" in mail.outbox[0].body  # settings.SITE_URL's default
    assert definition_reviews_remind()["due"] == 0  # the same day again: nothing new
    time_machine.move_to(tokyo(2027, 7, 1, 8, 0))
    assert definition_reviews_remind()["due"] == first["due"]  # monthly cadence: due again a month on


def test_review_items_api_says_which_rule_settings_fired_it(client, item, manager):
    item.rule.threshold_pct = Decimal("55.0")  # edited after the item opened
    item.rule.save()
    client.force_login(manager)
    (row,) = [i for i in client.get("/api/v1/review-items/").json()["results"] if i["id"] == item.pk]
    assert (row["threshold_pct"], row["min_sample"], row["pace_aware"]) == ("70.0", 30, True)
