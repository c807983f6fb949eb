"""The rep's today page in a real browser: quick-log, both languages, the trend chart's numbers."""

import pytest

from tests.browser.conftest import set_language, shot
from tests.factories import tokyo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_quick_log_updates_today(login, rep, time_machine):
    time_machine.move_to(tokyo(2026, 11, 20, 11, 0), tick=True)
    page = login(rep, lang="ja")
    base = page.url.split("/today")[0].rstrip("/")
    page.goto(f"{base}/today/")
    page.locator("#quick-log").wait_for()
    before = page.locator("#card-today .tile[data-kpi=calls] .tile-value").inner_text()
    page.click("#quick-log button[value=connected]")
    page.wait_for_load_state("networkidle")
    page.locator("#quick-log").wait_for()
    assert before == "0"
    assert page.locator("#card-today .tile[data-kpi=calls] .tile-value").inner_text() == "1"
    shot(page, "ingestion_quicklog_ja")


def test_rep_today_page_in_both_languages(board, login, rep):
    page = login(rep, lang="ja")
    page.goto(page.url.split("/today")[0] + "/today/")
    assert page.locator("#card-today .tile[data-kpi=calls] .tile-value").inner_text() == "10"
    shot(page, "today_ja")
    set_language(page, "en")
    assert "Today against target" in page.content()
    shot(page, "today_en")


def test_today_trend_chart_has_its_numbers_one_click_away(board, login, rep):
    page = login(rep, lang="en")
    page.goto(page.url.split("/today")[0] + "/today/")
    page.click("#month-trend summary")
    nov20 = page.locator("#trend-table tr", has_text="11/20")
    assert nov20.locator("td").nth(1).inner_text() == "10"
    assert nov20.locator("td").nth(2).inner_text() == "2"  # 38 calls / 19 business days
    assert page.evaluate("() => !!Chart.getChart('trend-chart')")
    shot(page, "today_trend_en")
