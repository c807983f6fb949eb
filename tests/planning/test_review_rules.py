"""Editing, deactivating and reactivating review rules: exact values saved, bad input refused whole and
named, the same access rules as creating a rule, a change log a manager can read, and a deactivated
rule never firing (while the items it already opened stay open).

Evaluation numbers as in test_reviews.py: November 2026, 1,900 calls a month is a pace of 1,400 by
Friday the 20th; 100 calls is 7.1% of that, far below any threshold here.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from kpi.forms.reviews import ReviewRuleEditForm, ReviewRuleForm, form_fields
from kpi.models import ReviewItem, ReviewRule, Target
from kpi.services.review_rules import review_rule_create, review_rule_set_active, review_rule_update
from kpi.services.reviews import review_entry_add, review_item_close, reviews_evaluate

from ..factories import TeamFactory, UserFactory
from .helpers import day_row

pytestmark = pytest.mark.django_db
NOV = date(2026, 11, 1)
AS_OF = date(2026, 11, 20)
EDITED = {"granularity": "week", "threshold_pct": "62.5", "min_sample": "45"}  # pace_aware unticked


def rule_for(scope: str, scope_id: int | None, **fields) -> ReviewRule:
    defaults = {"kpi_key": "connect_rate", "granularity": "month", "threshold_pct": 70, "min_sample": 30}
    return ReviewRule.objects.create(scope=scope, scope_id=scope_id, **{**defaults, **fields})


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


def rule_update(*, rule_id: int, data: dict, user) -> ReviewRule:
    """The edit page's path: the form parses, the service saves."""
    form = ReviewRuleEditForm(data)
    assert form.is_valid(), form.errors
    return review_rule_update(rule_id=rule_id, user=user, **form.cleaned_data)


def rule_create(*, data: dict, user) -> ReviewRule:
    form = ReviewRuleForm(data)
    assert form.is_valid(), form.errors
    return review_rule_create(user=user, **form.cleaned_data)


def edit_url(rule: ReviewRule) -> str:
    return reverse("review_rule_edit", args=[rule.pk])


def active_url(rule: ReviewRule) -> str:
    return reverse("review_rule_active", args=[rule.pk])


@pytest.fixture(autouse=True)
def english(client, settings):
    """Japanese is the default; these assertions read the English page unless a test switches."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def team_rule(team_a):
    return rule_for("team", team_a.pk)


# --- editing --------------------------------------------------------------------------------------


def test_edit_page_is_prefilled_and_saving_stores_exactly_the_new_values(client, manager, team_a, team_rule):
    client.force_login(manager)
    page = client.get(edit_url(team_rule)).content.decode()
    assert 'name="threshold_pct" value="70.0"' in page and 'name="min_sample" value="30"' in page
    assert 'name="pace_aware" checked' in page and '<option value="month">' in page

    # KPI and scope are not editable: sending them changes nothing.
    response = client.post(edit_url(team_rule), {**EDITED, "kpi_key": "calls", "scope": "org", "scope_id": ""})

    assert response.status_code == 302 and response.url == reverse("review_rules")
    assert fields_of(team_rule) == ("connect_rate", "team", team_a.pk, "week", Decimal("62.5"), 45, False, True)


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


def test_saving_unchanged_values_logs_nothing(manager, team_rule):
    data = {"granularity": "month", "threshold_pct": "70", "min_sample": "30", "pace_aware": True}
    rule_update(rule_id=team_rule.pk, data=data, user=manager)
    assert not LogEntry.objects.exists()


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


@pytest.mark.parametrize("min_sample", ["abc", "-1", "3.5", "", "1000001"])
def test_a_bad_minimum_sample_is_refused_naming_the_field(client, manager, team_rule, min_sample):
    before = fields_of(team_rule)
    client.force_login(manager)
    page = client.post(edit_url(team_rule), {**EDITED, "min_sample": min_sample}).content.decode()
    assert '<li class="error" data-field="min_sample"><b>Minimum sample</b>: Enter a whole number from 0' in page
    assert fields_of(team_rule) == before


def test_every_bad_field_is_named_at_once_in_japanese(client, manager, team_rule, settings):
    client.force_login(manager)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    page = client.post(edit_url(team_rule), {"granularity": "day", "threshold_pct": "0", "min_sample": "x"})
    text = page.content.decode()
    assert "<b>発動しきい値</b>: 0より大きく200以下" in text
    assert "<b>最低母数</b>: 0〜1,000,000の整数" in text
    assert "<b>期間</b>: 週・月・四半期から選択してください。" in text


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


def test_create_keeps_its_defaults(manager, team_a):
    rule = rule_create(data={"kpi_key": "calls", "scope": "team", "scope_id": str(team_a.pk)}, user=manager)
    assert (rule.granularity, rule.threshold_pct, rule.min_sample, rule.pace_aware) == ("month", Decimal(70), 30, True)
    assert rule.created_by == manager


# --- who may change which rule --------------------------------------------------------------------


@pytest.fixture
def rules(team_a, team_b, rep, outsider):
    return {
        "own team": rule_for("team", team_a.pk),
        "own rep": rule_for("rep", rep.pk),
        "other team": rule_for("team", team_b.pk),
        "other team's rep": rule_for("rep", outsider.pk),
        "every rep": rule_for("rep", None),
        "every team": rule_for("team", None),
        "organisation": rule_for("org", None),
    }


def test_a_manager_changes_only_rules_on_their_own_team_and_its_reps(client, manager, rules):
    client.force_login(manager)
    allowed = {name for name, rule in rules.items() if client.get(edit_url(rule)).status_code == 200}
    assert allowed == {"own team", "own rep"}
    for name in set(rules) - allowed:
        rule = rules[name]
        before = fields_of(rule)
        assert client.post(edit_url(rule), EDITED).status_code == 403, name
        assert client.post(active_url(rule), {"active": "0"}).status_code == 403, name
        assert fields_of(rule) == before, name
    # The list offers Edit and Activate/Deactivate exactly where the pages allow them.
    page = client.get(reverse("review_rules")).content.decode()
    offered = {name for name, rule in rules.items() if edit_url(rule) in page}
    assert offered == allowed
    assert not LogEntry.objects.exists()


def test_ops_changes_any_rule(client, ops, rules):
    client.force_login(ops)
    for name, rule in rules.items():
        assert client.post(edit_url(rule), EDITED).status_code == 302, name
        assert client.post(active_url(rule), {"active": "0"}).status_code == 302, name
        assert fields_of(rule)[3:] == ("week", Decimal("62.5"), 45, False, False), name


@pytest.mark.parametrize("who", ["rep", "fs_user", "marketer"])
def test_others_get_403(client, request, who, team_rule):
    client.force_login(request.getfixturevalue(who))
    before = fields_of(team_rule)
    assert client.get(edit_url(team_rule)).status_code == 403
    assert client.post(edit_url(team_rule), EDITED).status_code == 403
    assert client.post(active_url(team_rule), {"active": "0"}).status_code == 403
    assert fields_of(team_rule) == before


def test_a_manager_whose_team_changed_loses_the_rule(client, manager, team_a, team_b):
    rule = rule_for("team", team_b.pk)
    client.force_login(manager)
    assert client.get(edit_url(rule)).status_code == 403
    team_b.managers.add(manager)
    assert client.get(edit_url(rule)).status_code == 200


def test_an_unknown_rule_is_404(client, manager):
    client.force_login(manager)
    assert client.get(reverse("review_rule_edit", args=[999999])).status_code == 404
    assert client.post(reverse("review_rule_active", args=[999999]), {"active": "0"}).status_code == 404


# --- activate / deactivate ------------------------------------------------------------------------


def test_the_switch_is_post_only(client, manager, team_rule):
    client.force_login(manager)
    assert client.get(active_url(team_rule)).status_code == 405
    assert client.get(active_url(team_rule), {"active": "0"}).status_code == 405
    assert fields_of(team_rule)[-1] is True


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


def test_the_switch_refuses_anything_but_0_or_1(client, manager, team_rule):
    client.force_login(manager)
    assert client.post(active_url(team_rule), {"active": "toggle"}).status_code == 400
    assert client.post(active_url(team_rule)).status_code == 400
    assert fields_of(team_rule)[-1] is True


# --- evaluation -------------------------------------------------------------------------------------


@pytest.fixture
def behind(rep, manager):
    """The rep made 100 calls against a pace of 1,400: every calls rule on them fires."""
    Target.objects.create(
        kpi_key="calls", scope="rep", scope_id=rep.pk, granularity="month", period_start=NOV, value=1900
    )
    day_row("rep", rep.pk, date(2026, 11, 2), calls=100)


def test_a_deactivated_rule_opens_no_item_while_an_active_one_does(rep, manager, behind):
    active = rule_for("rep", rep.pk, kpi_key="calls")
    switched_off = rule_for("rep", rep.pk, kpi_key="calls", threshold_pct=90)
    review_rule_set_active(rule_id=switched_off.pk, active=False, user=manager)

    stats = reviews_evaluate(cadence="daily", as_of=AS_OF)

    assert stats["rules"] == 1
    assert list(ReviewItem.objects.values_list("rule_id", flat=True)) == [active.pk]


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


def test_an_edited_threshold_is_what_the_next_evaluation_uses(rep, manager, behind):
    # 100 of 1,400 is 7.1%: a rule firing below 7% stays quiet until it is raised to 7.5%.
    rule = rule_for("rep", rep.pk, kpi_key="calls", threshold_pct=7)
    assert reviews_evaluate(cadence="daily", as_of=AS_OF)["opened"] == 0
    data = {"granularity": "month", "threshold_pct": "7.5", "min_sample": "30", "pace_aware": True}
    rule_update(rule_id=rule.pk, data=data, user=manager)
    assert reviews_evaluate(cadence="daily", as_of=AS_OF)["opened"] == 1


def test_the_rules_list_names_whom_each_rule_watches(client, ops, rules, rep, team_a):
    client.force_login(ops)
    page = client.get(reverse("review_rules")).content.decode()
    assert f"Team: {team_a.name}" in page and f"Rep: {rep.name}" in page and "Rep (all)" in page


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
