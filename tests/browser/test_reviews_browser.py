"""The review pages in a real browser: the manager opens a fired review item, records cause and
action, and closes it; edits a rule's threshold and deactivates it; sees a re-check's current value
and trend (ja and en)."""

from datetime import date

import pytest

from kpi.models import ReviewRule, Rollup, Target
from kpi.services.reviews import reviews_recheck
from tests.browser.conftest import shot
from tests.factories import tokyo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = {
    "ja": {
        "cause": "午前の架電枠が会議で埋まっていた",
        "action": "10時〜12時を架電専用にする",
        "result": "翌週は目標ペースに回復",
        "heading": "レビュー案件",
        "closed": "完了",
    },
    "en": {
        "cause": "Morning call blocks were lost to meetings",
        "action": "Keep 10:00-12:00 for calls only",
        "result": "Back on pace the next week",
        "heading": "Review item",
        "closed": "Closed",
    },
}


RULE_TEXT = {
    "ja": {
        "refused": "0より大きく200以下",
        "field": "発動しきい値",
        "saved": "レビュールールを保存しました。",
        "deactivated": "レビュールールを無効にしました。",
        "inactive": "無効",
        "changed": "発動しきい値: 70.0% → 60.0%",
        "switched": "有効 → 無効",
    },
    "en": {
        "refused": "Enter a percentage above 0 and up to 200",
        "field": "Fires below",
        "saved": "Review rule saved.",
        "deactivated": "Review rule deactivated",
        "inactive": "Inactive",
        "changed": "Fires below: 70.0% → 60.0%",
        "switched": "Status: Active → Inactive",
    },
}


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_manager_opens_records_and_closes_a_fired_item(fired, login, manager, rep, lang):
    t = TEXT[lang]
    page = login(manager, lang=lang)
    base = page.url.split("/", 3)[:3]
    root = "/".join(base)
    page.goto(f"{root}/reviews/")
    assert page.locator("#review-badge").inner_text() == "2"  # the rep and the teammate (no calls)
    shot(page, f"planning_review_items_{lang}")
    page.click(f"tr[data-item='{fired.pk}'] a")
    page.wait_for_load_state("networkidle")
    assert t["heading"] in page.locator("h1").inner_text()
    page.fill("#entry-form textarea[name=cause]", t["cause"])
    page.fill("#entry-form textarea[name=next_action]", t["action"])
    page.fill("#entry-form input[name=recheck_on]", "2026-11-27")
    page.click("#entry-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert t["cause"] in page.locator("#trail").inner_text()
    shot(page, f"planning_review_item_{lang}")
    page.fill("#close-form textarea[name=result]", t["result"])
    page.click("#close-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("#item-status").inner_text() == t["closed"]
    assert t["result"] in page.locator("#result").inner_text()
    assert page.locator("#review-badge").inner_text() == "1"
    fired.refresh_from_db()
    assert fired.status == "closed" and fired.entries.get().cause == t["cause"]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_manager_edits_a_rules_threshold_and_deactivates_it(login, manager, rep, team_a, lang):
    t = RULE_TEXT[lang]
    rule = ReviewRule.objects.create(
        kpi_key="connect_rate", scope="team", scope_id=team_a.pk, granularity="month", created_by=manager
    )
    ReviewRule.objects.create(kpi_key="calls", scope="rep", scope_id=rep.pk, granularity="week", threshold_pct=80)
    org_rule = ReviewRule.objects.create(kpi_key="meetings", scope="org", granularity="quarter")
    page = login(manager, lang=lang)
    root = "/".join(page.url.split("/", 3)[:3])
    page.goto(f"{root}/reviews/rules/")
    assert (
        page.locator(f"tr[data-rule='{org_rule.pk}'] .rule-actions a, tr[data-rule='{org_rule.pk}'] button").count()
        == 0
    )
    page.click(f"tr[data-rule='{rule.pk}'] .rule-actions a")
    page.wait_for_load_state("networkidle")
    assert page.input_value("#rule-form input[name=threshold_pct]") == "70.0"

    page.fill("#rule-form input[name=threshold_pct]", "abc")
    page.click("#rule-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    error = page.locator("#rule-errors li[data-field=threshold_pct]").inner_text()
    assert t["field"] in error and t["refused"] in error
    assert page.input_value("#rule-form input[name=threshold_pct]") == "abc"
    shot(page, f"planning_review_rule_edit_error_{lang}")

    page.fill("#rule-form input[name=threshold_pct]", "60")
    page.click("#rule-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert t["saved"] in page.locator(".messages").inner_text()
    assert page.locator(f"tr[data-rule='{rule.pk}'] td.num").first.inner_text() == "60.0%"

    page.click(f"tr[data-rule='{rule.pk}'] .rule-actions button")
    page.wait_for_load_state("networkidle")
    assert t["deactivated"] in page.locator(".messages").inner_text()
    row = page.locator(f"tr[data-rule='{rule.pk}']")
    assert row.get_attribute("class") == "rule-inactive"
    assert t["inactive"] in row.locator(".rule-status").inner_text()
    shot(page, f"planning_review_rules_edited_{lang}")

    rule.refresh_from_db()
    assert (rule.threshold_pct, rule.is_active) == (60, False)
    page.goto(f"{root}/reviews/rules/{rule.pk}/edit/")
    history = page.locator("#history").inner_text()
    assert t["changed"] in history and t["switched"] in history and manager.name in history
    shot(page, f"planning_review_rule_edit_{lang}")


RECHECK_TEXT = {
    "ja": {"now": "現在", "recovered": "回復", "period": "2026-12", "trend": "発動からの推移"},
    "en": {"now": "Now", "recovered": "Recovered", "period": "2026-12", "trend": "Since it fired"},
}


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_recheck_shows_the_current_value_and_the_trend(fired, login, manager, rep, time_machine, lang):
    """The manager sets a re-check for the 24th and a new target for December (the form's default);
    on the 25th the rep has made 300 more calls: through the 24th 15 of November's 19 business days
    have passed (the 3rd and the 23rd are holidays), so the pace expects 380 x 15 / 19 = 300, and 312
    is 104.0% of it, above 70%: recovered, still open."""
    t = RECHECK_TEXT[lang]
    page = login(manager, lang=lang)
    root = "/".join(page.url.split("/", 3)[:3])
    page.goto(f"{root}/reviews/{fired.pk}/")
    assert page.locator("#target-period option:checked").inner_text() == t["period"]
    page.fill("#entry-form textarea[name=cause]", "c")
    page.fill("#entry-form textarea[name=next_action]", "n")
    page.fill("#entry-form input[name=recheck_on]", "2026-11-24")
    page.fill("#entry-form input[name=new_target]", "400")
    page.click("#entry-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert Target.objects.get(scope_id=rep.pk, period_start=date(2026, 12, 1)).value == 400
    Rollup.objects.create(granularity="day", scope="rep", scope_id=rep.pk, period_start=date(2026, 11, 20), calls=300)
    time_machine.move_to(tokyo(2026, 11, 25, 7, 20))
    reviews_recheck(today=date(2026, 11, 25))
    # Five days later the idle session has long expired: the manager signs in again.
    page.context.clear_cookies()
    page = login(manager, lang=lang)
    page.goto(f"{root}/reviews/{fired.pk}/")
    assert t["now"] in page.locator("#now h2").inner_text()
    assert page.locator("#current-actual").inner_text() == "312"
    assert page.locator("#current-pct").inner_text() == "104.0%"
    assert t["recovered"] in page.locator("#item-recovered").inner_text()
    assert t["trend"] in page.locator("#now").inner_text()
    assert page.locator("#trend tbody tr").count() == 2
    for width in (1440, 390):
        page.set_viewport_size({"width": width, "height": 900})
        shot(page, f"review_recheck_{lang}_{width}")
