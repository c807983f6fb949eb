"""The rep page in a real browser, in Japanese and English, at 1440 and 390 px: the trend chart with its
numbers, the funnel next to the team's, the heatmap, and the call list's filter."""

import pytest

from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("width", [1440, 390])
def test_manager_reads_a_reps_trend_funnel_heatmap_and_calls(board, login, manager, rep, lang, width):
    page = login(manager, lang=lang)
    page.set_viewport_size({"width": width, "height": 900})
    base = page.url.split("/", 3)
    page.goto(f"{base[0]}//{base[2]}/reps/{rep.pk}/")
    page.locator("#rep-trend").wait_for()
    page.wait_for_function("window.Chart && Chart.getChart(document.querySelector('#rep-trend canvas'))")
    assert rep.name in page.locator("h1").inner_text()
    # The rep's 10 calls on Nov 20: 10 connects of 10 calls (100%), the team 10 of 11 (91%).
    funnel = page.locator("#rep-funnel-table tbody tr").first.inner_text()
    assert "10" in funnel and "11" in funnel
    # 10 calls at Friday 10:00 reach the minimum sample: the cell is coloured and shows its counts.
    cell = page.locator("#heatmap td[title='10/10']")
    assert "heat-" in cell.get_attribute("class") and "100%" in cell.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, f"rep_page_{lang}_{width}")
    page.goto(f"{base[0]}//{base[2]}/reps/{rep.pk}/calls/?result=connected")
    assert page.locator("#call-list tbody tr").count() == 10
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, f"rep_calls_{lang}_{width}")
