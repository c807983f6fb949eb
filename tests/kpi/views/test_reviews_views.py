"""kpi/views/reviews.py: review items (who sees and acts, the PDCA trail, the list in one query) and
review rules (editing, deactivating and reactivating: exact values saved, bad input refused whole
and named, every change logged, who may change which rule)."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from kpi.models import ReviewEntry, ReviewItem, ReviewRule, Target
from kpi.services.reviews import reviews_evaluate
from tests.factories import TeamFactory, UserFactory
from tests.kpi.helpers import rule_for

pytestmark = pytest.mark.django_db


def test_a_bad_rule_posted_on_the_page_writes_nothing(client, ops):
    client.force_login(ops)
    page = client.post(reverse("review_rules"), {"kpi_key": "calls", "scope": "team", "scope_id": "x"})
    assert page.status_code == 200 and 'data-field="scope_id"' in page.content.decode()
    assert not ReviewRule.objects.exists()


def test_a_bad_entry_posted_on_the_page_writes_nothing(client, manager, item):
    client.force_login(manager)
    page = client.post(reverse("review_item", args=[item.pk]), {"cause": "c", "next_action": "n", "new_target": "-"})
    assert page.status_code == 200
    assert not ReviewEntry.objects.exists()


def _item(rep, kpi="connect_rate", scope_id=None, as_of=date(2026, 11, 20)):
    rule = ReviewRule.objects.create(kpi_key=kpi, scope="rep")
    return ReviewItem.objects.create(
        rule=rule,
        kpi_key=kpi,
        scope="rep",
        scope_id=scope_id or rep.pk,
        team=rep.team,
        granularity="month",
        threshold_pct=rule.threshold_pct,
        min_sample=rule.min_sample,
        pace_aware=rule.pace_aware,
        period_start=date(2026, 11, 1),
        as_of=as_of,
        actual=Decimal("0.2"),
        target=Decimal("0.5"),
        expected=Decimal("0.5"),
        attainment_pct=Decimal("40.0"),
    )


def test_a_rate_target_is_typed_in_percent_as_on_the_targets_page(client, manager, rep):
    item = _item(rep)
    client.force_login(manager)
    # 0.45 is what an older form took for 45%: refused with the unit named, nothing saved.
    response = client.post(
        reverse("review_item", args=[item.pk]), {"cause": "c", "next_action": "a", "new_target": "0.45"}
    )
    assert "45 = 45%" in response.content.decode()
    assert not Target.objects.exists()
    client.post(reverse("review_item", args=[item.pk]), {"cause": "c", "next_action": "a", "new_target": "45"})
    assert Target.objects.get(kpi_key="connect_rate").value == Decimal("0.45")


def test_superscript_digits_are_bad_input_not_500(client, manager, marketer, team_a):
    client.force_login(manager)
    assert client.get(reverse("planner"), {"team": "²"}).status_code == 200
    response = client.post(
        reverse("review_rules"),
        {"kpi_key": "calls", "scope": "team", "scope_id": "²", "granularity": "month", "threshold_pct": "70"},
    )
    assert response.status_code == 200  # the form again, with the scope refused
    assert not ReviewRule.objects.exists()
    client.force_login(marketer)
    assert client.post(reverse("lead_supply"), {"month": "2026-12", "leads_web": "²"}).status_code == 200


def test_review_list_labels_every_item_in_one_query(client, manager, team_a, django_assert_max_num_queries):
    client.force_login(manager)

    def count():
        with django_assert_max_num_queries(40) as ctx:
            client.get(reverse("review_items"))
        return len(ctx.captured_queries)

    _item(UserFactory(team=team_a))
    count()  # a first request of a session does its one-off work (notice settings, caches)
    one = count()
    for _n in range(5):
        _item(UserFactory(team=team_a))
    assert count() == one


NOV = date(2026, 11, 1)


AS_OF = date(2026, 11, 20)


EDITED = {"granularity": "week", "threshold_pct": "62.5", "min_sample": "45"}  # pace_aware unticked


def fields_of(rule: ReviewRule) -> tuple:
    rule.refresh_from_db()
    return (
        rule.kpi_key,
        rule.scope,
        rule.scope_id,
        rule.granularity,
        rule.threshold_pct,
        rule.min_sample,
        rule.pace_aware,
        rule.is_active,
    )


def edit_url(rule: ReviewRule) -> str:
    return reverse("review_rule_edit", args=[rule.pk])


def active_url(rule: ReviewRule) -> str:
    return reverse("review_rule_active", args=[rule.pk])


@pytest.mark.usefixtures("english")
def test_edit_page_is_prefilled_and_saving_stores_exactly_the_new_values(client, manager, team_a, team_rule):
    client.force_login(manager)
    page = client.get(edit_url(team_rule)).content.decode()
    assert 'name="threshold_pct" value="70.0"' in page and 'name="min_sample" value="30"' in page
    assert 'name="pace_aware" checked' in page and '<option value="month">' in page

    # KPI and scope are not editable: sending them changes nothing.
    response = client.post(edit_url(team_rule), {**EDITED, "kpi_key": "calls", "scope": "org", "scope_id": ""})

    assert response.status_code == 302 and response.url == reverse("review_rules")
    assert fields_of(team_rule) == ("connect_rate", "team", team_a.pk, "week", Decimal("62.5"), 45, False, True)


@pytest.mark.usefixtures("english")
def test_a_change_is_logged_with_who_what_from_what_to_what_and_shown_to_the_manager(
    client, manager, team_rule, time_machine
):
    from tests.factories import tokyo

    time_machine.move_to(tokyo(2026, 11, 24, 9, 30))
    client.force_login(manager)
    client.post(
        edit_url(team_rule), {"granularity": "month", "threshold_pct": "65", "min_sample": "30", "pace_aware": "on"}
    )

    entry = LogEntry.objects.get(object_id=str(team_rule.pk))
    assert entry.user == manager
    assert entry.get_change_message() == '{"changed": {"threshold_pct": ["70.0", "65.0"]}}'
    history = client.get(edit_url(team_rule)).content.decode()
    assert "2026-11-24 09:30" in history and manager.name in history
    assert "Fires below: 70.0% → 65.0%" in history
    rules = client.get(reverse("review_rules")).content.decode()
    assert f"2026-11-24 09:30 · {manager}" in rules  # last changed, on the list


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("threshold", ["abc", "0", "250", "", "-5", "72.55", "NaN", "²"])
def test_a_bad_threshold_is_refused_naming_the_field_and_nothing_is_saved(client, manager, team_rule, threshold):
    before = fields_of(team_rule)
    client.force_login(manager)
    # min_sample and period are good and would change: nothing may be half-saved.
    response = client.post(edit_url(team_rule), {**EDITED, "threshold_pct": threshold})
    page = response.content.decode()
    assert response.status_code == 200
    assert '<li class="error" data-field="threshold_pct"><b>Fires below</b>: Enter a percentage above 0' in page
    assert 'name="threshold_pct" value="' + threshold + '"' in page.replace("&#x27;", "'")  # the input kept
    assert fields_of(team_rule) == before
    assert not LogEntry.objects.exists()


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("min_sample", ["abc", "-1", "3.5", "", "1000001"])
def test_a_bad_minimum_sample_is_refused_naming_the_field(client, manager, team_rule, min_sample):
    before = fields_of(team_rule)
    client.force_login(manager)
    page = client.post(edit_url(team_rule), {**EDITED, "min_sample": min_sample}).content.decode()
    assert '<li class="error" data-field="min_sample"><b>Minimum sample</b>: Enter a whole number from 0' in page
    assert fields_of(team_rule) == before


@pytest.mark.usefixtures("english")
def test_every_bad_field_is_named_at_once_in_japanese(client, manager, team_rule, settings):
    client.force_login(manager)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    page = client.post(edit_url(team_rule), {"granularity": "day", "threshold_pct": "0", "min_sample": "x"})
    text = page.content.decode()
    assert "<b>発動しきい値</b>: 0より大きく200以下" in text
    assert "<b>最低母数</b>: 0〜1,000,000の整数" in text
    assert "<b>期間</b>: 週・月・四半期から選択してください。" in text


@pytest.mark.usefixtures("english")
def test_a_manager_changes_only_rules_on_their_own_team_and_its_reps(client, manager, rules):
    client.force_login(manager)
    allowed = {name for name, rule in rules.items() if client.get(edit_url(rule)).status_code == 200}
    assert allowed == {"own team", "own rep"}
    hidden = {"other team", "other team's rep"}  # not even seen: 404, as if there were no such rule
    for name in set(rules) - allowed:
        rule, status = rules[name], 404 if name in hidden else 403
        before = fields_of(rule)
        assert client.post(edit_url(rule), EDITED).status_code == status, name
        assert client.post(active_url(rule), {"active": "0"}).status_code == status, name
        assert fields_of(rule) == before, name
    # The list offers Edit and Activate/Deactivate exactly where the pages allow them.
    page = client.get(reverse("review_rules")).content.decode()
    offered = {name for name, rule in rules.items() if edit_url(rule) in page}
    assert offered == allowed
    assert not LogEntry.objects.exists()


@pytest.mark.usefixtures("english")
def test_ops_changes_any_rule(client, ops, rules):
    client.force_login(ops)
    for name, rule in rules.items():
        assert client.post(edit_url(rule), EDITED).status_code == 302, name
        assert client.post(active_url(rule), {"active": "0"}).status_code == 302, name
        assert fields_of(rule)[3:] == ("week", Decimal("62.5"), 45, False, False), name


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("who", ["rep", "fs_user", "marketer"])
def test_others_get_403(client, request, who, team_rule):
    client.force_login(request.getfixturevalue(who))
    before = fields_of(team_rule)
    assert client.get(edit_url(team_rule)).status_code == 403
    assert client.post(edit_url(team_rule), EDITED).status_code == 403
    assert client.post(active_url(team_rule), {"active": "0"}).status_code == 403
    assert fields_of(team_rule) == before


@pytest.mark.usefixtures("english")
def test_a_manager_whose_team_changed_loses_the_rule(client, manager, team_a, team_b):
    rule = rule_for("team", team_b.pk)
    client.force_login(manager)
    assert client.get(edit_url(rule)).status_code == 404
    team_b.managers.add(manager)
    assert client.get(edit_url(rule)).status_code == 200


@pytest.mark.usefixtures("english")
def test_an_unknown_rule_is_404(client, manager):
    client.force_login(manager)
    assert client.get(reverse("review_rule_edit", args=[999999])).status_code == 404
    assert client.post(reverse("review_rule_active", args=[999999]), {"active": "0"}).status_code == 404


@pytest.mark.usefixtures("english")
def test_the_switch_is_post_only(client, manager, team_rule):
    client.force_login(manager)
    assert client.get(active_url(team_rule)).status_code == 405
    assert client.get(active_url(team_rule), {"active": "0"}).status_code == 405
    assert fields_of(team_rule)[-1] is True


@pytest.mark.usefixtures("english")
def test_deactivate_and_activate_from_the_list(client, manager, team_rule):
    client.force_login(manager)
    assert client.post(active_url(team_rule), {"active": "0"}).url == reverse("review_rules")
    assert fields_of(team_rule)[-1] is False
    page = client.get(reverse("review_rules")).content.decode()
    row = page[page.index(f'<tr data-rule="{team_rule.pk}"') :].split("</tr>")[0]
    assert 'class="rule-inactive"' in row and ">Activate</button>" in row and "Deactivate" not in row
    # Saying what to set, not toggling: a second click (or a resent form) leaves it off.
    client.post(active_url(team_rule), {"active": "0"})
    assert fields_of(team_rule)[-1] is False
    assert client.post(active_url(team_rule), {"active": "1", "next": "edit"}).url == edit_url(team_rule)
    assert fields_of(team_rule)[-1] is True
    row = client.get(reverse("review_rules")).content.decode().split(f'<tr data-rule="{team_rule.pk}"')[1]
    row = row.split("</tr>")[0]
    assert "rule-inactive" not in row and ">Deactivate</button>" in row and ">Edit</a>" in row
    log = [e.get_change_message() for e in LogEntry.objects.order_by("pk")]
    assert log == ['{"changed": {"is_active": [true, false]}}', '{"changed": {"is_active": [false, true]}}']


@pytest.mark.usefixtures("english")
def test_the_switch_refuses_anything_but_0_or_1(client, manager, team_rule):
    client.force_login(manager)
    assert client.post(active_url(team_rule), {"active": "toggle"}).status_code == 400
    assert client.post(active_url(team_rule)).status_code == 400
    assert fields_of(team_rule)[-1] is True


@pytest.mark.usefixtures("english")
def test_a_manager_lists_only_rules_on_their_teams_and_reps_and_the_shared_ones(client, manager, rules, outsider):
    client.force_login(manager)
    page = client.get(reverse("review_rules")).content.decode()
    listed = {name for name, rule in rules.items() if f'<tr data-rule="{rule.pk}"' in page}
    assert listed == {"own team", "own rep", "every rep", "every team", "organisation"}
    assert outsider.name not in page and "大阪チーム" not in page
    body = client.get(reverse("review_rules") + "?format=csv").content.decode("utf-8-sig").splitlines()[1:]
    assert sorted(int(line.split(",")[0]) for line in body) == sorted(rules[n].pk for n in listed)


@pytest.mark.usefixtures("english")
def test_the_rules_list_names_whom_each_rule_watches(client, ops, rules, rep, team_a):
    client.force_login(ops)
    page = client.get(reverse("review_rules")).content.decode()
    assert f"Team: {team_a.name}" in page and f"Rep: {rep.name}" in page and "Rep (all)" in page


@pytest.mark.usefixtures("english")
def test_the_rules_list_asks_access_once_per_scope_not_per_rule(client, manager, team_a, django_assert_max_num_queries):
    client.force_login(manager)

    def count():
        with django_assert_max_num_queries(40) as ctx:
            client.get(reverse("review_rules"))
        return len(ctx.captured_queries)

    rule_for("team", team_a.pk)
    rule_for("rep", UserFactory(team=team_a).pk)
    count()  # the first view after login reads a little more once
    one = count()
    for kpi in ("calls", "connects", "meetings", "effective_calls"):
        rule_for("team", team_a.pk, kpi_key=kpi)
    assert count() == one
    # Rules on many different reps and teams, the manager's own and others': still the same count.
    for _ in range(4):
        rule_for("rep", UserFactory(team=team_a).pk)
        rule_for("team", TeamFactory().pk)
    assert count() == one


@pytest.mark.usefixtures("english")
def test_an_open_item_still_shows_the_rule_it_fired_under_after_an_edit(client, rep, manager, behind, time_machine):
    from tests.factories import tokyo

    time_machine.move_to(tokyo(2026, 11, 21, 7, 0))
    rule = rule_for("rep", rep.pk, kpi_key="calls", threshold_pct=70)
    reviews_evaluate(cadence="daily", as_of=AS_OF)
    item = ReviewItem.objects.get()
    time_machine.move_to(tokyo(2026, 11, 21, 9, 0))
    client.force_login(manager)
    client.post(edit_url(rule), {"granularity": "month", "threshold_pct": "60", "min_sample": "30"})

    page = client.get(reverse("review_item", args=[item.pk])).content.decode()

    assert "below 70.0% of target (pace-aware)" in page
    assert fields_of(rule)[4:7] == (Decimal("60.0"), 30, False)  # the rule itself did change


@pytest.mark.usefixtures("english")
def test_the_new_rule_form_submitted_as_shown_creates_a_rule_for_the_managers_team(client, manager, team_a):
    """The form's defaults belong together: the first scope and the first "who" make a valid rule."""
    import re

    client.force_login(manager)
    page = client.get(reverse("review_rules")).content.decode()
    form = page[page.index('<select name="kpi_key"') :]
    first = {
        name: re.search(rf'<select name="{name}"[^>]*>.*?<option value="([^"]*)"', form, re.S).group(1)
        for name in ("kpi_key", "scope", "scope_id", "granularity")
    }
    response = client.post(reverse("review_rules"), {**first, "threshold_pct": "70", "min_sample": "30"})
    assert response.status_code == 302
    rule = ReviewRule.objects.get()
    assert (rule.scope, rule.scope_id) == ("team", team_a.pk)


def test_outsider_rep_can_neither_see_nor_act_on_another_teams_item(client, evaluated_item, outsider):
    client.force_login(outsider)
    assert client.get(reverse("review_item", args=[evaluated_item.pk])).status_code == 404
    response = client.post(reverse("review_item", args=[evaluated_item.pk]), {"cause": "x", "next_action": "y"})
    assert response.status_code == 404
    assert evaluated_item.pk not in [i["id"] for i in client.get("/api/v1/review-items/").json()["results"]]
    assert evaluated_item.entries.count() == 0


def test_a_teammate_gets_404_on_another_reps_item_page_and_api(client, evaluated_item, teammate):
    """The manager's cause and action notes are about one rep: a teammate learns nothing of them."""
    client.force_login(teammate)
    assert client.get(reverse("review_item", args=[evaluated_item.pk])).status_code == 404
    response = client.post(reverse("review_item", args=[evaluated_item.pk]), {"action": "close", "result": "x"})
    assert response.status_code == 404
    assert client.get("/api/v1/review-items/").json()["results"] == []
    assert client.get(reverse("review_items")).content.decode().count('href="/reviews/') == 0
    evaluated_item.refresh_from_db()
    assert evaluated_item.status == "open"


def test_the_rep_sees_their_own_item_and_its_notes_but_cannot_act(client, evaluated_item, rep, manager):
    from kpi.services.reviews import review_entry_add

    review_entry_add(item=evaluated_item, author=manager, cause="架電時間が短い", next_action="午前に集中")
    client.force_login(rep)
    page = client.get(reverse("review_item", args=[evaluated_item.pk]))
    assert page.status_code == 200 and "架電時間が短い" in page.content.decode()
    assert [i["id"] for i in client.get("/api/v1/review-items/").json()["results"]] == [evaluated_item.pk]
    response = client.post(reverse("review_item", args=[evaluated_item.pk]), {"action": "close", "result": "x"})
    assert response.status_code == 403


def test_manager_records_the_trail_and_closes(client, evaluated_item, manager):
    client.force_login(manager)
    page = client.get(reverse("review_items"))
    assert 'id="review-badge">1<' in page.content.decode()
    # The range that was compared, not "2026-11-01 (月)": a weekday in Japanese, not "monthly".
    assert "<td>2026-11-01 – 2026-11-20</td>" in page.content.decode()
    url = reverse("review_item", args=[evaluated_item.pk])
    bad = client.post(url, {"cause": "", "next_action": "", "recheck_on": "soon"})
    assert bad.status_code == 200 and evaluated_item.entries.count() == 0
    client.post(
        url, {"cause": "リスト不足", "next_action": "新規リスト", "recheck_on": "2026-11-27", "new_target": "1500"}
    )
    # Written to the next month (the form's default), not to November that fired.
    target = Target.objects.get(scope_id=evaluated_item.scope_id, kpi_key="calls", period_start=date(2026, 12, 1))
    assert target.value == Decimal(1500)
    client.post(url, {"action": "close", "result": "改善を確認"})
    evaluated_item.refresh_from_db()
    assert (evaluated_item.status, evaluated_item.result, evaluated_item.entries.count()) == ("closed", "改善を確認", 1)
    csv = client.get(reverse("review_items") + "?format=csv").content.decode("utf-8-sig")
    assert csv.splitlines()[1].startswith(f"{evaluated_item.pk},closed,calls,rep,")
