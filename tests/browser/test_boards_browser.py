"""The manager's team board and the organisation board in a real browser, in Japanese and English."""

import pytest

from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_manager_sees_team_board_with_red_rows(board, login, manager, rep, teammate, lang):
    page = login(manager, lang=lang)
    page.goto(f"{page.url.split('/teams/')[0]}/teams/{rep.team_id}/")
    table = page.locator("#team-board")
    table.wait_for()
    # November 2026 has 19 business days (3rd and 23rd are holidays); by the 20th, 14 have passed:
    # pace = 38 x 14 / 19 = 28. The rep's 10 calls are 36% of pace; the teammate's 1 call 4%.
    rep_row = page.locator(f"tr[data-rep='{rep.email}']")
    assert "row-red" in rep_row.get_attribute("class")
    assert "10" in rep_row.locator("td").nth(1).inner_text()
    assert page.locator("tr.row-red").count() == 2
    assert "¥500,000" in page.locator("#wins").inner_text()
    assert rep.name in page.locator("#leaders").inner_text()
    heading = "チームボード" if lang == "ja" else "Team board"
    assert heading in page.locator("h1").inner_text()
    shot(page, f"team_board_{lang}")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_org_board_lists_teams_with_links(board, login, ops, team_a, lang):
    page = login(ops, lang=lang)
    page.goto(page.url.split("/", 3)[0] + "//" + page.url.split("/")[2] + "/org/")
    row = page.locator(f"#org-board tr[data-team='{team_a.pk}']")
    assert "11" in row.locator("td").nth(1).inner_text()  # 10 + 1 calls in team A
    assert ("組織全体" if lang == "ja" else "Organisation") in page.locator("h1").inner_text()
    # Ops has the longest menu: the top bar still fits one line at 1400 px.
    assert page.locator("header.topbar").bounding_box()["height"] < 60
    shot(page, f"org_board_{lang}")
    # Role and "log out" sit behind the person's name.
    page.click(".nav-account summary")
    shot(page, f"account_menu_{lang}")
    page.click(".nav-account button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/login/" in page.url


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("width", [1440, 390])
def test_board_views_sort_and_charts_at_desktop_and_phone_width(board, login, manager, rep, teammate, lang, width):
    page = login(manager, lang=lang)
    page.set_viewport_size({"width": width, "height": 900})
    base = page.url.split("/", 3)
    page.goto(f"{base[0]}//{base[2]}/teams/{rep.team_id}/?v=approach")
    page.locator("#team-board").wait_for()
    heads = page.locator("#team-board thead th.kpi-head").all_inner_texts()
    assert any(("追客数" if lang == "ja" else "Follow-ups") in h for h in heads)
    # Sorting by calls ascending puts the teammate's 1 call above the rep's 10.
    page.goto(f"{base[0]}//{base[2]}/teams/{rep.team_id}/?sort=calls&dir=asc")
    assert page.locator("#team-board tbody tr").first.get_attribute("data-rep") == teammate.email
    # The burn-up chart is drawn from its JSON (no inline script) and its numbers sit next to it.
    page.wait_for_function("window.Chart && Chart.getChart(document.querySelector('#burn-up canvas'))")
    assert page.locator("#burn-table tbody tr").count() == 30  # the 30 days of November
    # Nothing wider than the screen: the board scrolls inside its own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.click("#board-picker summary")
    shot(page, f"team_board_views_{lang}_{width}")
    page.click(f"#team-board tr[data-rep='{rep.email}'] th a")
    page.wait_for_load_state("networkidle")
    assert f"/reps/{rep.pk}/" in page.url
