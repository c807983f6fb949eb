"""The planner in a real browser: compute, save and apply a plan, then the targets, weekly review,
review rules and lead supply pages it feeds are screenshotted in both languages."""

import pytest

from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_planning_pages_render(fired, login, manager, marketer, rep, lang):
    page = login(manager, lang=lang)
    root = "/".join(page.url.split("/", 3)[:3])
    page.goto(f"{root}/planner/?team={rep.team_id}&month=2026-12")
    page.fill("input[name=goal_value]", "6")
    page.click("button[value=compute]")
    page.wait_for_load_state("networkidle")
    assert page.locator("#walkback tr[data-stage=orders] td").first.inner_text() == "6"
    shot(page, f"planning_planner_{lang}")
    page.click("#plan-history a")
    page.wait_for_load_state("networkidle")
    page.click("#apply-plan")
    page.wait_for_load_state("networkidle")
    assert page.locator("#applied").count() == 1
    shot(page, f"planning_plan_detail_{lang}")
    page.goto(f"{root}/targets/?team={rep.team_id}&month=2026-11")
    shot(page, f"planning_targets_{lang}")
    page.goto(f"{root}/teams/{rep.team_id}/review/")
    page.locator("#heatmap").wait_for()
    shot(page, f"planning_weekly_review_{lang}")
    page.goto(f"{root}/reviews/rules/")
    shot(page, f"planning_review_rules_{lang}")
    page.goto(f"{root}/lead-supply/?month=2026-12")
    assert page.locator("#consistency-warnings .warn").count() >= 1
    shot(page, f"planning_lead_supply_{lang}")
